/* html-stress.c — the page of `stress --html` (see html-report.h): the
 * storm's facts, outcomes by kind, the latency histogram with its
 * percentiles marked, each expert's runs, and the executor's resources. */
#include "reports/html-report.h"

#include "reports/html-page.h"
#include "reports/html-svg.h"
#include "reports/html-text.h"
#include "reports/json-read.h"

static void verdict(GString *out, const char *what, double n)
{
	g_autofree char *count = html_number("%.0f", n);
	html_fact_open(out, what);
	g_string_append_printf(out, "<span class=\"badge %s\">", n == 0 ? "ok" : "bad");
	html_text(out, count);
	g_string_append(out, "</span>");
	html_fact_close(out);
}

static void header(GString *out, JsonObject *root)
{
	g_string_append(out, "<header>\n<h1>expert-exec stress</h1>\n");
	html_facts_begin(out);
	g_autofree char *secs = html_number("%.1f", json_read_double(root, "seconds", 0));
	g_autofree char *rate = html_number("%.1f", json_read_double(root, "runs_per_second", 0));
	g_autofree char *runs = g_strdup_printf("%.0f in %s s: %s runs/s, %.0f at once",
	                                        json_read_double(root, "runs", 0), secs, rate,
	                                        json_read_double(root, "jobs", 0));
	html_fact(out, "runs", runs);
	JsonObject *profile = json_read_object(root, "profile");
	if (profile) {
		const char *name = json_read_string(profile, "name"), *path = json_read_string(profile, "path");
		g_autofree char *p = g_strdup_printf("%s (%s)", name ? name : "?", path ? path : "?");
		html_fact(out, "profile", p);
	}
	const char *capture = json_read_string(json_read_object(root, "capture"), "path");
	html_fact(out, "capture", capture ? capture : "none (a capture with no frames)");
	JsonObject *kernel = json_read_object(root, "kernel");
	if (kernel)
		html_report_object_facts(out, kernel, "kernel");
	JsonObject *latency = json_read_object(root, "latency_ms");
	if (latency) {
		GString *l = g_string_new(NULL);
		static const char *const names[] = { "p50", "p90", "p99", "max" };
		for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
			g_autofree char *d = svg_duration(json_read_double(latency, names[i], 0) * 1000);
			g_string_append_printf(l, "%s%s %s", i ? ", " : "", names[i], d);
		}
		g_string_append(l, " (request to reaped and reclaimed)");
		html_fact(out, "latency", l->str);
		g_string_free(l, TRUE);
	}
	verdict(out, "leaks", json_read_double(root, "leaks", 0));
	verdict(out, "unexpected outcomes", json_read_double(root, "unexpected_outcomes", 0));
	html_facts_end(out);
	g_string_append(out, "</header>\n");
}

static void outcomes(GString *out, JsonObject *kinds, double runs)
{
	g_autoptr(GList) names = kinds ? json_object_get_members(kinds) : NULL;
	g_autoptr(GArray) bars = g_array_new(FALSE, TRUE, sizeof(SvgBar));
	g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
	for (GList *n = names; n; n = n->next) {
		double v = json_read_double(kinds, n->data, 0);
		if (!(v > 0))
			continue;
		g_autofree char *share = html_number("%.1f", runs > 0 ? 100 * v / runs : 0);
		char *note = g_strdup_printf("%.0f (%s%%)", v, share);
		g_ptr_array_add(notes, note);
		gboolean good = g_str_equal(n->data, "completed");
		SvgBar bar = { .label = n->data, .value = { good ? v : 0, good ? 0 : v }, .note = note };
		g_array_append_val(bars, bar);
	}
	g_string_append(out, "<section>\n<h2>Outcomes by kind</h2>\n<figure class=\"chart\" "
	                     "data-shape=\"outcomes\"><figcaption>Runs by how they ended</figcaption>\n");
	static const char *const legend[2] = { "completed", "any other ending" };
	svg_bars(out, (SvgBar *)bars->data, bars->len, SVG_BARS_STACKED, legend);
	g_string_append(out, "</figure>\n");
	html_table_begin(out, NULL);
	html_table_heading(out, "outcome", FALSE);
	html_table_heading(out, "runs", TRUE);
	html_table_heading(out, "share %", TRUE);
	html_table_body(out);
	for (GList *n = names; n; n = n->next) {
		double v = json_read_double(kinds, n->data, 0);
		g_autofree char *count = html_number("%.0f", v);
		g_autofree char *share = html_number("%.1f", runs > 0 ? 100 * v / runs : 0);
		html_table_row(out);
		html_table_cell(out, n->data, FALSE);
		html_table_cell(out, count, TRUE);
		html_table_cell(out, share, TRUE);
	}
	html_table_end(out);
	g_string_append(out, "</section>\n");
}

