/* zygote.h — the executor's side of the fork server (child/zygote-main.c). */
#ifndef EXPERT_EXEC_ZYGOTE_H
#define EXPERT_EXEC_ZYGOTE_H

#include "kernel/isolation.h"
#include "protocol/child-protocol.h"

#include <glib.h>
#include <sys/types.h>

typedef struct Zygote Zygote;

/* Called for every STARTED or FAILED reply: reply->pid is the child's pid
 * as this process sees it, and pidfd (the handler's to keep or close) a
 * pidfd of it; -1 with FAILED (reply->error says why). From the main loop,
 * or from zygote_wait(). */
typedef void (*ZygoteStartFunc)(const ZygoteReply *reply, int pidfd, gpointer user_data);
/* Called for every EXITED reply, from the main loop. */
typedef void (*ZygoteExitFunc)(const ZygoteReply *reply, gpointer user_data);

/* Starts expert-zygote: the sibling of this executable if there is one (a
 * build tree), else the installed one, and waits until it says which
 * isolation layers it set up. Call it before any job data exists. */
Zygote *zygote_start(GError **error);

/* The layers around every job of this zygote. */
const Isolation *zygote_isolation(const Zygote *zygote);

/* The program started, whose libraries every child has loaded. */
const char *zygote_binary(const Zygote *zygote);

/* Where replies are reported; attaches a watch to the thread-default
 * context. NULLs stop the reports. */
void zygote_set_handlers(Zygote *zygote, ZygoteStartFunc on_start, ZygoteExitFunc on_exit,
                         gpointer user_data);

/* Asks for one child, without waiting: its STARTED (or FAILED) reply, named
 * by request->child_id, comes to the start handler. fds are ZYGOTE_N_FDS
 * descriptors in ZygoteFd order, and stay the caller's. */
gboolean zygote_request(Zygote *zygote, const ZygoteRequest *request, const int *fds,
                        GError **error);

/* Waits until the reply to the request for child_id has been handed to the
 * start handler (others that come first are handed on too; exits are kept
 * for the main loop). FALSE if the zygote fails or takes too long. */
gboolean zygote_wait(Zygote *zygote, guint64 child_id, GError **error);

/* The pid of the process that forks the jobs, for accounting of its
 * children (stress). */
pid_t zygote_pid(const Zygote *zygote);

/* SIGKILL to a child of the zygote's that it has not yet reported reaped:
 * by its pidfd, or, where pidfd_send_signal is unknown (valgrind), by its
 * pid, which cannot have been reused while the zygote has not reaped it.
 * 0, or -1 with errno set (ESRCH: already gone). */
int zygote_child_kill(int pidfd, pid_t pid);

/* Stops the zygote (its children die with it) and reaps it. */
void zygote_free(Zygote *zygote);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Zygote, zygote_free)

#endif /* EXPERT_EXEC_ZYGOTE_H */
