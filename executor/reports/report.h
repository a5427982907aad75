/* report.h — printing a run's results. */
#ifndef EXPERT_EXEC_REPORT_H
#define EXPERT_EXEC_REPORT_H

#include "results/run-result.h"

/* Both return a newly allocated string. */
char *report_text(const RunResult *result);
char *report_json(const RunResult *result);
/* For `expert-exec list`: what each expert registered as. */
char *report_list(const RunResult *result);

#endif /* EXPERT_EXEC_REPORT_H */
