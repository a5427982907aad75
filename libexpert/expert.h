/* expert.h — the whole API an expert is written against.
 *
 * An expert is a shared object that analyses a packet capture. It follows the
 * Network Monitor 2.x Expert API: three entry points (register, configure, run),
 * memory only through the host (ExpertAllocMemory & co.), frames from the host
 * (ExpertGetFrame), progress (ExpertIndicateStatus) and findings
 * (ExpertSubmitEvent).
 *
 * The host, `expert-exec`, runs each expert in its own forked child under a
 * seccomp filter. Everything below works inside that sandbox: memory comes from
 * the job's region of the executor's shared pool, frames are read in place from
 * a read-only mapping of the capture, and status and events travel to the
 * executor over the job's channel. If the expert crashes, is killed or runs out
 * of time, the executor reclaims all of it; the expert need not clean up after a
 * failure. On success, freeing what it allocated is good manners but not needed.
 *
 * Build against it with `pkg-config --cflags --libs libexpert`.
 */
#ifndef EXPERT_H
#define EXPERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EXPERT_API_VERSION 1

/* Every call returns one of these; EXPERT_OK is zero. */
typedef enum {
	EXPERT_OK = 0,
	EXPERT_ERR_NO_MEMORY,       /* the job's memory quota is reached; nothing changed */
	EXPERT_ERR_INVALID_POINTER, /* not a live block of this expert: reported, not obeyed */
	EXPERT_ERR_INVALID_ARGUMENT,/* NULL out-pointer, bad enum, text too long, ... */
	EXPERT_ERR_OVERFLOW,        /* the size asked for cannot be represented */
	EXPERT_ERR_END_OF_CAPTURE,  /* no further frame */
	EXPERT_ERR_TERMINATE,       /* the host asks the expert to clean up and return now */
	EXPERT_ERR_HOST,            /* the host cannot be reached; return now */
	EXPERT_ERR_FAILED,          /* the expert gave up; expert_fail() said why */
	EXPERT_ERR_WRITE,           /* an output capture could not be written (disk full, ...) */
} ExpertError;

/* A short English name for an error code ("no memory", ...), never NULL. */
const char *expert_error_name(ExpertError error);

/* API calls. `expert-exec run --inject` and `stress --inject` inject the
 * faults this API may return (an allocation refused, EXPERT_ERR_TERMINATE,
 * a filter or an output refused, a write failing, the capture ending
 * early), each at a numbered point, so that an author sees what their
 * expert does with each, replayably. The numbers count:
 *
 *   - an API call: one call, by the expert's own code, of a function of
 *     this header that takes an ExpertKey (expert_config_get and
 *     expert_fail included), whatever its arguments and whatever it
 *     returns, numbered 1, 2, ... in the order made, from the first call of
 *     configure (or of run, for an expert without configure). What
 *     libexpert does inside a call (the buffer expert_create_output
 *     allocates, the memory of a filter) is part of that call, never a call
 *     of its own. expert_error_name and expert_output_name_valid take no
 *     key and are not API calls;
 *   - an allocation: an API call of expert_alloc_memory, or of
 *     expert_realloc_memory to a size other than 0, that reaches the
 *     allocator (its arguments valid, no TERMINATE pending).
 *
 * EXPERT_ERR_TERMINATE from call N on is the executor's TERMINATE arriving
 * just before call N: that call, and every later one, returns it where it
 * can: expert_alloc_memory, expert_realloc_memory (to a size other than 0),
 * expert_get_next_frame, expert_get_frame, expert_compile_filter,
 * expert_create_output, expert_indicate_status and expert_submit_event.
 * Freeing, closing outputs, expert_fail and the rest go on working, so
 * that the expert can clean up and return. */

/* The host's handle for this run (HEXPERTKEY). Pass it to every call. */
typedef struct ExpertKey ExpertKey;

/* ---------------------------------------------------------------------------
 * Entry points the expert exports (by these exact names, with C linkage).
 * ------------------------------------------------------------------------- */

#define EXPERT_NAME_MAX        64
#define EXPERT_VENDOR_MAX      64
#define EXPERT_DESCRIPTION_MAX 256

/* Bits of ExpertInfo.flags. */
#define EXPERT_FLAG_CONFIGURABLE  (1u << 0) /* exports expert_configure */
#define EXPERT_FLAG_WRITES_OUTPUT (1u << 1) /* asks the host for output captures */

#define EXPERT_VERSION(major, minor) (((uint32_t)(major) << 16) | (uint16_t)(minor))

typedef struct {
	char name[EXPERT_NAME_MAX];               /* NUL-terminated UTF-8 */
	char vendor[EXPERT_VENDOR_MAX];
	char description[EXPERT_DESCRIPTION_MAX];
	uint32_t version;                          /* EXPERT_VERSION(major, minor) */
	uint32_t flags;                            /* EXPERT_FLAG_* */
} ExpertInfo;

