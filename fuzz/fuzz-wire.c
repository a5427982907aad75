/* fuzz-wire.c — the channel codec (libexpert/wire.h) on arbitrary bytes.
 *
 * Properties, beyond "never crashes, never reads past the datagram":
 *  1. a refused datagram comes with a reason;
 *  2. an accepted one honours the contract wire.h states for every field
 *     (known type, enum ranges, strings inside the datagram, valid UTF-8
 *     without NUL, non-empty detail keys), and any shorter prefix of it is
 *     refused;
 *  3. an accepted one re-encodes, through the WireWriter API and from the
 *     decoded fields alone, to exactly the same bytes: the decoder loses
 *     nothing and accepts no second spelling of a message;
 *  4. the input taken as text: whatever wire_put_str is given, under any
 *     bound, the message it builds decodes, and the string that arrives is a
 *     valid UTF-8 prefix of what was sent, within the bound.
 */
#include "fuzz.h"

#include "wire.h"

#include <signal.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

static void put_str(WireWriter *w, WireString s)
{
	/* Decoded strings hold no NUL, so wire_put_str takes exactly s.len
	 * bytes (it stops at a NUL or at max, whichever comes first). */
	wire_put_str(w, s.ptr, s.len);
}

/* A received program goes back through memory in struct bpf_insn layout,
 * which is what wire_put_bpf takes. */
static void put_bpf(WireWriter *w, const WireBpf *bpf)
{
	static struct { uint16_t code; uint8_t jt, jf; uint32_t k; } insns[WIRE_MAX_BPF];

	FUZZ_CHECK(bpf->n_insns <= WIRE_MAX_BPF, "a program of %u instructions", bpf->n_insns);
	for (uint32_t i = 0; i < bpf->n_insns; i++)
		wire_bpf_insn(bpf, i, &insns[i].code, &insns[i].jt, &insns[i].jf, &insns[i].k);
	wire_put_bpf(w, insns, bpf->n_insns);
}

/* The encoder's view of a message: the fields, in the order wire.h lists
 * them. Written from wire.h, not from wire.c, so it checks the decoder
 * against the documented format rather than against itself. */
