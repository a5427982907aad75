/* test-heap.c — the region allocator: C semantics, refusal of every pointer
 * that is not a live block, detection of overwritten headers, and agreement
 * with a shadow model under a long random run.
 */
#include "heap.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* A region with a heap laid over it, freed at scope exit. */
typedef struct {
	uint8_t *mem;
	size_t size;
	Heap *heap;
} Region;

static void region_clear(Region *r)
{
	free(r->mem);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Region, region_clear)

static void region_init(Region *r, size_t size)
{
	void *mem = NULL;
	g_assert_cmpint(posix_memalign(&mem, HEAP_ALIGN, size), ==, 0);
	/* Garbage, not zeros: the heap must not rely on a clean region. */
	memset(mem, 0xa5, size);
	r->mem = mem;
	r->size = size;
	r->heap = heap_init(mem, size);
	g_assert_nonnull(r->heap);
}

static void *alloc_ok(Heap *heap, size_t size)
{
	void *p = (void *)1;
	g_assert_cmpint(heap_alloc(heap, size, &p), ==, HEAP_OK);
	g_assert_nonnull(p);
	return p;
}

static void free_ok(Heap *heap, void *p)
{
	g_assert_cmpint(heap_free(heap, p), ==, HEAP_OK);
}

/* The heap still serves and takes back blocks of a few sizes. */
static void assert_usable(Heap *heap)
{
	void *a = alloc_ok(heap, 100), *b = alloc_ok(heap, 1000);
	memset(a, 1, 100);
	memset(b, 2, 1000);
	free_ok(heap, a);
	free_ok(heap, b);
}

/* Calls heap_free (or heap_realloc) with a pointer that must be refused, and
 * checks the refusal is complete: the expected result, not one byte of the
 * region changed, in-use unchanged, and the heap still working. */
static void assert_free_refused(Region *r, void *p, HeapResult expected)
{
	size_t in_use = heap_bytes_in_use(r->heap);
	/* A block whose own header is fine stays a block: only its free is refused. */
	size_t block_size = heap_block_size(r->heap, p);
	if (expected == HEAP_INVALID_POINTER)
		g_assert_cmpuint(block_size, ==, 0);
	g_autofree uint8_t *before = g_memdup2(r->mem, r->size);

	g_assert_cmpint(heap_free(r->heap, p), ==, expected);
	g_assert_true(memcmp(before, r->mem, r->size) == 0);

	/* Big enough that a live block would have to grow or move. */
	void *out = (void *)1;
	g_assert_cmpint(heap_realloc(r->heap, p, 4096, &out), ==, expected);
	g_assert_null(out);
	g_assert_true(memcmp(before, r->mem, r->size) == 0);

	g_assert_cmpuint(heap_block_size(r->heap, p), ==, block_size);
	g_assert_cmpuint(heap_bytes_in_use(r->heap), ==, in_use);
	assert_usable(r->heap);
	g_assert_cmpuint(heap_bytes_in_use(r->heap), ==, in_use);
}

/* ---- init --------------------------------------------------------------- */

static void test_init_tiny_region_is_refused(void)
{
	static const size_t sizes[] = { 0, 1, 16, 64, 256, 511 };
	g_autofree void *mem = NULL;
	g_assert_cmpint(posix_memalign(&mem, HEAP_ALIGN, 1024), ==, 0);
	for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++)
		g_assert_null(heap_init(mem, sizes[i]));
	g_assert_null(heap_init(NULL, 1 << 20));
}

static void test_init_misaligned_region_is_refused(void)
{
	g_autofree uint8_t *mem = NULL;
	g_assert_cmpint(posix_memalign((void **)&mem, HEAP_ALIGN, 65536), ==, 0);
	g_assert_null(heap_init(mem + 8, 65536 - 16));
	g_assert_null(heap_init(mem + 1, 65536 - 16));
	g_assert_nonnull(heap_init(mem + 16, 65536 - 16));
}

static void test_init_few_kb_region_serves_blocks(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 4096);
	size_t cap = heap_capacity(r.heap);
	g_assert_cmpuint(cap, >, 1024);
	g_assert_cmpuint(cap, <, 4096);
	assert_usable(r.heap);
}

static void test_init_capacity_fits_in_one_block(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 1 << 20);
	size_t cap = heap_capacity(r.heap);
	/* Metadata costs the header, list heads and ~1/128 for the bitmap. */
	g_assert_cmpuint(cap, >, (1 << 20) - (1 << 20) / 64);
	void *p = NULL;
	g_assert_cmpint(heap_alloc(r.heap, cap + 1, &p), ==, HEAP_NO_MEMORY);
	g_assert_null(p);
	p = alloc_ok(r.heap, cap);
	g_assert_cmpuint(heap_block_size(r.heap, p), ==, cap);
	memset(p, 0x5a, cap);
	g_assert_cmpuint(heap_bytes_in_use(r.heap), ==, cap);
	free_ok(r.heap, p);
	g_assert_cmpuint(heap_bytes_in_use(r.heap), ==, 0);
}

static void test_init_stale_bytes_are_not_blocks(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 4 << 20); /* filled with 0xa5 before init */
	uint8_t *a = alloc_ok(r.heap, 32);
	/* Granules whose part of the bitmap was never zeroed (it is zeroed
	 * lazily, 512 KiB of area at a time), and ones next to a live bit. */
	for (size_t i = 0; i < 8; i++)
		assert_free_refused(&r, r.mem + r.size / 4 * 3 + i * 16, HEAP_INVALID_POINTER);
	assert_free_refused(&r, a + 16, HEAP_INVALID_POINTER);
	assert_free_refused(&r, a + 64, HEAP_INVALID_POINTER);
	free_ok(r.heap, a);
}

