/* job-state.c — ending a child for the executor's own reasons, and the
 * small helpers every file of a job's life uses (see job-state.h). */
#include "jobs/job-state.h"

#include "jobs/zygote.h"

#include <errno.h>
#include <signal.h>
#include <time.h>
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
	if (zygote_child_kill(p->pidfd, p->pid) < 0) {
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

void job_limit_exceeded(Job *job, guint which, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_autofree char *value = profile_limit_describe(job_profile(job), profile_limits[which].key);
	job_kill(job, KILL_REASON_PROTOCOL,
	         g_strdup_printf("exceeded the profile's %s limit of %s: %s", profile_limits[which].key,
	                         value, what));
}

gint64 job_thread_cpu_ns(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) < 0)
		return 0;
	return (gint64)ts.tv_sec * G_GINT64_CONSTANT(1000000000) + ts.tv_nsec;
}

void job_cpu_enter(Job *job)
{
	struct JobPrivate *p = job->priv;
	if (p->cpu_depth++ == 0)
		p->cpu_mark_ns = job_thread_cpu_ns();
}

void job_cpu_leave(Job *job)
{
	struct JobPrivate *p = job->priv;
	g_return_if_fail(p->cpu_depth > 0);
	if (--p->cpu_depth == 0) {
		gint64 spent = job_thread_cpu_ns() - p->cpu_mark_ns;
		job->executor_cpu_usec += (guint64)MAX(spent, 0) / 1000;
	}
}
