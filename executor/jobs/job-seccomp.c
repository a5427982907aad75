/* job-seccomp.c — a job's seccomp listener: the calls the filter hands to
 * the executor. During loading the dynamic loader's calls are let through;
 * afterwards each call is decided as the profile says, and a refused one is a
 * sandbox violation reported from the kernel's own data (syscall, arguments,
 * instruction pointer), never from anything the child wrote. */
#include "jobs/job-seccomp.h"

#include "jobs/job-inject.h"
#include "jobs/job-signals.h"
#include "profiles/filter.h"
#include "violations/syscall-args.h"
#include "violations/violation.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static gsize notif_size, notif_resp_size;

void job_seccomp_init(void)
{
	if (notif_size)
		return;
	/* The kernel's structs may be larger than our headers' (newer kernel);
	 * RECV writes the kernel's size, so buffers must be at least that. */
	struct seccomp_notif_sizes sizes = { 0 };
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) == 0) {
		notif_size = MAX(sizes.seccomp_notif, sizeof(struct seccomp_notif));
		notif_resp_size = MAX(sizes.seccomp_notif_resp, sizeof(struct seccomp_notif_resp));
	} else {
		notif_size = sizeof(struct seccomp_notif);
		notif_resp_size = sizeof(struct seccomp_notif_resp);
	}
}

