/* job-outputs.h — output captures a running child asks the executor for,
 * each in the job's own folder of the output directory (see job-outputs.c). */
#ifndef EXPERT_EXEC_JOB_OUTPUTS_H
#define EXPERT_EXEC_JOB_OUTPUTS_H

#include "jobs/job-state.h"

void job_on_output_open(Job *job, const WireMessage *msg);
void job_on_output_close(Job *job, const WireMessage *msg);
/* The name of an output whose size has reached the profile's output-bytes
 * limit, or NULL: the kernel's SIGXFSZ needs a write there. */
const char *job_output_at_limit(const Job *job);
/* Once the child is gone: a closed output is cut back to its length when
 * it was closed, one never closed is removed, and so is the job's folder
 * if that leaves it empty; every descriptor is closed. */
void job_settle_outputs(Job *job);
void job_output_free(gpointer output);

#endif /* EXPERT_EXEC_JOB_OUTPUTS_H */
