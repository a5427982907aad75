/* report-text.c — a run's results for people (see report-text.h).
 *
 * Jobs are named by their file, the operator's word; what an expert says
 * it is, and everything else it sends, is escaped (results/child-text.h)
 * and printed only after the executor's own words on a line, so no child
 * can forge a line of the report or act on the terminal. */
#include "reports/report-text.h"

#include "expert.h"
#include "kernel/isolation.h"
#include "reports/report-format.h"
#include "reports/report-inject.h"
#include "reports/report.h"
#include "results/child-text.h"
#include "results/outcome.h"
#include "results/output-state.h"

#include <string.h>

#define CELL_MAX 40 /* characters of one table cell; longer text is cut */
#define LABEL_WIDTH 28

char *report_job_label(const Job *job)
{
	char *base = g_path_get_basename(job->expert_path);
	if (g_str_has_suffix(base, ".so") && strlen(base) > 3)
		base[strlen(base) - 3] = '\0';
	return base;
}

/* Appends text escaped (NULL as ""). */
static void put(GString *out, const char *text)
{
	child_text_append(out, text, -1, 0, 0);
}

/* Appends text the executor composed, whose child parts were escaped when
 * it was (an outcome's detail, a call with its strings): escaped again for
 * anything else, without doubling those escapes. */
static void put_composed(GString *out, const char *text)
{
	child_text_append(out, text, -1, 0, CHILD_TEXT_ESCAPED_PARTS);
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

/* text escaped, cut to max characters and padded to width. */
static void put_cell(GString *out, const char *text, guint max, guint width)
{
	g_autofree char *cut = child_text(text, max, 0);
	pad(out, cut, width, FALSE);
}

/* ---- events as tables --------------------------------------------------- */

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

static const char *cell_text(const JobEvent *e, guint c)
{
	return c ? g_array_index(e->details, JobDetail, c - 1).value : e->text;
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
		g_string_append_printf(out, "   %-7s   ", report_severity_name(e0->severity));
		put(out, e0->text);
		for (guint k = 0; k < e0->details->len; k++) {
			const JobDetail *d = &g_array_index(e0->details, JobDetail, k);
			g_string_append(out, k ? ", " : "  [");
			put(out, d->key);
			g_string_append_c(out, '=');
			put(out, d->value);
		}
		g_string_append(out, e0->details->len ? "]\n" : "\n");
		return first + 1;
	}
	guint c0 = texts_redundant(events, first, last) ? 1 : 0; /* first column shown */
	guint n_rows = last - first + 1; /* the header, then each event */
	g_autofree char **cells = g_new0(char *, (gsize)n_rows * n_cols);
	g_autofree guint *width = g_new0(guint, n_cols);
	g_autofree gboolean *numeric = g_new0(gboolean, n_cols);
	for (guint c = c0; c < n_cols; c++) {
		numeric[c] = c > 0;
		cells[c] = c ? child_text(g_array_index(e0->details, JobDetail, c - 1).key, CELL_MAX, 0)
		             : g_strdup("event");
		for (guint r = 1; r < n_rows; r++) {
			const JobEvent *e = g_ptr_array_index(events, first + r - 1);
			cells[r * n_cols + c] = child_text(cell_text(e, c), CELL_MAX, 0);
			if (c && !report_is_number(cell_text(e, c)))
				numeric[c] = FALSE;
		}
		for (guint r = 0; r < n_rows; r++)
			width[c] = MAX(width[c], (guint)g_utf8_strlen(cells[r * n_cols + c], -1));
	}
	for (guint r = 0; r < n_rows; r++) {
		if (r == 0)
			g_string_append_printf(out, "   %-7s   ", report_severity_name(e0->severity));
		else
			g_string_append(out, "             ");
		for (guint c = c0; c < n_cols; c++) {
			pad(out, cells[r * n_cols + c], width[c], numeric[c]);
			g_string_append(out, c + 1 < n_cols ? "  " : "\n");
		}
	}
	for (gsize i = 0; i < (gsize)n_rows * n_cols; i++)
		g_free(cells[i]);
	return last;
}

/* ---- a job's section ---------------------------------------------------- */

