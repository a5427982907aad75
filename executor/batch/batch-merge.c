/* batch-merge.c — see batch-merge.h. */
#include "batch/batch-merge.h"

#include "batch/batch-pairs.h"
#include "batch/results-file.h"
#include "reports/json-read.h"

#include <gio/gio.h>
#include <stdint.h>
#include <sys/stat.h>
#include <string.h>

typedef struct {
	JsonObject *header;        /* the first file's */
	const char *header_path;
	guint n_captures, n_experts, shards;
	GPtrArray *capture_paths;  /* borrowed strings, from header */
	GPtrArray *experts;
	GArray *capture_bytes;     /* guint64 */
	char **seen_in;            /* per pair: "FILE:LINE" of its record, or NULL */
	GString *overlaps;
	guint n_overlaps;
} Merge;

static gboolean header_lists(Merge *m, GError **error)
{
	JsonArray *captures = json_read_array(m->header, "captures");
	JsonArray *experts = json_read_array(m->header, "experts");
	double shards = 0;
	json_read_number(json_read_object(m->header, "shard"), "count", &shards);
	if (!captures || !experts || shards < 1 || !json_read_string(m->header, "pairs_digest")) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "%s:1: a batch header without its captures, experts, shard or digest",
		            m->header_path);
		return FALSE;
	}
	m->shards = (guint)shards;
	for (guint c = 0; c < json_array_get_length(captures); c++) {
		JsonObject *o = json_read_element(captures, c);
		double bytes = -1;
		const char *path = json_read_string(o, "path");
		if (!path || !json_read_number(o, "bytes", &bytes) || bytes < 0) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			            "%s:1: capture %u of the header has no path or size", m->header_path, c);
			return FALSE;
		}
		guint64 b = (guint64)bytes;
		g_ptr_array_add(m->capture_paths, (gpointer)path);
		g_array_append_val(m->capture_bytes, b);
	}
	for (guint e = 0; e < json_array_get_length(experts); e++) {
		JsonNode *n = json_array_get_element(experts, e);
		if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			            "%s:1: expert %u of the header is not a path", m->header_path, e);
			return FALSE;
		}
		g_ptr_array_add(m->experts, (gpointer)json_node_get_string(n));
	}
	m->n_captures = m->capture_paths->len;
	m->n_experts = m->experts->len;
	return TRUE;
}

/* A later file's header: the same batch, split the same way. */
static gboolean same_batch(Merge *m, const char *path, JsonObject *header, GError **error)
{
	const char *digest = json_read_string(header, "pairs_digest");
	double shards = 0;
	json_read_number(json_read_object(header, "shard"), "count", &shards);
	if (g_strcmp0(digest, json_read_string(m->header, "pairs_digest")) != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "%s and %s are results of different batches (pairs digests %.12s and %.12s): "
		            "the captures, their sizes, the experts or the options differ, so their "
		            "pairs are not the same pairs", m->header_path, path,
		            json_read_string(m->header, "pairs_digest"), digest ? digest : "none");
		return FALSE;
	}
	if ((guint)shards != m->shards) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "%s and %s split the batch differently (%u and %.0f shards)", m->header_path,
		            path, m->shards, shards);
		return FALSE;
	}
	return TRUE;
}

static char *pair_name(const Merge *m, guint pair)
{
	return g_strdup_printf("pair %u (%s x %s)", pair,
	                       (const char *)g_ptr_array_index(m->capture_paths, pair / m->n_experts),
	                       (const char *)g_ptr_array_index(m->experts, pair % m->n_experts));
}

static gboolean take_pairs(Merge *m, BatchReport *report, const char *path, GPtrArray *pairs,
                           GError **error)
{
	const char *digest = json_read_string(m->header, "pairs_digest");
	guint n_pairs = m->n_captures * m->n_experts;
	for (guint i = 0; i < pairs->len; i++) {
		JsonObject *o = g_ptr_array_index(pairs, i);
		gint64 pair = batch_record_index(o);
		/* The header is line 1, so pair record i is line i + 2. */
		g_autofree char *where = g_strdup_printf("%s:%u", path, i + 2);
		if (g_strcmp0(json_read_string(o, "pairs_digest"), digest) != 0 || pair < 0 ||
		    pair >= n_pairs ||
		    g_strcmp0(batch_record_capture(o),
		              g_ptr_array_index(m->capture_paths, (guint)pair / m->n_experts)) != 0 ||
		    g_strcmp0(batch_record_expert(o),
		              g_ptr_array_index(m->experts, (guint)pair % m->n_experts)) != 0) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			            "%s: not a pair of this batch (its digest, index, capture or expert "
			            "differs from the header's)", where);
			return FALSE;
		}
		if (m->seen_in[pair]) {
			if (m->n_overlaps++ < BATCH_MERGE_NAMED) {
				g_autofree char *name = pair_name(m, (guint)pair);
				g_string_append_printf(m->overlaps, "\n  %s: in %s and in %s", name,
				                       m->seen_in[pair], where);
			}
			continue;
		}
		m->seen_in[pair] = g_steal_pointer(&where);
		batch_report_add(report, o);
	}
	return TRUE;
}

