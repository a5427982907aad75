/* job.c — one expert run (see job.h): starting it, and deciding and
 * settling its end.
 *
 * The executor never blocks on a child: its channel (job-channel.c) and its
 * seccomp listener (job-seccomp.c) are non-blocking and read in bounded
 * batches from the main loop. The outcome is decided only after the zygote
 * has reaped the child, from the wait status and the executor's own records. */
#include "jobs/job.h"

#include "jobs/channel.h"
#include "jobs/job-channel.h"
#include "jobs/job-filters.h"
#include "jobs/job-inject.h"
#include "jobs/job-outputs.h"
#include "jobs/job-seccomp.h"
#include "jobs/job-state.h"
#include "jobs/prefork.h"
#include "jobs/refusal.h"
#include "kernel/kernel-features.h"
#include "violations/violation.h"
#include "wire.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static gboolean on_wall_time(gpointer data)
{
	Job *job = data;
	job->priv->wall_timer = 0;
	job_cpu_enter(job);
	job_kill(job, KILL_REASON_WALL_TIME,
	           g_strdup_printf("wall-clock limit of %.1f s reached",
	                           (double)job_profile(job)->wall_ms / 1000.0));
	job_cpu_leave(job);
	return G_SOURCE_REMOVE;
}

/* ---- life and death ----------------------------------------------------- */

static void release(Job *job)
{
	struct JobPrivate *p = job->priv;
	job_clear_source(&p->channel_watch);
	job_clear_source(&p->listener_watch);
	job_clear_source(&p->wall_timer);
	job_clear_source(&p->grace_timer);
	job_clear_fd(&p->channel_fd);
	job_clear_fd(&p->listener_fd);
	job_clear_fd(&p->pidfd);
	job_filters_abandon(job);
	/* A job that never got to finish() keeps nothing. */
	job_settle_outputs(job, FALSE);
	if (job->output_folder && job->ctx->output_folders)
		output_folders_give(job->ctx->output_folders, job->output_folder);
	if (p->pid > 0 && job->ctx->jobs_by_pid &&
	    g_hash_table_lookup(job->ctx->jobs_by_pid, GINT_TO_POINTER(p->pid)) == job)
		g_hash_table_remove(job->ctx->jobs_by_pid, GINT_TO_POINTER(p->pid));
	/* Only now, with the child reaped (or never started), can another job
	 * have its uid. */
	if (p->has_uid) {
		uid_pool_give(job->ctx->uid_pool, p->uid);
		p->has_uid = FALSE;
	}
	if (p->region) {
		if (!job->peak_pool_bytes)
			job->peak_pool_bytes = pool_region_usage(p->region);
		pool_region_release(job->ctx->pool, p->region);
		p->region = NULL;
	}
}

/* The facts of a death by a signal that only the executor's records of the
 * job hold (see results/outcome.h). */
static void signal_facts(Job *job, OutcomeFacts *f)
{
	struct JobPrivate *p = job->priv;
	int sig = f->wait_code == CLD_EXITED ? 0 : f->wait_status;
	if (sig >= 1 && sig < (int)G_N_ELEMENTS(p->raised_call)) {
		guint64 bit = G_GUINT64_CONSTANT(1) << (sig - 1);
		f->raised_call = (p->raised_self | p->raised_maybe) & bit ? p->raised_call[sig] : NULL;
		f->raised_self = (p->raised_self & bit) != 0;
		f->sent_by = p->sent_by[sig];
		job->raised_itself = f->raised_self;
	}
	f->sigevent_call = p->sigevent_call;
	f->signals_private = job->ctx->drop_privileges && job->ctx->uid_pool != NULL;
	f->outputs_granted = job->outputs->len;
	f->output_at_limit = job_output_at_limit(job);
}

