/* zygote.h — the executor's side of the fork server (child/zygote-main.c). */
#ifndef EXPERT_EXEC_ZYGOTE_H
#define EXPERT_EXEC_ZYGOTE_H

#include "protocol/child-protocol.h"

#include <glib.h>
#include <sys/types.h>

typedef struct Zygote Zygote;

/* Called for every EXITED reply, from the main loop. */
typedef void (*ZygoteExitFunc)(const ZygoteReply *reply, gpointer user_data);

/* Starts expert-zygote: the sibling of this executable if there is one (a
 * build tree), else the installed one. Call it before any job data exists. */
Zygote *zygote_start(GError **error);

/* Where exits are reported; attaches a watch to the thread-default context. */
void zygote_set_exit_handler(Zygote *zygote, ZygoteExitFunc func, gpointer user_data);

/* Sends one job and waits for the fork: returns the child's pid and a pidfd
 * (owned by the caller), or FALSE. fds are in ZygoteFd order and stay the
 * caller's. */
gboolean zygote_spawn(Zygote *zygote, const ZygoteRequest *request, const int fds[ZYGOTE_N_FDS],
                      pid_t *pid, int *pidfd, GError **error);

/* The zygote's pid, for accounting of its children (stress). */
pid_t zygote_pid(const Zygote *zygote);

/* Stops the zygote (its children die with it) and reaps it. */
void zygote_free(Zygote *zygote);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Zygote, zygote_free)

#endif /* EXPERT_EXEC_ZYGOTE_H */
