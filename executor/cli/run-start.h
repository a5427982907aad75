/* run-start.h — what `run`, a batch and `list` do before any job: the
 * children's identity (--user), the fork server, and --require's check of
 * the isolation layers it set up. */
#ifndef EXPERT_EXEC_RUN_START_H
#define EXPERT_EXEC_RUN_START_H

#include "jobs/runner.h"
#include "jobs/zygote.h"

/* The fork server, or NULL with the refusal said (as cli-errors.h says,
 * in JSON too when json) and *exit_status 2. require: --require, or NULL. */
Zygote *run_start(const char *command, RunnerOptions *options, const char *user,
                  const char *require, gboolean json, int *exit_status);

#endif /* EXPERT_EXEC_RUN_START_H */
