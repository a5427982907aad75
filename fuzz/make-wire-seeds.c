/* make-wire-seeds.c — writes fuzz/corpus/wire/: valid messages of every
 * type, built with the WireWriter API the child's runtime uses, each checked
 * to decode before it is written. Run from the source tree after a build:
 *
 *   build/fuzz/make-wire-seeds fuzz/corpus/wire
 *
 * The output is deterministic, so rerunning it only changes the corpus when
 * this file changes. */
#include "wire.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* struct bpf_insn's layout, which wire_put_bpf takes. */
typedef struct {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
} BpfInsn;

static const char *out_dir;
static unsigned written;

/* Writes the message w built as NAME, after checking it decodes. */
static void emit(WireWriter *w, const char *name)
{
	WireMessage msg;
	const char *error = NULL;
	size_t len = wire_finish(w);
	char path[4096];

	if (len == 0 || !wire_decode(w->buf, len, &msg, &error)) {
		fprintf(stderr, "make-wire-seeds: %s does not decode: %s\n", name, error ? error : "did not fit");
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s", out_dir, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(w->buf, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "make-wire-seeds: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
	written++;
}

int main(int argc, char **argv)
{
	static uint8_t buf[WIRE_MAX_LARGE];
	/* Multi-byte UTF-8 of each length, so the decoder's validation has
	 * something to mutate. */
	static const char utf8[] = "caf\xc3\xa9 \xe2\x82\xac 100 \xf0\x9f\x93\xa6";
	char long_text[WIRE_MAX_STRING + 1];
	WireWriter w;

	if (argc != 2) {
		fprintf(stderr, "usage: %s OUTPUT-DIR\n", argv[0]);
		return 2;
	}
	out_dir = argv[1];
	memset(long_text, 'x', WIRE_MAX_STRING);
	long_text[WIRE_MAX_STRING] = '\0';

	wire_begin(&w, buf, sizeof(buf), WIRE_HELLO);
	wire_put_u32(&w, 1);
	emit(&w, "hello");

	/* A library and the object, where the loader put them. */
	wire_begin(&w, buf, sizeof(buf), WIRE_LOADED);
	wire_put_u8(&w, 2);
	wire_put_u64(&w, 0x7f1234560000);
	wire_put_u64(&w, 0x7f1234580000);
	emit(&w, "loaded");

	wire_begin(&w, buf, sizeof(buf), WIRE_TERMINATE);
	emit(&w, "terminate");

	wire_begin(&w, buf, sizeof(buf), WIRE_LOAD_FAILED);
	wire_put_str(&w, "expert_run: undefined symbol", WIRE_MAX_STRING);
	emit(&w, "load-failed");

	wire_begin(&w, buf, sizeof(buf), WIRE_LOAD_FAILED);
	wire_put_str(&w, long_text, WIRE_MAX_STRING);
	emit(&w, "load-failed-longest");

	wire_begin(&w, buf, sizeof(buf), WIRE_REGISTERED);
	wire_put_str(&w, "Protocol Distribution", 64);
	wire_put_str(&w, "expert-exec", 64);
	wire_put_str(&w, "Counts frames and bytes per protocol path", 256);
	wire_put_u32(&w, 0x10000);
	wire_put_u32(&w, 0);
	emit(&w, "registered");

	wire_begin(&w, buf, sizeof(buf), WIRE_REGISTERED);
	wire_put_str(&w, utf8, 64);
	wire_put_str(&w, NULL, 64);
	wire_put_str(&w, "", 256);
	wire_put_u32(&w, 0xffffffffu);
	wire_put_u32(&w, 0xffffffffu);
	emit(&w, "registered-utf8-empty");

	wire_begin(&w, buf, sizeof(buf), WIRE_STATUS);
	wire_put_u8(&w, 1);
	wire_put_u8(&w, 42);
	wire_put_str(&w, "reading frames", WIRE_MAX_STRING);
	emit(&w, "status");

	wire_begin(&w, buf, sizeof(buf), WIRE_STATUS);
	wire_put_u8(&w, 2);
	wire_put_u8(&w, (uint8_t)(int8_t)-1);
	wire_put_str(&w, NULL, WIRE_MAX_STRING);
	emit(&w, "status-unknown-percent");

	wire_begin(&w, buf, sizeof(buf), WIRE_EVENT);
	wire_put_u8(&w, 0);
	wire_put_str(&w, "eth/ip/tcp/http", WIRE_MAX_STRING);
	wire_put_u8(&w, 0);
	emit(&w, "event");

	wire_begin(&w, buf, sizeof(buf), WIRE_EVENT);
	wire_put_u8(&w, 2);
	wire_put_str(&w, utf8, WIRE_MAX_STRING);
	wire_put_u8(&w, 3);
	wire_put_str(&w, "path", WIRE_MAX_STRING);
	wire_put_str(&w, "eth/ip/tcp/http", WIRE_MAX_STRING);
	wire_put_str(&w, "frames", WIRE_MAX_STRING);
	wire_put_str(&w, "30", WIRE_MAX_STRING);
	wire_put_str(&w, "bytes", WIRE_MAX_STRING);
	wire_put_str(&w, "", WIRE_MAX_STRING);
	emit(&w, "event-details");

	wire_begin(&w, buf, sizeof(buf), WIRE_EVENT);
	wire_put_u8(&w, 1);
	wire_put_str(&w, "many", WIRE_MAX_STRING);
	wire_put_u8(&w, WIRE_MAX_DETAILS);
	for (unsigned i = 0; i < WIRE_MAX_DETAILS; i++) {
		char key[8];
		snprintf(key, sizeof(key), "k%u", i);
		wire_put_str(&w, key, WIRE_MAX_STRING);
		wire_put_str(&w, "v", WIRE_MAX_STRING);
	}
	emit(&w, "event-most-details");

	wire_begin(&w, buf, sizeof(buf), WIRE_MEMORY_FAULT);
	wire_put_u8(&w, WIRE_FAULT_QUOTA);
	wire_put_u64(&w, 1u << 20);
	wire_put_u64(&w, 0);
	emit(&w, "memory-fault-quota");

	wire_begin(&w, buf, sizeof(buf), WIRE_MEMORY_FAULT);
	wire_put_u8(&w, WIRE_FAULT_CORRUPTION);
	wire_put_u64(&w, UINT64_MAX);
	wire_put_u64(&w, 0x1234);
	emit(&w, "memory-fault-corruption");

	wire_begin(&w, buf, sizeof(buf), WIRE_FINISHED);
	wire_put_u8(&w, WIRE_STAGE_RUN);
	wire_put_u32(&w, 0);
	wire_put_u64(&w, 136);
	emit(&w, "finished-run");

	wire_begin(&w, buf, sizeof(buf), WIRE_FINISHED);
	wire_put_u8(&w, WIRE_STAGE_CONFIGURE);
	wire_put_u32(&w, (uint32_t)-3);
	wire_put_u64(&w, 0);
	emit(&w, "finished-configure");

	/* "tcp port 80" as libpcap compiles it for Ethernet, abridged: a few
	 * instructions of each class are enough to mutate. */
	static const BpfInsn prog[] = {
		{ 0x28, 0, 0, 12 }, { 0x15, 0, 4, 0x86dd }, { 0x30, 0, 0, 20 },
		{ 0x15, 0, 2, 6 }, { 0x6, 0, 0, 262144 }, { 0x6, 0, 0, 0 },
	};

	wire_begin(&w, buf, sizeof(buf), WIRE_START);
	wire_put_u8(&w, 0);
	wire_put_str(&w, "wikipedia.pcap", WIRE_MAX_STRING);
	wire_put_u64(&w, UINT64_MAX);
	wire_put_u8(&w, 2);
	wire_put_str(&w, "depth", WIRE_MAX_STRING);
	wire_put_str(&w, "3", WIRE_MAX_STRING);
	wire_put_str(&w, "label", WIRE_MAX_STRING);
	wire_put_str(&w, utf8, WIRE_MAX_STRING);
	wire_put_bpf(&w, prog, sizeof(prog) / sizeof(prog[0]));
	emit(&w, "start");

	wire_begin(&w, buf, sizeof(buf), WIRE_START);
	wire_put_u8(&w, WIRE_START_REGISTER_ONLY);
	wire_put_str(&w, NULL, WIRE_MAX_STRING);
	wire_put_u64(&w, 0);
	wire_put_u8(&w, 0);
	wire_put_bpf(&w, NULL, 0);
	emit(&w, "start-register-only");

	/* Past WIRE_MAX_MESSAGE, which only START and FILTER_REPLY may be. */
	static BpfInsn long_prog[600];
	for (unsigned i = 0; i < sizeof(long_prog) / sizeof(long_prog[0]); i++)
		long_prog[i] = prog[i % (sizeof(prog) / sizeof(prog[0]))];
	wire_begin(&w, buf, sizeof(buf), WIRE_START);
	wire_put_u8(&w, 0);
	wire_put_str(&w, "large.pcap", WIRE_MAX_STRING);
	wire_put_u64(&w, 1);
	wire_put_u8(&w, 0);
	wire_put_bpf(&w, long_prog, sizeof(long_prog) / sizeof(long_prog[0]));
	emit(&w, "start-large");

	wire_begin(&w, buf, sizeof(buf), WIRE_FILTER_REQUEST);
	wire_put_str(&w, "tcp port 80", WIRE_MAX_STRING);
	emit(&w, "filter-request");

	wire_begin(&w, buf, sizeof(buf), WIRE_FILTER_REPLY);
	wire_put_str(&w, NULL, WIRE_MAX_STRING);
	wire_put_bpf(&w, prog, sizeof(prog) / sizeof(prog[0]));
	emit(&w, "filter-reply");

	wire_begin(&w, buf, sizeof(buf), WIRE_FILTER_REPLY);
	wire_put_str(&w, "syntax error in filter expression", WIRE_MAX_STRING);
	wire_put_bpf(&w, NULL, 0);
	emit(&w, "filter-reply-error");

	wire_begin(&w, buf, sizeof(buf), WIRE_OUTPUT_OPEN);
	wire_put_str(&w, "http-only.pcap", WIRE_MAX_STRING);
	wire_put_u8(&w, 1);
	emit(&w, "output-open");

	wire_begin(&w, buf, sizeof(buf), WIRE_OUTPUT_REPLY);
	wire_put_str(&w, NULL, WIRE_MAX_STRING);
	wire_put_u32(&w, 1);
	emit(&w, "output-reply");

	wire_begin(&w, buf, sizeof(buf), WIRE_OUTPUT_CLOSE);
	wire_put_u32(&w, 1);
	wire_put_u64(&w, 30);
	emit(&w, "output-close");

	/* int $0x80 on a kernel without 32-bit emulation: a general protection
	 * fault (SI_KERNEL), address 0. */
	static const uint8_t int80[] = { 0xcd, 0x80, 0x48, 0x85, 0xc0 };
	wire_begin(&w, buf, sizeof(buf), WIRE_FAULT);
	wire_put_u8(&w, SIGSEGV);
	wire_put_u32(&w, 0x80);
	wire_put_u64(&w, 0);
	wire_put_u64(&w, 0x7f0000001234);
	wire_put_bytes(&w, int80, sizeof(int80));
	emit(&w, "fault-int80");

	/* The code was not readable: no bytes. */
	wire_begin(&w, buf, sizeof(buf), WIRE_FAULT);
	wire_put_u8(&w, SIGSEGV);
	wire_put_u32(&w, 1); /* SEGV_MAPERR */
	wire_put_u64(&w, 0xdead0000);
	wire_put_u64(&w, 0xdead0000);
	wire_put_bytes(&w, NULL, 0);
	emit(&w, "fault-no-bytes");

	wire_begin(&w, buf, sizeof(buf), WIRE_FAIL);
	wire_put_str(&w, "top: expected a count of 1 or more, not \"abc\"", WIRE_MAX_STRING);
	emit(&w, "fail");

	/* A START with a fault-injection plan: each allocation refused with
	 * probability 1/100, seed 7. */
	wire_begin(&w, buf, sizeof(buf), WIRE_START);
	wire_put_u8(&w, WIRE_START_INJECT);
	wire_put_str(&w, "smtp.pcap", WIRE_MAX_STRING);
	wire_put_u64(&w, 0);
	wire_put_u8(&w, 0);
	wire_put_bpf(&w, NULL, 0);
	wire_put_u8(&w, WIRE_INJECT_ALLOC);
	wire_put_u64(&w, 0);
	wire_put_u64(&w, WIRE_INJECT_P_ONE / 100);
	wire_put_u64(&w, 7);
	emit(&w, "start-inject");

	wire_begin(&w, buf, sizeof(buf), WIRE_INJECTED);
	wire_put_u8(&w, WIRE_INJECT_ALLOC);
	wire_put_u64(&w, 12);
	wire_put_u64(&w, 3);
	emit(&w, "injected");

	wire_begin(&w, buf, sizeof(buf), WIRE_CALLS);
	wire_put_u64(&w, 242);
	wire_put_u64(&w, 1);
	emit(&w, "calls");

	printf("%u seeds in %s\n", written, out_dir);
	return 0;
}
