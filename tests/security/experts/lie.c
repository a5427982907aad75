/* lie.c — hostile experts that lie: forged or malformed messages written
 * raw on the channel, and forged allocator metadata.
 *
 * Not here because tests/experts/misbehave.c has them: a datagram whose
 * header claims 4 GiB, an oversized datagram, a closed channel, a status
 * flood, a forged FINISHED before a crash, a write past the end of a block.
 * Messages sent from constructors are in hide.c. Each run returns 0 only if
 * its attack worked (hostile.h): it sends, then waits for the executor to
 * end it, and returns 0 if it is still there. */
#include "hostile.h"

#include <signal.h>
#include <sys/uio.h>

/* A message built byte by byte, for what WireWriter would refuse to build. */
typedef struct {
	uint8_t buf[WIRE_MAX_MESSAGE];
	size_t len;
} Raw;

static void raw_le(Raw *r, uint64_t v, size_t width)
{
	for (size_t i = 0; i < width; i++)
		r->buf[r->len++] = (uint8_t)(v >> (8 * i));
}

static void raw_begin(Raw *r, WireType type)
{
	r->len = 0;
	raw_le(r, WIRE_VERSION, 2);
	raw_le(r, type, 2);
	raw_le(r, 0, 4);
}

static void raw_str(Raw *r, const char *bytes, size_t n)
{
	raw_le(r, n, 2);
	memcpy(r->buf + r->len, bytes, n);
	r->len += n;
}

/* Patches the header's length: the real one plus delta. */
static void raw_send(Raw *r, long delta)
{
	uint64_t claimed = (uint64_t)((long)r->len + delta);
	for (size_t i = 0; i < 4; i++)
		r->buf[4 + i] = (uint8_t)(claimed >> (8 * i));
	hostile_send(r->buf, r->len);
}

static int sent(void)
{
	hostile_wait(5);
	return 0;
}

/* A well-formed STATUS whose header claims one byte less than was sent:
 * the decoder must not read a prefix and ignore the rest. */
static int length_short(ExpertKey *key)
{
	(void)key;
	Raw r;
	raw_begin(&r, WIRE_STATUS);
	raw_le(&r, EXPERT_STATE_RUNNING, 1);
	raw_le(&r, 50, 1);
	raw_str(&r, "half", 4);
	raw_send(&r, -1);
	return sent();
}

static int bad_utf8(ExpertKey *key)
{
	(void)key;
	Raw r;
	raw_begin(&r, WIRE_EVENT);
	raw_le(&r, EXPERT_SEVERITY_ERROR, 1);
	raw_str(&r, "caf\xc3\x28 \xff\xfe", 8); /* a broken sequence and two bytes UTF-8 never uses */
	raw_le(&r, 0, 1);
	raw_send(&r, 0);
	return sent();
}

/* 255 details announced: a decoder that trusted the count would read past
 * its 16-entry array. */
static int many_details(ExpertKey *key)
{
	(void)key;
	Raw r;
	raw_begin(&r, WIRE_EVENT);
	raw_le(&r, EXPERT_SEVERITY_INFO, 1);
	raw_str(&r, "many", 4);
	raw_le(&r, 255, 1);
	for (int i = 0; i < 255 && r.len + 8 < sizeof(r.buf); i++) {
		raw_str(&r, "k", 1);
		raw_str(&r, "v", 1);
	}
	raw_send(&r, 0);
	return sent();
}

/* Registering again, under another name, while running. */
static int second_registered(ExpertKey *key)
{
	(void)key;
	uint8_t buf[WIRE_MAX_MESSAGE];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_REGISTERED);
	wire_put_str(&w, "someone else", EXPERT_NAME_MAX);
	wire_put_str(&w, "", EXPERT_VENDOR_MAX);
	wire_put_str(&w, "", EXPERT_DESCRIPTION_MAX);
	wire_put_u32(&w, EXPERT_VERSION(9, 9));
	wire_put_u32(&w, 0);
	hostile_send_writer(&w);
	return sent();
}

/* Claims success, then keeps talking. */
static int after_finished(ExpertKey *key)
{
	(void)key;
	uint8_t buf[WIRE_MAX_MESSAGE];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_FINISHED);
	wire_put_u8(&w, WIRE_STAGE_RUN);
	wire_put_u32(&w, 0);
	wire_put_u64(&w, 1);
	hostile_send_writer(&w);
	wire_begin(&w, buf, sizeof(buf), WIRE_STATUS);
	wire_put_u8(&w, EXPERT_STATE_RUNNING);
	wire_put_u8(&w, 99);
	wire_put_str(&w, "still here", EXPERT_TEXT_MAX);
	hostile_send_writer(&w);
	return sent();
}