static void text_violation(GString *out, const JobViolation *v)
{
	g_string_append_printf(out, "   syscall   %s (nr %d, %s) at ip %#" G_GINT64_MODIFIER "x\n",
	                       v->name, v->nr, v->arch, v->instruction_pointer);
	g_string_append(out, "   call      ");
	put_composed(out, v->call);
	if (v->strings_read)
		g_string_append(out, "  (strings as read at the time of the call)");
	if (v->location) {
		g_string_append(out, "\n   location  ");
		put(out, v->location);
		g_string_append(out, " (just past the syscall instruction; the caller is not shown)");
	}
	g_string_append(out, "\n   rule      ");
	put(out, v->rule);
	g_string_append_c(out, '\n');
}

static void text_outputs(GString *out, const Job *job)
{
	for (guint i = 0; i < job->outputs->len; i++) {
		const JobOutput *o = g_ptr_array_index(job->outputs, i);
		g_string_append(out, "   output    ");
		put(out, o->path);
		if (o->state != JOB_OUTPUT_KEPT) {
			g_string_append_printf(out, " %s: ", output_state_name(o));
			put_composed(out, output_state_why(o));
			g_string_append_c(out, '\n');
			continue;
		}
		g_string_append_printf(out, " (%" G_GUINT64_FORMAT " frames, %" G_GUINT64_FORMAT " bytes",
		                       o->frames, o->bytes);
		if (o->cut_bytes)
			g_string_append_printf(out, "; %" G_GUINT64_FORMAT " bytes written after it was closed "
			                       "were cut off", o->cut_bytes);
		g_string_append(out, ")\n");
	}
}

static void text_job(GString *out, const Job *job)
{
	g_autofree char *label = report_job_label(job);
	gint64 duration = job->end_usec > job->start_usec ? job->end_usec - job->start_usec : 0;
	g_autofree char *pool = report_pool(job->peak_pool_bytes, job->pool_quota_bytes);
	g_string_append(out, "\n== ");
	put(out, label);
	if (job->has_info && job->name[0]) {
		g_string_append(out, ", which registered as \"");
		put(out, job->name);
		g_string_append_c(out, '"');
	}
	g_string_append_printf(out, "\n   outcome   %s: ", outcome_info(job->outcome)->name);
	put_composed(out, job->detail);
	g_string_append_c(out, '\n');
	if (job->violation)
		text_violation(out, job->violation);
	if (job->fault) {
		const FaultClaim *f = job->fault;
		g_autofree char *hex = fault_claim_hex(f);
		g_string_append_printf(out, "   fault     %s (%s) at ip 0x%" G_GINT64_MODIFIER "x, "
		                       "address 0x%" G_GINT64_MODIFIER "x; code %s (as the child "
		                       "reports it)\n", outcome_signal_name(f->signal),
		                       fault_code_name(f->signal, f->si_code), f->ip, f->address,
		                       f->n_bytes ? hex : "not readable");
		g_autofree char *where = report_fault_location_text(f);
		if (where) {
			g_string_append(out, "   location  ");
			put(out, where);
			g_string_append_c(out, '\n');
		}
	}
	if (job->injection) {
		g_autofree char *injection = report_injection_text(job);
		g_string_append(out, "   inject    ");
		put(out, injection);
		g_string_append_c(out, '\n');
	}
	g_string_append_printf(out, "   time      %.1f ms wall, %.1f ms CPU; the executor's CPU for "
	                       "it %.1f ms\n", (double)duration / 1000.0, (double)job->cpu_usec / 1000.0,
	                       (double)job->executor_cpu_usec / 1000.0);
	g_string_append_printf(out, "   pool      peak %s\n", pool);
	g_string_append_printf(out, "   frames    %" G_GUINT64_FORMAT " read", job->frames_read);
	if (job->frames_claimed)
		g_string_append_printf(out, " (it claimed %" G_GUINT64_FORMAT ", more than the capture "
		                       "holds)", job->frames_claimed);
	g_string_append_printf(out, ", %u events\n", job->events_submitted);
	if (job->faults[0] || job->faults[1] || job->faults[2])
		g_string_append_printf(out, "   memory    %u refused at quota, %u invalid pointers, "
		                       "%u corruptions (as the child reports them)\n", job->faults[0],
		                       job->faults[1], job->faults[2]);
	text_outputs(out, job);
	for (guint i = 0; i < job->events->len;)
		i = append_events(out, job->events, i);
}

/* ---- the run ------------------------------------------------------------ */

/* How many characters text takes once escaped. */
static guint escaped_width(const char *text)
{
	g_autofree char *escaped = child_text(text, 0, 0);
	return (guint)g_utf8_strlen(escaped, -1);
}

