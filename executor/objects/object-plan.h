/* object-plan.h — how a job's child will load an expert object without a
 * path into the host's files: which libraries it needs beyond those the
 * zygote has loaded (libc, libexpert), found as ld.so would find them, in
 * the order to load them (each one's own needs first); and what in any of
 * them asks for writable executable memory, to explain a W^X refusal. The
 * executor opens each library itself and passes it to the child as a
 * descriptor (child/child-load.c). */
#ifndef EXPERT_EXEC_OBJECT_PLAN_H
#define EXPERT_EXEC_OBJECT_PLAN_H

#include "objects/object-elf.h"

#include <glib.h>

/* Where libraries are looked for, and which the zygote already has: made
 * once per run. */
typedef struct ObjectSearch ObjectSearch;

/* zygote_path: the zygote's executable, whose libraries (and their own)
 * every child has loaded already. */
ObjectSearch *object_search_new(const char *zygote_path, GError **error);
void object_search_free(ObjectSearch *search);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ObjectSearch, object_search_free)

/* The directories searched after an object's own run path: those of
 * /etc/ld.so.conf (and its includes), then the loader's defaults. */
const char *const *object_search_dirs(const ObjectSearch *search);

typedef struct {
	GPtrArray *libs;     /* char*: paths of the libraries to load, in load order */
	char *wx;            /* what asks for W+X memory ("top.so: it has ..."), or NULL */
} ObjectPlan;

/* The plan for the object open at fd (path: where it was opened, for
 * $ORIGIN and messages). Fails with OBJECT_ERROR when a needed library
 * cannot be found or loaded from a descriptor, or there are more than max. */
ObjectPlan *object_plan_new(const ObjectSearch *search, int fd, const char *path, guint max,
                            GError **error);
void object_plan_free(ObjectPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ObjectPlan, object_plan_free)

/* Plans made once per object of a run: a storm or a batch loads the same
 * object again and again, and reading its headers and its libraries'
 * each time cost a job more than handing it over. */
typedef struct ObjectPlanCache ObjectPlanCache;
ObjectPlanCache *object_plan_cache_new(void);
void object_plan_cache_free(ObjectPlanCache *cache);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ObjectPlanCache, object_plan_cache_free)

/* object_plan_new(), or the plan made for the same object before (the
 * same file, unchanged, opened by the same path); the cache's. A failure
 * is not kept: the next job tries again. */
const ObjectPlan *object_plan_cached(ObjectPlanCache *cache, const ObjectSearch *search, int fd,
                                     const char *path, guint max, GError **error);

#endif /* EXPERT_EXEC_OBJECT_PLAN_H */
