#include "mid/b.h"

#include <string.h>

int b(void)
{
	return c((int)strlen("b"));
}
