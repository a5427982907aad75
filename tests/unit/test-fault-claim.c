/* test-fault-claim.c — what the executor says of a crash the child reports
 * as a fault (executor/results/fault-claim.c, through outcome_decide), for every
 * answer the kernel probe can give: the branch of a kernel this machine is
 * not (no 32-bit emulation, or x32) is decided here with the answer forced,
 * against the same expectations the crash suite uses on the real kernel
 * (tests/abi-expectations.c). */
#include "abi-expectations.h"
#include "results/fault-claim.h"
#include "results/outcome.h"

#include <glib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

static const KernelFeatureState answers[] = {
	KERNEL_FEATURE_PRESENT, KERNEL_FEATURE_ABSENT, KERNEL_FEATURE_UNKNOWN,
};

/* What the runtime's handler reports for a general protection fault at an
 * int instruction: SI_KERNEL, no address, ip at the instruction and its
 * bytes. The crash suite's int81 expert shows a real one is exactly this. */
static FaultClaim int_claim(guint8 vector)
{
	FaultClaim c = { .signal = SIGSEGV, .si_code = SI_KERNEL, .address = 0,
	                 .ip = 0x7f0000401000, .n_bytes = 4,
	                 .bytes = { 0xcd, vector, 0x48, 0x85 } };
	return c;
}

static OutcomeFacts killed_by(int sig, const FaultClaim *claim, KernelFeatureState i386)
{
	OutcomeFacts f = { .wait_code = CLD_KILLED, .wait_status = sig, .fault = claim,
	                   .i386_abi = i386 };
	return f;
}

static void assert_has(const char *detail, const char *part)
{
	if (!strstr(detail, part))
		g_error("detail \"%s\" lacks \"%s\"", detail, part);
}

/* The facts a kernel gives, for an expert calling through abi, when the
 * probe says state: on a kernel with the ABI (and for x32 on every kernel,
 * see abi-expectations.c) the filter's SIGSYS; on one without 32-bit
 * emulation, SIGSEGV at the int $0x80 with the child's report. */
static void check_abi_branch(const AbiExpectation *e, KernelFeatureState state,
                             KernelFeatureState i386)
{
	const AbiOutcome *want = abi_expected(e, state);
	g_assert_nonnull(want);
	FaultClaim int80 = int_claim(0x80);
	gboolean faults = e->abi == KERNEL_FEATURE_I386 && state == KERNEL_FEATURE_ABSENT;
	OutcomeFacts f = faults ? killed_by(SIGSEGV, &int80, i386) : killed_by(SIGSYS, NULL, i386);
	g_autofree char *detail = NULL;
	OutcomeKind kind = outcome_decide(&f, &detail);
	g_test_message("%s, %s %s: %s: %s", e->expert, kernel_feature_info(e->abi)->name,
	               kernel_feature_state_name(state), outcome_info(kind)->name, detail);
	g_assert_cmpstr(outcome_info(kind)->name, ==, want->outcome);
	g_assert_cmpstr(outcome_signal_name(f.wait_status), ==, want->signal);
	for (gsize i = 0; i < G_N_ELEMENTS(want->detail_has) && want->detail_has[i]; i++)
		assert_has(detail, want->detail_has[i]);
	g_assert_cmpstr(f.fault ? fault_claim_instruction(f.fault) : NULL, ==, want->instruction);
}

/* Each expectation of the crash suite, for the probe's present and absent
 * answers, against the executor's decision. */
static void test_abi_expectations_both_branches(void)
{
	gsize n;
	const AbiExpectation *table = abi_expectations(&n);
	g_assert_cmpuint(n, >, 0);
	for (gsize i = 0; i < n; i++) {
		const AbiExpectation *e = &table[i];
		if (e->abi == KERNEL_FEATURE_I386) {
			check_abi_branch(e, KERNEL_FEATURE_PRESENT, KERNEL_FEATURE_PRESENT);
			check_abi_branch(e, KERNEL_FEATURE_ABSENT, KERNEL_FEATURE_ABSENT);
			continue;
		}
		/* x32: whatever the i386 answer, which changes the SIGSYS text. */
		for (gsize a = 0; a < G_N_ELEMENTS(answers); a++) {
			check_abi_branch(e, KERNEL_FEATURE_PRESENT, answers[a]);
			check_abi_branch(e, KERNEL_FEATURE_ABSENT, answers[a]);
		}
	}
	g_assert_null(abi_expected(&table[0], KERNEL_FEATURE_UNKNOWN));
}

