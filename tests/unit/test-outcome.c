/* test-outcome.c — the outcome decided from the executor's facts
 * (executor/results/outcome.c): a signal the child sent itself is never a
 * limit; SIGXCPU, SIGXFSZ and SIGSYS are limits and kill rules only where
 * the facts let the kernel have sent them; out-of-memory only when the
 * pool's use from the kernel reaches the quota; "finished" followed by an
 * exit of another status is a crash. And what the executor says of an
 * expert's own words: expert_fail's reason in the detail of a configure
 * refused or a run returned, marked as the expert's; a refusal before run
 * decided by the executor's record. */
#include "expert.h"
#include "results/outcome.h"
#include "wire.h"

#include <glib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#define MiB (G_GUINT64_CONSTANT(1) << 20)
/* g_format_size puts a no-break space between a figure and its unit. */
#define NBSP "\u00a0"

static OutcomeFacts killed_by(int sig)
{
	OutcomeFacts f = { .wait_code = CLD_KILLED, .wait_status = sig,
	                   .cpu_limit_usec = 10 * G_USEC_PER_SEC, .cpu_usec = 3000,
	                   .quota_bytes = 64 * MiB, .peak_pool_bytes = 16 * 1024,
	                   .signals_private = TRUE, .i386_abi = KERNEL_FEATURE_PRESENT };
	return f;
}

static char *decide(const OutcomeFacts *f, OutcomeKind want)
{
	char *detail = NULL;
	OutcomeKind kind = outcome_decide(f, &detail);
	g_test_message("%s: %s", outcome_info(kind)->name, detail);
	g_assert_cmpstr(outcome_info(kind)->name, ==, outcome_info(want)->name);
	return detail;
}

static void assert_has(const char *detail, const char *part)
{
	if (!strstr(detail, part))
		g_error("detail \"%s\" lacks \"%s\"", detail, part);
}

static void test_raised_itself_is_a_crash(void)
{
	int sigs[] = { SIGXCPU, SIGXFSZ, SIGSYS, SIGSEGV, SIGKILL };
	for (gsize i = 0; i < G_N_ELEMENTS(sigs); i++) {
		OutcomeFacts f = killed_by(sigs[i]);
		f.raised_call = "tgkill";
		f.raised_self = TRUE;
		f.cpu_usec = f.cpu_limit_usec; /* even at the CPU limit: it was seen sending it */
		g_autofree char *d = decide(&f, OUTCOME_CRASHED);
		g_autofree char *want = g_strdup_printf("raised %s itself (tgkill, seen by the executor)",
		                                        outcome_signal_name(sigs[i]));
		g_assert_cmpstr(d, ==, want);
	}
}

static void test_another_job_is_named(void)
{
	OutcomeFacts f = killed_by(SIGKILL);
	f.sent_by = "job 3 (x.so, with tgkill)";
	g_autofree char *d = decide(&f, OUTCOME_CRASHED);
	g_assert_cmpstr(d, ==, "killed by SIGKILL, sent by job 3 (x.so, with tgkill) (seen by the executor)");
}

/* The kernel sends SIGXCPU only at the limit (charged per tick, so a few
 * percent under it by rusage): 3 ms of 10 s is not it. */
static void test_sigxcpu_short_of_the_limit(void)
{
	OutcomeFacts f = killed_by(SIGXCPU);
	g_autofree char *d = decide(&f, OUTCOME_CRASHED);
	assert_has(d, "after 3.0 ms of CPU time, short of the limit of 10.0 s");
	assert_has(d, "so sent by itself");
	f.signals_private = FALSE;
	g_autofree char *shared = decide(&f, OUTCOME_CRASHED);
	assert_has(shared, "itself or another process of its uid");
	f.cpu_usec = f.cpu_limit_usec - 20000; /* 977.6 ms of 1 s was seen */
	g_autofree char *limit = decide(&f, OUTCOME_TIMED_OUT);
	assert_has(limit, "CPU time limit of 10.0 s reached");
	/* The hard limit's SIGKILL a second later. */
	OutcomeFacts k = killed_by(SIGKILL);
	k.cpu_usec = k.cpu_limit_usec + 1000;
	g_autofree char *hard = decide(&k, OUTCOME_TIMED_OUT);
}