/* Register: fill in *info (it arrives zeroed). Return false to refuse to run. */
typedef bool (*ExpertRegisterFunc)(ExpertInfo *info);
#define EXPERT_REGISTER_SYMBOL "expert_register"

/* Configure (optional): read settings with expert_config_get() and prepare.
 * Return EXPERT_OK, or an error to stop before run. */
typedef ExpertError (*ExpertConfigureFunc)(ExpertKey *key);
#define EXPERT_CONFIGURE_SYMBOL "expert_configure"

/* Run: walk the frames and report. Return 0 for success; any other value is the
 * expert's own failure code and is shown to the user as such. */
typedef int (*ExpertRunFunc)(ExpertKey *key);
#define EXPERT_RUN_SYMBOL "expert_run"

/* The entry points, declared here so an expert's definitions are checked
 * against them and exported even when built with -fvisibility=hidden. */
#define EXPERT_EXPORT __attribute__((visibility("default")))
EXPERT_EXPORT bool expert_register(ExpertInfo *info);
EXPERT_EXPORT ExpertError expert_configure(ExpertKey *key);
EXPERT_EXPORT int expert_run(ExpertKey *key);

/* A setting given for this expert on the host's command line, or NULL. */
const char *expert_config_get(ExpertKey *key, const char *name);

/* Says why the expert cannot go on, in its own words, naming what it
 * refuses: "top: not a number: abc". For configure (a setting it rejects)
 * and run (something it cannot do). The executor shows the text as the
 * outcome's detail, in text and JSON, marked as the expert's own words and
 * escaped: at most EXPERT_TEXT_MAX bytes of UTF-8 are sent (longer text is
 * cut at a character boundary). Only the first call of a run is sent.
 * Returns EXPERT_ERR_FAILED, so configure ends with
 *     return expert_fail(key, "by: expected bytes or frames, not \"x\"");
 * and run with a non-zero return value. */
ExpertError expert_fail(ExpertKey *key, const char *reason);

/* ---------------------------------------------------------------------------
 * Memory: the only way an expert gets memory that counts against its quota.
 * Blocks are 16-byte aligned. The semantics are C's realloc/free: realloc of
 * NULL allocates, realloc to size 0 frees (and sets *out to NULL), freeing NULL
 * does nothing. A pointer that is not a live block of this expert (never
 * allocated, already freed, inside a block) is reported to the host and
 * refused with EXPERT_ERR_INVALID_POINTER; the block is left as it was.
 * ------------------------------------------------------------------------- */

ExpertError expert_alloc_memory(ExpertKey *key, size_t size, void **out);
ExpertError expert_realloc_memory(ExpertKey *key, void *block, size_t size, void **out);
ExpertError expert_free_memory(ExpertKey *key, void *block);
/* The usable size of a live block (at least what was asked), or 0. */
size_t expert_memory_size(ExpertKey *key, const void *block);

/* ---------------------------------------------------------------------------
 * Frames: read in place, valid until the run ends. Never write to them.
 *
 * The job's "frames read" (the report's frames column, frames_read in
 * --json) is the number of frames expert_get_next_frame delivered: how far
 * the expert got through the capture, each frame at most once (with
 * `run --filter`, the frames that passed it). Frames fetched with
 * expert_get_frame are look-ups, not reads, and are not counted: a frame
 * fetched again by number (as Protocol Coalesce fetches the fragments of a
 * datagram it gives up on) does not count twice, and frames_read never
 * exceeds the capture's frame count.
 * ------------------------------------------------------------------------- */

typedef struct {
	uint64_t number;      /* 1 for the first frame of the capture, as tshark counts */
	int64_t ts_sec;       /* capture time, seconds since the epoch ... */
	uint32_t ts_nsec;     /* ... and nanoseconds */
	uint32_t link_type;   /* LINKTYPE_* of this frame (1 = Ethernet, 113 = Linux SLL) */
	uint32_t orig_len;    /* length on the wire */
	uint32_t cap_len;     /* bytes captured, in data[] */
	const uint8_t *data;
} ExpertFrame;

/* Startup information (the original's EXPERTSTARTUPINFO). */
typedef struct {
	const char *file_name;   /* the capture's file name, without directories */
	uint64_t frame_count;    /* frames loaded */
	uint32_t link_type;      /* of the first frame */
	bool partial;            /* the capture was cut short (truncated or malformed) */
	int64_t start_sec;       /* time of the first frame (0 if there is none) */
	uint32_t start_nsec;
	uint64_t selected_frame; /* the frame the user selected (--select), or 0 */
} ExpertCaptureInfo;

ExpertError expert_get_capture_info(ExpertKey *key, ExpertCaptureInfo *info);

/* A compiled frame filter, in libpcap's filter syntax ("tcp port 80"). The
 * executor compiles it once for the capture's link type (that of the first
 * frame; in a pcapng with several interfaces, frames of another link type
 * never match); frames are then matched inside the child without any
 * syscall. Its memory counts against the quota. */
