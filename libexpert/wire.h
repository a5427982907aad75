/* wire.h — the one wire format of the channel between a job's child and the
 * executor: a SOCK_SEQPACKET socket pair, one datagram per message.
 *
 * Every message is a header followed by a body of fixed-width little-endian
 * integers and length-prefixed UTF-8 strings, in the order given below. Both
 * sides use this codec; the executor decodes everything the child sends as
 * hostile input: exact lengths, known types, bounded and valid strings, no
 * trailing bytes. Any failure is a protocol violation.
 */
#ifndef EXPERT_WIRE_H
#define EXPERT_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WIRE_VERSION 1
#define WIRE_MAX_MESSAGE 4096      /* bytes; larger datagrams are a violation */
/* START and FILTER_REPLY (executor -> child only) carry BPF programs and the
 * configuration, so they may be larger. */
#define WIRE_MAX_LARGE 65536
#define WIRE_MAX_CONFIG 64         /* key/value pairs in START */
#define WIRE_MAX_BPF 4096          /* instructions of a frame filter (BPF_MAXINSNS) */
#define WIRE_MAX_STRING 1024       /* bytes of one string */
#define WIRE_MAX_DETAILS 16        /* key/value pairs in one event */
#define WIRE_FAULT_BYTES 16        /* bytes of code at a faulting instruction, at most */
#define WIRE_MAX_OBJECTS 32        /* load addresses in LOADED */

/* The header: version, type, total length (header included). */
#define WIRE_HEADER_SIZE 8

typedef enum {
	/* child -> executor */
	WIRE_HELLO = 1,       /* u32 api_version; carries the seccomp listener fd */
	/* u8 n, n x u64 load address: the object is loaded, the lockdown
	 * filter installed. The addresses are where the loader put each object
	 * loaded from the executor's descriptors (link_map l_addr: the needed
	 * libraries in the order passed, the expert's object last), so that a
	 * FAULT's instruction pointer can be named as a function of one of
	 * them; the executor holds them as the child's claim, like FAULT. */
	WIRE_LOADED,
	WIRE_LOAD_FAILED,     /* str reason */
	WIRE_REGISTERED,      /* str name, str vendor, str description, u32 version, u32 flags */
	WIRE_STATUS,          /* u8 state, i8 percent, str text */
	WIRE_EVENT,           /* u8 severity, str text, u8 n, n x (str key, str value) */
	WIRE_MEMORY_FAULT,    /* u8 kind (WireMemoryFault), u64 size, u64 offset */
	WIRE_FINISHED,        /* u8 stage (WireStage), i32 result, u64 frames_read */
	/* executor -> child */
	WIRE_TERMINATE,       /* (empty) clean up and return */
	/* executor -> child, the first message of every job: u8 flags
	 * (WIRE_START_*), str capture_name, u64 selected_frame, u8 n,
	 * n x (str key, str value), then a BPF program (see below) for the
	 * run's frame filter, with zero instructions for none, then, with
	 * WIRE_START_INJECT only, a fault-injection plan (below) */
	WIRE_START,
	/* child -> executor: str expression (libpcap filter syntax) */
	WIRE_FILTER_REQUEST,
	/* executor -> child: str error (empty on success), then a BPF program */
	WIRE_FILTER_REPLY,
	/* child -> executor: str name, u8 format (ExpertOutputFormat) */
	WIRE_OUTPUT_OPEN,
	/* executor -> child: str error (empty on success), u32 output id;
	 * the file's descriptor attached on success */
	WIRE_OUTPUT_REPLY,
	/* child -> executor: u32 output id, u64 frames written */
	WIRE_OUTPUT_CLOSE,
	/* child -> executor, from the runtime's handler of a fault signal, as
	 * the child's last word: u8 signal (SIGSEGV, SIGBUS, SIGILL or SIGFPE),
	 * u32 si_code (signed), u64 si_addr, u64 instruction pointer (from the
	 * ucontext), u8 n, then the n <= WIRE_FAULT_BYTES bytes of code at that
	 * pointer (none if they were not readable). Sent at most once, at any
	 * point after HELLO; nothing may follow it. The executor holds it as
	 * the child's claim, never as a fact: the death itself is the kernel's
	 * wait status. Added after version 1 without a version change: an
	 * executor that knows it accepts children that never send it. */
	WIRE_FAULT,
	/* child -> executor, from expert_fail(): str reason, the expert's own
	 * words on why it refuses a setting or cannot go on (at most
	 * EXPERT_TEXT_MAX bytes). At most once, while registered (configure
	 * and run); a second one is a protocol violation. The executor shows
	 * it escaped and marked as the expert's word. Added after version 1,
	 * as FAULT was. */
	WIRE_FAIL,
	/* child -> executor, from the runtime, in a job whose START carried a
	 * fault-injection plan (WIRE_START_INJECT): the runtime made the fault
	 * the plan asks of it. u8 class (WireInject: alloc, terminate or kill),
	 * u64 api_calls and u64 allocations, the expert's API calls and
	 * allocations counted so far (expert.h, "API calls"), this one
	 * included. For kill, the runtime then waits for the executor's
	 * SIGKILL. At most WIRE_INJECTED_MAX are sent, while registered. */
	WIRE_INJECTED,
	/* child -> executor, from the runtime, just before FINISHED of
	 * configure or run in a job with a fault-injection plan: u64
	 * api_calls, u64 allocations, the counts of the whole job. At most
	 * once. Both are the child's claims: they only size a fault-injection
	 * campaign, which exists to test honest experts. */
	WIRE_CALLS,
	WIRE_TYPE_MAX_,
} WireType;

