/* job-state.h — a job's private state, shared by the files that run it, and
 * how the executor ends a child for its own reasons. Below every other file
 * of a job's life, which include it; it includes none of them:
 *
 *   job.c           starting a job, and deciding and settling its end
 *   job-channel.c   the channel: each message checked against the phase
 *   job-seccomp.c   the seccomp listener: the calls the filter hands over
 *   job-requests.c  what a running child may ask for: filters, outputs
 *   job-state.c     this header's functions
 *
 * Not for other modules: they see job.h, and the Job's results. */
#ifndef EXPERT_EXEC_JOB_STATE_H
#define EXPERT_EXEC_JOB_STATE_H

#include "jobs/job-context.h"
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

struct JobPrivate {
	JobDoneFunc done;
	gpointer done_data;
	PoolRegion *region;
	int channel_fd, listener_fd, pidfd;
	pid_t pid;
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

#endif /* EXPERT_EXEC_JOB_STATE_H */