static void test_sigxfsz_needs_an_output_at_the_limit(void)
{
	OutcomeFacts f = killed_by(SIGXFSZ);
	g_autofree char *none = decide(&f, OUTCOME_CRASHED);
	assert_has(none, "it had no output to write past a limit");
	f.outputs_granted = 1;
	g_autofree char *short_ = decide(&f, OUTCOME_CRASHED);
	assert_has(short_, "none of its outputs reached the output-bytes limit");
	f.output_at_limit = "big.pcap";
	g_autofree char *limit = decide(&f, OUTCOME_CRASHED);
	g_assert_cmpstr(limit, ==, "wrote past the profile's output-bytes limit (SIGXFSZ): big.pcap "
	                           "reached it");
}

/* No signal seen sent: a kill rule or another ABI. A sigevent armed (its
 * signal unseen) leaves that open, and makes it no violation. */
static void test_sigsys_is_a_violation_unless_it_could_be_its_own(void)
{
	OutcomeFacts f = killed_by(SIGSYS);
	g_autofree char *rule = decide(&f, OUTCOME_SANDBOX_VIOLATION);
	assert_has(rule, "under a 'kill' rule of the profile");
	f.sigevent_call = "timer_create";
	g_autofree char *armed = decide(&f, OUTCOME_CRASHED);
	assert_has(armed, "or by the signal it armed with timer_create");
	f.sigevent_call = NULL;
	f.raised_call = "pidfd_send_signal"; /* to a target that may be itself */
	g_autofree char *maybe = decide(&f, OUTCOME_CRASHED);
	assert_has(maybe, "which it had sent (pidfd_send_signal, seen by the executor) to a target "
	                  "that may be itself");
}

/* Out of memory only when the kernel's peak plus the largest request
 * reported refused reach the quota (less the allocator's bitmap). */
static void test_quota_needs_the_kernels_figures(void)
{
	OutcomeFacts f = killed_by(SIGSEGV);
	f.quota_faults = 1;
	f.refused_largest = 100;
	g_autofree char *forged = decide(&f, OUTCOME_CRASHED);
	assert_has(forged, "it reported 1 allocation(s) refused at the memory quota, which its pool "
	                   "use (16.0" NBSP "KiB of 64.0" NBSP "MiB) does not bear out");
	f.peak_pool_bytes = 64 * MiB - 600 * 1024;
	f.refused_largest = 64 * 1024;
	g_assert_true(outcome_quota_reached(&f));
	g_autofree char *reached = decide(&f, OUTCOME_OUT_OF_MEMORY);
	assert_has(reached, "after 1 allocation(s) were refused at the memory quota");
	/* Half the region touched, a request for a quarter refused: not it. */
	f.peak_pool_bytes = 32 * MiB;
	f.refused_largest = 16 * MiB;
	g_assert_false(outcome_quota_reached(&f));
	/* A request past the whole quota never fits, whatever was used. */
	OutcomeFacts o = killed_by(SIGSEGV);
	o.quota_faults = 1;
	o.refused_beyond_quota = 1;
	o.peak_pool_bytes = 64 * MiB;
	g_assert_false(outcome_quota_reached(&o));
	g_autofree char *overflow = decide(&o, OUTCOME_CRASHED);
	assert_has(overflow, "more memory than its whole quota of 64.0" NBSP "MiB (1 time(s))");
}

static void test_exits(void)
{
	OutcomeFacts f = { .wait_code = CLD_EXITED, .wait_status = 0, .finished = TRUE,
	                   .finished_stage = WIRE_STAGE_RUN, .finished_result = 3,
	                   .quota_faults = 1, .refused_largest = MiB, .quota_bytes = 64 * MiB,
	                   .peak_pool_bytes = 63 * MiB };
	g_autofree char *oom = decide(&f, OUTCOME_OUT_OF_MEMORY);
	f.peak_pool_bytes = 16 * 1024;
	g_autofree char *ret = decide(&f, OUTCOME_COMPLETED);
	g_assert_cmpstr(ret, ==, "run returned 3");
	f.wait_status = 3;
	g_autofree char *after = decide(&f, OUTCOME_CRASHED);
	g_assert_cmpstr(after, ==, "exited with status 3 after claiming to have finished");
	OutcomeFacts early = { .wait_code = CLD_EXITED, .wait_status = 0, .quota_faults = 1,
	                       .refused_largest = 100, .quota_bytes = 64 * MiB };
	g_autofree char *d = decide(&early, OUTCOME_CRASHED);
	assert_has(d, "exited with status 0 before run returned; it reported 1 allocation(s)");
}

