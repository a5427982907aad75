/* heap.c — a TLSF allocator that lives entirely inside one job's pool region.
 *
 *   [ Heap | zeroed | list heads ][ live bitmap ][ chunks ....... | sentinel ]
 *
 * The live bitmap is counted down from the area (word w at area - 8(w + 1))
 * and the zeroed flags, a byte per bitmap page, follow the struct: both are
 * found from the area's address and the Heap's own, with no pointers of
 * their own to load and seal.
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
 * and a pop. Before those, one hot slot holds the small block freed last
 * (when the slot was empty), for the next alloc of its size: the free writes
 * it at a fixed place, so that neither call waits for the free's tag (often
 * a cache miss) to learn which list to use. What the free lists cannot meet
 * first flushes the hot slot and the quick lists.
 *
 * Nothing here trusts the region: the child may scribble on it, which can
 * break its own allocations but never make us write outside the region or
 * obey a pointer that is not a live block. The Heap's fixed fields are
 * sealed by guards, checked before any of them is used; a pointer is a live
 * block only if its bit in the live bitmap is set (exact: interior, freed,
 * foreign pointers fail); every tag carries a 24-bit check of size, flags,
 * address and secret, verified before its size is used; list links are
 * range-checked, and doubly linked ones must point back, before anything is
 * written through them; and every check comes before the first write, so a
 * refused call leaves the heap as it was. Corruption met inside a list trims
 * or drops that list, so later calls do not trip on it. The secret lives in
 * the region: it is against accidents, not the child, which has nothing to
 * gain by fooling its own heap.
 *
 * Not thread-safe: the runtime serialises calls.
 *
 * heap_alloc and heap_free first try the hot slot and the quick lists,
 * making inline every check the general path would make there, on the
 * fixed fields read once: only when all pass is anything written;
 * otherwise the general path runs from the start, checks again and says
 * what is wrong. The fast paths use only the fields under fast_guard (the
 * area, the top, the secret and zeroed_below, the end of the bitmap pages
 * zeroed in a row from the start) and check that guard; the general path
 * checks both guards, so a scribble on a field only it uses (the list
 * heads' place, the bitmap's size, the list table's) is refused by the
 * first call that would use it. The general path files the hot block into
 * its quick list before it takes from the lists (chunk_take), so that it
 * need know nothing else of the slot.
 *
 * What the fast paths do not test on their own is implied: NULL fails the
 * range check (the region does not wrap, so NULL's offset from the area is
 * past the top); a chunk below zeroed_below is on a zeroed page, so its
 * zeroed byte need not be read; a tag is verified by one multiply
 * (tag_ok_with). zeroed_below is the one sealed field that changes after
 * init: the general path moves it up, and seals the header again, only
 * when it zeroes a page, in a call that began by checking both guards. The
 * books: held counts live, quick and hot chunks, and heap_bytes_in_use
 * takes the quick lists' and the hot block's bytes out, so a push or a pop
 * writes only its list (or the slot).
 *
 * Three files: this one has the entry points and their inlined fast paths,
 * heap-lists.c the out-of-line slow paths through the free lists, and
 * heap-internal.h the layout and the small checks both use.
 */
#include "heap.h"

#include "heap-internal.h"

#include <string.h>

/* ---- quick lists -------------------------------------------------------- */

