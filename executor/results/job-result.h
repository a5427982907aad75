/* job-result.h — what one expert's run leaves behind: its outcome, what it
 * registered as, its events, its violation, its outputs and what it cost.
 * jobs/ fills a Job; reports/ (and learn/, cli/) read it, reports/ without
 * including anything of jobs/. */
#ifndef EXPERT_EXEC_JOB_RESULT_H
#define EXPERT_EXEC_JOB_RESULT_H

#include "inject/inject-plan.h"
#include "results/fault-claim.h"
#include "results/outcome.h"
#include "results/run-profile.h"

#include <glib.h>

typedef struct Job Job;

/* What became of an output capture once its job ended. */
typedef enum {
	JOB_OUTPUT_OPEN = 0,    /* its job has not ended */
	JOB_OUTPUT_KEPT,        /* whole, checked, and given its name */
	JOB_OUTPUT_UNFINISHED,  /* removed: the expert never closed it */
	JOB_OUTPUT_JOB_FAILED,  /* removed: closed, but its job did not complete */
	JOB_OUTPUT_REFUSED,     /* removed: closed by a completed job, but not whole, its
	                         * name taken meanwhile, or no space left (why says) */
} JobOutputState;

/* An output capture the executor created for the expert
 * (outputs/output-file.h: unnamed until kept). */
typedef struct {
	guint32 id;
	char *name;                  /* in the job's folder of the output directory */
	char *path;                  /* for reports: output directory / folder / name */
	struct OutputFile *file;     /* the executor's, until the job is settled */
	const char *method;          /* how it was created: "O_TMPFILE", ... (static) */
	gboolean complete;           /* the expert closed it */
	JobOutputState state;
	char *why;                   /* why it was removed, for JOB_OUTPUT_REFUSED */
	gboolean no_space;           /* removed because its filesystem was full */
	guint64 frames;              /* counted by the executor's check when kept; else
	                              * as the expert reported, at most one per 16 bytes */
	guint64 bytes;               /* its size: when it was closed, or when the job ended */
	guint64 cut_bytes;           /* written after it was closed, and cut off */
} JobOutput;

typedef struct {
	char *key, *value;
} JobDetail;

typedef struct {
	int severity;               /* ExpertSeverity */
	char *text;
	GArray *details;            /* of JobDetail */
} JobEvent;

/* A job run with a fault injected (run --inject, stress --inject): what
 * was planned, whether and where it was made, and what the job counted,
 * which sizes a sweep (stress --inject CLASS@all). */
typedef struct {
	InjectSpec *spec;           /* the plan; a copy, the job's own */
	gboolean fired;             /* made: by the executor, or as the child reports */
	gboolean fired_by_child;    /* ... the child's report (alloc, terminate, kill) */
	guint fired_count;          /* times made (alloc:p=P refuses many) */
	guint64 fired_at_call;      /* the child's API call count when it first fired */
	guint64 fired_at_allocation; /* ... and allocation count */
	/* Counted for a sweep. The child's claims (CALLS): */
	gboolean has_calls;
	guint64 api_calls, allocations;
	/* The executor's: where each write to an output began, in bytes of
	 * all the job's outputs together (guint64), when writes were seen. */
	GArray *write_offsets;
	guint64 bytes_written;
} JobInjection;

typedef struct {
	int nr;
	char *name;
	char *arch;
	guint64 args[6];
	guint64 instruction_pointer;
	char *rule;                 /* "sandbox-profiles/default.profile:12 (socket = notify)" */
	char *action;               /* what the profile says: "notify", "kill", ... */
	char *call;                 /* "socket(AF_INET, SOCK_STREAM, 0)" (violations/syscall-args.h) */
	gboolean strings_read;      /* call shows strings read from the child's memory at
	                             * the time of the call (violations/child-memory.h) */
	char *location;             /* of the syscall instruction: "libc.so.6: __socket+0xb"
	                             * (violations/code-location.h), or NULL if unknown */
} JobViolation;

struct Job {
	guint64 id;
	char *expert_path;
	const struct JobContext *ctx;  /* jobs/job-context.h */
	const RunProfile *run_profile; /* the profile it runs under, the run's */
	const char *profile_chosen_by; /* why that one (RunAssignment), or NULL */

	/* Results, valid once done. */
	OutcomeKind outcome;
	char *detail;
	gint32 return_value;        /* for OUTCOME_COMPLETED */
	gboolean configure_refused; /* failed-to-load because configure returned an error */
	int signal;                 /* for deaths by signal, else 0 */
	int exit_status;            /* for exits, else -1 */
	char *expert_reason;        /* what the expert said of its failure (expert_fail),
	                             * escaped; NULL if it said nothing. Its own words. */
	gboolean has_info;
	char *name, *vendor, *description;
	guint32 version, flags;
	GPtrArray *events;          /* of JobEvent* */
	guint events_submitted;
	int status_state, status_percent;
	char *status_text;
	guint status_messages;
	guint faults[3];            /* by WireMemoryFault */
	guint64 frames_read;        /* the child's count, at most the capture's frames */
	guint64 frames_claimed;     /* what it said, when that was more */
	guint64 peak_pool_bytes;    /* kernel: pages of the region backed at exit */
	guint64 pool_quota_bytes;
	gint64 start_usec, end_usec;
	guint64 cpu_usec;
	guint64 max_rss_kib;
	JobViolation *violation;
	FaultClaim *fault;          /* what the child said of its fault, or NULL: a claim */
	JobInjection *injection;    /* the fault injected, or NULL */
	GPtrArray *outputs;         /* of JobOutput* */
	char *output_refused;       /* the first output request the executor refused, and
	                             * why, in its words; or NULL */
	char *output_folder;        /* its folder under --output-dir (output-folders.h) */
	guint filter_requests;
	gboolean raised_itself;     /* the signal that killed it was its own, seen sent */

	/* What it cost the executor, counted by the executor. */
	guint64 executor_cpu_usec;  /* its own CPU for this job, from the kernel */
	guint64 event_bytes;        /* text, keys and values of its events */
	guint notifications;        /* seccomp notifications */
	guint loader_round_trips;   /* ... of them before LOADED: calls the kernel could not decide */
	guint output_requests;      /* outputs asked for, refused ones too */
	guint64 filter_cpu_usec;    /* compiling its filters (part of executor_cpu_usec) */

	/* Private state (jobs/job-state.h). */
	struct JobPrivate *priv;
};

#endif /* EXPERT_EXEC_JOB_RESULT_H */
