/* output-name.c — the rule for an output capture's name (expert.h).
 *
 * In one place because three parties apply it: an expert checking its
 * setting before it runs, libexpert before asking, and the executor, which
 * must not trust either and checks again before creating the file. Pure: no
 * I/O, no locale (the executor and the sandboxed child must agree).
 */
#include "expert.h"

#include <string.h>

bool expert_output_name_valid(const char *name)
{
	size_t n = strlen(name);
	/* One plain component: never empty, never hidden, never a path. */
	if (n == 0 || n > EXPERT_OUTPUT_NAME_MAX || name[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == '_'))
			return false;
	}
	return true;
}
