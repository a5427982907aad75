/* job-signals.h — the signals a child sends, as the seccomp listener sees
 * the calls that send them (see job-signals.c). */
#ifndef EXPERT_EXEC_JOB_SIGNALS_H
#define EXPERT_EXEC_JOB_SIGNALS_H

#include "jobs/job-state.h"
#include "syscalls/signal-calls.h"

/* Records that the child, stopped in call, is about to send (or arrange)
 * the signal in args, which the profile lets through. Reads what the child
 * sent on its channel before the call first: a fault signal the runtime's
 * handler re-raises after its fault report is that report's, not a raise
 * of its own. Returns FALSE if reading the channel ended the job. */
gboolean job_note_signal(Job *job, const SignalCall *call, const guint64 args[6]);

#endif /* EXPERT_EXEC_JOB_SIGNALS_H */