/* A second HELLO would carry a second listener: the first one's filter
 * stays, but an executor that took it would now watch the wrong one. */
static int second_hello(ExpertKey *key)
{
	(void)key;
	uint8_t buf[64];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_HELLO);
	wire_put_u32(&w, EXPERT_API_VERSION);
	hostile_send_writer(&w);
	return sent();
}

/* A STATUS with a descriptor attached (0: /dev/null). An executor that kept
 * it would leak a descriptor per message. */
static int pass_fd(ExpertKey *key)
{
	(void)key;
	uint8_t buf[64];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_STATUS);
	wire_put_u8(&w, EXPERT_STATE_RUNNING);
	wire_put_u8(&w, 10);
	wire_put_str(&w, "take this", EXPERT_TEXT_MAX);
	size_t len = wire_finish(&w);
	struct iovec iov = { buf, len };
	union {
		char cbuf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	memset(&control, 0, sizeof(control));
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control.cbuf, .msg_controllen = sizeof(control.cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	int fd = 0;
	memcpy(CMSG_DATA(c), &fd, sizeof(fd));
	/* Not as root, the kernel may refuse for a while (ETOOMANYREFS: more
	 * descriptors in flight for this user, whom every job shares, than our
	 * RLIMIT_NOFILE): then the executor never saw one passed. Tried again;
	 * if it never goes, the return value says why. */
	for (int tries = 0; sendmsg(CHANNEL_FD, &msg, MSG_NOSIGNAL) < 0; tries++) {
		if (errno != ETOOMANYREFS || tries == 500)
			return 1000 + errno;
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return sent();
}

/* The executor counts faults in an array indexed by kind. */
static int fault_kind(ExpertKey *key)
{
	(void)key;
	Raw r;
	raw_begin(&r, WIRE_MEMORY_FAULT);
	raw_le(&r, 200, 1);
	raw_le(&r, 1, 8);
	raw_le(&r, 0, 8);
	raw_send(&r, 0);
	return sent();
}

/* A message only the executor sends. */
static int executor_message(ExpertKey *key)
{
	(void)key;
	Raw r;
	raw_begin(&r, WIRE_TERMINATE);
	raw_send(&r, 0);
	return sent();
}

/* "I failed to load" while running, to turn a crash into a load failure. */
static int late_load_failed(ExpertKey *key)
{
	(void)key;
	Raw r;
	raw_begin(&r, WIRE_LOAD_FAILED);
	raw_str(&r, "not my fault", 12);
	raw_send(&r, 0);
	return sent();
}

/* A lie at the end of a burst of honest status messages, then a quick
 * exit: the executor reads a channel in batches, so the zygote's report of
 * the exit can come first and the lie is read post mortem. It must count
 * all the same. */
static int lie_then_exit(ExpertKey *key)
{
	for (int i = 0; i < 1000; i++)
		expert_indicate_status(key, EXPERT_STATE_RUNNING, i / 10, "honest so far");
	Raw r;
	raw_begin(&r, WIRE_LOADED);
	raw_le(&r, 0, 1); /* no load addresses: well formed, only out of place */
	raw_send(&r, 0);
	return 0;
}

/* Writes over the 16 bytes in front of its first block (prev_size and the
 * block's own tag), then frees it. */
static int underflow_block(ExpertKey *key)
{
	uint8_t *a;
	if (expert_alloc_memory(key, 48, (void **)&a))
		return 4;
	memset(a - 16, 0x41, 16);
	expert_free_memory(key, a);
	return 0;
}

/* The allocator's own header sits at the start of the region and begins with
 * the address of the first chunk (16 bytes in front of the first block):
 * search down from the first block for that word, scribble over the header
 * from there, then ask for more memory. */
static int scribble_heap(ExpertKey *key)
{
	uint8_t *first;
	if (expert_alloc_memory(key, 48, (void **)&first))
		return 4;
	uintptr_t chunk = (uintptr_t)first - 16;
	for (uintptr_t *p = (uintptr_t *)chunk - 1; (uintptr_t)p > chunk - (64u << 20); p--) {
		if (*p != chunk)
			continue;
		memset(p, 0x41, 8 * sizeof(*p));
		void *bigger;
		expert_realloc_memory(key, first, 4096, &bigger);
		return 0;
	}
	return 5;
}

/* ---- lies about a fault (the runtime's FAULT message, wire.h) ----------- */

/* A FAULT as the runtime's handler builds it, with made-up contents. */
static void send_fault(uint8_t sig, uint32_t si_code, const uint8_t *code, uint8_t n)
{
	uint8_t buf[64];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_FAULT);
	wire_put_u8(&w, sig);
	wire_put_u32(&w, si_code);
	wire_put_u64(&w, 0);
	wire_put_u64(&w, (uint64_t)(uintptr_t)send_fault);
	wire_put_bytes(&w, code, n);
	hostile_send_writer(&w);
}

static const uint8_t int80_bytes[] = { 0xcd, 0x80, 0x48, 0x85, 0xc0 };

/* Dies of a real SIGSEGV without the runtime's handler, so the forged
 * report is the only one. */
static int die_unreported(void)
{
	signal(SIGSEGV, SIG_DFL);
	volatile int *volatile p = NULL;
	*p = 1;
	return 0;
}

/* Blames its crash on int $0x80, to pass for a kernel without 32-bit
 * emulation: only the kernel probe can tell whether that is possible. */
static int fault_forged_int80(ExpertKey *key)
{
	(void)key;
	send_fault(SIGSEGV, 0x80 /* SI_KERNEL */, int80_bytes, sizeof(int80_bytes));
	return die_unreported();
}

/* Claims a SIGBUS, dies of a SIGSEGV: the kernel's signal wins. */
static int fault_wrong_signal(ExpertKey *key)
{
	(void)key;
	send_fault(SIGBUS, 2 /* BUS_ADRERR */, NULL, 0);
	return die_unreported();
}

/* Claims a fault, then exits as if run had returned. */
static int fault_then_exit(ExpertKey *key)
{
	(void)key;
	send_fault(SIGSEGV, 1 /* SEGV_MAPERR */, NULL, 0);
	_exit(0);
}

/* A fault report is a last word: anything after it is a lie. */
static int fault_then_live(ExpertKey *key)
{
	send_fault(SIGSEGV, 1, NULL, 0);
	expert_indicate_status(key, EXPERT_STATE_RUNNING, 50, "alive after all");
	return sent();
}

static int fault_twice(ExpertKey *key)
{
	(void)key;
	send_fault(SIGSEGV, 1, NULL, 0);
	send_fault(SIGSEGV, 1, NULL, 0);
	return sent();
}

/* A signal the handler never catches (SIGKILL): malformed. */
static int fault_bad_signal(ExpertKey *key)
{
	(void)key;
	send_fault(SIGKILL, 0, NULL, 0);
	return sent();
}

/* Claims a fault injected where none was planned: an expert that passes
 * its own failures off as the executor's fault injection. */
static int inject_unplanned(ExpertKey *key)
{
	(void)key;
	uint8_t buf[64];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_INJECTED);
	wire_put_u8(&w, WIRE_INJECT_ALLOC);
	wire_put_u64(&w, 1);
	wire_put_u64(&w, 1);
	hostile_send_writer(&w);
	return sent();
}

