/* job-inject.c — a fault injected into a job (see job-inject.h).
 *
 * Every fault is made at the host's side of the API. What reaches the
 * executor it refuses itself: a frame filter or an output asked for, a
 * write to an output (with a fault injected, the filter hands those over:
 * profiles/filter-prefix.h), the capture the child maps. What never reaches
 * it (an allocation, the count of API calls) the child's runtime does from
 * the plan in START, and says so (INJECTED); each such report is checked
 * against the plan, and a report of a fault the plan does not hold is a
 * protocol violation. The SIGKILL after N calls is the executor's, sent
 * when the runtime says it has stopped there. */
#include "jobs/job-inject.h"

#include "captures/capture-cut.h"
#include "outputs/output-file.h"
#include "profiles/filter-prefix.h"
#include "profiles/filter.h"

#include <sys/stat.h>

/* Write offsets kept for a sweep; a run that writes more than this many
 * times is swept at these. */
#define WRITE_OFFSETS_MAX 4096

gboolean job_inject_begin(Job *job, GError **error)
{
	const InjectSpec *spec = job->ctx->inject;
	if (!spec)
		return TRUE;
	JobInjection *inj = g_new0(JobInjection, 1);
	inj->spec = inject_spec_copy(spec);
	inj->write_offsets = g_array_new(FALSE, FALSE, sizeof(guint64));
	job->injection = inj;
	if (spec->kind != INJECT_EOF)
		return TRUE;
	/* The child maps the run's cut (job_inject_cut_capture); a capture of
	 * fewer frames has no frame N to end at. */
	inj->fired = spec->n <= job->ctx->capture->frame_count;
	inj->fired_count = inj->fired;
	return TRUE;
}

Capture *job_inject_cut_capture(const InjectSpec *spec, const Capture *capture, GError **error)
{
	g_autofree char *reason = g_strdup_printf("cut short at frame %" G_GUINT64_FORMAT
	                                          " by fault injection (eof@%" G_GUINT64_FORMAT ")",
	                                          spec->n, spec->n);
	return capture_cut(capture, spec->n - 1, reason, error);
}

guint8 job_inject_start_flag(const Job *job)
{
	return job->injection ? WIRE_START_INJECT : 0;
}

void job_inject_put_plan(const Job *job, WireWriter *w)
{
	if (!job->injection)
		return;
	WireInjectPlan plan;
	inject_spec_wire(job->injection->spec, &plan);
	wire_put_u8(w, plan.inject);
	wire_put_u64(w, plan.n);
	wire_put_u64(w, plan.p);
	wire_put_u64(w, plan.seed);
}

char *job_inject_refusal(Job *job, InjectClass kind, guint count)
{
	JobInjection *inj = job->injection;
	if (!inj || inj->spec->kind != kind || inj->spec->all || inj->spec->n != count)
		return NULL;
	inj->fired = TRUE;
	inj->fired_count++;
	g_autofree char *spec = inject_spec_format(inj->spec);
	return g_strdup_printf("refused by fault injection (%s)", spec);
}

/* What the job's outputs hold, from the executor's own descriptors. */
static guint64 outputs_bytes(const Job *job)
{
	guint64 total = 0;
	for (guint i = 0; i < job->outputs->len; i++) {
		const JobOutput *o = g_ptr_array_index(job->outputs, i);
		struct stat st;
		if (o->file && fstat(output_file_fd(o->file), &st) == 0)
			total += (guint64)st.st_size;
	}
	return total;
}

