/* fault-claim.c — see fault-claim.h. */
#include "results/fault-claim.h"

#include "results/signal-name.h"

#include <signal.h>
#include <string.h>

FaultClaim *fault_claim_new(const WireMessage *msg)
{
	FaultClaim *c = g_new0(FaultClaim, 1);
	c->signal = msg->u.fault.signal;
	c->si_code = msg->u.fault.si_code;
	c->address = msg->u.fault.address;
	c->ip = msg->u.fault.ip;
	c->n_bytes = MIN(msg->u.fault.n_bytes, WIRE_FAULT_BYTES);
	if (c->n_bytes)
		memcpy(c->bytes, msg->u.fault.bytes, c->n_bytes);
	return c;
}

void fault_claim_free(FaultClaim *claim)
{
	if (!claim)
		return;
	g_free(claim->location);
	g_free(claim);
}

/* ---- si_code ------------------------------------------------------------ */

/* signal 0: the code means the same for every signal. */
static const struct {
	int signal, code;
	const char *name, *meaning;
	gboolean has_address;   /* si_addr is a data address worth showing */
} codes[] = {
	{ 0, SI_USER, "SI_USER", "sent by kill(), not raised by an instruction", FALSE },
	{ 0, SI_TKILL, "SI_TKILL", "sent by tgkill(), not raised by an instruction", FALSE },
	{ 0, SI_QUEUE, "SI_QUEUE", "sent by sigqueue(), not raised by an instruction", FALSE },
	/* On x86 a general protection fault: a privileged or unknown
	 * instruction, a non-canonical address, an interrupt vector user code
	 * may not call (int $0x80 without 32-bit emulation). */
	{ 0, SI_KERNEL, "SI_KERNEL", "general protection fault", FALSE },
	{ SIGSEGV, SEGV_MAPERR, "SEGV_MAPERR", "address not mapped", TRUE },
	{ SIGSEGV, SEGV_ACCERR, "SEGV_ACCERR", "access not permitted by the mapping", TRUE },
	{ SIGSEGV, SEGV_BNDERR, "SEGV_BNDERR", "outside the bounds", TRUE },
	{ SIGSEGV, SEGV_PKUERR, "SEGV_PKUERR", "refused by a protection key", TRUE },
	{ SIGBUS, BUS_ADRALN, "BUS_ADRALN", "misaligned address", TRUE },
	{ SIGBUS, BUS_ADRERR, "BUS_ADRERR", "no such physical address (past the end of a mapped "
	  "file?)", TRUE },
	{ SIGBUS, BUS_OBJERR, "BUS_OBJERR", "hardware error on the object", TRUE },
	{ SIGBUS, BUS_MCEERR_AR, "BUS_MCEERR_AR", "memory error consumed", TRUE },
	{ SIGBUS, BUS_MCEERR_AO, "BUS_MCEERR_AO", "memory error found", TRUE },
	{ SIGILL, ILL_ILLOPC, "ILL_ILLOPC", "illegal opcode", FALSE },
	{ SIGILL, ILL_ILLOPN, "ILL_ILLOPN", "illegal operand", FALSE },
	{ SIGILL, ILL_ILLADR, "ILL_ILLADR", "illegal addressing mode", FALSE },
	{ SIGILL, ILL_ILLTRP, "ILL_ILLTRP", "illegal trap", FALSE },
	{ SIGILL, ILL_PRVOPC, "ILL_PRVOPC", "privileged opcode", FALSE },
	{ SIGILL, ILL_PRVREG, "ILL_PRVREG", "privileged register", FALSE },
	{ SIGILL, ILL_COPROC, "ILL_COPROC", "coprocessor error", FALSE },
	{ SIGILL, ILL_BADSTK, "ILL_BADSTK", "internal stack error", FALSE },
	{ SIGFPE, FPE_INTDIV, "FPE_INTDIV", "integer divide by zero", FALSE },
	{ SIGFPE, FPE_INTOVF, "FPE_INTOVF", "integer overflow", FALSE },
	{ SIGFPE, FPE_FLTDIV, "FPE_FLTDIV", "floating-point divide by zero", FALSE },
	{ SIGFPE, FPE_FLTOVF, "FPE_FLTOVF", "floating-point overflow", FALSE },
	{ SIGFPE, FPE_FLTUND, "FPE_FLTUND", "floating-point underflow", FALSE },
	{ SIGFPE, FPE_FLTRES, "FPE_FLTRES", "floating-point inexact result", FALSE },
	{ SIGFPE, FPE_FLTINV, "FPE_FLTINV", "invalid floating-point operation", FALSE },
	{ SIGFPE, FPE_FLTSUB, "FPE_FLTSUB", "subscript out of range", FALSE },
};

static gssize find_code(int signal, int code)
{
	for (gsize i = 0; i < G_N_ELEMENTS(codes); i++)
		if ((codes[i].signal == 0 || codes[i].signal == signal) && codes[i].code == code)
			return (gssize)i;
	return -1;
}

const char *fault_code_name(int signal, int si_code)
{
	gssize i = find_code(signal, si_code);
	if (i >= 0)
		return codes[i].name;
	char buf[32];
	g_snprintf(buf, sizeof(buf), "code %d", si_code);
	return g_intern_string(buf);
}

const char *fault_code_meaning(int signal, int si_code)
{
	gssize i = find_code(signal, si_code);
	return i >= 0 ? codes[i].meaning : "a code this executor does not know";
}