static void finish(Job *job)
{
	struct JobPrivate *p = job->priv;
	/* Read while the region is held: the child is gone, so this is its peak. */
	if (p->region)
		job->peak_pool_bytes = pool_region_usage(p->region);
	p->facts.peak_pool_bytes = job->peak_pool_bytes;
	p->facts.quota_bytes = job->pool_quota_bytes;
	p->facts.refused_largest = p->refused_largest;
	p->facts.refused_beyond_quota = p->refused_beyond_quota;
	p->facts.quota_faults = job->faults[WIRE_FAULT_QUOTA];
	p->facts.corruption_faults = job->faults[WIRE_FAULT_CORRUPTION];
	p->facts.cpu_usec = job->cpu_usec;
	p->facts.cpu_limit_usec = (job_profile(job)->cpu_ms + 999) / 1000 * 1000000;
	p->facts.fault = job->fault;
	p->facts.expert_reason = job->expert_reason;
	signal_facts(job, &p->facts);
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
	guint64 file_now = 0;
	if (p->facts.wait_code != CLD_EXITED && p->facts.wait_status == SIGBUS &&
	    capture_file_shrank(job->ctx->capture, &file_now)) {
		char *shrank = outcome_capture_shrank_detail(job->ctx->capture->file_bytes, file_now,
		                                             detail);
		g_free(detail);
		detail = shrank;
	}
	/* The child is gone: its outputs are kept or removed now, and the
	 * detail says what was lost. */
	job_settle_outputs(job, job->outcome == OUTCOME_COMPLETED);
	job->detail = job_outputs_detail(job, detail);
	g_free(detail);
	job->configure_refused = job->outcome == OUTCOME_FAILED_TO_LOAD && p->facts.finished &&
	                         p->facts.finished_stage == WIRE_STAGE_CONFIGURE;
	/* Only run has a return value; `list` completes at register. */
	if (job->outcome == OUTCOME_COMPLETED && p->facts.finished_stage == WIRE_STAGE_RUN)
		job->return_value = p->facts.finished_result;
	release(job);
	/* The last of the executor's work for the job: done() may free it. */
	job_cpu_leave(job);
	if (job->ctx->on_status)
		job->ctx->on_status(job, job->ctx->on_status_data);
	p->done(job, p->done_data);
}

void job_reaped(Job *job, const ZygoteReply *reply)
{
	struct JobPrivate *p = job->priv;
	job_cpu_enter(job); /* left in finish() */
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
		job_channel_read(job, G_MAXUINT);
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

static void close_all(const int *fds, guint n)
{
	for (guint i = 0; i < n; i++)
		close(fds[i]);
}

/* The libraries the object needs beyond the zygote's, opened by the
 * executor like the object itself: the child loads them from these
 * descriptors, with no path into the host's files (objects/object-plan.h).
 * Also keeps what in them asks for W+X memory, to explain a refusal. A
 * library that cannot be found is not fatal here: the loader then fails in
 * the child, and the job's failed-to-load detail says what was missing. */
static guint open_libraries(Job *job, int expert_fd, int fds[ZYGOTE_MAX_LIBS])
{
	struct JobPrivate *p = job->priv;
	if (!job->ctx->objects)
		return 0;
	g_autoptr(GError) error = NULL;
	const ObjectPlan *plan = object_plan_cached(job->ctx->plans, job->ctx->objects, expert_fd,
	                                            job->expert_path, ZYGOTE_MAX_LIBS, &error);
	if (!plan) {
		/* Not an object the loader takes: its own message says so better. */
		if (!g_error_matches(error, OBJECT_ERROR, OBJECT_ERROR_NOT_ELF))
			p->plan_error = g_strdup(error->message);
		return 0;
	}
	p->wx_needs = g_strdup(plan->wx);
	guint n = 0;
	for (guint i = 0; i < plan->libs->len; i++) {
		const char *path = g_ptr_array_index(plan->libs, i);
		int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0) {
			p->plan_error = g_strdup_printf("%s: %s", path, g_strerror(errno));
			break;
		}
		fds[n++] = fd;
		if (!p->lib_paths)
			p->lib_paths = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(p->lib_paths, g_strdup(path));
	}
	return n;
}

/* The files the child will load, libraries first as passed, then the
 * object, each as the executor opened it: a fault report's instruction
 * pointer is named from them (violations/code-location.h). */
