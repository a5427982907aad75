/* touch-bytes.c — an expert that reads every byte of every frame.
 *
 * The frames benchmark runs it sandboxed and compares its run time with the
 * same loop in-process over libpcap. It reports the sum and the frame count
 * as an event, which the benchmark checks against its own: proof that both
 * sides did the same work. */
#include "touch-bytes.h"

#include <expert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

bool expert_register(ExpertInfo *info)
{
	strcpy(info->name, "Touch bytes");
	strcpy(info->description, "Sums every byte of every frame (bench-frames)");
	info->version = EXPERT_VERSION(1, 0);
	return true;
}

int expert_run(ExpertKey *key)
{
	ExpertFrame frame;
	ExpertError e;
	uint64_t sum = 0, frames = 0;
	while ((e = expert_get_next_frame(key, &frame)) == EXPERT_OK) {
		sum += touch_bytes(frame.data, frame.cap_len);
		frames++;
	}
	if (e != EXPERT_ERR_END_OF_CAPTURE)
		return 1;
	char sum_text[24], frames_text[24];
	snprintf(sum_text, sizeof(sum_text), "%" PRIu64, sum);
	snprintf(frames_text, sizeof(frames_text), "%" PRIu64, frames);
	const ExpertEventDetail details[] = { { "sum", sum_text }, { "frames", frames_text } };
	e = expert_submit_event(key, EXPERT_SEVERITY_INFO, "bytes touched", details, 2);
	return e == EXPERT_OK ? 0 : 2;
}
