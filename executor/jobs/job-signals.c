/* job-signals.c — the signals a child sends (see job-signals.h).
 *
 * The kernel's wait status says which signal killed a child, never who sent
 * it. SIGXCPU, SIGSYS and SIGXFSZ read like the kernel enforcing a limit or
 * a kill rule, and a child can raise each of them itself. The filter's
 * prefix (profiles/filter-prefix.h) hands the executor every call that sends
 * one; here it is recorded, from the kernel's copy of the call's registers,
 * so that the outcome (results/outcome.c) can tell the two apart. */
#include "jobs/job-signals.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

/* The child's pid as it names itself: the last field of NSpid, which is
 * its own pid namespace's number (the same as the executor's without one). */
static gint64 own_pid(Job *job)
{
	struct JobPrivate *p = job->priv;
	if (p->own_pid)
		return p->own_pid;
	p->own_pid = p->pid;
	char path[64];
	g_snprintf(path, sizeof(path), "/proc/%d/status", (int)p->pid);
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return p->own_pid;
	const char *line = strstr(text, "\nNSpid:");
	if (!line)
		return p->own_pid;
	g_autofree char *fields = g_strndup(line + 7, strcspn(line + 7, "\n"));
	g_auto(GStrv) pids = g_strsplit_set(g_strstrip(fields), " \t", -1);
	guint n = g_strv_length(pids);
	gint64 last = 0;
	if (n && g_ascii_string_to_signed(pids[n - 1], 10, 1, G_MAXINT32, &last, NULL))
		p->own_pid = last;
	return p->own_pid;
}

/* Jobs that share a uid can signal each other: the one that received it is
 * told who sent it, so that a death is never blamed on the job that died.
 * Only where the child's pids are the executor's (no pid namespace). */
static void note_for_target(Job *job, const SignalCall *call, const guint64 args[6], int sig)
{
	const JobContext *ctx = job->ctx;
	if (!ctx->jobs_by_pid || (ctx->drop_privileges && ctx->uid_pool) ||
	    own_pid(job) != job->priv->pid || call->target_arg < 0 ||
	    (call->kind != SIGNAL_CALL_TO_PID && call->kind != SIGNAL_CALL_TO_PROCESS &&
	     call->kind != SIGNAL_CALL_TO_THREAD))
		return;
	gint32 target = (gint32)(guint32)args[call->target_arg];
	Job *victim = target > 0 ? g_hash_table_lookup(ctx->jobs_by_pid, GINT_TO_POINTER(target)) : NULL;
	if (!victim || victim == job || victim->priv->sent_by[sig])
		return;
	g_autofree char *base = g_path_get_basename(job->expert_path);
	victim->priv->sent_by[sig] = g_strdup_printf("job %" G_GUINT64_FORMAT " (%s, with %s)", job->id,
	                                             base, call->name);
}

gboolean job_note_signal(Job *job, const SignalCall *call, const guint64 args[6])
{
	struct JobPrivate *p = job->priv;
	/* Everything it said before stopping in this call is on the channel. */
	if (!p->reaped && p->drain_channel)
		p->drain_channel(job);
	if (p->killed)
		return FALSE;
	if (call->kind == SIGNAL_CALL_SIGEVENT) {
		if (!p->sigevent_call)
			p->sigevent_call = call->name;
		return TRUE;
	}
	int sig = signal_call_signal(call, args);
	if (sig < 1 || sig >= (int)G_N_ELEMENTS(p->raised_call))
		return TRUE; /* the kernel refuses it (EINVAL) */
	int self = signal_call_to_self(call, args, own_pid(job));
	if (self != 1)
		note_for_target(job, call, args, sig);
	if (self == 0)
		return TRUE;
	/* libexpert's fault handler sends its report, then re-raises the same
	 * signal to die of it (libexpert/fault.c): that raise belongs to the
	 * reported fault, which stays the child's claim. */
	if (job->fault && job->fault->signal == sig)
		return TRUE;
	guint64 bit = G_GUINT64_CONSTANT(1) << (sig - 1);
	if (self == 1)
		p->raised_self |= bit;
	else
		p->raised_maybe |= bit;
	if (!p->raised_call[sig])
		p->raised_call[sig] = call->name;
	return TRUE;
}
