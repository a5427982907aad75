#include "low/c.h"
#include "low/types.h"

int c(int x)
{
	LowThing t = { x };
	return t.x;
}