static void latency(GString *out, JsonObject *root)
{
	JsonArray *buckets = json_read_array(json_read_object(root, "latency_histogram"), "buckets");
	JsonObject *p = json_read_object(root, "latency_ms");
	guint n = buckets ? json_array_get_length(buckets) : 0;
	g_autofree SvgBucket *b = g_new0(SvgBucket, n);
	guint used = 0;
	for (guint i = 0; i < n; i++) {
		JsonObject *o = json_read_element(buckets, i);
		double from, to, runs;
		if (json_read_number(o, "from_ms", &from) && json_read_number(o, "to_ms", &to) &&
		    json_read_number(o, "runs", &runs) && from > 0 && to > from && runs >= 0)
			b[used++] = (SvgBucket){ from, to, runs };
	}
	SvgMark marks[3] = {
		{ "p50", json_read_double(p, "p50", 0) },
		{ "p90", json_read_double(p, "p90", 0) },
		{ "p99", json_read_double(p, "p99", 0) },
	};
	g_string_append(out, "<section>\n<h2>Latency</h2>\n<figure class=\"chart\" data-shape=\"latency\">"
	                     "<figcaption>Runs by latency, request to reaped and reclaimed "
	                     "(logarithmic buckets)</figcaption>\n");
	svg_histogram(out, b, used, marks, p ? G_N_ELEMENTS(marks) : 0);
	g_string_append(out, "</figure>\n</section>\n");
}

static void experts(GString *out, JsonArray *list)
{
	g_string_append(out, "<section>\n<h2>Experts</h2>\n");
	html_table_begin(out, NULL);
	html_table_heading(out, "expert", FALSE);
	html_table_heading(out, "runs", TRUE);
	html_table_heading(out, "expected", FALSE);
	html_table_heading(out, "unexpected", TRUE);
	html_table_heading(out, "first unexpected", FALSE);
	html_table_body(out);
	for (guint i = 0; list && i < json_array_get_length(list); i++) {
		JsonObject *e = json_read_element(list, i);
		g_autofree char *runs = html_number("%.0f", json_read_double(e, "runs", 0));
		double u;
		g_autofree char *unexpected = json_read_number(e, "unexpected", &u) ? html_number("%.0f", u) : NULL;
		html_table_row(out);
		html_table_cell(out, json_read_string(e, "name"), FALSE);
		html_table_cell(out, runs, TRUE);
		html_table_cell(out, json_read_string(e, "expected"), FALSE);
		html_table_cell(out, unexpected, TRUE);
		html_table_cell(out, json_read_string(e, "first_unexpected"), FALSE);
	}
	html_table_end(out);
	g_string_append(out, "</section>\n");
}

static void executor(GString *out, JsonObject *ex)
{
	g_string_append(out, "<section>\n<h2>Executor</h2>\n<p class=\"dim\">From /proc: at the "
	                     "start (warmed up, nothing running), at the end, and at their largest."
	                     "</p>\n");
	html_table_begin(out, NULL);
	html_table_heading(out, "resource", FALSE);
	html_table_heading(out, "start", TRUE);
	html_table_heading(out, "end", TRUE);
	html_table_heading(out, "largest", TRUE);
	html_table_heading(out, "leaked", FALSE);
	html_table_body(out);
	g_autoptr(GList) names = ex ? json_object_get_members(ex) : NULL;
	for (GList *n = names; n; n = n->next) {
		JsonObject *r = json_read_object(ex, n->data);
		g_autofree char *start = html_number("%.0f", json_read_double(r, "start", 0));
		g_autofree char *end = html_number("%.0f", json_read_double(r, "end", 0));
		g_autofree char *largest = html_number("%.0f", json_read_double(r, "largest", 0));
		JsonNode *leaked = r ? json_object_get_member(r, "leaked") : NULL;
		g_autofree char *l = json_read_text(leaked);
		html_table_row(out);
		html_table_cell(out, n->data, FALSE);
		html_table_cell(out, start, TRUE);
		html_table_cell(out, end, TRUE);
		html_table_cell(out, largest, TRUE);
		html_table_cell(out, l ? (g_str_equal(l, "yes") ? "LEAKED" : "no") : "", FALSE);
	}
	html_table_end(out);
	g_string_append(out, "</section>\n");
}

GString *html_report_stress(JsonNode *root_node)
{
	JsonObject *root = JSON_NODE_HOLDS_OBJECT(root_node) ? json_node_get_object(root_node) : NULL;
	GString *out = g_string_new(NULL);
	html_page_begin(out, "expert-exec stress");
	header(out, root);
	outcomes(out, json_read_object(root, "outcomes"), json_read_double(root, "runs", 0));
	latency(out, root);
	experts(out, json_read_array(root, "experts"));
	executor(out, json_read_object(root, "executor"));
	html_page_end(out);
	return out;
}