static void test_init_64gib_region(void)
{
	size_t size = ((size_t)65 << 30);
	uint8_t *mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
	                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED) {
		g_test_skip("cannot reserve 65 GiB of address space here");
		return;
	}
	Heap *heap = heap_init(mem, size);
	g_assert_nonnull(heap);
	g_assert_cmpuint(heap_capacity(heap), >, (size_t)64 << 30);
	/* Only the pages holding headers get touched. */
	uint8_t *big = alloc_ok(heap, (size_t)60 << 30);
	big[0] = 1;
	big[((size_t)60 << 30) - 1] = 2;
	uint8_t *small = alloc_ok(heap, 100);
	g_assert_cmpuint((uintptr_t)small, >, (uintptr_t)big);
	void *p = NULL;
	g_assert_cmpint(heap_alloc(heap, (size_t)8 << 30, &p), ==, HEAP_NO_MEMORY);
	free_ok(heap, small);
	free_ok(heap, big);
	g_assert_cmpuint(heap_bytes_in_use(heap), ==, 0);
	p = alloc_ok(heap, (size_t)64 << 30);
	free_ok(heap, p);
	munmap(mem, size);
}

/* ---- alloc -------------------------------------------------------------- */

static void test_alloc_blocks_are_aligned_sized_and_disjoint(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 8 << 20);
	enum { N = 1200 };
	uint8_t *blocks[N];
	size_t sizes[N], used = 0;
	for (size_t i = 0; i < N; i++) {
		/* 0..1023 byte by byte, then powers of two and their neighbours. */
		sizes[i] = i < 1024 ? i : ((size_t)1 << (i % 16)) + (i % 3) - 1;
		blocks[i] = alloc_ok(r.heap, sizes[i]);
		size_t bs = heap_block_size(r.heap, blocks[i]);
		g_assert_cmpuint((uintptr_t)blocks[i] % HEAP_ALIGN, ==, 0);
		g_assert_cmpuint(bs, >=, sizes[i]);
		g_assert_cmpuint(bs, >, 0);
		g_assert_true(blocks[i] >= r.mem && blocks[i] + bs <= r.mem + r.size);
		memset(blocks[i], (int)(i & 0xff), bs);
		used += bs;
	}
	g_assert_cmpuint(heap_bytes_in_use(r.heap), ==, used);
	for (size_t i = 0; i < N; i++) {
		size_t bs = heap_block_size(r.heap, blocks[i]);
		for (size_t j = 0; j < bs; j++)
			g_assert_cmpuint(blocks[i][j], ==, i & 0xff);
	}
	for (size_t i = 0; i < N; i++)
		free_ok(r.heap, blocks[i]);
	g_assert_cmpuint(heap_bytes_in_use(r.heap), ==, 0);
}

static void test_alloc_zero_gives_unique_blocks(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	void *a = alloc_ok(r.heap, 0), *b = alloc_ok(r.heap, 0);
	g_assert_true(a != b);
	g_assert_cmpuint(heap_block_size(r.heap, a), >, 0);
	free_ok(r.heap, a);
	free_ok(r.heap, b);
}

static void test_alloc_overflowing_sizes_are_refused(void)
{
	static const size_t sizes[] = {
		SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 8, SIZE_MAX - 15, SIZE_MAX - 16,
		SIZE_MAX - 32, SIZE_MAX / 2 + 1,
	};
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	uint8_t *old = alloc_ok(r.heap, 40);
	memset(old, 7, 40);
	for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
		void *p = (void *)1;
		g_assert_cmpint(heap_alloc(r.heap, sizes[i], &p), ==, HEAP_OVERFLOW);
		g_assert_null(p);
		p = (void *)1;
		g_assert_cmpint(heap_realloc(r.heap, old, sizes[i], &p), ==, HEAP_OVERFLOW);
		g_assert_null(p);
	}
	/* Large but representable: just more than there is. */
	void *p = (void *)1;
	g_assert_cmpint(heap_alloc(r.heap, SIZE_MAX / 2, &p), ==, HEAP_NO_MEMORY);
	g_assert_cmpint(heap_alloc(r.heap, (size_t)1 << 50, &p), ==, HEAP_NO_MEMORY);
	g_assert_null(p);
	for (size_t j = 0; j < 40; j++)
		g_assert_cmpuint(old[j], ==, 7);
	g_assert_cmpuint(heap_bytes_in_use(r.heap), ==, heap_block_size(r.heap, old));
	free_ok(r.heap, old);
}

static void test_alloc_quota_reached_then_recovers_after_frees(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 1 << 20);
	size_t cap = heap_capacity(r.heap);
	GPtrArray *blocks = g_ptr_array_new();
	void *p;
	HeapResult res;
	while ((res = heap_alloc(r.heap, 1000, &p)) == HEAP_OK)
		g_ptr_array_add(blocks, p);
	g_assert_cmpint(res, ==, HEAP_NO_MEMORY);
	g_assert_null(p);
	g_assert_cmpuint(blocks->len, >, 900);

	/* Freeing every other block leaves only holes: a big block still fails. */
	for (guint i = 0; i < blocks->len; i += 2)
		free_ok(r.heap, blocks->pdata[i]);
	g_assert_cmpint(heap_alloc(r.heap, cap / 2, &p), ==, HEAP_NO_MEMORY);
	/* The rest of the frees coalesce it all back into one block. */
	for (guint i = 1; i < blocks->len; i += 2)
		free_ok(r.heap, blocks->pdata[i]);
	g_assert_cmpuint(heap_bytes_in_use(r.heap), ==, 0);
	p = alloc_ok(r.heap, cap);
	free_ok(r.heap, p);
	g_ptr_array_free(blocks, TRUE);
}

