/* test-uid-pool.c — one uid per running job (executor/jobs/uid-pool.c). */
#include "jobs/uid-pool.h"

#include <glib.h>
#include <unistd.h>

static void test_distinct_until_exhausted(void)
{
	g_autoptr(UidPool) pool = uid_pool_new(1000, 4);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_direct_hash, g_direct_equal);
	guint32 uid;
	for (int i = 0; i < 4; i++) {
		g_assert_true(uid_pool_take(pool, &uid));
		g_assert_cmpuint(uid, >=, 1000);
		g_assert_cmpuint(uid, <, 1004);
		g_assert_false(g_hash_table_contains(seen, GUINT_TO_POINTER(uid)));
		g_hash_table_add(seen, GUINT_TO_POINTER(uid));
	}
	g_assert_cmpuint(uid_pool_in_use(pool), ==, 4);
	g_assert_false(uid_pool_take(pool, &uid));
	uid_pool_give(pool, 1002);
	g_assert_true(uid_pool_take(pool, &uid));
	g_assert_cmpuint(uid, ==, 1002);
}

/* Two pools over one range, as two executors on one machine: never the same
 * uid at once (the lock files are only there when run as root). */
static void test_two_pools_never_share(void)
{
	if (geteuid() != 0) {
		g_test_skip("machine-wide reservations need root");
		return;
	}
	g_autoptr(UidPool) a = uid_pool_new(4000000000u, 8);
	g_autoptr(UidPool) b = uid_pool_new(4000000000u, 8);
	g_autoptr(GHashTable) held = g_hash_table_new(g_direct_hash, g_direct_equal);
	guint32 uid;
	for (int i = 0; i < 4; i++) {
		g_assert_true(uid_pool_take(a, &uid));
		g_assert_true(g_hash_table_add(held, GUINT_TO_POINTER(uid)));
		g_assert_true(uid_pool_take(b, &uid));
		g_assert_true(g_hash_table_add(held, GUINT_TO_POINTER(uid)));
	}
	/* All 8 are held between them. */
	g_assert_false(uid_pool_take(a, &uid));
	g_assert_false(uid_pool_take(b, &uid));
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, held);
	g_assert_true(g_hash_table_iter_next(&it, &key, NULL));
	/* Given back by whichever holds it, it is free for the other. */
	uid_pool_give(a, GPOINTER_TO_UINT(key));
	uid_pool_give(b, GPOINTER_TO_UINT(key));
	g_assert_true(uid_pool_take(b, &uid) || uid_pool_take(a, &uid));
	g_assert_cmpuint(uid, ==, GPOINTER_TO_UINT(key));
}

static void test_reuse_is_as_late_as_possible(void)
{
	g_autoptr(UidPool) pool = uid_pool_new(50, 3);
	guint32 a, b, c;
	g_assert_true(uid_pool_take(pool, &a));
	uid_pool_give(pool, a);
	/* a is free again, but the others come first. */
	g_assert_true(uid_pool_take(pool, &b));
	g_assert_true(uid_pool_take(pool, &c));
	g_assert_cmpuint(b, !=, a);
	g_assert_cmpuint(c, !=, a);
	g_assert_cmpuint(b, !=, c);
}

static void test_default_range_is_unprivileged(void)
{
	g_assert_cmpuint(UID_POOL_DEFAULT_BASE, >, 65535);
	g_assert_cmpuint((guint64)UID_POOL_DEFAULT_BASE + UID_POOL_DEFAULT_COUNT, <=, G_MAXINT32 + 1ull);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/uid-pool/distinct-until-exhausted", test_distinct_until_exhausted);
	g_test_add_func("/uid-pool/reuse-is-as-late-as-possible", test_reuse_is_as_late_as_possible);
	g_test_add_func("/uid-pool/two-pools-never-share", test_two_pools_never_share);
	g_test_add_func("/uid-pool/default-range-is-unprivileged", test_default_range_is_unprivileged);
	return g_test_run();
}
