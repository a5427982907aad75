/* job.c — one expert run (see job.h).
 *
 * Everything a child says is checked against the phase it is in; anything
 * out of place is a protocol violation and ends the child. The executor never
 * blocks on it: the channel and the seccomp listener are non-blocking and
 * read in bounded batches from the main loop. The outcome is decided only
 * after the zygote has reaped the child, from the wait status and the
 * executor's own records. */
#include "job.h"
#include "job-internal.h"

#include "channel.h"
#include "expert.h"
#include "wire.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Messages handled per wake-up, so one chatty child cannot starve others. */
#define BATCH_MAX 64
/* Status messages one run may send; far above an honest expert's ~100. */
#define STATUS_MAX 10000
/* Memory-fault reports: the runtime sends at most 32 of each kind. */
#define FAULTS_MAX (3 * 32)
/* After the channel closes, how long the child has to exit before the close
 * is taken as a protocol violation rather than part of dying. */
#define CLOSE_GRACE_MS 50

static void job_event_free(gpointer p)
{
	JobEvent *e = p;
	for (guint i = 0; i < e->details->len; i++) {
		JobDetail *d = &g_array_index(e->details, JobDetail, i);
		g_free(d->key);
		g_free(d->value);
	}
	g_array_unref(e->details);
	g_free(e->text);
	g_free(e);
}

char *job_wire_strdup(WireString s)
{
	return g_strndup(s.ptr, s.len);
}

static void remove_source(guint *id)
{
	if (*id) {
		g_source_remove(*id);
		*id = 0;
	}
}

static void close_fd(int *fd)
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
	remove_source(&p->channel_watch);
	remove_source(&p->listener_watch);
	remove_source(&p->wall_timer);
	remove_source(&p->grace_timer);
}

void job_protocol_violation(Job *job, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *detail = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	job_kill(job, KILL_REASON_PROTOCOL, detail);
}

/* ---- channel messages --------------------------------------------------- */

static gboolean is_seccomp_listener(int fd)
{
	char link[64], target[64];
	g_snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return FALSE;
	target[n] = '\0';
	return strcmp(target, "anon_inode:seccomp notify") == 0;
}

static void on_hello(Job *job, const WireMessage *msg, int passed_fd)
{
	struct JobPrivate *p = job->priv;
	if (passed_fd < 0 || !is_seccomp_listener(passed_fd)) {
		close_fd(&passed_fd);
		job_protocol_violation(job, "HELLO did not carry the seccomp listener");
		return;
	}
	if (msg->u.hello.api_version != EXPERT_API_VERSION) {
		close(passed_fd);
		job_protocol_violation(job, "runtime speaks API version %u, the executor %u",
		                   msg->u.hello.api_version, EXPERT_API_VERSION);
		return;
	}
	p->listener_fd = passed_fd;
	p->phase = PHASE_LOADING;
	p->listener_watch = g_unix_fd_add(passed_fd, G_IO_IN | G_IO_HUP | G_IO_ERR, job_on_listener, job);
}

static void on_event(Job *job, const WireMessage *msg)
{
	if (++job->events_submitted > job->ctx->profile->max_events) {
		job_protocol_violation(job, "submitted more than the profile's %u events",
		                   job->ctx->profile->max_events);
		return;
	}
	JobEvent *e = g_new0(JobEvent, 1);
	e->severity = msg->u.event.severity;
	e->text = job_wire_strdup(msg->u.event.text);
	e->details = g_array_sized_new(FALSE, FALSE, sizeof(JobDetail), msg->u.event.n_details);
	for (guint i = 0; i < msg->u.event.n_details; i++) {
		JobDetail d = { job_wire_strdup(msg->u.event.details[i].key),
		                job_wire_strdup(msg->u.event.details[i].value) };
		g_array_append_val(e->details, d);
	}
	g_ptr_array_add(job->events, e);
}

/* The loader names the object by the descriptor path the child opened it
 * through; people know it by its file name. */
static char *describe_load_error(const Job *job, WireString reason)
{
	g_autofree char *text = job_wire_strdup(reason);
	char prefix[32];
	g_snprintf(prefix, sizeof(prefix), "/proc/self/fd/%d", CHILD_FD_EXPERT);
	if (g_str_has_prefix(text, prefix)) {
		g_autofree char *base = g_path_get_basename(job->expert_path);
		return g_strconcat(base, text + strlen(prefix), NULL);
	}
	return g_steal_pointer(&text);
}

