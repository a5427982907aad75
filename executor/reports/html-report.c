/* html-report.c — the page of `run --html` (see html-report.h): capture,
 * profile and kernel facts; a table of the jobs; then per job its outcome,
 * resources, charts and events. */
#include "reports/html-report.h"

#include "reports/html-charts.h"
#include "reports/html-events.h"
#include "reports/html-page.h"
#include "reports/html-svg.h"
#include "reports/html-text.h"
#include "reports/json-read.h"
#include "reports/report-format.h"

#define FACT_DEPTH_MAX 3 /* nesting shown of an object's facts */

static const char *or_else(const char *s, const char *otherwise)
{
	return s ? s : otherwise;
}

/* Whether every member of o is an object (and it has one): a table, a row
 * per member, reads better than a fact per member of each. */
static gboolean object_of_objects(JsonObject *o)
{
	g_autoptr(GList) names = json_object_get_members(o);
	for (GList *n = names; n; n = n->next)
		if (!JSON_NODE_HOLDS_OBJECT(json_object_get_member(o, n->data)))
			return FALSE;
	return names != NULL;
}

/* A row per member of o, a column per key any of them has. */
static void object_table(GString *out, JsonObject *o)
{
	g_autoptr(GList) rows = json_object_get_members(o);
	g_autoptr(GPtrArray) columns = g_ptr_array_new();
	for (GList *r = rows; r; r = r->next) {
		g_autoptr(GList) keys = json_object_get_members(json_read_object(o, r->data));
		for (GList *k = keys; k; k = k->next)
			if (!g_ptr_array_find_with_equal_func(columns, k->data, g_str_equal, NULL))
				g_ptr_array_add(columns, k->data);
	}
	html_table_begin(out, NULL);
	html_table_heading(out, "name", FALSE);
	for (guint c = 0; c < columns->len; c++)
		html_table_heading(out, g_ptr_array_index(columns, c), FALSE);
	html_table_body(out);
	for (GList *r = rows; r; r = r->next) {
		JsonObject *row = json_read_object(o, r->data);
		html_table_row(out);
		html_table_cell(out, r->data, FALSE);
		for (guint c = 0; c < columns->len; c++) {
			JsonNode *v = json_object_get_member(row, g_ptr_array_index(columns, c));
			g_autofree char *t = json_read_text(v);
			html_table_cell(out, t ? t : "", FALSE);
		}
	}
	html_table_end(out);
}

static void object_facts(GString *out, JsonObject *o, const char *prefix, int depth)
{
	g_autoptr(GList) names = o ? json_object_get_members(o) : NULL;
	for (GList *n = names; n; n = n->next) {
		JsonNode *v = json_object_get_member(o, n->data);
		g_autofree char *name = prefix ? g_strdup_printf("%s.%s", prefix, (char *)n->data)
		                               : g_strdup(n->data);
		if (JSON_NODE_HOLDS_OBJECT(v) && object_of_objects(json_node_get_object(v))) {
			html_fact_open(out, name);
			object_table(out, json_node_get_object(v));
			html_fact_close(out);
		} else if (JSON_NODE_HOLDS_OBJECT(v) && depth < FACT_DEPTH_MAX) {
			object_facts(out, json_node_get_object(v), name, depth + 1);
		} else if (JSON_NODE_HOLDS_ARRAY(v)) {
			JsonArray *a = json_node_get_array(v);
			GString *list = g_string_new(NULL);
			for (guint i = 0; i < json_array_get_length(a); i++) {
				g_autofree char *t = json_read_text(json_array_get_element(a, i));
				g_string_append_printf(list, "%s%s", i ? ", " : "", t ? t : "…");
			}
			html_fact(out, name, list->len ? list->str : "none");
			g_string_free(list, TRUE);
		} else {
			g_autofree char *t = json_read_text(v);
			html_fact(out, name, t ? t : JSON_NODE_HOLDS_NULL(v) ? "none" : "…");
		}
	}
}

void html_report_object_facts(GString *out, JsonObject *o, const char *prefix)
{
	object_facts(out, o, prefix, 1);
}

static gboolean completed_ok(JsonObject *job)
{
	double rv;
	return g_strcmp0(json_read_string(job, "outcome"), "completed") == 0 &&
	       json_read_number(job, "return_value", &rv) && rv == 0;
}

static void outcome_badge(GString *out, JsonObject *job)
{
	const char *outcome = json_read_string(job, "outcome");
	g_string_append_printf(out, "<span class=\"badge %s\">", completed_ok(job) ? "ok" : "bad");
	html_text(out, outcome ? outcome : "unknown");
	g_string_append(out, "</span>");
}

