/* job-context.h — what all jobs of a run share (the profile, filter,
 * capture, pool, zygote and options), and the callbacks a job makes. Types
 * only, so that the files of a job's life can read them without including
 * job.h, whose functions they are below. */
#ifndef EXPERT_EXEC_JOB_CONTEXT_H
#define EXPERT_EXEC_JOB_CONTEXT_H

#include "captures/capture.h"
#include "jobs/output-folders.h"
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
	OutputFolders *output_folders; /* each job's folder in it */
	GHashTable *jobs_by_pid;     /* pid -> Job*, of the running children: who signalled whom */
	gboolean register_only;      /* `expert-exec list`: register, then stop */
	JobStatusFunc on_status;     /* or NULL */
	gpointer on_status_data;
} JobContext;

typedef void (*JobDoneFunc)(Job *job, gpointer user_data);

#endif /* EXPERT_EXEC_JOB_CONTEXT_H */
