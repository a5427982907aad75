/* batch-report.h — what a batch, or a merge of shards, reports: outcomes
 * counted per expert across the captures, as text for people and as one
 * JSON document (which `--html` draws: reports/html-batch.h), and the exit
 * status. Everything is read from the pairs' records (result-record.h), the
 * same whether they were run now, read back from a results file or merged
 * from several. */
#ifndef EXPERT_EXEC_BATCH_REPORT_H
#define EXPERT_EXEC_BATCH_REPORT_H

#include "batch/batch-pairs.h"

#include <json-glib/json-glib.h>

/* The schema of the JSON document (the records inside keep theirs). */
#define BATCH_REPORT_SCHEMA "expert-exec/batch/1"

typedef struct {
	const char *command;   /* "run" or "merge" */
	JsonObject *header;    /* the batch's header record: pair list and digest */
	GPtrArray *records;    /* JsonObject* pair records, by pair index */
	BatchShard shard;      /* run: its shard (count 0: none) */
	guint shards;          /* merge: how many shards the results came from */
	guint run, resumed;    /* run: pairs run now, and found done in --results */
	GPtrArray *notes;      /* char*: warnings (a torn last line, ...) */
	char *stopped;         /* why the batch stopped before its last pair, or NULL */
} BatchReport;

BatchReport *batch_report_new(const char *command, JsonObject *header);
void batch_report_free(BatchReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(BatchReport, batch_report_free)
/* Adds a pair's record (a reference is taken). */
void batch_report_add(BatchReport *report, JsonObject *record);
/* Orders the records by pair index. */
void batch_report_sort(BatchReport *report);

/* 0 if every pair completed, returned 0 and kept every output it closed;
 * 3 if so but a capture was cut short; 1 otherwise (as `run` for one
 * capture). A batch that stopped early is 2. */
int batch_report_exit_status(const BatchReport *report);

/* A pair's record did well: completed, returned 0, kept every output it
 * closed. */
gboolean batch_record_ok(JsonObject *record);
/* "expert-path" of a record's pair, its capture's path (borrowed). */
const char *batch_record_expert(JsonObject *record);
const char *batch_record_capture(JsonObject *record);
gint64 batch_record_index(JsonObject *record);

/* The summary: a line on the pairs, then a table of outcomes per expert
 * (newly allocated). */
char *batch_report_text(const BatchReport *report);
/* One capture's line as its pairs end: "capture PATH (format, frames):
 * K of N completed and returned 0", then a line per pair that did not
 * (newly allocated). */
char *batch_report_capture_text(JsonObject *const *records, guint n);
/* The document of --json (and --html). */
JsonNode *batch_report_json(const BatchReport *report);
/* What a batch and a merge print: the notes on stderr, then on stdout the
 * document (json) or the summary; and the page if html names a file. FALSE
 * if the page cannot be written. */
gboolean batch_report_print(const BatchReport *report, gboolean json, const char *html,
                            GError **error);

#endif /* EXPERT_EXEC_BATCH_REPORT_H */
