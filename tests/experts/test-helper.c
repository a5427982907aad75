/* test-helper.c — a library an expert may bring along (next to it, found
 * through its run path, $ORIGIN), which itself needs another one (libm):
 * needs-libraries.c uses it, to show that what an object needs beyond libc
 * and libexpert is found and loaded from descriptors, each library's own
 * needs before it, in a child whose root holds no host file. */
#include <math.h>

double expert_test_hypotenuse(double a, double b);

double expert_test_hypotenuse(double a, double b)
{
	return sqrt(a * a + b * b);
}
