/* test-child-memory.c — a string read from a process's memory
 * (executor/violations/child-memory.c), here this test's own: whole up to
 * its NUL, cut at an unreadable page or at the bound, refused at NULL and
 * where nothing is mapped; and shown escaped, marked when cut. The reading
 * of a stopped child, with the notification checked, is the integration
 * suite's (tests/integration/test-profiles.sh). */
#include "violations/child-memory.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void test_a_string_is_read_to_its_nul(void)
{
	static const char path[] = "/tmp/x/notes.txt";
	gboolean complete;
	GError *error = NULL;
	g_autoptr(GBytes) got = child_memory_read_string(getpid(), (guint64)(uintptr_t)path,
	                                                 &complete, &error);
	g_assert_no_error(error);
	g_assert_true(complete);
	gsize len;
	const char *data = g_bytes_get_data(got, &len);
	g_assert_cmpmem(data, len, path, strlen(path));
	g_autofree char *shown = child_memory_describe_string(getpid(), (guint64)(uintptr_t)path);
	g_assert_cmpstr(shown, ==, "\"/tmp/x/notes.txt\"");
}

static void test_a_string_ending_at_an_unmapped_page(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *two = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	                 -1, 0);
	g_assert_true(two != MAP_FAILED);
	g_assert_cmpint(munmap(two + page, (size_t)page), ==, 0);
	/* No NUL before the hole: what was readable, marked incomplete. */
	char *s = two + page - 5;
	memcpy(s, "abcde", 5);
	gboolean complete;
	GError *error = NULL;
	g_autoptr(GBytes) got = child_memory_read_string(getpid(), (guint64)(uintptr_t)s, &complete,
	                                                 &error);
	g_assert_no_error(error);
	g_assert_false(complete);
	g_assert_cmpuint(g_bytes_get_size(got), ==, 5);
	g_autofree char *shown = child_memory_describe_string(getpid(), (guint64)(uintptr_t)s);
	g_assert_cmpstr(shown, ==, "\"abcde\"...");
	/* Nothing readable at all, and NULL: refused. */
	g_assert_null(child_memory_read_string(getpid(), (guint64)(uintptr_t)(two + page), &complete,
	                                       &error));
	g_assert_nonnull(error);
	g_clear_error(&error);
	g_assert_null(child_memory_read_string(getpid(), 0, &complete, &error));
	g_clear_error(&error);
	g_assert_null(child_memory_describe_string(getpid(), (guint64)(uintptr_t)(two + page)));
	munmap(two, (size_t)page);
}

static void test_bounded_and_escaped(void)
{
	g_autofree char *long_text = g_malloc(CHILD_MEMORY_STRING_MAX * 2);
	memset(long_text, 'a', CHILD_MEMORY_STRING_MAX * 2 - 1);
	long_text[CHILD_MEMORY_STRING_MAX * 2 - 1] = '\0';
	gboolean complete;
	g_autoptr(GBytes) got = child_memory_read_string(getpid(), (guint64)(uintptr_t)long_text,
	                                                 &complete, NULL);
	g_assert_false(complete);
	g_assert_cmpuint(g_bytes_get_size(got), ==, CHILD_MEMORY_STRING_MAX);
	g_autofree char *shown = child_memory_describe_string(getpid(), (guint64)(uintptr_t)long_text);
	g_assert_cmpuint(strlen(shown), ==, CHILD_MEMORY_SHOWN_MAX + 5);
	g_assert_true(g_str_has_suffix(shown, "\"..."));

	static const char hostile[] = "x\x1b]0;title\x07\ny";
	g_autofree char *safe = child_memory_describe_string(getpid(), (guint64)(uintptr_t)hostile);
	g_assert_cmpstr(safe, ==, "\"x\\x1b]0;title\\x07\\ny\"");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/child-memory/a-string-is-read-to-its-nul", test_a_string_is_read_to_its_nul);
	g_test_add_func("/child-memory/a-string-ending-at-an-unmapped-page",
	                test_a_string_ending_at_an_unmapped_page);
	g_test_add_func("/child-memory/bounded-and-escaped", test_bounded_and_escaped);
	return g_test_run();
}
