/* test-wire.c — the channel codec (libexpert/wire.c): what it builds
 * decodes back exactly, and what a hostile child could send is refused with a
 * reason, never read past its end. */
#include "wire.h"

#include <glib.h>
#include <signal.h>
#include <string.h>

static size_t build_event(uint8_t *buf, size_t cap, const char *text, unsigned n_details)
{
	WireWriter w;
	wire_begin(&w, buf, cap, WIRE_EVENT);
	wire_put_u8(&w, 1);
	wire_put_str(&w, text, WIRE_MAX_STRING);
	wire_put_u8(&w, (uint8_t)n_details);
	for (unsigned i = 0; i < n_details; i++) {
		wire_put_str(&w, "key", WIRE_MAX_STRING);
		wire_put_str(&w, "value", WIRE_MAX_STRING);
	}
	return wire_finish(&w);
}

static void assert_refused(const uint8_t *buf, size_t len, const char *expected_reason)
{
	WireMessage msg;
	const char *error = NULL;
	g_assert_false(wire_decode(buf, len, &msg, &error));
	g_assert_nonnull(error);
	if (expected_reason)
		g_assert_nonnull(strstr(error, expected_reason));
}

static void test_roundtrip_event(void)
{
	uint8_t buf[WIRE_MAX_MESSAGE];
	size_t len = build_event(buf, sizeof(buf), "eth/ip/tcp", 3);
	g_assert_cmpuint(len, >, WIRE_HEADER_SIZE);
	WireMessage msg;
	const char *error = NULL;
	g_assert_true(wire_decode(buf, len, &msg, &error));
	g_assert_cmpint(msg.type, ==, WIRE_EVENT);
	g_assert_cmpint(msg.u.event.severity, ==, 1);
	g_assert_cmpmem(msg.u.event.text.ptr, msg.u.event.text.len, "eth/ip/tcp", 10);
	g_assert_cmpuint(msg.u.event.n_details, ==, 3);
	g_assert_cmpmem(msg.u.event.details[2].value.ptr, msg.u.event.details[2].value.len, "value", 5);
}

static void test_roundtrip_every_type(void)
{
	uint8_t buf[WIRE_MAX_MESSAGE];
	WireWriter w;
	WireMessage msg;
	const char *error;

	wire_begin(&w, buf, sizeof(buf), WIRE_FINISHED);
	wire_put_u8(&w, WIRE_STAGE_RUN);
	wire_put_u32(&w, (uint32_t)-7);
	wire_put_u64(&w, 1234567890123ull);
	g_assert_true(wire_decode(buf, wire_finish(&w), &msg, &error));
	g_assert_cmpint(msg.u.finished.result, ==, -7);
	g_assert_cmpuint(msg.u.finished.frames_read, ==, 1234567890123ull);

	wire_begin(&w, buf, sizeof(buf), WIRE_STATUS);
	wire_put_u8(&w, 1);
	wire_put_u8(&w, (uint8_t)(int8_t)-1);
	wire_put_str(&w, NULL, 100);
	g_assert_true(wire_decode(buf, wire_finish(&w), &msg, &error));
	g_assert_cmpint(msg.u.status.percent, ==, -1);
	g_assert_cmpuint(msg.u.status.text.len, ==, 0);

	wire_begin(&w, buf, sizeof(buf), WIRE_REGISTERED);
	wire_put_str(&w, "name", 64);
	wire_put_str(&w, "vendor", 64);
	wire_put_str(&w, "description", 256);
	wire_put_u32(&w, 0x10002);
	wire_put_u32(&w, 1);
	g_assert_true(wire_decode(buf, wire_finish(&w), &msg, &error));
	g_assert_cmpuint(msg.u.registered.version, ==, 0x10002);

	wire_begin(&w, buf, sizeof(buf), WIRE_MEMORY_FAULT);
	wire_put_u8(&w, WIRE_FAULT_INVALID_POINTER);
	wire_put_u64(&w, 16);
	wire_put_u64(&w, 4096);
	g_assert_true(wire_decode(buf, wire_finish(&w), &msg, &error));
	g_assert_cmpuint(msg.u.memory_fault.offset, ==, 4096);

	wire_begin(&w, buf, sizeof(buf), WIRE_TERMINATE);
	g_assert_true(wire_decode(buf, wire_finish(&w), &msg, &error));
	g_assert_cmpint(msg.type, ==, WIRE_TERMINATE);
}