static const char *job_name(JsonObject *job)
{
	JsonObject *expert = json_read_object(job, "expert");
	const char *name = json_read_string(expert, "name");
	return name && *name ? name : json_read_string(expert, "path");
}

static char *profile_text(JsonObject *profile)
{
	const char *name = json_read_string(profile, "name"), *path = json_read_string(profile, "path");
	if (name && path)
		return g_strdup_printf("%s (%s)", name, path);
	return g_strdup(name ? name : path);
}

static char *pool_text(JsonObject *job)
{
	double peak = json_read_double(job, "peak_pool_bytes", 0);
	double quota = json_read_double(job, "pool_quota_bytes", 0);
	return report_pool((guint64)MAX(peak, 0), (guint64)MAX(quota, 0));
}

static void header(GString *out, JsonObject *root)
{
	JsonObject *capture = json_read_object(root, "capture");
	g_autofree char *base = g_path_get_basename(or_else(json_read_string(capture, "path"), "?"));
	g_string_append(out, "<header>\n<h1>expert-exec run <span class=\"dim\">");
	html_text(out, base);
	g_string_append(out, "</span></h1>\n");
	html_facts_begin(out);
	if (capture) {
		g_autofree char *size = report_size((guint64)MAX(json_read_double(capture, "bytes_on_wire", 0), 0));
		g_autofree char *facts = g_strdup_printf(
			"%s: %.0f frames, %s on the wire, link type %.0f",
			or_else(json_read_string(capture, "format"), "?"), json_read_double(capture, "frames", 0),
			size, json_read_double(capture, "link_type", 0));
		html_fact(out, "capture", json_read_string(capture, "path"));
		html_fact(out, "contents", facts);
		const char *partial = json_read_string(capture, "partial_reason");
		if (partial)
			html_fact(out, "PARTIAL", partial);
	}
	JsonObject *profile = json_read_object(root, "profile");
	if (profile) {
		g_autofree char *p = profile_text(profile);
		g_autofree char *insns = g_strdup_printf("%.0f BPF instructions",
		                                         json_read_double(profile, "filter_instructions", 0));
		html_fact(out, "profile", p);
		html_fact(out, "filter", insns);
	}
	/* Each job's own profile, when the document gives jobs one. */
	JsonArray *jobs = json_read_array(root, "jobs");
	GString *per_job = g_string_new(NULL);
	for (guint i = 0; jobs && i < json_array_get_length(jobs); i++) {
		JsonObject *job = json_read_element(jobs, i);
		const char *name = json_read_string(json_read_object(job, "profile"), "name");
		if (name)
			g_string_append_printf(per_job, "%s%s: %s", per_job->len ? "; " : "",
			                       or_else(job_name(job), "?"), name);
	}
	if (per_job->len)
		html_fact(out, "profile per job", per_job->str);
	g_string_free(per_job, TRUE);
	JsonObject *kernel = json_read_object(root, "kernel");
	if (kernel)
		html_report_object_facts(out, kernel, "kernel");
	JsonObject *ex = json_read_object(root, "executor");
	if (ex) {
		JsonObject *b = json_read_object(ex, "before"), *a = json_read_object(ex, "after");
		g_autofree char *ms = html_number("%.1f", json_read_double(ex, "duration_ms", 0));
		g_autofree char *res = g_strdup_printf(
			"run took %s ms; descriptors %.0f before, %.0f after; pool regions %.0f before, "
			"%.0f after", ms, json_read_double(b, "open_fds", 0), json_read_double(a, "open_fds", 0),
			json_read_double(b, "pool_regions", 0), json_read_double(a, "pool_regions", 0));
		html_fact(out, "executor", res);
	}
	html_facts_end(out);
	g_string_append(out, "</header>\n");
}

