/* uid-pool.c — see uid-pool.h. */
#include "uid-pool.h"

struct UidPool {
	guint32 base, count;
	guint32 next;        /* where the round robin looks first */
	GHashTable *in_use;  /* uid -> itself */
};

UidPool *uid_pool_new(guint32 base, guint32 count)
{
	g_return_val_if_fail(count > 0 && base <= G_MAXUINT32 - count, NULL);
	UidPool *pool = g_new0(UidPool, 1);
	pool->base = base;
	pool->count = count;
	pool->in_use = g_hash_table_new(g_direct_hash, g_direct_equal);
	return pool;
}

gboolean uid_pool_take(UidPool *pool, guint32 *uid)
{
	/* Far fewer jobs run than there are uids, so this finds one at once. */
	for (guint32 tries = 0; tries < pool->count; tries++) {
		guint32 candidate = pool->base + pool->next;
		pool->next = (pool->next + 1) % pool->count;
		if (!g_hash_table_contains(pool->in_use, GUINT_TO_POINTER(candidate))) {
			g_hash_table_add(pool->in_use, GUINT_TO_POINTER(candidate));
			*uid = candidate;
			return TRUE;
		}
	}
	return FALSE;
}

void uid_pool_give(UidPool *pool, guint32 uid)
{
	g_hash_table_remove(pool->in_use, GUINT_TO_POINTER(uid));
}

guint uid_pool_in_use(const UidPool *pool)
{
	return g_hash_table_size(pool->in_use);
}

void uid_pool_free(UidPool *pool)
{
	if (!pool)
		return;
	g_hash_table_unref(pool->in_use);
	g_free(pool);
}
