/* progress.c — the frame loop with its progress reports (see progress.h). */
#include "progress.h"

#include "format.h"

/* "frame N of M" */
static ExpertError report(ExpertKey *key, int percent, uint64_t n, uint64_t of)
{
	char text[64], digits[FORMAT_U64_MAX];
	size_t len = 0;
	text[0] = '\0';
	format_append(text, sizeof text, &len, "frame ");
	format_append(text, sizeof text, &len, format_u64(n, digits));
	format_append(text, sizeof text, &len, " of ");
	format_append(text, sizeof text, &len, format_u64(of, digits));
	return expert_indicate_status(key, EXPERT_STATE_RUNNING, percent, text);
}

ExpertError progress_each_frame(ExpertKey *key, uint64_t frame_count, ProgressFrameFunc handle,
                                void *ctx)
{
	ExpertError err = report(key, 0, 0, frame_count);
	uint64_t n = 0;
	int reported = 0;
	while (err == EXPERT_OK) {
		ExpertFrame frame;
		err = expert_get_next_frame(key, &frame);
		if (err == EXPERT_ERR_END_OF_CAPTURE)
			return EXPERT_OK;
		if (err == EXPERT_OK)
			err = handle(ctx, &frame);
		n++;
		if (err == EXPERT_OK && frame_count > 0) {
			/* A filtered run may end below 100%: FINISHING says it is done. */
			int percent = n >= frame_count ? 100 : (int)(n * 100 / frame_count);
			if (percent > reported) {
				reported = percent;
				err = report(key, percent, n, frame_count);
			}
		}
	}
	return err;
}