/* LOADED carries where each object went; an empty one (before load
 * addresses were sent) is refused, as is more than the limit. */
static void test_loaded_roundtrip(void)
{
	uint8_t buf[WIRE_MAX_MESSAGE];
	WireWriter w;
	WireMessage msg;
	const char *error = NULL;
	wire_begin(&w, buf, sizeof(buf), WIRE_LOADED);
	wire_put_u8(&w, 2);
	wire_put_u64(&w, 0x7f0000001000ull);
	wire_put_u64(&w, 0x7f0000200000ull);
	g_assert_true(wire_decode(buf, wire_finish(&w), &msg, &error));
	g_assert_cmpuint(msg.u.loaded.n, ==, 2);
	g_assert_cmphex(msg.u.loaded.base[1], ==, 0x7f0000200000ull);

	wire_begin(&w, buf, sizeof(buf), WIRE_LOADED);
	assert_refused(buf, wire_finish(&w), "ends inside a field");
	wire_begin(&w, buf, sizeof(buf), WIRE_LOADED);
	wire_put_u8(&w, WIRE_MAX_OBJECTS + 1);
	for (int i = 0; i <= WIRE_MAX_OBJECTS; i++)
		wire_put_u64(&w, 4096);
	assert_refused(buf, wire_finish(&w), "load addresses");
}

/* The fault-injection plan rides at the end of START only with its flag;
 * INJECTED and CALLS, the child's reports, are checked like the rest. */
static void test_inject_roundtrip(void)
{
	g_autofree uint8_t *buf = g_malloc(WIRE_MAX_LARGE);
	WireWriter w;
	WireMessage msg;
	const char *error = NULL;
	for (int with_plan = 0; with_plan < 2; with_plan++) {
		wire_begin(&w, buf, WIRE_MAX_LARGE, WIRE_START);
		wire_put_u8(&w, with_plan ? WIRE_START_INJECT : 0);
		wire_put_str(&w, "smtp.pcap", WIRE_MAX_STRING);
		wire_put_u64(&w, 0);
		wire_put_u8(&w, 0);
		wire_put_bpf(&w, NULL, 0);
		if (with_plan) {
			wire_put_u8(&w, WIRE_INJECT_ALLOC);
			wire_put_u64(&w, 0);
			wire_put_u64(&w, WIRE_INJECT_P_ONE / 100);
			wire_put_u64(&w, 42);
		}
		size_t len = wire_finish(&w);
		g_assert_true(wire_decode(buf, len, &msg, &error));
		g_assert_cmpuint(msg.u.start.inject.inject, ==, with_plan ? WIRE_INJECT_ALLOC : WIRE_INJECT_NONE);
		g_assert_cmpuint(msg.u.start.inject.seed, ==, with_plan ? 42 : 0);
		if (with_plan) {
			/* The plan is not optional once flagged: any shorter is refused. */
			for (size_t cut = len - 25; cut < len; cut++) {
				buf[4] = (uint8_t)cut;
				buf[5] = (uint8_t)(cut >> 8);
				assert_refused(buf, cut, NULL);
			}
		}
	}
	/* A probability above 1, or for anything but alloc, is refused. */
	static const struct { uint8_t inject; uint64_t p; } bad[] = {
		{ WIRE_INJECT_ALLOC, WIRE_INJECT_P_ONE + 1 },
		{ WIRE_INJECT_TERMINATE, 1 },
		{ WIRE_INJECT_MAX_, 0 },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		wire_begin(&w, buf, WIRE_MAX_LARGE, WIRE_START);
		wire_put_u8(&w, WIRE_START_INJECT);
		wire_put_str(&w, "", WIRE_MAX_STRING);
		wire_put_u64(&w, 0);
		wire_put_u8(&w, 0);
		wire_put_bpf(&w, NULL, 0);
		wire_put_u8(&w, bad[i].inject);
		wire_put_u64(&w, 1);
		wire_put_u64(&w, bad[i].p);
		wire_put_u64(&w, 0);
		assert_refused(buf, wire_finish(&w), "fault-injection");
	}

	wire_begin(&w, buf, WIRE_MAX_MESSAGE, WIRE_INJECTED);
	wire_put_u8(&w, WIRE_INJECT_KILL);
	wire_put_u64(&w, 17);
	wire_put_u64(&w, 3);
	g_assert_true(wire_decode(buf, wire_finish(&w), &msg, &error));
	g_assert_cmpuint(msg.u.injected.api_calls, ==, 17);
	g_assert_cmpuint(msg.u.injected.allocations, ==, 3);
	wire_begin(&w, buf, WIRE_MAX_MESSAGE, WIRE_INJECTED);
	wire_put_u8(&w, WIRE_INJECT_NONE);
	wire_put_u64(&w, 1);
	wire_put_u64(&w, 1);
	assert_refused(buf, wire_finish(&w), "unknown injected fault");

	wire_begin(&w, buf, WIRE_MAX_MESSAGE, WIRE_CALLS);
	wire_put_u64(&w, 250);
	wire_put_u64(&w, 7);
	g_assert_true(wire_decode(buf, wire_finish(&w), &msg, &error));
	g_assert_cmpuint(msg.u.calls.api_calls, ==, 250);
	g_assert_cmpuint(msg.u.calls.allocations, ==, 7);
}