typedef enum {
	WIRE_FAULT_QUOTA = 0,          /* an allocation was refused: quota reached */
	WIRE_FAULT_INVALID_POINTER,    /* free/realloc/size of a pointer that is no live block */
	WIRE_FAULT_CORRUPTION,         /* the region's allocator metadata was overwritten */
	WIRE_FAULT_MAX_,
} WireMemoryFault;

typedef enum {
	WIRE_STAGE_REGISTER = 0,  /* register refused: result is 0 */
	WIRE_STAGE_CONFIGURE,     /* configure failed: result is its ExpertError */
	WIRE_STAGE_RUN,           /* run returned: result is its return value */
	WIRE_STAGE_MAX_,
} WireStage;

/* A string inside a received buffer: not NUL-terminated, valid UTF-8, no NUL. */
typedef struct {
	const char *ptr;
	uint16_t len;
} WireString;

typedef struct {
	WireString key, value;
} WireDetail;

#define WIRE_START_REGISTER_ONLY (1u << 0) /* `expert-exec list`: stop after register */
/* The job may create no output captures (its profile grants none, or no
 * --output-dir): an expert that registers EXPERT_FLAG_WRITES_OUTPUT is
 * refused before configure and run, and the runtime stops there. The
 * executor refuses it all the same (jobs/job-channel.c); this only spares an
 * honest expert the start of a run it cannot finish. */
#define WIRE_START_NO_OUTPUTS (1u << 1)
/* A fault-injection plan follows the frame filter: u8 class (WireInject),
 * u64 n, u64 p, u64 seed (see WireInjectPlan). The runtime counts the
 * expert's API calls and allocations, makes the fault the plan names, says
 * so (INJECTED) and sends the counts before FINISHED (CALLS). Faults the
 * executor makes itself (a refused filter or output, a write failing, the
 * capture cut short) come with class WIRE_INJECT_NONE: counting only. */
#define WIRE_START_INJECT (1u << 2)

/* The faults the child's runtime makes: the allocator and the count of API
 * calls are the child's, so the plan is the executor's and the runtime
 * carries it out. A child that ignores it gains nothing: injection exists
 * to test honest experts, and every outcome is still the executor's. */
typedef enum {
	WIRE_INJECT_NONE = 0,   /* count API calls and allocations only */
	WIRE_INJECT_ALLOC,      /* allocation n refused (or each with probability p) */
	WIRE_INJECT_TERMINATE,  /* EXPERT_ERR_TERMINATE from API call n on */
	WIRE_INJECT_KILL,       /* stop after API call n for the executor's SIGKILL */
	WIRE_INJECT_MAX_,
} WireInject;

/* p is a probability scaled by 2^32 (0 to 2^32, so 1 is certain): each
 * allocation n is refused when wire_inject_draw(seed, n, p). With p = 0,
 * n names the one call (1 for the first). */
#define WIRE_INJECT_P_ONE (UINT64_C(1) << 32)
typedef struct {
	uint8_t inject;       /* WireInject */
	uint64_t n;
	uint64_t p;
	uint64_t seed;
} WireInjectPlan;