static void handle_message(Job *job, const WireMessage *msg, int passed_fd)
{
	struct JobPrivate *p = job->priv;
	WireType t = msg->type;

	if (passed_fd >= 0 && t != WIRE_HELLO) {
		close(passed_fd);
		job_protocol_violation(job, "passed a descriptor with a %s message", wire_type_name(t));
		return;
	}
	/* The runtime's fault handler sends FAULT as the child's last word. */
	if (job->fault) {
		job_protocol_violation(job, "sent %s after its fault report", wire_type_name(t));
		return;
	}
	/* A crash may follow any message, even a final one, forged or not. */
	if (t == WIRE_FAULT && p->phase != PHASE_STARTED) {
		job->fault = fault_claim_new(msg);
		return;
	}
	if (p->phase == PHASE_FINISHED) {
		job_protocol_violation(job, "sent %s after its final message", wire_type_name(t));
		return;
	}
	switch (t) {
	case WIRE_HELLO:
		if (p->phase != PHASE_STARTED) {
			close_fd(&passed_fd);
			job_protocol_violation(job, "sent a second HELLO");
			return;
		}
		on_hello(job, msg, passed_fd);
		return;
	case WIRE_LOAD_FAILED:
		if (p->phase > PHASE_LOADING)
			break;
		p->load_error = describe_load_error(job, msg->u.load_failed.reason);
		p->facts.load_failed = TRUE;
		p->phase = PHASE_FINISHED;
		return;
	case WIRE_LOADED:
		if (p->phase != PHASE_LOADING)
			break;
		p->phase = PHASE_LOADED;
		return;
	case WIRE_REGISTERED:
		if (p->phase != PHASE_LOADED)
			break;
		job->has_info = TRUE;
		job->name = job_wire_strdup(msg->u.registered.name);
		job->vendor = job_wire_strdup(msg->u.registered.vendor);
		job->description = job_wire_strdup(msg->u.registered.description);
		job->version = msg->u.registered.version;
		job->flags = msg->u.registered.flags;
		p->phase = PHASE_REGISTERED;
		return;
	case WIRE_STATUS:
		if (p->phase != PHASE_REGISTERED)
			break;
		if (++job->status_messages > STATUS_MAX) {
			job_protocol_violation(job, "flooded the channel with more than %d status messages",
			                   STATUS_MAX);
			return;
		}
		job->status_state = msg->u.status.state;
		job->status_percent = msg->u.status.percent;
		g_free(job->status_text);
		job->status_text = job_wire_strdup(msg->u.status.text);
		if (job->ctx->on_status)
			job->ctx->on_status(job, job->ctx->on_status_data);
		return;
	case WIRE_EVENT:
		if (p->phase != PHASE_REGISTERED)
			break;
		on_event(job, msg);
		return;
	case WIRE_MEMORY_FAULT:
		if (p->phase < PHASE_LOADED)
			break;
		if (job->faults[0] + job->faults[1] + job->faults[2] >= FAULTS_MAX) {
			job_protocol_violation(job, "flooded the channel with memory-fault reports");
			return;
		}
		job->faults[msg->u.memory_fault.kind]++;
		return;
	case WIRE_FINISHED:
		if (p->phase != PHASE_REGISTERED)
			break;
		p->facts.finished = TRUE;
		p->facts.finished_stage = msg->u.finished.stage;
		p->facts.finished_result = msg->u.finished.result;
		job->frames_read = msg->u.finished.frames_read;
		p->phase = PHASE_FINISHED;
		return;
	case WIRE_FILTER_REQUEST:
		if (p->phase != PHASE_REGISTERED)
			break;
		job_on_filter_request(job, msg);
		return;
	case WIRE_OUTPUT_OPEN:
		if (p->phase != PHASE_REGISTERED)
			break;
		job_on_output_open(job, msg);
		return;
	case WIRE_OUTPUT_CLOSE:
		if (p->phase != PHASE_REGISTERED)
			break;
		job_on_output_close(job, msg);
		return;
	default:
		break;
	}
	static const char *const phase_names[] = {
		"before HELLO", "while loading", "after loading", "while running", "after finishing",
	};
	job_protocol_violation(job, "sent %s %s", wire_type_name(t), phase_names[p->phase]);
}

