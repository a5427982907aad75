/* pool.c — regions of the shared-memory pool (see pool.h for the why). */
#include "jobs/pool.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct Pool {
	guint64 budget;
	guint64 reserved;
	guint outstanding;
};

G_DEFINE_QUARK(pool-error-quark, pool_error)

Pool *pool_new(guint64 budget_bytes)
{
	Pool *pool = g_new0(Pool, 1);
	pool->budget = budget_bytes;
	return pool;
}

gboolean pool_region_reserve(Pool *pool, PoolRegion *region, GError **error)
{
	if (region->reserved)
		return TRUE;
	if (region->size > pool->budget - pool->reserved) {
		g_set_error(error, POOL_ERROR, POOL_ERROR_BUDGET,
		            "a region of %" G_GUINT64_FORMAT " bytes does not fit the pool: %"
		            G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " bytes are in use "
		            "(raise --pool-budget or lower the profile's memory limit)",
		            region->size, pool->reserved, pool->budget);
		return FALSE;
	}
	pool->reserved += region->size;
	region->reserved = TRUE;
	return TRUE;
}

PoolRegion *pool_region_new(Pool *pool, guint64 size, GError **error)
{
	PoolRegion *region = pool_region_new_spare(pool, size, error);
	if (region && !pool_region_reserve(pool, region, error)) {
		pool_region_release(pool, region);
		return NULL;
	}
	return region;
}

PoolRegion *pool_region_new_spare(Pool *pool, guint64 size, GError **error)
{
	guint64 page = (guint64)sysconf(_SC_PAGESIZE);
	if (size == 0 || size > G_MAXUINT64 - page) {
		g_set_error(error, POOL_ERROR, POOL_ERROR_BUDGET, "a region of %" G_GUINT64_FORMAT
		            " bytes cannot be made", size);
		return NULL;
	}
	size = (size + page - 1) / page * page;
	int fd = memfd_create("expert-pool-region", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0) {
		g_set_error(error, POOL_ERROR, POOL_ERROR_SYSTEM, "memfd_create: %s", g_strerror(errno));
		return NULL;
	}
	/* Sealing the size means no one holding the fd can grow or shrink it,
	 * so a mapping of exactly size bytes is always fully backed. */
	if (ftruncate(fd, (off_t)size) < 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
		int e = errno;
		close(fd);
		g_set_error(error, POOL_ERROR, POOL_ERROR_SYSTEM, "sizing a pool region: %s", g_strerror(e));
		return NULL;
	}
	PoolRegion *region = g_new(PoolRegion, 1);
	region->fd = fd;
	region->size = size;
	region->reserved = FALSE;
	pool->outstanding++;
	return region;
}

guint64 pool_region_usage(const PoolRegion *region)
{
	struct stat st;
	if (fstat(region->fd, &st) < 0)
		return 0;
	return (guint64)st.st_blocks * 512u;
}

void pool_region_release(Pool *pool, PoolRegion *region)
{
	if (!region)
		return;
	close(region->fd);
	g_assert(pool->outstanding > 0);
	if (region->reserved) {
		g_assert(pool->reserved >= region->size);
		pool->reserved -= region->size;
	}
	pool->outstanding--;
	g_free(region);
}

guint64 pool_budget(const Pool *pool) { return pool->budget; }
guint64 pool_bytes_reserved(const Pool *pool) { return pool->reserved; }
guint pool_regions_outstanding(const Pool *pool) { return pool->outstanding; }

void pool_free(Pool *pool)
{
	g_free(pool);
}