/* ---- the instruction ---------------------------------------------------- */

/* x86 instructions a report is better for naming: the ways into the kernel
 * (the ABI questions), and the usual deliberate faults. */
static const struct {
	guint8 bytes[2];
	guint n;             /* bytes to match; "int $N" matches its opcode only */
	const char *name;
} instructions[] = {
	{ { 0xcd, 0x80 }, 2, "int $0x80" },  /* the i386 syscall ABI */
	{ { 0x0f, 0x05 }, 2, "syscall" },
	{ { 0x0f, 0x34 }, 2, "sysenter" },
	{ { 0x0f, 0x0b }, 2, "ud2" },
	{ { 0xcc, 0 }, 1, "int3" },
	{ { 0xf4, 0 }, 1, "hlt" },
	{ { 0xcd, 0 }, 1, NULL },            /* int $N, named with its vector */
};

const char *fault_claim_instruction(const FaultClaim *c)
{
#if defined(__x86_64__) || defined(__i386__)
	for (gsize i = 0; i < G_N_ELEMENTS(instructions); i++) {
		if (c->n_bytes < instructions[i].n ||
		    memcmp(c->bytes, instructions[i].bytes, instructions[i].n) != 0)
			continue;
		if (instructions[i].name)
			return instructions[i].name;
		if (c->n_bytes < 2)
			return NULL;
		char buf[16];
		g_snprintf(buf, sizeof(buf), "int $0x%x", c->bytes[1]);
		return g_intern_string(buf);
	}
#else
	(void)c;
	(void)instructions;
#endif
	return NULL;
}

char *fault_claim_hex(const FaultClaim *c)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < c->n_bytes; i++)
		g_string_append_printf(s, "%s%02x", i ? " " : "", c->bytes[i]);
	return g_string_free(s, FALSE);
}

/* ---- the detail --------------------------------------------------------- */

#define CLAIM "(the child's report)"

static char *int80_detail(KernelFeatureState i386)
{
	switch (i386) {
	case KERNEL_FEATURE_ABSENT:
		return g_strdup("killed by SIGSEGV at an int $0x80 instruction " CLAIM "; this kernel "
		                "has no 32-bit emulation, so the call never reached the sandbox");
	case KERNEL_FEATURE_PRESENT:
		return g_strdup("killed by SIGSEGV at an int $0x80 instruction " CLAIM ", which this "
		                "kernel contradicts: it has 32-bit emulation, where int $0x80 is a "
		                "syscall the filter kills with SIGSYS, not a fault");
	case KERNEL_FEATURE_UNKNOWN:
		break;
	}
	return g_strdup("killed by SIGSEGV at an int $0x80 instruction " CLAIM "; whether this "
	                "kernel has 32-bit emulation is unknown, so whether the call could reach "
	                "the sandbox is too");
}

char *fault_claim_detail(const FaultClaim *c, int death_signal, KernelFeatureState i386)
{
	const char *died = outcome_signal_name(death_signal);
	if (c->signal != death_signal)
		return g_strdup_printf("killed by %s (the child reported %s at ip 0x%" G_GINT64_MODIFIER
		                       "x instead: not believed)", died,
		                       outcome_signal_name(c->signal), c->ip);
	const char *code = fault_code_name(c->signal, c->si_code);
	const char *meaning = fault_code_meaning(c->signal, c->si_code);
	if (c->si_code <= 0) /* sent: there is no faulting instruction to name */
		return g_strdup_printf("killed by %s (%s: %s) " CLAIM, died, code, meaning);

	const char *instruction = fault_claim_instruction(c);
	if (c->signal == SIGSEGV && g_strcmp0(instruction, "int $0x80") == 0)
		return int80_detail(i386);

	gssize i = find_code(c->signal, c->si_code);
	g_autofree char *address = i >= 0 && codes[i].has_address
		? g_strdup_printf(", 0x%" G_GINT64_MODIFIER "x", c->address) : g_strdup("");
	g_autofree char *at = instruction
		? g_strdup_printf(", a%s %s instruction", instruction[0] == 'i' ? "n" : "", instruction)
		: g_strdup("");
	return g_strdup_printf("killed by %s (%s: %s%s) at ip 0x%" G_GINT64_MODIFIER "x%s " CLAIM,
	                       died, code, meaning, address, c->ip, at);
}

char *fault_sigsys_detail(KernelFeatureState i386)
{
	/* x32 numbers are killed by the filter's bad-arch action whether or not
	 * the kernel has x32 (libseccomp's x86-64 filter takes any number with
	 * __X32_SYSCALL_BIT for another ABI), so they are always a cause. */
	const char *abis;
	switch (i386) {
	case KERNEL_FEATURE_PRESENT:
		abis = "for a syscall through another ABI (int $0x80, x32 numbers)";
		break;
	case KERNEL_FEATURE_ABSENT:
		abis = "for an x32 syscall number (another ABI; int $0x80 faults instead on this "
		       "kernel, which has no 32-bit emulation)";
		break;
	default:
		abis = "for a syscall through another ABI (x32 numbers, or int $0x80 where the kernel "
		       "has 32-bit emulation)";
		break;
	}
	return g_strdup_printf("killed by the kernel (SIGSYS) under a 'kill' rule of the profile, or "
	                       "%s; use 'notify' in the profile to see which syscall", abis);
}
