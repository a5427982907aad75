/* result-record.c — see result-record.h. */
#include "batch/result-record.h"

#include "batch/batch-captures.h"
#include "batch/results-file.h"
#include "reports/json-out.h"
#include "reports/report.h"
#include "results/outcome.h"

static void begin(JsonBuilder *b, const RecordBatch *batch, const char *record)
{
	json_builder_begin_object(b);
	json_out_string(b, "schema", RESULTS_SCHEMA);
	json_out_string(b, "record", record);
	json_out_string(b, "pairs_digest", batch->digest);
	json_out_begin_object(b, "shard");
	json_out_int(b, "index", batch->shard.index);
	json_out_int(b, "count", MAX(batch->shard.count, 1));
	json_builder_end_object(b);
}

/* Where and when, for a person reading the file; merge ignores both. */
static void end(JsonBuilder *b, const char *when_name)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *when = g_date_time_format_iso8601(now);
	json_out_string(b, "host", g_get_host_name());
	json_out_string(b, when_name, when);
	json_builder_end_object(b);
}

JsonNode *result_record_header(const RecordBatch *batch, guint assigned)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	begin(b, batch, "batch");
	json_out_int(b, "pairs", (gint64)batch->captures->len * batch->n_experts);
	json_out_int(b, "assigned", assigned);
	json_out_begin_array(b, "captures");
	for (guint c = 0; c < batch->captures->len; c++) {
		const BatchCapture *bc = g_ptr_array_index(batch->captures, c);
		json_builder_begin_object(b);
		json_out_string(b, "path", bc->path);
		json_out_int(b, "bytes", (gint64)bc->bytes);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_out_begin_array(b, "experts");
	for (guint e = 0; e < batch->n_experts; e++)
		json_builder_add_string_value(b, batch->experts[e]);
	json_builder_end_array(b);
	end(b, "started");
	return json_builder_get_root(b);
}

/* "pair", then "capture" begun with its path and size: the caller adds
 * what loading it found, and ends it. */
static void pair_and_capture(JsonBuilder *b, const RecordBatch *batch, guint pair)
{
	const BatchCapture *bc = g_ptr_array_index(batch->captures, pair / batch->n_experts);
	json_out_begin_object(b, "pair");
	json_out_int(b, "index", pair);
	json_out_string(b, "capture", bc->path);
	json_out_string(b, "expert", batch->experts[pair % batch->n_experts]);
	json_builder_end_object(b);
	json_out_begin_object(b, "capture");
	json_out_string(b, "path", bc->path);
	json_out_int(b, "bytes", (gint64)bc->bytes);
}

JsonNode *result_record_pair(const RecordBatch *batch, guint pair, const Capture *capture,
                             const Job *job)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	begin(b, batch, "pair");
	pair_and_capture(b, batch, pair);
	json_out_string(b, "format", capture->format);
	json_out_int(b, "frames", (gint64)capture->frame_count);
	json_out_bool(b, "partial", capture->partial);
	if (capture->partial)
		json_out_string(b, "partial_reason", capture->partial_reason);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "job");
	report_json_job(b, job);
	end(b, "finished");
	return json_builder_get_root(b);
}

JsonNode *result_record_unloaded(const RecordBatch *batch, guint pair, const char *error)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	begin(b, batch, "pair");
	pair_and_capture(b, batch, pair);
	json_out_string(b, "error", error);
	json_builder_end_object(b);
	json_out_begin_object(b, "job");
	json_out_begin_object(b, "expert");
	json_out_string(b, "path", batch->experts[pair % batch->n_experts]);
	json_builder_end_object(b);
	json_out_string(b, "outcome", outcome_info(OUTCOME_NOT_STARTED)->name);
	json_out_string(b, "detail", error);
	json_out_begin_array(b, "outputs");
	json_builder_end_array(b);
	json_out_begin_array(b, "events");
	json_builder_end_array(b);
	json_builder_end_object(b);
	end(b, "finished");
	return json_builder_get_root(b);
}
