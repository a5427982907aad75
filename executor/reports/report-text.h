/* report-text.h — a run's results for people: the capture and the profile
 * of each expert, a table of the jobs, then each job's section (see
 * report-text.c). Every string that is not the executor's own goes through
 * results/child-text.h. */
#ifndef EXPERT_EXEC_REPORT_TEXT_H
#define EXPERT_EXEC_REPORT_TEXT_H

#include "results/run-result.h"

/* Each newly allocated. The header (the capture, and the profile of each
 * expert with who chose it) can be printed before the jobs run;
 * report_text() is the header and the jobs. */
char *report_text_header(const RunResult *result);
/* The header without its capture line: the isolation in effect and each
 * expert's profile (a batch prints it once for all its captures). */
char *report_text_setup(const RunResult *result);
char *report_text_jobs(const RunResult *result);
char *report_text(const RunResult *result);
/* For `expert-exec list`: what each expert registered as. */
char *report_list(const RunResult *result);

/* How a report names a job: its file's name without ".so" (the operator's
 * word, never the child's; newly allocated, not yet escaped). */
char *report_job_label(const Job *job);

#endif /* EXPERT_EXEC_REPORT_TEXT_H */
