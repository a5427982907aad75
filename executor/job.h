/* job.h — one expert run in one child: start it, watch its channel, its
 * seccomp notifications and its clock, decide its outcome when it has been
 * reaped, and give back everything it held. */
#ifndef EXPERT_EXEC_JOB_H
#define EXPERT_EXEC_JOB_H

#include "capture.h"
#include "fault-claim.h"
#include "filter.h"
#include "outcome.h"
#include "pool.h"
#include "profile.h"
#include "uid-pool.h"
#include "zygote.h"

#include <glib.h>
#include <sys/types.h>

typedef struct Job Job;
/* Told when a job starts, reports status, and ends (for progress display). */
typedef void (*JobStatusFunc)(const Job *job, gpointer user_data);

/* Learning a profile: a call the profile would refuse is shown to the
 * observer and let through instead (see executor/learn.c). */
typedef void (*JobSyscallObserver)(int nr, const guint64 args[6], gpointer user_data);

/* What all jobs of a run share; owned by the runner. */
typedef struct {
	const Profile *profile;
	const Filter *filter;
	const Capture *capture;
	Pool *pool;
	Zygote *zygote;
	gboolean drop_privileges;   /* the executor is root: children take uid/gid */
	guint32 uid, gid;           /* ... these, or with uid_pool, one uid (and gid) per job */
	UidPool *uid_pool;
	JobSyscallObserver observe;  /* NULL except when learning */
	gpointer observe_data;
	const char *capture_name;    /* what experts are told the capture is called */
	guint64 selected_frame;      /* --select, or 0 */
	GBytes *frame_filter;        /* --filter compiled (struct bpf_insn), or NULL */
	int output_dir_fd;           /* --output-dir opened O_PATH, or -1: outputs refused */
	const char *output_dir;
	gboolean register_only;      /* `expert-exec list`: register, then stop */
	JobStatusFunc on_status;     /* or NULL */
	gpointer on_status_data;
} JobContext;

/* An output capture the executor created for the expert. */
typedef struct {
	guint32 id;
	char *name;                  /* in the output directory */
	char *path;                  /* for reports */
	int fd;                      /* the executor's own descriptor, for fstat */
	gboolean complete;           /* the expert closed it; else removed at the end */
	guint64 frames;              /* as the expert reported */
	guint64 bytes;               /* st_size when the job ended */
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
	char *call;                 /* "socket(AF_INET, SOCK_STREAM, 0)" (syscall-args.h) */
	char *location;             /* of the syscall instruction: "libc.so.6: __socket+0xb"
	                             * (code-location.h), or NULL if unknown */
} JobViolation;

typedef void (*JobDoneFunc)(Job *job, gpointer user_data);

struct Job {
	guint64 id;
	char *expert_path;
	const JobContext *ctx;

	/* Results, valid once done. */
	OutcomeKind outcome;
	char *detail;
	gint32 return_value;        /* for OUTCOME_COMPLETED */
	int signal;                 /* for deaths by signal, else 0 */
	int exit_status;            /* for exits, else -1 */
	gboolean has_info;
	char *name, *vendor, *description;
	guint32 version, flags;
	GPtrArray *events;          /* of JobEvent* */
	guint events_submitted;
	int status_state, status_percent;
	char *status_text;
	guint status_messages;
	guint faults[3];            /* by WireMemoryFault */
	guint64 frames_read;
	guint64 peak_pool_bytes;    /* kernel: pages of the region backed at exit */
	guint64 pool_quota_bytes;
	gint64 start_usec, end_usec;
	guint64 cpu_usec;
	guint64 max_rss_kib;
	JobViolation *violation;
	FaultClaim *fault;          /* what the child said of its fault, or NULL: a claim */
	GPtrArray *outputs;         /* of JobOutput* */
	guint filter_requests;

	/* Private state. */
	struct JobPrivate *priv;
};

/* Starts the job; done is called exactly once, from the main loop (also when
 * the job could not start, with OUTCOME_NOT_STARTED). */
/* config: the expert's settings as key, value, key, value, ..., NULL. */
Job *job_start(guint64 id, const char *expert_path, const char *const *config,
               const JobContext *ctx, JobDoneFunc done, gpointer user_data);

/* Called by the runner for the zygote's EXITED report of this job. */
void job_reaped(Job *job, const ZygoteReply *reply);

void job_free(Job *job);

#endif /* EXPERT_EXEC_JOB_H */
