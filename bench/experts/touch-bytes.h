/* touch-bytes.h — the per-frame work of the frames benchmark, shared by the
 * sandboxed expert (touch-bytes.c) and the in-process loop (bench-frames.c)
 * so that both sides compile the very same loop with the same flags. */
#ifndef BENCH_TOUCH_BYTES_H
#define BENCH_TOUCH_BYTES_H

#include <stddef.h>
#include <stdint.h>

/* The sum of every byte: each byte is read once, and the result depends on
 * all of them, so no compiler can skip any. */
static inline uint64_t touch_bytes(const uint8_t *data, size_t len)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < len; i++)
		sum += data[i];
	return sum;
}

#endif /* BENCH_TOUCH_BYTES_H */