static void note_objects(Job *job, const int *lib_fds, guint n_libs, const struct stat *expert)
{
	struct JobPrivate *p = job->priv;
	p->objects = g_array_new(FALSE, TRUE, sizeof(CodeObject));
	for (guint i = 0; i < n_libs; i++) {
		struct stat st;
		CodeObject o = { .path = g_ptr_array_index(p->lib_paths, i) };
		if (fstat(lib_fds[i], &st) == 0) {
			o.dev = (guint64)st.st_dev;
			o.inode = (guint64)st.st_ino;
		}
		g_array_append_val(p->objects, o);
	}
	CodeObject o = { job->expert_path, (guint64)expert->st_dev, (guint64)expert->st_ino, 0 };
	g_array_append_val(p->objects, o);
}

/* START follows ChildJob on the channel: the child's setup reads it once
 * it has its descriptors, before any code of the expert's runs. */
static gboolean send_start(Job *job, const char *const *config, GError **error)
{
	const JobContext *ctx = job->ctx;
	g_autofree guint8 *buf = g_malloc(WIRE_MAX_LARGE);
	WireWriter w;
	wire_begin(&w, buf, WIRE_MAX_LARGE, WIRE_START);
	gboolean outputs = ctx->output_dir_fd >= 0 &&
	                   refusal_profile_grants_outputs(job_profile(job), ctx->observe != NULL);
	wire_put_u8(&w, (ctx->register_only ? WIRE_START_REGISTER_ONLY : 0) |
	                (outputs ? 0 : WIRE_START_NO_OUTPUTS) | job_inject_start_flag(job));
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
	job_inject_put_plan(job, &w);
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

/* The zygote reaped the job's child. */
static void on_child_exit(const ZygoteReply *reply, gpointer data)
{
	job_reaped(data, reply);
}

/* A child that died before its job came: reaped already, so what it left
 * on the channel (a failed setup says why) and its wait status decide. */
static gboolean reaped_before_idle(gpointer data)
{
	Job *job = data;
	job->priv->idle = 0;
	job_reaped(job, &job->priv->early_exit);
	return G_SOURCE_REMOVE;
}

/* Hands the job to its waiting child: ChildJob with the object and the
 * libraries attached, in load order after the object, then START. */
static gboolean send_job(Job *job, int expert_fd, const int *lib_fds, guint n_libs,
                         const char *const *config, GError **error)
{
	ChildJob cj = {
		.magic = CHILD_JOB_MAGIC,
		.n_libs = n_libs,
		.profile_tag = job->run_profile->tag,
	};
	int fds[1 + ZYGOTE_MAX_LIBS];
	fds[0] = expert_fd;
	memcpy(&fds[1], lib_fds, n_libs * sizeof(int));
	struct iovec iov = { &cj, sizeof(cj) };
	union {
		char buf[PASSED_FDS_SPACE(1 + ZYGOTE_MAX_LIBS)];
		struct cmsghdr align;
	} control;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	passed_fds_attach(&msg, control.buf, fds, 1 + n_libs);
	ssize_t n;
	while ((n = sendmsg(job->priv->channel_fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT)) < 0 &&
	       errno == EINTR)
		;
	if (n != (ssize_t)sizeof(cj)) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
		            "cannot send the job to its child: %s", g_strerror(errno));
		return FALSE;
	}
	return send_start(job, config, error);
}