static size_t reencode(const WireMessage *m, uint8_t *buf, size_t cap)
{
	WireWriter w;

	wire_begin(&w, buf, cap, m->type);
	switch (m->type) {
	case WIRE_HELLO:
		wire_put_u32(&w, m->u.hello.api_version);
		break;
	case WIRE_LOADED:
		wire_put_u8(&w, m->u.loaded.n);
		for (unsigned i = 0; i < m->u.loaded.n; i++)
			wire_put_u64(&w, m->u.loaded.base[i]);
		break;
	case WIRE_TERMINATE:
		break;
	case WIRE_LOAD_FAILED:
		put_str(&w, m->u.load_failed.reason);
		break;
	case WIRE_REGISTERED:
		put_str(&w, m->u.registered.name);
		put_str(&w, m->u.registered.vendor);
		put_str(&w, m->u.registered.description);
		wire_put_u32(&w, m->u.registered.version);
		wire_put_u32(&w, m->u.registered.flags);
		break;
	case WIRE_STATUS:
		wire_put_u8(&w, m->u.status.state);
		wire_put_u8(&w, (uint8_t)m->u.status.percent);
		put_str(&w, m->u.status.text);
		break;
	case WIRE_EVENT:
		wire_put_u8(&w, m->u.event.severity);
		put_str(&w, m->u.event.text);
		wire_put_u8(&w, m->u.event.n_details);
		for (unsigned i = 0; i < m->u.event.n_details; i++) {
			put_str(&w, m->u.event.details[i].key);
			put_str(&w, m->u.event.details[i].value);
		}
		break;
	case WIRE_MEMORY_FAULT:
		wire_put_u8(&w, m->u.memory_fault.kind);
		wire_put_u64(&w, m->u.memory_fault.size);
		wire_put_u64(&w, m->u.memory_fault.offset);
		break;
	case WIRE_FINISHED:
		wire_put_u8(&w, m->u.finished.stage);
		wire_put_u32(&w, (uint32_t)m->u.finished.result);
		wire_put_u64(&w, m->u.finished.frames_read);
		break;
	case WIRE_START:
		wire_put_u8(&w, m->u.start.flags);
		put_str(&w, m->u.start.capture_name);
		wire_put_u64(&w, m->u.start.selected_frame);
		wire_put_u8(&w, m->u.start.n_config);
		for (unsigned i = 0; i < m->u.start.n_config; i++) {
			put_str(&w, m->u.start.config[i].key);
			put_str(&w, m->u.start.config[i].value);
		}
		put_bpf(&w, &m->u.start.filter);
		if (m->u.start.flags & WIRE_START_INJECT) {
			wire_put_u8(&w, m->u.start.inject.inject);
			wire_put_u64(&w, m->u.start.inject.n);
			wire_put_u64(&w, m->u.start.inject.p);
			wire_put_u64(&w, m->u.start.inject.seed);
		}
		break;
	case WIRE_FILTER_REQUEST:
		put_str(&w, m->u.filter_request.expression);
		break;
	case WIRE_FILTER_REPLY:
		put_str(&w, m->u.filter_reply.error);
		put_bpf(&w, &m->u.filter_reply.program);
		break;
	case WIRE_OUTPUT_OPEN:
		put_str(&w, m->u.output_open.name);
		wire_put_u8(&w, m->u.output_open.format);
		break;
	case WIRE_OUTPUT_REPLY:
		put_str(&w, m->u.output_reply.error);
		wire_put_u32(&w, m->u.output_reply.output_id);
		break;
	case WIRE_OUTPUT_CLOSE:
		wire_put_u32(&w, m->u.output_close.output_id);
		wire_put_u64(&w, m->u.output_close.frames);
		break;
	case WIRE_FAULT:
		wire_put_u8(&w, m->u.fault.signal);
		wire_put_u32(&w, (uint32_t)m->u.fault.si_code);
		wire_put_u64(&w, m->u.fault.address);
		wire_put_u64(&w, m->u.fault.ip);
		wire_put_bytes(&w, m->u.fault.bytes, m->u.fault.n_bytes);
		break;
	case WIRE_FAIL:
		put_str(&w, m->u.fail.reason);
		break;
	case WIRE_INJECTED:
		wire_put_u8(&w, m->u.injected.inject);
		wire_put_u64(&w, m->u.injected.api_calls);
		wire_put_u64(&w, m->u.injected.allocations);
		break;
	case WIRE_CALLS:
		wire_put_u64(&w, m->u.calls.api_calls);
		wire_put_u64(&w, m->u.calls.allocations);
		break;
	default:
		FUZZ_CHECK(0, "the decoder accepted message type %d", (int)m->type);
	}
	return wire_finish(&w);
}

static void check_string(WireString s, const uint8_t *data, size_t size, const char *what)
{
	FUZZ_CHECK(s.len <= WIRE_MAX_STRING, "%s: %u bytes", what, s.len);
	if (s.len == 0)
		return;
	const uint8_t *p = (const uint8_t *)s.ptr;
	FUZZ_CHECK(p >= data && p + s.len <= data + size, "%s lies outside the datagram", what);
	FUZZ_CHECK(wire_utf8_valid(s.ptr, s.len), "%s is not valid UTF-8 or holds a NUL", what);
}

static void check_bpf(const WireBpf *bpf, const uint8_t *data, size_t size, const char *what)
{
	FUZZ_CHECK(bpf->n_insns <= WIRE_MAX_BPF, "%s: %u instructions", what, bpf->n_insns);
	if (bpf->n_insns == 0)
		return;
	FUZZ_CHECK(bpf->insns >= data && (size_t)bpf->n_insns * 8 <= size - (size_t)(bpf->insns - data),
	           "%s lies outside the datagram", what);
}

