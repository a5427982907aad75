/* crossing: low/ may include nothing, least of all top/. */
#include "top/a.h"

int up(void) { return a(); }
