/* job.h — one expert run in one child: start it, watch its channel, its
 * seccomp notifications and its clock, decide its outcome when it has been
 * reaped, and give back everything it held. What a job leaves behind, the
 * Job itself, is results/job-result.h. */
#ifndef EXPERT_EXEC_JOB_H
#define EXPERT_EXEC_JOB_H

#include "jobs/job-context.h"
#include "jobs/zygote.h"

#include <glib.h>

/* Starts the job; done is called exactly once, from the main loop (also when
 * the job could not start, with OUTCOME_NOT_STARTED). */
/* config: the expert's settings as key, value, key, value, ..., NULL.
 * profile: the one it runs under, which must outlive the job. */
Job *job_start(guint64 id, const char *expert_path, const char *const *config,
               const RunProfile *profile, const JobContext *ctx, JobDoneFunc done,
               gpointer user_data);

/* Called by the runner for the zygote's EXITED report of this job. */
void job_reaped(Job *job, const ZygoteReply *reply);

void job_free(Job *job);

#endif /* EXPERT_EXEC_JOB_H */
