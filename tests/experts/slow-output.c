/* slow-output.c — a test expert that writes an output capture and holds
 * it open before closing it, so that a test can act while the output is
 * being written: kill the executor, take its name, fill its disk
 * (tests/integration/test-outputs.sh). Settings:
 *
 *   frames=N     frames written (copies of the capture's first; 200)
 *   hold_ms=N    how long it then holds the output open (0)
 *   garbage=N    then writes N bytes of junk straight to the output's
 *                descriptor (4, the lowest free after the channel), before
 *                closing it: a closed output that is no whole capture
 *   close=no     returns without closing it
 *   name=NAME    the output's name (slow.pcap)
 *   reread=N     then, N times, reads every byte of every frame and
 *                sleeps 50 ms: a test truncates the capture file meanwhile
 *
 * Its profile must allow nanosleep (tests/profiles/slow-outputs.profile).
 * Kept out of the shipped experts: they have no test hooks. */
#include "expert.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

bool expert_register(ExpertInfo *info)
{
	strcpy(info->name, "Slow output");
	strcpy(info->vendor, "expert-exec tests");
	strcpy(info->description, "Writes an output capture, holds it open, then closes it");
	info->version = EXPERT_VERSION(1, 0);
	info->flags = EXPERT_FLAG_WRITES_OUTPUT | EXPERT_FLAG_CONFIGURABLE;
	return true;
}

static long setting(ExpertKey *key, const char *name, long fallback)
{
	const char *v = expert_config_get(key, name);
	return v ? strtol(v, NULL, 10) : fallback;
}

ExpertError expert_configure(ExpertKey *key)
{
	(void)key;
	return EXPERT_OK;
}

int expert_run(ExpertKey *key)
{
	ExpertCaptureInfo info;
	ExpertOutput *out = NULL;
	const char *name = expert_config_get(key, "name");
	const char *close = expert_config_get(key, "close");
	if (expert_get_capture_info(key, &info) != EXPERT_OK ||
	    expert_create_output(key, name ? name : "slow.pcap", EXPERT_OUTPUT_PCAP, info.link_type,
	                         &out) != EXPERT_OK)
		return 1;
	ExpertFrame frame;
	long frames = setting(key, "frames", 200);
	for (long n = 0; n < frames; n++)
		if (expert_get_frame(key, EXPERT_FRAME_SPECIFIED, 1, NULL, &frame) != EXPERT_OK ||
		    expert_write_frame(key, out, &frame) != EXPERT_OK)
			return 2;
	long hold_ms = setting(key, "hold_ms", 0);
	if (hold_ms > 0) {
		expert_indicate_status(key, EXPERT_STATE_RUNNING, 50, "holding its output open");
		struct timespec ts = { hold_ms / 1000, (hold_ms % 1000) * 1000000L };
		while (nanosleep(&ts, &ts) != 0)
			;
	}
	long reread = setting(key, "reread", 0);
	volatile uint8_t sum = 0;
	for (long pass = 0; pass < reread; pass++) {
		for (uint64_t n = 1; n <= info.frame_count; n++)
			if (expert_get_frame(key, EXPERT_FRAME_SPECIFIED, n, NULL, &frame) == EXPERT_OK)
				for (uint32_t i = 0; i < frame.cap_len; i++)
					sum += frame.data[i];
		struct timespec ts = { 0, 50 * 1000000L };
		nanosleep(&ts, NULL);
	}
	long garbage = setting(key, "garbage", 0);
	static char junk[4096];
	memset(junk, 'X', sizeof(junk));
	if (garbage > 0 && write(4, junk, garbage < 4096 ? (size_t)garbage : sizeof(junk)) < 0)
		return 4;
	if (close && strcmp(close, "no") == 0)
		return 0;
	return expert_close_output(key, out) == EXPERT_OK ? 0 : 3;
}
