/* batch-pairs.h — the (capture, expert) pairs of a batch, numbered
 * capture × experts + expert over the captures in path order
 * (batch-captures.h) and the experts in the order given; which shard runs
 * each; and the digest that names the whole list, so that shards given
 * different inputs are caught when their results are merged. */
#ifndef EXPERT_EXEC_BATCH_PAIRS_H
#define EXPERT_EXEC_BATCH_PAIRS_H

#include <glib.h>

/* --shard I/N: the I-th of N shards, I from 0 (as $SLURM_ARRAY_TASK_ID of
 * --array=0-N-1, and $JOB_COMPLETION_INDEX, count). count 0: no sharding. */
typedef struct {
	guint index, count;
} BatchShard;

/* "I/N", 0 <= I < N <= BATCH_SHARDS_MAX; the error names what is wrong. */
#define BATCH_SHARDS_MAX 100000
gboolean batch_shard_parse(const char *text, BatchShard *shard, GError **error);

/* What a pair costs beside its capture's bytes (a job's start and end, the
 * capture's load shared out): 64 KiB, so that many small captures still
 * spread by their number. */
#define BATCH_PAIR_OVERHEAD_BYTES (64u * 1024)

/* The shard (0 .. count-1) of each of the n_captures × n_experts pairs,
 * balanced by capture size, greedy longest processing time first: the
 * captures by weight (bytes + overhead, times the experts), heaviest first,
 * ties by path order, each with all its experts to the shard with the least
 * weight so far (ties to the lowest index), so a capture is loaded by one
 * shard; a capture heavier than a shard's fair share (the total over count)
 * is split, each of its pairs placed so. Deterministic: the same sizes,
 * expert count and shard count give the same answer on every machine.
 * Newly allocated, n_captures × n_experts entries. */
guint *batch_pairs_shards(const guint64 *capture_bytes, guint n_captures, guint n_experts,
                          guint count);

/* SHA-256 (hex) of the pair list and of what else shapes every result:
 * each capture's path and size in order, each expert's path in order, and
 * options (the run's settings, profiles, filter, as one text). */
char *batch_pairs_digest(const char *const *capture_paths, const guint64 *capture_bytes,
                         guint n_captures, const char *const *experts, guint n_experts,
                         const char *options);

#endif /* EXPERT_EXEC_BATCH_PAIRS_H */
