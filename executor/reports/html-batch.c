/* html-batch.c — see html-batch.h. */
#include "reports/html-batch.h"

#include "reports/html-page.h"
#include "reports/html-report.h"
#include "reports/html-svg.h"
#include "reports/html-text.h"
#include "reports/json-read.h"
#include "reports/report.h"

#include <string.h>

/* At most this many pairs are listed one by one; the page says how many more. */
#define PAIRS_LISTED_MAX 500

static void header(GString *out, JsonObject *root)
{
	const char *command = json_read_string(root, "command");
	g_autofree char *title = g_strdup_printf("expert-exec %s: a batch",
	                                         command && g_str_equal(command, "merge") ? "merge"
	                                                                                 : "run");
	g_string_append(out, "<header>\n<h1>");
	html_text(out, title);
	g_string_append(out, "</h1>\n");
	html_facts_begin(out);
	JsonObject *pairs = json_read_object(root, "pairs");
	JsonArray *captures = json_read_array(root, "captures");
	JsonArray *experts = json_read_array(root, "experts");
	g_autofree char *p = g_strdup_printf(
		"%.0f results of %.0f pairs (%u captures x %u experts)",
		json_read_double(pairs, "results", 0), json_read_double(pairs, "total", 0),
		captures ? json_array_get_length(captures) : 0, experts ? json_array_get_length(experts) : 0);
	html_fact(out, "pairs", p);
	JsonObject *shard = json_read_object(root, "shard");
	double shards;
	if (shard) {
		double count = json_read_double(shard, "count", 1);
		g_autofree char *which = count > 1
			? g_strdup_printf("%.0f of %.0f (from 0)", json_read_double(shard, "index", 0), count)
			: g_strdup("none: every pair");
		g_autofree char *s = g_strdup_printf("%s; %.0f run now, %.0f resumed from the results file",
		                                     which, json_read_double(pairs, "run", 0),
		                                     json_read_double(pairs, "resumed", 0));
		html_fact(out, "shard", s);
	} else if (json_read_number(root, "shards", &shards)) {
		g_autofree char *s = g_strdup_printf("merged from %.0f shard(s)", shards);
		html_fact(out, "shards", s);
	}
	html_fact(out, "pairs digest", json_read_string(root, "pairs_digest"));
	g_autofree char *status = html_number("%.0f", json_read_double(root, "exit_status", 2));
	html_fact_open(out, "exit status");
	g_string_append_printf(out, "<span class=\"badge %s\">",
	                       json_read_double(root, "exit_status", 2) == 0 ? "ok" : "bad");
	html_text(out, status);
	g_string_append(out, "</span>");
	html_fact_close(out);
	const char *stopped = json_read_string(root, "stopped");
	if (stopped)
		html_fact(out, "stopped", stopped);
	JsonArray *notes = json_read_array(root, "notes");
	for (guint i = 0; notes && i < json_array_get_length(notes); i++) {
		g_autofree char *note = json_read_text(json_array_get_element(notes, i));
		html_fact(out, "note", note ? note : "");
	}
	html_facts_end(out);
	g_string_append(out, "</header>\n");
}

static char *label_of(const char *expert)
{
	char *base = g_path_get_basename(expert ? expert : "?");
	if (g_str_has_suffix(base, ".so") && strlen(base) > 3)
		base[strlen(base) - 3] = '\0';
	return base;
}

/* A bar per expert, completed and returned 0 against anything else; then
 * the counts, a column per outcome that happened. */
