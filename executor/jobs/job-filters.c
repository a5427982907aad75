/* job-filters.c — frame filters a running child asks for (see
 * job-filters.h).
 *
 * libpcap's compiler runs in the executor, on the child's expression, and
 * its cost grows faster than the expression (1K of "portrange" takes
 * 150 ms). Compiled on the main loop, that time is taken from every other
 * job. So each compile runs on one worker thread, at a lower priority
 * than the main loop and the children, and its CPU, from the kernel's
 * accounting of that thread, is charged to the job: the profile bounds the
 * count (filter-compiles), the size of one expression (filter-bytes) and
 * the CPU of all of them (filter-cpu-time). The child waits for its reply
 * (libexpert asks one filter at a time), so the executor keeps one in
 * flight per job. */
#include "jobs/job-filters.h"

#include "captures/frame-filter.h"
#include "jobs/channel.h"
#include "jobs/job-inject.h"

#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

struct FilterCompile {
	Job *job;                  /* NULL once the job has ended (main thread only) */
	char *expression;          /* the worker's own copy */
	guint32 link_type;
	GBytes *program;           /* the result, or NULL with error */
	GError *error;
	gint64 cpu_ns;             /* the worker's CPU for it */
};

static void filter_compile_free(FilterCompile *fc)
{
	g_free(fc->expression);
	g_clear_pointer(&fc->program, g_bytes_unref);
	g_clear_error(&fc->error);
	g_free(fc);
}

static void reply_filter(Job *job, const char *error, GBytes *program)
{
	g_autofree guint8 *buf = g_malloc(WIRE_MAX_LARGE);
	WireWriter w;
	wire_begin(&w, buf, WIRE_MAX_LARGE, WIRE_FILTER_REPLY);
	wire_put_str(&w, error ? error : "", WIRE_MAX_STRING);
	gsize size = 0;
	const void *insns = program ? g_bytes_get_data(program, &size) : NULL;
	wire_put_bpf(&w, insns, (guint32)(size / 8));
	gsize len = wire_finish(&w);
	if (!len || !channel_send(job->priv->channel_fd, buf, len, -1))
		job_protocol_violation(job, "did not take the executor's filter reply");
}

/* Back on the main loop: charge the CPU, then answer. */
static gboolean deliver(gpointer data)
{
	FilterCompile *fc = data;
	Job *job = fc->job;
	if (!job) {
		filter_compile_free(fc);
		return G_SOURCE_REMOVE;
	}
	struct JobPrivate *p = job->priv;
	p->filter = NULL;
	job_cpu_enter(job);
	guint64 usec = (guint64)MAX(fc->cpu_ns, 0) / 1000;
	job->filter_cpu_usec += usec;
	job->executor_cpu_usec += usec;
	const Profile *profile = job_profile(job);
	if (p->killed) {
		/* Ended meanwhile: no one waits for the reply. */
	} else if (job->filter_cpu_usec > profile->filter_cpu_ms * 1000) {
		job_limit_exceeded(job, PROFILE_LIMIT_FILTER_CPU,
		                   "the executor spent %.1f ms compiling its filters",
		                   (double)job->filter_cpu_usec / 1000.0);
	} else {
		if (fc->error && fc->program == NULL) {
			g_free(job->status_text);
			job->status_text = g_strdup(fc->error->message);
		}
		reply_filter(job, fc->error ? fc->error->message : NULL, fc->program);
	}
	job_cpu_leave(job);
	filter_compile_free(fc);
	return G_SOURCE_REMOVE;
}

static void compile(gpointer data, gpointer unused)
{
	FilterCompile *fc = data;
	(void)unused;
	/* Once per worker thread: below the main loop and the children. */
	static __thread gboolean niced;
	if (!niced) {
		niced = TRUE;
		if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10) < 0)
			g_debug("filter worker: setpriority: %s", g_strerror(errno));
	}
	gint64 start = job_thread_cpu_ns();
	fc->program = frame_filter_compile(fc->expression, fc->link_type, &fc->error);
	if (fc->program && g_bytes_get_size(fc->program) / 8 > WIRE_MAX_BPF) {
		g_clear_pointer(&fc->program, g_bytes_unref);
		g_set_error(&fc->error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
		            "filter \"%s\" is too long", fc->expression);
	}
	fc->cpu_ns = job_thread_cpu_ns() - start;
	g_main_context_invoke(NULL, deliver, fc);
}

static GThreadPool *worker(void)
{
	static GThreadPool *pool;
	if (g_once_init_enter(&pool)) {
		/* One thread: compiles wait for each other, never for the loop. */
		GThreadPool *p = g_thread_pool_new(compile, NULL, 1, TRUE, NULL);
		g_once_init_leave(&pool, p);
	}
	return pool;
}

void job_on_filter_request(Job *job, const WireMessage *msg)
{
	struct JobPrivate *p = job->priv;
	const Profile *profile = job_profile(job);
	if (p->filter) {
		job_protocol_violation(job, "asked for a filter before its last one was answered");
		return;
	}
	if (++job->filter_requests > profile->max_filter_compiles) {
		job_limit_exceeded(job, PROFILE_LIMIT_FILTER_COMPILES, "asked for more than %u filters",
		                   profile->max_filter_compiles);
		return;
	}
	WireString expr = msg->u.filter_request.expression;
	if (expr.len > profile->max_filter_bytes) {
		job_limit_exceeded(job, PROFILE_LIMIT_FILTER_BYTES,
		                   "asked for a filter of %u bytes", (guint)expr.len);
		return;
	}
	if (job->filter_cpu_usec >= profile->filter_cpu_ms * 1000) {
		job_limit_exceeded(job, PROFILE_LIMIT_FILTER_CPU,
		                   "asked for another filter after %.1f ms of compiling",
		                   (double)job->filter_cpu_usec / 1000.0);
		return;
	}
	g_autofree char *injected = job_inject_refusal(job, INJECT_FILTER, job->filter_requests);
	if (injected) {
		reply_filter(job, injected, NULL);
		return;
	}
	FilterCompile *fc = g_new0(FilterCompile, 1);
	fc->job = job;
	fc->expression = job_wire_strdup(expr);
	fc->link_type = job->ctx->capture->link_type;
	p->filter = fc;
	g_autoptr(GError) error = NULL;
	if (!g_thread_pool_push(worker(), fc, &error)) {
		p->filter = NULL;
		filter_compile_free(fc);
		g_autofree char *why = g_strdup_printf("the executor cannot compile filters now: %s",
		                                       error->message);
		reply_filter(job, why, NULL);
	}
}

void job_filters_abandon(Job *job)
{
	struct JobPrivate *p = job->priv;
	if (p->filter) {
		p->filter->job = NULL;
		p->filter = NULL;
	}
}
