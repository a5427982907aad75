#include "mid/y.h"
#include "mid/x.h"

int y(void) { return 1; }