/* The draw both sides make: a pure function of seed, n and p, about p of
 * the allocations, and different seeds draw differently. */
static void test_inject_draw(void)
{
	guint drawn = 0, same = 0;
	for (guint64 n = 1; n <= 100000; n++) {
		gboolean a = wire_inject_draw(7, n, WIRE_INJECT_P_ONE / 10);
		g_assert_cmpint(a, ==, wire_inject_draw(7, n, WIRE_INJECT_P_ONE / 10));
		drawn += a;
		same += a == wire_inject_draw(8, n, WIRE_INJECT_P_ONE / 10);
		g_assert_true(wire_inject_draw(7, n, WIRE_INJECT_P_ONE));
		g_assert_false(wire_inject_draw(7, n, 0));
	}
	g_assert_cmpuint(drawn, >, 9500);
	g_assert_cmpuint(drawn, <, 10500);
	g_assert_cmpuint(same, <, 100000);
}

static void test_every_truncation_refused(void)
{
	uint8_t buf[WIRE_MAX_MESSAGE];
	size_t len = build_event(buf, sizeof(buf), "some text", 4);
	/* Every shorter length, with the header's length patched to match so
	 * the field checks (not just the length check) are what refuses it. */
	for (size_t cut = 0; cut < len; cut++) {
		g_autofree uint8_t *copy = g_memdup2(buf, cut ? cut : 1);
		if (cut >= WIRE_HEADER_SIZE) {
			copy[4] = (uint8_t)cut;
			copy[5] = (uint8_t)(cut >> 8);
		}
		assert_refused(copy, cut, NULL);
	}
}

static void test_length_mismatch_refused(void)
{
	uint8_t buf[WIRE_MAX_MESSAGE];
	size_t len = build_event(buf, sizeof(buf), "x", 0);
	uint8_t big[WIRE_MAX_MESSAGE];
	memcpy(big, buf, len);
	big[len] = 0;
	assert_refused(big, len + 1, "length");
}

static void test_trailing_bytes_refused(void)
{
	uint8_t buf[WIRE_MAX_MESSAGE];
	size_t len = build_event(buf, sizeof(buf), "x", 0);
	buf[len] = 0xAA;
	len++;
	buf[4] = (uint8_t)len;
	assert_refused(buf, len, "trailing");
}