/* A fault at int $0x80 means something different for each answer, and is
 * always marked as the child's word. */
static void test_int80_claim_for_each_answer(void)
{
	FaultClaim c = int_claim(0x80);
	g_assert_cmpstr(fault_claim_instruction(&c), ==, "int $0x80");
	static const char *const says[] = {
		[KERNEL_FEATURE_PRESENT] = "contradicts: it has 32-bit emulation",
		[KERNEL_FEATURE_ABSENT] = "no 32-bit emulation, so the call never reached the sandbox",
		[KERNEL_FEATURE_UNKNOWN] = "whether this kernel has 32-bit emulation is unknown",
	};
	for (gsize a = 0; a < G_N_ELEMENTS(answers); a++) {
		OutcomeFacts f = killed_by(SIGSEGV, &c, answers[a]);
		g_autofree char *detail = NULL;
		g_assert_cmpint(outcome_decide(&f, &detail), ==, OUTCOME_CRASHED);
		assert_has(detail, "the child's report");
		assert_has(detail, says[answers[a]]);
	}
}

/* int $0x80 can cause a SIGSYS only where it reaches seccomp. */
static void test_sigsys_names_only_possible_causes(void)
{
	for (gsize a = 0; a < G_N_ELEMENTS(answers); a++) {
		OutcomeFacts f = killed_by(SIGSYS, NULL, answers[a]);
		g_autofree char *detail = NULL;
		g_assert_cmpint(outcome_decide(&f, &detail), ==, OUTCOME_SANDBOX_VIOLATION);
		assert_has(detail, "'kill' rule");
		assert_has(detail, "x32");
		if (answers[a] == KERNEL_FEATURE_ABSENT)
			assert_has(detail, "int $0x80 faults instead on this kernel");
		else
			assert_has(detail, "int $0x80");
	}
}

/* The kernel's signal wins over the child's: a report of another signal is
 * shown as not believed. */
static void test_claim_of_another_signal_not_believed(void)
{
	FaultClaim c = int_claim(0x80);
	c.signal = SIGBUS;
	OutcomeFacts f = killed_by(SIGSEGV, &c, KERNEL_FEATURE_ABSENT);
	g_autofree char *detail = NULL;
	g_assert_cmpint(outcome_decide(&f, &detail), ==, OUTCOME_CRASHED);
	g_assert_cmpstr(detail, ==, "killed by SIGSEGV (the child reported SIGBUS at ip "
	                            "0x7f0000401000 instead: not believed)");
}

/* A report never turns the kernel's facts into something else: a child that
 * exited, or died of a signal the handler does not catch, keeps its outcome. */
static void test_claim_changes_no_outcome(void)
{
	FaultClaim c = int_claim(0x80);
	OutcomeFacts exited = { .wait_code = CLD_EXITED, .wait_status = 0, .finished = TRUE,
	                        .finished_stage = 2 /* WIRE_STAGE_RUN */, .fault = &c };
	g_autofree char *d1 = NULL;
	g_assert_cmpint(outcome_decide(&exited, &d1), ==, OUTCOME_COMPLETED);
	OutcomeFacts cpu = killed_by(SIGXCPU, &c, KERNEL_FEATURE_ABSENT);
	cpu.cpu_limit_usec = 1000000;
	cpu.cpu_usec = 1000000;
	g_autofree char *d2 = NULL;
	g_assert_cmpint(outcome_decide(&cpu, &d2), ==, OUTCOME_TIMED_OUT);
	OutcomeFacts violation = killed_by(SIGKILL, &c, KERNEL_FEATURE_ABSENT);
	violation.kill_reason = KILL_REASON_VIOLATION;
	g_autofree char *d3 = NULL;
	g_assert_cmpint(outcome_decide(&violation, &d3), ==, OUTCOME_SANDBOX_VIOLATION);
}

