/* job-outputs.c — output captures a running child asks for (see
 * job-outputs.h). Each request is untrusted input; each reply is sent
 * without blocking.
 *
 * The executor creates every file itself, O_EXCL and O_NOFOLLOW, in a
 * folder of the output directory that is the job's alone (output-folders.h):
 * a child never names a path, and never one of another job's files. The
 * child keeps its descriptor after it closes an output (no profile needs
 * close()), so the length at close is the executor's record, and whatever
 * the child writes after it is cut off once the child is gone. */
#include "jobs/job-outputs.h"

#include "jobs/channel.h"
#include "jobs/job-inject.h"
#include "expert.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The smallest record of either format: a pcap record header. */
#define RECORD_MIN_BYTES 16

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

/* The job's folder, made on its first output; an existing one (from an
 * earlier run) is used if it is a directory, never through a link. */
static int job_folder(Job *job)
{
	struct JobPrivate *p = job->priv;
	const JobContext *ctx = job->ctx;
	if (p->output_folder_fd >= 0)
		return p->output_folder_fd;
	if (mkdirat(ctx->output_dir_fd, job->output_folder, 0755) == 0)
		p->output_folder_made = TRUE;
	else if (errno != EEXIST)
		return -1;
	p->output_folder_fd = openat(ctx->output_dir_fd, job->output_folder,
	                             O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return p->output_folder_fd;
}

void job_on_output_open(Job *job, const WireMessage *msg)
{
	const JobContext *ctx = job->ctx;
	const Profile *profile = job_profile(job);
	/* Refused requests cost the executor as much as granted ones. */
	if (++job->output_requests > profile->max_output_requests) {
		job_limit_exceeded(job, PROFILE_LIMIT_OUTPUT_REQUESTS,
		                   "asked for more than %u output captures", profile->max_output_requests);
		return;
	}
	g_autofree char *name = job_wire_strdup(msg->u.output_open.name);
	g_autofree char *injected = job_inject_refusal(job, INJECT_CREATE, job->output_requests);
	if (injected) {
		reply_output(job, injected, 0, -1);
		return;
	}
	if (ctx->output_dir_fd < 0) {
		reply_output(job, "no --output-dir was given", 0, -1);
		return;
	}
	if (job->outputs->len >= profile->max_outputs) {
		reply_output(job, "the profile's output-files limit is reached", 0, -1);
		return;
	}
	/* The expert's name is untrusted: checked here whatever libexpert did;
	 * with O_EXCL and O_NOFOLLOW below, never an existing file or a link. */
	if (!expert_output_name_valid(name)) {
		reply_output(job, "invalid output name", 0, -1);
		return;
	}
	int folder = job_folder(job);
	int fd = folder < 0 ? -1
	                    : openat(folder, name,
	                             O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0) {
		g_autofree char *why = g_strdup_printf("cannot create %s/%s: %s", job->output_folder, name,
		                                       g_strerror(errno));
		reply_output(job, why, 0, -1);
		return;
	}
	JobOutput *o = g_new0(JobOutput, 1);
	o->id = job->outputs->len + 1;
	o->name = g_steal_pointer(&name);
	o->path = g_build_filename(ctx->output_dir, job->output_folder, o->name, NULL);
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
	struct stat st;
	if (fstat(o->fd, &st) < 0) {
		job_protocol_violation(job, "closed output %s, which the executor cannot stat: %s",
		                       o->name, g_strerror(errno));
		return;
	}
	o->complete = TRUE;
	o->bytes = (guint64)st.st_size;
	/* The child's count; no file holds more records than this. */
	o->frames = MIN(msg->u.output_close.frames, o->bytes / RECORD_MIN_BYTES);
}

const char *job_output_at_limit(const Job *job)
{
	guint64 limit = job_profile(job)->max_output_bytes;
	for (guint i = 0; i < job->outputs->len; i++) {
		const JobOutput *o = g_ptr_array_index(job->outputs, i);
		struct stat st;
		if (o->fd >= 0 && fstat(o->fd, &st) == 0 && (guint64)st.st_size >= limit)
			return o->name;
	}
	return NULL;
}

void job_settle_outputs(Job *job)
{
	struct JobPrivate *p = job->priv;
	for (guint i = 0; i < job->outputs->len; i++) {
		JobOutput *o = g_ptr_array_index(job->outputs, i);
		if (o->fd < 0)
			continue;
		struct stat st;
		guint64 size = fstat(o->fd, &st) == 0 ? (guint64)st.st_size : 0;
		if (!o->complete) {
			/* Never declared complete: a crash must not leave a half-written
			 * capture that looks whole. */
			o->bytes = size;
			if (p->output_folder_fd >= 0)
				unlinkat(p->output_folder_fd, o->name, 0);
		} else if (size > o->bytes) {
			if (ftruncate(o->fd, (off_t)o->bytes) == 0)
				o->cut_bytes = size - o->bytes;
			else
				g_warning("%s: cannot cut it back to %" G_GUINT64_FORMAT " bytes: %s", o->path,
				          o->bytes, g_strerror(errno));
		}
		close(o->fd);
		o->fd = -1;
	}
	if (p->output_folder_fd >= 0) {
		job_clear_fd(&p->output_folder_fd);
		/* Only one this job made, and only if empty (ENOTEMPTY otherwise). */
		if (p->output_folder_made)
			unlinkat(job->ctx->output_dir_fd, job->output_folder, AT_REMOVEDIR);
	}
}