char *report_text_header(const RunResult *r)
{
	GString *out = g_string_new("capture  ");
	put(out, r->capture->path);
	g_string_append_printf(out, " (%s, %" G_GUINT64_FORMAT " frames, %" G_GUINT64_FORMAT " bytes; %s)",
	                       r->capture->format, r->capture->frame_count, r->capture->bytes_on_wire,
	                       r->capture->file_fd >= 0 ? "frames read in the file, mapped"
	                                                : "frames copied, sealed");
	if (r->capture->partial) {
		g_string_append(out, ", PARTIAL: ");
		put(out, r->capture->partial_reason);
	}
	g_string_append_c(out, '\n');
	g_autofree char *setup = report_text_setup(r);
	g_string_append(out, setup);
	return g_string_free(out, FALSE);
}

char *report_text_setup(const RunResult *r)
{
	GString *out = g_string_new(NULL);
	/* The layers under the filter, before which profile each expert has:
	 * what is missing is the first thing to know. */
	g_autofree char *isolation = isolation_line(&r->isolation);
	g_string_append_printf(out, "isolation  %s\n", isolation);
	/* The mapping in force: which expert runs under which profile, and who
	 * said so. */
	guint width = 0, pwidth = 0, fwidth = 0;
	for (guint i = 0; i < r->assignments->len; i++) {
		const RunAssignment *a = r->assignments->pdata[i];
		width = MAX(width, escaped_width(a->expert));
		pwidth = MAX(pwidth, escaped_width(a->profile->profile->name));
		fwidth = MAX(fwidth, escaped_width(a->profile->profile->path));
	}
	for (guint i = 0; i < r->assignments->len; i++) {
		const RunAssignment *a = r->assignments->pdata[i];
		const Profile *p = a->profile->profile;
		g_string_append(out, "profile  ");
		put_cell(out, a->expert, 0, width);
		g_string_append(out, "  ");
		put_cell(out, p->name, 0, pwidth);
		g_string_append(out, "  ");
		put_cell(out, p->path, 0, a->chosen_by ? fwidth : 0);
		if (a->chosen_by) {
			g_string_append(out, "  (");
			put(out, a->chosen_by);
			g_string_append_c(out, ')');
		}
		g_string_append_c(out, '\n');
	}
	return g_string_free(out, FALSE);
}

char *report_text_jobs(const RunResult *r)
{
	GString *out = g_string_new(NULL);
	guint pwidth = strlen("profile");
	for (guint i = 0; i < r->profiles->len; i++)
		pwidth = MAX(pwidth, escaped_width(((RunProfile *)r->profiles->pdata[i])->profile->name));
	g_string_append_printf(out, "\n%-*s %-*s %-19s %9s %20s %8s %7s\n", LABEL_WIDTH, "expert",
	                       (int)pwidth, "profile", "outcome", "time ms", "pool peak", "frames",
	                       "events");
	for (guint i = 0; i < r->jobs->len; i++) {
		const Job *job = g_ptr_array_index(r->jobs, i);
		g_autofree char *label = report_job_label(job);
		gint64 duration = job->end_usec > job->start_usec ? job->end_usec - job->start_usec : 0;
		g_autofree char *pool = report_pool(job->peak_pool_bytes, job->pool_quota_bytes);
		put_cell(out, label, LABEL_WIDTH, LABEL_WIDTH);
		g_string_append_c(out, ' ');
		put_cell(out, job->run_profile->profile->name, 0, pwidth);
		g_string_append_printf(out, " %-19s %9.1f %20s %8" G_GUINT64_FORMAT " %7u\n",
		                       outcome_info(job->outcome)->name, (double)duration / 1000.0, pool,
		                       job->frames_read, job->events_submitted);
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
		put(out, job->expert_path);
		g_string_append_c(out, '\n');
		if (job->outcome != OUTCOME_COMPLETED || !job->has_info) {
			g_string_append_printf(out, "   %s: ", outcome_info(job->outcome)->name);
			put_composed(out, job->detail);
			g_string_append_c(out, '\n');
			continue;
		}
		g_autofree char *version = report_version_string(job->version);
		g_string_append(out, "   name         ");
		put(out, job->name);
		g_string_append(out, "\n   vendor       ");
		put(out, job->vendor);
		g_string_append_printf(out, "\n   version      %s\n   description  ", version);
		put(out, job->description);
		g_string_append(out, "\n   flags       ");
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
