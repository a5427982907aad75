/* dies-writing-output.c — a test expert that creates an output capture,
 * writes some frames to it and then crashes before closing it. The executor
 * must remove the half-written file and say so in its report
 * (tests/integration/test-protocol-coalesce.c). Kept out of the shipped
 * experts: they have no test hooks. */
#include "expert.h"

#include <string.h>

#define FRAMES_BEFORE_CRASH 10

bool expert_register(ExpertInfo *info)
{
	strcpy(info->name, "Dies writing output");
	strcpy(info->vendor, "expert-exec tests");
	strcpy(info->description, "Writes part of an output capture, then crashes");
	info->version = EXPERT_VERSION(1, 0);
	info->flags = EXPERT_FLAG_WRITES_OUTPUT;
	return true;
}

int expert_run(ExpertKey *key)
{
	ExpertCaptureInfo info;
	ExpertOutput *out = NULL;
	if (expert_get_capture_info(key, &info) != EXPERT_OK ||
	    expert_create_output(key, "partial.pcap", EXPERT_OUTPUT_PCAP, info.link_type, &out) !=
	            EXPERT_OK)
		return 1;
	ExpertFrame frame;
	for (int n = 0; n < FRAMES_BEFORE_CRASH && expert_get_next_frame(key, &frame) == EXPERT_OK; n++)
		if (expert_write_frame(key, out, &frame) != EXPERT_OK)
			return 2;
	/* More than the 64 KiB libexpert buffers, so the file really has bytes
	 * on disk when the child dies. */
	size_t written = 0;
	while (written < 256 * 1024 &&
	       expert_get_frame(key, EXPERT_FRAME_SPECIFIED, 1, NULL, &frame) == EXPERT_OK) {
		if (expert_write_frame(key, out, &frame) != EXPERT_OK)
			return 3;
		written += 16 + frame.cap_len;
	}
	volatile int *volatile p = NULL;
	*p = 1;
	return 0;
}
