/* zygote-isolation.h — the layers the zygote puts around every job, once,
 * before its first request: kernel W^X, its own user namespace when not
 * root, a pid namespace it is the init of, an empty read-only root, an
 * empty network namespace and a UTS namespace; and, per job, the pid
 * namespace the child is forked into. What could not be set up is said in
 * the ZygoteReady it fills, never skipped silently. */
#ifndef EXPERT_EXEC_ZYGOTE_ISOLATION_H
#define EXPERT_EXEC_ZYGOTE_ISOLATION_H

#include "protocol/child-protocol.h"

#include <stdbool.h>
#include <sys/types.h>

/* Sets up every layer it can and fills ready (pid included). When the pid
 * namespace is made, the calling process stays outside it, waiting for the
 * fork server inside, and never returns: only the fork server does. Dies
 * (with a message on stderr) only where a layer that cannot be left out
 * fails: clearing READ_IMPLIES_EXEC. */
void zygote_isolate(ZygoteReady *ready);

/* Whether jobs get a pid namespace each (zygote_fork_job). */
bool zygote_has_pid_namespaces(void);

/* Forks the job's child. With pid namespaces: into a new one, as pid 2, with
 * an idle init as pid 1 (*init_pid, which the caller ends with SIGKILL once
 * the job is reaped); the child is the zygote's own, so its wait status and
 * rusage are the kernel's. Without: a plain fork, *init_pid = 0. slot names
 * the init's stack (one per job alive at once). Returns as fork() does. */
pid_t zygote_fork_job(unsigned slot, pid_t *init_pid);

#endif /* EXPERT_EXEC_ZYGOTE_ISOLATION_H */
