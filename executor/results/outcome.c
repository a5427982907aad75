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

static OutcomeKind killed(const OutcomeFacts *f, char **detail)
{
	int sig = f->wait_status;
	const char *name = outcome_signal_name(sig);
	if (sig == SIGXCPU || (sig == SIGKILL && f->cpu_limit_usec && f->cpu_usec >= f->cpu_limit_usec)) {
		*detail = g_strdup_printf("CPU time limit of %.1f s reached (%s)",
		                          (double)f->cpu_limit_usec / 1e6, name);
		return OUTCOME_TIMED_OUT;
	}
	if (sig == SIGXFSZ) {
		*detail = g_strdup("wrote past the profile's output-bytes limit (SIGXFSZ)");
		return OUTCOME_CRASHED;
	}
	if (sig == SIGSYS) {
		*detail = fault_sigsys_detail(f->i386_abi);
		return OUTCOME_SANDBOX_VIOLATION;
	}
	if (f->corruption_faults) {
		*detail = g_strdup_printf("%s after libexpert found its heap metadata overwritten "
		                          "(a write past the end of a block)", name);
		return OUTCOME_CRASHED;
	}
	if (f->quota_faults) {
		*detail = g_strdup_printf("%s after %u allocation(s) were refused at the memory quota",
		                          name, f->quota_faults);
		return OUTCOME_OUT_OF_MEMORY;
	}
	if (f->fault) {
		*detail = fault_claim_detail(f->fault, sig, f->i386_abi);
		return OUTCOME_CRASHED;
	}
	*detail = g_strdup_printf("killed by %s%s", name,
	                          f->wait_code == CLD_DUMPED ? " (core dump suppressed)" : "");
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
		if (f->quota_faults) {
			*detail = g_strdup_printf("exited with status %d before run returned, after %u "
			                          "allocation(s) were refused at the quota",
			                          f->wait_status, f->quota_faults);
			return OUTCOME_OUT_OF_MEMORY;
		}
		*detail = g_strdup_printf("exited with status %d before run returned", f->wait_status);
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
	if (f->finished_result != 0 && f->quota_faults) {
		*detail = g_strdup_printf("run returned %d after %u allocation(s) were refused at the "
		                          "memory quota%s", f->finished_result, f->quota_faults, said);
		return OUTCOME_OUT_OF_MEMORY;
	}
	*detail = g_strdup_printf("run returned %d%s", f->finished_result, said);
	return OUTCOME_COMPLETED;
}