static void test_alloc_small_frees_coalesce_when_space_runs_out(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 1 << 20);
	GPtrArray *blocks = g_ptr_array_new();
	void *p;
	/* Sizes that go to the quick lists when freed, not straight to merging. */
	for (size_t n = 0; heap_alloc(r.heap, 24 + (n % 20) * 16, &p) == HEAP_OK; n++)
		g_ptr_array_add(blocks, p);
	for (guint i = 0; i < blocks->len; i++)
		free_ok(r.heap, blocks->pdata[i]);
	g_assert_cmpuint(heap_bytes_in_use(r.heap), ==, 0);
	p = alloc_ok(r.heap, heap_capacity(r.heap));
	free_ok(r.heap, p);
	g_ptr_array_free(blocks, TRUE);
}

/* ---- realloc ------------------------------------------------------------ */

static void test_realloc_null_allocates(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	void *p = NULL;
	g_assert_cmpint(heap_realloc(r.heap, NULL, 100, &p), ==, HEAP_OK);
	g_assert_nonnull(p);
	g_assert_cmpuint(heap_block_size(r.heap, p), >=, 100);
	free_ok(r.heap, p);
}

static void test_realloc_zero_frees(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	void *p = alloc_ok(r.heap, 100), *out = (void *)1;
	g_assert_cmpint(heap_realloc(r.heap, p, 0, &out), ==, HEAP_OK);
	g_assert_null(out);
	g_assert_cmpuint(heap_bytes_in_use(r.heap), ==, 0);
	g_assert_cmpint(heap_free(r.heap, p), ==, HEAP_INVALID_POINTER);
}

static void test_realloc_shrink_keeps_block_and_contents(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	uint8_t *p = alloc_ok(r.heap, 4000), *out = NULL;
	for (int i = 0; i < 4000; i++)
		p[i] = (uint8_t)i;
	g_assert_cmpint(heap_realloc(r.heap, p, 100, (void **)&out), ==, HEAP_OK);
	g_assert_true(out == p);
	g_assert_cmpuint(heap_block_size(r.heap, p), <, 200);
	g_assert_cmpuint(heap_bytes_in_use(r.heap), ==, heap_block_size(r.heap, p));
	for (int i = 0; i < 100; i++)
		g_assert_cmpuint(p[i], ==, (uint8_t)i);
	/* The tail went back: a block fits right behind. */
	uint8_t *q = alloc_ok(r.heap, 3000);
	g_assert_true(q > p && q < p + 4000);
	free_ok(r.heap, q);
	free_ok(r.heap, p);
}

static void test_realloc_grows_in_place_when_next_is_free(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	uint8_t *a = alloc_ok(r.heap, 100), *b = alloc_ok(r.heap, 2000);
	uint8_t *c = alloc_ok(r.heap, 100), *out = NULL;
	memset(a, 0x11, 100);
	free_ok(r.heap, b);
	g_assert_cmpint(heap_realloc(r.heap, a, 1500, (void **)&out), ==, HEAP_OK);
	g_assert_true(out == a);
	g_assert_cmpuint(heap_block_size(r.heap, a), >=, 1500);
	for (int i = 0; i < 100; i++)
		g_assert_cmpuint(a[i], ==, 0x11);
	/* Exactly up to the next used block: everything of b absorbed. */
	g_assert_cmpint(heap_realloc(r.heap, a, (size_t)(c - a) - 16 + 8, (void **)&out), ==, HEAP_OK);
	g_assert_true(out == a);
	g_assert_cmpuint(heap_bytes_in_use(r.heap), ==,
	                 heap_block_size(r.heap, a) + heap_block_size(r.heap, c));
	free_ok(r.heap, a);
	free_ok(r.heap, c);
	g_assert_cmpuint(heap_bytes_in_use(r.heap), ==, 0);
}

static void test_realloc_grows_by_move_preserving_contents(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 1 << 20);
	uint8_t *a = alloc_ok(r.heap, 1000), *wall = alloc_ok(r.heap, 10), *out = NULL;
	for (int i = 0; i < 1000; i++)
		a[i] = (uint8_t)(i * 7);
	g_assert_cmpint(heap_realloc(r.heap, a, 50000, (void **)&out), ==, HEAP_OK);
	g_assert_true(out != a);
	for (int i = 0; i < 1000; i++)
		g_assert_cmpuint(out[i], ==, (uint8_t)(i * 7));
	g_assert_cmpuint(heap_block_size(r.heap, a), ==, 0);
	g_assert_cmpuint(heap_bytes_in_use(r.heap), ==,
	                 heap_block_size(r.heap, out) + heap_block_size(r.heap, wall));
	free_ok(r.heap, out);
	free_ok(r.heap, wall);
}

