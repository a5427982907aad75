/* report.c — a run's results as JSON for programs; report-text.c prints
 * the same facts from the same RunResult for people. */
#include "reports/report.h"

#include "expert.h"
#include "kernel/kernel-features.h"
#include "reports/json-kernel.h"
#include "reports/json-out.h"
#include "reports/json-read.h"
#include "reports/report-inject.h"
#include "results/outcome.h"
#include "results/output-state.h"

const char *report_severity_name(int severity)
{
	static const char *const names[] = { "info", "warning", "error" };
	return severity >= 0 && severity < 3 ? names[severity] : "unknown";
}

char *report_version_string(guint32 v)
{
	return g_strdup_printf("%u.%u", v >> 16, v & 0xFFFF);
}

/* ---- JSON --------------------------------------------------------------- */

static void add_resources(JsonBuilder *b, const char *name, const ResourceSnapshot *r)
{
	json_out_begin_object(b, name);
	json_out_double(b, "cpu_ms", (double)r->cpu_usec / 1000.0);
	json_out_int(b, "open_fds", r->open_fds);
	json_out_int(b, "rss_bytes", (gint64)r->rss_bytes);
	json_out_int(b, "pool_regions", r->pool_regions);
	json_out_int(b, "pool_bytes", (gint64)r->pool_bytes);
	json_builder_end_object(b);
}

/* The child's own account of its fault: marked as such, and whether the
 * kernel's wait status agrees on the signal. */
static void add_fault(JsonBuilder *b, const Job *job)
{
	const FaultClaim *f = job->fault;
	g_autofree char *address = g_strdup_printf("0x%" G_GINT64_MODIFIER "x", f->address);
	g_autofree char *ip = g_strdup_printf("0x%" G_GINT64_MODIFIER "x", f->ip);
	g_autofree char *hex = fault_claim_hex(f);
	json_out_begin_object(b, "fault");
	json_out_string(b, "reported_by", "child");
	json_out_string(b, "signal", outcome_signal_name(f->signal));
	json_out_string(b, "code", fault_code_name(f->signal, f->si_code));
	json_out_int(b, "si_code", f->si_code);
	json_out_string(b, "address", address);
	json_out_string(b, "instruction_pointer", ip);
	json_out_string(b, "code_bytes", hex);
	json_out_string(b, "instruction", fault_claim_instruction(f));
	json_out_bool(b, "matches_wait_status", job->signal == f->signal);
	/* From the load addresses it reported too: the child's word twice. */
	json_out_string(b, "location", f->location);
	json_builder_end_object(b);
}

/* Which profile a job ran under, exactly: the digest names what it allowed. */
static void add_job_profile(JsonBuilder *b, const Job *job)
{
	const RunProfile *rp = job->run_profile;
	json_out_begin_object(b, "profile");
	json_out_string(b, "name", rp->profile->name);
	json_out_string(b, "path", rp->profile->path);
	json_out_string(b, "sha256", rp->sha256);
	json_out_string(b, "chosen_by", job->profile_chosen_by);
	json_builder_end_object(b);
}

