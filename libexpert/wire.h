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
#define WIRE_MAX_STRING 1024       /* bytes of one string */
#define WIRE_MAX_DETAILS 16        /* key/value pairs in one event */

/* The header: version, type, total length (header included). */
#define WIRE_HEADER_SIZE 8

typedef enum {
	/* child -> executor */
	WIRE_HELLO = 1,       /* u32 api_version; carries the seccomp listener fd */
	WIRE_LOADED,          /* (empty) object loaded, lockdown filter installed */
	WIRE_LOAD_FAILED,     /* str reason */
	WIRE_REGISTERED,      /* str name, str vendor, str description, u32 version, u32 flags */
	WIRE_STATUS,          /* u8 state, i8 percent, str text */
	WIRE_EVENT,           /* u8 severity, str text, u8 n, n x (str key, str value) */
	WIRE_MEMORY_FAULT,    /* u8 kind (WireMemoryFault), u64 size, u64 offset */
	WIRE_FINISHED,        /* u8 stage (WireStage), i32 result, u64 frames_read */
	/* executor -> child */
	WIRE_TERMINATE,       /* (empty) clean up and return */
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
	} u;
} WireMessage;

/* Decodes one received datagram. Returns true and fills *msg (whose strings
 * point into buf), or false with a static description of what was wrong. */
bool wire_decode(const void *buf, size_t len, WireMessage *msg, const char **error);

const char *wire_type_name(WireType type);

/* Building a message: begin, put fields in order, finish. The writer never
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
size_t wire_finish(WireWriter *w);

/* True if [s, s+len) is valid UTF-8 without NUL bytes. */
bool wire_utf8_valid(const char *s, size_t len);

#endif /* EXPERT_WIRE_H */
