/* outcome.c — the outcome table and the decision (see outcome.h). */
#include "results/outcome.h"

#include "expert.h"
#include "wire.h"

#include <signal.h>
#include <string.h>

static const OutcomeInfo outcomes[] = {
	{ OUTCOME_COMPLETED, "completed", "run returned; its return value is shown" },
	{ OUTCOME_CRASHED, "crashed", "killed by a signal, or exited before run returned" },
	{ OUTCOME_SANDBOX_VIOLATION, "sandbox-violation",
	  "made a syscall its profile forbids (syscall, arguments and rule shown)" },
	{ OUTCOME_TIMED_OUT, "timed-out", "exceeded the profile's CPU or wall-clock time" },
	{ OUTCOME_OUT_OF_MEMORY, "out-of-memory",
	  "failed after its memory quota was reached" },
	{ OUTCOME_PROTOCOL_VIOLATION, "protocol-violation",
	  "sent malformed or too many messages, or closed its channel early" },
	{ OUTCOME_FAILED_TO_LOAD, "failed-to-load",
	  "the object did not load, lacks an entry point, or register/configure refused" },
	{ OUTCOME_NOT_STARTED, "not-started",
	  "the executor could not start it (pool budget, fork, unreadable object)" },
	{ OUTCOME_REFUSED, "refused",
	  "ended before its run: it registered as needing what it is not granted (the fix is named)" },
};
G_STATIC_ASSERT(G_N_ELEMENTS(outcomes) == OUTCOME_N_KINDS);

const OutcomeInfo *outcome_info(OutcomeKind kind)
{
	g_return_val_if_fail((guint)kind < OUTCOME_N_KINDS, &outcomes[OUTCOME_CRASHED]);
	return &outcomes[kind];
}

const OutcomeInfo *outcome_table(gsize *n)
{
	*n = G_N_ELEMENTS(outcomes);
	return outcomes;
}

/* Slack for the allocator's own pages when judging "the quota was reached":
 * its live bitmap is 1/128 of the region, its header and lists a few pages. */
#define QUOTA_SLACK(quota) ((quota) / 128 + 64 * 1024)
/* The kernel checks RLIMIT_CPU against CPU time charged per scheduler tick,
 * rusage reports the precise run time: at the kernel's SIGXCPU the second
 * may read a few percent lower (977.6 ms at a limit of 1 s, seen). Below
 * three quarters of the limit the kernel cannot have sent it. */
#define CPU_LIMIT_REACHED(f) ((f)->cpu_usec >= (f)->cpu_limit_usec / 4 * 3)

gboolean outcome_quota_reached(const OutcomeFacts *f)
{
	if (f->quota_faults <= f->refused_beyond_quota || f->quota_bytes == 0)
		return FALSE;
	guint64 need = f->quota_bytes > QUOTA_SLACK(f->quota_bytes)
		? f->quota_bytes - QUOTA_SLACK(f->quota_bytes) : 0;
	return f->peak_pool_bytes + f->refused_largest >= need;
}

static char *human(guint64 bytes)
{
	return g_format_size_full(bytes, G_FORMAT_SIZE_IEC_UNITS);
}

/* What the child reported about refused allocations, when the kernel's
 * figures do not make it the quota: "" or "; ..." (newly allocated). */
static char *memory_note(const OutcomeFacts *f)
{
	if (!f->quota_faults || outcome_quota_reached(f))
		return g_strdup("");
	g_autofree char *quota = human(f->quota_bytes);
	if (f->refused_beyond_quota == f->quota_faults)
		return g_strdup_printf("; it asked for more memory than its whole quota of %s (%u time(s)): "
		                       "a request that can never fit, not the quota reached", quota,
		                       f->quota_faults);
	g_autofree char *peak = human(f->peak_pool_bytes);
	return g_strdup_printf("; it reported %u allocation(s) refused at the memory quota, which its "
	                       "pool use (%s of %s) does not bear out", f->quota_faults, peak, quota);
}

/* Who else could have sent a signal: only the kernel and the child itself,
 * or, when jobs share a uid, any of them. */
static const char *senders(const OutcomeFacts *f)
{
	return f->signals_private ? "itself" : "itself or another process of its uid (jobs share one "
	                                       "when the executor is not root)";
}

