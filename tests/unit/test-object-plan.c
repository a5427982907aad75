/* test-object-plan.c — executor/objects/: what an expert object needs
 * beyond the zygote's libraries, in the order to load it, found as ld.so
 * would; what in it asks for writable executable memory; and refusals that
 * name the file, for objects of the build tree and doctored copies. */
#include "objects/object-plan.h"
#include "temp-dir.h"

#include <fcntl.h>
#include <glib.h>
#include <string.h>
#include <unistd.h>

static char *built(const char *relative)
{
	return g_build_filename(g_getenv("EXPERT_BUILD_ROOT"), relative, NULL);
}

static ObjectSearch *search(void)
{
	g_autofree char *zygote = built("executor/expert-zygote");
	g_autoptr(GError) error = NULL;
	ObjectSearch *s = object_search_new(zygote, &error);
	g_assert_no_error(error);
	return s;
}

static ObjectPlan *plan_of(const ObjectSearch *s, const char *path, GError **error)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	g_assert_cmpint(fd, >=, 0);
	ObjectPlan *plan = object_plan_new(s, fd, path, 16, error);
	close(fd);
	return plan;
}

/* libc and libexpert are the zygote's: a shipped expert needs nothing. */
static void test_shipped_expert_needs_nothing(void)
{
	g_autoptr(ObjectSearch) s = search();
	g_autofree char *path = built("experts/top-talkers/top-talkers.so");
	g_autoptr(GError) error = NULL;
	g_autoptr(ObjectPlan) plan = plan_of(s, path, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(plan->libs->len, ==, 0);
	g_assert_null(plan->wx);
}

/* Its own library (through $ORIGIN) needs libm, which it needs too: libm
 * once, first. */
static void test_needed_libraries_in_load_order(void)
{
	g_autoptr(ObjectSearch) s = search();
	g_autofree char *path = built("tests/experts/needs-libraries.so");
	g_autoptr(GError) error = NULL;
	g_autoptr(ObjectPlan) plan = plan_of(s, path, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(plan->libs->len, ==, 2);
	g_autofree char *first = g_path_get_basename(g_ptr_array_index(plan->libs, 0));
	g_autofree char *second = g_path_get_basename(g_ptr_array_index(plan->libs, 1));
	g_assert_cmpstr(first, ==, "libm.so.6");
	g_assert_cmpstr(second, ==, "libexpert-test-helper.so");
	g_autofree char *helper_dir = g_path_get_dirname(g_ptr_array_index(plan->libs, 1));
	g_autofree char *expert_dir = g_path_get_dirname(path);
	g_autofree char *real_helper = realpath(helper_dir, NULL);
	g_autofree char *real_expert = realpath(expert_dir, NULL);
	g_assert_cmpstr(real_helper, ==, real_expert);
	g_assert_null(plan->wx);
}

static void assert_wx(const char *relative, const char *says)
{
	g_autoptr(ObjectSearch) s = search();
	g_autofree char *path = built(relative);
	g_autoptr(GError) error = NULL;
	g_autoptr(ObjectPlan) plan = plan_of(s, path, &error);
	g_assert_no_error(error);
	g_test_message("%s", plan->wx);
	g_assert_nonnull(plan->wx);
	g_assert_nonnull(strstr(plan->wx, says));
}

static void test_wx_needs_are_named(void)
{
	assert_wx("tests/security/hostile-wx-execstack.so", "asks for an executable stack");
	assert_wx("tests/security/hostile-wx-rwx-segment.so",
	          "hostile-wx-rwx-segment.so: it has a load segment both writable and executable");
}

/* A copy whose DT_NEEDED names a library nowhere to be found. */
static void test_missing_library_is_named(void)
{
	g_autofree char *path = built("tests/experts/needs-libraries.so");
	g_autofree char *bytes = NULL;
	gsize len;
	g_assert_true(g_file_get_contents(path, &bytes, &len, NULL));
	const char *name = "libexpert-test-helper.so";
	char *at = memmem(bytes, len, name, strlen(name) + 1);
	g_assert_nonnull(at);
	memcpy(at, "libexpert-test-gonexx.so", strlen(name));
	g_autofree char *dir = temp_dir_new("test-object-plan-XXXXXX");
	g_autofree char *copy = g_build_filename(dir, "doctored.so", NULL);
	g_assert_true(g_file_set_contents(copy, bytes, (gssize)len, NULL));
	g_autoptr(ObjectSearch) s = search();
	g_autoptr(GError) error = NULL;
	g_autoptr(ObjectPlan) plan = plan_of(s, copy, &error);
	g_assert_null(plan);
	g_assert_error(error, OBJECT_ERROR, OBJECT_ERROR_LIBRARY);
	g_test_message("%s", error->message);
	g_assert_nonnull(strstr(error->message, "doctored.so needs libexpert-test-gonexx.so"));
	temp_dir_remove(dir);
}

static void test_not_an_object(void)
{
	g_autoptr(ObjectSearch) s = search();
	g_autofree char *path = g_build_filename(g_getenv("G_TEST_SRCDIR"), "..", "experts",
	                                         "not-an-object.so", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(ObjectPlan) plan = plan_of(s, path, &error);
	g_assert_null(plan);
	g_assert_error(error, OBJECT_ERROR, OBJECT_ERROR_NOT_ELF);
}

/* The directories after an object's own run path: ld.so.conf's, then the
 * defaults; all absolute and existing, none twice. */
static void test_search_dirs(void)
{
	g_autoptr(ObjectSearch) s = search();
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	const char *const *dirs = object_search_dirs(s);
	g_assert_nonnull(dirs[0]);
	for (guint i = 0; dirs[i]; i++) {
		g_test_message("%s", dirs[i]);
		g_assert_true(g_path_is_absolute(dirs[i]));
		g_assert_true(g_file_test(dirs[i], G_FILE_TEST_IS_DIR));
		g_assert_true(g_hash_table_add(seen, (gpointer)dirs[i]));
	}
}

/* A plan is made once per object: the same file opened again gets the
 * same plan, a file rewritten (another content, another date) or reached
 * by another path ($ORIGIN) a plan of its own. */
static void test_plans_are_kept_per_object(void)
{
	g_autoptr(ObjectSearch) s = search();
	g_autoptr(ObjectPlanCache) cache = object_plan_cache_new();
	g_autofree char *original = built("experts/top-talkers/top-talkers.so");
	g_autofree char *dir = temp_dir_new("test-object-plan-XXXXXX");
	g_autofree char *copy = g_build_filename(dir, "kept.so", NULL);
	g_autofree char *link = g_build_filename(dir, "link.so", NULL);
	g_autofree gchar *bytes = NULL;
	gsize len;
	g_assert_true(g_file_get_contents(original, &bytes, &len, NULL));
	g_assert_true(g_file_set_contents(copy, bytes, (gssize)len, NULL));
	g_assert_cmpint(symlink(copy, link), ==, 0);
	const ObjectPlan *plans[4];
	const char *paths[4] = { copy, copy, link, copy };
	for (int i = 0; i < 4; i++) {
		if (i == 3) {
			/* Rewritten in place, a moment later: its times change. */
			g_usleep(10000);
			g_assert_true(g_file_set_contents(copy, bytes, (gssize)len, NULL));
		}
		int fd = open(paths[i], O_RDONLY | O_CLOEXEC);
		g_assert_cmpint(fd, >=, 0);
		g_autoptr(GError) error = NULL;
		plans[i] = object_plan_cached(cache, s, fd, paths[i], 16, &error);
		close(fd);
		g_assert_no_error(error);
		g_assert_nonnull(plans[i]);
	}
	g_assert_true(plans[0] == plans[1]);
	g_assert_true(plans[2] != plans[0]);
	g_assert_true(plans[3] != plans[0]);
	g_assert_cmpuint(plans[3]->libs->len, ==, 0);
	temp_dir_remove(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/object-plan/shipped-expert-needs-nothing", test_shipped_expert_needs_nothing);
	g_test_add_func("/object-plan/needed-libraries-in-load-order",
	                test_needed_libraries_in_load_order);
	g_test_add_func("/object-plan/wx-needs-are-named", test_wx_needs_are_named);
	g_test_add_func("/object-plan/missing-library-is-named", test_missing_library_is_named);
	g_test_add_func("/object-plan/not-an-object", test_not_an_object);
	g_test_add_func("/object-plan/search-dirs", test_search_dirs);
	g_test_add_func("/object-plan/plans-are-kept-per-object", test_plans_are_kept_per_object);
	return g_test_run();
}
