/* run-profile.h — the profiles of a run: each one loaded, digested and
 * compiled into its filter once, however many experts use it; and which
 * expert runs under which, and why (profiles/profile-map.h decides). Types
 * only: jobs/runner.c fills them, jobs read them, reports print them. */
#ifndef EXPERT_EXEC_RUN_PROFILE_H
#define EXPERT_EXEC_RUN_PROFILE_H

#include "profiles/filter.h"
#include "profiles/profile.h"

#include <glib.h>

typedef struct RunProfile {
	Profile *profile;
	Filter *filter;
	char *sha256;               /* profiles/profile-digest.h */
	guint64 tag;                /* its first 64 bits: what a child is told its profile is */
	guint n_experts;            /* how many experts of the run use it */
} RunProfile;

/* One expert of the run, in the order given. */
typedef struct RunAssignment {
	char *expert;               /* its name, as --profile and --config name it */
	const RunProfile *profile;  /* one of RunResult.profiles */
	char *chosen_by;            /* "--profile top-talkers=strict", "installed mapping FILE:LINE", ... */
} RunAssignment;

#endif /* EXPERT_EXEC_RUN_PROFILE_H */
