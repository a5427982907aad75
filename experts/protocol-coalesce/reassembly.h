/* reassembly.h — IPv4 datagrams put back together from their fragments.
 *
 * Pure code: no I/O, no frame access, memory only through the allocator the
 * caller gives (the expert passes the libexpert memory API, the unit test
 * libc). The caller parses each frame and hands IPv4 fragments to
 * reasm_add(); what leaves the reassembler leaves through the sink:
 *
 *  - complete(): a datagram is whole. The frame is the link-layer header and
 *    IPv4 header of its offset-0 fragment, with the IPv4 header fixed (total
 *    length, MF and fragment offset cleared, checksum recomputed), followed
 *    by the whole payload. The fragment just added is the one that completed
 *    it.
 *  - release(): fragments that leave as they are, by frame number in arrival
 *    order, with the reason (incomplete at the end, evicted to respect the
 *    bounds, or inconsistent).
 *
 * Fragments are matched by RFC 791's key (source, destination, protocol,
 * identification). Holes are tracked as in RFC 815: a sorted list of
 * [start, end) ranges still missing, the last one open-ended until the
 * fragment with MF clear says where the datagram ends. Fragments may arrive
 * in any order and may overlap; overlapping bytes must be equal. A datagram
 * whose fragments disagree (overlapping bytes differ, two different ends,
 * data beyond the end, a total over 65535 bytes) is rejected: its fragments
 * are released as inconsistent, and so is every later fragment with its key
 * while the reassembler remembers it.
 *
 * Bounds: at most max_datagrams datagrams are pending at once (rejected ones
 * included), and the buffers of pending datagrams (payload up to the highest
 * byte seen, fragment list, hole list) take at most max_bytes. A new datagram
 * or a growing one that would exceed them evicts the oldest pending
 * datagrams first (released as evicted); one that cannot fit even alone is
 * itself evicted. The table of pending datagrams itself (under 100 bytes a
 * slot, grown up to max_datagrams) is not counted in max_bytes. Lookup is a
 * linear scan of the pending datagrams: they are few unless fragments pile
 * up, and max_datagrams bounds the scan.
 */
#ifndef REASSEMBLY_H
#define REASSEMBLY_H

#include <expert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room in front of the payload for the first fragment's link-layer and IPv4
 * headers, so a complete datagram is one contiguous frame with no copy. */
#define REASM_HEADROOM 256u
#define REASM_IPV4_HEADER_MAX 60u
#define REASM_LINK_HEADER_MAX (REASM_HEADROOM - REASM_IPV4_HEADER_MAX)

/* C realloc semantics: block NULL allocates, size 0 frees (and *out = NULL). */
typedef struct {
	void *ctx;
	ExpertError (*realloc)(void *ctx, void *block, size_t size, void **out);
} ReasmAllocator;

typedef enum {
	REASM_RELEASE_INCOMPLETE = 0, /* still missing pieces at reasm_finish() */
	REASM_RELEASE_EVICTED,        /* pushed out by max_datagrams or max_bytes */
	REASM_RELEASE_INCONSISTENT,   /* the fragments disagree */
} ReasmRelease;

typedef struct {
	void *ctx;
	/* frame (len bytes) is valid only during the call. frames lists the
	 * fragments it was made of, by frame number in arrival order. */
	ExpertError (*complete)(void *ctx, const uint8_t *frame, size_t len, const uint64_t *frames,
	                        size_t n_frames);
	ExpertError (*release)(void *ctx, ReasmRelease why, const uint64_t *frames, size_t n_frames);
} ReasmSink;

/* One IPv4 fragment: MF set or a non-zero offset. Pointers are only read
 * during reasm_add(). */
typedef struct {
	uint64_t frame;           /* frame number, as the sink will be told it */
	const uint8_t *link;      /* bytes in front of the IPv4 header */
	size_t link_len;
	const uint8_t *ip;        /* the IPv4 header, ihl * 4 bytes, all captured */
	size_t ip_len;
	const uint8_t *payload;   /* total length - ihl * 4 bytes, all captured */
	size_t payload_len;
} ReasmFragment;

typedef enum {
	REASM_HELD = 0,   /* kept (and possibly completed or released through the sink) */
	REASM_NOT_HELD,   /* not a fragment this reassembler can take: the caller
	                     writes it as it is (see reasm_add) */
} ReasmVerdict;

typedef struct ReasmDatagram ReasmDatagram;

/* Datagrams by how they left; kept across reasm_finish and reasm_discard. */
typedef struct {
	uint64_t completed;           /* written whole */
	uint64_t fragments_completed; /* the fragments they were made of */
	uint64_t incomplete;          /* released at reasm_finish */
	uint64_t evicted;             /* released to respect the bounds */
	uint64_t rejected;            /* inconsistent */
} ReasmStats;

typedef struct {
	ReasmAllocator alloc;
	ReasmSink sink;
	uint32_t max_datagrams;
	uint64_t max_bytes;
	ReasmDatagram *datagrams;  /* pending, oldest first */
	uint32_t n_datagrams;
	uint32_t capacity;
	uint64_t bytes;            /* held by pending datagrams' buffers */
	ReasmStats stats;
} Reasm;

void reasm_init(Reasm *r, ReasmAllocator alloc, ReasmSink sink, uint32_t max_datagrams,
                uint64_t max_bytes);

/* Takes one fragment. REASM_NOT_HELD, without touching any state, for what
 * cannot be reassembled on its own merits: a header that is not a fragment,
 * a fragment that is not the last one with a payload that is empty or not a
 * multiple of 8 bytes, one reaching past 65535 bytes, an offset-0 fragment
 * whose link-layer header is longer than REASM_LINK_HEADER_MAX. Errors are
 * the allocator's or the sink's. */
ExpertError reasm_add(Reasm *r, const ReasmFragment *fragment, ReasmVerdict *verdict);

/* Releases every pending datagram as incomplete (in the order they started)
 * and frees everything. The reassembler is empty and reusable afterwards. */
ExpertError reasm_finish(Reasm *r);

/* Frees everything without telling the sink (after an error). */
void reasm_discard(Reasm *r);

/* The IPv4 header checksum of len bytes (with the checksum field as it is). */
uint16_t reasm_ipv4_checksum(const uint8_t *header, size_t len);

#endif /* REASSEMBLY_H */