/* A death by a signal the child sent, or may have: NULL if none was seen. */
static char *sent_detail(const OutcomeFacts *f, const char *name)
{
	if (f->raised_call && f->raised_self)
		return g_strdup_printf("raised %s itself (%s, seen by the executor)", name, f->raised_call);
	if (f->sent_by)
		return g_strdup_printf("killed by %s, sent by %s (seen by the executor)", name, f->sent_by);
	if (f->raised_call)
		return g_strdup_printf("killed by %s, which it had sent (%s, seen by the executor) to a "
		                       "target that may be itself", name, f->raised_call);
	return NULL;
}

/* SIGXCPU, SIGXFSZ and SIGSYS read like limits and kill rules; each is
 * believed only where the executor's facts allow the kernel to have sent
 * it. NULL: not one of them, or it was the kernel's. */
static char *limit_signal(const OutcomeFacts *f, OutcomeKind *kind)
{
	int sig = f->wait_status;
	const char *armed = f->sigevent_call ? f->sigevent_call : NULL;
	*kind = OUTCOME_CRASHED;
	switch (sig) {
	case SIGXCPU:
		if (!CPU_LIMIT_REACHED(f))
			return g_strdup_printf("killed by SIGXCPU after %.1f ms of CPU time, short of the limit "
			                       "of %.1f s: not the kernel's CPU limit, so sent by %s%s%s",
			                       (double)f->cpu_usec / 1000.0, (double)f->cpu_limit_usec / 1e6,
			                       senders(f), armed ? ", or by the signal it armed with " : "",
			                       armed ? armed : "");
		return NULL;
	case SIGXFSZ:
		if (f->output_at_limit)
			return g_strdup_printf("wrote past the profile's output-bytes limit (SIGXFSZ): %s "
			                       "reached it", f->output_at_limit);
		return g_strdup_printf("killed by SIGXFSZ, though %s: not the kernel's output-bytes "
		                       "limit, so sent by %s%s%s",
		                       f->outputs_granted ? "none of its outputs reached the output-bytes "
		                                            "limit" : "it had no output to write past a limit",
		                       senders(f), armed ? ", or by the signal it armed with " : "",
		                       armed ? armed : "");
	case SIGSYS: {
		g_autofree char *rule = fault_sigsys_detail(f->i386_abi);
		if (armed)
			return g_strdup_printf("%s; or by the signal it armed with %s", rule, armed);
		*kind = OUTCOME_SANDBOX_VIOLATION;
		return g_steal_pointer(&rule);
	}
	default:
		return NULL;
	}
}

static OutcomeKind killed(const OutcomeFacts *f, char **detail)
{
	int sig = f->wait_status;
	const char *name = outcome_signal_name(sig);
	g_autofree char *note = memory_note(f);
	char *sent = sent_detail(f, name);
	if (sent) {
		const char *heap = sig == SIGABRT && f->corruption_faults
			? " after libexpert found its heap metadata overwritten (a write past the end of a "
			  "block)" : "";
		*detail = g_strconcat(sent, heap, note, NULL);
		g_free(sent);
		return OUTCOME_CRASHED;
	}
	if (sig == SIGKILL && f->cpu_limit_usec && f->cpu_usec >= f->cpu_limit_usec) {
		*detail = g_strdup_printf("CPU time limit of %.1f s reached (%s)",
		                          (double)f->cpu_limit_usec / 1e6, name);
		return OUTCOME_TIMED_OUT;
	}
	OutcomeKind kind;
	g_autofree char *limit = limit_signal(f, &kind);
	if (limit) {
		*detail = g_strconcat(limit, note, NULL);
		return kind;
	}
	if (sig == SIGXCPU) {
		*detail = g_strdup_printf("CPU time limit of %.1f s reached (%s)",
		                          (double)f->cpu_limit_usec / 1e6, name);
		return OUTCOME_TIMED_OUT;
	}
	if (f->corruption_faults) {
		*detail = g_strdup_printf("%s after libexpert found its heap metadata overwritten "
		                          "(a write past the end of a block)", name);
		return OUTCOME_CRASHED;
	}
	if (outcome_quota_reached(f)) {
		*detail = g_strdup_printf("%s after %u allocation(s) were refused at the memory quota",
		                          name, f->quota_faults);
		return OUTCOME_OUT_OF_MEMORY;
	}
	if (f->fault) {
		g_autofree char *claim = fault_claim_detail(f->fault, sig, f->i386_abi);
		*detail = g_strconcat(claim, note, NULL);
		return OUTCOME_CRASHED;
	}
	*detail = g_strdup_printf("killed by %s%s%s", name,
	                          f->wait_code == CLD_DUMPED ? " (core dump suppressed)" : "", note);
	return OUTCOME_CRASHED;
}

