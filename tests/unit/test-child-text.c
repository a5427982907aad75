/* test-child-text.c — bytes a child chose, made safe to print
 * (executor/results/child-text.c): one line of printable UTF-8 whatever
 * they were. */
#include "results/child-text.h"

#include <string.h>

static void assert_escaped(const char *bytes, gsize len, const char *expected)
{
	gboolean cut;
	g_autofree char *text = child_text_escape(bytes, len, 1000, TRUE, &cut);
	g_assert_cmpstr(text, ==, expected);
	g_assert_false(cut);
	g_assert_true(g_utf8_validate(text, -1, NULL));
	for (const char *p = text; *p; p++)
		g_assert_true((guchar)*p >= 0x20 && *p != 0x7f);
}

static void test_controls_and_bad_bytes_show_visibly(void)
{
	assert_escaped("/tmp/x", 6, "/tmp/x");
	/* A terminal's escape sequences, CR, a line break, NUL. */
	assert_escaped("a\x1b[2Jb", 6, "a\\x1b[2Jb");
	assert_escaped("\r== Forged\n", 11, "\\r== Forged\\n");
	assert_escaped("a\0b", 3, "a\\x00b");
	assert_escaped("tab\there", 8, "tab\\there");
	assert_escaped("q\"\\", 3, "q\\\"\\\\");
	/* Invalid UTF-8 byte by byte; valid characters kept. */
	assert_escaped("\xff\xc3(", 3, "\\xff\\xc3(");
	assert_escaped("caf\xc3\xa9", 5, "caf\xc3\xa9");
	/* C1 controls and a right-to-left override would disguise the line. */
	assert_escaped("\xc2\x9b" "2J", 4, "\\u{009b}2J");
	assert_escaped("a\xe2\x80\xae" "b", 5, "a\\u{202e}b");
	g_autofree char *unquoted = child_text_escape("\"x\"", 3, 10, FALSE, NULL);
	g_assert_cmpstr(unquoted, ==, "\"x\"");
}

static void test_bounded_in_characters(void)
{
	gboolean cut;
	g_autofree char *text = child_text_escape("\xc3\xa9\xc3\xa9\xc3\xa9", 6, 2, TRUE, &cut);
	g_assert_cmpstr(text, ==, "\xc3\xa9\xc3\xa9");
	g_assert_true(cut);
	g_autofree char *exact = child_text_escape("ab", 2, 2, TRUE, &cut);
	g_assert_false(cut);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/child-text/controls-and-bad-bytes-show-visibly",
	                test_controls_and_bad_bytes_show_visibly);
	g_test_add_func("/child-text/bounded-in-characters", test_bounded_in_characters);
	return g_test_run();
}
