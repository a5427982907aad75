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
 * it was closed and, if the job completed and it is a whole capture, given
 * its name; every other output is removed, with the reason in its state,
 * and so is the job's folder if that leaves it empty. Every descriptor is
 * closed. Settles each output once: later calls touch only what is left. */
void job_settle_outputs(Job *job, gboolean completed);
/* The job's detail with what became of its outputs: led by "output
 * capture: no space left on device" when its filesystem filled up, else
 * followed by each output a completed job lost (newly allocated). */
char *job_outputs_detail(const Job *job, const char *detail);
void job_output_free(gpointer output);

#endif /* EXPERT_EXEC_JOB_OUTPUTS_H */
