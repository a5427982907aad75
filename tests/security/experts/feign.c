/* feign.c — hostile experts that feign what the executor would otherwise
 * read as its own facts: a limit reached (a signal raised itself), the
 * memory quota reached (a refused allocation that was no such thing, or a
 * forged report), a job done (FINISHED forged), frames read (a count past
 * the capture), an output finished (bytes written after its close).
 *
 * The outcome must be the truth each time (tests/security/test-hostile.c):
 * "crashed: raised SIGXCPU itself", never "timed-out"; never
 * "out-of-memory" without the pool's use from the kernel; never
 * "completed" without run's FINISHED; frames read never more than the
 * capture holds; an output cut back to its length at close. Each run
 * returns 0 only if the feint succeeded (hostile.h). */
#include "hostile.h"

#include <signal.h>
#include <stdint.h>

/* Raising a signal itself, a few ms into its run: the kernel's limits
 * (CPU time, output bytes) and kill rules were nowhere near. */
static int raise_signal(int sig)
{
	(void)raise(sig);
	hostile_wait(5);
	return 0;
}

static int raise_sigxcpu(ExpertKey *key) { (void)key; return raise_signal(SIGXCPU); }
static int raise_sigsys(ExpertKey *key) { (void)key; return raise_signal(SIGSYS); }
static int raise_sigxfsz(ExpertKey *key) { (void)key; return raise_signal(SIGXFSZ); }
/* libexpert's fault handler catches it (SI_TKILL), reports, re-raises. */
static int raise_sigsegv(ExpertKey *key) { (void)key; return raise_signal(SIGSEGV); }

/* An overflow (SIZE_MAX), not the quota: refused, and then the NULL it
 * got is used, as a careless expert would. */
static int alloc_overflow(ExpertKey *key)
{
	void *p = (void *)1;
	(void)expert_alloc_memory(key, SIZE_MAX, &p);
	*(volatile char *)p = 1;
	return 0;
}

/* A refused allocation that never happened, reported raw; then a crash. */
static int forge_memory_fault(ExpertKey *key)
{
	(void)key;
	uint8_t buf[64];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_MEMORY_FAULT);
	wire_put_u8(&w, WIRE_FAULT_QUOTA);
	wire_put_u64(&w, 100);
	wire_put_u64(&w, 0);
	hostile_send_writer(&w);
	static char *volatile nowhere;
	*nowhere = 1;
	return 0;
}

static void send_finished(WireStage stage, uint32_t result, uint64_t frames)
{
	uint8_t buf[64];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_FINISHED);
	wire_put_u8(&w, (uint8_t)stage);
	wire_put_u32(&w, result);
	wire_put_u64(&w, frames);
	hostile_send_writer(&w);
}

/* "Register is done, and that was all", from inside run, then a clean
 * exit: once reported "completed: registered". */
static int forge_register_finish(ExpertKey *key)
{
	(void)key;
	send_finished(WIRE_STAGE_REGISTER, 1, 0);
	_exit(0);
}

/* Claims run returned 0, then exits with another status. */
static int finish_then_exit(ExpertKey *key)
{
	(void)key;
	send_finished(WIRE_STAGE_RUN, 0, 3);
	_exit(3);
}

/* Claims to have read 2^64 - 1 frames, then spins until the CPU limit:
 * once "frames_read": -1 in JSON and 18446744073709551615 in text. */
static int forge_frames(ExpertKey *key)
{
	(void)key;
	send_finished(WIRE_STAGE_RUN, 0, UINT64_MAX);
	for (volatile uint64_t i = 0;; i++)
		;
	return 0;
}

/* Writes three frames to an output, closes it, waits until the executor
 * has taken the close (a filter's reply comes after it: one channel, in
 * order), then writes 4 KiB more through the descriptor it still holds. */
static int write_after_close(ExpertKey *key)
{
	ExpertCaptureInfo info;
	ExpertOutput *out;
	ExpertFrame frame;
	if (expert_get_capture_info(key, &info) != EXPERT_OK ||
	    expert_create_output(key, "late.pcap", EXPERT_OUTPUT_PCAP, info.link_type, &out) != EXPERT_OK)
		return 2;
	for (int i = 0; i < 3 && expert_get_next_frame(key, &frame) == EXPERT_OK; i++)
		expert_write_frame(key, out, &frame);
	if (expert_close_output(key, out) != EXPERT_OK)
		return 3;
	ExpertFilter *filter;
	if (expert_compile_filter(key, "tcp", &filter) != EXPERT_OK)
		return 4;
	/* The output's descriptor: the lowest free after the channel (3);
	 * the expert object's 4 was closed after loading. */
	static char junk[4096];
	memset(junk, 'X', sizeof(junk));
	return write(4, junk, sizeof(junk)) == (ssize_t)sizeof(junk) ? 0 : 5;
}

static const HostileBehaviour behaviours[] = {
	{ "raise-sigxcpu", raise_sigxcpu },
	{ "raise-sigsys", raise_sigsys },
	{ "raise-sigxfsz", raise_sigxfsz },
	{ "raise-sigsegv", raise_sigsegv },
	{ "alloc-overflow", alloc_overflow },
	{ "forge-memory-fault", forge_memory_fault },
	{ "forge-register-finish", forge_register_finish },
	{ "finish-then-exit", finish_then_exit },
	{ "forge-frames", forge_frames },
	{ "write-after-close", write_after_close },
};

HOSTILE_ENTRY_POINTS(behaviours)
