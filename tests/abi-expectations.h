/* abi-expectations.h — what the crash suite expects of an expert that makes
 * a syscall through another ABI, for each answer the kernel probe
 * (executor/kernel/kernel-features.h) can give about that ABI.
 *
 * One table, used twice: by tests/integration/test-crashes.c with the answer
 * of the kernel it runs on, and by tests/unit/test-fault-claim.c with every
 * answer forced into the executor's own decision (outcome.c), so that the
 * branch the machine at hand cannot run is exercised as well. */
#ifndef EXPERT_TESTS_ABI_EXPECTATIONS_H
#define EXPERT_TESTS_ABI_EXPECTATIONS_H

#include "kernel/kernel-features.h"

#include <glib.h>

typedef struct {
	const char *outcome;
	const char *signal;
	const char *detail_has[3];  /* each must be in the detail (NULL ends) */
	const char *instruction;    /* the child's fault report names it; NULL: no report */
} AbiOutcome;

typedef struct {
	const char *expert;         /* misbehave-EXPERT.so */
	KernelFeatureId abi;        /* the ABI it calls through */
	AbiOutcome present, absent;
} AbiExpectation;

const AbiExpectation *abi_expectations(gsize *n);
const AbiExpectation *abi_expectation_find(const char *expert);
/* NULL for KERNEL_FEATURE_UNKNOWN: then nothing can be expected but that the
 * call did not succeed. */
const AbiOutcome *abi_expected(const AbiExpectation *e, KernelFeatureState state);

#endif /* EXPERT_TESTS_ABI_EXPECTATIONS_H */
