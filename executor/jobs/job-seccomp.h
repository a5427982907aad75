/* job-seccomp.h — a job's seccomp listener (see job-seccomp.c). */
#ifndef EXPERT_EXEC_JOB_SECCOMP_H
#define EXPERT_EXEC_JOB_SECCOMP_H

#include "jobs/job-state.h"

/* Learns the kernel's notification sizes, once per process. */
void job_seccomp_init(void);
/* The main-loop callback of a job's listener; data is the Job. */
gboolean job_on_listener(int fd, GIOCondition cond, gpointer data);

#endif /* EXPERT_EXEC_JOB_SECCOMP_H */
