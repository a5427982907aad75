/* result-record.h — the records of a batch's results file
 * (batch/results-file.h; docs/results.schema.json): the batch's header,
 * and one record per (capture, expert) pair, holding the job as `run
 * --json` shows it. Every record names the schema, the digest of the pair
 * list and the shard that wrote it, so merge can tell results of other
 * inputs apart. */
#ifndef EXPERT_EXEC_RESULT_RECORD_H
#define EXPERT_EXEC_RESULT_RECORD_H

#include "batch/batch-pairs.h"
#include "results/job-result.h"
#include "captures/capture.h"

#include <json-glib/json-glib.h>

/* What every record of one batch shares. */
typedef struct {
	const char *digest;           /* batch_pairs_digest */
	BatchShard shard;
	GPtrArray *captures;          /* BatchCapture* (batch-captures.h), in pair order */
	const char *const *experts;
	guint n_experts;
} RecordBatch;

/* The first line: the pair list (captures with their sizes, experts), how
 * many pairs the shard has, who wrote it and when. */
JsonNode *result_record_header(const RecordBatch *batch, guint assigned);

/* The pair's line once its job ended: the capture as loaded, and the job
 * (reports/report.h's report_json_job). */
JsonNode *result_record_pair(const RecordBatch *batch, guint pair, const Capture *capture,
                             const Job *job);

/* The pair's line when its capture could not be loaded: its job
 * "not-started", the loader's error as its detail. */
JsonNode *result_record_unloaded(const RecordBatch *batch, guint pair, const char *error);

#endif /* EXPERT_EXEC_RESULT_RECORD_H */