void report_json_job(JsonBuilder *b, const Job *job)
{
	json_builder_begin_object(b);
	json_out_begin_object(b, "expert");
	json_out_string(b, "path", job->expert_path);
	if (job->has_info) {
		g_autofree char *version = report_version_string(job->version);
		json_out_string(b, "name", job->name);
		json_out_string(b, "vendor", job->vendor);
		json_out_string(b, "description", job->description);
		json_out_string(b, "version", version);
		json_out_int(b, "flags", job->flags);
	}
	json_builder_end_object(b);
	add_job_profile(b, job);
	if (job->output_folder)
		json_out_string(b, "output_folder", job->output_folder);

	json_out_string(b, "outcome", outcome_info(job->outcome)->name);
	json_out_string(b, "detail", job->detail);
	if (job->expert_reason) {
		/* Also in the detail; here apart, and marked as the expert's word. */
		json_out_begin_object(b, "reason");
		json_out_string(b, "text", job->expert_reason);
		json_out_string(b, "reported_by", "expert");
		json_builder_end_object(b);
	}
	if (job->outcome == OUTCOME_COMPLETED)
		json_out_int(b, "return_value", job->return_value);
	if (job->signal) {
		json_out_string(b, "signal", outcome_signal_name(job->signal));
		/* The executor saw the child send it that signal itself. */
		json_out_bool(b, "raised_itself", job->raised_itself);
	}
	if (job->exit_status >= 0)
		json_out_int(b, "exit_status", job->exit_status);
	if (job->violation) {
		const JobViolation *v = job->violation;
		json_out_begin_object(b, "violation");
		json_out_string(b, "syscall", v->name);
		json_out_int(b, "number", v->nr);
		json_out_string(b, "arch", v->arch);
		json_out_string(b, "call", v->call);
		/* The call's strings are the child's memory, read while it was
		 * stopped in the call: what it held then, nothing more. */
		json_out_bool(b, "strings_read_at_call", v->strings_read);
		json_out_begin_array(b, "args");
		for (int i = 0; i < 6; i++) {
			g_autofree char *hex = g_strdup_printf("%#" G_GINT64_MODIFIER "x", v->args[i]);
			json_builder_add_string_value(b, hex);
		}
		json_builder_end_array(b);
		g_autofree char *ip = g_strdup_printf("%#" G_GINT64_MODIFIER "x", v->instruction_pointer);
		json_out_string(b, "instruction_pointer", ip);
		/* Of the syscall instruction, usually libc's wrapper: not the caller. */
		json_out_string(b, "location", v->location);
		json_out_string(b, "rule", v->rule);
		json_out_string(b, "action", v->action);
		json_builder_end_object(b);
	}

	if (job->fault)
		add_fault(b, job);
	if (job->injection)
		report_injection_json(b, job);

	gint64 duration = job->end_usec > job->start_usec ? job->end_usec - job->start_usec : 0;
	json_out_double(b, "duration_ms", (double)duration / 1000.0);
	json_out_double(b, "cpu_ms", (double)job->cpu_usec / 1000.0);
	json_out_int(b, "peak_pool_bytes", (gint64)job->peak_pool_bytes);
	json_out_int(b, "pool_quota_bytes", (gint64)job->pool_quota_bytes);
	json_out_int(b, "max_rss_kib", (gint64)job->max_rss_kib);
	json_out_int(b, "frames_read", (gint64)job->frames_read);
	if (job->frames_claimed)
		json_out_string(b, "frames_read_claimed", "more than the capture holds");
	json_out_int(b, "events_submitted", job->events_submitted);
	/* The loader's calls the kernel left to the executor: each stopped the
	 * child until the executor answered. */
	json_out_int(b, "loader_round_trips", job->loader_round_trips);
	/* What it cost the executor, counted and measured by the executor. */
	json_out_begin_object(b, "executor_cost");
	json_out_double(b, "cpu_ms", (double)job->executor_cpu_usec / 1000.0);
	json_out_double(b, "filter_cpu_ms", (double)job->filter_cpu_usec / 1000.0);
	json_out_int(b, "event_bytes", (gint64)job->event_bytes);
	json_out_int(b, "notifications", job->notifications);
	json_out_int(b, "filter_requests", job->filter_requests);
	json_out_int(b, "output_requests", job->output_requests);
	json_builder_end_object(b);
	json_out_begin_object(b, "memory_faults");
	json_out_int(b, "quota", job->faults[0]);
	json_out_int(b, "invalid_pointer", job->faults[1]);
	json_out_int(b, "corruption", job->faults[2]);
	json_builder_end_object(b);
	if (job->status_text) {
		json_out_begin_object(b, "last_status");
		json_out_int(b, "percent", job->status_percent);
		json_out_string(b, "text", job->status_text);
		json_builder_end_object(b);
	}

	if (job->output_refused)
		json_out_string(b, "output_refused", job->output_refused);
	json_out_begin_array(b, "outputs");
	for (guint i = 0; i < job->outputs->len; i++) {
		const JobOutput *o = g_ptr_array_index(job->outputs, i);
		json_builder_begin_object(b);
		json_out_string(b, "name", o->name);
		json_out_string(b, "path", o->path);
		json_out_bool(b, "complete", o->complete);
		json_out_string(b, "state", output_state_name(o));
		if (o->state != JOB_OUTPUT_KEPT)
			json_out_string(b, "why", output_state_why(o));
		json_out_bool(b, "no_space", o->no_space);
		json_out_string(b, "created_as", o->method);
		json_out_int(b, "bytes", (gint64)o->bytes);
		json_out_int(b, "cut_bytes", (gint64)o->cut_bytes);
		json_out_int(b, "frames", (gint64)o->frames);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);

	json_out_begin_array(b, "events");
	for (guint i = 0; i < job->events->len; i++) {
		const JobEvent *e = g_ptr_array_index(job->events, i);
		json_builder_begin_object(b);
		json_out_string(b, "severity", report_severity_name(e->severity));
		json_out_string(b, "text", e->text);
		json_out_begin_object(b, "details");
		for (guint k = 0; k < e->details->len; k++) {
			const JobDetail *d = &g_array_index(e->details, JobDetail, k);
			json_out_string(b, d->key, d->value);
		}
		json_builder_end_object(b);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
}

guint report_json_outputs_removed(JsonObject *job)
{
	guint n = 0;
	JsonArray *outputs = json_read_array(job, "outputs");
	for (guint i = 0; outputs && i < json_array_get_length(outputs); i++) {
		JsonObject *o = json_read_element(outputs, i);
		JsonNode *complete = o ? json_object_get_member(o, "complete") : NULL;
		if (complete && JSON_NODE_HOLDS_VALUE(complete) && json_node_get_boolean(complete) &&
		    g_strcmp0(json_read_string(o, "state"), "removed") == 0)
			n++;
	}
	return n;
}

gboolean report_json_job_ok(JsonObject *job)
{
	double rv = -1;
	return g_strcmp0(json_read_string(job, "outcome"), outcome_info(OUTCOME_COMPLETED)->name) == 0 &&
	       json_read_number(job, "return_value", &rv) && rv == 0 &&
	       report_json_outputs_removed(job) == 0;
}

void report_prefork_json(JsonBuilder *b, const char *member, const PreforkFigures *f)
{
	json_out_begin_object(b, member);
	json_out_int(b, "size", f->size);
	json_out_int(b, "forked", (gint64)f->forked);
	json_out_int(b, "jobs_on_a_ready_child", (gint64)f->taken_ready);
	json_out_double(b, "fork_ms_mean", f->fork_ms_mean);
	json_builder_end_object(b);
}

char *report_json(const RunResult *r)
{
	g_autoptr(JsonNode) root = report_json_node(r);
	return json_out_node_text(root);
}

JsonNode *report_json_node(const RunResult *r)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);

	json_out_begin_object(b, "capture");
	json_out_string(b, "path", r->capture->path);
	json_out_string(b, "format", r->capture->format);
	json_out_int(b, "frames", (gint64)r->capture->frame_count);
	json_out_int(b, "bytes_on_wire", (gint64)r->capture->bytes_on_wire);
	json_out_int(b, "link_type", r->capture->link_type);
	json_out_bool(b, "partial", r->capture->partial);
	if (r->capture->partial)
		json_out_string(b, "partial_reason", r->capture->partial_reason);
	/* Where the jobs read the frames: the file itself, mapped, or the
	 * sealed copy (--copy-capture, or a file that cannot stay as it is). */
	json_out_string(b, "frames_in", r->capture->file_fd >= 0 ? "file" : "memfd");
	json_builder_end_object(b);

	/* Each profile of the run once; which expert had which is in its job. */
	json_out_begin_array(b, "profiles");
	for (guint i = 0; i < r->profiles->len; i++) {
		const RunProfile *rp = r->profiles->pdata[i];
		json_builder_begin_object(b);
		json_out_string(b, "name", rp->profile->name);
		json_out_string(b, "path", rp->profile->path);
		json_out_string(b, "sha256", rp->sha256);
		json_out_int(b, "filter_instructions", rp->filter->n_insns);
		json_out_int(b, "experts", rp->n_experts);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	isolation_json(b, "isolation", &r->isolation);

	json_out_begin_array(b, "jobs");
	for (guint i = 0; i < r->jobs->len; i++)
		report_json_job(b, g_ptr_array_index(r->jobs, i));
	json_builder_end_array(b);

	json_out_begin_object(b, "executor");
	add_resources(b, "before", &r->before);
	add_resources(b, "after", &r->after);
	json_out_double(b, "duration_ms", (double)r->duration_usec / 1000.0);
	report_prefork_json(b, "prefork", &r->prefork_figures);
	json_builder_end_object(b);
	/* What the outcomes may depend on: which ABIs reach the kernel, ... */
	kernel_features_json(b, "kernel");

	json_builder_end_object(b);
	return json_builder_get_root(b);
}

char *report_json_error(const char *command, const char *message, int exit_status)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	json_out_string(b, "command", command);
	json_out_string(b, "error", message);
	json_out_int(b, "exit_status", exit_status);
	json_builder_end_object(b);
	return json_out_text(b);
}

