/* capture-cut.h — a loaded capture cut short: what a job with the fault
 * eof@N injected reads (inject/inject-plan.h). The executor makes it from
 * the run's capture, so the child sees a capture that ends early exactly
 * as a truncated file's would: fewer frames, marked partial. */
#ifndef EXPERT_EXEC_CAPTURE_CUT_H
#define EXPERT_EXEC_CAPTURE_CUT_H

#include "captures/capture.h"

/* A new sealed memfd with the first `frames` frames of capture (all of them
 * if it has no more), its link type, and partial set with reason. Costs a
 * copy of those frames, one per job that asks for it; or, where the frames
 * stay in the capture file, a copy of their records, and the same file. */
Capture *capture_cut(const Capture *capture, guint64 frames, const char *reason, GError **error);

#endif /* EXPERT_EXEC_CAPTURE_CUT_H */
