/* form: a header of its own folder, without the folder. */
#include "b.h"

int b(void) { return 0; }
