/* signal-calls.c — the table of signal-sending syscalls (see signal-calls.h). */
#include "syscalls/signal-calls.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#ifndef F_SETSIG
#define F_SETSIG 10
#endif

/* Arguments a process uses to name a signal's target or the signal itself
 * are ints: the kernel reads their low 32 bits, whatever the high ones say. */
static gint32 int_arg(const guint64 args[6], int i)
{
	return (gint32)(guint32)args[i];
}

static const SignalCall calls[] = {
	{ SYS_kill, "kill", SIGNAL_CALL_TO_PID, 0, 1, -1, 0, -1 },
	{ SYS_tkill, "tkill", SIGNAL_CALL_TO_THREAD, 0, 1, -1, 0, -1 },
	{ SYS_tgkill, "tgkill", SIGNAL_CALL_TO_PROCESS, 0, 2, -1, 0, -1 },
	{ SYS_rt_sigqueueinfo, "rt_sigqueueinfo", SIGNAL_CALL_TO_PROCESS, 0, 1, -1, 0, -1 },
	{ SYS_rt_tgsigqueueinfo, "rt_tgsigqueueinfo", SIGNAL_CALL_TO_PROCESS, 0, 2, -1, 0, -1 },
	{ SYS_pidfd_send_signal, "pidfd_send_signal", SIGNAL_CALL_TO_PIDFD, 0, 1, -1, 0, -1 },
	/* With O_ASYNC, I/O on the descriptor then raises this signal. */
	{ SYS_fcntl, "fcntl", SIGNAL_CALL_ARRANGED, -1, 2, 1, F_SETSIG, -1 },
	/* Sent when the parent (the zygote) dies. */
	{ SYS_prctl, "prctl", SIGNAL_CALL_ARRANGED, -1, 1, 0, PR_SET_PDEATHSIG, -1 },
	{ SYS_timer_create, "timer_create", SIGNAL_CALL_SIGEVENT, -1, -1, -1, 0, 1 },
	{ SYS_mq_notify, "mq_notify", SIGNAL_CALL_SIGEVENT, -1, -1, -1, 0, 1 },
};

const SignalCall *signal_call_table(gsize *n)
{
	*n = G_N_ELEMENTS(calls);
	return calls;
}

const SignalCall *signal_call_find(int nr, const guint64 args[6])
{
	for (gsize i = 0; i < G_N_ELEMENTS(calls); i++) {
		const SignalCall *c = &calls[i];
		if (c->nr != nr)
			continue;
		if (c->when_arg >= 0 && (guint32)args[c->when_arg] != c->when_value)
			return NULL;
		if (c->pointer_arg >= 0)
			return args[c->pointer_arg] ? c : NULL;
		return int_arg(args, c->signal_arg) != 0 ? c : NULL;
	}
	return NULL;
}

int signal_call_signal(const SignalCall *call, const guint64 args[6])
{
	return call->signal_arg >= 0 ? int_arg(args, call->signal_arg) : 0;
}

int signal_call_to_self(const SignalCall *call, const guint64 args[6], gint64 own_pid)
{
	gint32 target = call->target_arg >= 0 ? int_arg(args, call->target_arg) : 0;
	switch (call->kind) {
	case SIGNAL_CALL_TO_PID:
		if (target == own_pid)
			return 1;
		/* Its own process group, or some group: it may be in it. -1 is
		 * every process but the caller. */
		return target == 0 || target < -1 ? -1 : 0;
	case SIGNAL_CALL_TO_THREAD:
	case SIGNAL_CALL_TO_PROCESS:
		/* A child has one thread unless its profile lets it make more;
		 * another thread's id is then "cannot tell". */
		return target == own_pid ? 1 : call->kind == SIGNAL_CALL_TO_THREAD ? -1 : 0;
	case SIGNAL_CALL_ARRANGED:
		return 1;
	case SIGNAL_CALL_TO_PIDFD:
	case SIGNAL_CALL_SIGEVENT:
		return -1;
	}
	return -1;
}
