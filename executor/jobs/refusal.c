/* refusal.c — see refusal.h. */
#include "jobs/refusal.h"

#include "profiles/filter.h"
#include "protocol/child-protocol.h"

#include <sys/syscall.h>

gboolean refusal_profile_grants_outputs(const Profile *profile, gboolean learning)
{
	if (profile->max_outputs == 0 || profile->max_output_bytes == 0)
		return FALSE;
	/* libexpert writes an output with write(2) on the descriptor it was
	 * given; the first one granted is the lowest a child can hold. */
	const uint64_t args[6] = { CHILD_FD_FIRST_GRANTED, 0, 1, 0, 0, 0 };
	FilterVerdict v;
	filter_decide(profile, SYS_write, args, &v);
	return v.action.kind == PROFILE_ACTION_ALLOW || v.action.kind == PROFILE_ACTION_LOG ||
	       (learning && v.action.kind == PROFILE_ACTION_NOTIFY);
}

char *refusal_writes_output(const char *expert, const Profile *profile, gboolean output_dir,
                            gboolean learning)
{
	g_autofree char *why = NULL;
	if (profile->max_outputs == 0)
		why = g_strdup_printf("its profile %s grants none (output-files = 0)", profile->name);
	else if (profile->max_output_bytes == 0)
		why = g_strdup_printf("its profile %s grants files of no bytes (output-bytes = 0)",
		                      profile->name);
	else if (!refusal_profile_grants_outputs(profile, learning))
		why = g_strdup_printf("its profile %s grants files but not writing to them (write on "
		                      "descriptor %d is not allowed)", profile->name, CHILD_FD_FIRST_GRANTED);
	if (why && !output_dir)
		return g_strdup_printf("%s writes output captures; %s, and no --output-dir was given: "
		                       "give it --profile %s=%s and --output-dir DIR", expert, why, expert,
		                       REFUSAL_OUTPUT_PROFILE);
	if (why)
		return g_strdup_printf("%s writes output captures; %s: give it --profile %s=%s", expert,
		                       why, expert, REFUSAL_OUTPUT_PROFILE);
	if (!output_dir)
		return g_strdup_printf("%s writes output captures, and no --output-dir was given: "
		                       "add --output-dir DIR", expert);
	return NULL;
}
