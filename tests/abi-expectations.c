/* abi-expectations.c — see abi-expectations.h. */
#include "abi-expectations.h"

/* Where int $0x80 reaches the kernel, libseccomp's x86-64 filter sees an
 * i386 audit arch and takes the bad-arch action, which filter.c sets to
 * KILL_PROCESS: SIGSYS before any syscall runs, no notification, so no
 * violation object (getpid too, which the profile allows natively: the
 * whole ABI is refused). Without 32-bit emulation int $0x80 is a general
 * protection fault: SIGSEGV before seccomp, and only the child's own fault
 * report (libexpert/fault.c) can say where it died. Either way the call
 * does not succeed (the experts return 0 only if it did, "completed"). */
#define INT80_PRESENT { "sandbox-violation", "SIGSYS", { "SIGSYS", "int $0x80", NULL }, NULL }
#define INT80_ABSENT { "crashed", "SIGSEGV", \
	{ "at an int $0x80 instruction (the child's report)", "no 32-bit emulation", \
	  "never reached the sandbox" }, "int $0x80" }

/* x32 numbers are killed alike on every kernel: libseccomp's x86-64 filter
 * takes any number with __X32_SYSCALL_BIT (0x40000000) for another ABI, so
 * the bad-arch action kills it before the kernel looks for an x32 table.
 * Unfiltered, a kernel without x32 would answer ENOSYS and one with x32 run
 * the socket; the filter's answer is the same for both. */
#define X32_ANY { "sandbox-violation", "SIGSYS", { "SIGSYS", "x32", NULL }, NULL }

static const AbiExpectation expectations[] = {
	{ "int80-socket", KERNEL_FEATURE_I386, INT80_PRESENT, INT80_ABSENT },
	{ "int80-getpid", KERNEL_FEATURE_I386, INT80_PRESENT, INT80_ABSENT },
	{ "x32-socket", KERNEL_FEATURE_X32, X32_ANY, X32_ANY },
};

const AbiExpectation *abi_expectations(gsize *n)
{
	*n = G_N_ELEMENTS(expectations);
	return expectations;
}

const AbiExpectation *abi_expectation_find(const char *expert)
{
	for (gsize i = 0; i < G_N_ELEMENTS(expectations); i++)
		if (g_str_equal(expectations[i].expert, expert))
			return &expectations[i];
	return NULL;
}

const AbiOutcome *abi_expected(const AbiExpectation *e, KernelFeatureState state)
{
	switch (state) {
	case KERNEL_FEATURE_PRESENT: return &e->present;
	case KERNEL_FEATURE_ABSENT: return &e->absent;
	case KERNEL_FEATURE_UNKNOWN: break;
	}
	return NULL;
}
