/* test-batch-pairs.c — executor/batch/batch-pairs.c: --shard parsed with
 * its errors named; the shards of a batch run each pair exactly once, the
 * same on every call, balanced by capture size; the digest changes with
 * anything that names a different pair list. */
#include "batch/batch-pairs.h"

#include <gio/gio.h>
#include <string.h>

static void test_shard_parse(void)
{
	static const struct {
		const char *text;
		gboolean ok;
		guint index, count;
		const char *error;
	} cases[] = {
		{ "0/4", TRUE, 0, 4, NULL },
		{ "3/4", TRUE, 3, 4, NULL },
		{ "0/1", TRUE, 0, 1, NULL },
		{ "4/4", FALSE, 0, 0, "numbered from 0 to 3" },
		{ "1/0", FALSE, 0, 0, "not I/N" },
		{ "-1/4", FALSE, 0, 0, "not I/N" },
		{ "1/4x", FALSE, 0, 0, "not I/N" },
		{ "14", FALSE, 0, 0, "not I/N" },
		{ "/4", FALSE, 0, 0, "not I/N" },
		{ "0/100001", FALSE, 0, 0, "not I/N" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		BatchShard s = { 99, 99 };
		g_autoptr(GError) error = NULL;
		gboolean ok = batch_shard_parse(cases[i].text, &s, &error);
		g_assert_cmpint(ok, ==, cases[i].ok);
		if (ok) {
			g_assert_cmpuint(s.index, ==, cases[i].index);
			g_assert_cmpuint(s.count, ==, cases[i].count);
		} else {
			g_assert_nonnull(strstr(error->message, cases[i].error));
			g_assert_nonnull(strstr(error->message, cases[i].text));
		}
	}
}

/* Sizes like a day of captures: a few large, many small, some equal. */
static guint64 *sizes(guint n, guint32 seed)
{
	g_autoptr(GRand) r = g_rand_new_with_seed(seed);
	guint64 *s = g_new(guint64, n);
	for (guint i = 0; i < n; i++)
		s[i] = g_rand_int_range(r, 0, 10) == 0 ? (guint64)g_rand_int_range(r, 1, 2000) << 20
		     : g_rand_int_range(r, 0, 4) == 0 ? 4096 : (guint64)g_rand_int_range(r, 1, 50) << 20;
	return s;
}

/* Every pair in one shard in [0, count); every shard's load within the
 * largest pair's weight of the fair share, or the captures too few. */
static void test_shards_cover_and_balance(void)
{
	static const struct { guint captures, experts, shards; } cases[] = {
		{ 300, 5, 4 }, { 300, 5, 16 }, { 1, 5, 4 }, { 3, 2, 8 }, { 40, 1, 7 }, { 0, 3, 2 },
		{ 10, 5, 1 },
	};
	for (gsize k = 0; k < G_N_ELEMENTS(cases); k++) {
		guint nc = cases[k].captures, ne = cases[k].experts, ns = cases[k].shards;
		g_autofree guint64 *bytes = sizes(nc, 7 + (guint32)k);
		g_autofree guint *shard = batch_pairs_shards(bytes, nc, ne, ns);
		g_autofree guint *again = batch_pairs_shards(bytes, nc, ne, ns);
		g_assert_cmpmem(shard, nc * ne * sizeof(guint), again, nc * ne * sizeof(guint));
		g_autofree guint64 *load = g_new0(guint64, ns);
		guint64 total = 0, heaviest = 0;
		for (guint p = 0; p < nc * ne; p++) {
			g_assert_cmpuint(shard[p], <, ns);
			guint64 w = bytes[p / ne] + BATCH_PAIR_OVERHEAD_BYTES;
			load[shard[p]] += w;
			total += w;
			heaviest = MAX(heaviest, w * ne);
		}
		/* Greedy LPT: no shard exceeds the fair share by more than the
		 * heaviest unit it was given (a whole capture, or one pair). */
		for (guint s = 0; s < ns; s++) {
			g_test_message("%u captures x %u experts, shard %u/%u: %" G_GUINT64_FORMAT
			               " of %" G_GUINT64_FORMAT, nc, ne, s, ns, load[s], total);
			g_assert_cmpuint(load[s], <=, total / ns + heaviest);
		}
		/* A capture that fits a fair share stays in one shard. */
		for (guint c = 0; ns > 1 && c < nc; c++)
			if ((bytes[c] + BATCH_PAIR_OVERHEAD_BYTES) * ne <= total / ns)
				for (guint e = 1; e < ne; e++)
					g_assert_cmpuint(shard[c * ne + e], ==, shard[c * ne]);
	}
}

/* Many captures of about the same size: the counts per shard differ by
 * at most one capture's pairs. */
static void test_equal_captures_spread_evenly(void)
{
	guint64 bytes[100];
	for (guint i = 0; i < G_N_ELEMENTS(bytes); i++)
		bytes[i] = 1 << 20;
	g_autofree guint *shard = batch_pairs_shards(bytes, 100, 3, 4);
	guint count[4] = { 0 };
	for (guint p = 0; p < 300; p++)
		count[shard[p]]++;
	for (guint s = 0; s < 4; s++)
		g_assert_cmpuint(count[s], ==, 75);
}

/* One huge capture among small ones: split over the shards, pair by pair. */
static void test_a_capture_larger_than_a_share_is_split(void)
{
	guint64 bytes[] = { 1000u << 20, 1 << 20, 1 << 20 };
	g_autofree guint *shard = batch_pairs_shards(bytes, 3, 4, 4);
	gboolean used[4] = { FALSE };
	for (guint e = 0; e < 4; e++)
		used[shard[e]] = TRUE;
	for (guint s = 0; s < 4; s++)
		g_assert_true(used[s]);
}

static void test_digest_names_the_pair_list(void)
{
	const char *paths[] = { "a.pcap", "b.pcap" };
	const char *other_paths[] = { "a.pcap", "c.pcap" };
	const char *experts[] = { "x.so", "y.so" };
	const char *swapped[] = { "y.so", "x.so" };
	guint64 bytes[] = { 10, 20 }, other_bytes[] = { 10, 21 };
	g_autofree char *d = batch_pairs_digest(paths, bytes, 2, experts, 2, "opt");
	g_assert_cmpuint(strlen(d), ==, 64);
	g_autofree char *same = batch_pairs_digest(paths, bytes, 2, experts, 2, "opt");
	g_assert_cmpstr(d, ==, same);
	char *differ[] = {
		batch_pairs_digest(other_paths, bytes, 2, experts, 2, "opt"),
		batch_pairs_digest(paths, other_bytes, 2, experts, 2, "opt"),
		batch_pairs_digest(paths, bytes, 2, swapped, 2, "opt"),
		batch_pairs_digest(paths, bytes, 2, experts, 1, "opt"),
		batch_pairs_digest(paths, bytes, 1, experts, 2, "opt"),
		batch_pairs_digest(paths, bytes, 2, experts, 2, "other"),
	};
	for (gsize i = 0; i < G_N_ELEMENTS(differ); i++) {
		g_assert_cmpstr(d, !=, differ[i]);
		g_free(differ[i]);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/batch-pairs/shard-parse", test_shard_parse);
	g_test_add_func("/batch-pairs/shards-cover-and-balance", test_shards_cover_and_balance);
	g_test_add_func("/batch-pairs/equal-captures-spread-evenly", test_equal_captures_spread_evenly);
	g_test_add_func("/batch-pairs/a-capture-larger-than-a-share-is-split",
	                test_a_capture_larger_than_a_share_is_split);
	g_test_add_func("/batch-pairs/digest-names-the-pair-list", test_digest_names_the_pair_list);
	return g_test_run();
}
