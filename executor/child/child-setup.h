/* child-setup.h — what a freshly forked job child does before, and to start,
 * the expert. Runs in the zygote's child; never returns. */
#ifndef EXPERT_EXEC_CHILD_SETUP_H
#define EXPERT_EXEC_CHILD_SETUP_H

#include "protocol/child-protocol.h"

#include <signal.h>
#include <sys/types.h>

_Noreturn void child_setup_and_run(const ZygoteRequest *req, int fds[ZYGOTE_N_FDS],
                                   pid_t zygote_pid, const sigset_t *old_mask);

#endif /* EXPERT_EXEC_CHILD_SETUP_H */
