/* report-inject.h — a job's injected fault, in the words the text report,
 * JSON and the stress --inject report share: what was planned, whether it
 * was made and by whom, and where the child says it crashed. */
#ifndef EXPERT_EXEC_REPORT_INJECT_H
#define EXPERT_EXEC_REPORT_INJECT_H

#include "results/job-result.h"

#include <json-glib/json-glib.h>

/* "alloc@3: the 3rd allocation refused; made at API call 12 (allocation 3),
 * as the child reports" (newly allocated; the executor's own words). */
char *report_injection_text(const Job *job);

/* The job's "injection" member: spec, what it does, made or not and by
 * whom, the counts. */
void report_injection_json(JsonBuilder *b, const Job *job);

/* The fault report's location line: "counter.so: expert_run+0x1d", with
 * whose word it is, or NULL when there is none (newly allocated). */
char *report_fault_location_text(const FaultClaim *fault);

#endif /* EXPERT_EXEC_REPORT_INJECT_H */
