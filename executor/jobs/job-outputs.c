/* job-outputs.c — output captures a running child asks for (see
 * job-outputs.h). Each request is untrusted input; each reply is sent
 * without blocking.
 *
 * The executor creates every file itself, unnamed (outputs/output-file.h),
 * in a folder of the output directory that is the job's alone
 * (output-folders.h): a child never names a path, and never one of another
 * job's files. The child keeps its descriptor after it closes an output (no
 * profile needs close()), so the length at close is the executor's record,
 * and whatever the child writes after it is cut off once the child is gone.
 * Only then, and only for a job that completed, is a closed output checked
 * (outputs/output-check.h) and given its name; anything else is gone. */
#include "jobs/job-outputs.h"

#include "jobs/channel.h"
#include "outputs/output-check.h"
#include "outputs/output-file.h"
#include "results/outcome.h"
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
	output_file_free(o->file);
	g_free(o->why);
	g_free(o->name);
	g_free(o->path);
	g_free(o);
}

static void reply_output(Job *job, const char *error, guint32 id, int fd)
{
	/* The expert hears only that it was refused; the report says why. */
	if (error && !job->output_refused)
		job->output_refused = g_strdup(error);
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
	/* What an executor killed while writing here left under a hidden
	 * name (only where the filesystem has no O_TMPFILE). */
	if (p->output_folder_fd >= 0 && !p->output_folder_made)
		output_file_sweep(p->output_folder_fd);
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
		g_autofree char *why = g_strdup_printf("the profile's output-files limit of %u is reached",
		                                       profile->max_outputs);
		reply_output(job, why, 0, -1);
		return;
	}
	/* The expert's name is untrusted: checked here whatever libexpert did;
	 * created unnamed, it can name neither an existing file nor a link. */
	if (!expert_output_name_valid(name)) {
		reply_output(job, "an invalid output name (a plain file name of letters, digits, '.', "
		                  "'-' and '_', not starting with '.')", 0, -1);
		return;
	}
	for (guint i = 0; i < job->outputs->len; i++)
		if (g_str_equal(((JobOutput *)g_ptr_array_index(job->outputs, i))->name, name)) {
			g_autofree char *why = g_strdup_printf("%s: it already has an output of that name",
			                                       name);
			reply_output(job, why, 0, -1);
			return;
		}
	int folder = job_folder(job);
	g_autoptr(GError) error = NULL;
	g_autoptr(OutputFile) file = folder < 0 ? NULL
		: output_file_create(folder, name, OUTPUT_FILE_UNNAMED, &error);
	if (!file) {
		g_autofree char *why = error
			? g_strdup_printf("in %s: %s", job->output_folder, error->message)
			: g_strdup_printf("cannot make its folder %s: %s", job->output_folder,
			                  g_strerror(errno));
		reply_output(job, why, 0, -1);
		return;
	}
	JobOutput *o = g_new0(JobOutput, 1);
	o->id = job->outputs->len + 1;
	o->name = g_steal_pointer(&name);
	o->path = g_build_filename(ctx->output_dir, job->output_folder, o->name, NULL);
	o->method = output_file_method_name(output_file_method(file));
	o->file = g_steal_pointer(&file);
	g_ptr_array_add(job->outputs, o);
	reply_output(job, NULL, o->id, output_file_fd(o->file));
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
	if (!o->file || fstat(output_file_fd(o->file), &st) < 0) {
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
		if (o->file && fstat(output_file_fd(o->file), &st) == 0 && (guint64)st.st_size >= limit)
			return o->name;
	}
	return NULL;
}

