/* job-result.h — what one expert's run leaves behind: its outcome, what it
 * registered as, its events, its violation, its outputs and what it cost.
 * jobs/ fills a Job; reports/ (and learn/, cli/) read it, reports/ without
 * including anything of jobs/. */
#ifndef EXPERT_EXEC_JOB_RESULT_H
#define EXPERT_EXEC_JOB_RESULT_H

#include "results/fault-claim.h"
#include "results/outcome.h"
#include "results/run-profile.h"

#include <glib.h>

typedef struct Job Job;

/* An output capture the executor created for the expert. */
typedef struct {
	guint32 id;
	char *name;                  /* in the job's folder of the output directory */
	char *path;                  /* for reports: output directory / folder / name */
	int fd;                      /* the executor's own descriptor, for fstat and truncation */
	gboolean complete;           /* the expert closed it; else removed at the end */
	guint64 frames;              /* as the expert reported, at most one per 16 bytes */
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
	GPtrArray *outputs;         /* of JobOutput* */
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
