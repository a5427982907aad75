/* test-latency-histogram.c — executor/latency-histogram.c: every run in
 * exactly one bucket, buckets contiguous and logarithmic from the first
 * holding a run to the last. */
#include "reports/latency-histogram.h"

#include <math.h>

static JsonObject *histogram(const float *ms, guint n)
{
	g_autoptr(GArray) sorted = g_array_new(FALSE, FALSE, sizeof(float));
	g_array_append_vals(sorted, ms, n);
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	latency_histogram_json(b, "h", sorted);
	json_builder_end_object(b);
	JsonNode *root = json_builder_get_root(b);
	JsonObject *h = json_object_ref(json_object_get_object_member(json_node_get_object(root), "h"));
	json_node_unref(root);
	return h;
}

static void test_every_run_in_its_bucket(void)
{
	static const float ms[] = { 0, 0.0005f, 0.9f, 1.0f, 1.05f, 1.3f, 7.5f, 7.9f, 60, 1500 };
	JsonObject *h = histogram(ms, G_N_ELEMENTS(ms));
	g_assert_cmpint(json_object_get_int_member(h, "buckets_per_decade"), ==,
	                LATENCY_BUCKETS_PER_DECADE);
	JsonArray *buckets = json_object_get_array_member(h, "buckets");
	guint n = json_array_get_length(buckets);
	gint64 total = 0;
	double prev_to = 0;
	for (guint i = 0; i < n; i++) {
		JsonObject *bk = json_array_get_object_element(buckets, i);
		double from = json_object_get_double_member(bk, "from_ms");
		double to = json_object_get_double_member(bk, "to_ms");
		gint64 runs = json_object_get_int_member(bk, "runs");
		g_assert_cmpfloat_with_epsilon(to / from, pow(10, 1.0 / LATENCY_BUCKETS_PER_DECADE), 1e-9);
		if (i)
			g_assert_cmpfloat_with_epsilon(from, prev_to, 1e-12);
		prev_to = to;
		gint64 mine = 0;
		for (gsize k = 0; k < G_N_ELEMENTS(ms); k++) {
			double v = MAX((double)ms[k], 0.001);
			mine += v >= from * (1 - 1e-12) && v < to * (1 - 1e-12);
		}
		g_assert_cmpint(runs, ==, mine);
		total += runs;
	}
	g_assert_cmpint(total, ==, G_N_ELEMENTS(ms));
	/* From 1 µs (where 0 is counted) to the bucket of 1.5 s. */
	g_assert_cmpfloat_with_epsilon(json_object_get_double_member(
		json_array_get_object_element(buckets, 0), "from_ms"), 0.001, 1e-12);
	g_assert_cmpuint(n, ==, 62);
	json_object_unref(h);
}

static void test_no_runs_no_buckets(void)
{
	JsonObject *h = histogram(NULL, 0);
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(h, "buckets")), ==, 0);
	json_object_unref(h);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/latency-histogram/every-run-in-its-bucket", test_every_run_in_its_bucket);
	g_test_add_func("/latency-histogram/no-runs-no-buckets", test_no_runs_no_buckets);
	return g_test_run();
}
