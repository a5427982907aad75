/* job-filters.h — frame filters a running child asks the executor for,
 * compiled off the main loop (see job-filters.c). */
#ifndef EXPERT_EXEC_JOB_FILTERS_H
#define EXPERT_EXEC_JOB_FILTERS_H

#include "jobs/job-state.h"

void job_on_filter_request(Job *job, const WireMessage *msg);
/* The job is ending: a compile still in flight is answered to no one. */
void job_filters_abandon(Job *job);

#endif /* EXPERT_EXEC_JOB_FILTERS_H */