static void check_fields(const WireMessage *m, const uint8_t *data, size_t size)
{
	FUZZ_CHECK(strcmp(wire_type_name(m->type), "unknown") != 0, "type %d has no name", (int)m->type);
	switch (m->type) {
	case WIRE_LOAD_FAILED:
		check_string(m->u.load_failed.reason, data, size, "load-failed reason");
		break;
	case WIRE_REGISTERED:
		check_string(m->u.registered.name, data, size, "registered name");
		check_string(m->u.registered.vendor, data, size, "registered vendor");
		check_string(m->u.registered.description, data, size, "registered description");
		break;
	case WIRE_STATUS:
		FUZZ_CHECK(m->u.status.state <= 2, "status state %u", m->u.status.state);
		FUZZ_CHECK(m->u.status.percent >= -1 && m->u.status.percent <= 100,
		           "status percent %d", m->u.status.percent);
		check_string(m->u.status.text, data, size, "status text");
		break;
	case WIRE_EVENT:
		FUZZ_CHECK(m->u.event.severity <= 2, "event severity %u", m->u.event.severity);
		FUZZ_CHECK(m->u.event.n_details <= WIRE_MAX_DETAILS, "%u event details", m->u.event.n_details);
		check_string(m->u.event.text, data, size, "event text");
		for (unsigned i = 0; i < m->u.event.n_details; i++) {
			FUZZ_CHECK(m->u.event.details[i].key.len > 0, "event detail %u has an empty key", i);
			check_string(m->u.event.details[i].key, data, size, "event detail key");
			check_string(m->u.event.details[i].value, data, size, "event detail value");
		}
		break;
	case WIRE_MEMORY_FAULT:
		FUZZ_CHECK(m->u.memory_fault.kind < WIRE_FAULT_MAX_, "memory fault kind %u", m->u.memory_fault.kind);
		break;
	case WIRE_FINISHED:
		FUZZ_CHECK(m->u.finished.stage < WIRE_STAGE_MAX_, "finishing stage %u", m->u.finished.stage);
		break;
	case WIRE_START:
		check_string(m->u.start.capture_name, data, size, "start capture name");
		FUZZ_CHECK(m->u.start.n_config <= WIRE_MAX_CONFIG, "%u configuration entries", m->u.start.n_config);
		for (unsigned i = 0; i < m->u.start.n_config; i++) {
			check_string(m->u.start.config[i].key, data, size, "start configuration key");
			check_string(m->u.start.config[i].value, data, size, "start configuration value");
		}
		check_bpf(&m->u.start.filter, data, size, "start filter");
		FUZZ_CHECK(m->u.start.inject.inject < WIRE_INJECT_MAX_, "fault-injection class %u",
		           m->u.start.inject.inject);
		FUZZ_CHECK(m->u.start.inject.p <= WIRE_INJECT_P_ONE &&
		           (m->u.start.inject.p == 0 || m->u.start.inject.inject == WIRE_INJECT_ALLOC),
		           "fault-injection probability %llu", (unsigned long long)m->u.start.inject.p);
		FUZZ_CHECK((m->u.start.flags & WIRE_START_INJECT) || m->u.start.inject.inject == 0,
		           "a fault-injection plan without its flag");
		break;
	case WIRE_LOADED:
		FUZZ_CHECK(m->u.loaded.n <= WIRE_MAX_OBJECTS, "%u load addresses", m->u.loaded.n);
		break;
	case WIRE_INJECTED:
		FUZZ_CHECK(m->u.injected.inject > WIRE_INJECT_NONE && m->u.injected.inject < WIRE_INJECT_MAX_,
		           "injected fault %u", m->u.injected.inject);
		break;
	case WIRE_FILTER_REQUEST:
		check_string(m->u.filter_request.expression, data, size, "filter expression");
		break;
	case WIRE_FILTER_REPLY:
		check_string(m->u.filter_reply.error, data, size, "filter reply error");
		check_bpf(&m->u.filter_reply.program, data, size, "filter reply program");
		break;
	case WIRE_OUTPUT_OPEN:
		check_string(m->u.output_open.name, data, size, "output name");
		FUZZ_CHECK(m->u.output_open.format <= 1, "output format %u", m->u.output_open.format);
		break;
	case WIRE_OUTPUT_REPLY:
		check_string(m->u.output_reply.error, data, size, "output reply error");
		break;
	case WIRE_FAULT:
		FUZZ_CHECK(m->u.fault.signal == SIGSEGV || m->u.fault.signal == SIGBUS ||
		           m->u.fault.signal == SIGILL || m->u.fault.signal == SIGFPE,
		           "fault signal %u", m->u.fault.signal);
		FUZZ_CHECK(m->u.fault.n_bytes <= WIRE_FAULT_BYTES, "%u code bytes", m->u.fault.n_bytes);
		FUZZ_CHECK(m->u.fault.n_bytes == 0 ||
		           (m->u.fault.bytes >= data &&
		            m->u.fault.n_bytes <= size - (size_t)(m->u.fault.bytes - data)),
		           "fault code bytes lie outside the datagram");
		break;
	case WIRE_FAIL:
		check_string(m->u.fail.reason, data, size, "fail reason");
		break;
	default:
		break;
	}
}

