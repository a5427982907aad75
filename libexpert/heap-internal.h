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

/* One quick list: its head and depth side by side, in one cache line. The
 * depth is a word of its own, not bits of the head, so that the chunk a pop
 * takes is the very value the last push stored (forwarded at once), not one
 * computed from a load of the depth. The depth also keeps the books: a
 * quick chunk stays in held, and heap_bytes_in_use takes the quick lists'
 * bytes out, so that a push or a pop changes only its list. The depth is
 * modular (a scribbled 0 popped is -1, which still balances held) and a
 * list found empty starts again from 0 (chunk_free). */
typedef struct {
	Chunk *head;
	uint64_t count;
} Quick;

/* The hot chunk: the block freed last, when it found the slot empty, kept
 * apart from the lists with its size beside it. A free puts it here, and an
 * alloc of that size takes it back, through stores and loads at fixed
 * places: neither waits for the free's load of the tag (often a cache
 * miss) to learn which list to write. It is a quick chunk in every other
 * way: used, not live, in held, checked as a list's head is before it is
 * handed out; and the general path first files it into its list
 * (heap_hot_settle), so that nothing else need know of it. */
typedef struct {
	Chunk *chunk;
	uint64_t size;
} Hot;

struct Heap {
	/* Fixed by heap_init (zeroed_below then only moved up by
	 * heap_page_zero) and sealed, with the Heap's own address: the fields
	 * every call uses by fast_guard, the rest and fast_guard by guard. The
	 * live bitmap and the zeroed bytes are where the fast fields say
	 * (below the area, after this struct): no pointer of their own to load
	 * and check. */
	uint8_t *area;      /* first chunk; the live bitmap ends here */
	uint64_t top;       /* offset of the sentinel; chunks lie in [0, top) */
	uint64_t secret;
	uint64_t zeroed_below; /* every bitmap page below this offset is zeroed */
	uint64_t fast_guard;
	Chunk **heads;      /* fl_count * SL_COUNT free-list heads */
	uint64_t bitmap_words;
	uint64_t fl_count;
	uint64_t guard;
	/* Changing. */
	uint64_t held;      /* usable bytes of live, quick and hot chunks (heap_bytes_in_use) */
	uint64_t fl_bitmap;
	Hot hot;
	uint32_t sl_bitmap[FL_COUNT_MAX];
	Quick quick[SL_COUNT];
	uint8_t zeroed[];   /* one byte per bitmap page: that page has been zeroed */
};

/* Shared by the allocator's files, never exported from libexpert.so. */
#define HEAP_HIDDEN __attribute__((visibility("hidden")))

/* ---- integrity ---------------------------------------------------------- */

/* Checked on every call, so a plain fold and one multiply: an overwritten
 * field always changes it (the multiply is a bijection), and folding in h
 * refuses a header copied or moved elsewhere. The fast paths use only the
 * fields under fast_guard and check only that; everything else checks
 * both (heap_check), and guard covers fast_guard too. */
static inline uint64_t heap_fast_guard_of(const Heap *h, const uint8_t *area, uint64_t top, uint64_t secret,
                                          uint64_t zeroed_below)
{
	return ((uint64_t)(uintptr_t)h ^ (uint64_t)(uintptr_t)area ^ top ^ secret ^ zeroed_below) * MIX_K2;
}

static inline uint64_t heap_guard_of(const Heap *h)
{
	return ((uint64_t)(uintptr_t)h ^ h->fast_guard ^ (uint64_t)(uintptr_t)h->heads ^ h->bitmap_words ^
	        h->fl_count) * MIX_K1;
}

static inline HeapResult heap_check(const Heap *h)
{
	if (!h)
		return HEAP_INVALID_POINTER;
	return unlikely(h->guard != heap_guard_of(h) ||
	                h->fast_guard != heap_fast_guard_of(h, h->area, h->top, h->secret, h->zeroed_below))
		? HEAP_CORRUPT : HEAP_OK;
}

/* A tag is sound at c when ((tag ^ c ^ secret) * MIX_K1) has its top 24
 * bits clear. Multiplying by an odd constant is a bijection, and the top 24
 * bits of the product are (a + check' * MIX_K1) mod 2^24, a depending only
 * on the low 40 bits and check' the check bits mixed with c and secret: so
 * each size, flags and address has exactly one sound check, as if it were
 * computed and compared, and any change to either part shows. Verifying
 * is an xor, a multiply and a shift; making it (slow paths only) solves
 * for the check with MIX_K1's inverse. The address is mixed in so that a
 * header copied elsewhere does not verify. */
#define MIX_K1_INV UINT64_C(0xf1de83e19937733d)
_Static_assert((uint64_t)(MIX_K1 * MIX_K1_INV) == 1, "MIX_K1_INV is MIX_K1's inverse");

static inline bool tag_ok_with(uint64_t secret, const Chunk *c, uint64_t tag)
{
	return ((tag ^ (uint64_t)(uintptr_t)c ^ secret) * MIX_K1) >> TAG_LOW_BITS == 0;
}

