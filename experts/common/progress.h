/* progress.h — the frame loop of an expert's run, with its progress.
 *
 * Every expert walks the frames once, in capture order, and tells the host
 * how far it is as "frame N of M": once at 0%, then each time the whole
 * percentage grows. Not on every frame: each status is a message on the
 * channel, and a million-frame capture would flood it.
 *
 * Calls libexpert (frames, status); unit-tested against a fake of it.
 */
#ifndef EXPERTS_COMMON_PROGRESS_H
#define EXPERTS_COMMON_PROGRESS_H

#include <expert.h>
#include <stdint.h>

/* What the expert does with one frame; an error ends the loop with it. */
typedef ExpertError (*ProgressFrameFunc)(void *ctx, const ExpertFrame *frame);

/* Calls handle(ctx, frame) on every frame expert_get_next_frame gives (the
 * run's --filter applies). frame_count is the capture's, from
 * expert_get_capture_info: the M of "frame N of M"; with 0 only the first
 * status is sent. EXPERT_OK at the end of the capture; otherwise the first
 * error of handle, of the frame API or of a status report. */
ExpertError progress_each_frame(ExpertKey *key, uint64_t frame_count, ProgressFrameFunc handle,
                                void *ctx);

#endif /* EXPERTS_COMMON_PROGRESS_H */
