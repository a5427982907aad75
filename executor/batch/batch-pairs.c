/* batch-pairs.c — see batch-pairs.h. */
#include "batch/batch-pairs.h"

#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

gboolean batch_shard_parse(const char *text, BatchShard *shard, GError **error)
{
	const char *slash = strchr(text, '/');
	guint64 index = 0, count = 0;
	g_autofree char *i_text = slash ? g_strndup(text, (gsize)(slash - text)) : NULL;
	if (!slash || !g_ascii_string_to_unsigned(i_text, 10, 0, G_MAXUINT, &index, NULL) ||
	    !g_ascii_string_to_unsigned(slash + 1, 10, 1, BATCH_SHARDS_MAX, &count, NULL)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
		            "--shard %s: not I/N, two numbers with 0 <= I < N <= %u (e.g. 0/4 .. 3/4)",
		            text, BATCH_SHARDS_MAX);
		return FALSE;
	}
	if (index >= count) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
		            "--shard %s: shards are numbered from 0 to %" G_GUINT64_FORMAT " (as "
		            "$SLURM_ARRAY_TASK_ID of --array=0-%" G_GUINT64_FORMAT " and "
		            "$JOB_COMPLETION_INDEX are)", text, count - 1, count - 1);
		return FALSE;
	}
	shard->index = (guint)index;
	shard->count = (guint)count;
	return TRUE;
}

typedef struct {
	guint capture;
	guint64 weight;     /* of one pair */
} Unit;

static gint heaviest_first(gconstpointer a, gconstpointer b)
{
	const Unit *x = a, *y = b;
	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return x->capture < y->capture ? -1 : x->capture > y->capture;
}

static guint lightest(const guint64 *load, guint count)
{
	guint best = 0;
	for (guint s = 1; s < count; s++)
		if (load[s] < load[best])
			best = s;
	return best;
}

guint *batch_pairs_shards(const guint64 *capture_bytes, guint n_captures, guint n_experts,
                          guint count)
{
	guint *shard = g_new0(guint, (gsize)n_captures * n_experts + 1);
	if (count <= 1 || n_experts == 0)
		return shard;
	g_autofree Unit *units = g_new(Unit, n_captures + 1);
	guint64 total = 0;
	for (guint c = 0; c < n_captures; c++) {
		units[c].capture = c;
		units[c].weight = MIN(capture_bytes[c], G_MAXUINT64 / 2 / n_experts / n_captures) +
		                  BATCH_PAIR_OVERHEAD_BYTES;
		total += units[c].weight * n_experts;
	}
	qsort(units, n_captures, sizeof(Unit), (int (*)(const void *, const void *))heaviest_first);
	guint64 fair = total / count;
	g_autofree guint64 *load = g_new0(guint64, count);
	for (guint u = 0; u < n_captures; u++) {
		guint c = units[u].capture;
		guint64 whole = units[u].weight * n_experts;
		if (whole <= fair) {
			guint s = lightest(load, count);
			load[s] += whole;
			for (guint e = 0; e < n_experts; e++)
				shard[(gsize)c * n_experts + e] = s;
			continue;
		}
		for (guint e = 0; e < n_experts; e++) {
			guint s = lightest(load, count);
			load[s] += units[u].weight;
			shard[(gsize)c * n_experts + e] = s;
		}
	}
	return shard;
}

char *batch_pairs_digest(const char *const *capture_paths, const guint64 *capture_bytes,
                         guint n_captures, const char *const *experts, guint n_experts,
                         const char *options)
{
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	/* Each field ends in a byte no path holds, so no two lists read alike. */
	const guchar nul = 0;
	g_checksum_update(sum, (const guchar *)"expert-exec pairs 1", -1);
	g_checksum_update(sum, &nul, 1);
	for (guint c = 0; c < n_captures; c++) {
		g_autofree char *bytes = g_strdup_printf("capture %" G_GUINT64_FORMAT, capture_bytes[c]);
		g_checksum_update(sum, (const guchar *)bytes, -1);
		g_checksum_update(sum, &nul, 1);
		g_checksum_update(sum, (const guchar *)capture_paths[c], -1);
		g_checksum_update(sum, &nul, 1);
	}
	for (guint e = 0; e < n_experts; e++) {
		g_checksum_update(sum, (const guchar *)"expert", -1);
		g_checksum_update(sum, &nul, 1);
		g_checksum_update(sum, (const guchar *)experts[e], -1);
		g_checksum_update(sum, &nul, 1);
	}
	g_checksum_update(sum, (const guchar *)"options", -1);
	g_checksum_update(sum, &nul, 1);
	g_checksum_update(sum, (const guchar *)(options ? options : ""), -1);
	return g_strdup(g_checksum_get_string(sum));
}