static void test_realloc_failure_leaves_old_block_untouched(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	uint8_t *a = alloc_ok(r.heap, 1000);
	memset(a, 0x42, 1000);
	size_t in_use = heap_bytes_in_use(r.heap);
	void *out = (void *)1;
	g_assert_cmpint(heap_realloc(r.heap, a, 1 << 20, &out), ==, HEAP_NO_MEMORY);
	g_assert_null(out);
	g_assert_cmpuint(heap_bytes_in_use(r.heap), ==, in_use);
	g_assert_cmpuint(heap_block_size(r.heap, a), >=, 1000);
	for (int i = 0; i < 1000; i++)
		g_assert_cmpuint(a[i], ==, 0x42);
	free_ok(r.heap, a);
}

/* ---- free: pointers that are not live blocks ---------------------------- */

static void test_free_null_is_ok(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	g_assert_cmpint(heap_free(r.heap, NULL), ==, HEAP_OK);
	g_assert_cmpuint(heap_block_size(r.heap, NULL), ==, 0);
}

static void test_free_outside_region_is_reported_not_obeyed(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	void *a = alloc_ok(r.heap, 64);
	assert_free_refused(&r, r.mem + r.size + 16, HEAP_INVALID_POINTER);
	assert_free_refused(&r, r.mem - 16, HEAP_INVALID_POINTER);
	assert_free_refused(&r, (void *)(uintptr_t)16, HEAP_INVALID_POINTER);
	assert_free_refused(&r, (void *)UINTPTR_MAX, HEAP_INVALID_POINTER);
	/* Inside the region but in the heap's own metadata. */
	assert_free_refused(&r, r.mem + 16, HEAP_INVALID_POINTER);
	free_ok(r.heap, a);
}

static void test_free_misaligned_is_reported_not_obeyed(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	uint8_t *a = alloc_ok(r.heap, 64);
	for (int d = 1; d < 16; d++)
		assert_free_refused(&r, a + d, HEAP_INVALID_POINTER);
	free_ok(r.heap, a);
}

static void test_free_interior_is_reported_not_obeyed(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	uint8_t *a = alloc_ok(r.heap, 256);
	memset(a, 0, 256);
	assert_free_refused(&r, a + 16, HEAP_INVALID_POINTER);
	assert_free_refused(&r, a + 128, HEAP_INVALID_POINTER);
	/* Even with a perfect copy of a's header planted inside a. */
	memcpy(a + 96, a - 16, 16);
	assert_free_refused(&r, a + 112, HEAP_INVALID_POINTER);
	free_ok(r.heap, a);
}

static void test_free_double_free_is_reported_not_obeyed(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	/* A small block waits in the hot slot after its free, the next one in
	 * a quick list... */
	uint8_t *a = alloc_ok(r.heap, 64), *d = alloc_ok(r.heap, 64);
	free_ok(r.heap, a);
	assert_free_refused(&r, a, HEAP_INVALID_POINTER);
	free_ok(r.heap, d);
	assert_free_refused(&r, d, HEAP_INVALID_POINTER);
	/* ...a larger one is merged at once, here with its free neighbours. */
	uint8_t *b = alloc_ok(r.heap, 2000), *c = alloc_ok(r.heap, 2000);
	free_ok(r.heap, b);
	assert_free_refused(&r, b, HEAP_INVALID_POINTER);
	free_ok(r.heap, c);
	assert_free_refused(&r, c, HEAP_INVALID_POINTER);
	assert_free_refused(&r, b, HEAP_INVALID_POINTER);
	g_assert_cmpuint(heap_bytes_in_use(r.heap), ==, 0);
}

static void test_free_stack_pointer_is_reported_not_obeyed(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	_Alignas(16) uint8_t on_stack[64];
	memset(on_stack, 0x33, sizeof(on_stack));
	assert_free_refused(&r, on_stack + 16, HEAP_INVALID_POINTER);
	for (size_t i = 0; i < sizeof(on_stack); i++)
		g_assert_cmpuint(on_stack[i], ==, 0x33);
}

static void test_free_other_heaps_block_is_reported_not_obeyed(void)
{
	g_auto(Region) r = { 0 };
	g_auto(Region) other = { 0 };
	region_init(&r, 65536);
	region_init(&other, 65536);
	void *mine = alloc_ok(r.heap, 64), *theirs = alloc_ok(other.heap, 64);
	/* Same offset in both regions: only the region bounds tell them apart. */
	g_assert_cmpuint((uintptr_t)mine - (uintptr_t)r.mem, ==,
	                 (uintptr_t)theirs - (uintptr_t)other.mem);
	assert_free_refused(&r, theirs, HEAP_INVALID_POINTER);
	g_assert_cmpuint(heap_block_size(other.heap, theirs), >=, 64);
	free_ok(other.heap, theirs);
	free_ok(r.heap, mine);
}

/* ---- corruption --------------------------------------------------------- */

