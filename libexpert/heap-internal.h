/* heap-internal.h — what the files of the allocator share (heap.c: the
 * entry points and their fast paths; heap-lists.c: the segregated free
 * lists): the layout of the region and of a chunk, the small checks both
 * inline, and the free lists' functions, out of line as they always were.
 * See heap.c for the design. Not for anything outside the allocator: the
 * functions are hidden, never exported from libexpert.so. */
#ifndef EXPERT_HEAP_INTERNAL_H
#define EXPERT_HEAP_INTERNAL_H

#include "heap.h"

#include <string.h>

#define GRANULE        16u
#define CHUNK_OVERHEAD 8u   /* the tag; prev_size is lent to the previous chunk */
#define CHUNK_HEADER   16u  /* from the chunk to its payload */
#define CHUNK_MIN      32u  /* header + two free-list links */
/* The tag keeps sizes in 40 bits; of a larger region, this much is used. */
#define AREA_MAX       ((uint64_t)1 << 40)

/* 32 second-level lists per power of two: rounding to a class wastes at most
 * ~3%. Below 512 bytes the classes are exact 16-byte steps. */
#define SL_LOG2      5u
#define SL_COUNT     (1u << SL_LOG2)
#define FL_SHIFT     (SL_LOG2 + 4u)
#define SMALL_LIMIT  ((uint64_t)1 << FL_SHIFT)
#define FL_COUNT_MAX 32u    /* fl of the largest chunk, AREA_MAX - 16, is 31 */

/* Quick lists: one per chunk size below SMALL_LIMIT. The depth bounds what
 * they keep from merging to 16 KiB per size. */
#define QUICK_DEPTH 32u

#define TAG_FREE      ((uint64_t)1)
#define TAG_PREV_FREE ((uint64_t)2)
#define TAG_LOW_BITS  40u
#define TAG_LOW_MASK  (((uint64_t)1 << TAG_LOW_BITS) - 1)
#define TAG_SIZE_MASK (TAG_LOW_MASK & ~(uint64_t)(GRANULE - 1))

#define MIX_K1 UINT64_C(0x9e3779b97f4a7c15)
#define MIX_K2 UINT64_C(0xc2b2ae3d27d4eb4f)

/* The bitmap is zeroed a page at a time, when a page gets its first bit:
 * init stays cheap and bitmap pages are dirtied only where the area is used
 * (zeroing it all would write 512 MiB up front for a 64 GiB region). */
#define BITMAP_PAGE_WORDS 512u

/* The small-block paths are inlined into the entry points; the rest is not,
 * so that the fast paths need no stack frame. */
#define HOT  __attribute__((always_inline))
#define COLD __attribute__((noinline))
#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

typedef struct Chunk Chunk;
struct Chunk {
	uint64_t prev_size; /* previous chunk's size; meaningful only under TAG_PREV_FREE */
	uint64_t tag;       /* size | flags | check << 40 */
	Chunk *next_free;   /* while free or quick; the payload otherwise */
	Chunk *prev_free;   /* while free */
};

struct Heap {
	/* Fixed by heap_init and sealed, with the Heap's own address: the
	 * fields every call uses by fast_guard, the rest and fast_guard by
	 * guard. */
	uint8_t *area;      /* first chunk */
	uint64_t *bitmap;   /* one bit per granule of the area: a live chunk starts here */
	uint64_t *zeroed;   /* one bit per bitmap page: that page has been zeroed */
	uint64_t top;       /* offset of the sentinel; chunks lie in [0, top) */
	uint64_t secret;
	uint64_t fast_guard;
	uint64_t bitmap_words;
	uint64_t fl_count;
	uint64_t guard;
	/* Changing. */
	uint64_t in_use;
	uint64_t fl_bitmap;
	uint32_t sl_bitmap[FL_COUNT_MAX];
	uint32_t quick_count[SL_COUNT];
	Chunk *quick[SL_COUNT];
	Chunk *heads[];     /* fl_count * SL_COUNT, then the zeroed bits */
};

/* Shared by the allocator's files, never exported from libexpert.so. */
#define HEAP_HIDDEN __attribute__((visibility("hidden")))

/* ---- integrity ---------------------------------------------------------- */

/* Checked on every call, so a plain fold and one multiply: an overwritten
 * field always changes it (the multiply is a bijection), and folding in h
 * refuses a header copied or moved elsewhere. The fast paths use only the
 * fields under fast_guard and check only that; everything else checks
 * both (heap_check), and guard covers fast_guard too. */
