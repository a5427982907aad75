/* run-start.c — see run-start.h. */
#include "cli/run-start.h"

#include "cli/cli-errors.h"
#include "kernel/isolation.h"

Zygote *run_start(const char *command, RunnerOptions *options, const char *user,
                  const char *require, gboolean json, int *exit_status)
{
	g_autoptr(GError) error = NULL;
	if (!runner_set_identity(options, user, &error)) {
		*exit_status = cli_usage_error(command, json, "%s", error->message);
		return NULL;
	}
	g_autoptr(Zygote) zygote = zygote_start(&error);
	if (!zygote) {
		*exit_status = cli_usage_error(command, json, "%s", error->message);
		return NULL;
	}
	/* Before any job: what is missing is said, and with --require refused. */
	if (require && !isolation_require(zygote_isolation(zygote), require, &error)) {
		*exit_status = cli_usage_error(command, json, "--require: %s", error->message);
		return NULL;
	}
	return g_steal_pointer(&zygote);
}
