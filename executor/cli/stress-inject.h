/* stress-inject.h — `expert-exec stress --inject`: fault injection
 * campaigns for expert authors (inject-runner.c runs them; the report is
 * reports/campaign-report.c). stress.c parses the command line and hands
 * over here. */
#ifndef EXPERT_EXEC_STRESS_INJECT_H
#define EXPERT_EXEC_STRESS_INJECT_H

#include <glib.h>

typedef struct {
	const char *inject;          /* --inject, as given */
	const char *const *experts;
	guint n_experts;
	const char *capture;         /* --capture (required) */
	const char *profile;         /* --profile, or NULL: each expert's as run chooses */
	char **settings;             /* --config, or NULL */
	const char *user;
	guint jobs;
	guint64 iterations;          /* runs of alloc:p=P (0: the default) */
	guint64 seed;
	gboolean json;
	const char *html;
} StressInjectArgs;

/* The exit status: 0 when every expert survived every fault and the
 * executor got everything back, 1 if not, 2 for a bad command line. */
int stress_inject_command(const StressInjectArgs *args);

#endif /* EXPERT_EXEC_STRESS_INJECT_H */