static void respond(Job *job, guint64 id, int error, gboolean cont)
{
	g_autofree struct seccomp_notif_resp *resp = g_malloc0(notif_resp_size);
	resp->id = id;
	resp->error = error;
	resp->flags = cont ? SECCOMP_USER_NOTIF_FLAG_CONTINUE : 0;
	/* ENOENT: the child died meanwhile; nothing to answer. */
	if (ioctl(job->priv->listener_fd, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && errno != ENOENT)
		g_debug("job %" G_GUINT64_FORMAT ": NOTIF_SEND: %s", job->id, g_strerror(errno));
}

static void violation(Job *job, const struct seccomp_notif *req, const FilterVerdict *v)
{
	JobViolation *viol = violation_describe(job_profile(job), v, req, job->priv->listener_fd);
	job->violation = viol;
	char *detail = g_strdup_printf("%s forbidden by %s%s", viol->call, viol->rule,
	                               viol->strings_read ? " (strings as read at the time of the call)" : "");
	job_kill(job, KILL_REASON_VIOLATION, detail);
}

/* W^X during loading: the object is refused, whoever asked (the loader for
 * an object that needs it, or a constructor). The executor says what the
 * call was and, where the object's headers explain it, why. */
static void load_refused(Job *job, const struct seccomp_notif *req, const char *why)
{
	const uint64_t *args = (const uint64_t *)req->data.args;
	g_autofree char *call = syscall_args_describe((int)req->data.nr, args);
	const char *needs = job->priv->wx_needs;
	/* Not answered: the child stays stopped in the call until it dies. */
	job_kill(job, KILL_REASON_LOAD_REFUSED,
	         g_strdup_printf("refused while loading: %s asks for %s, which W^X forbids%s%s", call,
	                         why, needs ? "; " : "", needs ? needs : ""));
}

/* Each notification costs the executor more CPU than the child (two
 * ioctls, a decision, a reply, against one blocked syscall), so a child
 * could buy the executor's time with them: they are counted, in all and
 * per second (a token bucket holding one second's worth). */
static gboolean notification_allowed(Job *job)
{
	struct JobPrivate *p = job->priv;
	const Profile *profile = job_profile(job);
	if (++job->notifications > profile->max_notifications) {
		job_limit_exceeded(job, PROFILE_LIMIT_NOTIFICATIONS,
		                   "made more than %u syscalls the executor had to decide",
		                   profile->max_notifications);
		return FALSE;
	}
	gint64 now = g_get_monotonic_time();
	double rate = profile->max_notify_rate;
	if (!p->notify_refill_usec)
		p->notify_tokens = rate;
	else
		p->notify_tokens = MIN(rate, p->notify_tokens +
		                             rate * (double)(now - p->notify_refill_usec) / 1e6);
	p->notify_refill_usec = now;
	if (p->notify_tokens < 1.0) {
		job_limit_exceeded(job, PROFILE_LIMIT_NOTIFY_RATE,
		                   "made syscalls the executor had to decide faster than %u a second",
		                   profile->max_notify_rate);
		return FALSE;
	}
	p->notify_tokens -= 1.0;
	return TRUE;
}

/* Decides one notification; FALSE once the job is being ended. */
static gboolean decide(Job *job, const struct seccomp_notif *req)
{
	struct JobPrivate *p = job->priv;
	if ((pid_t)req->pid != p->pid) {
		/* Only our child's calls can arrive here; anything else is a bug to
		 * refuse, not to continue. */
		respond(job, req->id, -EPERM, FALSE);
		return TRUE;
	}
	/* A write the filter handed over only because a fault is injected
	 * (filter-prefix.h): the executor's choice, so not counted against
	 * the job's notifications; the wall-time limit still bounds them. */
	switch (job_inject_write(job, req)) {
	case JOB_INJECT_WRITE_CONTINUE:
		respond(job, req->id, 0, TRUE);
		return TRUE;
	case JOB_INJECT_WRITE_ENOSPC:
		respond(job, req->id, -ENOSPC, FALSE);
		return TRUE;
	case JOB_INJECT_WRITE_NOT_MINE:
		break;
	}
	if (!notification_allowed(job))
		return FALSE;

	const uint64_t *args = (const uint64_t *)req->data.args;
	if (p->phase <= PHASE_LOADING) {
		job->loader_round_trips++;
		const char *wx = filter_wx_refusal(req->data.nr, args, TRUE);
		if (wx) {
			load_refused(job, req, wx);
			return FALSE;
		}
		if (filter_is_loader_call(req->data.nr, args)) {
			respond(job, req->id, 0, TRUE);
			return TRUE;
		}
	}
	FilterVerdict v;
	filter_decide(job_profile(job), req->data.nr, args, &v);
	switch (v.action.kind) {
	case PROFILE_ACTION_ALLOW:
	case PROFILE_ACTION_LOG: {
		/* A signal the profile lets it send: recorded first, so that its
		 * death by that signal is known to be its own doing. */
		const SignalCall *sc = signal_call_find(req->data.nr, (const guint64 *)args);
		if (sc && !job_note_signal(job, sc, (const guint64 *)args))
			return FALSE;
		respond(job, req->id, 0, TRUE);
		return TRUE;
	}
	case PROFILE_ACTION_ERRNO:
		respond(job, req->id, -v.action.errno_value, FALSE);
		return TRUE;
	default:
		/* Learning lets through only what the profile would report: kill
		 * and trap verdicts the executor applies itself stay refusals. */
		if (job->ctx->observe && v.action.kind == PROFILE_ACTION_NOTIFY) {
			gboolean strings_read;
			g_autofree char *text = violation_call_text(req, p->listener_fd, &strings_read);
			JobCall call = { .nr = req->data.nr, .text = text };
			memcpy(call.args, req->data.args, sizeof(call.args));
			/* The observer may try a refusal: the learning run then goes on
			 * as the call failing would make it. */
			int err = job->ctx->observe(&call, job->ctx->observe_data);
			/* A signal let through is recorded as under an allow rule. */
			const SignalCall *sc = err ? NULL : signal_call_find(req->data.nr, (const guint64 *)args);
			if (sc && !job_note_signal(job, sc, (const guint64 *)args))
				return FALSE;
			respond(job, req->id, err ? -err : 0, err == 0);
			return TRUE;
		}
		violation(job, req, &v);
		return FALSE;
	}
}

/* A process's hard RLIMIT_NOFILE: prlimit, which needs its ids or
 * CAP_SYS_RESOURCE (root without it: a per-job uid), else /proc/PID/limits,
 * which anyone may read. FALSE if the process is gone. */
static gboolean nofile_hard(pid_t pid, guint64 *hard)
{
	struct rlimit rl;
	if (prlimit(pid, RLIMIT_NOFILE, NULL, &rl) == 0) {
		*hard = rl.rlim_max;
		return TRUE;
	}
	if (errno != EPERM)
		return FALSE;
	char path[64];
	g_snprintf(path, sizeof(path), "/proc/%d/limits", (int)pid);
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return FALSE;
	const char *line = strstr(text, "\nMax open files");
	char soft[32], max[32];
	if (!line || sscanf(line, "\nMax open files %31s %31s", soft, max) != 2)
		return FALSE;
	*hard = g_str_equal(max, "unlimited") ? G_MAXUINT64 : g_ascii_strtoull(max, NULL, 10);
	return TRUE;
}

gboolean job_loading_over(Job *job)
{
	struct JobPrivate *p = job->priv;
	guint limit = job_profile(job)->max_fds;
	guint64 hard;
	if (!nofile_hard(p->pid, &hard))
		return TRUE; /* gone: nothing of it can use the rules any more */
	/* The pid is the child's only while it has not exited. */
	struct pollfd pfd = { p->pidfd, POLLIN, 0 };
	if (poll(&pfd, 1, 0) == 1)
		return TRUE;
	if (hard > limit) {
		job_protocol_violation(job, "said LOADED with its descriptor limit still %llu, above "
		                       "the profile's %u: the loader's descriptor, whose calls the "
		                       "filter lets through, could still be made",
		                       (unsigned long long)hard, limit);
		return FALSE;
	}
	return TRUE;
}

gboolean job_on_listener(int fd, GIOCondition cond, gpointer data)
{
	Job *job = data;
	struct JobPrivate *p = job->priv;
	(void)fd;
	if (!(cond & G_IO_IN)) {
		p->listener_watch = 0;
		return G_SOURCE_REMOVE; /* the filter is gone with the child */
	}
	g_autofree struct seccomp_notif *req = g_malloc0(notif_size);
	job_cpu_enter(job);
	gboolean more = TRUE;
	/* ENOENT: it died first; EINTR: again later. */
	if (ioctl(p->listener_fd, SECCOMP_IOCTL_NOTIF_RECV, req) == 0)
		more = decide(job, req);
	job_cpu_leave(job);
	if (!more)
		p->listener_watch = 0;
	return more ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}
