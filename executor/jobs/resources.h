/* resources.h — what the executor itself holds, read from the kernel, so a
 * run can show that crashes cost nothing: descriptors, resident memory, pool
 * regions outstanding. */
#ifndef EXPERT_EXEC_RESOURCES_H
#define EXPERT_EXEC_RESOURCES_H

#include "jobs/pool.h"
#include "results/run-result.h"

#include <glib.h>

void resources_snapshot(const Pool *pool, ResourceSnapshot *out);

#endif /* EXPERT_EXEC_RESOURCES_H */
