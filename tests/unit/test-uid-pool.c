/* test-uid-pool.c — one uid per running job (executor/uid-pool.c). */
#include "uid-pool.h"

#include <glib.h>

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
	g_test_add_func("/uid-pool/default-range-is-unprivileged", test_default_range_is_unprivileged);
	return g_test_run();
}