JobInjectWrite job_inject_write(Job *job, const struct seccomp_notif *req)
{
	JobInjection *inj = job->injection;
	const guint64 *args = (const guint64 *)req->data.args;
	const OutputWriteCall *call = filter_output_write_call((int)req->data.nr, args);
	if (!inj || !call || job->priv->phase < PHASE_LOADED)
		return JOB_INJECT_WRITE_NOT_MINE;
	/* Only what the profile lets through is the disk's to refuse; anything
	 * else the profile decides, as without a fault. */
	FilterVerdict v;
	filter_decide(job_profile(job), (int)req->data.nr, (const uint64_t *)args, &v);
	if (v.action.kind != PROFILE_ACTION_ALLOW && v.action.kind != PROFILE_ACTION_LOG)
		return JOB_INJECT_WRITE_NOT_MINE;
	guint64 held = outputs_bytes(job);
	/* The vector forms' byte count is in the child's memory: counted as
	 * one byte, so they fail once the outputs are full. */
	guint64 bytes = call->bytes_arg >= 0 ? args[call->bytes_arg] : 1;
	if (inj->write_offsets->len < WRITE_OFFSETS_MAX)
		g_array_append_val(inj->write_offsets, held);
	const InjectSpec *spec = inj->spec;
	if (spec->kind == INJECT_WRITE && !spec->all &&
	    (job->priv->writes_refused || bytes > spec->n || held > spec->n - bytes)) {
		/* A full disk stays full. */
		job->priv->writes_refused = TRUE;
		inj->fired = TRUE;
		inj->fired_count++;
		return JOB_INJECT_WRITE_ENOSPC;
	}
	inj->bytes_written = held + bytes;
	return JOB_INJECT_WRITE_CONTINUE;
}

/* Whether a fault the child says it made is one the plan asks of it. */
static gboolean planned(const JobInjection *inj, const WireMessage *msg)
{
	const InjectSpec *spec = inj->spec;
	if (msg->u.injected.inject != inject_class_info(spec->kind)->wire)
		return FALSE;
	switch (msg->u.injected.inject) {
	case WIRE_INJECT_ALLOC:
		if (spec->p)
			return wire_inject_draw(spec->seed, msg->u.injected.allocations, spec->p);
		return !inj->fired && msg->u.injected.allocations == spec->n;
	case WIRE_INJECT_TERMINATE:
	case WIRE_INJECT_KILL:
		return !inj->fired && msg->u.injected.api_calls == spec->n;
	default:
		return FALSE;
	}
}

void job_inject_on_injected(Job *job, const WireMessage *msg)
{
	JobInjection *inj = job->injection;
	if (!inj) {
		job_protocol_violation(job, "reported a fault injected, though none was planned");
		return;
	}
	if (inj->fired_count >= WIRE_INJECTED_MAX) {
		job_protocol_violation(job, "reported more than %d faults injected", WIRE_INJECTED_MAX);
		return;
	}
	if (!planned(inj, msg)) {
		g_autofree char *spec = inject_spec_format(inj->spec);
		job_protocol_violation(job, "reported a fault injected that the plan (%s) does not hold "
		                       "(at API call %" G_GUINT64_FORMAT ", allocation %" G_GUINT64_FORMAT ")",
		                       spec, msg->u.injected.api_calls, msg->u.injected.allocations);
		return;
	}
	if (!inj->fired_count) {
		inj->fired_at_call = msg->u.injected.api_calls;
		inj->fired_at_allocation = msg->u.injected.allocations;
	}
	inj->fired = TRUE;
	inj->fired_by_child = TRUE;
	inj->fired_count++;
	if (msg->u.injected.inject == WIRE_INJECT_KILL)
		job_kill(job, KILL_REASON_INJECTED,
		         g_strdup_printf("killed (SIGKILL) by the executor after API call %" G_GUINT64_FORMAT
		                         ", by fault injection (kill@%" G_GUINT64_FORMAT ")",
		                         msg->u.injected.api_calls, inj->spec->n));
}

void job_inject_on_calls(Job *job, const WireMessage *msg)
{
	JobInjection *inj = job->injection;
	if (!inj) {
		job_protocol_violation(job, "sent its call counts, though no fault injection was planned");
		return;
	}
	if (job->priv->calls_received) {
		job_protocol_violation(job, "sent its call counts twice");
		return;
	}
	job->priv->calls_received = TRUE;
	inj->has_calls = TRUE;
	inj->api_calls = msg->u.calls.api_calls;
	inj->allocations = msg->u.calls.allocations;
}

void job_inject_free(Job *job)
{
	JobInjection *inj = job->injection;
	if (inj) {
		inject_spec_free(inj->spec);
		g_array_unref(inj->write_offsets);
		g_free(inj);
		job->injection = NULL;
	}
}
