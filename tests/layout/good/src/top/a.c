/* a.c — may include mid/ and low/, glib and libexpert. */
#include "top/a.h"

#include "fake.h"
#include "low/types.h"
#include "mid/b.h"

#include <glib.h>
#include <stdio.h>

int a(void)
{
	return b() + fake();
}