static inline uint64_t heap_fast_guard_of(const Heap *h, const uint8_t *area, const uint64_t *bitmap,
                                          const uint64_t *zeroed, uint64_t top, uint64_t secret)
{
	return ((uint64_t)(uintptr_t)h ^ (uint64_t)(uintptr_t)area ^ (uint64_t)(uintptr_t)bitmap ^
	        (uint64_t)(uintptr_t)zeroed ^ top ^ secret) * MIX_K2;
}

static inline uint64_t heap_guard_of(const Heap *h)
{
	return ((uint64_t)(uintptr_t)h ^ h->fast_guard ^ h->bitmap_words ^ h->fl_count) * MIX_K1;
}

static inline HeapResult heap_check(const Heap *h)
{
	if (!h)
		return HEAP_INVALID_POINTER;
	return unlikely(h->guard != heap_guard_of(h) ||
	                h->fast_guard != heap_fast_guard_of(h, h->area, h->bitmap, h->zeroed, h->top,
	                                                    h->secret)) ? HEAP_CORRUPT : HEAP_OK;
}

/* The address is mixed in so that a header copied elsewhere does not verify. */
static inline uint64_t tag_check_with(uint64_t secret, const Chunk *c, uint64_t low)
{
	return ((low ^ (uint64_t)(uintptr_t)c ^ secret) * MIX_K1) >> TAG_LOW_BITS;
}

static inline uint64_t tag_check(const Heap *h, const Chunk *c, uint64_t low)
{
	return tag_check_with(h->secret, c, low);
}

static inline uint64_t tag_make(const Heap *h, const Chunk *c, uint64_t low)
{
	return low | (tag_check(h, c, low) << TAG_LOW_BITS);
}

static inline bool tag_ok(const Heap *h, const Chunk *c, uint64_t tag)
{
	return tag >> TAG_LOW_BITS == tag_check(h, c, tag & TAG_LOW_MASK);
}

static inline uint64_t tag_size(uint64_t tag)
{
	return tag & TAG_SIZE_MASK;
}

/* Rewrites the flags of a tag that was verified. */
static inline void tag_set_prev_free(const Heap *h, Chunk *c, uint64_t tag, bool prev_free)
{
	uint64_t low = (tag & TAG_LOW_MASK & ~TAG_PREV_FREE) | (prev_free ? TAG_PREV_FREE : 0);
	c->tag = tag_make(h, c, low);
}

/* ---- chunk geometry ----------------------------------------------------- */

static inline uint64_t chunk_off(const Heap *h, const Chunk *c)
{
	return (uint64_t)((uintptr_t)c - (uintptr_t)h->area);
}

static inline Chunk *chunk_at(Chunk *c, uint64_t delta)
{
	return (Chunk *)((uint8_t *)c + delta);
}

/* Could a chunk start at p? Integer arithmetic, because p may point anywhere.
 * A chunk starts at most at top - 16, so all its four words are in the area. */
static inline bool in_area(const Heap *h, const void *p)
{
	uint64_t off = (uint64_t)((uintptr_t)p - (uintptr_t)h->area);
	return off < h->top && (off & (GRANULE - 1)) == 0;
}

/* A tag's size is usable only once it fits between its chunk and the top. */
static inline bool size_ok(const Heap *h, const Chunk *c, uint64_t size)
{
	return size >= CHUNK_MIN && size <= h->top - chunk_off(h, c);
}

/* ---- live bitmap (off < top, so every index below is inside it) --------- */

static inline bool page_zeroed(const Heap *h, uint64_t off)
{
	uint64_t page = off / GRANULE / 64 / BITMAP_PAGE_WORDS;
	return h->zeroed[page / 64] >> (page % 64) & 1;
}

static inline bool live_test(const Heap *h, uint64_t off)
{
	uint64_t g = off / GRANULE;
	return page_zeroed(h, off) && (h->bitmap[g / 64] >> (g % 64) & 1);
}

static inline void live_set(Heap *h, uint64_t off)
{
	uint64_t g = off / GRANULE;
	if (!page_zeroed(h, off)) {
		uint64_t page = g / 64 / BITMAP_PAGE_WORDS, first = page * BITMAP_PAGE_WORDS;
		uint64_t n = h->bitmap_words - first;
		memset(&h->bitmap[first], 0, (n < BITMAP_PAGE_WORDS ? n : BITMAP_PAGE_WORDS) * 8);
		h->zeroed[page / 64] |= (uint64_t)1 << (page % 64);
	}
	h->bitmap[g / 64] |= (uint64_t)1 << (g % 64);
}

