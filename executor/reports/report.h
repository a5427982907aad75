/* report.h — printing a run's results. */
#ifndef EXPERT_EXEC_REPORT_H
#define EXPERT_EXEC_REPORT_H

#include "results/run-result.h"

#include <json-glib/json-glib.h>

/* Both return a newly allocated string. */
char *report_text(const RunResult *result);
char *report_json(const RunResult *result);
/* The document report_json prints, for other renderings of it (--html). */
JsonNode *report_json_node(const RunResult *result);
/* For `expert-exec list`: what each expert registered as. */
char *report_list(const RunResult *result);

#endif /* EXPERT_EXEC_REPORT_H */
