/* test-pool.c — the executor's pool (executor/jobs/pool.c): regions within a
 * budget, sized and sealed, usage read from the kernel, O(1) release. */
#include "jobs/pool.h"

#include <fcntl.h>
#include <glib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static guint count_fds(void)
{
	guint n = 0;
	GDir *dir = g_dir_open("/proc/self/fd", 0, NULL);
	while (g_dir_read_name(dir))
		n++;
	g_dir_close(dir);
	return n - 1;
}

static void test_region_is_sized_and_sealed(void)
{
	g_autoptr(Pool) pool = pool_new(16 << 20);
	g_autoptr(GError) error = NULL;
	PoolRegion *r = pool_region_new(pool, 1 << 20, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(r->size, ==, 1 << 20);
	g_assert_cmpint(lseek(r->fd, 0, SEEK_END), ==, 1 << 20);
	int seals = fcntl(r->fd, F_GET_SEALS);
	g_assert_cmpint(seals & (F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL), ==,
	                F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
	/* Whoever holds the fd cannot resize it, or add or remove seals. */
	g_assert_cmpint(ftruncate(r->fd, 2 << 20), <, 0);
	g_assert_cmpint(ftruncate(r->fd, 4096), <, 0);
	g_assert_cmpint(fcntl(r->fd, F_ADD_SEALS, F_SEAL_WRITE), <, 0);
	pool_region_release(pool, r);
}

static void test_size_rounds_up_to_pages(void)
{
	g_autoptr(Pool) pool = pool_new(16 << 20);
	PoolRegion *r = pool_region_new(pool, 5000, NULL);
	g_assert_cmpuint(r->size % (guint64)sysconf(_SC_PAGESIZE), ==, 0);
	g_assert_cmpuint(r->size, >=, 5000);
	g_assert_cmpuint(pool_bytes_reserved(pool), ==, r->size);
	pool_region_release(pool, r);
	g_assert_cmpuint(pool_bytes_reserved(pool), ==, 0);
}

static void test_budget_is_enforced(void)
{
	g_autoptr(Pool) pool = pool_new(3 << 20);
	PoolRegion *a = pool_region_new(pool, 2 << 20, NULL);
	g_assert_nonnull(a);
	g_autoptr(GError) error = NULL;
	PoolRegion *b = pool_region_new(pool, 2 << 20, &error);
	g_assert_null(b);
	g_assert_error(error, POOL_ERROR, POOL_ERROR_BUDGET);
	g_assert_nonnull(strstr(error->message, "--pool-budget"));
	pool_region_release(pool, a);
	b = pool_region_new(pool, 2 << 20, NULL);
	g_assert_nonnull(b);
	pool_region_release(pool, b);
}

static void test_absurd_sizes_refused(void)
{
	g_autoptr(Pool) pool = pool_new(G_MAXUINT64);
	g_assert_null(pool_region_new(pool, 0, NULL));
	g_assert_null(pool_region_new(pool, G_MAXUINT64, NULL));
	g_assert_cmpuint(pool_regions_outstanding(pool), ==, 0);
}

static void test_usage_comes_from_the_kernel(void)
{
	g_autoptr(Pool) pool = pool_new(64 << 20);
	PoolRegion *r = pool_region_new(pool, 8 << 20, NULL);
	g_assert_cmpuint(pool_region_usage(r), ==, 0);
	/* Touch 3 MiB through a mapping, as a child would. */
	guint8 *p = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	g_assert_true(p != MAP_FAILED);
	memset(p, 1, 3 << 20);
	munmap(p, r->size);
	guint64 used = pool_region_usage(r);
	g_assert_cmpuint(used, >=, 3 << 20);
	g_assert_cmpuint(used, <, 4 << 20);
	pool_region_release(pool, r);
}

static void test_release_returns_every_descriptor(void)
{
	g_autoptr(Pool) pool = pool_new(1ull << 40);
	guint before = count_fds();
	PoolRegion *regions[200];
	for (int i = 0; i < 200; i++)
		regions[i] = pool_region_new(pool, 1 << 20, NULL);
	g_assert_cmpuint(count_fds(), ==, before + 200);
	g_assert_cmpuint(pool_regions_outstanding(pool), ==, 200);
	for (int i = 0; i < 200; i++)
		pool_region_release(pool, regions[i]);
	g_assert_cmpuint(count_fds(), ==, before);
	g_assert_cmpuint(pool_regions_outstanding(pool), ==, 0);
	g_assert_cmpuint(pool_bytes_reserved(pool), ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pool/region/sized-and-sealed", test_region_is_sized_and_sealed);
	g_test_add_func("/pool/region/size-rounds-up-to-pages", test_size_rounds_up_to_pages);
	g_test_add_func("/pool/budget/enforced", test_budget_is_enforced);
	g_test_add_func("/pool/budget/absurd-sizes-refused", test_absurd_sizes_refused);
	g_test_add_func("/pool/usage/from-the-kernel", test_usage_comes_from_the_kernel);
	g_test_add_func("/pool/release/returns-every-descriptor", test_release_returns_every_descriptor);
	return g_test_run();
}