/* Every pair no file holds, with the shard that should have run it. */
static char *gaps(const Merge *m, guint *n_gaps)
{
	g_autofree guint *shard_of = batch_pairs_shards((const guint64 *)m->capture_bytes->data,
	                                                m->n_captures, m->n_experts, m->shards);
	GString *out = g_string_new(NULL);
	*n_gaps = 0;
	guint n_pairs = m->n_captures * m->n_experts;
	g_autofree guint *per_shard = g_new0(guint, m->shards);
	for (guint p = 0; p < n_pairs; p++) {
		if (m->seen_in[p])
			continue;
		per_shard[shard_of[p]]++;
		if ((*n_gaps)++ < BATCH_MERGE_NAMED) {
			g_autofree char *name = pair_name(m, p);
			g_string_append_printf(out, "\n  %s: no results; shard %u/%u should have run it",
			                       name, shard_of[p], m->shards);
		}
	}
	if (*n_gaps > BATCH_MERGE_NAMED)
		g_string_append_printf(out, "\n  and %u more", *n_gaps - BATCH_MERGE_NAMED);
	for (guint s = 0; *n_gaps && s < m->shards; s++)
		if (per_shard[s])
			g_string_append_printf(out, "\n  shard %u/%u: %u pair(s) missing", s, m->shards,
			                       per_shard[s]);
	return g_string_free(out, FALSE);
}

BatchReport *batch_merge(const char *const *paths, guint n_paths, GError **error)
{
	g_autoptr(GPtrArray) contents = g_ptr_array_new_with_free_func(
		(GDestroyNotify)results_contents_free);
	g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
	Merge m = {
		.capture_paths = g_ptr_array_new(),
		.experts = g_ptr_array_new(),
		.capture_bytes = g_array_new(FALSE, FALSE, sizeof(guint64)),
		.overlaps = g_string_new(NULL),
	};
	g_autoptr(BatchReport) report = NULL;
	gboolean ok = TRUE;
	/* The same file twice would be every one of its pairs an overlap. */
	g_autoptr(GHashTable) files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < n_paths && ok; i++) {
		struct stat st;
		g_autofree char *key = stat(paths[i], &st) == 0
			? g_strdup_printf("%ju:%ju", (uintmax_t)st.st_dev, (uintmax_t)st.st_ino) : NULL;
		const char *earlier = key ? g_hash_table_lookup(files, key) : NULL;
		if (earlier) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_EXISTS,
			            "%s and %s are the same file: give each shard's results once", earlier,
			            paths[i]);
			ok = FALSE;
		} else if (key) {
			g_hash_table_insert(files, g_steal_pointer(&key), (gpointer)paths[i]);
		}
	}
	for (guint i = 0; i < n_paths && ok; i++) {
		ResultsContents *c = results_file_read(paths[i], error);
		if (!c) {
			ok = FALSE;
			break;
		}
		g_ptr_array_add(contents, c);
		if (c->torn)
			g_ptr_array_add(notes, g_strdup(c->torn));
		if (!c->header) {
			g_ptr_array_add(notes, g_strdup_printf("%s: no batch header (its shard stopped "
			                                       "before writing one): no results in it",
			                                       paths[i]));
			continue;
		}
		if (!m.header) {
			m.header = c->header;
			m.header_path = paths[i];
			ok = header_lists(&m, error);
			if (ok) {
				m.seen_in = g_new0(char *, (gsize)m.n_captures * m.n_experts + 1);
				report = batch_report_new("merge", m.header);
				report->shards = m.shards;
			}
		} else {
			ok = same_batch(&m, paths[i], c->header, error);
		}
		if (ok)
			ok = take_pairs(&m, report, paths[i], c->pairs, error);
	}
	if (ok && !m.header) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "none of the %u file(s) holds a batch's results", n_paths);
		ok = FALSE;
	}
	guint n_gaps = 0;
	g_autofree char *gap_text = ok ? gaps(&m, &n_gaps) : NULL;
	if (ok && (m.n_overlaps || n_gaps)) {
		g_autoptr(GString) why = g_string_new(NULL);
		if (m.n_overlaps)
			g_string_append_printf(why, "%u pair(s) in more than one place (overlaps):%s%s",
			                       m.n_overlaps, m.overlaps->str,
			                       m.n_overlaps > BATCH_MERGE_NAMED ? "\n  and more" : "");
		if (n_gaps)
			g_string_append_printf(why, "%s%u of %u pair(s) in no file (gaps):%s",
			                       m.n_overlaps ? "\n" : "", n_gaps,
			                       m.n_captures * m.n_experts, gap_text);
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "refusing to merge: %s", why->str);
		ok = FALSE;
	}
	for (guint p = 0; m.seen_in && p < m.n_captures * m.n_experts; p++)
		g_free(m.seen_in[p]);
	g_free(m.seen_in);
	g_ptr_array_unref(m.capture_paths);
	g_ptr_array_unref(m.experts);
	g_array_unref(m.capture_bytes);
	g_string_free(m.overlaps, TRUE);
	if (!ok)
		return NULL;
	for (guint i = 0; i < notes->len; i++)
		g_ptr_array_add(report->notes, g_strdup(g_ptr_array_index(notes, i)));
	batch_report_sort(report);
	return g_steal_pointer(&report);
}
