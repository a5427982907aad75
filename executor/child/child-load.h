/* child-load.h — the last step of a job's child: loading the object (and
 * the libraries it needs) from the descriptors the executor opened, ending
 * the loading phase, and running the expert. */
#ifndef EXPERT_EXEC_CHILD_LOAD_H
#define EXPERT_EXEC_CHILD_LOAD_H

#include "protocol/child-protocol.h"
#include "runtime.h"

/* Loads the n_libs libraries just above loader_fd, in order, then the
 * object at CHILD_FD_EXPERT; applies the after-loading Landlock domain
 * (where req->landlock_abi says); closes every descriptor but 0-3; lowers
 * RLIMIT_NOFILE to the profile's; sends LOADED and runs the expert. Never
 * returns. */
_Noreturn void child_load_and_run(ExpertKey *key, unsigned n_libs, unsigned loader_fd,
                                  const ZygoteRequest *req);

#endif /* EXPERT_EXEC_CHILD_LOAD_H */
