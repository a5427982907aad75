/* job-internal.h — the state of a job shared by the files that run it:
 * job.c (life, channel, outcome), job-seccomp.c (the seccomp listener) and
 * job-requests.c (what a child may ask the executor for). Not for other
 * modules: they see job.h. */
#ifndef EXPERT_EXEC_JOB_INTERNAL_H
#define EXPERT_EXEC_JOB_INTERNAL_H

#include "jobs/job.h"
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
	gboolean reaped, killed;
	gboolean killed_for_close;  /* the kill was for an early close (see on_close_grace) */
	gboolean has_uid;          /* took uid from the context's pool */
	guint32 uid;
};

/* A received string, copied and NUL-terminated. */
char *job_wire_strdup(WireString s);
/* Ends the child for one of the executor's own reasons; the first stands. */
void job_kill(Job *job, KillReason reason, char *detail);
void job_protocol_violation(Job *job, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* job-seccomp.c */
void job_seccomp_init(void);
gboolean job_on_listener(int fd, GIOCondition cond, gpointer data);

/* job-requests.c: frame filters and output captures */
void job_on_filter_request(Job *job, const WireMessage *msg);
void job_on_output_open(Job *job, const WireMessage *msg);
void job_on_output_close(Job *job, const WireMessage *msg);
/* Keeps the complete outputs, removes the rest; closes their descriptors. */
void job_settle_outputs(Job *job);
void job_output_free(gpointer output);

#endif /* EXPERT_EXEC_JOB_INTERNAL_H */