static OutcomeFacts finished(int stage, gint32 result, const char *reason)
{
	return (OutcomeFacts){
		.wait_code = CLD_EXITED, .wait_status = 0, .finished = TRUE,
		.finished_stage = stage, .finished_result = result, .expert_reason = reason,
	};
}

static void assert_outcome(const OutcomeFacts *f, OutcomeKind kind, const char *detail)
{
	g_autofree char *got = NULL;
	g_assert_cmpint(outcome_decide(f, &got), ==, kind);
	g_assert_cmpstr(got, ==, detail);
}

static void test_the_experts_words_in_the_detail(void)
{
	OutcomeFacts f = finished(WIRE_STAGE_CONFIGURE, EXPERT_ERR_FAILED, "top: expected a count");
	assert_outcome(&f, OUTCOME_FAILED_TO_LOAD,
	               "configure refused: top: expected a count (the expert's words)");
	f = finished(WIRE_STAGE_CONFIGURE, EXPERT_ERR_INVALID_ARGUMENT, NULL);
	assert_outcome(&f, OUTCOME_FAILED_TO_LOAD, "configure failed: invalid argument");
	f = finished(WIRE_STAGE_RUN, 11, "coalesced.pcap: cannot create it");
	assert_outcome(&f, OUTCOME_COMPLETED,
	               "run returned 11: coalesced.pcap: cannot create it (the expert's words)");
	f = finished(WIRE_STAGE_RUN, 0, "nothing to do");
	assert_outcome(&f, OUTCOME_COMPLETED,
	               "run returned 0, though it said nothing to do (the expert's words)");
	/* Out of memory only with the kernel's figures behind the claim
	 * (issue 13): the pool's peak plus the largest refusal reach the quota. */
	f = finished(WIRE_STAGE_RUN, 1, "out of room");
	f.quota_faults = 2;
	f.quota_bytes = 64 * MiB;
	f.peak_pool_bytes = 63 * MiB;
	f.refused_largest = MiB;
	assert_outcome(&f, OUTCOME_OUT_OF_MEMORY, "run returned 1 after 2 allocation(s) were refused "
	               "at the memory quota: out of room (the expert's words)");
	/* The same claims without those figures are the expert's words only. */
	f.peak_pool_bytes = 16 * 1024;
	assert_outcome(&f, OUTCOME_COMPLETED, "run returned 1: out of room (the expert's words)");
}

/* Refused by the executor for what it registered as: the executor's
 * record decides, whatever the child then did (the caller fills the detail). */
static void test_refused_before_run(void)
{
	OutcomeFacts f = finished(WIRE_STAGE_RUN, 0, NULL);
	f.kill_reason = KILL_REASON_REFUSED;
	assert_outcome(&f, OUTCOME_REFUSED, NULL);
	f.wait_code = CLD_KILLED;
	f.wait_status = 9;
	assert_outcome(&f, OUTCOME_REFUSED, NULL);
	/* Nor does a signal it was seen raising itself make it a crash. */
	f.wait_status = SIGXCPU;
	f.raised_call = "tgkill";
	f.raised_self = TRUE;
	assert_outcome(&f, OUTCOME_REFUSED, NULL);
	g_assert_cmpstr(outcome_info(OUTCOME_REFUSED)->name, ==, "refused");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/outcome/raised-itself-is-a-crash", test_raised_itself_is_a_crash);
	g_test_add_func("/outcome/another-job-is-named", test_another_job_is_named);
	g_test_add_func("/outcome/sigxcpu-short-of-the-limit", test_sigxcpu_short_of_the_limit);
	g_test_add_func("/outcome/sigxfsz-needs-an-output-at-the-limit",
	                test_sigxfsz_needs_an_output_at_the_limit);
	g_test_add_func("/outcome/sigsys-is-a-violation-unless-it-could-be-its-own",
	                test_sigsys_is_a_violation_unless_it_could_be_its_own);
	g_test_add_func("/outcome/quota-needs-the-kernels-figures", test_quota_needs_the_kernels_figures);
	g_test_add_func("/outcome/exits", test_exits);
	g_test_add_func("/outcome/the-experts-words-in-the-detail", test_the_experts_words_in_the_detail);
	g_test_add_func("/outcome/refused-before-run", test_refused_before_run);
	return g_test_run();
}
