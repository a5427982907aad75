/* signal-calls.h — the syscalls through which a process sends a signal, or
 * has the kernel send one later, and where each keeps the signal and its
 * target: one table, read by the filter compiler (which hands these calls
 * to the executor) and by the executor (which records what a child sent).
 *
 * Why: a death by SIGXCPU, SIGSYS or SIGXFSZ reads like the kernel enforcing
 * a limit or a kill rule, but a child can raise any of them itself. The
 * kernel's wait status does not say who sent the signal; seeing the call
 * that sent it does. Pure, over the system headers. */
#ifndef EXPERT_EXEC_SIGNAL_CALLS_H
#define EXPERT_EXEC_SIGNAL_CALLS_H

#include <glib.h>

typedef enum {
	SIGNAL_CALL_TO_PID,      /* kill(pid, sig): a pid, 0 (its own group), -1 (all), -pgid */
	SIGNAL_CALL_TO_THREAD,   /* tkill(tid, sig) */
	SIGNAL_CALL_TO_PROCESS,  /* tgkill(tgid, tid, sig), rt_sigqueueinfo(tgid, sig, ...) ... */
	SIGNAL_CALL_TO_PIDFD,    /* pidfd_send_signal(pidfd, sig, ...): whoever the descriptor names */
	SIGNAL_CALL_ARRANGED,    /* fcntl(F_SETSIG), prctl(PR_SET_PDEATHSIG): the kernel sends it later, to the caller */
	SIGNAL_CALL_SIGEVENT,    /* timer_create, mq_notify: a struct sigevent in memory, which no filter can read */
} SignalCallKind;

typedef struct {
	int nr;                  /* x86-64 */
	const char *name;
	SignalCallKind kind;
	int target_arg;          /* the pid, tid, tgid or pidfd; -1 for none */
	int signal_arg;          /* -1: the signal is in memory (SIGNAL_CALL_SIGEVENT) */
	int when_arg;            /* -1: every call; else only when this argument ... */
	guint32 when_value;      /* ... has this value (fcntl's F_SETSIG, prctl's PR_SET_PDEATHSIG) */
	int pointer_arg;         /* SIGNAL_CALL_SIGEVENT: the sigevent; NULL asks for no signal */
} SignalCall;

const SignalCall *signal_call_table(gsize *n);

/* The entry this call matches, or NULL: a call that sends no signal (for
 * instance signal 0, which only asks whether the target exists, or an
 * fcntl of another command). */
const SignalCall *signal_call_find(int nr, const guint64 args[6]);

/* The signal the call sends, as the kernel reads it (the low 32 bits, an
 * int); 0 for a SIGNAL_CALL_SIGEVENT call, whose signal is in memory. */
int signal_call_signal(const SignalCall *call, const guint64 args[6]);

/* Whether the call sends its signal to the caller itself, given the pid and
 * thread id the caller has in its own pid namespace: 1 yes, 0 no, -1 cannot
 * tell from the arguments (a process group, a pidfd, a sigevent). */
int signal_call_to_self(const SignalCall *call, const guint64 args[6], gint64 own_pid);

#endif /* EXPERT_EXEC_SIGNAL_CALLS_H */
