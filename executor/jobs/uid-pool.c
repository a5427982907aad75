/* uid-pool.c — see uid-pool.h.
 *
 * Several executors may run on one machine (a batch node runs many), each
 * with its own pool over the same range: a uid in use by one must not be
 * handed out by another, or their jobs would share it. So taking a uid also
 * takes an exclusive flock on a file named after it in UID_POOL_LOCK_DIR;
 * the lock is the reservation, held until the uid is given back, and dies
 * with the executor if it does. */
#include "jobs/uid-pool.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct UidPool {
	guint32 base, count;
	guint32 next;        /* where the round robin looks first */
	GHashTable *in_use;  /* uid -> lock descriptor + 1 (0 would read as absent) */
	int dir_fd;          /* UID_POOL_LOCK_DIR, or -1: in-process only */
};

UidPool *uid_pool_new(guint32 base, guint32 count)
{
	g_return_val_if_fail(count > 0 && base <= G_MAXUINT32 - count, NULL);
	UidPool *pool = g_new0(UidPool, 1);
	pool->base = base;
	pool->count = count;
	pool->in_use = g_hash_table_new(g_direct_hash, g_direct_equal);
	/* Start at a random place: fewer collisions to step over when several
	 * executors start together. */
	pool->next = g_random_int_range(0, (gint32)MIN(count, (guint32)G_MAXINT32));
	if (mkdir(UID_POOL_LOCK_DIR, 0700) < 0 && errno != EEXIST)
		g_warning("cannot create %s (%s): uids are kept apart within this executor only",
		          UID_POOL_LOCK_DIR, g_strerror(errno));
	pool->dir_fd = open(UID_POOL_LOCK_DIR, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	return pool;
}

/* The machine-wide reservation of uid: a descriptor holding its lock, or -1
 * if another executor holds it. Without the directory, every uid is free. */
static int reserve(UidPool *pool, guint32 uid, gboolean *taken_elsewhere)
{
	*taken_elsewhere = FALSE;
	if (pool->dir_fd < 0)
		return -1;
	char name[16];
	g_snprintf(name, sizeof(name), "%u", uid);
	int fd = openat(pool->dir_fd, name, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		*taken_elsewhere = (errno == EWOULDBLOCK);
		close(fd);
		return -1;
	}
	return fd;
}

gboolean uid_pool_take(UidPool *pool, guint32 *uid)
{
	/* Far fewer jobs run than there are uids, so this finds one at once. */
	for (guint32 tries = 0; tries < pool->count; tries++) {
		guint32 candidate = pool->base + pool->next;
		pool->next = (pool->next + 1) % pool->count;
		if (g_hash_table_contains(pool->in_use, GUINT_TO_POINTER(candidate)))
			continue;
		gboolean elsewhere;
		int lock = reserve(pool, candidate, &elsewhere);
		if (elsewhere)
			continue;
		g_hash_table_insert(pool->in_use, GUINT_TO_POINTER(candidate), GINT_TO_POINTER(lock + 1));
		*uid = candidate;
		return TRUE;
	}
	return FALSE;
}

void uid_pool_give(UidPool *pool, guint32 uid)
{
	gpointer value;
	if (!g_hash_table_lookup_extended(pool->in_use, GUINT_TO_POINTER(uid), NULL, &value))
		return;
	int lock = GPOINTER_TO_INT(value) - 1;
	if (lock >= 0)
		close(lock); /* releases the flock */
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
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init(&it, pool->in_use);
	while (g_hash_table_iter_next(&it, NULL, &value))
		if (GPOINTER_TO_INT(value) > 0)
			close(GPOINTER_TO_INT(value) - 1);
	g_hash_table_unref(pool->in_use);
	if (pool->dir_fd >= 0)
		close(pool->dir_fd);
	g_free(pool);
}