typedef struct ExpertFilter ExpertFilter;

/* EXPERT_ERR_INVALID_ARGUMENT if the expression does not compile; the
 * executor's message is then in the status text of the report. */
ExpertError expert_compile_filter(ExpertKey *key, const char *expression, ExpertFilter **filter);
ExpertError expert_free_filter(ExpertKey *key, ExpertFilter *filter);

/* Which frame expert_get_frame gives (the original's GET_SPECIFIED_FRAME,
 * GET_FRAME_NEXT_FORWARD, GET_FRAME_NEXT_BACKWARD). */
typedef enum {
	EXPERT_FRAME_SPECIFIED = 0,   /* frame number itself (filter not applied) */
	EXPERT_FRAME_NEXT_FORWARD,    /* the first matching frame after number; 0: from the start */
	EXPERT_FRAME_NEXT_BACKWARD,   /* the last matching frame before number; 0: from the end */
} ExpertFrameDirection;

/* filter may be NULL: every frame matches. EXPERT_ERR_END_OF_CAPTURE when
 * there is no such frame. Does not move expert_get_next_frame's cursor, nor
 * count as a frame read. */
ExpertError expert_get_frame(ExpertKey *key, ExpertFrameDirection direction, uint64_t number,
                             const ExpertFilter *filter, ExpertFrame *frame);

/* The next frame in capture order that passes the run's frame filter
 * (`expert-exec run --filter`, if given); the first call gives the first.
 * EXPERT_ERR_END_OF_CAPTURE after the last. Each frame it delivers is a
 * frame read. */
ExpertError expert_get_next_frame(ExpertKey *key, ExpertFrame *frame);

/* ---------------------------------------------------------------------------
 * Output captures: the one resource an expert may acquire, and only through
 * the host. The executor creates the file in the run's output directory
 * (never a path the expert chooses), counts it against the profile's
 * output limits, and removes it if the expert dies before closing it.
 * libexpert writes valid pcap or pcapng.
 * ------------------------------------------------------------------------- */

typedef struct ExpertOutput ExpertOutput;

typedef enum {
	EXPERT_OUTPUT_PCAP = 0,  /* nanosecond pcap */
	EXPERT_OUTPUT_PCAPNG,
} ExpertOutputFormat;

#define EXPERT_OUTPUT_NAME_MAX 64 /* letters, digits, '.', '-', '_'; not starting with '.' */

/* Whether name follows the rule above, exactly as the executor checks it. */
bool expert_output_name_valid(const char *name);

/* EXPERT_ERR_INVALID_ARGUMENT for a bad name, EXPERT_ERR_NO_MEMORY when the
 * profile allows no more output files (or none at all). */
ExpertError expert_create_output(ExpertKey *key, const char *name, ExpertOutputFormat format,
                                 uint32_t link_type, ExpertOutput **output);
/* Writes frame's timestamp, lengths and cap_len bytes of data (buffered:
 * a write that fails, with a full disk, fails this call or a later one or
 * expert_close_output with EXPERT_ERR_WRITE; an output whose close
 * fails is removed, as one never closed). */
ExpertError expert_write_frame(ExpertKey *key, ExpertOutput *output, const ExpertFrame *frame);
/* Flushes and tells the executor the file is complete. */
ExpertError expert_close_output(ExpertKey *key, ExpertOutput *output);

/* ---------------------------------------------------------------------------
 * Status and events, sent to the host.
 * ------------------------------------------------------------------------- */

typedef enum {
	EXPERT_STATE_CONFIGURING = 0,
	EXPERT_STATE_RUNNING,
	EXPERT_STATE_FINISHING,
} ExpertState;

#define EXPERT_TEXT_MAX 512 /* bytes, for status and event text */

/* percent_done is 0..100, or -1 if unknown; text may be NULL. */
ExpertError expert_indicate_status(ExpertKey *key, ExpertState state, int percent_done,
                                   const char *text);

typedef enum {
	EXPERT_SEVERITY_INFO = 0,
	EXPERT_SEVERITY_WARNING,
	EXPERT_SEVERITY_ERROR,
} ExpertSeverity;

typedef struct {
	const char *key;   /* short UTF-8 name, e.g. "protocol" */
	const char *value; /* UTF-8 text, e.g. "tcp" */
} ExpertEventDetail;

#define EXPERT_EVENT_DETAILS_MAX 16

/* A finding: a short text and up to EXPERT_EVENT_DETAILS_MAX key/value details.
 * The whole event must fit in one channel message (about 4 KiB). When the
 * profile's event limit is reached this returns EXPERT_ERR_TERMINATE. */
ExpertError expert_submit_event(ExpertKey *key, ExpertSeverity severity, const char *text,
                                const ExpertEventDetail *details, size_t n_details);

#ifdef __cplusplus
}
#endif

#endif /* EXPERT_H */