static void summary(GString *out, JsonArray *rows)
{
	guint n = rows ? json_array_get_length(rows) : 0;
	g_autoptr(GArray) bars = g_array_new(FALSE, TRUE, sizeof(SvgBar));
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) columns = g_ptr_array_new();
	for (guint i = 0; i < n; i++) {
		JsonObject *row = json_read_element(rows, i);
		JsonObject *outcomes = json_read_object(row, "outcomes");
		double pairs = json_read_double(row, "pairs", 0);
		double good = json_read_double(outcomes, "completed", 0) -
		              json_read_double(row, "returned_nonzero", 0);
		good = MAX(0, MIN(good, pairs));
		char *label = label_of(json_read_string(row, "expert"));
		char *note = g_strdup_printf("%.0f of %.0f", good, pairs);
		g_ptr_array_add(keep, label);
		g_ptr_array_add(keep, note);
		SvgBar bar = { .label = label, .value = { good, pairs - good }, .note = note };
		g_array_append_val(bars, bar);
		g_autoptr(GList) names = outcomes ? json_object_get_members(outcomes) : NULL;
		for (GList *k = names; k; k = k->next)
			if (json_read_double(outcomes, k->data, 0) > 0 &&
			    !g_ptr_array_find_with_equal_func(columns, k->data, g_str_equal, NULL))
				g_ptr_array_add(columns, k->data);
	}
	g_string_append(out, "<section>\n<h2>Outcomes per expert</h2>\n<figure class=\"chart\" "
	                     "data-shape=\"batch-outcomes\"><figcaption>Pairs per expert: completed and "
	                     "returned 0, or not</figcaption>\n");
	static const char *const legend[2] = { "completed, returned 0", "anything else" };
	svg_bars(out, (SvgBar *)bars->data, bars->len, SVG_BARS_STACKED, legend);
	g_string_append(out, "</figure>\n");
	html_table_begin(out, NULL);
	html_table_heading(out, "expert", FALSE);
	html_table_heading(out, "pairs", TRUE);
	for (guint c = 0; c < columns->len; c++)
		html_table_heading(out, g_ptr_array_index(columns, c), TRUE);
	html_table_heading(out, "returned non-zero", TRUE);
	html_table_heading(out, "outputs removed", TRUE);
	html_table_heading(out, "partial captures", TRUE);
	html_table_body(out);
	static const char *const tail[] = { "returned_nonzero", "outputs_removed", "partial_captures" };
	for (guint i = 0; i < n; i++) {
		JsonObject *row = json_read_element(rows, i);
		JsonObject *outcomes = json_read_object(row, "outcomes");
		html_table_row(out);
		html_table_cell(out, json_read_string(row, "expert"), FALSE);
		g_autofree char *pairs = html_number("%.0f", json_read_double(row, "pairs", 0));
		html_table_cell(out, pairs, TRUE);
		for (guint c = 0; c < columns->len; c++) {
			g_autofree char *v = html_number("%.0f", json_read_double(outcomes,
			                                                          g_ptr_array_index(columns, c), 0));
			html_table_cell(out, v, TRUE);
		}
		for (gsize t = 0; t < G_N_ELEMENTS(tail); t++) {
			g_autofree char *v = html_number("%.0f", json_read_double(row, tail[t], 0));
			html_table_cell(out, v, TRUE);
		}
	}
	html_table_end(out);
	g_string_append(out, "</section>\n");
}

static void failures(GString *out, JsonArray *results)
{
	g_string_append(out, "<section>\n<h2>Pairs that did not complete and return 0</h2>\n");
	guint n = results ? json_array_get_length(results) : 0, listed = 0, more = 0;
	GString *rows = g_string_new(NULL);
	for (guint i = 0; i < n; i++) {
		JsonObject *r = json_read_element(results, i);
		JsonObject *job = json_read_object(r, "job");
		if (!r || report_json_job_ok(job))
			continue;
		if (listed++ >= PAIRS_LISTED_MAX) {
			more++;
			continue;
		}
		JsonObject *pair = json_read_object(r, "pair");
		html_table_row(rows);
		html_table_cell(rows, json_read_string(pair, "capture"), FALSE);
		html_table_cell(rows, json_read_string(pair, "expert"), FALSE);
		html_table_cell(rows, json_read_string(job, "outcome"), FALSE);
		html_table_cell(rows, json_read_string(job, "detail"), FALSE);
	}
	if (listed == 0) {
		g_string_append(out, "<p>None: every pair completed, returned 0 and kept every output "
		                     "it closed.</p>\n");
	} else {
		html_table_begin(out, NULL);
		html_table_heading(out, "capture", FALSE);
		html_table_heading(out, "expert", FALSE);
		html_table_heading(out, "outcome", FALSE);
		html_table_heading(out, "detail", FALSE);
		html_table_body(out);
		g_string_append(out, rows->str);
		html_table_end(out);
		if (more) {
			g_autofree char *text = g_strdup_printf("and %u more (the JSON document has them all)",
			                                        more);
			g_string_append(out, "<p class=\"dim\">");
			html_text(out, text);
			g_string_append(out, "</p>\n");
		}
	}
	g_string_free(rows, TRUE);
	g_string_append(out, "</section>\n");
}

GString *html_report_batch(JsonNode *root_node)
{
	JsonObject *root = JSON_NODE_HOLDS_OBJECT(root_node) ? json_node_get_object(root_node) : NULL;
	GString *out = g_string_new(NULL);
	html_page_begin(out, "expert-exec batch");
	header(out, root);
	summary(out, json_read_array(root, "summary"));
	failures(out, json_read_array(root, "results"));
	html_page_end(out);
	return out;
}
