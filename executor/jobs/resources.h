/* resources.h — what the executor itself holds, read from the kernel, so a
 * run can show that crashes cost nothing: descriptors, resident memory, pool
 * regions outstanding. */
#ifndef EXPERT_EXEC_RESOURCES_H
#define EXPERT_EXEC_RESOURCES_H

#include "jobs/pool.h"

#include <glib.h>

typedef struct {
	guint open_fds;           /* entries of /proc/self/fd */
	guint64 rss_bytes;        /* /proc/self/statm resident */
	guint pool_regions;
	guint64 pool_bytes;
} ResourceSnapshot;

void resources_snapshot(const Pool *pool, ResourceSnapshot *out);

#endif /* EXPERT_EXEC_RESOURCES_H */
