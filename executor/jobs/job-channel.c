/* job-channel.c — a job's channel (see job-channel.h).
 *
 * Everything a child says is checked against the phase it is in; anything
 * out of place is a protocol violation and ends the child. The channel is
 * non-blocking and read in bounded batches from the main loop, so one chatty
 * child cannot starve the others. */
#include "jobs/job-channel.h"

#include "jobs/channel.h"
#include "jobs/job-filters.h"
#include "jobs/job-inject.h"
#include "jobs/job-outputs.h"
#include "jobs/job-seccomp.h"
#include "jobs/refusal.h"
#include "profiles/profile-map.h"
#include "results/child-text.h"
#include "expert.h"

#include <errno.h>
#include <glib-unix.h>
#include <poll.h>
#include <string.h>
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
		job_clear_fd(&passed_fd);
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
	const Profile *profile = job_profile(job);
	if (++job->events_submitted > profile->max_events) {
		job_protocol_violation(job, "submitted more than the profile's %u events",
		                   profile->max_events);
		return;
	}
	/* The count alone lets 16 details of 1K each per event through: the
	 * executor keeps and prints every byte, so bytes are bounded too. */
	guint64 bytes = msg->u.event.text.len;
	for (guint i = 0; i < msg->u.event.n_details; i++)
		bytes += (guint64)msg->u.event.details[i].key.len + msg->u.event.details[i].value.len;
	job->event_bytes += bytes;
	if (job->event_bytes > profile->max_event_bytes) {
		job_limit_exceeded(job, PROFILE_LIMIT_EVENT_BYTES,
		                   "its events' text, keys and values came to more than %" G_GUINT64_FORMAT
		                   " bytes", profile->max_event_bytes);
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

/* Registered as writing output captures where it can write none: refused
 * now, before configure and run, with the fix named. The runtime stops by
 * itself (WIRE_START_NO_OUTPUTS); the kill holds for one that does not. */
static void check_registration(Job *job)
{
	if (job->ctx->register_only || !(job->flags & EXPERT_FLAG_WRITES_OUTPUT))
		return;
	g_autofree char *name = profile_map_expert_name(job->expert_path);
	char *why = refusal_writes_output(name, job_profile(job), job->ctx->output_dir_fd >= 0,
	                                  job->ctx->observe != NULL);
	if (why)
		job_kill(job, KILL_REASON_REFUSED, why);
}

/* expert_fail(): the expert's own words, kept escaped. */
static void on_fail(Job *job, const WireMessage *msg)
{
	if (job->expert_reason) {
		job_protocol_violation(job, "said why it failed twice");
		return;
	}
	WireString r = msg->u.fail.reason;
	job->expert_reason = child_text_escape(r.ptr, r.len, EXPERT_TEXT_MAX, 0, NULL);
}

/* The loader names the object and its libraries by the descriptor paths
 * the child opened them through; people know them by their file names. Why
 * a needed library was not passed, when the executor could not find it, is
 * added: the loader can only say it is missing. */
static char *describe_load_error(const Job *job, WireString reason)
{
	const struct JobPrivate *p = job->priv;
	g_autofree char *text = job_wire_strdup(reason);
	GString *out = g_string_new(text);
	char path[32];
	/* The libraries first: their numbers are longer, and may begin with
	 * the object's. */
	guint first_lib = child_loader_fd(job_profile(job)->max_fds) + 1;
	for (guint i = 0; p->lib_paths && i < p->lib_paths->len; i++) {
		g_snprintf(path, sizeof(path), "/proc/self/fd/%u", first_lib + i);
		g_string_replace(out, path, g_ptr_array_index(p->lib_paths, i), 0);
	}
	g_snprintf(path, sizeof(path), "/proc/self/fd/%d", CHILD_FD_EXPERT);
	g_autofree char *base = g_path_get_basename(job->expert_path);
	g_string_replace(out, path, base, 0);
	if (p->plan_error)
		g_string_append_printf(out, " (%s)", p->plan_error);
	return g_string_free(out, FALSE);
}

/* FINISHED is the runtime's account of how the entry points returned
 * (libexpert/runtime.c), and only these are possible: a register-only job
 * (`list`) ends at register; any other ends at register only if register
 * refused, at configure only with configure's error, or after run. Anything
 * else is a forgery, e.g. "register done" sent from run to pass for a
 * completed job. */
static const char *finished_invalid(const Job *job, const WireMessage *msg)
{
	int stage = msg->u.finished.stage;
	gint32 result = msg->u.finished.result;
	if (job->ctx->register_only)
		return stage != WIRE_STAGE_REGISTER || (result != 0 && result != 1)
			? "claimed to have finished a stage past register in a register-only job" : NULL;
	switch (stage) {
	case WIRE_STAGE_REGISTER:
		return result != 0 ? "claimed to have finished at register, which had succeeded, "
		                     "before run was called" : NULL;
	case WIRE_STAGE_CONFIGURE:
		return result == EXPERT_OK ? "claimed configure failed without an error" : NULL;
	default:
		return NULL;
	}
}

static void on_finished(Job *job, const WireMessage *msg)
{
	struct JobPrivate *p = job->priv;
	const char *why = finished_invalid(job, msg);
	if (why) {
		job_protocol_violation(job, "%s", why);
		return;
	}
	p->facts.finished = TRUE;
	p->facts.finished_stage = msg->u.finished.stage;
	p->facts.finished_result = msg->u.finished.result;
	/* The child's own count. A frame read twice counts twice, so it is no
	 * proof of anything; but more than the capture holds is shown as the
	 * claim it is, never as frames read. */
	guint64 claimed = msg->u.finished.frames_read;
	job->frames_read = MIN(claimed, job->ctx->capture->frame_count);
	if (claimed > job->frames_read)
		job->frames_claimed = claimed;
	p->phase = PHASE_FINISHED;
}

/* A refused allocation is the child's report: outcome.c believes it at the
 * quota only as far as the pool's use from the kernel allows. */
static void on_memory_fault(Job *job, const WireMessage *msg)
{
	struct JobPrivate *p = job->priv;
	if (job->faults[0] + job->faults[1] + job->faults[2] >= FAULTS_MAX) {
		job_protocol_violation(job, "flooded the channel with memory-fault reports");
		return;
	}
	job->faults[msg->u.memory_fault.kind]++;
	if (msg->u.memory_fault.kind != WIRE_FAULT_QUOTA)
		return;
	guint64 size = msg->u.memory_fault.size;
	if (size > job->pool_quota_bytes)
		p->refused_beyond_quota++;
	else
		p->refused_largest = MAX(p->refused_largest, size);
}

/* Where the child says the loader put each object: kept, as its claim, to
 * name the function of a fault report. Only an address for every object
 * passed is taken; a child that says otherwise gets no location. */
static void on_loaded(Job *job, const WireMessage *msg)
{
	struct JobPrivate *p = job->priv;
	if (!p->objects || msg->u.loaded.n != p->objects->len)
		return;
	for (guint i = 0; i < p->objects->len; i++)
		g_array_index(p->objects, CodeObject, i).base = msg->u.loaded.base[i];
	p->objects_placed = TRUE;
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
		if (p->objects_placed)
			job->fault->location = code_location_of_claim(
				(const CodeObject *)p->objects->data, p->objects->len, job->fault->ip);
		return;
	}
	if (p->phase == PHASE_FINISHED) {
		job_protocol_violation(job, "sent %s after its final message", wire_type_name(t));
		return;
	}
	switch (t) {
	case WIRE_HELLO:
		if (p->phase != PHASE_STARTED) {
			job_clear_fd(&passed_fd);
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
		if (job_loading_over(job)) {
			p->phase = PHASE_LOADED;
			on_loaded(job, msg);
		}
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
		check_registration(job);
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
		on_memory_fault(job, msg);
		return;
	case WIRE_FINISHED:
		if (p->phase != PHASE_REGISTERED)
			break;
		on_finished(job, msg);
		return;
	case WIRE_FAIL:
		if (p->phase != PHASE_REGISTERED)
			break;
		on_fail(job, msg);
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
	case WIRE_INJECTED:
		if (p->phase != PHASE_REGISTERED)
			break;
		job_inject_on_injected(job, msg);
		return;
	case WIRE_CALLS:
		if (p->phase != PHASE_REGISTERED)
			break;
		job_inject_on_calls(job, msg);
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
	job_cpu_enter(job);
	/* Dying closes the channel a moment before the zygote can reap; a child
	 * that has exited is waiting for that, and its wait status will say how
	 * it ended. Only one still alive closed its channel on purpose. */
	if (!child_exited(job)) {
		job_protocol_violation(job, "closed its channel before finishing");
		/* If it was dying all along, just slowly (a loaded machine), the
		 * wait status will show a death other than our SIGKILL. */
		job->priv->killed_for_close = TRUE;
	}
	job_cpu_leave(job);
	return G_SOURCE_REMOVE;
}

gboolean job_channel_read(Job *job, guint max)
{
	struct JobPrivate *p = job->priv;
	guint8 buf[WIRE_MAX_MESSAGE];
	for (guint i = 0; i < max && !p->killed; i++) {
		gsize len;
		int passed;
		gboolean extra;
		ChannelResult r = channel_receive(p->channel_fd, buf, sizeof(buf), &len, &passed, &extra);
		if (extra) {
			job_clear_fd(&passed);
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
			job_clear_fd(&passed);
			job_protocol_violation(job, "sent a malformed message: %s", error);
			return FALSE;
		}
		handle_message(job, &msg, passed);
	}
	return !p->killed;
}

void job_channel_drain(Job *job)
{
	job_channel_read(job, G_MAXUINT);
}

gboolean job_on_channel(int fd, GIOCondition cond, gpointer data)
{
	Job *job = data;
	(void)fd;
	(void)cond;
	job_cpu_enter(job);
	gboolean more = job_channel_read(job, BATCH_MAX);
	job_cpu_leave(job);
	if (more)
		return G_SOURCE_CONTINUE;
	job->priv->channel_watch = 0;
	return G_SOURCE_REMOVE;
}
