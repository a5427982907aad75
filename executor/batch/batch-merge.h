/* batch-merge.h — `expert-exec merge`: the results files of a batch's
 * shards as one batch. Every pair of the batch must be in exactly one of
 * them: the merge refuses, naming them, pairs found twice (overlaps), pairs
 * found in none (gaps: which pairs, and the shard that should have run
 * them), and files of another batch (their pairs' digests differ, or their
 * shard counts). A torn last line (a shard killed mid-write) is ignored with
 * a note, and its pair is then a gap. */
#ifndef EXPERT_EXEC_BATCH_MERGE_H
#define EXPERT_EXEC_BATCH_MERGE_H

#include "batch/batch-report.h"

/* At most this many overlaps and gaps are named each; the rest counted. */
#define BATCH_MERGE_NAMED 10

BatchReport *batch_merge(const char *const *paths, guint n_paths, GError **error);

#endif /* EXPERT_EXEC_BATCH_MERGE_H */
