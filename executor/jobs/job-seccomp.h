/* job-seccomp.h — a job's seccomp listener (see job-seccomp.c). */
#ifndef EXPERT_EXEC_JOB_SECCOMP_H
#define EXPERT_EXEC_JOB_SECCOMP_H

#include "jobs/job-state.h"

/* Learns the kernel's notification sizes, once per process. */
void job_seccomp_init(void);
/* On LOADED, before the phase ends: the child has lowered its descriptor
 * limit to the profile's, so that the loader's descriptor, on which the
 * filter lets calls through in the kernel, can no longer be made
 * (protocol/child-protocol.h). Read from the kernel; FALSE (a protocol
 * violation, the child killed) if not. */
gboolean job_loading_over(Job *job);
/* The main-loop callback of a job's listener; data is the Job. */
gboolean job_on_listener(int fd, GIOCondition cond, gpointer data);

#endif /* EXPERT_EXEC_JOB_SECCOMP_H */
