/* batch-run.h — many captures in one command: every expert over every
 * capture of the shard, one capture loaded at a time (up to --jobs experts
 * at once over it), each capture's outputs in a folder of its own under
 * --output-dir (then a folder per job, as for one capture), each pair's
 * record appended to --results as its job ends, pairs already there
 * skipped with --resume. */
#ifndef EXPERT_EXEC_BATCH_RUN_H
#define EXPERT_EXEC_BATCH_RUN_H

#include "batch/batch-pairs.h"
#include "batch/batch-report.h"
#include "jobs/runner.h"

#include <stdio.h>

typedef struct {
	/* Every expert's options as for one capture (experts, their profiles
	 * and settings, --jobs, --filter, ...); the batch sets capture_path,
	 * output_dir, output_folders and on_job_done per capture. */
	RunnerOptions run;
	GPtrArray *captures;       /* BatchCapture* (batch-captures.h) */
	const char *output_dir;    /* --output-dir, or NULL */
	BatchShard shard;          /* count 0: every pair */
	const char *results_path;  /* --results, or NULL */
	gboolean resume;
	const char *options_text;  /* what shapes the results, for the pairs' digest */
	FILE *text;                /* the setup, then each capture's line as it ends; or NULL */
	gboolean progress;         /* the batch's progress on stderr (a terminal) */
} BatchOptions;

/* Runs the batch. NULL with error when nothing could run (the results file
 * cannot be opened, holds another batch's or shard's results, the output
 * directory cannot be used); else the report, with `stopped` set if it
 * ended early (a results line that could not be written). */
BatchReport *batch_run(Zygote *zygote, const BatchOptions *options, GError **error);

#endif /* EXPERT_EXEC_BATCH_RUN_H */
