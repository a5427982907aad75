/* cmd-merge.h — `expert-exec merge RESULTS...`: the results files of a
 * batch's shards as one batch's report (batch/batch-merge.h). */
#ifndef EXPERT_EXEC_CMD_MERGE_H
#define EXPERT_EXEC_CMD_MERGE_H

/* argv[0] is the command's name. */
int cmd_merge(int argc, char **argv);

#endif /* EXPERT_EXEC_CMD_MERGE_H */
