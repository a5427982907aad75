/* run-result.h — what one run leaves behind: the capture and the profiles
 * it ran with (which expert under which, and why), every job's result in
 * the order the experts were given, and the executor's own resources
 * before and after. reports/ print it; jobs/runner.c
 * fills it, and frees it with run_result_free() (jobs/runner.h). */
#ifndef EXPERT_EXEC_RUN_RESULT_H
#define EXPERT_EXEC_RUN_RESULT_H

#include "captures/capture.h"
#include "kernel/isolation.h"
#include "results/job-result.h"
#include "results/run-profile.h"

#include <glib.h>

/* What the executor itself holds, read from the kernel (jobs/resources.h),
 * so a run can show that crashes cost nothing. */
typedef struct {
	guint64 cpu_usec;         /* the executor's own CPU so far (getrusage RUSAGE_SELF) */
	guint open_fds;           /* entries of /proc/self/fd */
	guint64 rss_bytes;        /* /proc/self/statm resident */
	guint pool_regions;
	guint64 pool_bytes;
} ResourceSnapshot;

/* Children forked ahead of their jobs (jobs/prefork.h). */
typedef struct {
	guint size;               /* kept ready at most */
	guint64 forked;           /* asked of the zygote */
	guint64 taken_ready;      /* jobs whose child had been forked before they started */
	double fork_ms_mean;      /* each fork, as the zygote timed it (namespace and init included) */
} PreforkFigures;

typedef struct {
	Capture *capture;
	Capture *cut_capture;        /* eof@N: what every child maps instead (jobs/job-inject.h) */
	GPtrArray *profiles;       /* of RunProfile*, each once, in order of first use */
	GPtrArray *assignments;    /* of RunAssignment*, one per expert, in the order given */
	GPtrArray *jobs;           /* of Job*, in the order the experts were given */
	ResourceSnapshot before, after;
	gint64 start_usec, duration_usec;
	Isolation isolation;       /* the layers around every job of the run */
	PreforkFigures prefork_figures;

	/* The runner's own, for the jobs it starts (jobs/); reports read none
	 * of it. */
	struct Pool *pool;
	GBytes *frame_filter;      /* --filter compiled */
	int output_dir_fd;
	char *capture_name;
	struct JobContext *ctx;    /* what every job of the run shares; points into the above */
	struct Prefork *prefork;
	struct UidPool *uid_pool;
	struct ObjectSearch *objects;
	struct ObjectPlanCache *plans;
	struct OutputFolders *output_folders;
	GHashTable *jobs_by_pid;
} RunResult;

#endif /* EXPERT_EXEC_RUN_RESULT_H */
