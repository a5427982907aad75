/* fault-claim.h — what a child says about its own fault, and the words for
 * a crash that combine it with the executor's facts.
 *
 * The child's runtime sends one FAULT message (libexpert/wire.h) when an
 * instruction faults: signal, si_code, address, instruction pointer and the
 * code bytes there. The child is hostile, so this is only ever its *claim*:
 * decoded and bounded like every message, shown marked as the child's
 * report, and believed only as far as the kernel's own facts agree (the wait
 * status says which signal killed it; the kernel probe says whether, for
 * instance, int $0x80 can fault on this kernel at all). */
#ifndef EXPERT_EXEC_FAULT_CLAIM_H
#define EXPERT_EXEC_FAULT_CLAIM_H

#include "kernel/kernel-features.h"
#include "wire.h"

#include <glib.h>

typedef struct {
	int signal;
	int si_code;
	guint64 address;          /* si_addr */
	guint64 ip;               /* from the ucontext */
	guint n_bytes;
	guint8 bytes[WIRE_FAULT_BYTES]; /* of code at ip, as the child read them */
	/* ip as object and function, "counter.so: expert_run+0x1d", from the
	 * load addresses the child reported (LOADED) and the files the
	 * executor opened for it: a claim too. NULL if no object of the
	 * job's holds it (see violations/code-location.h). */
	char *location;
} FaultClaim;

/* From a decoded WIRE_FAULT message (the decoder checked its bounds). */
FaultClaim *fault_claim_new(const WireMessage *msg);
void fault_claim_free(FaultClaim *claim);

/* "SEGV_MAPERR", "SI_KERNEL", "FPE_INTDIV", ...; "code 42" for others
 * (static or interned). */
const char *fault_code_name(int signal, int si_code);

/* What the code means, for people: "address not mapped", ... (static). */
const char *fault_code_meaning(int signal, int si_code);

/* The instruction the bytes begin with, if it is one the reports name
 * ("int $0x80", "syscall", "ud2", "int $0x81", ...), else NULL (interned). */
const char *fault_claim_instruction(const FaultClaim *claim);

/* The code bytes as hex, "cd 80 48 89 c7" ("" for none). */
char *fault_claim_hex(const FaultClaim *claim);

/* The whole detail of a crash by death_signal that the child claims to be
 * this fault. i386 is the probe's answer for the i386 ABI: it decides what
 * a fault at int $0x80 means (no 32-bit emulation: the call never reached
 * the sandbox; emulation: such a fault cannot happen, so the claim is
 * doubted). Pure, so that tests can give any answer. */
char *fault_claim_detail(const FaultClaim *claim, int death_signal, KernelFeatureState i386);

/* The detail of a death by SIGSYS, saying only what can cause one on this
 * kernel (int $0x80 only where the i386 ABI reaches seccomp). */
char *fault_sigsys_detail(KernelFeatureState i386);

#endif /* EXPERT_EXEC_FAULT_CLAIM_H */
