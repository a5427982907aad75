/* heap.c — a TLSF allocator that lives entirely inside one job's pool region.
 *
 * Layout of the region (every part 16-byte aligned):
 *
 *   [ Heap | list heads | zeroed ][ live bitmap ][ chunks ....... | sentinel ]
 *
 * Chunks are laid out as in glibc: a chunk at c spans [c, c + size), size a
 * multiple of 16, and hands out [c + 16, c + size + 8). Its first word
 * (prev_size) is lent to the previous chunk while that one is in use and is
 * its boundary tag while it is free; the second word is the tag (size, flags,
 * check). A used chunk so costs 8 bytes, and the first byte written past a
 * block lands in the next tag, where the check catches it.
 *
 * Free chunks sit in two-level segregated lists (TLSF, Masmano et al. 2004):
 * O(1) alloc and free with immediate coalescing through the boundary tags.
 * In front of them, small chunks freed recently wait uncoalesced in short
 * per-size LIFO "quick" lists (glibc's tcache idea): the churn of small
 * blocks that dominates parsers then costs a push and a pop. A request the
 * lists cannot meet first flushes the quick lists, so nothing is lost to them.
 *
 * Nothing here trusts the region. The child owns it and may scribble on it;
 * that can only break the child's own allocations, never make us touch memory
 * outside the region or obey a pointer that is not a live block:
 *   - the Heap header's fixed fields are sealed by a guard word;
 *   - a pointer is a live block only if its bit in the live bitmap is set
 *     (exact, O(1): interior, freed, foreign and misaligned pointers fail);
 *   - every tag carries a 24-bit check of (size, flags, address, secret),
 *     verified before the size is used, and sizes are clamped to the area;
 *   - list links are range-checked, and doubly linked ones must point back,
 *     before anything is written through them;
 *   - every check comes before the first write, so a refused call leaves the
 *     heap as it was. (Corruption found inside a list drops or trims that
 *     list, so that the next call does not trip over it again.)
 * The secret is stored in the region: it defends against accidents, not
 * against the child, which has nothing to gain by fooling its own heap.
 *
 * Not thread-safe: the runtime serialises calls.
 */
#include "heap.h"

#include <string.h>

#define GRANULE        16u
#define CHUNK_OVERHEAD 8u   /* the tag; prev_size is lent to the previous chunk */
#define CHUNK_HEADER   16u  /* offset of the payload from the chunk */
#define CHUNK_MIN      32u  /* header + two free-list links */
/* The tag keeps sizes in 40 bits; a larger region is used up to this much. */
#define AREA_MAX       ((uint64_t)1 << 40)

/* 32 second-level lists per power of two: rounding to a class wastes at most
 * ~3%. Below 512 bytes the classes are exact 16-byte steps. */
#define SL_LOG2      5u
#define SL_COUNT     (1u << SL_LOG2)
#define FL_SHIFT     (SL_LOG2 + 4u)
#define SMALL_LIMIT  ((uint64_t)1 << FL_SHIFT)
#define FL_COUNT_MAX 32u    /* fl of the largest chunk, AREA_MAX - 16, is 31 */

/* Quick lists hold chunks below SMALL_LIMIT, one list per exact size. Their
 * depth bounds what they keep from coalescing to 16 KiB per size class. */
#define QUICK_DEPTH 32u

#define TAG_FREE      ((uint64_t)1)
#define TAG_PREV_FREE ((uint64_t)2)
#define TAG_LOW_BITS  40u
#define TAG_LOW_MASK  (((uint64_t)1 << TAG_LOW_BITS) - 1)
#define TAG_SIZE_MASK (TAG_LOW_MASK & ~(uint64_t)(GRANULE - 1))

#define MIX_K1 UINT64_C(0x9e3779b97f4a7c15)
#define MIX_K2 UINT64_C(0xc2b2ae3d27d4eb4f)

/* The bitmap is zeroed a page at a time, on the first bit set in that page:
 * init stays cheap and bitmap pages get dirty only where the area is used.
 * (Zeroing it all would write 512 MiB up front for a 64 GiB region.) */
#define BITMAP_PAGE_WORDS 512u

/* The small-block fast paths: inlined into the entry points. */
#define HOT __attribute__((always_inline))
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

static inline uint64_t rotl(uint64_t x, unsigned r)
{
	return x << r | x >> (64u - r);
}

/* Every call checks the guard, so it is a plain fold and one multiply: one
 * overwritten field always changes it (the multiply is a bijection). Folding
 * in h itself also refuses a header copied or moved elsewhere. */
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

