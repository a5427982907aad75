/* html-campaign.c — the page of `stress --inject --html` (see
 * html-report.h): the campaign's facts, then per expert its clean run, a
 * chart of each fault's runs by how they ended, the table of verdicts, and
 * every failure kept, with where the child says it crashed and the command
 * that replays it. Drawn from the JSON alone. */
#include "reports/html-report.h"

#include "reports/html-page.h"
#include "reports/html-svg.h"
#include "reports/html-text.h"
#include "reports/json-read.h"

static const char *or_else(const char *s, const char *otherwise)
{
	return s ? s : otherwise;
}

static void badge(GString *out, gboolean good, const char *text)
{
	g_string_append_printf(out, "<span class=\"badge %s\">", good ? "ok" : "bad");
	html_text(out, text);
	g_string_append(out, "</span>");
}

static void header(GString *out, JsonObject *root)
{
	g_string_append(out, "<header>\n<h1>expert-exec stress --inject</h1>\n");
	html_facts_begin(out);
	JsonObject *capture = json_read_object(root, "capture");
	g_autofree char *cap = g_strdup_printf("%s (%.0f frames)",
	                                       or_else(json_read_string(capture, "path"), "?"),
	                                       json_read_double(capture, "frames", 0));
	html_fact(out, "capture", cap);
	JsonArray *specs = json_read_array(root, "inject");
	GString *faults = g_string_new(NULL);
	for (guint i = 0; specs && i < json_array_get_length(specs); i++) {
		JsonNode *n = json_array_get_element(specs, i);
		g_autofree char *t = json_read_text(n);
		g_string_append_printf(faults, "%s%s", i ? ", " : "", or_else(t, "?"));
	}
	html_fact(out, "faults", faults->str);
	g_string_free(faults, TRUE);
	g_autofree char *secs = html_number("%.1f", json_read_double(root, "seconds", 0));
	g_autofree char *runs = g_strdup_printf("%.0f in %s s, %.0f at once",
	                                        json_read_double(root, "runs", 0), secs,
	                                        json_read_double(root, "jobs", 0));
	html_fact(out, "runs", runs);
	double bad = json_read_double(root, "not_robust", 0);
	g_autofree char *verdict = bad == 0 ? g_strdup("every fault survived")
	                                    : g_strdup_printf("%.0f fault(s) not survived", bad);
	html_fact_open(out, "verdict");
	badge(out, bad == 0, verdict);
	html_fact_close(out);
	JsonObject *kernel = json_read_object(root, "kernel");
	if (kernel)
		html_report_object_facts(out, kernel, "kernel");
	html_facts_end(out);
	g_string_append(out, "</header>\n");
}

static void clean_facts(GString *out, JsonObject *e)
{
	JsonObject *clean = json_read_object(e, "clean_run");
	html_facts_begin(out);
	html_fact(out, "file", json_read_string(e, "path"));
	JsonObject *profile = json_read_object(e, "profile");
	if (profile)
		html_report_object_facts(out, profile, "profile");
	g_autofree char *text = g_strdup_printf(
		"%s: %s; %.0f API calls, %.0f allocations (the child's counts), %.0f filter compiles, "
		"%.0f output creates, %u output writes, %.0f frames read",
		or_else(json_read_string(clean, "outcome"), "?"), or_else(json_read_string(clean, "detail"), ""),
		json_read_double(clean, "api_calls", 0), json_read_double(clean, "allocations", 0),
		json_read_double(clean, "filter_compiles", 0), json_read_double(clean, "output_creates", 0),
		clean && json_read_array(clean, "output_write_offsets")
			? json_array_get_length(json_read_array(clean, "output_write_offsets")) : 0,
		json_read_double(clean, "frames_read", 0));
	html_fact(out, "clean run", text);
	html_facts_end(out);
}

/* Each fault's runs: survived, then not. */
static void chart(GString *out, JsonArray *faults)
{
	guint n = faults ? json_array_get_length(faults) : 0;
	g_autoptr(GArray) bars = g_array_new(FALSE, TRUE, sizeof(SvgBar));
	g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < n; i++) {
		JsonObject *f = json_read_element(faults, i);
		double runs = json_read_double(f, "runs", 0), failed = json_read_double(f, "failures_total", 0);
		if (!(runs > 0))
			continue;
		char *note = g_strdup_printf("%.0f of %.0f", failed, runs);
		g_ptr_array_add(notes, note);
		SvgBar bar = { .label = json_read_string(f, "spec"),
		               .value = { runs - failed, failed }, .note = note };
		g_array_append_val(bars, bar);
	}
	if (!bars->len)
		return;
	g_string_append(out, "<figure class=\"chart\" data-shape=\"faults\"><figcaption>Runs per fault, "
	                     "by whether the expert survived it (not survived, of all)</figcaption>\n");
	static const char *const legend[2] = { "survived", "not survived" };
	svg_bars(out, (SvgBar *)bars->data, bars->len, SVG_BARS_STACKED, legend);
	g_string_append(out, "</figure>\n");
}

