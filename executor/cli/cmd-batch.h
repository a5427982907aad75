/* cmd-batch.h — `expert-exec run` over many captures (batch/): chosen by
 * cmd-run.c when more than one capture, a directory, --captures-from,
 * --results, --resume or --shard is given. */
#ifndef EXPERT_EXEC_CMD_BATCH_H
#define EXPERT_EXEC_CMD_BATCH_H

#include "cli/run-args.h"
#include "jobs/runner.h"

typedef struct {
	const RunArgs *args;         /* the captures (files, directories) and experts given */
	const char *captures_from;   /* --captures-from, or NULL */
	const char *results;         /* --results, or NULL */
	gboolean resume;
	const char *shard;           /* --shard I/N, or NULL */
	const char *user, *require, *html;
	gboolean json;
	RunnerOptions *run;          /* every other option, as for one capture */
} BatchCommand;

/* Runs the batch and prints its report; the exit status. */
int cmd_batch(const BatchCommand *command);

#endif /* EXPERT_EXEC_CMD_BATCH_H */