static void test_corruption_overwritten_header_is_reported_not_obeyed(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	uint8_t *a = alloc_ok(r.heap, 64), *b = alloc_ok(r.heap, 64), *c = alloc_ok(r.heap, 64);
	size_t a_size = heap_block_size(r.heap, a);
	/* a overflows by 16 bytes: over b's tag and the start of b. */
	memset(a, 0x41, a_size + 16);
	assert_free_refused(&r, b, HEAP_CORRUPT);

	/* a's own header is intact, but growing it would merge into b. */
	g_autofree uint8_t *before = g_memdup2(r.mem, r.size);
	void *out = (void *)1;
	g_assert_cmpint(heap_realloc(r.heap, a, 4096, &out), ==, HEAP_CORRUPT);
	g_assert_null(out);
	g_assert_true(memcmp(before, r.mem, r.size) == 0);

	/* Freeing a parks it unmerged; when space runs out and it would be
	 * merged, the damage next door keeps it out of the free lists. */
	free_ok(r.heap, a);
	free_ok(r.heap, c);
	/* b, same size as a, is still counted: it was never freed. */
	g_assert_cmpuint(heap_bytes_in_use(r.heap), ==, a_size);
	out = (void *)1;
	g_assert_cmpint(heap_alloc(r.heap, heap_capacity(r.heap), &out), ==, HEAP_NO_MEMORY);
	g_assert_null(out);
	g_assert_cmpuint(heap_block_size(r.heap, b), ==, 0);
	assert_usable(r.heap);
}

static void test_corruption_overwritten_neighbour_stops_a_merging_free(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	/* Sizes that merge at free, unlike the 64-byte ones above. */
	uint8_t *a = alloc_ok(r.heap, 600), *b = alloc_ok(r.heap, 600);
	/* An even byte: b's tag then still reads "in use", so only its check
	 * tells it from a real one. */
	memset(a, 0x42, heap_block_size(r.heap, a) + 8);
	assert_free_refused(&r, b, HEAP_CORRUPT);
	assert_free_refused(&r, a, HEAP_CORRUPT);
}

static void test_corruption_grow_in_place_checks_the_block_after(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	uint8_t *a = alloc_ok(r.heap, 100), *b = alloc_ok(r.heap, 1000), *c = alloc_ok(r.heap, 100);
	free_ok(r.heap, b);
	c[-8] ^= 1; /* c's tag, as a write after free through b would */
	/* Growing a to swallow all of b would rewrite c's flags. */
	g_autofree uint8_t *before = g_memdup2(r.mem, r.size);
	void *out = (void *)1;
	g_assert_cmpint(heap_realloc(r.heap, a, (size_t)(c - a) - 8, &out), ==, HEAP_CORRUPT);
	g_assert_null(out);
	g_assert_true(memcmp(before, r.mem, r.size) == 0);
	/* Growing it part of the way leaves c alone and works. */
	g_assert_cmpint(heap_realloc(r.heap, a, 500, &out), ==, HEAP_OK);
	g_assert_true(out == a);
}

static void test_corruption_one_byte_overflow_is_detected(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	uint8_t *a = alloc_ok(r.heap, 24), *b = alloc_ok(r.heap, 24);
	size_t a_size = heap_block_size(r.heap, a);
	g_assert_cmpuint(a_size, ==, 24);
	a[a_size] ^= 0x80; /* the first byte past a is b's tag */
	assert_free_refused(&r, b, HEAP_CORRUPT);
	a[a_size] ^= 0x80;
	free_ok(r.heap, b);
	free_ok(r.heap, a);
}

/* The small block freed last, while no other waits there, waits apart from
 * the quick lists, in the heap's hot slot. This fills the slot, so that the
 * blocks freed next go to their quick lists, whose links the tests below
 * scribble on. */
static void fill_hot_slot(Heap *heap)
{
	free_ok(heap, alloc_ok(heap, 40));
}

/* Use after free: a freed block's forward link (its first 8 bytes) is
 * pointed at the stack. Nothing may be written there, the allocation that
 * meets them is refused, and the chunk itself is served next. */
static void check_scribbled_links(size_t size)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	_Alignas(16) uint8_t outside[256], expected[256];
	memset(outside, 0x77, sizeof(outside));
	uint8_t *a = alloc_ok(r.heap, size), *wall = alloc_ok(r.heap, 16);
	fill_hot_slot(r.heap);
	free_ok(r.heap, a);
	/* The fake neighbour links back to a's chunk, as a real one would, so
	 * only the range check stands between unlinking and a write to it. */
	void *evil = outside + 64, *chunk = a - 16;
	memcpy(outside + 64 + 16, &chunk, sizeof(chunk));
	memcpy(outside + 64 + 24, &chunk, sizeof(chunk));
	memcpy(expected, outside, sizeof(outside));
	memcpy(a, &evil, sizeof(evil));
	void *p = (void *)1;
	g_assert_cmpint(heap_alloc(r.heap, size, &p), ==, HEAP_CORRUPT);
	g_assert_null(p);
	g_assert_true(memcmp(outside, expected, sizeof(outside)) == 0);
	p = alloc_ok(r.heap, size);
	g_assert_true(p == a);
	assert_usable(r.heap);
	free_ok(r.heap, wall);
	free_ok(r.heap, p);
	g_assert_cmpuint(heap_bytes_in_use(r.heap), ==, 0);
	p = alloc_ok(r.heap, heap_capacity(r.heap));
	free_ok(r.heap, p);
}

