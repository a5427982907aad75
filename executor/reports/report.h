/* report.h — printing a run's results. */
#ifndef EXPERT_EXEC_REPORT_H
#define EXPERT_EXEC_REPORT_H

#include "results/run-result.h"

#include <json-glib/json-glib.h>

/* Each returns a newly allocated string. The text is a header (the capture,
 * and the profile of each expert with who chose it: printable before the
 * jobs run) and the jobs' table and details; report_text() is both. */
char *report_text_header(const RunResult *result);
char *report_text_jobs(const RunResult *result);
char *report_text(const RunResult *result);
char *report_json(const RunResult *result);
/* The document report_json prints, for other renderings of it (--html). */
JsonNode *report_json_node(const RunResult *result);
/* The JSON document of a command that ran nothing: {"command": "run",
 * "error": message, "exit_status": 2}, so a program reading --json output
 * always reads JSON. */
char *report_json_error(const char *command, const char *message, int exit_status);
/* For `expert-exec list`: what each expert registered as. */
char *report_list(const RunResult *result);

#endif /* EXPERT_EXEC_REPORT_H */