/* Could a chunk start at p? Integer arithmetic, because p may point
 * anywhere. A chunk starts at most at top - 16, so all four of its words lie
 * inside the area. */
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

/* ---- live bitmap -------------------------------------------------------- */

static inline bool live_test(const Heap *h, uint64_t off)
{
	uint64_t g = off / GRANULE, w = g / 64, page = w / BITMAP_PAGE_WORDS;
	return (h->zeroed[page / 64] >> (page % 64) & 1) && (h->bitmap[w] >> (g % 64) & 1);
}

/* off < top, so w and page index inside the bitmap whatever the bits say. */
static inline void live_set(Heap *h, uint64_t off)
{
	uint64_t g = off / GRANULE, w = g / 64, page = w / BITMAP_PAGE_WORDS;
	if (!(h->zeroed[page / 64] >> (page % 64) & 1)) {
		uint64_t first = page * BITMAP_PAGE_WORDS, n = h->bitmap_words - first;
		memset(&h->bitmap[first], 0, (n < BITMAP_PAGE_WORDS ? n : BITMAP_PAGE_WORDS) * sizeof(uint64_t));
		h->zeroed[page / 64] |= (uint64_t)1 << (page % 64);
	}
	h->bitmap[w] |= (uint64_t)1 << (g % 64);
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

static inline void list_unmark(Heap *h, unsigned fl, unsigned sl)
{
	h->sl_bitmap[fl] &= ~(1u << sl);
	if (!h->sl_bitmap[fl])
		h->fl_bitmap &= ~((uint64_t)1 << fl);
}

/* A free chunk we are about to unlink: its tag, bounds and both links must
 * agree, or unlinking would write through whatever a use-after-free left in
 * them (glibc's "corrupted double-linked list" check). c must be in_area. */
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
	h->heads[fl * SL_COUNT + sl] = n;
	if (!n)
		list_unmark(h, fl, sl);
}

