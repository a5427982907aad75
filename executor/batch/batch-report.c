/* batch-report.c — see batch-report.h. */
#include "batch/batch-report.h"

#include "reports/html-batch.h"
#include "reports/html-report.h"
#include "reports/json-out.h"
#include "reports/json-read.h"
#include "reports/report.h"
#include "results/child-text.h"
#include "results/outcome.h"

#include <stdio.h>
#include <string.h>

#define LABEL_WIDTH 28

BatchReport *batch_report_new(const char *command, JsonObject *header)
{
	BatchReport *r = g_new0(BatchReport, 1);
	r->command = command;
	r->header = header ? json_object_ref(header) : NULL;
	r->records = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	r->notes = g_ptr_array_new_with_free_func(g_free);
	return r;
}

void batch_report_free(BatchReport *r)
{
	if (!r)
		return;
	if (r->header)
		json_object_unref(r->header);
	g_ptr_array_unref(r->records);
	g_ptr_array_unref(r->notes);
	g_free(r->stopped);
	g_free(r);
}

void batch_report_add(BatchReport *r, JsonObject *record)
{
	g_ptr_array_add(r->records, json_object_ref(record));
}

gint64 batch_record_index(JsonObject *record)
{
	double index = -1;
	json_read_number(json_read_object(record, "pair"), "index", &index);
	return (gint64)index;
}

static gint by_index(gconstpointer a, gconstpointer b)
{
	gint64 x = batch_record_index(*(JsonObject *const *)a);
	gint64 y = batch_record_index(*(JsonObject *const *)b);
	return x < y ? -1 : x > y;
}

void batch_report_sort(BatchReport *r)
{
	g_ptr_array_sort(r->records, by_index);
}

const char *batch_record_expert(JsonObject *record)
{
	return json_read_string(json_read_object(record, "pair"), "expert");
}

const char *batch_record_capture(JsonObject *record)
{
	return json_read_string(json_read_object(record, "pair"), "capture");
}

static gboolean capture_partial(JsonObject *record)
{
	JsonObject *capture = json_read_object(record, "capture");
	JsonNode *partial = capture ? json_object_get_member(capture, "partial") : NULL;
	return partial && JSON_NODE_HOLDS_VALUE(partial) && json_node_get_boolean(partial);
}

gboolean batch_record_ok(JsonObject *record)
{
	return report_json_job_ok(json_read_object(record, "job"));
}

int batch_report_exit_status(const BatchReport *r)
{
	if (r->stopped)
		return 2;
	gboolean partial = FALSE;
	for (guint i = 0; i < r->records->len; i++) {
		JsonObject *record = g_ptr_array_index(r->records, i);
		if (!batch_record_ok(record))
			return 1;
		partial |= capture_partial(record);
	}
	return partial ? 3 : 0;
}

/* ---- counting ------------------------------------------------------------ */

typedef struct {
	const char *expert;
	guint pairs;
	guint outcomes[OUTCOME_N_KINDS];
	guint other;              /* an outcome this executor has no name for */
	guint returned_nonzero;
	guint outputs_removed;
	guint partial_captures;
} ExpertCount;

static OutcomeKind outcome_of(const char *name, gboolean *known)
{
	gsize n;
	const OutcomeInfo *table = outcome_table(&n);
	for (gsize i = 0; name && i < n; i++)
		if (g_str_equal(table[i].name, name)) {
			*known = TRUE;
			return table[i].kind;
		}
	*known = FALSE;
	return OUTCOME_CRASHED;
}

/* One count per expert of the header, in its order; experts of records
 * the header does not list after them. */
static GArray *count(const BatchReport *r)
{
	GArray *counts = g_array_new(FALSE, TRUE, sizeof(ExpertCount));
	JsonArray *experts = json_read_array(r->header, "experts");
	for (guint e = 0; experts && e < json_array_get_length(experts); e++) {
		JsonNode *n = json_array_get_element(experts, e);
		if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
			continue;
		ExpertCount c = { .expert = json_node_get_string(n) };
		g_array_append_val(counts, c);
	}
	for (guint i = 0; i < r->records->len; i++) {
		JsonObject *record = g_ptr_array_index(r->records, i);
		const char *expert = batch_record_expert(record);
		ExpertCount *c = NULL;
		for (guint k = 0; k < counts->len && !c; k++)
			if (g_strcmp0(g_array_index(counts, ExpertCount, k).expert, expert) == 0)
				c = &g_array_index(counts, ExpertCount, k);
		if (!c) {
			ExpertCount fresh = { .expert = expert };
			g_array_append_val(counts, fresh);
			c = &g_array_index(counts, ExpertCount, counts->len - 1);
		}
		JsonObject *job = json_read_object(record, "job");
		gboolean known;
		OutcomeKind kind = outcome_of(json_read_string(job, "outcome"), &known);
		c->pairs++;
		if (known)
			c->outcomes[kind]++;
		else
			c->other++;
		double rv = 0;
		if (known && kind == OUTCOME_COMPLETED && json_read_number(job, "return_value", &rv) && rv != 0)
			c->returned_nonzero++;
		c->outputs_removed += report_json_outputs_removed(job);
		c->partial_captures += capture_partial(record);
	}
	return counts;
}