static void jobs_table(GString *out, JsonArray *jobs)
{
	guint n = json_array_get_length(jobs);
	gboolean profiles = FALSE;
	for (guint i = 0; i < n; i++)
		profiles |= json_read_object(json_read_element(jobs, i), "profile") != NULL;
	g_string_append(out, "<section>\n<h2>Jobs</h2>\n");
	html_table_begin(out, NULL);
	html_table_heading(out, "#", TRUE);
	html_table_heading(out, "expert", FALSE);
	if (profiles)
		html_table_heading(out, "profile", FALSE);
	html_table_heading(out, "outcome", FALSE);
	html_table_heading(out, "time ms", TRUE);
	html_table_heading(out, "CPU ms", TRUE);
	html_table_heading(out, "pool peak of quota", TRUE);
	html_table_heading(out, "frames", TRUE);
	html_table_heading(out, "events", TRUE);
	html_table_body(out);
	for (guint i = 0; i < n; i++) {
		JsonObject *job = json_read_element(jobs, i);
		g_autofree char *num = g_strdup_printf("%u", i + 1);
		html_table_row(out);
		html_table_cell(out, num, TRUE);
		g_string_append_printf(out, "<td><a href=\"#job-%u\">", i + 1);
		html_text(out, job_name(job));
		g_string_append(out, "</a></td>");
		if (profiles) {
			JsonObject *p = json_read_object(job, "profile");
			html_table_cell(out, or_else(json_read_string(p, "name"), ""), FALSE);
		}
		g_string_append(out, "<td>");
		outcome_badge(out, job);
		g_string_append(out, "</td>");
		g_autofree char *ms = html_number("%.1f", json_read_double(job, "duration_ms", 0));
		g_autofree char *cpu = html_number("%.1f", json_read_double(job, "cpu_ms", 0));
		g_autofree char *pool = pool_text(job);
		g_autofree char *frames = html_number("%.0f", json_read_double(job, "frames_read", 0));
		g_autofree char *events = html_number("%.0f", json_read_double(job, "events_submitted", 0));
		html_table_cell(out, ms, TRUE);
		html_table_cell(out, cpu, TRUE);
		html_table_cell_sorted(out, pool, json_read_double(job, "peak_pool_bytes", 0));
		html_table_cell(out, frames, TRUE);
		html_table_cell(out, events, TRUE);
	}
	html_table_end(out);
	g_string_append(out, "</section>\n");
}

static void violation_facts(GString *out, JsonObject *v)
{
	if (!v)
		return;
	html_fact(out, "call", json_read_string(v, "call"));
	g_autofree char *syscall = g_strdup_printf(
		"%s (nr %.0f, %s) at ip %s", or_else(json_read_string(v, "syscall"), "?"),
		json_read_double(v, "number", -1), or_else(json_read_string(v, "arch"), "?"),
		or_else(json_read_string(v, "instruction_pointer"), "?"));
	html_fact(out, "syscall", syscall);
	const char *location = json_read_string(v, "location");
	if (location) {
		g_autofree char *where = g_strconcat(location, " (just past the syscall instruction; "
		                                     "the caller is not shown)", NULL);
		html_fact(out, "location", where);
	}
	html_fact(out, "rule", json_read_string(v, "rule"));
}

/* The child's own report of its fault, as the text report words it: a
 * claim, not a kernel fact. */
static void fault_fact(GString *out, JsonObject *f)
{
	if (!f)
		return;
	const char *bytes = json_read_string(f, "code_bytes");
	const char *instruction = json_read_string(f, "instruction");
	g_autofree char *text = g_strdup_printf(
		"%s (%s) at ip %s, address %s; code %s%s%s (as the child reports it)",
		or_else(json_read_string(f, "signal"), "?"), or_else(json_read_string(f, "code"), "?"),
		or_else(json_read_string(f, "instruction_pointer"), "?"),
		or_else(json_read_string(f, "address"), "?"), or_else(bytes, "not readable"),
		instruction ? ": " : "", or_else(instruction, ""));
	html_fact(out, "fault", text);
	const char *location = json_read_string(f, "location");
	if (location) {
		g_autofree char *where = g_strdup_printf("%s (the child's report)", location);
		html_fact(out, "location", where);
	}
}

/* The fault injected (run --inject): what, and whether it was made. */
static void injection_fact(GString *out, JsonObject *i)
{
	if (!i)
		return;
	const char *by = json_read_string(i, "made_by");
	g_autofree char *text = g_strdup_printf(
		"%s: %s; %s%s%s", or_else(json_read_string(i, "spec"), "?"),
		or_else(json_read_string(i, "what"), "?"), by ? "made by the " : "not made",
		or_else(by, ""), by && g_str_equal(by, "child") ? " (its report)" : "");
	html_fact(out, "injection", text);
}

