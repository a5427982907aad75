#ifndef B_H
#define B_H
#include "low/c.h"

/* A prototype over two lines,
 * with a comment. */
int b(void)
	G_GNUC_WARN_UNUSED_RESULT;
#endif
