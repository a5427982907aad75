#include "top/a.h"
#include "fake.h"
/* form: a header of another folder, without its folder. */
#include "b.h"

int a(void) { return 0; }