static inline HOT HeapResult chunk_free(Heap *h, Chunk *c, uint64_t tag)
{
	uint64_t size = tag_size(tag);
	Quick *q = &h->quick[size / GRANULE % SL_COUNT];
	if (!q->head)
		q->count = 0;
	if (size >= SMALL_LIMIT || q->count >= QUICK_DEPTH)
		return heap_chunk_release(h, c, tag, true);
	live_clear(h, chunk_off(h, c));
	c->next_free = q->head;
	q->head = c;
	q->count++;
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

/* The general path's way to a chunk: the hot chunk goes to its list first,
 * so that it is found there (or flushed) like any quick chunk; if it was
 * overwritten, this call is refused, as one meeting a damaged quick list
 * is. Not earlier: a call refused before it gets here leaves the heap as
 * it was. */
static inline HOT HeapResult chunk_take(Heap *h, uint64_t size, Chunk **out)
{
	if (h->hot.chunk && unlikely(!heap_hot_settle(h)))
		return HEAP_CORRUPT;
	if (size < SMALL_LIMIT && h->quick[size / GRANULE].head)
		return quick_pop(h, size, out, true);
	return heap_list_take(h, size, out);
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
	if (!tag_ok(h, next, next->tag) || ((next->tag & TAG_FREE) && !heap_free_chunk_ok(h, next, next->tag)))
		return HEAP_CORRUPT;
	c->tag = tag_make(h, c, size | (tag & TAG_PREV_FREE));
	tail->tag = tag_make(h, tail, csize - size);
	h->held -= csize - size;
	return heap_chunk_release(h, tail, tail->tag, false);
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
	if (!heap_free_chunk_ok(h, next, ntag))
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
	heap_list_remove(h, next, tag_size(ntag));
	if (total - size >= CHUNK_MIN) {
		heap_make_free(h, chunk_at(c, size), total - size, 0);
	} else {
		tag_set_prev_free(h, after, atag, false);
		size = total;
	}
	c->tag = tag_make(h, c, size | (tag & TAG_PREV_FREE));
	h->held += size - csize;
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
	uint64_t zeroed_bytes = (pages + 7) & ~(uint64_t)7; /* the list heads after them are aligned */
	uint64_t head_bytes = sizeof(Heap) + zeroed_bytes + fl_count * SL_COUNT * sizeof(Chunk *);
	head_bytes = (head_bytes + GRANULE - 1) & ~(uint64_t)(GRANULE - 1);
	uint64_t bitmap_bytes = (bitmap_words * 8 + GRANULE - 1) & ~(uint64_t)(GRANULE - 1);
	if (span < head_bytes + bitmap_bytes + CHUNK_MIN + CHUNK_HEADER)
		return NULL;
	uint64_t area_len = span - head_bytes - bitmap_bytes;
	if (area_len > AREA_MAX)
		area_len = AREA_MAX;

	Heap *h = region;
	memset(h, 0, head_bytes);
	h->heads = (Chunk **)&h->zeroed[zeroed_bytes];
	h->bitmap_words = bitmap_words;
	/* The bitmap fills [head_bytes, head_bytes + bitmap_bytes), its words
	 * counted down from the area just after it (bitmap_word). */
	h->area = (uint8_t *)region + head_bytes + bitmap_bytes;
	h->top = area_len - CHUNK_HEADER;
	h->fl_count = fl_count;
	/* No syscalls, so no getrandom: the region's and a stack address carry
	 * what ASLR gives, enough to tell two heaps' tags apart. */
	uint64_t mark = 0;
	h->secret = (((uint64_t)base ^ span) * MIX_K1 ^ (uint64_t)(uintptr_t)&mark) * MIX_K2;
	h->fast_guard = heap_fast_guard_of(h, h->area, h->top, h->secret, h->zeroed_below);
	h->guard = heap_guard_of(h);

	/* The sentinel is a used chunk of size 0: the last real chunk always has
	 * a next tag to read, and no merge runs past the end. */
	Chunk *first = (Chunk *)h->area, *sentinel = chunk_at(first, h->top);
	sentinel->tag = tag_make(h, sentinel, TAG_PREV_FREE);
	first->prev_size = 0;
	heap_make_free(h, first, h->top, 0);
	return h;
}

/* ---- the fast paths ------------------------------------------------------ */

/* The fixed fields the fast paths use, read once and checked against the
 * guard in the same breath, so that every later use is from a register. */
typedef struct {
	uint8_t *area;
	uint64_t top, secret, zeroed_below;
	bool sealed;        /* the guard agrees */
} Fixed;

static inline HOT Fixed fixed_load(const Heap *h)
{
	Fixed f = { h->area, h->top, h->secret, h->zeroed_below, false };
	f.sealed = h->fast_guard == heap_fast_guard_of(h, f.area, f.top, f.secret, f.zeroed_below);
	return f;
}

/* Is the bitmap page of off zeroed (its bits this heap's)? Below the sealed
 * zeroed_below, where the chunks of a heap that grows from its start lie,
 * without a load. */
static inline HOT bool page_ok(const Heap *heap, const Fixed *f, uint64_t off)
{
	return off < f->zeroed_below || heap->zeroed[off >> PAGE_SHIFT];
}

/* Could a chunk start at this offset from the area? NULL needs no test of
 * its own: the region does not wrap (heap_init), so area + top + 16 is at
 * most 2^N and NULL's offset, 2^N - area (- 16 from a block), is at least
 * top. */
static inline HOT bool off_ok(const Fixed *f, uint64_t off)
{
	return off < f->top && !(off & (GRANULE - 1));
}

/* The largest request whose chunk is below SMALL_LIMIT: a quick list's. */
#define QUICK_REQUEST_MAX (SMALL_LIMIT - CHUNK_OVERHEAD - GRANULE)

static COLD HeapResult alloc_slow(Heap *heap, size_t size, void **out)
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

/* Everything quick_pop checks of a list's head before handing it out, from
 * registers: an in-area, aligned used chunk of exactly want bytes with a
 * sound tag, on a zeroed bitmap page and not live. */
static inline HOT bool quick_head_ok(const Heap *heap, const Fixed *f, const Chunk *c, uint64_t want)
{
	uint64_t off = (uint64_t)((uintptr_t)c - (uintptr_t)f->area);
	if (!off_ok(f, off))
		return false;
	uint64_t tag = c->tag;
	return (tag & (TAG_SIZE_MASK | TAG_FREE)) == want && tag_ok_with(f->secret, c, tag) &&
	       page_ok(heap, f, off) && !bitmap_test(*bitmap_word(f->area, off), off);
}

static inline HOT void make_live(const Fixed *f, const Chunk *c)
{
	uint64_t off = (uint64_t)((uintptr_t)c - (uintptr_t)f->area);
	*bitmap_word(f->area, off) |= bitmap_bit(off);
}

/* A small block from the hot slot or its quick list once every check
 * quick_pop makes has passed (quick_head_ok, and a link that is NULL or in
 * the area); otherwise the general path, which checks again and tells
 * what is wrong. A hot chunk that fails (of another size, or overwritten)
 * stays for the general path to file or drop. Its size is asked of its
 * tag, not of hot.size, which the last free stored from a load that may
 * still be on its way. */
HeapResult heap_alloc(Heap *heap, size_t size, void **out)
{
	if (unlikely(size > QUICK_REQUEST_MAX))
		return alloc_slow(heap, size, out);
	if (unlikely(!heap))
		return alloc_slow(heap, size, out);
	if (unlikely(!out))
		return alloc_slow(heap, size, out);
	Fixed f = fixed_load(heap);
	uint64_t want = ((uint64_t)size + CHUNK_OVERHEAD + GRANULE - 1) & ~(uint64_t)(GRANULE - 1);
	want = want < CHUNK_MIN ? CHUNK_MIN : want;
	if (unlikely(!f.sealed))
		return alloc_slow(heap, size, out);
	Chunk *c = heap->hot.chunk;
	if (c && quick_head_ok(heap, &f, c, want)) {
		make_live(&f, c);
		heap->hot.chunk = NULL;
		*out = (uint8_t *)c + CHUNK_HEADER;
		return HEAP_OK;
	}
	Quick *q = &heap->quick[want / GRANULE];
	c = q->head;
	if (unlikely(!quick_head_ok(heap, &f, c, want)))
		return alloc_slow(heap, size, out);
	Chunk *n = c->next_free;
	if (unlikely(n && !off_ok(&f, (uint64_t)((uintptr_t)n - (uintptr_t)f.area))))
		return alloc_slow(heap, size, out);
	make_live(&f, c);
	q->head = n;
	q->count--;
	*out = (uint8_t *)c + CHUNK_HEADER;
	return HEAP_OK;
}

static COLD HeapResult free_slow(Heap *heap, void *block)
{
	HeapResult res = heap_check(heap);
	if (res != HEAP_OK || !block)
		return res;
	Chunk *c = NULL;
	uint64_t tag = 0;
	res = chunk_lookup(heap, block, &c, &tag);
	return res == HEAP_OK ? chunk_free(heap, c, tag) : res;
}

/* A live small block into the hot slot, or onto its quick list if the
 * slot is taken, once every check chunk_lookup and chunk_free make has
 * passed, from registers: an in-area, aligned chunk on a zeroed bitmap page
 * with its live bit set, a used tag that is sound, a quick list's size
 * that fits below the top, and room in that list. Otherwise the general
 * path, which checks again and tells what is wrong; NULL goes there too
 * (off_ok). */
HeapResult heap_free(Heap *heap, void *block)
{
	if (unlikely(!heap))
		return free_slow(heap, block);
	Fixed f = fixed_load(heap);
	uint64_t off = (uint64_t)((uintptr_t)block - (uintptr_t)f.area - CHUNK_HEADER);
	if (unlikely(!f.sealed || !off_ok(&f, off)))
		return free_slow(heap, block);
	/* block is c's payload: the general path is given that, one register
	 * fewer to keep. */
	Chunk *c = (Chunk *)((uint8_t *)block - CHUNK_HEADER);
	uint64_t tag = c->tag, size = tag_size(tag), *word = bitmap_word(f.area, off);
	Quick *q = &heap->quick[size / GRANULE % SL_COUNT];
	uint64_t bits = *word;
	bool to_hot = !heap->hot.chunk;
	if (unlikely(!page_ok(heap, &f, off) || !bitmap_test(bits, off) || (tag & TAG_FREE) ||
	             !tag_ok_with(f.secret, c, tag) || size - CHUNK_MIN >= SMALL_LIMIT - CHUNK_MIN ||
	             off + size > f.top || (!to_hot && q->count >= QUICK_DEPTH)))
		return free_slow(heap, (uint8_t *)c + CHUNK_HEADER);
	*word = bits & ~bitmap_bit(off);
	if (to_hot) {
		heap->hot.chunk = c;
		heap->hot.size = size;
		return HEAP_OK;
	}
	c->next_free = q->head;
	q->head = c;
	q->count++;
	return HEAP_OK;
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

	/* Move. The old chunk is then freed as heap_free frees (a small one
	 * waits in its quick list, for the next block of its size). Should
	 * that fail (a neighbour was overwritten), the new one goes back and
	 * the old stays as it was. */
	res = chunk_take(heap, want, &n);
	if (res != HEAP_OK)
		return res;
	memcpy((uint8_t *)n + CHUNK_HEADER, block, tag_size(tag) - CHUNK_OVERHEAD);
	/* Taking may have split or flushed a neighbour and so changed c's tag. */
	tag = c->tag;
	res = tag_ok(heap, c, tag) ? chunk_free(heap, c, tag) : HEAP_CORRUPT;
	if (res != HEAP_OK) {
		(void)heap_chunk_release(heap, n, n->tag, true);
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
	if (heap_check(heap) != HEAP_OK)
		return 0;
	uint64_t in_use = heap->held;
	if (heap->hot.chunk)
		in_use -= heap->hot.size - CHUNK_OVERHEAD;
	for (uint64_t i = CHUNK_MIN / GRANULE; i < SL_COUNT; i++)
		in_use -= heap->quick[i].count * (i * GRANULE - CHUNK_OVERHEAD);
	return (size_t)in_use;
}

size_t heap_capacity(const Heap *heap)
{
	return heap_check(heap) == HEAP_OK ? (size_t)(heap->top - CHUNK_OVERHEAD) : 0;
}