static void test_unknown_type_and_version_refused(void)
{
	uint8_t buf[16] = { WIRE_VERSION, 0, 200, 0, 8, 0, 0, 0 };
	assert_refused(buf, 8, "unknown message type");
	uint8_t v[16] = { 99, 0, WIRE_TERMINATE, 0, 8, 0, 0, 0 };
	assert_refused(v, 8, "version");
	uint8_t zero[16] = { WIRE_VERSION, 0, 0, 0, 8, 0, 0, 0 };
	assert_refused(zero, 8, "unknown message type");
}

static void set_header(uint8_t *buf, WireType type, size_t len)
{
	buf[0] = WIRE_VERSION;
	buf[1] = 0;
	buf[2] = (uint8_t)type;
	buf[3] = 0;
	for (int i = 0; i < 4; i++)
		buf[4 + i] = (uint8_t)(len >> (8 * i));
}

static void test_oversized_refused(void)
{
	/* A child's message over 4 KiB, even with a consistent header. */
	g_autofree uint8_t *buf = g_malloc0(WIRE_MAX_LARGE + 1);
	set_header(buf, WIRE_EVENT, WIRE_MAX_MESSAGE + 1);
	assert_refused(buf, WIRE_MAX_MESSAGE + 1, "larger");
	/* START may be larger, but not past its own limit. */
	set_header(buf, WIRE_START, WIRE_MAX_LARGE + 1);
	assert_refused(buf, WIRE_MAX_LARGE + 1, "larger");
}

static void test_start_roundtrip_with_config_and_filter(void)
{
	g_autofree uint8_t *buf = g_malloc(WIRE_MAX_LARGE);
	/* "ret #65535", "ret #0" as struct bpf_insn bytes (host order). */
	uint8_t insns[16] = { 0x06, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0x06, 0, 0, 0, 0, 0, 0, 0 };
	WireWriter w;
	wire_begin(&w, buf, WIRE_MAX_LARGE, WIRE_START);
	wire_put_u8(&w, 0);
	wire_put_str(&w, "wikipedia.pcap", WIRE_MAX_STRING);
	wire_put_u64(&w, 7);
	wire_put_u8(&w, 2);
	wire_put_str(&w, "top", WIRE_MAX_STRING);
	wire_put_str(&w, "10", WIRE_MAX_STRING);
	wire_put_str(&w, "by", WIRE_MAX_STRING);
	wire_put_str(&w, "bytes", WIRE_MAX_STRING);
	wire_put_bpf(&w, insns, 2);
	size_t len = wire_finish(&w);
	g_assert_cmpuint(len, >, 0);
	WireMessage msg;
	const char *error = NULL;
	g_assert_true(wire_decode(buf, len, &msg, &error));
	g_assert_cmpuint(msg.u.start.selected_frame, ==, 7);
	g_assert_cmpuint(msg.u.start.n_config, ==, 2);
	g_assert_cmpmem(msg.u.start.config[1].value.ptr, msg.u.start.config[1].value.len, "bytes", 5);
	g_assert_cmpuint(msg.u.start.filter.n_insns, ==, 2);
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
	wire_bpf_insn(&msg.u.start.filter, 0, &code, &jt, &jf, &k);
	g_assert_cmpuint(code, ==, 0x06);
	g_assert_cmpuint(k, ==, 0xFFFF);
	/* A program claiming more instructions than the message holds. */
	buf[len - 20] = 0xFF;
	assert_refused(buf, len, NULL);
}

static void test_string_longer_than_message_refused(void)
{
	uint8_t buf[64];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_LOAD_FAILED);
	wire_put_str(&w, "abc", 10);
	size_t len = wire_finish(&w);
	buf[WIRE_HEADER_SIZE] = 0xFF; /* claims 255 + 256 * buf[9] bytes */
	assert_refused(buf, len, "string");
	buf[WIRE_HEADER_SIZE + 1] = 0xFF; /* 65535: over the string limit too */
	assert_refused(buf, len, "string");
}

