/* job-outputs.c — what a running child may ask the executor for: a frame
 * filter compiled from libpcap syntax, and output captures created in the
 * run's output directory. Each request is untrusted input; each reply is
 * sent without blocking. */
#include "jobs/job-outputs.h"

#include "jobs/channel.h"
#include "expert.h"
#include "captures/frame-filter.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Filters one run may ask the executor to compile. */
#define FILTER_REQUESTS_MAX 64

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
	if (!len)
		len = 0; /* a program too long for the wire: refuse it below */
	if (!len || !channel_send(job->priv->channel_fd, buf, len, -1))
		job_protocol_violation(job, "did not take the executor's filter reply");
}

void job_on_filter_request(Job *job, const WireMessage *msg)
{
	if (++job->filter_requests > FILTER_REQUESTS_MAX) {
		job_protocol_violation(job, "asked for more than %d filters", FILTER_REQUESTS_MAX);
		return;
	}
	g_autofree char *expr = job_wire_strdup(msg->u.filter_request.expression);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) program = frame_filter_compile(expr, job->ctx->capture->link_type, &error);
	if (program && g_bytes_get_size(program) / 8 > WIRE_MAX_BPF) {
		g_clear_pointer(&program, g_bytes_unref);
		g_set_error(&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "filter \"%s\" is too long",
		            expr);
	}
	if (error) {
		g_free(job->status_text);
		job->status_text = g_strdup(error->message);
	}
	reply_filter(job, error ? error->message : NULL, program);
}

void job_output_free(gpointer p)
{
	JobOutput *o = p;
	if (o->fd >= 0)
		close(o->fd);
	g_free(o->name);
	g_free(o->path);
	g_free(o);
}

static void reply_output(Job *job, const char *error, guint32 id, int fd)
{
	guint8 buf[WIRE_MAX_MESSAGE];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_OUTPUT_REPLY);
	wire_put_str(&w, error ? error : "", WIRE_MAX_STRING);
	wire_put_u32(&w, id);
	gsize len = wire_finish(&w);
	if (!channel_send(job->priv->channel_fd, buf, len, fd))
		job_protocol_violation(job, "did not take the executor's output reply");
}

void job_on_output_open(Job *job, const WireMessage *msg)
{
	const JobContext *ctx = job->ctx;
	g_autofree char *name = job_wire_strdup(msg->u.output_open.name);
	if (ctx->output_dir_fd < 0) {
		reply_output(job, "no --output-dir was given", 0, -1);
		return;
	}
	if (job->outputs->len >= ctx->profile->max_outputs) {
		reply_output(job, "the profile's output-files limit is reached", 0, -1);
		return;
	}
	/* The expert's name is untrusted: checked here whatever libexpert did;
	 * with O_EXCL and O_NOFOLLOW below, never an existing file or a link. */
	if (!expert_output_name_valid(name)) {
		reply_output(job, "invalid output name", 0, -1);
		return;
	}
	int fd = openat(ctx->output_dir_fd, name,
	                O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0) {
		g_autofree char *why = g_strdup_printf("cannot create %s: %s", name, g_strerror(errno));
		reply_output(job, why, 0, -1);
		return;
	}
	JobOutput *o = g_new0(JobOutput, 1);
	o->id = job->outputs->len + 1;
	o->name = g_steal_pointer(&name);
	o->path = g_build_filename(ctx->output_dir, o->name, NULL);
	o->fd = fd;
	g_ptr_array_add(job->outputs, o);
	reply_output(job, NULL, o->id, fd);
}

void job_on_output_close(Job *job, const WireMessage *msg)
{
	guint32 id = msg->u.output_close.output_id;
	if (id == 0 || id > job->outputs->len) {
		job_protocol_violation(job, "closed output %u, which it was never given", id);
		return;
	}
	JobOutput *o = g_ptr_array_index(job->outputs, id - 1);
	if (o->complete) {
		job_protocol_violation(job, "closed output %s twice", o->name);
		return;
	}
	o->complete = TRUE;
	o->frames = msg->u.output_close.frames;
}

/* Files the expert never declared complete are removed, so a crash cannot
 * leave a half-written capture that looks whole. */
void job_settle_outputs(Job *job)
{
	for (guint i = 0; i < job->outputs->len; i++) {
		JobOutput *o = g_ptr_array_index(job->outputs, i);
		struct stat st;
		if (o->fd >= 0 && fstat(o->fd, &st) == 0)
			o->bytes = (guint64)st.st_size;
		if (!o->complete && job->ctx->output_dir_fd >= 0)
			unlinkat(job->ctx->output_dir_fd, o->name, 0);
		if (o->fd >= 0) {
			close(o->fd);
			o->fd = -1;
		}
	}
}