/* A closed output of a completed job: whole, and its name still free. */
static void keep(Job *job, JobOutput *o)
{
	guint64 frames = 0;
	g_autofree char *why = NULL;
	g_autoptr(GError) error = NULL;
	if (!output_check_whole(o->file, &frames, &why)) {
		o->state = JOB_OUTPUT_REFUSED;
		o->why = g_steal_pointer(&why);
		return;
	}
	if (!output_file_link(o->file, &error)) {
		o->state = JOB_OUTPUT_REFUSED;
		o->no_space = g_error_matches(error, OUTPUT_FILE_ERROR, OUTPUT_FILE_ERROR_NO_SPACE);
		o->why = g_error_matches(error, OUTPUT_FILE_ERROR, OUTPUT_FILE_ERROR_EXISTS)
			? g_strdup_printf("a file named %s appeared in %s while the expert wrote it, "
			                  "and is never replaced", o->name, job->output_folder)
			: g_strdup(error->message);
		return;
	}
	o->state = JOB_OUTPUT_KEPT;
	o->frames = frames;
}

#define NO_SPACE "no space left on device: "

/* Why the expert could not finish o, when its filesystem says so: the
 * executor's facts, never the child's word. */
static void note_space(JobOutput *o, guint64 size)
{
	guint64 free_bytes = 0;
	if (o->no_space || !output_check_fs_full(o->file, &free_bytes))
		return;
	o->no_space = TRUE;
	g_free(o->why);
	o->why = g_strdup_printf(NO_SPACE "%" G_GUINT64_FORMAT " bytes written, "
	                         "%" G_GUINT64_FORMAT " bytes free", size, free_bytes);
}

void job_settle_outputs(Job *job, gboolean completed)
{
	struct JobPrivate *p = job->priv;
	for (guint i = 0; i < job->outputs->len; i++) {
		JobOutput *o = g_ptr_array_index(job->outputs, i);
		if (!o->file)
			continue;
		int fd = output_file_fd(o->file);
		struct stat st;
		guint64 size = fstat(fd, &st) == 0 ? (guint64)st.st_size : 0;
		if (!o->complete) {
			/* Never declared complete: a crash must not leave a half-written
			 * capture that looks whole. */
			o->bytes = size;
			o->state = JOB_OUTPUT_UNFINISHED;
		} else {
			gboolean cut = TRUE;
			if (size > o->bytes) {
				cut = ftruncate(fd, (off_t)o->bytes) == 0;
				if (cut)
					o->cut_bytes = size - o->bytes;
				else
					g_warning("%s: cannot cut it back to %" G_GUINT64_FORMAT " bytes: %s",
					          o->path, o->bytes, g_strerror(errno));
			}
			if (!completed) {
				o->state = JOB_OUTPUT_JOB_FAILED;
			} else if (!cut) {
				o->state = JOB_OUTPUT_REFUSED;
				o->why = g_strdup("it could not be cut back to its length when closed");
			} else {
				keep(job, o);
			}
		}
		if (o->state != JOB_OUTPUT_KEPT)
			note_space(o, size);
		g_clear_pointer(&o->file, output_file_free);
	}
	if (p->output_folder_fd >= 0) {
		job_clear_fd(&p->output_folder_fd);
		/* Only one this job made, and only if empty (ENOTEMPTY otherwise). */
		if (p->output_folder_made)
			unlinkat(job->ctx->output_dir_fd, job->output_folder, AT_REMOVEDIR);
	}
}

char *job_outputs_detail(const Job *job, const char *detail)
{
	g_autoptr(GString) lost = g_string_new(NULL);
	for (guint i = 0; i < job->outputs->len; i++) {
		const JobOutput *o = g_ptr_array_index(job->outputs, i);
		if (o->no_space)
			return outcome_no_space_detail(o->name, g_str_has_prefix(o->why, NO_SPACE)
			                                        ? o->why + strlen(NO_SPACE) : o->why,
			                               detail);
		if (o->state == JOB_OUTPUT_REFUSED)
			g_string_append_printf(lost, "; output %s removed: %s", o->name, o->why);
	}
	if (job->output_refused)
		g_string_append_printf(lost, "; the executor refused it an output: %s",
		                       job->output_refused);
	return g_strconcat(detail ? detail : "", lost->str, NULL);
}