static guint header_count(const BatchReport *r, const char *member)
{
	JsonArray *a = json_read_array(r->header, member);
	return a ? json_array_get_length(a) : 0;
}

/* ---- text ---------------------------------------------------------------- */

static char *label_of(const char *expert)
{
	g_autofree char *base = g_path_get_basename(expert ? expert : "?");
	if (g_str_has_suffix(base, ".so") && strlen(base) > 3)
		base[strlen(base) - 3] = '\0';
	return child_text(base, LABEL_WIDTH, 0);
}

char *batch_report_text(const BatchReport *r)
{
	g_autoptr(GArray) counts = count(r);
	GString *out = g_string_new(NULL);
	guint captures = header_count(r, "captures"), experts = header_count(r, "experts");
	g_string_append_printf(out, "summary  %u pair(s) of %u capture(s) x %u expert(s)",
	                       r->records->len, captures, experts);
	if (g_str_equal(r->command, "merge"))
		g_string_append_printf(out, ", merged from %u shard(s)", r->shards);
	else if (r->shard.count)
		g_string_append_printf(out, ", shard %u/%u", r->shard.index, r->shard.count);
	if (r->resumed)
		g_string_append_printf(out, " (%u run now, %u done before, from the results file)",
		                       r->run, r->resumed);
	g_string_append_c(out, '\n');
	/* A column per outcome any expert had, then the exceptions. */
	gboolean shown[OUTCOME_N_KINDS] = { FALSE };
	gboolean other = FALSE, nonzero = FALSE, removed = FALSE, partial = FALSE;
	for (guint k = 0; k < counts->len; k++) {
		const ExpertCount *c = &g_array_index(counts, ExpertCount, k);
		for (guint o = 0; o < OUTCOME_N_KINDS; o++)
			shown[o] |= c->outcomes[o] > 0;
		other |= c->other > 0;
		nonzero |= c->returned_nonzero > 0;
		removed |= c->outputs_removed > 0;
		partial |= c->partial_captures > 0;
	}
	shown[OUTCOME_COMPLETED] = TRUE;
	g_string_append_printf(out, "%-*s %6s", LABEL_WIDTH, "expert", "pairs");
	for (guint o = 0; o < OUTCOME_N_KINDS; o++)
		if (shown[o])
			g_string_append_printf(out, " %*s", (int)MAX(strlen(outcome_info(o)->name), 6),
			                       outcome_info(o)->name);
	if (other)
		g_string_append(out, "  unknown");
	if (nonzero)
		g_string_append(out, "  returned-non-zero");
	if (removed)
		g_string_append(out, "  outputs-removed");
	if (partial)
		g_string_append(out, "  partial-captures");
	g_string_append_c(out, '\n');
	for (guint k = 0; k < counts->len; k++) {
		const ExpertCount *c = &g_array_index(counts, ExpertCount, k);
		g_autofree char *label = label_of(c->expert);
		int width = LABEL_WIDTH + (int)(strlen(label) - (gsize)g_utf8_strlen(label, -1));
		g_string_append_printf(out, "%-*s %6u", width, label, c->pairs);
		for (guint o = 0; o < OUTCOME_N_KINDS; o++)
			if (shown[o])
				g_string_append_printf(out, " %*u", (int)MAX(strlen(outcome_info(o)->name), 6),
				                       c->outcomes[o]);
		if (other)
			g_string_append_printf(out, "  %7u", c->other);
		if (nonzero)
			g_string_append_printf(out, "  %18u", c->returned_nonzero);
		if (removed)
			g_string_append_printf(out, "  %15u", c->outputs_removed);
		if (partial)
			g_string_append_printf(out, "  %16u", c->partial_captures);
		g_string_append_c(out, '\n');
	}
	if (r->stopped)
		g_string_append_printf(out, "stopped  %s\n", r->stopped);
	return g_string_free(out, FALSE);
}