OutcomeKind outcome_decide(const OutcomeFacts *f, char **detail)
{
	/* The executor's own reasons come first: it killed the child for them,
	 * so the wait status says only "SIGKILL". Their details are filled by the
	 * caller, who knows the syscall or the message. */
	switch (f->kill_reason) {
	case KILL_REASON_VIOLATION:
		*detail = NULL;
		return OUTCOME_SANDBOX_VIOLATION;
	case KILL_REASON_WALL_TIME:
		*detail = NULL;
		return OUTCOME_TIMED_OUT;
	case KILL_REASON_PROTOCOL:
		*detail = NULL;
		return OUTCOME_PROTOCOL_VIOLATION;
	case KILL_REASON_LOAD_REFUSED:
		*detail = NULL;
		return OUTCOME_FAILED_TO_LOAD;
	case KILL_REASON_REFUSED:
		*detail = NULL;
		return OUTCOME_REFUSED;
	case KILL_REASON_INJECTED:
		/* The fault asked for: the crash is the executor's doing. */
		*detail = NULL;
		return OUTCOME_CRASHED;
	case KILL_REASON_NONE:
		break;
	}

	if (f->wait_code != CLD_EXITED)
		return killed(f, detail);

	if (f->load_failed) {
		*detail = NULL; /* the caller has the loader's reason */
		return OUTCOME_FAILED_TO_LOAD;
	}
	if (!f->finished) {
		if (outcome_quota_reached(f)) {
			*detail = g_strdup_printf("exited with status %d before run returned, after %u "
			                          "allocation(s) were refused at the quota",
			                          f->wait_status, f->quota_faults);
			return OUTCOME_OUT_OF_MEMORY;
		}
		g_autofree char *note = memory_note(f);
		*detail = g_strdup_printf("exited with status %d before run returned%s", f->wait_status,
		                          note);
		return OUTCOME_CRASHED;
	}
	/* The runtime leaves with status 0 once FINISHED is sent: anything
	 * else ran the expert's code after its "finished", which was forged. */
	if (f->wait_status != 0) {
		*detail = g_strdup_printf("exited with status %d after claiming to have finished",
		                          f->wait_status);
		return OUTCOME_CRASHED;
	}
	switch (f->finished_stage) {
	case WIRE_STAGE_REGISTER:
		/* `expert-exec list` stops after register; a true result there is
		 * the whole job done. */
		if (f->finished_result) {
			*detail = g_strdup("registered");
			return OUTCOME_COMPLETED;
		}
		*detail = g_strdup("register returned false: the expert declined to run");
		return OUTCOME_FAILED_TO_LOAD;
	case WIRE_STAGE_CONFIGURE:
		if (f->expert_reason)
			*detail = g_strdup_printf("configure refused: %s (the expert's words)",
			                          f->expert_reason);
		else
			*detail = g_strdup_printf("configure failed: %s",
			                          expert_error_name((ExpertError)f->finished_result));
		return OUTCOME_FAILED_TO_LOAD;
	default:
		break;
	}
	/* What the expert said of its failure goes with what it returned: its
	 * words, marked as such, never the executor's judgement. */
	g_autofree char *said = !f->expert_reason ? g_strdup("")
		: g_strdup_printf("%s %s (the expert's words)",
		                  f->finished_result ? ":" : ", though it said", f->expert_reason);
	if (f->finished_result != 0 && outcome_quota_reached(f)) {
		*detail = g_strdup_printf("run returned %d after %u allocation(s) were refused at the "
		                          "memory quota%s", f->finished_result, f->quota_faults, said);
		return OUTCOME_OUT_OF_MEMORY;
	}
	*detail = g_strdup_printf("run returned %d%s", f->finished_result, said);
	return OUTCOME_COMPLETED;
}

char *outcome_no_space_detail(const char *output, const char *fact, const char *detail)
{
	return g_strdup_printf("output capture: no space left on device (%s: %s)%s%s", output, fact,
	                       detail && *detail ? "; " : "", detail ? detail : "");
}

char *outcome_capture_shrank_detail(guint64 mapped, guint64 now, const char *detail)
{
	return g_strdup_printf("the capture file was truncated under the job (its first %"
	                       G_GUINT64_FORMAT " bytes were mapped, it now has %" G_GUINT64_FORMAT
	                       "; --copy-capture seals a copy instead): the SIGBUS came from "
	                       "there%s%s", mapped, now, detail && *detail ? "; " : "",
	                       detail ? detail : "");
}
