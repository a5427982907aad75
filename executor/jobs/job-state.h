/* job-state.h — a job's private state, shared by the files that run it, and
 * how the executor ends a child for its own reasons. Below every other file
 * of a job's life, which include it; it includes none of them:
 *
 *   job.c           starting a job, and deciding and settling its end
 *   job-channel.c   the channel: each message checked against the phase
 *   job-seccomp.c   the seccomp listener: the calls the filter hands over
 *   job-signals.c   the signals a child sends, seen in the seccomp listener
 *   job-filters.c   frame filters a running child asks for, compiled off the loop
 *   job-outputs.c   output captures: a folder per job, created, closed, settled
 *   job-inject.c    a fault injected: the plan sent, the faults the executor makes
 *   job-state.c     this header's functions: killing, limits, CPU accounting
 *
 * Not for other modules: they see job.h, and the Job's results. */
#ifndef EXPERT_EXEC_JOB_STATE_H
#define EXPERT_EXEC_JOB_STATE_H

#include "jobs/job-context.h"
#include "violations/code-location.h"
#include "wire.h"

#include <gio/gio.h>
#include <sys/types.h>

typedef enum {
	PHASE_STARTED,     /* forked; waiting for HELLO */
	PHASE_LOADING,     /* filter installed; the loader is at work */
	PHASE_LOADED,      /* object loaded; register/configure/run */
	PHASE_REGISTERED,
	PHASE_FINISHED,    /* FINISHED or LOAD_FAILED received: nothing more may come */
} Phase;

typedef struct FilterCompile FilterCompile;

struct JobPrivate {
	JobDoneFunc done;
	gpointer done_data;
	PoolRegion *region;
	int channel_fd, listener_fd, pidfd;
	pid_t pid;
	guint64 child_id;          /* the zygote's name for the child (jobs/prefork.h) */
	ZygoteReply early_exit;    /* a child that died before its job came: how */
	guint channel_watch, listener_watch, wall_timer, grace_timer, idle;
	Phase phase;
	OutcomeFacts facts;
	char *kill_detail;
	char *load_error;
	char *wx_needs;            /* what in the object asks for W+X memory (objects/), or NULL */
	char *plan_error;          /* why its needed libraries could not be found, or NULL */
	GPtrArray *lib_paths;      /* the libraries passed, in the child's descriptor order */
	gboolean reaped, killed;
	gboolean killed_for_close;  /* the kill was for an early close (see job-channel.c) */
	gboolean has_uid;          /* took uid from the context's pool */
	guint32 uid;

	/* The executor's CPU for this job, from the kernel (job_cpu_enter). */
	gint64 cpu_mark_ns;
	guint cpu_depth;
	/* Notifications: the token bucket of notifications-per-second. */
	double notify_tokens;
	gint64 notify_refill_usec;
	/* Signals it sent (job-signals.c): bit n for signal n, sent to itself
	 * or possibly to itself; the call that sent each; a sigevent armed. */
	gint64 own_pid;            /* its pid as it sees itself; 0 until needed */
	guint64 raised_self, raised_maybe;
	const char *raised_call[65];
	const char *sigevent_call;
	/* Allocations it reported refused (a claim, judged by outcome.c). */
	guint64 refused_largest;   /* the largest within the quota */
	guint refused_beyond_quota;
	FilterCompile *filter;     /* the compile in flight, or NULL (job-filters.c) */
	/* Reads everything queued on the channel (job_channel_read): the
	 * listener needs it, and the channel starts the listener, so a pointer
	 * rather than a circle of includes. */
	void (*drain_channel)(Job *job);
	int output_folder_fd;      /* its folder under --output-dir, once opened, or -1 */
	gboolean output_folder_made; /* ... and this job made it (removed again if left empty) */
	char *sent_by[65];         /* per signal: another job that sent it, "job 3 (x.so)" */
	/* The objects it loads, libraries in the order passed then the expert's
	 * (CodeObject: the files opened for it, the load addresses from LOADED),
	 * to name where a fault report points. */
	GArray *objects;
	gboolean objects_placed;   /* LOADED gave an address for each */
	/* Fault injection (job-inject.c). */
	gboolean calls_received;   /* CALLS came */
	gboolean writes_refused;   /* write@N: the outputs are full from now on */
};

/* The profile the job runs under. */
static inline const Profile *job_profile(const Job *job)
{
	return job->run_profile->profile;
}

/* A received string, copied and NUL-terminated. */
char *job_wire_strdup(WireString s);
/* Removes the main-loop source *id, if any, and zeroes it. */
void job_clear_source(guint *id);
/* Closes *fd, if open, and sets it to -1. */
void job_clear_fd(int *fd);
/* Ends the child for one of the executor's own reasons; the first stands. */
void job_kill(Job *job, KillReason reason, char *detail);
void job_protocol_violation(Job *job, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* A protocol violation for going past the profile's limit `which`
 * (PROFILE_LIMIT_*): "exceeded the profile's KEY limit of VALUE: what". */
void job_limit_exceeded(Job *job, guint which, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* The executor's CPU time spent on a job, from the kernel's accounting of
 * its own thread (CLOCK_THREAD_CPUTIME_ID): every callback that works for a
 * job enters before and leaves after; nested calls count once. */
void job_cpu_enter(Job *job);
void job_cpu_leave(Job *job);
/* CPU time of the calling thread, in ns, from the kernel. */
gint64 job_thread_cpu_ns(void);

#endif /* EXPERT_EXEC_JOB_STATE_H */
