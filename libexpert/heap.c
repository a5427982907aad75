/* heap.c — a TLSF allocator that lives entirely inside one job's pool region.
 *
 *   [ Heap | list heads | zeroed ][ live bitmap ][ chunks ....... | sentinel ]
 *
 * Chunks are laid out as in glibc: a chunk at c spans [c, c + size) and hands
 * out [c + 16, c + size + 8). Its first word (prev_size) is lent to the chunk
 * before while that one is in use and is its boundary tag while it is free;
 * the second is the tag (size, flags, check). So a used chunk costs 8 bytes,
 * and the first byte written past a block lands in a tag, where it shows.
 *
 * Free chunks sit in two-level segregated lists (TLSF, Masmano et al. 2004):
 * O(1) alloc and free, immediate coalescing. In front of them, small chunks
 * freed recently wait unmerged in short per-size LIFO "quick" lists (glibc's
 * tcache idea): the churn of small blocks that dominates parsers costs a push
 * and a pop. What the free lists cannot meet first flushes the quick lists.
 *
 * Nothing here trusts the region: the child may scribble on it, which can
 * break its own allocations but never make us write outside the region or
 * obey a pointer that is not a live block. The Heap's fixed fields are sealed
 * by a guard; a pointer is a live block only if its bit in the live bitmap is
 * set (exact: interior, freed, foreign pointers fail); every tag carries a
 * 24-bit check of size, flags, address and secret, verified before its size
 * is used; list links are range-checked, and doubly linked ones must point
 * back, before anything is written through them; and every check comes before
 * the first write, so a refused call leaves the heap as it was. Corruption met
 * inside a list trims or drops that list, so later calls do not trip on it.
 * The secret lives in the region: it is against accidents, not the child,
 * which has nothing to gain by fooling its own heap.
 *
 * Not thread-safe: the runtime serialises calls.
 */
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
#define unlikely(x) __builtin_expect(!!(x), 0)

typedef struct Chunk Chunk;
struct Chunk {
	uint64_t prev_size; /* previous chunk's size; meaningful only under TAG_PREV_FREE */
	uint64_t tag;       /* size | flags | check << 40 */
	Chunk *next_free;   /* while free or quick; the payload otherwise */
	Chunk *prev_free;   /* while free */
};