/* A pidfd is readable once its process has exited. */
static gboolean child_exited(const Job *job)
{
	struct pollfd pfd = { job->priv->pidfd, POLLIN, 0 };
	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN);
}

static gboolean on_close_grace(gpointer data)
{
	Job *job = data;
	job->priv->grace_timer = 0;
	/* Dying closes the channel a moment before the zygote can reap; a child
	 * that has exited is waiting for that, and its wait status will say how
	 * it ended. Only one still alive closed its channel on purpose. */
	if (!child_exited(job)) {
		job_protocol_violation(job, "closed its channel before finishing");
		/* If it was dying all along, just slowly (a loaded machine), the
		 * wait status will show a death other than our SIGKILL. */
		job->priv->killed_for_close = TRUE;
	}
	return G_SOURCE_REMOVE;
}

/* Reads up to max messages; returns FALSE when the channel is done with. */
static gboolean read_channel(Job *job, guint max)
{
	struct JobPrivate *p = job->priv;
	guint8 buf[WIRE_MAX_MESSAGE];
	for (guint i = 0; i < max && !p->killed; i++) {
		gsize len;
		int passed;
		gboolean extra;
		ChannelResult r = channel_receive(p->channel_fd, buf, sizeof(buf), &len, &passed, &extra);
		if (extra) {
			close_fd(&passed);
			job_protocol_violation(job, "passed more than one descriptor");
			return FALSE;
		}
		switch (r) {
		case CHANNEL_EMPTY:
			return TRUE;
		case CHANNEL_CLOSED:
			if (p->phase != PHASE_FINISHED && !p->reaped && !p->grace_timer)
				p->grace_timer = g_timeout_add(CLOSE_GRACE_MS, on_close_grace, job);
			return FALSE;
		case CHANNEL_OVERSIZED:
			job_protocol_violation(job, "sent a message over the %d-byte limit", WIRE_MAX_MESSAGE);
			return FALSE;
		case CHANNEL_ERROR:
			job_protocol_violation(job, "channel error: %s", g_strerror(errno));
			return FALSE;
		case CHANNEL_MESSAGE:
			break;
		}
		WireMessage msg;
		const char *error;
		if (!wire_decode(buf, len, &msg, &error)) {
			close_fd(&passed);
			job_protocol_violation(job, "sent a malformed message: %s", error);
			return FALSE;
		}
		handle_message(job, &msg, passed);
	}
	return !p->killed;
}

static gboolean on_channel(int fd, GIOCondition cond, gpointer data)
{
	Job *job = data;
	(void)fd;
	(void)cond;
	if (read_channel(job, BATCH_MAX))
		return G_SOURCE_CONTINUE;
	job->priv->channel_watch = 0;
	return G_SOURCE_REMOVE;
}

static gboolean on_wall_time(gpointer data)
{
	Job *job = data;
	job->priv->wall_timer = 0;
	job_kill(job, KILL_REASON_WALL_TIME,
	           g_strdup_printf("wall-clock limit of %.1f s reached",
	                           (double)job->ctx->profile->wall_ms / 1000.0));
	return G_SOURCE_REMOVE;
}

/* ---- life and death ----------------------------------------------------- */

static void release(Job *job)
{
	struct JobPrivate *p = job->priv;
	remove_source(&p->channel_watch);
	remove_source(&p->listener_watch);
	remove_source(&p->wall_timer);
	remove_source(&p->grace_timer);
	close_fd(&p->channel_fd);
	close_fd(&p->listener_fd);
	close_fd(&p->pidfd);
	job_settle_outputs(job);
	/* Only now, with the child reaped (or never started), can another job
	 * have its uid. */
	if (p->has_uid) {
		uid_pool_give(job->ctx->uid_pool, p->uid);
		p->has_uid = FALSE;
	}
	if (p->region) {
		job->peak_pool_bytes = pool_region_usage(p->region);
		pool_region_release(job->ctx->pool, p->region);
		p->region = NULL;
	}
}

