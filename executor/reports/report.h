/* report.h — a run's results as JSON (report-text.h prints them for
 * people), and the words both use. */
#ifndef EXPERT_EXEC_REPORT_H
#define EXPERT_EXEC_REPORT_H

#include "results/run-result.h"

/* Newly allocated. */
char *report_json(const RunResult *result);

/* "info", "warning", "error" (static). */
const char *report_severity_name(int severity);
/* "1.2" for EXPERT_VERSION(1, 2) (newly allocated). */
char *report_version_string(guint32 version);

#endif /* EXPERT_EXEC_REPORT_H */