/* Counts sent where no fault injection asked for them. */
static int calls_unplanned(ExpertKey *key)
{
	(void)key;
	uint8_t buf[64];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_CALLS);
	wire_put_u64(&w, 1);
	wire_put_u64(&w, 0);
	hostile_send_writer(&w);
	return sent();
}

static const HostileBehaviour behaviours[] = {
	{ "length-short", length_short },
	{ "bad-utf8", bad_utf8 },
	{ "many-details", many_details },
	{ "second-registered", second_registered },
	{ "after-finished", after_finished },
	{ "second-hello", second_hello },
	{ "pass-fd", pass_fd },
	{ "fault-kind", fault_kind },
	{ "executor-message", executor_message },
	{ "late-load-failed", late_load_failed },
	{ "lie-then-exit", lie_then_exit },
	{ "underflow-block", underflow_block },
	{ "scribble-heap", scribble_heap },
	{ "fault-forged-int80", fault_forged_int80 },
	{ "fault-wrong-signal", fault_wrong_signal },
	{ "fault-then-exit", fault_then_exit },
	{ "fault-then-live", fault_then_live },
	{ "fault-twice", fault_twice },
	{ "fault-bad-signal", fault_bad_signal },
	{ "inject-unplanned", inject_unplanned },
	{ "calls-unplanned", calls_unplanned },
};

HOSTILE_ENTRY_POINTS(behaviours)