static void finish(Job *job)
{
	struct JobPrivate *p = job->priv;
	p->facts.quota_faults = job->faults[WIRE_FAULT_QUOTA];
	p->facts.corruption_faults = job->faults[WIRE_FAULT_CORRUPTION];
	p->facts.cpu_usec = job->cpu_usec;
	p->facts.cpu_limit_usec = (job->ctx->profile->cpu_ms + 999) / 1000 * 1000000;
	p->facts.fault = job->fault;
	/* Probed once per process, on the first death by a signal. */
	if (p->facts.wait_code != CLD_EXITED)
		p->facts.i386_abi = kernel_feature(KERNEL_FEATURE_I386)->state;
	if (p->killed_for_close &&
	    !(p->facts.wait_code == CLD_KILLED && p->facts.wait_status == SIGKILL))
		p->facts.kill_reason = KILL_REASON_NONE;
	char *detail = NULL;
	job->outcome = outcome_decide(&p->facts, &detail);
	if (!detail)
		detail = g_strdup(p->kill_detail ? p->kill_detail : p->load_error ? p->load_error : "");
	job->detail = detail;
	/* Only run has a return value; `list` completes at register. */
	if (job->outcome == OUTCOME_COMPLETED && p->facts.finished_stage == WIRE_STAGE_RUN)
		job->return_value = p->facts.finished_result;
	release(job);
	if (job->ctx->on_status)
		job->ctx->on_status(job, job->ctx->on_status_data);
	p->done(job, p->done_data);
}

void job_reaped(Job *job, const ZygoteReply *reply)
{
	struct JobPrivate *p = job->priv;
	p->reaped = TRUE;
	job->end_usec = g_get_monotonic_time();
	job->cpu_usec = reply->user_usec + reply->system_usec;
	job->max_rss_kib = reply->max_rss_kib;
	p->facts.wait_code = reply->wait_code;
	p->facts.wait_status = reply->wait_status;
	if (reply->wait_code == CLD_EXITED)
		job->exit_status = reply->wait_status;
	else
		job->signal = reply->wait_status;
	/* Whatever it sent before dying is still queued: read all of it. The
	 * socket buffer bounds how much that can be. */
	if (!p->killed)
		read_channel(job, G_MAXUINT);
	finish(job);
}

static gboolean not_started_idle(gpointer data)
{
	Job *job = data;
	job->priv->idle = 0;
	job->end_usec = g_get_monotonic_time();
	release(job);
	job->priv->done(job, job->priv->done_data);
	return G_SOURCE_REMOVE;
}

static Job *not_started(Job *job, char *detail)
{
	job->outcome = OUTCOME_NOT_STARTED;
	job->detail = detail;
	job->priv->idle = g_idle_add(not_started_idle, job);
	return job;
}

/* START is queued on the channel before the child exists, so its setup
 * code reads it without waiting. */
static gboolean send_start(Job *job, const char *const *config, GError **error)
{
	const JobContext *ctx = job->ctx;
	g_autofree guint8 *buf = g_malloc(WIRE_MAX_LARGE);
	WireWriter w;
	wire_begin(&w, buf, WIRE_MAX_LARGE, WIRE_START);
	wire_put_u8(&w, ctx->register_only ? WIRE_START_REGISTER_ONLY : 0);
	wire_put_str(&w, ctx->capture_name, WIRE_MAX_STRING);
	wire_put_u64(&w, ctx->selected_frame);
	guint n = config ? g_strv_length((char **)config) / 2 : 0;
	wire_put_u8(&w, (guint8)MIN(n, WIRE_MAX_CONFIG));
	for (guint i = 0; i < n && i < WIRE_MAX_CONFIG; i++) {
		wire_put_str(&w, config[2 * i], WIRE_MAX_STRING);
		wire_put_str(&w, config[2 * i + 1], WIRE_MAX_STRING);
	}
	gsize size = 0;
	const void *insns = ctx->frame_filter ? g_bytes_get_data(ctx->frame_filter, &size) : NULL;
	wire_put_bpf(&w, insns, (guint32)(size / 8));
	gsize len = wire_finish(&w);
	if (n > WIRE_MAX_CONFIG || len == 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
		            "the configuration and frame filter do not fit one START message "
		            "(at most %d settings, %d bytes)", WIRE_MAX_CONFIG, WIRE_MAX_LARGE);
		return FALSE;
	}
	if (!channel_send(job->priv->channel_fd, buf, len, -1)) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
		            "cannot queue START: %s", g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