static void test_invalid_utf8_refused(void)
{
	static const char *const bad[] = {
		"\xC0\xAF",          /* overlong '/' */
		"\xED\xA0\x80",      /* a surrogate */
		"\xF4\x90\x80\x80",  /* past U+10FFFF */
		"\x80",              /* lone continuation */
		"\xE2\x82",          /* cut short */
	};
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		uint8_t buf[64];
		size_t n = strlen(bad[i]);
		uint8_t header[] = { WIRE_VERSION, 0, WIRE_LOAD_FAILED, 0, 0, 0, 0, 0 };
		memcpy(buf, header, sizeof(header));
		buf[8] = (uint8_t)n;
		buf[9] = 0;
		memcpy(buf + 10, bad[i], n);
		buf[4] = (uint8_t)(10 + n);
		assert_refused(buf, 10 + n, "UTF-8");
	}
	/* An embedded NUL is refused too: strings reach printf and JSON. */
	uint8_t nul[] = { WIRE_VERSION, 0, WIRE_LOAD_FAILED, 0, 13, 0, 0, 0, 3, 0, 'a', 0, 'b' };
	assert_refused(nul, sizeof(nul), "UTF-8");
}

static void test_out_of_range_enums_refused(void)
{
	uint8_t buf[64];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_STATUS);
	wire_put_u8(&w, 7);
	wire_put_u8(&w, 50);
	wire_put_str(&w, "", 0);
	assert_refused(buf, wire_finish(&w), "state");

	wire_begin(&w, buf, sizeof(buf), WIRE_STATUS);
	wire_put_u8(&w, 1);
	wire_put_u8(&w, 101);
	wire_put_str(&w, "", 0);
	assert_refused(buf, wire_finish(&w), "percent");

	wire_begin(&w, buf, sizeof(buf), WIRE_FINISHED);
	wire_put_u8(&w, 9);
	wire_put_u32(&w, 0);
	wire_put_u64(&w, 0);
	assert_refused(buf, wire_finish(&w), "stage");

	wire_begin(&w, buf, sizeof(buf), WIRE_MEMORY_FAULT);
	wire_put_u8(&w, WIRE_FAULT_MAX_);
	wire_put_u64(&w, 0);
	wire_put_u64(&w, 0);
	assert_refused(buf, wire_finish(&w), "fault");
}

static size_t build_fault(uint8_t *buf, size_t cap, uint8_t sig, const uint8_t *code, uint8_t n)
{
	WireWriter w;
	wire_begin(&w, buf, cap, WIRE_FAULT);
	wire_put_u8(&w, sig);
	wire_put_u32(&w, 0x80); /* SI_KERNEL */
	wire_put_u64(&w, 0);
	wire_put_u64(&w, 0x7f0012345678ull);
	wire_put_bytes(&w, code, n);
	return wire_finish(&w);
}

/* FAULT: the runtime's last word after a fault signal. Its code bytes are
 * raw (no UTF-8 rule), bounded, and point into the datagram. */
static void test_fault_roundtrip(void)
{
	static const uint8_t int80[] = { 0xcd, 0x80, 0x00, 0xff };
	uint8_t buf[64];
	size_t len = build_fault(buf, sizeof(buf), SIGSEGV, int80, sizeof(int80));
	WireMessage msg;
	const char *error = NULL;
	g_assert_true(wire_decode(buf, len, &msg, &error));
	g_assert_cmpint(msg.type, ==, WIRE_FAULT);
	g_assert_cmpstr(wire_type_name(msg.type), ==, "fault");
	g_assert_cmpuint(msg.u.fault.signal, ==, SIGSEGV);
	g_assert_cmpint(msg.u.fault.si_code, ==, 0x80);
	g_assert_cmphex(msg.u.fault.ip, ==, 0x7f0012345678ull);
	g_assert_cmpmem(msg.u.fault.bytes, msg.u.fault.n_bytes, int80, sizeof(int80));
	g_assert_true(msg.u.fault.bytes >= buf && msg.u.fault.bytes + 4 <= buf + len);

	/* No bytes: the code was not readable. */
	len = build_fault(buf, sizeof(buf), SIGBUS, NULL, 0);
	g_assert_true(wire_decode(buf, len, &msg, &error));
	g_assert_cmpuint(msg.u.fault.n_bytes, ==, 0);

	/* A negative si_code (SI_TKILL: sent, not a fault) survives the trip. */
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_FAULT);
	wire_put_u8(&w, SIGILL);
	wire_put_u32(&w, (uint32_t)-6);
	wire_put_u64(&w, 0);
	wire_put_u64(&w, 0);
	wire_put_bytes(&w, NULL, 0);
	g_assert_true(wire_decode(buf, wire_finish(&w), &msg, &error));
	g_assert_cmpint(msg.u.fault.si_code, ==, -6);
}

