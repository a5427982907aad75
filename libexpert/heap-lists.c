/* heap-lists.c — the allocator's segregated free lists (see heap.c,
 * heap-internal.h): checking, unlinking and linking a free chunk, finding a
 * list that fits, releasing a chunk into the lists with its neighbours
 * merged, flushing the quick lists into them, and taking a chunk from them.
 * Out of line, as they were in one file (COLD), so the entry points' fast
 * paths need no stack frame. */
#include "heap-internal.h"

/* Also moves zeroed_below up over the pages zeroed in a row from it, so
 * that the fast paths need not read a zeroed byte below it, and seals it
 * again. Only the general path gets here, after heap_check passed in this
 * call: what is sealed again is what was checked, not a scribble. */
COLD void heap_page_zero(Heap *h, uint64_t page)
{
	uint64_t first = page * BITMAP_PAGE_WORDS, n = h->bitmap_words - first;
	n = n < BITMAP_PAGE_WORDS ? n : BITMAP_PAGE_WORDS;
	/* Words first .. first + n - 1, the last one lowest. */
	memset((uint64_t *)h->area - first - n, 0, n * 8);
	h->zeroed[page] = 1;
	uint64_t below = h->zeroed_below >> PAGE_SHIFT;
	if (page != below)
		return;
	uint64_t pages = (h->bitmap_words + BITMAP_PAGE_WORDS - 1) / BITMAP_PAGE_WORDS;
	while (below < pages && h->zeroed[below])
		below++;
	h->zeroed_below = below << PAGE_SHIFT;
	h->fast_guard = heap_fast_guard_of(h, h->area, h->top, h->secret, h->zeroed_below);
	h->guard = heap_guard_of(h);
}

bool heap_free_chunk_ok(const Heap *h, const Chunk *c, uint64_t tag)
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

void heap_list_remove(Heap *h, Chunk *c, uint64_t size)
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

void heap_make_free(Heap *h, Chunk *c, uint64_t size, uint64_t flags)
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

COLD HeapResult heap_chunk_release(Heap *h, Chunk *c, uint64_t tag, bool live)
{
	uint64_t size = tag_size(tag), flags = 0;
	if (!size_ok(h, c, size))
		return HEAP_CORRUPT;
	Chunk *next = chunk_at(c, size), *prev = NULL;
	uint64_t ntag = next->tag;
	if (!tag_ok(h, next, ntag) || ((ntag & TAG_FREE) && !heap_free_chunk_ok(h, next, ntag)))
		return HEAP_CORRUPT;
	if (tag & TAG_PREV_FREE) {
		uint64_t ps = c->prev_size;
		if (ps > chunk_off(h, c) || ps < CHUNK_MIN || (ps & (GRANULE - 1)))
			return HEAP_CORRUPT;
		prev = (Chunk *)((uint8_t *)c - ps);
		if (!heap_free_chunk_ok(h, prev, prev->tag) || tag_size(prev->tag) != ps)
			return HEAP_CORRUPT;
	}

	if (live) {
		live_clear(h, chunk_off(h, c));
		h->held -= size - CHUNK_OVERHEAD;
	}
	if (ntag & TAG_FREE) {
		heap_list_remove(h, next, tag_size(ntag));
		size += tag_size(ntag);
	} else {
		tag_set_prev_free(h, next, ntag, true);
	}
	if (prev) {
		uint64_t ptag = prev->tag;
		heap_list_remove(h, prev, tag_size(ptag));
		c = prev;
		size += tag_size(ptag);
		flags = ptag & TAG_PREV_FREE;
	}
	heap_make_free(h, c, size, flags);
	return HEAP_OK;
}

COLD bool heap_hot_settle(Heap *h)
{
	Chunk *c = h->hot.chunk;
	uint64_t size = h->hot.size;
	if (!c)
		return true;
	h->hot.chunk = NULL;
	if (size < CHUNK_MIN || size >= SMALL_LIMIT || !quick_chunk_ok(h, c, size)) {
		h->held -= size - CHUNK_OVERHEAD; /* lost, as a dropped list's chunks */
		return false;
	}
	Quick *q = &h->quick[size / GRANULE];
	if (!q->head)
		q->count = 0;
	if (q->count < QUICK_DEPTH) {
		c->next_free = q->head;
		q->head = c;
		q->count++;
		return true;
	}
	/* Out of held either way: released, or kept out (used, not live) if
	 * a neighbour turns out overwritten. */
	h->held -= size - CHUNK_OVERHEAD;
	(void)heap_chunk_release(h, c, c->tag, false);
	return true;
}

/* Releases every quick chunk into the free lists; true if any went. A chunk
 * whose neighbour turns out overwritten stays out, used but not live. */
static bool quick_flush(Heap *h)
{
	bool any = false;
	Chunk *c;
	for (unsigned i = CHUNK_MIN / GRANULE; i < SL_COUNT; i++)
		while (quick_pop(h, (uint64_t)i * GRANULE, &c, false) == HEAP_OK)
			any |= heap_chunk_release(h, c, c->tag, false) == HEAP_OK;
	return any;
}

COLD HeapResult heap_list_take(Heap *h, uint64_t size, Chunk **out)
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
	if (c->prev_free || !heap_free_chunk_ok(h, c, tag)) {
		/* A sound chunk whose links were scribbled on (a write after
		 * free): keep it as its list's only member. */
		c->next_free = c->prev_free = NULL;
		return HEAP_CORRUPT;
	}
	Chunk *next = chunk_at(c, csize);
	uint64_t ntag = next->tag;
	heap_list_remove(h, c, csize);
	if (csize - size >= CHUNK_MIN) {
		heap_make_free(h, chunk_at(c, size), csize - size, 0);
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
	h->held += csize - CHUNK_OVERHEAD;
	*out = c;
	return HEAP_OK;
}
