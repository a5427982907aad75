/* library: low/ uses libc only, neither glib nor libexpert. */
#include "fake.h"

#include <glib.h>
#include <stdio.h>

int lib(void) { return 0; }
