/* cmd-run.h — the `run` and `list` commands of expert-exec. */
#ifndef EXPERT_EXEC_CMD_RUN_H
#define EXPERT_EXEC_CMD_RUN_H

/* Exit statuses, as documented in the README. */
enum {
	CMD_EXIT_ALL_COMPLETED = 0,  /* every expert completed and returned 0 */
	CMD_EXIT_SOME_FAILED = 1,    /* at least one other outcome or return value */
	CMD_EXIT_USAGE = 2,          /* bad command line, capture, profile, mapping: nothing ran */
	CMD_EXIT_PARTIAL_CAPTURE = 3, /* all completed and returned 0, over a capture cut short */
};

/* argv[0] is the command's name. */
int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);

#endif /* EXPERT_EXEC_CMD_RUN_H */
