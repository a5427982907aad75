/* needs-libraries.c — an honest expert that needs libraries beyond libc and
 * libexpert: libm directly, and test-helper.c (found through its run path,
 * $ORIGIN), which needs libm itself. It returns 0 only if both computed
 * what they should: the libraries the executor found were loaded and
 * linked. */
#include "expert.h"

#include <math.h>
#include <string.h>

double expert_test_hypotenuse(double a, double b);

bool expert_register(ExpertInfo *info)
{
	strcpy(info->name, "needs libraries");
	strcpy(info->vendor, "expert-exec tests");
	strcpy(info->description, "Uses libm and a library of its own");
	info->version = EXPERT_VERSION(1, 0);
	return true;
}

int expert_run(ExpertKey *key)
{
	(void)key;
	volatile double three = 3.0, four = 4.0, angle = 0.0;
	if (expert_test_hypotenuse(three, four) != 5.0)
		return 2;
	return cos(angle) == 1.0 ? 0 : 3;
}