static void fuzz_decode(const uint8_t *data, size_t size)
{
	WireMessage msg, again;
	const char *error = NULL;

	if (!wire_decode(data, size, &msg, &error)) {
		FUZZ_CHECK(error != NULL && error[0] != '\0', "a refused datagram without a reason");
		return;
	}
	/* Only the executor's START and FILTER_REPLY may exceed the usual limit. */
	size_t limit = msg.type == WIRE_START || msg.type == WIRE_FILTER_REPLY ? WIRE_MAX_LARGE : WIRE_MAX_MESSAGE;
	FUZZ_CHECK(size >= WIRE_HEADER_SIZE && size <= limit, "accepted %zu bytes of %s", size,
	           wire_type_name(msg.type));
	check_fields(&msg, data, size);

	static uint8_t buf[WIRE_MAX_LARGE];
	size_t len = reencode(&msg, buf, sizeof(buf));
	FUZZ_CHECK(len == size, "re-encodes to %zu bytes, not %zu", len, size);
	FUZZ_CHECK(memcmp(buf, data, size) == 0, "re-encodes to other bytes");

	/* Every field is needed: the header's length cannot agree with a
	 * shorter datagram. */
	for (size_t cut = 0; cut < size; cut += 1 + cut / 8) {
		error = NULL;
		FUZZ_CHECK(!wire_decode(data, cut, &again, &error), "its %zu-byte prefix is accepted too", cut);
		FUZZ_CHECK(error != NULL, "a refused prefix without a reason");
	}
}

/* Property 4. The bound comes from the first byte so the fuzzer can steer
 * it; the text is the rest, NUL-terminated as wire_put_str expects. */
static void fuzz_put_str(const uint8_t *data, size_t size)
{
	static const size_t bounds[] = { 0, 1, 2, 3, 4, 5, 7, 16, 255, WIRE_MAX_STRING, WIRE_MAX_STRING + 1, SIZE_MAX };
	char text[WIRE_MAX_STRING + 64];
	uint8_t buf[WIRE_MAX_MESSAGE];
	WireWriter w;
	WireMessage msg;
	const char *error = NULL;

	if (size == 0)
		return;
	size_t bound = bounds[data[0] % (sizeof(bounds) / sizeof(bounds[0]))];
	size_t n = size - 1 < sizeof(text) - 1 ? size - 1 : sizeof(text) - 1;
	memcpy(text, data + 1, n);
	text[n] = '\0';
	size_t sent = strlen(text);

	wire_begin(&w, buf, sizeof(buf), WIRE_LOAD_FAILED);
	wire_put_str(&w, text, bound);
	size_t len = wire_finish(&w);
	FUZZ_CHECK(len > 0, "a load-failed message with one string did not fit");
	FUZZ_CHECK(wire_decode(buf, len, &msg, &error), "wire_put_str built a message the decoder refuses: %s", error);
	WireString got = msg.u.load_failed.reason;
	FUZZ_CHECK(got.len <= bound && got.len <= WIRE_MAX_STRING, "sent %u bytes under a bound of %zu", got.len, bound);
	FUZZ_CHECK(got.len <= sent && memcmp(got.ptr, text, got.len) == 0, "what arrived is not a prefix of what was sent");
	/* Nothing valid is dropped: the character at the cut, if any, does not
	 * fit under the bound or is not valid UTF-8. A valid run of k bytes
	 * there would start with a character of at most k bytes. */
	size_t limit = bound < WIRE_MAX_STRING ? bound : WIRE_MAX_STRING;
	for (size_t k = 1; k <= 4 && got.len + k <= limit && got.len + k <= sent; k++)
		FUZZ_CHECK(!wire_utf8_valid(text + got.len, k),
		           "cut at %u of %zu bytes (bound %zu) before a valid character", got.len, sent, bound);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_decode(data, size);
	fuzz_put_str(data, size);
	return 0;
}