static inline bool tag_ok(const Heap *h, const Chunk *c, uint64_t tag)
{
	return tag_ok_with(h->secret, c, tag);
}

static inline uint64_t tag_make(const Heap *h, const Chunk *c, uint64_t low)
{
	uint64_t mix = (uint64_t)(uintptr_t)c ^ h->secret;
	uint64_t a = ((low ^ mix) & TAG_LOW_MASK) * MIX_K1 >> TAG_LOW_BITS;
	uint64_t check = (0 - a) * MIX_K1_INV ^ mix >> TAG_LOW_BITS;
	return low | check << TAG_LOW_BITS; /* the shift keeps check's low 24 bits */
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

/* The bitmap's word w lies at area - 8 * (w + 1): it grows down from the
 * area, so that the area's address, already sealed and loaded, finds it.
 * Bit off / 16 % 64 of word off / 1024 is the granule at off. */
#define BITMAP_WORD_SHIFT 10u
/* A bitmap page of BITMAP_PAGE_WORDS words covers 1 << PAGE_SHIFT bytes of
 * area; zeroed[off >> PAGE_SHIFT] says whether it has been zeroed. */
#define PAGE_SHIFT 19u
_Static_assert(GRANULE * 64 == 1u << BITMAP_WORD_SHIFT, "a bitmap word covers 64 granules");
_Static_assert(GRANULE * 64 * BITMAP_PAGE_WORDS == 1u << PAGE_SHIFT, "a bitmap page covers 512 KiB");

static inline uint64_t *bitmap_word(uint8_t *area, uint64_t off)
{
	return (uint64_t *)area + ~(ptrdiff_t)(off >> BITMAP_WORD_SHIFT);
}

static inline uint64_t bitmap_bit(uint64_t off)
{
	return (uint64_t)1 << (off / GRANULE % 64);
}

static inline bool bitmap_test(uint64_t word, uint64_t off)
{
	return word >> (off / GRANULE % 64) & 1;
}

static inline bool page_zeroed(const Heap *h, uint64_t off)
{
	return h->zeroed[off >> PAGE_SHIFT];
}

static inline bool live_test(const Heap *h, uint64_t off)
{
	return page_zeroed(h, off) && bitmap_test(*bitmap_word(h->area, off), off);
}

/* Zeroes bitmap page page, the first time a live chunk starts in it. */
HEAP_HIDDEN void heap_page_zero(Heap *h, uint64_t page);

static inline void live_set(Heap *h, uint64_t off)
{
	if (!page_zeroed(h, off))
		heap_page_zero(h, off >> PAGE_SHIFT);
	*bitmap_word(h->area, off) |= bitmap_bit(off);
}

static inline void live_clear(Heap *h, uint64_t off)
{
	*bitmap_word(h->area, off) &= ~bitmap_bit(off);
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
/* Could c be handed out as a quick chunk of size? */
static inline bool quick_chunk_ok(const Heap *h, const Chunk *c, uint64_t size)
{
	uint64_t tag = in_area(h, c) ? c->tag : TAG_FREE, off = chunk_off(h, c);
	return !(tag & TAG_FREE) && tag_size(tag) == size && tag_ok(h, c, tag) && page_zeroed(h, off) &&
	       !live_test(h, off);
}

static inline HOT HeapResult quick_pop(Heap *h, uint64_t size, Chunk **out, bool make_live)
{
	Quick *q = &h->quick[size / GRANULE];
	Chunk *c = q->head;
	if (!c)
		return HEAP_NO_MEMORY;
	/* What a list lost to the damage leaves held with its depth, so that
	 * in use does not change. */
	if (unlikely(!quick_chunk_ok(h, c, size))) {
		h->held -= q->count * (size - CHUNK_OVERHEAD);
		q->head = NULL;
		q->count = 0;
		return HEAP_CORRUPT;
	}
	Chunk *n = c->next_free;
	if (unlikely(n && !in_area(h, n))) {
		h->held -= (q->count - 1) * (size - CHUNK_OVERHEAD);
		c->next_free = NULL;
		q->count = 1;
		return HEAP_CORRUPT;
	}
	q->head = n;
	q->count--;
	if (make_live)
		*bitmap_word(h->area, chunk_off(h, c)) |= bitmap_bit(chunk_off(h, c));
	else
		h->held -= size - CHUNK_OVERHEAD; /* on its way to the free lists */
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
/* Files the hot chunk into its quick list (or, that full, the free lists);
 * false if it was overwritten, and then drops it, out of held, as
 * quick_pop drops a list. Before the general path takes from the lists. */
HEAP_HIDDEN COLD bool heap_hot_settle(Heap *h);
/* Takes a chunk of at least size bytes from the free lists (flushing the
 * quick lists into them if that is what it takes), splits off the rest and
 * marks it live. */
HEAP_HIDDEN COLD HeapResult heap_list_take(Heap *h, uint64_t size, Chunk **out);

#endif /* EXPERT_HEAP_INTERNAL_H */