Job *job_start(guint64 id, const char *expert_path, const char *const *config,
               const JobContext *ctx, JobDoneFunc done, gpointer user_data)
{
	job_seccomp_init();
	Job *job = g_new0(Job, 1);
	struct JobPrivate *p = job->priv = g_new0(struct JobPrivate, 1);
	job->id = id;
	job->expert_path = g_strdup(expert_path);
	job->ctx = ctx;
	job->events = g_ptr_array_new_with_free_func(job_event_free);
	job->outputs = g_ptr_array_new_with_free_func(job_output_free);
	job->exit_status = -1;
	job->status_percent = -1;
	job->pool_quota_bytes = ctx->profile->memory_bytes;
	job->start_usec = g_get_monotonic_time();
	p->done = done;
	p->done_data = user_data;
	p->channel_fd = p->listener_fd = p->pidfd = -1;

	g_autoptr(GError) error = NULL;
	p->region = pool_region_new(ctx->pool, ctx->profile->memory_bytes, &error);
	if (!p->region)
		return not_started(job, g_strdup(error->message));

	/* Opened here, by the executor, with its rights; the child only ever
	 * sees this descriptor. */
	int expert_fd = open(expert_path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	if (expert_fd < 0 || fstat(expert_fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int e = expert_fd < 0 ? errno : EINVAL;
		if (expert_fd >= 0)
			close(expert_fd);
		return not_started(job, g_strdup_printf("cannot open %s: %s", expert_path,
		                                        e == EINVAL ? "not a regular file" : g_strerror(e)));
	}

	int theirs;
	if (!channel_pair(&p->channel_fd, &theirs, &error)) {
		close(expert_fd);
		return not_started(job, g_strdup(error->message));
	}
	if (!send_start(job, config, &error)) {
		close(theirs);
		close(expert_fd);
		return not_started(job, g_strdup(error->message));
	}

	guint32 uid = ctx->uid, gid = ctx->gid;
	if (ctx->drop_privileges && ctx->uid_pool) {
		if (!uid_pool_take(ctx->uid_pool, &uid)) {
			close(theirs);
			close(expert_fd);
			return not_started(job, g_strdup("every uid of the pool is in use"));
		}
		p->has_uid = TRUE;
		p->uid = uid;
		gid = uid;
	}
	const Profile *profile = ctx->profile;
	ZygoteRequest req = {
		.version = ZYGOTE_PROTOCOL_VERSION,
		.flags = ctx->drop_privileges ? ZYGOTE_REQUEST_DROP_PRIVILEGES : 0,
		.job_id = id,
		.region_size = p->region->size,
		.capture_size = ctx->capture->size,
		.filter_size = ctx->filter->size,
		.data_limit = profile->memory_bytes,
		.output_bytes = profile->max_outputs ? profile->max_output_bytes : 0,
		.cpu_seconds = (guint32)MAX(1, (profile->cpu_ms + 999) / 1000),
		.max_fds = profile->max_fds,
		.max_events = profile->max_events,
		.uid = uid,
		.gid = gid,
	};
	int fds[ZYGOTE_N_FDS] = {
		[ZYGOTE_FD_CHANNEL] = theirs,
		[ZYGOTE_FD_CAPTURE] = ctx->capture->fd,
		[ZYGOTE_FD_REGION] = p->region->fd,
		[ZYGOTE_FD_EXPERT] = expert_fd,
		[ZYGOTE_FD_FILTER] = ctx->filter->fd,
	};
	gboolean ok = zygote_spawn(ctx->zygote, &req, fds, &p->pid, &p->pidfd, &error);
	close(theirs);
	close(expert_fd);
	if (!ok)
		return not_started(job, g_strdup(error->message));

	p->channel_watch = g_unix_fd_add(p->channel_fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_channel, job);
	p->wall_timer = g_timeout_add((guint)MIN(profile->wall_ms, G_MAXUINT), on_wall_time, job);
	return job;
}

void job_free(Job *job)
{
	if (!job)
		return;
	release(job);
	remove_source(&job->priv->idle);
	g_free(job->priv->kill_detail);
	g_free(job->priv->load_error);
	g_free(job->priv);
	if (job->violation) {
		g_free(job->violation->name);
		g_free(job->violation->arch);
		g_free(job->violation->rule);
		g_free(job->violation->action);
		g_free(job->violation->call);
		g_free(job->violation->location);
		g_free(job->violation);
	}
	g_free(job->fault);
	g_ptr_array_unref(job->events);
	g_ptr_array_unref(job->outputs);
	g_free(job->expert_path);
	g_free(job->detail);
	g_free(job->name);
	g_free(job->vendor);
	g_free(job->description);
	g_free(job->status_text);
	g_free(job);
}
