/* runner.h — one `expert-exec run`: load the capture once, load and
 * compile each profile once however many experts use it, run every expert
 * in its own job under its own profile (up to `jobs` at a time), and keep
 * every result (results/run-result.h). */
#ifndef EXPERT_EXEC_RUNNER_H
#define EXPERT_EXEC_RUNNER_H

#include "jobs/job.h"
#include "jobs/zygote.h"
#include "profiles/profile-map.h"
#include "results/run-result.h"

#include <glib.h>

typedef struct {
	const char *capture_path;  /* NULL: an empty capture (for `list`) */
	gboolean copy_capture;     /* its frames copied even where they could stay in the file */
	const char *profile;       /* name or path: every expert's, unless choices says */
	ProfileChoice *const *choices; /* n_experts of them: each expert's profile and why; or NULL */
	const char *const *experts;
	guint n_experts;
	guint jobs;                /* at most this many children at once */
	guint prefork;             /* children kept set up ahead of their jobs (jobs/prefork.h) */
	guint64 pool_budget;
	gboolean drop_privileges;
	guint32 uid, gid;            /* one identity for every job (--user) ... */
	gboolean uid_per_job;        /* ... or one uid and gid per running job */
	JobSyscallObserver observe;  /* see job.h; NULL for an ordinary run */
	gpointer observe_data;
	GPtrArray *configs;          /* of char** (key, value, ..., NULL), one per expert; or NULL */
	const char *frame_filter;    /* --filter: a libpcap expression, or NULL */
	guint64 selected_frame;      /* --select */
	const char *output_dir;      /* --output-dir, or NULL: experts get no output files */
	gboolean reuse_output_folders; /* stress: a job's folder name is free again once it ends */
	gboolean register_only;      /* `expert-exec list` */
	const InjectSpec *inject;    /* run --inject: the fault injected into every job, or NULL */
	gboolean watch_output_writes; /* filters hand the executor output writes (write@N) */
	JobStatusFunc on_status;     /* progress display, or NULL */
	gpointer on_status_data;
	JobDoneFunc on_job_done;     /* each job once it ended and its outputs are settled,
	                              * before the next starts in its place (a batch's
	                              * results file); or NULL */
	gpointer on_job_done_data;
	const char *const *output_folders; /* each expert's folder under output_dir, or NULL:
	                                    * named by the order of the experts (output-folders.h) */
} RunnerOptions;

/* seccomp limits which syscalls run, not with whose powers: when the
 * executor is root, children drop to an unprivileged identity. With user
 * NULL, every running child gets a uid of its own (uid-pool.h), so the kernel
 * keeps jobs apart; with a user name, all take that user's. Fails for an
 * unknown user or root itself. */
gboolean runner_set_identity(RunnerOptions *options, const char *user, GError **error);

/* Loads the profiles (and compiles their filters), the capture and the
 * output directory of options and fills result->ctx and ->assignments,
 * without running anything: for callers that schedule jobs themselves
 * (stress), or show what will run first (run). */
RunResult *runner_prepare(Zygote *zygote, const RunnerOptions *options, GError **error);

/* Runs every expert of a prepared result, with the options it was prepared
 * with. */
void runner_run_prepared(RunResult *result, const RunnerOptions *options);

/* Both. Errors are about the run as a whole (capture, profile, filter); a
 * job's failure is its outcome. */
RunResult *runner_run(Zygote *zygote, const RunnerOptions *options, GError **error);
void run_result_free(RunResult *result);
/* TRUE if every job completed, returned 0 and kept every output it closed
 * (`run` exits 0). */
gboolean run_result_all_completed(const RunResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RunResult, run_result_free)

#endif /* EXPERT_EXEC_RUNNER_H */