/* job_start's work, with the executor's CPU for it charged to the job. */
static Job *start(Job *job, const char *const *config)
{
	struct JobPrivate *p = job->priv;
	const JobContext *ctx = job->ctx;
	const char *expert_path = job->expert_path;
	const RunProfile *run_profile = job->run_profile;
	const Profile *profile = run_profile->profile;

	g_autoptr(GError) error = NULL;
	if (!job_inject_begin(job, &error))
		return not_started(job, g_strdup_printf("cannot inject the fault: %s", error->message));

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
	int lib_fds[ZYGOTE_MAX_LIBS];
	guint n_libs = open_libraries(job, expert_fd, lib_fds);
	note_objects(job, lib_fds, n_libs, &st);

	PreforkChild child;
	if (!prefork_take(ctx->prefork, run_profile, on_child_exit, job, &child, &error)) {
		close(expert_fd);
		close_all(lib_fds, n_libs);
		return not_started(job, g_strdup(error->message));
	}
	if (!pool_region_reserve(ctx->pool, child.region, &error)) {
		prefork_give_back(ctx->prefork, run_profile, &child);
		close(expert_fd);
		close_all(lib_fds, n_libs);
		return not_started(job, g_strdup(error->message));
	}
	p->region = child.region;
	p->channel_fd = child.channel_fd;
	p->pidfd = child.pidfd;
	p->pid = child.pid;
	p->has_uid = child.has_uid;
	p->uid = child.uid;
	p->child_id = child.id;

	gboolean sent = send_job(job, expert_fd, lib_fds, n_libs, config, &error);
	close(expert_fd);
	close_all(lib_fds, n_libs);
	if (ctx->jobs_by_pid)
		g_hash_table_insert(ctx->jobs_by_pid, GINT_TO_POINTER(p->pid), job);
	if (child.exited) {
		p->early_exit = child.exit;
		p->idle = g_idle_add(reaped_before_idle, job);
		return job;
	}
	/* A child that is gone, or going, takes its job's end with it: its exit
	 * and what it left on the channel decide. */
	if (!sent && !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) &&
	    !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
		job_kill(job, KILL_REASON_PROTOCOL,
		         g_strdup_printf("the executor could not hand the job to its child: %s",
		                         error->message));
	p->channel_watch = g_unix_fd_add(p->channel_fd, G_IO_IN | G_IO_HUP | G_IO_ERR, job_on_channel, job);
	p->wall_timer = g_timeout_add((guint)MIN(profile->wall_ms, G_MAXUINT), on_wall_time, job);
	return job;
}

Job *job_start(guint64 id, const char *expert_path, const char *const *config,
               const RunProfile *run_profile, const JobContext *ctx, JobDoneFunc done,
               gpointer user_data)
{
	job_seccomp_init();
	Job *job = g_new0(Job, 1);
	struct JobPrivate *p = job->priv = g_new0(struct JobPrivate, 1);
	job->id = id;
	job->expert_path = g_strdup(expert_path);
	job->ctx = ctx;
	job->run_profile = run_profile;
	job->events = g_ptr_array_new_with_free_func(job_event_free);
	job->outputs = g_ptr_array_new_with_free_func(job_output_free);
	job->exit_status = -1;
	job->status_percent = -1;
	job->pool_quota_bytes = run_profile->profile->memory_bytes;
	job->start_usec = g_get_monotonic_time();
	p->done = done;
	p->done_data = user_data;
	p->channel_fd = p->listener_fd = p->pidfd = p->output_folder_fd = -1;
	p->drain_channel = job_channel_drain;
	if (ctx->output_folders)
		job->output_folder = output_folders_take(ctx->output_folders, expert_path);
	job_cpu_enter(job);
	Job *started = start(job, config);
	job_cpu_leave(job);
	return started;
}

void job_free(Job *job)
{
	if (!job)
		return;
	release(job);
	job_clear_source(&job->priv->idle);
	g_free(job->priv->kill_detail);
	g_free(job->priv->load_error);
	g_free(job->priv->wx_needs);
	g_free(job->priv->plan_error);
	g_clear_pointer(&job->priv->lib_paths, g_ptr_array_unref);
	g_clear_pointer(&job->priv->objects, g_array_unref);
	for (guint i = 0; i < G_N_ELEMENTS(job->priv->sent_by); i++)
		g_free(job->priv->sent_by[i]);
	g_free(job->output_folder);
	g_free(job->output_refused);
	job_inject_free(job);
	g_free(job->priv);
	violation_free(job->violation);
	fault_claim_free(job->fault);
	g_ptr_array_unref(job->events);
	g_ptr_array_unref(job->outputs);
	g_free(job->expert_path);
	g_free(job->detail);
	g_free(job->expert_reason);
	g_free(job->name);
	g_free(job->vendor);
	g_free(job->description);
	g_free(job->status_text);
	g_free(job);
}
