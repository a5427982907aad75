/* test-outcome.c — what the executor says of an expert's own words
 * (executor/results/outcome.c): expert_fail's reason in the detail of a
 * configure refused or a run returned, marked as the expert's; a refusal
 * before run decided by the executor's record. */
#include "expert.h"
#include "results/outcome.h"
#include "wire.h"

#include <sys/wait.h>

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
	f = finished(WIRE_STAGE_RUN, 1, "out of room");
	f.quota_faults = 2;
	assert_outcome(&f, OUTCOME_OUT_OF_MEMORY, "run returned 1 after 2 allocation(s) were refused "
	               "at the memory quota: out of room (the expert's words)");
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
	g_assert_cmpstr(outcome_info(OUTCOME_REFUSED)->name, ==, "refused");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/outcome/the-experts-words-in-the-detail", test_the_experts_words_in_the_detail);
	g_test_add_func("/outcome/refused-before-run", test_refused_before_run);
	return g_test_run();
}