static void job_section(GString *out, JsonObject *job, guint index)
{
	JsonObject *expert = json_read_object(job, "expert");
	g_string_append_printf(out, "<section class=\"job\" id=\"job-%u\">\n<h2>", index);
	html_text(out, job_name(job));
	g_string_append_c(out, ' ');
	outcome_badge(out, job);
	g_string_append(out, "</h2>\n");
	html_facts_begin(out);
	html_fact(out, "file", json_read_string(expert, "path"));
	if (json_read_string(expert, "vendor")) {
		g_autofree char *who = g_strdup_printf("%s, version %s", json_read_string(expert, "vendor"),
		                                       or_else(json_read_string(expert, "version"), "?"));
		html_fact(out, "vendor", who);
	}
	const char *description = json_read_string(expert, "description");
	if (description && *description)
		html_fact(out, "description", description);
	JsonObject *profile = json_read_object(job, "profile");
	if (profile)
		html_report_object_facts(out, profile, "profile");
	html_fact(out, "outcome", or_else(json_read_string(job, "detail"), json_read_string(job, "outcome")));
	violation_facts(out, json_read_object(job, "violation"));
	fault_fact(out, json_read_object(job, "fault"));
	injection_fact(out, json_read_object(job, "injection"));
	g_autofree char *ms = html_number("%.1f", json_read_double(job, "duration_ms", 0));
	g_autofree char *cpu = html_number("%.1f", json_read_double(job, "cpu_ms", 0));
	g_autofree char *time = g_strdup_printf("%s ms wall, %s ms CPU", ms, cpu);
	html_fact(out, "time", time);
	html_fact_open(out, "pool");
	svg_meter(out, json_read_double(job, "peak_pool_bytes", 0),
	          json_read_double(job, "pool_quota_bytes", 0));
	g_autofree char *pool = pool_text(job);
	html_text(out, pool);
	g_string_append(out, " at its peak");
	html_fact_close(out);
	g_autofree char *frames = g_strdup_printf("%.0f read; %.0f events submitted",
	                                          json_read_double(job, "frames_read", 0),
	                                          json_read_double(job, "events_submitted", 0));
	html_fact(out, "frames", frames);
	JsonObject *faults = json_read_object(job, "memory_faults");
	double q = json_read_double(faults, "quota", 0), p = json_read_double(faults, "invalid_pointer", 0);
	double c = json_read_double(faults, "corruption", 0);
	if (q || p || c) {
		g_autofree char *f = g_strdup_printf("%.0f refused at quota, %.0f invalid pointers, "
		                                     "%.0f corruptions", q, p, c);
		html_fact(out, "memory", f);
	}
	JsonObject *status = json_read_object(job, "last_status");
	if (status) {
		g_autofree char *s = g_strdup_printf("%.0f%%: %s", json_read_double(status, "percent", 0),
		                                     or_else(json_read_string(status, "text"), ""));
		html_fact(out, "last status", s);
	}
	JsonArray *outputs = json_read_array(job, "outputs");
	for (guint i = 0; outputs && i < json_array_get_length(outputs); i++) {
		JsonObject *o = json_read_element(outputs, i);
		g_autofree char *what = g_strdup_printf("%s: %s (%.0f frames, %.0f bytes)",
		                                        or_else(json_read_string(o, "path"), "?"),
		                                        or_else(json_read_string(o, "state"), "?"),
		                                        json_read_double(o, "frames", 0),
		                                        json_read_double(o, "bytes", 0));
		html_fact(out, "output", what);
	}
	html_facts_end(out);
	JsonArray *events = json_read_array(job, "events");
	html_charts(out, events);
	if (events && json_array_get_length(events)) {
		g_string_append(out, "<h3>Events</h3>\n");
		html_events(out, events);
	}
	g_string_append(out, "</section>\n");
}

GString *html_report_run(JsonNode *root_node)
{
	JsonObject *root = JSON_NODE_HOLDS_OBJECT(root_node) ? json_node_get_object(root_node) : NULL;
	JsonObject *capture = json_read_object(root, "capture");
	g_autofree char *base = g_path_get_basename(or_else(json_read_string(capture, "path"), "?"));
	g_autofree char *title = g_strdup_printf("expert-exec run: %s", base);
	GString *out = g_string_new(NULL);
	html_page_begin(out, title);
	header(out, root);
	JsonArray *jobs = json_read_array(root, "jobs");
	if (jobs) {
		/* Only objects: json_array_get_object_element on anything else is
		 * a critical. */
		g_autoptr(JsonArray) objects = json_array_new();
		for (guint i = 0; i < json_array_get_length(jobs); i++)
			if (JSON_NODE_HOLDS_OBJECT(json_array_get_element(jobs, i)))
				json_array_add_element(objects, json_node_copy(json_array_get_element(jobs, i)));
		jobs_table(out, objects);
		for (guint i = 0; i < json_array_get_length(objects); i++)
			job_section(out, json_read_element(objects, i), i + 1);
	}
	html_page_end(out);
	return out;
}

gboolean html_report_write(GString *(*render)(JsonNode *root), JsonNode *root, const char *path,
                           GError **error)
{
	GString *page = render(root);
	gboolean ok = html_page_write(path, page, error);
	g_string_free(page, TRUE);
	if (!ok)
		g_prefix_error(error, "--html: ");
	return ok;
}