static void test_corruption_scribbled_back_link_never_escapes_region(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	_Alignas(16) uint8_t outside[256], expected[256];
	memset(outside, 0x77, sizeof(outside));
	/* x1 and x2 share a free list, x1 second: its back link is a pointer. */
	uint8_t *x1 = alloc_ok(r.heap, 2000), *w1 = alloc_ok(r.heap, 600);
	(void)alloc_ok(r.heap, 600); /* keeps x2 from being w1's neighbour */
	uint8_t *x2 = alloc_ok(r.heap, 2000), *w2 = alloc_ok(r.heap, 600);
	free_ok(r.heap, x1);
	free_ok(r.heap, x2);
	void *evil = outside + 64, *chunk = x1 - 16;
	memcpy(outside + 64 + 16, &chunk, sizeof(chunk));
	memcpy(expected, outside, sizeof(outside));
	memcpy(x1 + 8, &evil, sizeof(evil));
	/* Freeing w1 would merge x1, unlinking it through the back link. */
	g_autofree uint8_t *before = g_memdup2(r.mem, r.size);
	g_assert_cmpint(heap_free(r.heap, w1), ==, HEAP_CORRUPT);
	g_assert_true(memcmp(before, r.mem, r.size) == 0);
	g_assert_true(memcmp(outside, expected, sizeof(outside)) == 0);
	g_assert_cmpuint(heap_block_size(r.heap, w1), >=, 600);
	/* x2's unlink would go through x1's back link as well. */
	g_assert_cmpint(heap_free(r.heap, w2), ==, HEAP_CORRUPT);
	g_assert_true(memcmp(outside, expected, sizeof(outside)) == 0);
}

static void test_corruption_quick_link_to_a_forged_header_is_refused(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	uint8_t *y = alloc_ok(r.heap, 4000), *x = alloc_ok(r.heap, 200);
	size_t chunk_size = heap_block_size(r.heap, x) + 8;
	fill_hot_slot(r.heap);
	free_ok(r.heap, x);
	/* Inside y, something that looks like a used chunk of x's size... */
	uint8_t *fake = y + 512;
	uint64_t fake_tag = chunk_size;
	memcpy(fake + 8, &fake_tag, sizeof(fake_tag));
	memset(fake + 16, 0, 8); /* a clean end of list */
	/* ...and x's quick link pointed at it. */
	memcpy(x, &fake, sizeof(fake));
	void *p = alloc_ok(r.heap, 200);
	g_assert_true(p == x);
	p = (void *)1;
	g_assert_cmpint(heap_alloc(r.heap, 200, &p), ==, HEAP_CORRUPT);
	g_assert_null(p);
	g_assert_cmpuint(heap_block_size(r.heap, y), >=, 4000);
}

static void test_corruption_quick_link_to_a_live_block_is_refused(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	uint8_t *x = alloc_ok(r.heap, 200), *z = alloc_ok(r.heap, 200);
	fill_hot_slot(r.heap);
	free_ok(r.heap, x);
	uint8_t *z_chunk = z - 16;
	memcpy(x, &z_chunk, sizeof(z_chunk));
	void *p = alloc_ok(r.heap, 200);
	g_assert_true(p == x);
	/* z is live: handing it out again would give two owners one block. */
	p = (void *)1;
	g_assert_cmpint(heap_alloc(r.heap, 200, &p), ==, HEAP_CORRUPT);
	g_assert_null(p);
	free_ok(r.heap, z);
}

/* A block in the hot slot whose tag an overflow reaches is never handed
 * out: not as the hot block, not from its quick list once filed. The call
 * that meets the damage is refused, the block is dropped (not counted in
 * use, not merged into the damage), and the heap goes on serving. */
static void test_corruption_overwritten_hot_block_is_dropped(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	uint8_t *a = alloc_ok(r.heap, 24), *b = alloc_ok(r.heap, 24), *c = alloc_ok(r.heap, 24);
	size_t a_size = heap_block_size(r.heap, a), in_use = heap_bytes_in_use(r.heap);
	free_ok(r.heap, b);
	g_assert_cmpuint(heap_bytes_in_use(r.heap), ==, in_use - a_size);
	a[a_size] ^= 0x80; /* the first byte past a is b's tag */
	void *p = (void *)1;
	g_assert_cmpint(heap_alloc(r.heap, 24, &p), ==, HEAP_CORRUPT);
	g_assert_null(p);
	g_assert_cmpuint(heap_bytes_in_use(r.heap), ==, in_use - a_size);
	p = alloc_ok(r.heap, 24);
	g_assert_true(p != b);
	g_assert_cmpuint(heap_block_size(r.heap, b), ==, 0);
	free_ok(r.heap, p);
	free_ok(r.heap, c);
	assert_usable(r.heap);
	g_assert_cmpuint(heap_bytes_in_use(r.heap), ==, a_size);
}

static void test_corruption_scribbled_quick_link_never_escapes_region(void)
{
	check_scribbled_links(200);
}

static void test_corruption_scribbled_free_list_links_never_escape_region(void)
{
	check_scribbled_links(2000);
}

static void test_corruption_clobbered_heap_header_is_refused(void)
{
	g_auto(Region) r = { 0 };
	region_init(&r, 65536);
	void *a = alloc_ok(r.heap, 64), *p = (void *)1;
	memset(r.mem, 0, 64);
	g_assert_cmpint(heap_alloc(r.heap, 64, &p), ==, HEAP_CORRUPT);
	g_assert_null(p);
	g_assert_cmpint(heap_free(r.heap, a), ==, HEAP_CORRUPT);
	g_assert_cmpuint(heap_block_size(r.heap, a), ==, 0);
	g_assert_cmpint(heap_alloc(NULL, 64, &p), ==, HEAP_INVALID_POINTER);
}

/* Every word of the fixed header is sealed: the fast paths check the guard
 * of the words they use (the first five: area, top, secret, the zeroed
 * pages' end and their guard), the general path both guards. A
 * scribble on a word only the general path uses leaves the quick lists
 * serving, and is refused by the first call that takes the general path. */
