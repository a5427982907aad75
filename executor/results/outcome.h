/* outcome.h — how a run ended: one table of outcomes and one pure function
 * that decides, from facts the executor observed itself, which one applies. */
#ifndef EXPERT_EXEC_OUTCOME_H
#define EXPERT_EXEC_OUTCOME_H

#include "kernel/kernel-features.h"
#include "results/fault-claim.h"
#include "results/signal-name.h"

#include <glib.h>

typedef enum {
	OUTCOME_COMPLETED = 0,
	OUTCOME_CRASHED,
	OUTCOME_SANDBOX_VIOLATION,
	OUTCOME_TIMED_OUT,
	OUTCOME_OUT_OF_MEMORY,
	OUTCOME_PROTOCOL_VIOLATION,
	OUTCOME_FAILED_TO_LOAD,
	OUTCOME_NOT_STARTED,
	OUTCOME_REFUSED,
	OUTCOME_N_KINDS,
} OutcomeKind;

typedef struct {
	OutcomeKind kind;
	const char *name;   /* as printed and in JSON: "sandbox-violation" */
	const char *help;   /* one line for --help and docs */
} OutcomeInfo;

const OutcomeInfo *outcome_info(OutcomeKind kind);
const OutcomeInfo *outcome_table(gsize *n);

/* Why the executor itself ended a child, if it did. */
typedef enum {
	KILL_REASON_NONE = 0,
	KILL_REASON_VIOLATION,   /* a notified syscall the profile forbids */
	KILL_REASON_WALL_TIME,
	KILL_REASON_PROTOCOL,    /* malformed or flooding channel traffic, early close */
	KILL_REASON_REFUSED,     /* registered as needing what the job does not grant
	                          * (jobs/refusal.h): ended before its run */
	KILL_REASON_LOAD_REFUSED,/* the loader asked for what W^X forbids: failed-to-load */
	KILL_REASON_INJECTED,    /* fault injection's kill@N: crashed, by the executor's SIGKILL */
} KillReason;

/* Everything the decision may use. Wait status and CPU time come from the
 * kernel (via the zygote's wait4); kill_reason is the executor's own record;
 * the channel facts are what the child's runtime reported, which a hostile
 * child can forge — so they only ever choose between outcomes that are its
 * own failure, never turn a kernel-observed death into success. */
typedef struct {
	int wait_code;            /* CLD_EXITED, CLD_KILLED, CLD_DUMPED */
	int wait_status;          /* exit status or signal */
	guint64 cpu_usec;
	guint64 cpu_limit_usec;
	KillReason kill_reason;
	gboolean load_failed;     /* LOAD_FAILED received */
	gboolean finished;        /* FINISHED received */
	int finished_stage;       /* WireStage */
	gint32 finished_result;
	guint quota_faults;       /* allocations it reported refused at the quota (claims) */
	guint corruption_faults;
	const FaultClaim *fault;  /* the child's FAULT report (a claim), or NULL */
	const char *expert_reason; /* what the expert said with expert_fail(), escaped, or NULL */
	/* The probe's answer for the i386 ABI: what a SIGSYS, or a fault at
	 * int $0x80, can mean on this kernel. */
	KernelFeatureState i386_abi;

	/* Who sent the signal that killed it, as far as the executor saw the
	 * calls (jobs/job-signals.c, from the kernel's seccomp data). */
	const char *raised_call;  /* the call by which it sent that signal, or NULL */
	gboolean raised_self;     /* ... to itself for certain (else possibly) */
	const char *sent_by;      /* another job that sent it that signal, or NULL */
	const char *sigevent_call; /* it armed a sigevent (timer_create, ...): any signal, unseen */
	gboolean signals_private; /* its uid is its own: no other job can signal it */
	/* SIGXFSZ: the kernel sends it only for a write at the output-bytes
	 * limit of a granted output. */
	guint outputs_granted;
	const char *output_at_limit; /* an output whose size reached the limit, or NULL */
	/* Memory, from the kernel: the pool region's allocated blocks when the
	 * child was gone, and its size; and the sizes it reported refused. */
	guint64 peak_pool_bytes;
	guint64 quota_bytes;
	guint64 refused_largest;  /* the largest refused request within the quota */
	guint refused_beyond_quota; /* requests for more than the whole quota */
} OutcomeFacts;

/* Whether the pool's use from the kernel bears out the child's report of
 * an allocation refused at the quota: its peak plus the largest request it
 * reported refused reach the quota, less the allocator's own bookkeeping
 * (a bitmap of 1/128 of the region, and its lists). */
gboolean outcome_quota_reached(const OutcomeFacts *facts);

/* The outcome and a one-line human detail (caller frees). */
OutcomeKind outcome_decide(const OutcomeFacts *facts, char **detail);

/* A detail led by the executor's finding that an output's filesystem was
 * full ("output capture: no space left on device (NAME: fact); detail"):
 * whatever the child then did (returned an error, aborted), the cause
 * comes first (newly allocated). */
char *outcome_no_space_detail(const char *output, const char *fact, const char *detail);

/* A detail led by the executor's finding that the capture file it mapped
 * for the job (mapped bytes of it) shrank to now bytes: a child reading
 * past the new end dies of SIGBUS, which is then no fault of the expert's
 * (newly allocated). */
char *outcome_capture_shrank_detail(guint64 mapped, guint64 now, const char *detail);


#endif /* EXPERT_EXEC_OUTCOME_H */