static void test_fault_lies_refused(void)
{
	uint8_t code[WIRE_FAULT_BYTES + 1] = { 0 };
	uint8_t buf[64];
	/* Only the signals the handler catches. */
	static const uint8_t not_faults[] = { 0, SIGKILL, SIGSYS, SIGABRT, 255 };
	for (gsize i = 0; i < G_N_ELEMENTS(not_faults); i++)
		assert_refused(buf, build_fault(buf, sizeof(buf), not_faults[i], code, 2), "fault signal");
	/* More code bytes than the limit. */
	assert_refused(buf, build_fault(buf, sizeof(buf), SIGSEGV, code, WIRE_FAULT_BYTES + 1),
	               "code bytes");
	/* A count past the end of the datagram. */
	size_t len = build_fault(buf, sizeof(buf), SIGSEGV, code, 2);
	buf[len - 3] = 9;
	assert_refused(buf, len, "code bytes");
}

/* FAIL: the expert's own words (expert_fail), a string like any other:
 * bounded, UTF-8, nothing after it. */
static void test_fail_roundtrip(void)
{
	uint8_t buf[WIRE_MAX_MESSAGE];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_FAIL);
	wire_put_str(&w, "top: expected a count of 1 or more, not \"abc\"", WIRE_MAX_STRING);
	size_t len = wire_finish(&w);
	WireMessage msg;
	const char *error = NULL;
	g_assert_true(wire_decode(buf, len, &msg, &error));
	g_assert_cmpint(msg.type, ==, WIRE_FAIL);
	g_assert_cmpstr(wire_type_name(msg.type), ==, "fail");
	g_assert_cmpmem(msg.u.fail.reason.ptr, msg.u.fail.reason.len,
	                "top: expected a count of 1 or more, not \"abc\"", 45);

	/* Invalid UTF-8 in the reason, and a byte after it. */
	buf[WIRE_HEADER_SIZE + 2] = 0xff;
	assert_refused(buf, len, "UTF-8");
	wire_begin(&w, buf, sizeof(buf), WIRE_FAIL);
	wire_put_str(&w, "x", WIRE_MAX_STRING);
	wire_put_u8(&w, 0);
	assert_refused(buf, wire_finish(&w), "trailing");
}

static void test_too_many_details_refused(void)
{
	uint8_t buf[WIRE_MAX_MESSAGE];
	size_t len = build_event(buf, sizeof(buf), "x", WIRE_MAX_DETAILS);
	WireMessage msg;
	const char *error;
	g_assert_true(wire_decode(buf, len, &msg, &error));
	len = build_event(buf, sizeof(buf), "x", WIRE_MAX_DETAILS + 1);
	assert_refused(buf, len, "details");
}

static void test_writer_never_overflows(void)
{
	uint8_t buf[32];
	memset(buf, 0xEE, sizeof(buf));
	WireWriter w;
	wire_begin(&w, buf, 24, WIRE_LOAD_FAILED);
	wire_put_str(&w, "a string that is much longer than the room left", WIRE_MAX_STRING);
	g_assert_cmpuint(wire_finish(&w), ==, 0);
	for (size_t i = 24; i < sizeof(buf); i++)
		g_assert_cmpuint(buf[i], ==, 0xEE);
}

