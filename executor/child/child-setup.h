/* child-setup.h — what a freshly forked child does before its job, and
 * then to start the job's expert. Runs in the zygote's child; never
 * returns. */
#ifndef EXPERT_EXEC_CHILD_SETUP_H
#define EXPERT_EXEC_CHILD_SETUP_H

#include "protocol/child-protocol.h"

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

/* What the zygote tells each child beyond its request. */
typedef struct {
	pid_t parent;        /* what getppid() must say: the zygote, or 0 from a pid namespace */
	int devnull;         /* the zygote's /dev/null, opened before its root was emptied */
	bool ipc_namespace;  /* make an IPC namespace of its own */
} ChildContext;

/* fds holds ZYGOTE_N_FDS descriptors, in ZygoteFd order. */
_Noreturn void child_setup_and_run(const ZygoteRequest *req, int *fds, const ChildContext *ctx,
                                   const sigset_t *old_mask);

#endif /* EXPERT_EXEC_CHILD_SETUP_H */
