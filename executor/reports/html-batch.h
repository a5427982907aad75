/* html-batch.h — the page of a batch (`run` over many captures with
 * --html) and of `merge --html`: drawn from their JSON document alone
 * (batch/batch-report.h), like the pages of html-report.h. */
#ifndef EXPERT_EXEC_HTML_BATCH_H
#define EXPERT_EXEC_HTML_BATCH_H

#include <glib.h>
#include <json-glib/json-glib.h>

/* The batch's facts, its outcomes per expert (a bar each, and a table),
 * and every pair that did not complete and return 0. */
GString *html_report_batch(JsonNode *root);

#endif /* EXPERT_EXEC_HTML_BATCH_H */