/* Whether allocation n (1 for the first) is refused under seed and p: a
 * pure function of the three, so both sides compute the same answer, and a
 * run replays exactly from its seed. */
bool wire_inject_draw(uint64_t seed, uint64_t n, uint64_t p);

#define WIRE_INJECTED_MAX 32

/* A BPF program on the wire: u32 n, then n x (u16 code, u8 jt, u8 jf, u32 k),
 * the layout of struct bpf_insn. insns points into the received buffer. */
typedef struct {
	uint32_t n_insns;
	const uint8_t *insns; /* 8 bytes each, little-endian fields */
} WireBpf;

typedef struct {
	WireType type;
	union {
		struct { uint32_t api_version; } hello;
		struct { WireString reason; } load_failed;
		struct {
			WireString name, vendor, description;
			uint32_t version, flags;
		} registered;
		struct { uint8_t state; int8_t percent; WireString text; } status;
		struct {
			uint8_t severity;
			WireString text;
			uint8_t n_details;
			WireDetail details[WIRE_MAX_DETAILS];
		} event;
		struct { uint8_t kind; uint64_t size, offset; } memory_fault;
		struct { uint8_t stage; int32_t result; uint64_t frames_read; } finished;
		struct {
			uint8_t flags;
			WireString capture_name;
			uint64_t selected_frame;
			uint8_t n_config;
			WireDetail config[WIRE_MAX_CONFIG];
			WireBpf filter;
			WireInjectPlan inject; /* with WIRE_START_INJECT, else zero */
		} start;
		struct { WireString expression; } filter_request;
		struct { WireString error; WireBpf program; } filter_reply;
		struct { WireString name; uint8_t format; } output_open;
		struct { WireString error; uint32_t output_id; } output_reply;
		struct { uint32_t output_id; uint64_t frames; } output_close;
		struct {
			uint8_t signal;
			int32_t si_code;
			uint64_t address, ip;
			uint8_t n_bytes;
			const uint8_t *bytes;  /* into the received buffer */
		} fault;
		struct { WireString reason; } fail;
		struct { uint8_t n; uint64_t base[WIRE_MAX_OBJECTS]; } loaded;
		struct { uint8_t inject; uint64_t api_calls, allocations; } injected;
		struct { uint64_t api_calls, allocations; } calls;
	} u;
} WireMessage;

/* Decodes one received datagram. Returns true and fills *msg (whose strings
 * point into buf), or false with a static description of what was wrong. */
bool wire_decode(const void *buf, size_t len, WireMessage *msg, const char **error);

const char *wire_type_name(WireType type);

/* Building a message: begin, put fields in order, finish. START and
 * FILTER_REPLY may use up to WIRE_MAX_LARGE bytes, all others
 * WIRE_MAX_MESSAGE. The writer never
 * allocates (the child's runtime uses it on the stack) and never writes past
 * cap; an overflow or an invalid string makes wire_finish return 0. */
typedef struct {
	uint8_t *buf;
	size_t cap, len;
	bool failed;
} WireWriter;

void wire_begin(WireWriter *w, uint8_t *buf, size_t cap, WireType type);
void wire_put_u8(WireWriter *w, uint8_t v);
void wire_put_u32(WireWriter *w, uint32_t v);
void wire_put_u64(WireWriter *w, uint64_t v);
/* NULL is sent as the empty string; text longer than max is cut at a UTF-8
 * character boundary so the receiver always gets valid text. */
void wire_put_str(WireWriter *w, const char *s, size_t max);
/* u8 n, then n raw bytes (FAULT's code bytes). */
void wire_put_bytes(WireWriter *w, const void *p, uint8_t n);
/* n instructions of struct bpf_insn layout (8 bytes each, host order in
 * memory: u16 code, u8 jt, u8 jf, u32 k). */
void wire_put_bpf(WireWriter *w, const void *insns, uint32_t n);
/* Reads instruction i of a received program into code/jt/jf/k. */
void wire_bpf_insn(const WireBpf *bpf, uint32_t i, uint16_t *code, uint8_t *jt, uint8_t *jf,
                   uint32_t *k);
size_t wire_finish(WireWriter *w);

/* True if [s, s+len) is valid UTF-8 without NUL bytes. */
bool wire_utf8_valid(const char *s, size_t len);

#endif /* EXPERT_WIRE_H */
