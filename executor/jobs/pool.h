/* pool.h — the executor's shared-memory pool: one memfd region per job,
 * within a global budget.
 *
 * The executor never maps a region: it cannot read what the child writes
 * there, so reclaim cannot be misled by it. Releasing a region is closing its
 * memfd — O(1) whatever the child allocated — and the kernel frees the pages
 * once the child's mapping is gone with the child. Usage is read from the
 * kernel (the memfd's allocated blocks), never from the child's allocator. */
#ifndef EXPERT_EXEC_POOL_H
#define EXPERT_EXEC_POOL_H

#include <glib.h>

typedef struct Pool Pool;

typedef struct {
	int fd;          /* memfd, size sealed */
	guint64 size;    /* the job's quota */
	gboolean reserved; /* counted against the budget */
} PoolRegion;

#define POOL_ERROR (pool_error_quark())
GQuark pool_error_quark(void);
typedef enum {
	POOL_ERROR_BUDGET,   /* the region does not fit in what is left of the budget */
	POOL_ERROR_SYSTEM,
} PoolErrorCode;

Pool *pool_new(guint64 budget_bytes);
/* A zero-filled region of size bytes (rounded up to the page size),
 * reserved in the budget. */
PoolRegion *pool_region_new(Pool *pool, guint64 size, GError **error);
/* The same, not yet reserved: for a child forked ahead of its job, which
 * cannot touch it before the job comes (jobs/prefork.h). */
PoolRegion *pool_region_new_spare(Pool *pool, guint64 size, GError **error);
/* Reserves a spare region in the budget, or says why it does not fit. */
gboolean pool_region_reserve(Pool *pool, PoolRegion *region, GError **error);
/* Bytes of the region the kernel has backed with pages: what the job touched. */
guint64 pool_region_usage(const PoolRegion *region);
/* Gives the region back: closes the memfd and returns its quota (if
 * reserved) to the budget. */
void pool_region_release(Pool *pool, PoolRegion *region);

guint64 pool_budget(const Pool *pool);
guint64 pool_bytes_reserved(const Pool *pool);
guint pool_regions_outstanding(const Pool *pool);

void pool_free(Pool *pool);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Pool, pool_free)

#endif /* EXPERT_EXEC_POOL_H */
