/* cmd-run.h — the `run` and `list` commands of expert-exec. */
#ifndef EXPERT_EXEC_CMD_RUN_H
#define EXPERT_EXEC_CMD_RUN_H

#include "cli/cli-errors.h"  /* the exit statuses */
#include "jobs/prefork.h"

/* --prefork, shared by run and stress: value is a gint, -1 unless given. */
/* --prefork's value until the command line gives one (any number given,
 * -1 included, is checked). */
#define PREFORK_NOT_GIVEN G_MININT
#define PREFORK_OPTION_ENTRY(value) \
	{ "prefork", 0, 0, G_OPTION_ARG_INT, &value, \
	  "Children kept set up ahead of their jobs, 0 to " G_STRINGIFY(PREFORK_MAX) \
	  " (default: --jobs + 1); 0 forks each job's child when the job starts", "N" }

/* argv[0] is the command's name. */
int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);

#endif /* EXPERT_EXEC_CMD_RUN_H */