static void list_insert(Heap *h, Chunk *c, uint64_t size)
{
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
	if (fl < h->fl_count) {
		uint32_t sl_map = h->sl_bitmap[fl] & (~0u << sl);
		if (!sl_map) {
			uint64_t fl_map = h->fl_bitmap & (~(uint64_t)0 << (fl + 1));
			fl = fl_map ? (unsigned)__builtin_ctzll(fl_map) : FL_COUNT_MAX;
			sl_map = fl < h->fl_count ? h->sl_bitmap[fl] : 0;
		}
		if (sl_map) {
			*fl_out = fl;
			*sl_out = (unsigned)__builtin_ctz(sl_map);
			return true;
		}
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

/* ---- releasing to the free lists ---------------------------------------- */

/* The neighbours a release merges with, all verified before any write. */
typedef struct {
	Chunk *c, *next, *prev;
	uint64_t size, ntag;
} Release;

static HeapResult release_check(const Heap *h, Chunk *c, uint64_t tag, Release *r)
{
	r->c = c;
	r->size = tag_size(tag);
	r->prev = NULL;
	if (!size_ok(h, c, r->size))
		return HEAP_CORRUPT;
	r->next = chunk_at(c, r->size);
	r->ntag = r->next->tag;
	if (!tag_ok(h, r->next, r->ntag) ||
	    ((r->ntag & TAG_FREE) && !free_chunk_ok(h, r->next, r->ntag)))
		return HEAP_CORRUPT;
	if (tag & TAG_PREV_FREE) {
		uint64_t ps = c->prev_size;
		if (ps > chunk_off(h, c) || ps < CHUNK_MIN || (ps & (GRANULE - 1)))
			return HEAP_CORRUPT;
		Chunk *p = (Chunk *)((uint8_t *)c - ps);
		if (!free_chunk_ok(h, p, p->tag) || tag_size(p->tag) != ps)
			return HEAP_CORRUPT;
		r->prev = p;
	}
	return HEAP_OK;
}

static void release_commit(Heap *h, const Release *r)
{
	Chunk *c = r->c;
	uint64_t size = r->size, keep = 0;
	if (r->ntag & TAG_FREE) {
		list_remove(h, r->next, tag_size(r->ntag));
		size += tag_size(r->ntag);
	} else {
		tag_set_prev_free(h, r->next, r->ntag, true);
	}
	if (r->prev) {
		uint64_t ptag = r->prev->tag;
		list_remove(h, r->prev, tag_size(ptag));
		c = r->prev;
		size += tag_size(ptag);
		keep = ptag & TAG_PREV_FREE;
	}
	c->tag = tag_make(h, c, size | TAG_FREE | keep);
	chunk_at(c, size)->prev_size = size;
	list_insert(h, c, size);
}

/* Gives free space back from c + size to the end of c, merged with a free
 * next chunk; c keeps the first size bytes. All checks come before writes. */
static HeapResult chunk_trim(Heap *h, Chunk *c, uint64_t tag, uint64_t size)
{
	uint64_t csize = tag_size(tag), rest = csize - size;
	Chunk *next = chunk_at(c, csize);
	uint64_t ntag = next->tag;
	if (!tag_ok(h, next, ntag) || ((ntag & TAG_FREE) && !free_chunk_ok(h, next, ntag)))
		return HEAP_CORRUPT;
	if (ntag & TAG_FREE) {
		list_remove(h, next, tag_size(ntag));
		rest += tag_size(ntag);
	} else {
		tag_set_prev_free(h, next, ntag, true);
	}
	Chunk *r = chunk_at(c, size);
	r->tag = tag_make(h, r, rest | TAG_FREE);
	chunk_at(r, rest)->prev_size = rest;
	list_insert(h, r, rest);
	c->tag = tag_make(h, c, size | (tag & TAG_PREV_FREE));
	return HEAP_OK;
}

/* ---- quick lists -------------------------------------------------------- */

/* Takes the head of the quick list for exactly size; with make_live, marks
 * it live too. A quick chunk looks used to its neighbours and has been live
 * (so its bitmap page is zeroed) but is not now: that is also what keeps a
 * scribbled link from handing out a block twice. */
static inline HOT HeapResult quick_pop(Heap *h, uint64_t size, Chunk **out, bool make_live)
{
	unsigned i = (unsigned)(size / GRANULE);
	Chunk *c = h->quick[i];
	if (!c)
		return HEAP_NO_MEMORY;
	uint64_t tag = in_area(h, c) ? c->tag : TAG_FREE;
	uint64_t g = chunk_off(h, c) / GRANULE, w = g / 64, page = w / BITMAP_PAGE_WORDS;
	if (unlikely((tag & TAG_FREE) || tag_size(tag) != size || !tag_ok(h, c, tag) ||
	             !(h->zeroed[page / 64] >> (page % 64) & 1) || (h->bitmap[w] >> (g % 64) & 1))) {
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
		h->bitmap[w] |= (uint64_t)1 << (g % 64);
		h->in_use += size - CHUNK_OVERHEAD;
	}
	*out = c;
	return HEAP_OK;
}

/* Releases every quick chunk into the free lists; true if any was. */
static bool quick_flush(Heap *h)
{
	bool any = false;
	for (unsigned i = CHUNK_MIN / GRANULE; i < SL_COUNT; i++) {
		Chunk *c;
		Release r;
		while (quick_pop(h, (uint64_t)i * GRANULE, &c, false) == HEAP_OK) {
			if (release_check(h, c, c->tag, &r) == HEAP_OK) {
				release_commit(h, &r);
				any = true;
			}
		}
	}
	return any;
}

/* ---- taking and freeing chunks ------------------------------------------ */

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

/* Takes a chunk of at least size bytes from the free lists, the rest split
 * off, and marks it live; *got is its final size. */
static HeapResult chunk_take(Heap *h, uint64_t size, Chunk **out, uint64_t *got)
{
	unsigned fl, sl;
	if (!list_find(h, size, &fl, &sl) && (!quick_flush(h) || !list_find(h, size, &fl, &sl)))
		return HEAP_NO_MEMORY;
	Chunk *c = h->heads[fl * SL_COUNT + sl];
	uint64_t tag = c && in_area(h, c) ? c->tag : 0;
	if (!(tag & TAG_FREE) || !tag_ok(h, c, tag) || tag_size(tag) < size ||
	    !size_ok(h, c, tag_size(tag))) {
		/* Nothing in this list can be trusted: give it up. */
		h->heads[fl * SL_COUNT + sl] = NULL;
		list_unmark(h, fl, sl);
		return HEAP_CORRUPT;
	}
	if (c->prev_free || !free_chunk_ok(h, c, tag)) {
		/* The chunk is sound but its links were scribbled on (a write
		 * after free): keep it as the list's only member. */
		c->next_free = c->prev_free = NULL;
		return HEAP_CORRUPT;
	}
	uint64_t csize = tag_size(tag);
	Chunk *next = chunk_at(c, csize);
	if (csize - size >= CHUNK_MIN) {
		list_remove(h, c, csize);
		Chunk *r = chunk_at(c, size);
		r->tag = tag_make(h, r, (csize - size) | TAG_FREE);
		next->prev_size = csize - size;
		list_insert(h, r, csize - size);
		csize = size;
	} else {
		uint64_t ntag = next->tag;
		list_remove(h, c, csize);
		if (!tag_ok(h, next, ntag)) {
			/* The chunk after was overwritten. Quarantine c as used
			 * but not live, so that nothing merges into the damage. */
			c->tag = tag_make(h, c, csize | (tag & TAG_PREV_FREE));
			return HEAP_CORRUPT;
		}
		tag_set_prev_free(h, next, ntag, false);
	}
	c->tag = tag_make(h, c, csize | (tag & TAG_PREV_FREE));
	live_set(h, chunk_off(h, c));
	h->in_use += csize - CHUNK_OVERHEAD;
	*out = c;
	*got = csize;
	return HEAP_OK;
}

/* Maps a caller's pointer to its chunk, or says why it is not a live block.
 * The bitmap answers "live block start?" exactly; the tag check then tells
 * an overwritten header (CORRUPT) from a plain bad pointer. */
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

/* Frees a live chunk into the free lists, merging it with free neighbours. */
static COLD HeapResult chunk_release(Heap *h, Chunk *c, uint64_t tag)
{
	Release r;
	HeapResult res = release_check(h, c, tag, &r);
	if (res != HEAP_OK)
		return res;
	live_clear(h, chunk_off(h, c));
	h->in_use -= r.size - CHUNK_OVERHEAD;
	release_commit(h, &r);
	return HEAP_OK;
}

static inline HOT HeapResult chunk_free(Heap *h, Chunk *c, uint64_t tag)
{
	uint64_t size = tag_size(tag);
	unsigned i = (unsigned)(size / GRANULE);
	if (size >= SMALL_LIMIT || h->quick_count[i] >= QUICK_DEPTH)
		return chunk_release(h, c, tag);
	live_clear(h, chunk_off(h, c));
	h->in_use -= size - CHUNK_OVERHEAD;
	c->next_free = h->quick[i];
	h->quick[i] = c;
	h->quick_count[i]++;
	return HEAP_OK;
}

/* ---- public API --------------------------------------------------------- */

Heap *heap_init(void *region, size_t size)
{
	uintptr_t base = (uintptr_t)region;
	if (!region || (base & (HEAP_ALIGN - 1)) || size > UINTPTR_MAX - base)
		return NULL;
	uint64_t span = (uint64_t)size & ~(uint64_t)(GRANULE - 1);
	/* Past AREA_MAX plus its bitmap, the rest of a huge region goes unused. */
	if (span > AREA_MAX + AREA_MAX / 64)
		span = AREA_MAX + AREA_MAX / 64;

	/* Size the list table to the largest chunk the span could hold, so that
	 * a few-KB region does not pay for lists of terabyte chunks. The bitmap
	 * covers every granule of the span, a slight overestimate of the area. */
	unsigned sl;
	uint64_t fl_count = span < SMALL_LIMIT ? 1u
		: list_of(span < AREA_MAX ? span : AREA_MAX - GRANULE, &sl) + 1u;
	uint64_t bitmap_words = (span / GRANULE + 63) / 64;
	uint64_t pages = (bitmap_words + BITMAP_PAGE_WORDS - 1) / BITMAP_PAGE_WORDS;
	uint64_t head_bytes = sizeof(Heap) + fl_count * SL_COUNT * sizeof(Chunk *) +
	                      (pages + 63) / 64 * sizeof(uint64_t);
	head_bytes = (head_bytes + GRANULE - 1) & ~(uint64_t)(GRANULE - 1);
	uint64_t bitmap_bytes = (bitmap_words * sizeof(uint64_t) + GRANULE - 1) & ~(uint64_t)(GRANULE - 1);
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
	/* No syscalls here, so no getrandom: the region's and a stack address
	 * carry what ASLR gives, enough to tell two heaps' tags apart. */
	uint64_t mark = 0;
	h->secret = rotl(((uint64_t)base ^ span) * MIX_K1, 29) ^ (uint64_t)(uintptr_t)&mark;
	h->secret *= MIX_K2;
	h->guard = heap_guard(h);

	/* The sentinel is a used chunk of size 0: the last real chunk always has
	 * a next header to read, and no merge ever runs past the end. */
	Chunk *first = (Chunk *)h->area, *sentinel = chunk_at(first, h->top);
	sentinel->tag = tag_make(h, sentinel, TAG_PREV_FREE);
	sentinel->prev_size = h->top;
	first->prev_size = 0;
	first->tag = tag_make(h, first, h->top | TAG_FREE);
	list_insert(h, first, h->top);
	return h;
}

/* Everything but a quick hit: the free lists, after a flush if need be. */
static COLD HeapResult alloc_slow(Heap *h, uint64_t size, void **out)
{
	Chunk *c;
	uint64_t got;
	HeapResult res = chunk_take(h, size, &c, &got);
	if (res == HEAP_OK)
		*out = (uint8_t *)c + CHUNK_HEADER;
	return res;
}

HeapResult heap_alloc(Heap *heap, size_t size, void **out)
{
	if (!out)
		return HEAP_INVALID_POINTER;
	*out = NULL;
	HeapResult res = heap_check(heap);
	if (res != HEAP_OK)
		return res;
	uint64_t want = 0;
	res = request_size(size, &want);
	if (res != HEAP_OK)
		return res;
	if (want >= SMALL_LIMIT || !heap->quick[want / GRANULE])
		return alloc_slow(heap, want, out);
	Chunk *c = NULL;
	res = quick_pop(heap, want, &c, true);
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
	if (res != HEAP_OK)
		return res;
	return chunk_free(heap, c, tag);
}

/* Grows c in place by absorbing the free chunk after it, if that is enough.
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
	/* Absorbing all of next takes PREV_FREE from the chunk after it (used,
	 * by immediate coalescing), so that tag must be sound first. */
	if (total - size < CHUNK_MIN && !tag_ok(h, after, atag))
		return HEAP_CORRUPT;
	list_remove(h, next, tag_size(ntag));
	if (total - size >= CHUNK_MIN) {
		Chunk *r = chunk_at(c, size);
		r->tag = tag_make(h, r, (total - size) | TAG_FREE);
		after->prev_size = total - size;
		list_insert(h, r, total - size);
	} else {
		tag_set_prev_free(h, after, atag, false);
		size = total;
	}
	c->tag = tag_make(h, c, size | (tag & TAG_PREV_FREE));
	h->in_use += size - csize;
	return HEAP_OK;
}

HeapResult heap_realloc(Heap *heap, void *block, size_t size, void **out)
{
	if (!out)
		return HEAP_INVALID_POINTER;
	*out = NULL;
	if (!block)
		return heap_alloc(heap, size, out);
	HeapResult res = heap_check(heap);
	if (res != HEAP_OK)
		return res;
	Chunk *c = NULL, *n = NULL;
	uint64_t tag = 0, want = 0, got = 0;
	res = chunk_lookup(heap, block, &c, &tag);
	if (res != HEAP_OK)
		return res;
	if (size == 0)
		return chunk_free(heap, c, tag);
	res = request_size(size, &want);
	if (res != HEAP_OK)
		return res;

	if (want <= tag_size(tag)) {
		/* Shrink in place; a tail too small to be a chunk stays. */
		if (tag_size(tag) - want >= CHUNK_MIN) {
			res = chunk_trim(heap, c, tag, want);
			if (res != HEAP_OK)
				return res;
			heap->in_use -= tag_size(tag) - want;
		}
		*out = block;
		return HEAP_OK;
	}
	res = realloc_grow(heap, c, tag, want);
	if (res != HEAP_NO_MEMORY) {
		*out = res == HEAP_OK ? block : NULL;
		return res;
	}

	/* Move. Check that the old chunk can be released before taking the new
	 * one, so that a failure leaves nothing half done. */
	Release r;
	res = release_check(heap, c, tag, &r);
	if (res == HEAP_OK)
		res = chunk_take(heap, want, &n, &got);
	if (res != HEAP_OK)
		return res;
	memcpy((uint8_t *)n + CHUNK_HEADER, block, tag_size(tag) - CHUNK_OVERHEAD);
	/* Taking may have split a free neighbour of c and so flipped c's
	 * PREV_FREE: plan the release again from the tag as it is now. */
	res = tag_ok(heap, c, c->tag) ? release_check(heap, c, c->tag, &r) : HEAP_CORRUPT;
	if (res != HEAP_OK) {
		(void)chunk_free(heap, n, n->tag);
		return res;
	}
	live_clear(heap, chunk_off(heap, c));
	heap->in_use -= r.size - CHUNK_OVERHEAD;
	release_commit(heap, &r);
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