struct Heap {
	/* Fixed by heap_init and sealed, with the Heap's own address, by guard. */
	uint8_t *area;      /* first chunk */
	uint64_t *bitmap;   /* one bit per granule of the area: a live chunk starts here */
	uint64_t *zeroed;   /* one bit per bitmap page: that page has been zeroed */
	uint64_t bitmap_words;
	uint64_t top;       /* offset of the sentinel; chunks lie in [0, top) */
	uint64_t secret;
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

/* ---- integrity ---------------------------------------------------------- */

/* Checked on every call, so a plain fold and one multiply: an overwritten
 * field always changes it (the multiply is a bijection), and folding in h
 * refuses a header copied or moved elsewhere. */
static inline uint64_t heap_guard(const Heap *h)
{
	return ((uint64_t)(uintptr_t)h ^ (uint64_t)(uintptr_t)h->area ^
	        (uint64_t)(uintptr_t)h->bitmap ^ (uint64_t)(uintptr_t)h->zeroed ^
	        h->bitmap_words ^ h->top ^ h->fl_count ^ h->secret) * MIX_K2;
}

static inline HeapResult heap_check(const Heap *h)
{
	if (!h)
		return HEAP_INVALID_POINTER;
	return unlikely(h->guard != heap_guard(h)) ? HEAP_CORRUPT : HEAP_OK;
}

/* The address is mixed in so that a header copied elsewhere does not verify. */
static inline uint64_t tag_check(const Heap *h, const Chunk *c, uint64_t low)
{
	return ((low ^ (uint64_t)(uintptr_t)c ^ h->secret) * MIX_K1) >> TAG_LOW_BITS;
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

/* A free chunk we are about to unlink: its tag, bounds and both links must
 * agree, or unlinking would write through whatever a use-after-free left in
 * them (glibc's "corrupted double-linked list"). c must be in_area. */
static bool free_chunk_ok(const Heap *h, const Chunk *c, uint64_t tag)
{
	if (!(tag & TAG_FREE) || !tag_ok(h, c, tag) || !size_ok(h, c, tag_size(tag)))
		return false;
	const Chunk *n = c->next_free, *p = c->prev_free;
	if (n && (!in_area(h, n) || n->prev_free != c))
		return false;
	if (p)
		return in_area(h, p) && p->next_free == c;
	unsigned sl, fl = list_of(tag_size(tag), &sl);
	return fl < h->fl_count && h->heads[fl * SL_COUNT + sl] == c;
}

/* Only for chunks that passed free_chunk_ok. */
static void list_remove(Heap *h, Chunk *c, uint64_t size)
{
	Chunk *n = c->next_free, *p = c->prev_free;
	if (n)
		n->prev_free = p;
	if (p) {
		p->next_free = n;
		return;
	}
	unsigned sl, fl = list_of(size, &sl);
	if (n)
		h->heads[fl * SL_COUNT + sl] = n;
	else
		list_drop(h, fl, sl);
}

/* Makes [c, c + size) one free chunk: tag, boundary tag, list. */
static void make_free(Heap *h, Chunk *c, uint64_t size, uint64_t flags)
{
	c->tag = tag_make(h, c, size | TAG_FREE | flags);
	chunk_at(c, size)->prev_size = size;
	unsigned sl, fl = list_of(size, &sl);
	Chunk **head = &h->heads[fl * SL_COUNT + sl];
	/* A head outside the area is a scribbled header field: forgetting that
	 * list loses its chunks but keeps the write below inside the region. */
	Chunk *n = *head && in_area(h, *head) ? *head : NULL;
	c->next_free = n;
	c->prev_free = NULL;
	if (n)
		n->prev_free = c;
	*head = c;
	h->sl_bitmap[fl] |= 1u << sl;
	h->fl_bitmap |= (uint64_t)1 << fl;
}

/* Finds a list whose head fits size. Rounding size up to the next class
 * makes any chunk of the first non-empty list at or above it fit. */
static bool list_find(const Heap *h, uint64_t size, unsigned *fl_out, unsigned *sl_out)
{
	uint64_t rounded = size < SMALL_LIMIT ? size : size + ((uint64_t)1 << (msb64(size) - SL_LOG2)) - 1;
	unsigned sl, fl = list_of(rounded, &sl);
	uint32_t sl_map = fl < h->fl_count ? h->sl_bitmap[fl] & ~((1u << sl) - 1) : 0;
	if (!sl_map && fl < h->fl_count) {
		uint64_t fl_map = h->fl_bitmap & ~(((uint64_t)1 << (fl + 1)) - 1);
		fl = fl_map ? (unsigned)__builtin_ctzll(fl_map) : FL_COUNT_MAX;
		sl_map = fl < h->fl_count ? h->sl_bitmap[fl] : 0;
	}
	if (sl_map) {
		*fl_out = fl;
		*sl_out = (unsigned)__builtin_ctz(sl_map);
		return true;
	}
	/* Rounding skipped the one list that may still hold a fit, e.g. the
	 * untouched area when asked for all of it. Its head is an O(1) look. */
	fl = list_of(size, &sl);
	const Chunk *c = fl < h->fl_count ? h->heads[fl * SL_COUNT + sl] : NULL;
	if (!c || !in_area(h, c) || tag_size(c->tag) < size)
		return false;
	*fl_out = fl;
	*sl_out = sl;
	return true;
}

/* ---- releasing into the free lists -------------------------------------- */

/* Checks that the neighbours of c can be merged with (or left) and only then
 * writes: c joins the free lists, merged with any free neighbour. A live c
 * leaves the bitmap; a quick or new one never was in it. */
static COLD HeapResult chunk_release(Heap *h, Chunk *c, uint64_t tag, bool live)
{
	uint64_t size = tag_size(tag), flags = 0;
	if (!size_ok(h, c, size))
		return HEAP_CORRUPT;
	Chunk *next = chunk_at(c, size), *prev = NULL;
	uint64_t ntag = next->tag;
	if (!tag_ok(h, next, ntag) || ((ntag & TAG_FREE) && !free_chunk_ok(h, next, ntag)))
		return HEAP_CORRUPT;
	if (tag & TAG_PREV_FREE) {
		uint64_t ps = c->prev_size;
		if (ps > chunk_off(h, c) || ps < CHUNK_MIN || (ps & (GRANULE - 1)))
			return HEAP_CORRUPT;
		prev = (Chunk *)((uint8_t *)c - ps);
		if (!free_chunk_ok(h, prev, prev->tag) || tag_size(prev->tag) != ps)
			return HEAP_CORRUPT;
	}

	if (live) {
		live_clear(h, chunk_off(h, c));
		h->in_use -= size - CHUNK_OVERHEAD;
	}
	if (ntag & TAG_FREE) {
		list_remove(h, next, tag_size(ntag));
		size += tag_size(ntag);
	} else {
		tag_set_prev_free(h, next, ntag, true);
	}
	if (prev) {
		uint64_t ptag = prev->tag;
		list_remove(h, prev, tag_size(ptag));
		c = prev;
		size += tag_size(ptag);
		flags = ptag & TAG_PREV_FREE;
	}
	make_free(h, c, size, flags);
	return HEAP_OK;
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

/* Releases every quick chunk into the free lists; true if any went. A chunk
 * whose neighbour turns out overwritten stays out, used but not live. */
static bool quick_flush(Heap *h)
{
	bool any = false;
	Chunk *c;
	for (unsigned i = CHUNK_MIN / GRANULE; i < SL_COUNT; i++)
		while (quick_pop(h, (uint64_t)i * GRANULE, &c, false) == HEAP_OK)
			any |= chunk_release(h, c, c->tag, false) == HEAP_OK;
	return any;
}

static inline HOT HeapResult chunk_free(Heap *h, Chunk *c, uint64_t tag)
{
	uint64_t size = tag_size(tag);
	unsigned i = (unsigned)(size / GRANULE);
	if (size >= SMALL_LIMIT || h->quick_count[i] >= QUICK_DEPTH)
		return chunk_release(h, c, tag, true);
	live_clear(h, chunk_off(h, c));
	h->in_use -= size - CHUNK_OVERHEAD;
	c->next_free = h->quick[i];
	h->quick[i] = c;
	h->quick_count[i]++;
	return HEAP_OK;
}

/* ---- taking chunks ------------------------------------------------------ */

/* C's sizes to chunk sizes. Beyond PTRDIFF_MAX no C object can exist; below
 * it, a size the tag cannot hold is simply more than any region offers. */
static inline HeapResult request_size(size_t n, uint64_t *size)
{
	if (n > PTRDIFF_MAX)
		return HEAP_OVERFLOW;
	if ((uint64_t)n > AREA_MAX)
		return HEAP_NO_MEMORY;
	uint64_t s = ((uint64_t)n + CHUNK_OVERHEAD + GRANULE - 1) & ~(uint64_t)(GRANULE - 1);
	*size = s < CHUNK_MIN ? CHUNK_MIN : s;
	return HEAP_OK;
}

/* Takes a chunk of at least size bytes from the free lists (flushing the
 * quick lists into them if that is what it takes), splits off the rest and
 * marks it live. */
static COLD HeapResult list_take(Heap *h, uint64_t size, Chunk **out)
{
	unsigned fl, sl;
	if (!list_find(h, size, &fl, &sl) && (!quick_flush(h) || !list_find(h, size, &fl, &sl)))
		return HEAP_NO_MEMORY;
	Chunk *c = h->heads[fl * SL_COUNT + sl];
	uint64_t tag = c && in_area(h, c) ? c->tag : 0, csize = tag_size(tag);
	if (!(tag & TAG_FREE) || !tag_ok(h, c, tag) || csize < size || !size_ok(h, c, csize)) {
		list_drop(h, fl, sl); /* nothing in it can be trusted */
		return HEAP_CORRUPT;
	}
	if (c->prev_free || !free_chunk_ok(h, c, tag)) {
		/* A sound chunk whose links were scribbled on (a write after
		 * free): keep it as its list's only member. */
		c->next_free = c->prev_free = NULL;
		return HEAP_CORRUPT;
	}
	Chunk *next = chunk_at(c, csize);
	uint64_t ntag = next->tag;
	list_remove(h, c, csize);
	if (csize - size >= CHUNK_MIN) {
		make_free(h, chunk_at(c, size), csize - size, 0);
		csize = size;
	} else if (tag_ok(h, next, ntag)) {
		tag_set_prev_free(h, next, ntag, false);
	} else {
		/* The chunk after was overwritten: quarantine c as used but not
		 * live, so that nothing merges into the damage. */
		c->tag = tag_make(h, c, csize | (tag & TAG_PREV_FREE));
		return HEAP_CORRUPT;
	}
	c->tag = tag_make(h, c, csize | (tag & TAG_PREV_FREE));
	live_set(h, chunk_off(h, c));
	h->in_use += csize - CHUNK_OVERHEAD;
	*out = c;
	return HEAP_OK;
}

static inline HOT HeapResult chunk_take(Heap *h, uint64_t size, Chunk **out)
{
	if (size < SMALL_LIMIT && h->quick[size / GRANULE])
		return quick_pop(h, size, out, true);
	return list_take(h, size, out);
}

/* Maps a caller's pointer to its chunk, or says why it is not a live block:
 * the bitmap answers "live block start?" exactly, then the tag check tells an
 * overwritten header (CORRUPT) from a plain bad pointer. */
static inline HOT HeapResult chunk_lookup(const Heap *h, const void *p, Chunk **out, uint64_t *tagp)
{
	uint64_t off = (uint64_t)((uintptr_t)p - (uintptr_t)h->area - CHUNK_HEADER);
	if (unlikely(off >= h->top || (off & (GRANULE - 1))))
		return HEAP_INVALID_POINTER;
	Chunk *c = (Chunk *)(h->area + off);
	uint64_t tag = c->tag;
	if (unlikely(!live_test(h, off)))
		return HEAP_INVALID_POINTER;
	if (unlikely((tag & TAG_FREE) || !tag_ok(h, c, tag) || !size_ok(h, c, tag_size(tag))))
		return HEAP_CORRUPT;
	*out = c;
	*tagp = tag;
	return HEAP_OK;
}

/* ---- realloc in place --------------------------------------------------- */

/* Gives c's bytes from size on back, merged with a free next chunk. */
static HeapResult realloc_shrink(Heap *h, Chunk *c, uint64_t tag, uint64_t size)
{
	uint64_t csize = tag_size(tag);
	if (csize - size < CHUNK_MIN)
		return HEAP_OK; /* too small a tail to be a chunk: it stays */
	/* The tail is released as a chunk of its own; its next must pass the
	 * release's checks before c changes. */
	Chunk *next = chunk_at(c, csize), *tail = chunk_at(c, size);
	if (!tag_ok(h, next, next->tag) || ((next->tag & TAG_FREE) && !free_chunk_ok(h, next, next->tag)))
		return HEAP_CORRUPT;
	c->tag = tag_make(h, c, size | (tag & TAG_PREV_FREE));
	tail->tag = tag_make(h, tail, csize - size);
	h->in_use -= csize - size;
	return chunk_release(h, tail, tail->tag, false);
}

/* Grows c by absorbing the free chunk after it, if that is enough;
 * HEAP_NO_MEMORY means it is not, and the caller moves the block. */
static HeapResult realloc_grow(Heap *h, Chunk *c, uint64_t tag, uint64_t size)
{
	uint64_t csize = tag_size(tag);
	Chunk *next = chunk_at(c, csize);
	uint64_t ntag = next->tag;
	if (!tag_ok(h, next, ntag))
		return HEAP_CORRUPT;
	if (!(ntag & TAG_FREE))
		return HEAP_NO_MEMORY;
	if (!free_chunk_ok(h, next, ntag))
		return HEAP_CORRUPT;
	uint64_t total = csize + tag_size(ntag);
	if (total < size)
		return HEAP_NO_MEMORY;
	Chunk *after = chunk_at(c, total);
	uint64_t atag = after->tag;
	/* Absorbing all of next takes PREV_FREE from the chunk after it, so
	 * that tag must be sound first. */
	if (total - size < CHUNK_MIN && !tag_ok(h, after, atag))
		return HEAP_CORRUPT;
	list_remove(h, next, tag_size(ntag));
	if (total - size >= CHUNK_MIN) {
		make_free(h, chunk_at(c, size), total - size, 0);
	} else {
		tag_set_prev_free(h, after, atag, false);
		size = total;
	}
	c->tag = tag_make(h, c, size | (tag & TAG_PREV_FREE));
	h->in_use += size - csize;
	return HEAP_OK;
}

/* ---- public API --------------------------------------------------------- */

Heap *heap_init(void *region, size_t size)
{
	uintptr_t base = (uintptr_t)region;
	if (!region || (base & (HEAP_ALIGN - 1)) || size > UINTPTR_MAX - base)
		return NULL;
	uint64_t span = (uint64_t)size & ~(uint64_t)(GRANULE - 1);
	if (span > AREA_MAX + AREA_MAX / 64)
		span = AREA_MAX + AREA_MAX / 64; /* the area and its bitmap */

	/* The list table is sized to the largest chunk the span could hold, so
	 * that a few-KB region does not pay for lists of terabyte chunks. The
	 * bitmap covers the whole span, a slight overestimate of the area. */
	unsigned sl;
	uint64_t fl_count = span < SMALL_LIMIT ? 1u
		: list_of(span < AREA_MAX ? span : AREA_MAX - GRANULE, &sl) + 1u;
	uint64_t bitmap_words = (span / GRANULE + 63) / 64;
	uint64_t pages = (bitmap_words + BITMAP_PAGE_WORDS - 1) / BITMAP_PAGE_WORDS;
	uint64_t head_bytes = sizeof(Heap) + fl_count * SL_COUNT * sizeof(Chunk *) + (pages + 63) / 64 * 8;
	head_bytes = (head_bytes + GRANULE - 1) & ~(uint64_t)(GRANULE - 1);
	uint64_t bitmap_bytes = (bitmap_words * 8 + GRANULE - 1) & ~(uint64_t)(GRANULE - 1);
	if (span < head_bytes + bitmap_bytes + CHUNK_MIN + CHUNK_HEADER)
		return NULL;
	uint64_t area_len = span - head_bytes - bitmap_bytes;
	if (area_len > AREA_MAX)
		area_len = AREA_MAX;

	Heap *h = region;
	memset(h, 0, head_bytes);
	h->zeroed = (uint64_t *)&h->heads[fl_count * SL_COUNT];
	h->bitmap = (uint64_t *)((uint8_t *)region + head_bytes);
	h->bitmap_words = bitmap_words;
	h->area = (uint8_t *)h->bitmap + bitmap_bytes;
	h->top = area_len - CHUNK_HEADER;
	h->fl_count = fl_count;
	/* No syscalls, so no getrandom: the region's and a stack address carry
	 * what ASLR gives, enough to tell two heaps' tags apart. */
	uint64_t mark = 0;
	h->secret = (((uint64_t)base ^ span) * MIX_K1 ^ (uint64_t)(uintptr_t)&mark) * MIX_K2;
	h->guard = heap_guard(h);

	/* The sentinel is a used chunk of size 0: the last real chunk always has
	 * a next tag to read, and no merge runs past the end. */
	Chunk *first = (Chunk *)h->area, *sentinel = chunk_at(first, h->top);
	sentinel->tag = tag_make(h, sentinel, TAG_PREV_FREE);
	first->prev_size = 0;
	make_free(h, first, h->top, 0);
	return h;
}

HeapResult heap_alloc(Heap *heap, size_t size, void **out)
{
	if (!out)
		return HEAP_INVALID_POINTER;
	*out = NULL;
	HeapResult res = heap_check(heap);
	uint64_t want = 0;
	if (res == HEAP_OK)
		res = request_size(size, &want);
	if (res != HEAP_OK)
		return res;
	Chunk *c = NULL;
	res = chunk_take(heap, want, &c);
	if (res == HEAP_OK)
		*out = (uint8_t *)c + CHUNK_HEADER;
	return res;
}

HeapResult heap_free(Heap *heap, void *block)
{
	HeapResult res = heap_check(heap);
	if (res != HEAP_OK || !block)
		return res;
	Chunk *c = NULL;
	uint64_t tag = 0;
	res = chunk_lookup(heap, block, &c, &tag);
	return res == HEAP_OK ? chunk_free(heap, c, tag) : res;
}

HeapResult heap_realloc(Heap *heap, void *block, size_t size, void **out)
{
	if (!out)
		return HEAP_INVALID_POINTER;
	*out = NULL;
	if (!block)
		return heap_alloc(heap, size, out);
	Chunk *c = NULL, *n = NULL;
	uint64_t tag = 0, want = 0;
	HeapResult res = heap_check(heap);
	if (res == HEAP_OK)
		res = chunk_lookup(heap, block, &c, &tag);
	if (res != HEAP_OK)
		return res;
	if (size == 0)
		return chunk_free(heap, c, tag);
	res = request_size(size, &want);
	if (res != HEAP_OK)
		return res;

	res = want <= tag_size(tag) ? realloc_shrink(heap, c, tag, want)
	                            : realloc_grow(heap, c, tag, want);
	if (res != HEAP_NO_MEMORY) {
		*out = res == HEAP_OK ? block : NULL;
		return res;
	}

	/* Move. Should the old chunk then fail to release (a neighbour was
	 * overwritten), the new one goes back and the old stays as it was. */
	res = chunk_take(heap, want, &n);
	if (res != HEAP_OK)
		return res;
	memcpy((uint8_t *)n + CHUNK_HEADER, block, tag_size(tag) - CHUNK_OVERHEAD);
	/* Taking may have split or flushed a neighbour and so changed c's tag. */
	tag = c->tag;
	res = tag_ok(heap, c, tag) ? chunk_release(heap, c, tag, true) : HEAP_CORRUPT;
	if (res != HEAP_OK) {
		(void)chunk_release(heap, n, n->tag, true);
		return res;
	}
	*out = (uint8_t *)n + CHUNK_HEADER;
	return HEAP_OK;
}

size_t heap_block_size(const Heap *heap, const void *block)
{
	Chunk *c = NULL;
	uint64_t tag = 0;
	if (heap_check(heap) != HEAP_OK || chunk_lookup(heap, block, &c, &tag) != HEAP_OK)
		return 0;
	return (size_t)(tag_size(tag) - CHUNK_OVERHEAD);
}

size_t heap_bytes_in_use(const Heap *heap)
{
	return heap_check(heap) == HEAP_OK ? (size_t)heap->in_use : 0;
}

size_t heap_capacity(const Heap *heap)
{
	return heap_check(heap) == HEAP_OK ? (size_t)(heap->top - CHUNK_OVERHEAD) : 0;
}
