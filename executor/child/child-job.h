/* child-job.h — a set-up child waiting for its job, and taking it: the
 * job's descriptors, Landlock's loading domain, START. */
#ifndef EXPERT_EXEC_CHILD_JOB_H
#define EXPERT_EXEC_CHILD_JOB_H

#include "protocol/child-protocol.h"
#include "runtime.h"

/* Waits on the channel for the job (ChildJob, then START), checks it is of
 * the profile the child was made for, restricts itself to the job's object
 * and libraries (Landlock, where req->landlock_abi says) and goes on to load
 * and run it (child-load.c). A channel closed before any job came ends the
 * child quietly: the executor let it go. Never returns. */
_Noreturn void child_await_job(ExpertKey *key, const ZygoteRequest *req, unsigned loader_fd);

#endif /* EXPERT_EXEC_CHILD_JOB_H */