static void test_generic_faults_described(void)
{
	FaultClaim segv = { .signal = SIGSEGV, .si_code = SEGV_MAPERR, .address = 0,
	                    .ip = 0x55550000abcd, .n_bytes = 2, .bytes = { 0xc7, 0x00 } };
	g_autofree char *d1 = fault_claim_detail(&segv, SIGSEGV, KERNEL_FEATURE_PRESENT);
	g_assert_cmpstr(d1, ==, "killed by SIGSEGV (SEGV_MAPERR: address not mapped, 0x0) at ip "
	                        "0x55550000abcd (the child's report)");

	FaultClaim gp = int_claim(0x81);
	g_autofree char *d2 = fault_claim_detail(&gp, SIGSEGV, KERNEL_FEATURE_PRESENT);
	g_assert_cmpstr(d2, ==, "killed by SIGSEGV (SI_KERNEL: general protection fault) at ip "
	                        "0x7f0000401000, an int $0x81 instruction (the child's report)");

	FaultClaim ill = { .signal = SIGILL, .si_code = ILL_ILLOPN, .address = 0x1000,
	                   .ip = 0x1000, .n_bytes = 2, .bytes = { 0x0f, 0x0b } };
	g_autofree char *d3 = fault_claim_detail(&ill, SIGILL, KERNEL_FEATURE_PRESENT);
	g_assert_cmpstr(d3, ==, "killed by SIGILL (ILL_ILLOPN: illegal operand) at ip 0x1000, "
	                        "a ud2 instruction (the child's report)");

	/* Sent by a process: no instruction to name. */
	FaultClaim sent = { .signal = SIGSEGV, .si_code = SI_TKILL, .ip = 0x1000 };
	g_autofree char *d4 = fault_claim_detail(&sent, SIGSEGV, KERNEL_FEATURE_PRESENT);
	g_assert_cmpstr(d4, ==, "killed by SIGSEGV (SI_TKILL: sent by tgkill(), not raised by an "
	                        "instruction) (the child's report)");

	/* Codes nobody listed are shown by number, not trusted into a name. */
	g_assert_cmpstr(fault_code_name(SIGFPE, 4242), ==, "code 4242");
	g_assert_cmpstr(fault_code_name(SIGBUS, BUS_ADRERR), ==, "BUS_ADRERR");
}

static void test_instructions_named(void)
{
	static const struct {
		guint8 bytes[3];
		guint n;
		const char *name;
	} cases[] = {
		{ { 0xcd, 0x80, 0x90 }, 3, "int $0x80" },
		{ { 0xcd, 0x21 }, 2, "int $0x21" },
		{ { 0x0f, 0x05 }, 2, "syscall" },
		{ { 0x0f, 0x34 }, 2, "sysenter" },
		{ { 0x0f, 0x0b }, 2, "ud2" },
		{ { 0xcc }, 1, "int3" },
		{ { 0xf4 }, 1, "hlt" },
		{ { 0xcd }, 1, NULL },        /* the vector was not readable */
		{ { 0x48, 0x89 }, 2, NULL },
		{ { 0 }, 0, NULL },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		FaultClaim c = { .signal = SIGSEGV, .n_bytes = cases[i].n };
		memcpy(c.bytes, cases[i].bytes, cases[i].n);
		g_assert_cmpstr(fault_claim_instruction(&c), ==, cases[i].name);
	}
	FaultClaim c = int_claim(0x80);
	g_autofree char *hex = fault_claim_hex(&c);
	g_assert_cmpstr(hex, ==, "cd 80 48 85");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/fault-claim/abi-expectations-hold-for-both-answers",
	                test_abi_expectations_both_branches);
	g_test_add_func("/fault-claim/int80-fault-for-each-probe-answer", test_int80_claim_for_each_answer);
	g_test_add_func("/fault-claim/sigsys-names-only-possible-causes",
	                test_sigsys_names_only_possible_causes);
	g_test_add_func("/fault-claim/another-signal-not-believed",
	                test_claim_of_another_signal_not_believed);
	g_test_add_func("/fault-claim/changes-no-outcome", test_claim_changes_no_outcome);
	g_test_add_func("/fault-claim/generic-faults-described", test_generic_faults_described);
	g_test_add_func("/fault-claim/instructions-named", test_instructions_named);
	return g_test_run();
}
