/* circle: x.c includes y.h, y.c includes x.h. */
#include "mid/x.h"
#include "mid/y.h"

int x(void) { return y(); }