static void verdicts(GString *out, JsonArray *faults)
{
	html_table_begin(out, NULL);
	html_table_heading(out, "fault", FALSE);
	html_table_heading(out, "verdict", FALSE);
	html_table_heading(out, "runs", TRUE);
	html_table_heading(out, "made", TRUE);
	html_table_heading(out, "not survived", TRUE);
	html_table_heading(out, "reclaimed", FALSE);
	html_table_body(out);
	for (guint i = 0; faults && i < json_array_get_length(faults); i++) {
		JsonObject *f = json_read_element(faults, i);
		g_autofree char *runs = html_number("%.0f", json_read_double(f, "runs", 0));
		g_autofree char *made = html_number("%.0f", json_read_double(f, "made", 0));
		g_autofree char *failed = html_number("%.0f", json_read_double(f, "failures_total", 0));
		JsonObject *ex = json_read_object(f, "executor");
		g_autofree char *reclaimed = ex ? json_read_text(json_object_get_member(ex, "reclaimed")) : NULL;
		html_table_row(out);
		html_table_cell(out, json_read_string(f, "spec"), FALSE);
		html_table_cell(out, json_read_string(f, "verdict"), FALSE);
		html_table_cell(out, runs, TRUE);
		html_table_cell(out, made, TRUE);
		html_table_cell(out, failed, TRUE);
		html_table_cell(out, reclaimed, FALSE);
	}
	html_table_end(out);
}

/* Two failures alike: the same ending at the same place (as the text
 * report groups them, reports/campaign-report.c). */
static gboolean alike(JsonObject *a, JsonObject *b)
{
	const char *la = json_read_string(a, "location"), *lb = json_read_string(b, "location");
	return g_strcmp0(json_read_string(a, "outcome"), json_read_string(b, "outcome")) == 0 &&
	       (la || lb ? g_strcmp0(la, lb) == 0
	                 : g_strcmp0(json_read_string(a, "detail"), json_read_string(b, "detail")) == 0);
}

/* Each way of failing once, at its lowest N with its command; the other N
 * that failed alike listed with it. */
static void failures(GString *out, JsonArray *faults)
{
	for (guint i = 0; faults && i < json_array_get_length(faults); i++) {
		JsonArray *list = json_read_array(json_read_element(faults, i), "failures");
		guint n = list ? json_array_get_length(list) : 0;
		g_autofree gboolean *done = g_new0(gboolean, n);
		for (guint k = 0; k < n; k++) {
			if (done[k])
				continue;
			JsonObject *x = json_read_element(list, k);
			g_string_append(out, "<div class=\"failure\">\n<h3>");
			html_text(out, json_read_string(x, "spec"));
			g_string_append_c(out, ' ');
			badge(out, FALSE, or_else(json_read_string(x, "outcome"), "?"));
			g_string_append(out, "</h3>\n");
			html_facts_begin(out);
			html_fact(out, "outcome", json_read_string(x, "detail"));
			const char *location = json_read_string(x, "location");
			if (location) {
				g_autofree char *where = g_strdup_printf("%s (the child's report)", location);
				html_fact(out, "location", where);
			}
			html_fact(out, "injection", json_read_string(x, "injection"));
			html_fact_open(out, "reproduce");
			g_string_append(out, "<code>");
			html_text(out, json_read_string(x, "reproduce"));
			g_string_append(out, "</code>");
			html_fact_close(out);
			GString *same = g_string_new(NULL);
			for (guint j = k + 1; j < n; j++) {
				JsonObject *y = json_read_element(list, j);
				if (done[j] || !alike(x, y))
					continue;
				done[j] = TRUE;
				g_string_append_printf(same, "%s%s", same->len ? ", " : "",
				                       or_else(json_read_string(y, "spec"), "?"));
			}
			if (same->len)
				html_fact(out, "the same at", same->str);
			g_string_free(same, TRUE);
			html_facts_end(out);
			g_string_append(out, "</div>\n");
		}
	}
}

static void expert_section(GString *out, JsonObject *e, guint index)
{
	JsonArray *faults = json_read_array(e, "faults");
	gboolean robust = TRUE;
	for (guint i = 0; faults && i < json_array_get_length(faults); i++) {
		const char *v = json_read_string(json_read_element(faults, i), "verdict");
		robust &= !v || !g_str_equal(v, "not robust");
	}
	g_string_append_printf(out, "<section class=\"job\" id=\"expert-%u\">\n<h2>", index);
	html_text(out, json_read_string(e, "name"));
	g_string_append_c(out, ' ');
	badge(out, robust, robust ? "survived every fault" : "not robust");
	g_string_append(out, "</h2>\n");
	clean_facts(out, e);
	chart(out, faults);
	verdicts(out, faults);
	failures(out, faults);
	g_string_append(out, "</section>\n");
}

GString *html_report_campaign(JsonNode *root_node)
{
	JsonObject *root = JSON_NODE_HOLDS_OBJECT(root_node) ? json_node_get_object(root_node) : NULL;
	GString *out = g_string_new(NULL);
	html_page_begin(out, "expert-exec stress --inject");
	header(out, root);
	JsonArray *experts = json_read_array(root, "experts");
	for (guint i = 0; experts && i < json_array_get_length(experts); i++)
		expert_section(out, json_read_element(experts, i), i);
	html_page_end(out);
	return out;
}