static void test_corruption_each_fixed_header_word_is_refused(void)
{
	for (size_t word = 0; word < 9; word++) {
		g_auto(Region) r = { 0 };
		region_init(&r, 65536);
		void *small = alloc_ok(r.heap, 64), *big = alloc_ok(r.heap, 2000), *p = (void *)1;
		free_ok(r.heap, small);
		((uint64_t *)r.mem)[word] ^= 0x10;
		gboolean fast_word = word < 5;
		if (fast_word) {
			g_assert_cmpint(heap_alloc(r.heap, 64, &p), ==, HEAP_CORRUPT);
			g_assert_null(p);
		} else {
			g_assert_true(alloc_ok(r.heap, 64) == small);
		}
		g_assert_cmpint(heap_alloc(r.heap, 3000, &p), ==, HEAP_CORRUPT);
		g_assert_null(p);
		g_assert_cmpint(heap_free(r.heap, big), ==, HEAP_CORRUPT);
		g_assert_cmpint(heap_realloc(r.heap, big, 4000, &p), ==, HEAP_CORRUPT);
		g_assert_cmpuint(heap_block_size(r.heap, big), ==, 0);
		/* Put back, the heap is whole again. */
		((uint64_t *)r.mem)[word] ^= 0x10;
		free_ok(r.heap, big);
		assert_usable(r.heap);
	}
}

/* ---- stress ------------------------------------------------------------- */

/* Block contents are a function of (seed, offset): any overlap, lost copy or
 * stray metadata write shows up as a wrong byte. */
static uint8_t fill_byte(uint32_t seed, size_t i)
{
	return (uint8_t)(seed * 31u + i * 7u + (i >> 8));
}

static void fill(uint8_t *p, uint32_t seed, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = fill_byte(seed, i);
}

static void check_fill(const uint8_t *p, uint32_t seed, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != fill_byte(seed, i))
			g_error("block %p byte %zu is %u, expected %u", (void *)p, i, p[i], fill_byte(seed, i));
}

static size_t random_size(GRand *rand)
{
	uint32_t k = g_rand_int_range(rand, 0, 100);
	if (k < 60)
		return (size_t)g_rand_int_range(rand, 0, 129);
	if (k < 90)
		return (size_t)g_rand_int_range(rand, 129, 2049);
	if (k < 99)
		return (size_t)g_rand_int_range(rand, 2049, 65537);
	return (size_t)g_rand_int_range(rand, 65537, 600000);
}