static inline void live_clear(Heap *h, uint64_t off)
{
	uint64_t g = off / GRANULE;
	h->bitmap[g / 64] &= ~((uint64_t)1 << (g % 64));
}

/* ---- segregated free lists ---------------------------------------------- */

static inline unsigned msb64(uint64_t x)
{
	return 63u - (unsigned)__builtin_clzll(x);
}

static inline unsigned list_of(uint64_t size, unsigned *sl)
{
	if (size < SMALL_LIMIT) {
		*sl = (unsigned)(size / GRANULE);
		return 0;
	}
	unsigned m = msb64(size);
	*sl = (unsigned)(size >> (m - SL_LOG2)) & (SL_COUNT - 1);
	return m - (FL_SHIFT - 1);
}

static inline void list_drop(Heap *h, unsigned fl, unsigned sl)
{
	h->heads[fl * SL_COUNT + sl] = NULL;
	h->sl_bitmap[fl] &= ~(1u << sl);
	if (!h->sl_bitmap[fl])
		h->fl_bitmap &= ~((uint64_t)1 << fl);
}

/* ---- quick lists -------------------------------------------------------- */

/* Takes the head of the quick list for exactly size; with make_live, hands
 * it out. A quick chunk looks used to its neighbours, and has been live (so
 * its bitmap page is zeroed) but is not now: checking that keeps a scribbled
 * link from handing out a live block a second time. */
static inline HOT HeapResult quick_pop(Heap *h, uint64_t size, Chunk **out, bool make_live)
{
	unsigned i = (unsigned)(size / GRANULE);
	Chunk *c = h->quick[i];
	if (!c)
		return HEAP_NO_MEMORY;
	uint64_t tag = in_area(h, c) ? c->tag : TAG_FREE, off = chunk_off(h, c);
	if (unlikely((tag & TAG_FREE) || tag_size(tag) != size || !tag_ok(h, c, tag) ||
	             !page_zeroed(h, off) || live_test(h, off))) {
		h->quick[i] = NULL;
		h->quick_count[i] = 0;
		return HEAP_CORRUPT;
	}
	Chunk *n = c->next_free;
	if (unlikely(n && !in_area(h, n))) {
		c->next_free = NULL;
		h->quick_count[i] = 1;
		return HEAP_CORRUPT;
	}
	h->quick[i] = n;
	h->quick_count[i] -= h->quick_count[i] > 0;
	if (make_live) {
		h->bitmap[off / GRANULE / 64] |= (uint64_t)1 << (off / GRANULE % 64);
		h->in_use += size - CHUNK_OVERHEAD;
	}
	*out = c;
	return HEAP_OK;
}

/* ---- the free lists, out of line (heap-lists.c) ------------------------ */

/* A free chunk we are about to unlink: its tag, bounds and both links must
 * agree, or unlinking would write through whatever a use-after-free left in
 * them (glibc's "corrupted double-linked list"). c must be in_area. */
HEAP_HIDDEN bool heap_free_chunk_ok(const Heap *h, const Chunk *c, uint64_t tag);
/* Only for chunks that passed heap_free_chunk_ok. */
HEAP_HIDDEN void heap_list_remove(Heap *h, Chunk *c, uint64_t size);
/* Makes [c, c + size) one free chunk: tag, boundary tag, list. */
HEAP_HIDDEN void heap_make_free(Heap *h, Chunk *c, uint64_t size, uint64_t flags);
/* Checks that the neighbours of c can be merged with (or left) and only then
 * writes: c joins the free lists, merged with any free neighbour. A live c
 * leaves the bitmap; a quick or new one never was in it. */
HEAP_HIDDEN COLD HeapResult heap_chunk_release(Heap *h, Chunk *c, uint64_t tag, bool live);
/* Takes a chunk of at least size bytes from the free lists (flushing the
 * quick lists into them if that is what it takes), splits off the rest and
 * marks it live. */
HEAP_HIDDEN COLD HeapResult heap_list_take(Heap *h, uint64_t size, Chunk **out);

#endif /* EXPERT_HEAP_INTERNAL_H */
