/* job-outputs.h — what a running child may ask the executor for: frame
 * filters and output captures (see job-requests.c). */
#ifndef EXPERT_EXEC_JOB_OUTPUTS_H
#define EXPERT_EXEC_JOB_OUTPUTS_H

#include "jobs/job-state.h"

void job_on_filter_request(Job *job, const WireMessage *msg);
void job_on_output_open(Job *job, const WireMessage *msg);
void job_on_output_close(Job *job, const WireMessage *msg);
/* Keeps the complete outputs, removes the rest; closes their descriptors. */
void job_settle_outputs(Job *job);
void job_output_free(gpointer output);

#endif /* EXPERT_EXEC_JOB_OUTPUTS_H */