static void test_writer_cuts_at_character_boundary(void)
{
	uint8_t buf[64];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_LOAD_FAILED);
	/* "é" is two bytes: a limit of 3 must keep "aé" whole or drop é whole. */
	wire_put_str(&w, "a\xC3\xA9\xC3\xA9", 4);
	WireMessage msg;
	const char *error;
	g_assert_true(wire_decode(buf, wire_finish(&w), &msg, &error));
	g_assert_cmpuint(msg.u.load_failed.reason.len, ==, 3);

	wire_begin(&w, buf, sizeof(buf), WIRE_LOAD_FAILED);
	wire_put_str(&w, "ok\xFFrest", 100); /* invalid byte: the rest is dropped */
	g_assert_true(wire_decode(buf, wire_finish(&w), &msg, &error));
	g_assert_cmpuint(msg.u.load_failed.reason.len, ==, 2);
}

static void test_random_bytes_never_crash(void)
{
	GRand *rand = g_rand_new_with_seed(20261125);
	uint8_t buf[WIRE_MAX_MESSAGE];
	guint accepted = 0;
	for (int round = 0; round < 200000; round++) {
		size_t len = (size_t)g_rand_int_range(rand, 0, 64);
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)g_rand_int_range(rand, 0, 256);
		if (len >= WIRE_HEADER_SIZE && g_rand_boolean(rand)) {
			/* Plausible headers, so decoding goes deeper than the header. */
			buf[0] = WIRE_VERSION;
			buf[1] = 0;
			buf[2] = (uint8_t)g_rand_int_range(rand, 1, WIRE_TYPE_MAX_);
			buf[3] = 0;
			buf[4] = (uint8_t)len;
			buf[5] = buf[6] = buf[7] = 0;
		}
		WireMessage msg;
		const char *error = NULL;
		if (wire_decode(buf, len, &msg, &error))
			accepted++;
		else
			g_assert_nonnull(error);
	}
	g_test_message("%u of 200000 random datagrams decoded", accepted);
	g_rand_free(rand);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/wire/roundtrip/event", test_roundtrip_event);
	g_test_add_func("/wire/roundtrip/every-type", test_roundtrip_every_type);
	g_test_add_func("/wire/roundtrip/loaded", test_loaded_roundtrip);
	g_test_add_func("/wire/roundtrip/inject", test_inject_roundtrip);
	g_test_add_func("/wire/inject-draw", test_inject_draw);
	g_test_add_func("/wire/decode/every-truncation-refused", test_every_truncation_refused);
	g_test_add_func("/wire/decode/length-mismatch-refused", test_length_mismatch_refused);
	g_test_add_func("/wire/decode/trailing-bytes-refused", test_trailing_bytes_refused);
	g_test_add_func("/wire/decode/unknown-type-and-version-refused", test_unknown_type_and_version_refused);
	g_test_add_func("/wire/decode/oversized-refused", test_oversized_refused);
	g_test_add_func("/wire/roundtrip/start-with-config-and-filter", test_start_roundtrip_with_config_and_filter);
	g_test_add_func("/wire/decode/string-past-end-refused", test_string_longer_than_message_refused);
	g_test_add_func("/wire/decode/invalid-utf8-refused", test_invalid_utf8_refused);
	g_test_add_func("/wire/decode/out-of-range-enums-refused", test_out_of_range_enums_refused);
	g_test_add_func("/wire/decode/too-many-details-refused", test_too_many_details_refused);
	g_test_add_func("/wire/roundtrip/fault", test_fault_roundtrip);
	g_test_add_func("/wire/decode/fault-lies-refused", test_fault_lies_refused);
	g_test_add_func("/wire/roundtrip/fail", test_fail_roundtrip);
	g_test_add_func("/wire/encode/never-overflows", test_writer_never_overflows);
	g_test_add_func("/wire/encode/cuts-at-character-boundary", test_writer_cuts_at_character_boundary);
	g_test_add_func("/wire/decode/random-bytes-never-crash", test_random_bytes_never_crash);
	return g_test_run();
}