static void test_stress_random_operations_match_shadow(void)
{
	enum { SLOTS = 2000, OPS = 200000 };
	g_auto(Region) r = { 0 };
	region_init(&r, 16 << 20);
	g_autoptr(GRand) rand = g_rand_new_with_seed(20240611);
	uint8_t **ptr = g_new0(uint8_t *, SLOTS);
	size_t *len = g_new0(size_t, SLOTS), *usable = g_new0(size_t, SLOTS);
	uint32_t *seed = g_new0(uint32_t, SLOTS);
	size_t shadow = 0, refused = 0;

	for (uint32_t op = 0; op < OPS; op++) {
		guint s = (guint)g_rand_int_range(rand, 0, SLOTS);
		uint32_t kind = g_rand_int_range(rand, 0, 3);
		if (!ptr[s] || kind == 0) {
			if (ptr[s]) {
				check_fill(ptr[s], seed[s], len[s]);
				free_ok(r.heap, ptr[s]);
				shadow -= usable[s];
				ptr[s] = NULL;
			}
			size_t n = random_size(rand);
			void *p = NULL;
			HeapResult res = heap_alloc(r.heap, n, &p);
			if (res == HEAP_NO_MEMORY) {
				g_assert_null(p);
				refused++;
				continue;
			}
			g_assert_cmpint(res, ==, HEAP_OK);
			ptr[s] = p;
			len[s] = n;
			seed[s] = op;
			fill(ptr[s], op, n);
		} else if (kind == 1) {
			size_t n = random_size(rand);
			void *p = (void *)1;
			HeapResult res = heap_realloc(r.heap, ptr[s], n, &p);
			if (res == HEAP_NO_MEMORY) {
				g_assert_null(p);
				check_fill(ptr[s], seed[s], len[s]);
				refused++;
				continue;
			}
			g_assert_cmpint(res, ==, HEAP_OK);
			shadow -= usable[s];
			if (n == 0) {
				g_assert_null(p);
				ptr[s] = NULL;
				continue;
			}
			ptr[s] = p;
			check_fill(ptr[s], seed[s], MIN(n, len[s]));
			len[s] = n;
			seed[s] = op;
			fill(ptr[s], op, n);
		} else {
			check_fill(ptr[s], seed[s], len[s]);
			free_ok(r.heap, ptr[s]);
			shadow -= usable[s];
			ptr[s] = NULL;
			continue;
		}
		usable[s] = heap_block_size(r.heap, ptr[s]);
		g_assert_cmpuint(usable[s], >=, len[s]);
		g_assert_cmpuint((uintptr_t)ptr[s] % HEAP_ALIGN, ==, 0);
		shadow += usable[s];
		g_assert_cmpuint(heap_bytes_in_use(r.heap), ==, shadow);
	}
	/* Some requests should have hit the ceiling, most not. */
	g_assert_cmpuint(refused, <, OPS / 10);
	for (guint s = 0; s < SLOTS; s++) {
		if (!ptr[s])
			continue;
		check_fill(ptr[s], seed[s], len[s]);
		free_ok(r.heap, ptr[s]);
	}
	g_assert_cmpuint(heap_bytes_in_use(r.heap), ==, 0);
	/* Everything coalesced back: the whole capacity is one block again. */
	void *all = alloc_ok(r.heap, heap_capacity(r.heap));
	free_ok(r.heap, all);
	g_free(ptr);
	g_free(len);
	g_free(usable);
	g_free(seed);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/heap/init/tiny-region-is-refused", test_init_tiny_region_is_refused);
	g_test_add_func("/heap/init/misaligned-region-is-refused", test_init_misaligned_region_is_refused);
	g_test_add_func("/heap/init/few-kb-region-serves-blocks", test_init_few_kb_region_serves_blocks);
	g_test_add_func("/heap/init/capacity-fits-in-one-block", test_init_capacity_fits_in_one_block);
	g_test_add_func("/heap/init/stale-bytes-are-not-blocks", test_init_stale_bytes_are_not_blocks);
	g_test_add_func("/heap/init/64gib-region", test_init_64gib_region);

	g_test_add_func("/heap/alloc/blocks-are-aligned-sized-and-disjoint", test_alloc_blocks_are_aligned_sized_and_disjoint);
	g_test_add_func("/heap/alloc/zero-gives-unique-blocks", test_alloc_zero_gives_unique_blocks);
	g_test_add_func("/heap/alloc/overflowing-sizes-are-refused", test_alloc_overflowing_sizes_are_refused);
	g_test_add_func("/heap/alloc/quota-reached-then-recovers-after-frees", test_alloc_quota_reached_then_recovers_after_frees);
	g_test_add_func("/heap/alloc/small-frees-coalesce-when-space-runs-out", test_alloc_small_frees_coalesce_when_space_runs_out);

	g_test_add_func("/heap/realloc/null-allocates", test_realloc_null_allocates);
	g_test_add_func("/heap/realloc/zero-frees", test_realloc_zero_frees);
	g_test_add_func("/heap/realloc/shrink-keeps-block-and-contents", test_realloc_shrink_keeps_block_and_contents);
	g_test_add_func("/heap/realloc/grows-in-place-when-next-is-free", test_realloc_grows_in_place_when_next_is_free);
	g_test_add_func("/heap/realloc/grows-by-move-preserving-contents", test_realloc_grows_by_move_preserving_contents);
	g_test_add_func("/heap/realloc/failure-leaves-old-block-untouched", test_realloc_failure_leaves_old_block_untouched);

	g_test_add_func("/heap/free/null-is-ok", test_free_null_is_ok);
	g_test_add_func("/heap/free/outside-region-is-reported-not-obeyed", test_free_outside_region_is_reported_not_obeyed);
	g_test_add_func("/heap/free/misaligned-is-reported-not-obeyed", test_free_misaligned_is_reported_not_obeyed);
	g_test_add_func("/heap/free/interior-is-reported-not-obeyed", test_free_interior_is_reported_not_obeyed);
	g_test_add_func("/heap/free/double-free-is-reported-not-obeyed", test_free_double_free_is_reported_not_obeyed);
	g_test_add_func("/heap/free/stack-pointer-is-reported-not-obeyed", test_free_stack_pointer_is_reported_not_obeyed);
	g_test_add_func("/heap/free/other-heaps-block-is-reported-not-obeyed", test_free_other_heaps_block_is_reported_not_obeyed);

	g_test_add_func("/heap/corruption/overwritten-header-is-reported-not-obeyed", test_corruption_overwritten_header_is_reported_not_obeyed);
	g_test_add_func("/heap/corruption/overwritten-neighbour-stops-a-merging-free", test_corruption_overwritten_neighbour_stops_a_merging_free);
	g_test_add_func("/heap/corruption/grow-in-place-checks-the-block-after", test_corruption_grow_in_place_checks_the_block_after);
	g_test_add_func("/heap/corruption/one-byte-overflow-is-detected", test_corruption_one_byte_overflow_is_detected);
	g_test_add_func("/heap/corruption/scribbled-back-link-never-escapes-region", test_corruption_scribbled_back_link_never_escapes_region);
	g_test_add_func("/heap/corruption/quick-link-to-a-forged-header-is-refused", test_corruption_quick_link_to_a_forged_header_is_refused);
	g_test_add_func("/heap/corruption/quick-link-to-a-live-block-is-refused", test_corruption_quick_link_to_a_live_block_is_refused);
	g_test_add_func("/heap/corruption/overwritten-hot-block-is-dropped", test_corruption_overwritten_hot_block_is_dropped);
	g_test_add_func("/heap/corruption/scribbled-quick-link-never-escapes-region", test_corruption_scribbled_quick_link_never_escapes_region);
	g_test_add_func("/heap/corruption/scribbled-free-list-links-never-escape-region", test_corruption_scribbled_free_list_links_never_escape_region);
	g_test_add_func("/heap/corruption/clobbered-heap-header-is-refused", test_corruption_clobbered_heap_header_is_refused);
	g_test_add_func("/heap/corruption/each-fixed-header-word-is-refused", test_corruption_each_fixed_header_word_is_refused);

	g_test_add_func("/heap/stress/random-operations-match-shadow", test_stress_random_operations_match_shadow);

	return g_test_run();
}
