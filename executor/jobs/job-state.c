/* job-state.c — ending a child for the executor's own reasons, and the
 * small helpers every file of a job's life uses (see job-state.h). */
#include "jobs/job-state.h"

#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

char *job_wire_strdup(WireString s)
{
	return g_strndup(s.ptr, s.len);
}

void job_clear_source(guint *id)
{
	if (*id) {
		g_source_remove(*id);
		*id = 0;
	}
}

void job_clear_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

/* Ends the child for one of the executor's own reasons. The first reason
 * stands; the outcome waits for the zygote's report of the death. */
void job_kill(Job *job, KillReason reason, char *detail)
{
	struct JobPrivate *p = job->priv;
	if (p->killed) {
		g_free(detail);
		return;
	}
	p->killed = TRUE;
	p->facts.kill_reason = reason;
	p->kill_detail = detail;
	/* Already reaped: what it left on the channel is being read post
	 * mortem. What that breaks still decides the outcome (a child must not
	 * escape a protocol violation by exiting before the executor reads),
	 * but there is no one left to kill. */
	if (p->reaped)
		return;
	if (syscall(SYS_pidfd_send_signal, p->pidfd, SIGKILL, NULL, 0) < 0) {
		/* ENOSYS only where pidfd_send_signal is unknown (valgrind); then
		 * the pid, which cannot have been reused: the zygote has not yet
		 * reported this child reaped. */
		if (errno == ENOSYS && kill(p->pid, SIGKILL) == 0)
			return;
		if (errno != ESRCH)
			g_warning("cannot kill the child of job %" G_GUINT64_FORMAT ": %s", job->id,
			          g_strerror(errno));
	}
	/* Nothing it says from now on matters. */
	job_clear_source(&p->channel_watch);
	job_clear_source(&p->listener_watch);
	job_clear_source(&p->wall_timer);
	job_clear_source(&p->grace_timer);
}

void job_protocol_violation(Job *job, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *detail = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	job_kill(job, KILL_REASON_PROTOCOL, detail);
}
