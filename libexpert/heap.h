/* heap.h — the allocator inside one job's pool region.
 *
 * Pure code over a caller-given span of memory: no syscalls, no globals, no
 * malloc. Its metadata lives inside the region, so the child can corrupt it —
 * but only its own; the executor never reads it (reclaim drops the whole
 * region). Every entry point validates pointers against that metadata and
 * reports, never obeys, a pointer that is not a live block.
 */
#ifndef EXPERT_HEAP_H
#define EXPERT_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HEAP_ALIGN 16

typedef struct Heap Heap;

typedef enum {
	HEAP_OK = 0,
	HEAP_NO_MEMORY,       /* not enough room left in the region */
	HEAP_INVALID_POINTER, /* not a live block: never allocated, freed, interior, foreign */
	HEAP_OVERFLOW,        /* size too large to represent */
	HEAP_CORRUPT,         /* metadata of a block was overwritten */
} HeapResult;

/* Lays a heap over [region, region + size). region must be 16-byte aligned.
 * Returns NULL if the span is too small to hold the metadata and one block. */
Heap *heap_init(void *region, size_t size);

/* size 0 gives a unique minimum-size block, as glibc's malloc does. */
HeapResult heap_alloc(Heap *heap, size_t size, void **out);
/* C semantics: block NULL allocates; size 0 frees and sets *out to NULL. On
 * failure the old block is untouched and *out is NULL. */
HeapResult heap_realloc(Heap *heap, void *block, size_t size, void **out);
/* NULL is a no-op returning HEAP_OK. */
HeapResult heap_free(Heap *heap, void *block);
/* Usable size of a live block, or 0 if block is not one. */
size_t heap_block_size(const Heap *heap, const void *block);

/* Bookkeeping for tests and reports inside the child. */
size_t heap_bytes_in_use(const Heap *heap);   /* usable bytes of live blocks */
size_t heap_capacity(const Heap *heap);       /* bytes available for blocks */

#endif /* EXPERT_HEAP_H */
