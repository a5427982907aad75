/* inject-campaign.h — what `stress --inject` leaves behind: per expert, its
 * clean run (which sizes every sweep) and per fault swept, the runs, which
 * of them the expert did not survive (each with the fault, N, the outcome,
 * where the child says it crashed, and the command that replays it), what
 * the executor got back, and the verdict. cli/inject-runner.c fills it;
 * reports/campaign-report.c prints it. */
#ifndef EXPERT_EXEC_INJECT_CAMPAIGN_H
#define EXPERT_EXEC_INJECT_CAMPAIGN_H

#include "inject/inject-plan.h"
#include "kernel/isolation.h"
#include "results/outcome.h"
#include "results/run-profile.h"

#include <glib.h>

/* A run the expert did not survive, or ended otherwise than the fault
 * allows. */
typedef struct {
	InjectSpec *spec;          /* the fault at its N */
	OutcomeKind outcome;
	char *detail;              /* the outcome's (child parts escaped) */
	char *location;            /* where the child says it crashed, or NULL */
	char *injection;           /* report_injection_text: made or not, and how */
	char *reproduce;           /* one command line that replays the run */
} InjectFailure;

typedef enum {
	INJECT_VERDICT_ROBUST,        /* every run ended as the fault allows, all reclaimed */
	INJECT_VERDICT_NOT_ROBUST,
	INJECT_VERDICT_NOT_EXERCISED, /* no run: the clean run had none of it to fault */
	INJECT_VERDICT_NOT_TESTED,    /* the clean run itself did not complete */
} InjectVerdict;

typedef struct {
	InjectSpec *sweep;         /* CLASS@all, or alloc:p=P */
	guint64 runs, made;        /* runs, and runs in which the fault was made */
	guint64 by_outcome[OUTCOME_N_KINDS];
	guint64 n_failures;        /* all of them; the first ones kept below */
	/* terminate: the most API calls any run made after the one that first
	 * returned EXPERT_ERR_TERMINATE (the child's counts): how "at once"
	 * the expert returns. */
	guint64 most_calls_after_terminate;
	GPtrArray *failures;       /* of InjectFailure* */
	/* The executor after the sweep, nothing running, against the
	 * campaign's start: from /proc and the pool. */
	guint fds_before, fds_after;
	guint pool_regions_after;
	guint64 pool_bytes_after;
	guint outputs_left;        /* files left in the output folder: abandoned, not removed */
	gboolean reclaimed;
	InjectVerdict verdict;
} InjectSweep;

typedef struct {
	char *path, *name;          /* the object, and its file name without .so */
	const RunProfile *profile;  /* the run's */
	const char *profile_chosen_by;
	/* The clean run: no fault, counts only. */
	OutcomeKind clean_outcome;
	char *clean_detail;
	gboolean clean_ok;          /* completed, with the child's counts */
	double clean_ms;
	guint64 api_calls, allocations; /* the child's counts (claims) */
	guint64 frames_read;
	guint filter_requests, output_requests; /* the executor's */
	GArray *write_offsets;      /* guint64, distinct, ascending: where writes began */
	GPtrArray *sweeps;          /* of InjectSweep* */
} InjectExpert;

typedef struct {
	char *capture_path;
	guint64 capture_frames;
	GPtrArray *specs;           /* of InjectSpec*: the sweeps asked for */
	guint64 seed;
	guint64 iterations;         /* runs of each alloc:p=P sweep */
	guint jobs;
	double seconds;
	Isolation isolation;
	GPtrArray *experts;         /* of InjectExpert* */
	guint64 runs;
	guint not_robust;           /* sweeps */
} InjectCampaign;

InjectCampaign *inject_campaign_new(void);
void inject_campaign_free(InjectCampaign *campaign);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(InjectCampaign, inject_campaign_free)
InjectExpert *inject_expert_new(const char *path);
InjectSweep *inject_sweep_new(const InjectSpec *sweep);
void inject_failure_free(InjectFailure *failure);

/* "robust", "not robust", "not exercised", "not tested" (static). */
const char *inject_verdict_name(InjectVerdict verdict);

#endif /* EXPERT_EXEC_INJECT_CAMPAIGN_H */
