/* latency-histogram.c — a storm's latencies as logarithmic buckets (see
 * latency-histogram.h). */
#include "reports/latency-histogram.h"

#include "reports/json-out.h"

#include <math.h>

/* Below this a latency is counted in the bucket of this: a run takes far
 * longer, and log10(0) has no bucket. */
#define SMALLEST_MS 0.001

static int bucket_of(float ms)
{
	return (int)floor(LATENCY_BUCKETS_PER_DECADE * log10(MAX((double)ms, SMALLEST_MS)));
}

static double bucket_start(int k)
{
	return pow(10, (double)k / LATENCY_BUCKETS_PER_DECADE);
}

void latency_histogram_json(JsonBuilder *b, const char *name, const GArray *sorted)
{
	json_out_begin_object(b, name);
	json_out_int(b, "buckets_per_decade", LATENCY_BUCKETS_PER_DECADE);
	json_out_begin_array(b, "buckets");
	if (sorted->len) {
		int first = bucket_of(g_array_index(sorted, float, 0));
		int last = bucket_of(g_array_index(sorted, float, sorted->len - 1));
		guint i = 0;
		for (int k = first; k <= last; k++) {
			guint64 runs = 0;
			/* sorted is ascending: each bucket takes the next runs. */
			while (i < sorted->len && bucket_of(g_array_index(sorted, float, i)) == k) {
				runs++;
				i++;
			}
			json_builder_begin_object(b);
			json_out_double(b, "from_ms", bucket_start(k));
			json_out_double(b, "to_ms", bucket_start(k + 1));
			json_out_int(b, "runs", (gint64)runs);
			json_builder_end_object(b);
		}
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
}
