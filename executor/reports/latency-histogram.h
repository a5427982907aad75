/* latency-histogram.h — a storm's latencies as a histogram for its JSON
 * report: logarithmic buckets (LATENCY_BUCKETS_PER_DECADE to each power of
 * ten), so a run of a millisecond and one of a second both show. */
#ifndef EXPERT_EXEC_LATENCY_HISTOGRAM_H
#define EXPERT_EXEC_LATENCY_HISTOGRAM_H

#include <json-glib/json-glib.h>

#define LATENCY_BUCKETS_PER_DECADE 10

/* A member name: {"buckets_per_decade": 10, "buckets": [{"from_ms",
 * "to_ms", "runs"}, ...]} of sorted (floats, milliseconds, ascending), from
 * the first bucket holding a run to the last, empty ones between included. */
void latency_histogram_json(JsonBuilder *b, const char *name, const GArray *sorted);

#endif /* EXPERT_EXEC_LATENCY_HISTOGRAM_H */
