/* report.h — a run's results as JSON (report-text.h prints them for
 * people), and the words both use. */
#ifndef EXPERT_EXEC_REPORT_H
#define EXPERT_EXEC_REPORT_H

#include "results/run-result.h"

#include <json-glib/json-glib.h>

/* Newly allocated. */
char *report_json(const RunResult *result);
/* The document report_json prints, for other renderings of it (--html). */
JsonNode *report_json_node(const RunResult *result);
/* One job as an element of that document's "jobs" (a batch's results
 * file holds the same object per line). */
void report_json_job(JsonBuilder *builder, const Job *job);
/* Read back from such a job object (of any origin: a missing or mistyped
 * member reads as absent): the outputs the expert closed that the
 * executor removed; and whether the job did well, as `run`'s exit status 0
 * asks: completed, returned 0, kept every output it closed. */
guint report_json_outputs_removed(JsonObject *job);
gboolean report_json_job_ok(JsonObject *job);
/* The JSON document of a command that ran nothing: {"command": "run",
 * "error": message, "exit_status": 2}, so a program reading --json output
 * always reads JSON. */
char *report_json_error(const char *command, const char *message, int exit_status);

/* The children forked ahead of their jobs (jobs/prefork.h): how many the
 * pool kept, how many were forked, how many jobs found theirs ready, and
 * the mean time the zygote took for each fork (its pid namespace and init
 * included), which a job whose child was ready does not wait for. */
void report_prefork_json(JsonBuilder *b, const char *member, const PreforkFigures *figures);

/* "info", "warning", "error" (static). */
const char *report_severity_name(int severity);
/* "1.2" for EXPERT_VERSION(1, 2) (newly allocated). */
char *report_version_string(guint32 version);

#endif /* EXPERT_EXEC_REPORT_H */
