/* job-context.h — what all jobs of a run share (the capture, pool, zygote
 * and options; each job's profile and filter are its own, in
 * results/run-profile.h), and the callbacks a job makes. Types
 * only, so that the files of a job's life can read them without including
 * job.h, whose functions they are below. */
#ifndef EXPERT_EXEC_JOB_CONTEXT_H
#define EXPERT_EXEC_JOB_CONTEXT_H

#include "captures/capture.h"
#include "inject/inject-plan.h"
#include "jobs/output-folders.h"
#include "jobs/pool.h"
#include "jobs/prefork.h"
#include "jobs/uid-pool.h"
#include "objects/object-plan.h"
#include "results/job-result.h"

#include <glib.h>
#include <sys/types.h>

/* Told when a job starts, reports status, and ends (for progress display). */
typedef void (*JobStatusFunc)(const Job *job, gpointer user_data);

/* A call the filter handed to the executor, while the child is stopped in
 * it. text is the call as reports show it, strings read from the child at
 * the time of the call where the executor may read them
 * (violations/violation.h). */
typedef struct {
	int nr;
	guint64 args[6];
	const char *text;
} JobCall;

/* Learning a profile: a call the profile would refuse with notify is shown
 * to the observer, which answers 0 to let it through or an errno to fail it
 * with (a trial refusal; see learn/learn.c). */
typedef int (*JobSyscallObserver)(const JobCall *call, gpointer user_data);

/* What all jobs of a run share; owned by the runner. */
typedef struct JobContext {
	const Capture *capture;
	Pool *pool;
	Prefork *prefork;           /* where each job's child comes from */
	gboolean drop_privileges;   /* the executor is root: children take uid/gid */
	UidPool *uid_pool;          /* or NULL: every child takes the one uid of --user */
	const ObjectSearch *objects; /* where an object's needed libraries are found */
	ObjectPlanCache *plans;      /* ... and each object's, once per run */
	guint landlock_abi;          /* children restrict themselves with it; 0: no Landlock */
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
	const InjectSpec *inject;    /* a fault to inject into every job, or NULL; a sweep
	                              * (CLASS@all) injects nothing and counts: a clean run */
	JobStatusFunc on_status;     /* or NULL */
	gpointer on_status_data;
} JobContext;

typedef void (*JobDoneFunc)(Job *job, gpointer user_data);

#endif /* EXPERT_EXEC_JOB_CONTEXT_H */
