/* capture-format.h — the layout of a loaded capture: one sealed, read-only
 * memfd written once by the executor and mapped by every job of the run,
 * in one of two layouts (where each part starts is in the header):
 *
 *   CaptureHeader | frame bytes | CaptureRecord[frame_count]
 *
 * where the executor copied the frames (the records go last because their
 * number is known only once every frame is written; each frame's bytes
 * start at a multiple of 16 from the start of the mapping), or
 *
 *   CaptureHeader | CaptureRecord[frame_count] | (page boundary) the file
 *
 * where the frames stay in a pcap file (CAPTURE_FLAG_IN_FILE): the memfd
 * ends at the page boundary and the child maps the file read-only right
 * after it, so the one mapping reads as above; frames are where the file
 * has them, with no alignment. The executor builds it
 * (executor/captures/capture-loader.c); children only read it. The runtime
 * still checks every offset against the mapping's size, so a bug on either
 * side cannot turn into a read outside the mapping.
 */
#ifndef EXPERT_CAPTURE_FORMAT_H
#define EXPERT_CAPTURE_FORMAT_H

#include <stdint.h>

#define CAPTURE_MAGIC   0x43505845u /* "EXPC" */
#define CAPTURE_VERSION 1

#define CAPTURE_FLAG_PARTIAL (1u << 0) /* loading stopped at a bad record */
#define CAPTURE_FLAG_IN_FILE (1u << 1) /* the data is the capture file's, mapped */

typedef struct {
	uint32_t magic;
	uint32_t version;
	uint64_t frame_count;
	uint64_t records_offset;  /* from the start of the mapping */
	uint64_t data_offset;
	uint64_t data_size;
	uint64_t total_size;      /* of the whole mapping */
	uint32_t link_type;       /* of the first frame */
	uint32_t flags;           /* CAPTURE_FLAG_* */
} CaptureHeader;

typedef struct {
	int64_t ts_sec;
	uint32_t ts_nsec;
	uint32_t link_type;
	uint32_t orig_len;
	uint32_t cap_len;
	uint64_t offset;          /* of the bytes, from data_offset */
} CaptureRecord;

_Static_assert(sizeof(CaptureHeader) == 56, "CaptureHeader layout");
_Static_assert(sizeof(CaptureRecord) == 32, "CaptureRecord layout");

#endif /* EXPERT_CAPTURE_FORMAT_H */
