/* inject-runner.h — the engine of `stress --inject`: for each expert a
 * clean run, then every sweep asked for (CLASS@all: one run per N the
 * clean run counted; alloc:p=P: --iterations runs, seeds S, S+1, ...),
 * --jobs at a time, each run's outcome judged against what its fault
 * allows, and what the executor got back after each sweep. */
#ifndef EXPERT_EXEC_INJECT_RUNNER_H
#define EXPERT_EXEC_INJECT_RUNNER_H

#include "jobs/runner.h"
#include "jobs/zygote.h"
#include "results/inject-campaign.h"

typedef struct {
	GPtrArray *specs;            /* of InjectSpec*: sweeps */
	const char *const *experts;
	guint n_experts;
	GPtrArray *configs;          /* char** per expert (key, value, ..., NULL), or NULL */
	guint jobs;
	guint64 iterations;          /* runs of an alloc:p=P sweep */
	guint64 seed;                /* of its first run */
	const char *output_dir;      /* the campaign's own, emptied after every run */
	/* What a replaying `run` needs besides the fault, already shell-quoted
	 * and joined ("--profile strict --config 'x:k=v'"): the options the
	 * campaign was given that change a run. */
	const char *program;         /* the expert-exec that runs, as a path */
	const char *run_options;
	const char *capture_path;
} InjectCampaignOptions;

/* Runs the campaign over the prepared run (its profiles, capture and
 * context: runner_prepare with the same experts). */
InjectCampaign *inject_campaign_run(RunResult *setup, const InjectCampaignOptions *options);

#endif /* EXPERT_EXEC_INJECT_RUNNER_H */
