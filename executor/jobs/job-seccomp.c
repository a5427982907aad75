/* job-seccomp.c — a job's seccomp listener: the calls the filter hands to
 * the executor. During loading the dynamic loader's calls are let through;
 * afterwards each call is decided as the profile says, and a refused one is a
 * sandbox violation reported from the kernel's own data (syscall, arguments,
 * instruction pointer), never from anything the child wrote. */
#include "jobs/job-seccomp.h"

#include "profiles/filter.h"
#include "violations/syscall-args.h"
#include "violations/violation.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
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
	if (ioctl(p->listener_fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0)
		return G_SOURCE_CONTINUE; /* ENOENT: it died first; EINTR: again later */
	if ((pid_t)req->pid != p->pid) {
		/* Only our child's calls can arrive here; anything else is a bug to
		 * refuse, not to continue. */
		respond(job, req->id, -EPERM, FALSE);
		return G_SOURCE_CONTINUE;
	}

	const uint64_t *args = (const uint64_t *)req->data.args;
	if (p->phase <= PHASE_LOADING) {
		const char *wx = filter_wx_refusal(req->data.nr, args, TRUE);
		if (wx) {
			load_refused(job, req, wx);
			p->listener_watch = 0;
			return G_SOURCE_REMOVE;
		}
		if (filter_is_loader_call(req->data.nr, args)) {
			respond(job, req->id, 0, TRUE);
			return G_SOURCE_CONTINUE;
		}
	}
	FilterVerdict v;
	filter_decide(job_profile(job), req->data.nr, args, &v);
	switch (v.action.kind) {
	case PROFILE_ACTION_ALLOW:
	case PROFILE_ACTION_LOG:
		respond(job, req->id, 0, TRUE);
		break;
	case PROFILE_ACTION_ERRNO:
		respond(job, req->id, -v.action.errno_value, FALSE);
		break;
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
			respond(job, req->id, err ? -err : 0, err == 0);
			break;
		}
		violation(job, req, &v);
		p->listener_watch = 0;
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}
