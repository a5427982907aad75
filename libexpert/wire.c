/* wire.c — encoding and validating decoding of channel messages (wire.h).
 *
 * Integers are little-endian and fixed-width; strings are a u16 length and
 * that many bytes. The decoder trusts nothing: each read is bounds-checked,
 * each string validated, each enum range-checked, and a message must be
 * consumed exactly. */
#include "wire.h"

#include <signal.h>
#include <string.h>

/* ---- writing ------------------------------------------------------------ */

static void put_bytes(WireWriter *w, const void *p, size_t n)
{
	if (w->failed || n > w->cap - w->len) {
		w->failed = true;
		return;
	}
	if (n == 0)
		return; /* p may be NULL then, which memcpy must not see */
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void put_le(WireWriter *w, uint64_t v, size_t width)
{
	uint8_t b[8];
	for (size_t i = 0; i < width; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	put_bytes(w, b, width);
}

void wire_begin(WireWriter *w, uint8_t *buf, size_t cap, WireType type)
{
	size_t limit = (type == WIRE_START || type == WIRE_FILTER_REPLY) ? WIRE_MAX_LARGE
	                                                                 : WIRE_MAX_MESSAGE;
	w->buf = buf;
	w->cap = cap < limit ? cap : limit;
	w->len = 0;
	w->failed = false;
	put_le(w, WIRE_VERSION, 2);
	put_le(w, (uint16_t)type, 2);
	put_le(w, 0, 4); /* length, patched by wire_finish */
}

void wire_put_u8(WireWriter *w, uint8_t v) { put_le(w, v, 1); }
void wire_put_u32(WireWriter *w, uint32_t v) { put_le(w, v, 4); }
void wire_put_u64(WireWriter *w, uint64_t v) { put_le(w, v, 8); }

/* Length of the longest prefix of s, at most max bytes, that ends on a
 * character boundary; stops at an invalid sequence so the rest is dropped
 * rather than sent as garbage. */
static size_t utf8_prefix(const char *s, size_t max)
{
	size_t i = 0;
	while (i < max && s[i]) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
			 : (c & 0xF8) == 0xF0 ? 4 : 0;
		if (n == 0 || i + n > max || !wire_utf8_valid(s + i, n))
			break;
		i += n;
	}
	return i;
}

void wire_put_str(WireWriter *w, const char *s, size_t max)
{
	if (max > WIRE_MAX_STRING)
		max = WIRE_MAX_STRING;
	size_t n = s ? utf8_prefix(s, max) : 0;
	put_le(w, n, 2);
	put_bytes(w, s, n);
}

void wire_put_bytes(WireWriter *w, const void *p, uint8_t n)
{
	put_le(w, n, 1);
	put_bytes(w, p, n);
}

void wire_put_bpf(WireWriter *w, const void *insns, uint32_t n)
{
	if (n > WIRE_MAX_BPF) {
		w->failed = true;
		return;
	}
	put_le(w, n, 4);
	const uint8_t *p = insns;
	for (uint32_t i = 0; i < n; i++, p += 8) {
		uint16_t code;
		uint32_t k;
		memcpy(&code, p, 2);
		memcpy(&k, p + 4, 4);
		put_le(w, code, 2);
		put_le(w, p[2], 1);
		put_le(w, p[3], 1);
		put_le(w, k, 4);
	}
}

void wire_bpf_insn(const WireBpf *bpf, uint32_t i, uint16_t *code, uint8_t *jt, uint8_t *jf,
                   uint32_t *k)
{
	const uint8_t *p = bpf->insns + (size_t)i * 8;
	*code = (uint16_t)(p[0] | p[1] << 8);
	*jt = p[2];
	*jf = p[3];
	*k = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
}

size_t wire_finish(WireWriter *w)
{
	if (w->failed || w->len < WIRE_HEADER_SIZE)
		return 0;
	for (size_t i = 0; i < 4; i++)
		w->buf[4 + i] = (uint8_t)(w->len >> (8 * i));
	return w->len;
}

/* splitmix64's finaliser: every bit of the input reaches every bit of the
 * output, so consecutive n draw independently. */
static uint64_t mix(uint64_t z)
{
	z += UINT64_C(0x9e3779b97f4a7c15);
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

bool wire_inject_draw(uint64_t seed, uint64_t n, uint64_t p)
{
	return (mix(seed ^ mix(n)) >> 32) < p;
}

/* ---- reading ------------------------------------------------------------ */

typedef struct {
	const uint8_t *p;
	size_t len, pos;
	const char *error;
} Reader;

static bool get_le(Reader *r, size_t width, uint64_t *out)
{
	if (r->error)
		return false;
	if (width > r->len - r->pos) {
		r->error = "message ends inside a field";
		return false;
	}
	uint64_t v = 0;
	for (size_t i = 0; i < width; i++)
		v |= (uint64_t)r->p[r->pos + i] << (8 * i);
	r->pos += width;
	*out = v;
	return true;
}

static uint8_t get_u8(Reader *r) { uint64_t v = 0; get_le(r, 1, &v); return (uint8_t)v; }
static uint32_t get_u32(Reader *r) { uint64_t v = 0; get_le(r, 4, &v); return (uint32_t)v; }
static uint64_t get_u64(Reader *r) { uint64_t v = 0; get_le(r, 8, &v); return v; }

static WireString get_str(Reader *r)
{
	WireString s = { "", 0 };
	uint64_t n;
	if (!get_le(r, 2, &n))
		return s;
	if (n > WIRE_MAX_STRING) {
		r->error = "string longer than the wire limit";
		return s;
	}
	if (n > r->len - r->pos) {
		r->error = "string runs past the end of the message";
		return s;
	}
	const char *p = (const char *)r->p + r->pos;
	if (!wire_utf8_valid(p, n)) {
		r->error = "string is not valid UTF-8 or contains NUL";
		return s;
	}
	r->pos += n;
	s.ptr = p;
	s.len = (uint16_t)n;
	return s;
}

bool wire_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned char c = p[i];
		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n;
		uint32_t cp;
		if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; }
		else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; }
		else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; }
		else return false;
		if (n > len - i)
			return false;
		for (size_t k = 1; k < n; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		/* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return false;
		i += n;
	}
	return true;
}

static const uint8_t *get_bytes(Reader *r, uint8_t *n, size_t max)
{
	uint64_t len;
	*n = 0;
	if (!get_le(r, 1, &len))
		return NULL;
	if (len > max) {
		r->error = "more code bytes than the wire limit";
		return NULL;
	}
	if (len > r->len - r->pos) {
		r->error = "code bytes run past the end of the message";
		return NULL;
	}
	const uint8_t *p = r->p + r->pos;
	r->pos += len;
	*n = (uint8_t)len;
	return p;
}

/* The signals the runtime's handler catches: the faults of an instruction. */
static bool fault_signal(unsigned sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE;
}

static WireBpf get_bpf(Reader *r)
{
	WireBpf bpf = { 0, NULL };
	uint64_t n;
	if (!get_le(r, 4, &n))
		return bpf;
	if (n > WIRE_MAX_BPF) {
		r->error = "filter program longer than the wire limit";
		return bpf;
	}
	if (n * 8 > r->len - r->pos) {
		r->error = "filter program runs past the end of the message";
		return bpf;
	}
	bpf.n_insns = (uint32_t)n;
	bpf.insns = r->p + r->pos;
	r->pos += n * 8;
	return bpf;
}

bool wire_decode(const void *buf, size_t len, WireMessage *msg, const char **error)
{
	Reader r = { buf, len, 0, NULL };
	memset(msg, 0, sizeof(*msg));

	if (len > WIRE_MAX_LARGE) {
		*error = "message larger than the wire limit";
		return false;
	}
	uint64_t version = 0, type = 0, length = 0;
	get_le(&r, 2, &version);
	get_le(&r, 2, &type);
	get_le(&r, 4, &length);
	if (r.error) {
		*error = "message shorter than its header";
		return false;
	}
	if (version != WIRE_VERSION) {
		*error = "unknown wire version";
		return false;
	}
	if (length != len) {
		*error = "header length does not match the datagram";
		return false;
	}
	msg->type = (WireType)type;
	if (len > WIRE_MAX_MESSAGE && type != WIRE_START && type != WIRE_FILTER_REPLY) {
		*error = "message larger than the wire limit";
		return false;
	}

	switch (type) {
	case WIRE_HELLO:
		msg->u.hello.api_version = get_u32(&r);
		break;
	case WIRE_LOADED:
		msg->u.loaded.n = get_u8(&r);
		if (!r.error && msg->u.loaded.n > WIRE_MAX_OBJECTS)
			r.error = "more load addresses than the wire limit";
		for (unsigned i = 0; !r.error && i < msg->u.loaded.n; i++)
			msg->u.loaded.base[i] = get_u64(&r);
		break;
	case WIRE_TERMINATE:
		break;
	case WIRE_LOAD_FAILED:
		msg->u.load_failed.reason = get_str(&r);
		break;
	case WIRE_REGISTERED:
		msg->u.registered.name = get_str(&r);
		msg->u.registered.vendor = get_str(&r);
		msg->u.registered.description = get_str(&r);
		msg->u.registered.version = get_u32(&r);
		msg->u.registered.flags = get_u32(&r);
		break;
	case WIRE_STATUS:
		msg->u.status.state = get_u8(&r);
		msg->u.status.percent = (int8_t)get_u8(&r);
		msg->u.status.text = get_str(&r);
		if (!r.error && msg->u.status.state > 2)
			r.error = "unknown status state";
		if (!r.error && (msg->u.status.percent < -1 || msg->u.status.percent > 100))
			r.error = "percent done out of range";
		break;
	case WIRE_EVENT:
		msg->u.event.severity = get_u8(&r);
		msg->u.event.text = get_str(&r);
		msg->u.event.n_details = get_u8(&r);
		if (!r.error && msg->u.event.severity > 2)
			r.error = "unknown event severity";
		if (!r.error && msg->u.event.n_details > WIRE_MAX_DETAILS)
			r.error = "too many event details";
		for (unsigned i = 0; !r.error && i < msg->u.event.n_details; i++) {
			msg->u.event.details[i].key = get_str(&r);
			msg->u.event.details[i].value = get_str(&r);
			if (!r.error && msg->u.event.details[i].key.len == 0)
				r.error = "empty event detail key";
		}
		break;
	case WIRE_MEMORY_FAULT:
		msg->u.memory_fault.kind = get_u8(&r);
		msg->u.memory_fault.size = get_u64(&r);
		msg->u.memory_fault.offset = get_u64(&r);
		if (!r.error && msg->u.memory_fault.kind >= WIRE_FAULT_MAX_)
			r.error = "unknown memory fault kind";
		break;
	case WIRE_FINISHED:
		msg->u.finished.stage = get_u8(&r);
		msg->u.finished.result = (int32_t)get_u32(&r);
		msg->u.finished.frames_read = get_u64(&r);
		if (!r.error && msg->u.finished.stage >= WIRE_STAGE_MAX_)
			r.error = "unknown finishing stage";
		break;
	case WIRE_START:
		msg->u.start.flags = get_u8(&r);
		msg->u.start.capture_name = get_str(&r);
		msg->u.start.selected_frame = get_u64(&r);
		msg->u.start.n_config = get_u8(&r);
		if (!r.error && msg->u.start.n_config > WIRE_MAX_CONFIG)
			r.error = "too many configuration entries";
		for (unsigned i = 0; !r.error && i < msg->u.start.n_config; i++) {
			msg->u.start.config[i].key = get_str(&r);
			msg->u.start.config[i].value = get_str(&r);
		}
		msg->u.start.filter = get_bpf(&r);
		if (!r.error && (msg->u.start.flags & WIRE_START_INJECT)) {
			WireInjectPlan *plan = &msg->u.start.inject;
			plan->inject = get_u8(&r);
			plan->n = get_u64(&r);
			plan->p = get_u64(&r);
			plan->seed = get_u64(&r);
			if (!r.error && plan->inject >= WIRE_INJECT_MAX_)
				r.error = "unknown fault-injection class";
			if (!r.error && (plan->p > WIRE_INJECT_P_ONE ||
			                 (plan->p && plan->inject != WIRE_INJECT_ALLOC)))
				r.error = "fault-injection probability out of range";
		}
		break;
	case WIRE_FILTER_REQUEST:
		msg->u.filter_request.expression = get_str(&r);
		break;
	case WIRE_FILTER_REPLY:
		msg->u.filter_reply.error = get_str(&r);
		msg->u.filter_reply.program = get_bpf(&r);
		break;
	case WIRE_OUTPUT_OPEN:
		msg->u.output_open.name = get_str(&r);
		msg->u.output_open.format = get_u8(&r);
		if (!r.error && msg->u.output_open.format > 1)
			r.error = "unknown output format";
		break;
	case WIRE_OUTPUT_REPLY:
		msg->u.output_reply.error = get_str(&r);
		msg->u.output_reply.output_id = get_u32(&r);
		break;
	case WIRE_OUTPUT_CLOSE:
		msg->u.output_close.output_id = get_u32(&r);
		msg->u.output_close.frames = get_u64(&r);
		break;
	case WIRE_FAULT:
		msg->u.fault.signal = get_u8(&r);
		msg->u.fault.si_code = (int32_t)get_u32(&r);
		msg->u.fault.address = get_u64(&r);
		msg->u.fault.ip = get_u64(&r);
		msg->u.fault.bytes = get_bytes(&r, &msg->u.fault.n_bytes, WIRE_FAULT_BYTES);
		if (!r.error && !fault_signal(msg->u.fault.signal))
			r.error = "fault signal is not SIGSEGV, SIGBUS, SIGILL or SIGFPE";
		break;
	case WIRE_FAIL:
		msg->u.fail.reason = get_str(&r);
		break;
	case WIRE_INJECTED:
		msg->u.injected.inject = get_u8(&r);
		msg->u.injected.api_calls = get_u64(&r);
		msg->u.injected.allocations = get_u64(&r);
		if (!r.error && (msg->u.injected.inject == WIRE_INJECT_NONE ||
		                 msg->u.injected.inject >= WIRE_INJECT_MAX_))
			r.error = "unknown injected fault";
		break;
	case WIRE_CALLS:
		msg->u.calls.api_calls = get_u64(&r);
		msg->u.calls.allocations = get_u64(&r);
		break;
	default:
		*error = "unknown message type";
		return false;
	}
	if (!r.error && r.pos != r.len)
		r.error = "trailing bytes after the message";
	if (r.error) {
		*error = r.error;
		return false;
	}
	return true;
}

const char *wire_type_name(WireType type)
{
	static const char *const names[] = {
		[WIRE_HELLO] = "hello",
		[WIRE_LOADED] = "loaded",
		[WIRE_LOAD_FAILED] = "load-failed",
		[WIRE_REGISTERED] = "registered",
		[WIRE_STATUS] = "status",
		[WIRE_EVENT] = "event",
		[WIRE_MEMORY_FAULT] = "memory-fault",
		[WIRE_FINISHED] = "finished",
		[WIRE_TERMINATE] = "terminate",
		[WIRE_START] = "start",
		[WIRE_FILTER_REQUEST] = "filter-request",
		[WIRE_FILTER_REPLY] = "filter-reply",
		[WIRE_OUTPUT_OPEN] = "output-open",
		[WIRE_OUTPUT_REPLY] = "output-reply",
		[WIRE_OUTPUT_CLOSE] = "output-close",
		[WIRE_FAULT] = "fault",
		[WIRE_FAIL] = "fail",
		[WIRE_INJECTED] = "injected",
		[WIRE_CALLS] = "calls",
	};
	if ((unsigned)type < WIRE_TYPE_MAX_ && names[type])
		return names[type];
	return "unknown";
}
