/* cmd-run.h — the `run` and `list` commands of expert-exec. */
#ifndef EXPERT_EXEC_CMD_RUN_H
#define EXPERT_EXEC_CMD_RUN_H

#include "cli/cli-errors.h"  /* the exit statuses */

/* argv[0] is the command's name. */
int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);

#endif /* EXPERT_EXEC_CMD_RUN_H */
