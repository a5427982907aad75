/* job.h — one expert run in one child: start it, watch its channel, its
 * seccomp notifications and its clock, decide its outcome when it has been
 * reaped, and give back everything it held. What a job leaves behind, the
 * Job itself, is results/job-result.h. */
#ifndef EXPERT_EXEC_JOB_H
#define EXPERT_EXEC_JOB_H

#include "captures/capture.h"
#include "jobs/pool.h"
#include "jobs/uid-pool.h"
#include "jobs/zygote.h"
#include "profiles/filter.h"
#include "profiles/profile.h"
#include "results/job-result.h"

#include <glib.h>
#include <sys/types.h>

/* Told when a job starts, reports status, and ends (for progress display). */
typedef void (*JobStatusFunc)(const Job *job, gpointer user_data);

/* Learning a profile: a call the profile would refuse is shown to the
 * observer and let through instead (see learn/learn.c). */
typedef void (*JobSyscallObserver)(int nr, const guint64 args[6], gpointer user_data);

/* What all jobs of a run share; owned by the runner. */
typedef struct JobContext {
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

typedef void (*JobDoneFunc)(Job *job, gpointer user_data);

/* Starts the job; done is called exactly once, from the main loop (also when
 * the job could not start, with OUTCOME_NOT_STARTED). */
/* config: the expert's settings as key, value, key, value, ..., NULL. */
Job *job_start(guint64 id, const char *expert_path, const char *const *config,
               const JobContext *ctx, JobDoneFunc done, gpointer user_data);

/* Called by the runner for the zygote's EXITED report of this job. */
void job_reaped(Job *job, const ZygoteReply *reply);

void job_free(Job *job);

#endif /* EXPERT_EXEC_JOB_H */