char *batch_report_capture_text(JsonObject *const *records, guint n)
{
	GString *out = g_string_new("capture  ");
	if (n == 0)
		return g_string_free(out, FALSE);
	JsonObject *capture = json_read_object(records[0], "capture");
	child_text_append(out, json_read_string(capture, "path"), -1, 0, 0);
	const char *error = json_read_string(capture, "error");
	if (error) {
		g_string_append(out, ": not loaded: ");
		child_text_append(out, error, -1, 0, 0);
		g_string_append_printf(out, " (%u pair(s) not started)\n", n);
		return g_string_free(out, FALSE);
	}
	double frames = 0;
	json_read_number(capture, "frames", &frames);
	g_string_append_printf(out, " (%s, %.0f frames", json_read_string(capture, "format"), frames);
	if (capture_partial(records[0])) {
		g_string_append(out, ", PARTIAL: ");
		child_text_append(out, json_read_string(capture, "partial_reason"), -1, 0, 0);
	}
	guint ok = 0;
	for (guint i = 0; i < n; i++)
		ok += batch_record_ok(records[i]);
	g_string_append_printf(out, "): %u of %u completed and returned 0\n", ok, n);
	for (guint i = 0; i < n; i++) {
		if (batch_record_ok(records[i]))
			continue;
		JsonObject *job = json_read_object(records[i], "job");
		g_autofree char *label = label_of(batch_record_expert(records[i]));
		int width = LABEL_WIDTH + (int)(strlen(label) - (gsize)g_utf8_strlen(label, -1));
		g_string_append_printf(out, "   %-*s ", width, label);
		child_text_append(out, json_read_string(job, "outcome"), -1, 0, 0);
		g_string_append(out, ": ");
		/* The executor's composition, whose child parts were escaped when
		 * it was (as the run's text report prints it). */
		child_text_append(out, json_read_string(job, "detail"), -1, 0, CHILD_TEXT_ESCAPED_PARTS);
		g_string_append_c(out, '\n');
	}
	return g_string_free(out, FALSE);
}

/* ---- JSON ---------------------------------------------------------------- */

static void copy_member(JsonBuilder *b, JsonObject *from, const char *name)
{
	JsonNode *v = from ? json_object_get_member(from, name) : NULL;
	json_builder_set_member_name(b, name);
	if (v)
		json_builder_add_value(b, json_node_copy(v));
	else
		json_builder_add_null_value(b);
}

JsonNode *batch_report_json(const BatchReport *r)
{
	g_autoptr(GArray) counts = count(r);
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	json_out_string(b, "command", r->command);
	json_out_string(b, "schema", BATCH_REPORT_SCHEMA);
	json_out_string(b, "pairs_digest", json_read_string(r->header, "pairs_digest"));
	if (g_str_equal(r->command, "merge")) {
		json_out_int(b, "shards", r->shards);
	} else {
		json_out_begin_object(b, "shard");
		json_out_int(b, "index", r->shard.index);
		json_out_int(b, "count", MAX(r->shard.count, 1));
		json_builder_end_object(b);
	}
	json_out_begin_object(b, "pairs");
	double total = 0;
	json_read_number(r->header, "pairs", &total);
	json_out_int(b, "total", (gint64)total);
	json_out_int(b, "results", r->records->len);
	if (!g_str_equal(r->command, "merge")) {
		copy_member(b, r->header, "assigned");
		json_out_int(b, "run", r->run);
		json_out_int(b, "resumed", r->resumed);
	}
	json_builder_end_object(b);
	copy_member(b, r->header, "captures");
	copy_member(b, r->header, "experts");
	json_out_begin_array(b, "summary");
	for (guint k = 0; k < counts->len; k++) {
		const ExpertCount *c = &g_array_index(counts, ExpertCount, k);
		json_builder_begin_object(b);
		json_out_string(b, "expert", c->expert);
		json_out_int(b, "pairs", c->pairs);
		json_out_begin_object(b, "outcomes");
		for (guint o = 0; o < OUTCOME_N_KINDS; o++)
			json_out_int(b, outcome_info(o)->name, c->outcomes[o]);
		if (c->other)
			json_out_int(b, "unknown", c->other);
		json_builder_end_object(b);
		json_out_int(b, "returned_nonzero", c->returned_nonzero);
		json_out_int(b, "outputs_removed", c->outputs_removed);
		json_out_int(b, "partial_captures", c->partial_captures);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_out_begin_array(b, "results");
	for (guint i = 0; i < r->records->len; i++) {
		JsonNode *n = json_node_new(JSON_NODE_OBJECT);
		json_node_set_object(n, g_ptr_array_index(r->records, i));
		json_builder_add_value(b, n);
	}
	json_builder_end_array(b);
	json_out_begin_array(b, "notes");
	for (guint i = 0; i < r->notes->len; i++)
		json_builder_add_string_value(b, g_ptr_array_index(r->notes, i));
	json_builder_end_array(b);
	if (r->stopped)
		json_out_string(b, "stopped", r->stopped);
	json_out_int(b, "exit_status", batch_report_exit_status(r));
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

gboolean batch_report_print(const BatchReport *r, gboolean json, const char *html, GError **error)
{
	for (guint i = 0; i < r->notes->len; i++)
		fprintf(stderr, "expert-exec %s: note: %s\n", r->command,
		        (char *)g_ptr_array_index(r->notes, i));
	g_autoptr(JsonNode) doc = json || html ? batch_report_json(r) : NULL;
	g_autofree char *text = json ? json_out_node_text(doc) : batch_report_text(r);
	fputs(text, stdout);
	if (json)
		fputc('\n', stdout);
	fflush(stdout);
	return !html || html_report_write(html_report_batch, doc, html, error);
}
