/* report.c — a run's results as a table for people and as JSON for
 * programs. Both print the same facts from the same RunResult. */
#include "reports/report.h"

#include "expert.h"
#include "kernel/kernel-features.h"
#include "reports/json-kernel.h"
#include "reports/json-out.h"
#include "reports/report-format.h"
#include "results/outcome.h"

#include <string.h>

static const char *severity_name(int severity)
{
	static const char *const names[] = { "info", "warning", "error" };
	return severity >= 0 && severity < 3 ? names[severity] : "unknown";
}

static char *version_string(guint32 v)
{
	return g_strdup_printf("%u.%u", v >> 16, v & 0xFFFF);
}

/* ---- JSON --------------------------------------------------------------- */

static void add_resources(JsonBuilder *b, const char *name, const ResourceSnapshot *r)
{
	json_out_begin_object(b, name);
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

static void add_job(JsonBuilder *b, const Job *job)
{
	json_builder_begin_object(b);
	json_out_begin_object(b, "expert");
	json_out_string(b, "path", job->expert_path);
	if (job->has_info) {
		g_autofree char *version = version_string(job->version);
		json_out_string(b, "name", job->name);
		json_out_string(b, "vendor", job->vendor);
		json_out_string(b, "description", job->description);
		json_out_string(b, "version", version);
		json_out_int(b, "flags", job->flags);
	}
	json_builder_end_object(b);
	add_job_profile(b, job);

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
	if (job->signal)
		json_out_string(b, "signal", outcome_signal_name(job->signal));
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

	gint64 duration = job->end_usec > job->start_usec ? job->end_usec - job->start_usec : 0;
	json_out_double(b, "duration_ms", (double)duration / 1000.0);
	json_out_double(b, "cpu_ms", (double)job->cpu_usec / 1000.0);
	json_out_int(b, "peak_pool_bytes", (gint64)job->peak_pool_bytes);
	json_out_int(b, "pool_quota_bytes", (gint64)job->pool_quota_bytes);
	json_out_int(b, "max_rss_kib", (gint64)job->max_rss_kib);
	json_out_int(b, "frames_read", (gint64)job->frames_read);
	json_out_int(b, "events_submitted", job->events_submitted);
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

	json_out_begin_array(b, "outputs");
	for (guint i = 0; i < job->outputs->len; i++) {
		const JobOutput *o = g_ptr_array_index(job->outputs, i);
		json_builder_begin_object(b);
		json_out_string(b, "name", o->name);
		json_out_string(b, "path", o->path);
		json_out_bool(b, "complete", o->complete);
		json_out_string(b, "state",
		                o->complete ? "written" : "removed (the expert did not finish it)");
		json_out_int(b, "bytes", (gint64)o->bytes);
		json_out_int(b, "frames", (gint64)o->frames);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);

	json_out_begin_array(b, "events");
	for (guint i = 0; i < job->events->len; i++) {
		const JobEvent *e = g_ptr_array_index(job->events, i);
		json_builder_begin_object(b);
		json_out_string(b, "severity", severity_name(e->severity));
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
		add_job(b, g_ptr_array_index(r->jobs, i));
	json_builder_end_array(b);

	json_out_begin_object(b, "executor");
	add_resources(b, "before", &r->before);
	add_resources(b, "after", &r->after);
	json_out_double(b, "duration_ms", (double)r->duration_usec / 1000.0);
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

/* ---- text --------------------------------------------------------------- */

/* ---- events as tables --------------------------------------------------- */

#define CELL_MAX 40 /* characters of one table cell; longer text is cut */

static gboolean same_keys(const JobEvent *a, const JobEvent *b)
{
	if (a->details->len != b->details->len || a->severity != b->severity)
		return FALSE;
	for (guint k = 0; k < a->details->len; k++)
		if (!g_str_equal(g_array_index(a->details, JobDetail, k).key,
		                 g_array_index(b->details, JobDetail, k).key))
			return FALSE;
	return TRUE;
}

/* Whether every event in [first, last) says nothing in its text that its
 * details do not (report_text_redundant): its table needs no text column. */
static gboolean texts_redundant(const GPtrArray *events, guint first, guint last)
{
	for (guint i = first; i < last; i++) {
		const JobEvent *e = g_ptr_array_index(events, i);
		g_autofree const char **values = g_new(const char *, e->details->len);
		for (guint k = 0; k < e->details->len; k++)
			values[k] = g_array_index(e->details, JobDetail, k).value;
		if (!report_text_redundant(e->text, values, e->details->len))
			return FALSE;
	}
	return TRUE;
}

/* Cut to CELL_MAX characters (not bytes: the text is UTF-8). */
static char *cell(const char *text)
{
	if (g_utf8_strlen(text, -1) <= CELL_MAX)
		return g_strdup(text);
	g_autofree char *head = g_utf8_substring(text, 0, CELL_MAX - 1);
	return g_strconcat(head, "…", NULL);
}

static void pad(GString *out, const char *text, guint width, gboolean right)
{
	guint len = (guint)g_utf8_strlen(text, -1);
	if (right)
		for (guint i = len; i < width; i++)
			g_string_append_c(out, ' ');
	g_string_append(out, text);
	if (!right)
		for (guint i = len; i < width; i++)
			g_string_append_c(out, ' ');
}

/* Events in a run with the same detail keys read best as a table, one
 * column per key; a lone event as a line. Returns the index after those
 * printed. */
static guint append_events(GString *out, const GPtrArray *events, guint first)
{
	const JobEvent *e0 = g_ptr_array_index(events, first);
	guint last = first + 1;
	while (last < events->len && same_keys(e0, g_ptr_array_index(events, last)))
		last++;
	guint n_cols = e0->details->len + 1; /* the text, then each detail */
	if (last - first < 2 || e0->details->len == 0) {
		g_string_append_printf(out, "   %-7s   %s", severity_name(e0->severity), e0->text);
		for (guint k = 0; k < e0->details->len; k++) {
			const JobDetail *d = &g_array_index(e0->details, JobDetail, k);
			g_string_append_printf(out, "%s%s=%s", k ? ", " : "  [", d->key, d->value);
		}
		g_string_append(out, e0->details->len ? "]\n" : "\n");
		return first + 1;
	}
	g_autofree guint *width = g_new0(guint, n_cols);
	g_autofree gboolean *numeric = g_new0(gboolean, n_cols);
	guint c0 = texts_redundant(events, first, last) ? 1 : 0; /* first column shown */
	width[0] = (guint)strlen("event");
	for (guint c = 1; c < n_cols; c++) {
		width[c] = (guint)g_utf8_strlen(g_array_index(e0->details, JobDetail, c - 1).key, -1);
		numeric[c] = TRUE;
	}
	for (guint i = first; i < last; i++) {
		const JobEvent *e = g_ptr_array_index(events, i);
		for (guint c = 0; c < n_cols; c++) {
			const char *v = c ? g_array_index(e->details, JobDetail, c - 1).value : e->text;
			g_autofree char *t = cell(v);
			width[c] = MAX(width[c], (guint)g_utf8_strlen(t, -1));
			if (c && !report_is_number(v))
				numeric[c] = FALSE;
		}
	}
	g_string_append_printf(out, "   %-7s   ", severity_name(e0->severity));
	for (guint c = c0; c < n_cols; c++) {
		pad(out, c ? g_array_index(e0->details, JobDetail, c - 1).key : "event", width[c], numeric[c]);
		g_string_append(out, c + 1 < n_cols ? "  " : "\n");
	}
	for (guint i = first; i < last; i++) {
		const JobEvent *e = g_ptr_array_index(events, i);
		g_string_append(out, "             ");
		for (guint c = c0; c < n_cols; c++) {
			g_autofree char *t = cell(c ? g_array_index(e->details, JobDetail, c - 1).value : e->text);
			pad(out, t, width[c], numeric[c]);
			g_string_append(out, c + 1 < n_cols ? "  " : "\n");
		}
	}
	return last;
}

static void text_job(GString *out, const Job *job)
{
	const char *name = job->has_info && job->name[0] ? job->name : job->expert_path;
	gint64 duration = job->end_usec > job->start_usec ? job->end_usec - job->start_usec : 0;
	g_autofree char *pool = report_pool(job->peak_pool_bytes, job->pool_quota_bytes);
	g_string_append_printf(out, "\n== %s\n", name);
	g_string_append_printf(out, "   outcome   %s: %s\n", outcome_info(job->outcome)->name,
	                       job->detail ? job->detail : "");
	if (job->violation) {
		const JobViolation *v = job->violation;
		g_string_append_printf(out, "   syscall   %s (nr %d, %s) at ip %#" G_GINT64_MODIFIER "x\n"
		                       "   call      %s%s\n",
		                       v->name, v->nr, v->arch, v->instruction_pointer, v->call,
		                       v->strings_read ? "  (strings as read at the time of the call)" : "");
		if (v->location)
			g_string_append_printf(out, "   location  %s (just past the syscall instruction; "
			                       "the caller is not shown)\n", v->location);
		g_string_append_printf(out, "   rule      %s\n", v->rule);
	}
	if (job->fault) {
		const FaultClaim *f = job->fault;
		g_autofree char *hex = fault_claim_hex(f);
		g_string_append_printf(out, "   fault     %s (%s) at ip 0x%" G_GINT64_MODIFIER "x, "
		                       "address 0x%" G_GINT64_MODIFIER "x; code %s (as the child "
		                       "reports it)\n", outcome_signal_name(f->signal),
		                       fault_code_name(f->signal, f->si_code), f->ip, f->address,
		                       f->n_bytes ? hex : "not readable");
	}
	g_string_append_printf(out, "   time      %.1f ms wall, %.1f ms CPU\n",
	                       (double)duration / 1000.0, (double)job->cpu_usec / 1000.0);
	g_string_append_printf(out, "   pool      peak %s\n", pool);
	g_string_append_printf(out, "   frames    %" G_GUINT64_FORMAT " read, %u events\n",
	                       job->frames_read, job->events_submitted);
	if (job->faults[0] || job->faults[1] || job->faults[2])
		g_string_append_printf(out, "   memory    %u refused at quota, %u invalid pointers, "
		                       "%u corruptions\n", job->faults[0], job->faults[1], job->faults[2]);
	for (guint i = 0; i < job->outputs->len; i++) {
		const JobOutput *o = g_ptr_array_index(job->outputs, i);
		if (o->complete)
			g_string_append_printf(out, "   output    %s (%" G_GUINT64_FORMAT " frames, %"
			                       G_GUINT64_FORMAT " bytes)\n", o->path, o->frames, o->bytes);
		else
			g_string_append_printf(out, "   output    %s removed: the expert did not finish it\n",
			                       o->path);
	}
	for (guint i = 0; i < job->events->len;)
		i = append_events(out, job->events, i);
}

char *report_text_header(const RunResult *r)
{
	GString *out = g_string_new(NULL);
	g_string_append_printf(out, "capture  %s (%s, %" G_GUINT64_FORMAT " frames, %"
	                       G_GUINT64_FORMAT " bytes)%s%s\n",
	                       r->capture->path, r->capture->format, r->capture->frame_count,
	                       r->capture->bytes_on_wire, r->capture->partial ? ", PARTIAL: " : "",
	                       r->capture->partial ? r->capture->partial_reason : "");
	/* The layers under the filter, before which profile each expert has:
	 * what is missing is the first thing to know. */
	g_autofree char *isolation = isolation_line(&r->isolation);
	g_string_append_printf(out, "isolation  %s\n", isolation);
	/* The mapping in force: which expert runs under which profile, and who
	 * said so. */
	guint width = 0, pwidth = 0, fwidth = 0;
	for (guint i = 0; i < r->assignments->len; i++) {
		const RunAssignment *a = r->assignments->pdata[i];
		width = MAX(width, (guint)strlen(a->expert));
		pwidth = MAX(pwidth, (guint)strlen(a->profile->profile->name));
		fwidth = MAX(fwidth, (guint)strlen(a->profile->profile->path));
	}
	for (guint i = 0; i < r->assignments->len; i++) {
		const RunAssignment *a = r->assignments->pdata[i];
		const Profile *p = a->profile->profile;
		g_string_append_printf(out, "profile  %-*s  %-*s  %-*s", (int)width, a->expert, (int)pwidth,
		                       p->name, a->chosen_by ? (int)fwidth : 0, p->path);
		if (a->chosen_by)
			g_string_append_printf(out, "  (%s)", a->chosen_by);
		g_string_append_c(out, '\n');
	}
	return g_string_free(out, FALSE);
}

char *report_text_jobs(const RunResult *r)
{
	GString *out = g_string_new(NULL);
	guint pwidth = strlen("profile");
	for (guint i = 0; i < r->profiles->len; i++)
		pwidth = MAX(pwidth, (guint)strlen(((RunProfile *)r->profiles->pdata[i])->profile->name));
	g_string_append_printf(out, "\n%-28s %-*s %-19s %9s %20s %8s %7s\n", "expert", (int)pwidth,
	                       "profile", "outcome", "time ms", "pool peak", "frames", "events");
	for (guint i = 0; i < r->jobs->len; i++) {
		const Job *job = g_ptr_array_index(r->jobs, i);
		g_autofree char *base = g_path_get_basename(job->expert_path);
		const char *name = job->has_info && job->name[0] ? job->name : base;
		gint64 duration = job->end_usec > job->start_usec ? job->end_usec - job->start_usec : 0;
		g_autofree char *pool = report_pool(job->peak_pool_bytes, job->pool_quota_bytes);
		g_string_append_printf(out, "%-28.28s %-*s %-19s %9.1f %20s %8" G_GUINT64_FORMAT " %7u\n",
		                       name, (int)pwidth, job->run_profile->profile->name,
		                       outcome_info(job->outcome)->name, (double)duration / 1000.0,
		                       pool, job->frames_read, job->events_submitted);
	}
	for (guint i = 0; i < r->jobs->len; i++)
		text_job(out, g_ptr_array_index(r->jobs, i));
	return g_string_free(out, FALSE);
}

char *report_text(const RunResult *r)
{
	g_autofree char *header = report_text_header(r);
	g_autofree char *jobs = report_text_jobs(r);
	return g_strconcat(header, jobs, NULL);
}

char *report_list(const RunResult *r)
{
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < r->jobs->len; i++) {
		const Job *job = g_ptr_array_index(r->jobs, i);
		g_string_append_printf(out, "%s\n", job->expert_path);
		if (job->outcome != OUTCOME_COMPLETED || !job->has_info) {
			g_string_append_printf(out, "   %s: %s\n", outcome_info(job->outcome)->name,
			                       job->detail ? job->detail : "");
			continue;
		}
		g_autofree char *version = version_string(job->version);
		g_string_append_printf(out, "   name         %s\n   vendor       %s\n"
		                       "   version      %s\n   description  %s\n   flags       ",
		                       job->name, job->vendor, version, job->description);
		if (job->flags & EXPERT_FLAG_CONFIGURABLE)
			g_string_append(out, " configurable");
		if (job->flags & EXPERT_FLAG_WRITES_OUTPUT)
			g_string_append(out, " writes-output");
		if (!(job->flags & (EXPERT_FLAG_CONFIGURABLE | EXPERT_FLAG_WRITES_OUTPUT)))
			g_string_append(out, " none");
		g_string_append_c(out, '\n');
	}
	return g_string_free(out, FALSE);
}
