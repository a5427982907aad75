/* test-html-text.c — executor/html-text.c: whatever bytes a string holds,
 * what reaches the page is valid UTF-8 character data that can neither open
 * a tag nor leave a quoted attribute, with control and reordering
 * characters shown, not obeyed. */
#include "reports/html-text.h"

#include <string.h>

static char *escaped(const char *text)
{
	GString *out = g_string_new(NULL);
	html_text(out, text);
	return g_string_free(out, FALSE);
}

static char *cut(const char *text, guint max)
{
	GString *out = g_string_new(NULL);
	html_text_cut(out, text, max);
	return g_string_free(out, FALSE);
}

static void test_markup_becomes_references(void)
{
	g_autofree char *a = escaped("<script>alert(\"x\" & 'y')</script>");
	g_assert_cmpstr(a, ==, "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
	g_autofree char *b = escaped("&lt;");
	g_assert_cmpstr(b, ==, "&amp;lt;");
	g_autofree char *c = escaped("plain text, é ✓");
	g_assert_cmpstr(c, ==, "plain text, é ✓");
	GString *none = g_string_new("kept");
	html_text(none, NULL);
	g_assert_cmpstr(none->str, ==, "kept");
	g_string_free(none, TRUE);
}

static void test_controls_and_reordering_are_shown(void)
{
	g_autofree char *a = escaped("a\x01" "b\x1b[31mc\x7f" "d\ttab\nline");
	g_assert_cmpstr(a, ==, "a\\x01b\\x1B[31mc\\x7Fd\ttab\nline");
	g_autofree char *b = escaped("c1 \xc2\x85 \xc2\x9f");
	g_assert_cmpstr(b, ==, "c1 \\x85 \\x9F");
	g_autofree char *c = escaped("abc\xe2\x80\xae" "evil \xe2\x81\xa6x\xe2\x81\xa9");
	g_assert_cmpstr(c, ==, "abc\\u202Eevil \\u2066x\\u2069");
}

static void test_invalid_utf8_becomes_replacement_characters(void)
{
	g_autofree char *a = escaped("ok\xff\xfe<");
	g_assert_true(g_utf8_validate(a, -1, NULL));
	g_assert_cmpstr(a, ==, "ok\xef\xbf\xbd\xef\xbf\xbd&lt;");
	/* A sequence cut short at the end of the string. */
	g_autofree char *b = escaped("end\xe2\x80");
	g_assert_true(g_utf8_validate(b, -1, NULL));
	g_assert_true(g_str_has_prefix(b, "end\xef\xbf\xbd"));
	/* Overlong '<' and a surrogate are not UTF-8 either. */
	g_autofree char *c = escaped("\xc0\xbc\xed\xa0\x80");
	g_assert_true(g_utf8_validate(c, -1, NULL));
	g_assert_null(strchr(c, '<'));
}

static void test_cut_counts_characters_and_marks_the_cut(void)
{
	g_autofree char *a = cut("abcdef", 4);
	g_assert_cmpstr(a, ==, "abc…");
	g_autofree char *b = cut("abcd", 4);
	g_assert_cmpstr(b, ==, "abcd");
	g_autofree char *c = cut("ééééé", 3);
	g_assert_cmpstr(c, ==, "éé…");
	g_autofree char *d = cut("<<<<<<", 3);
	g_assert_cmpstr(d, ==, "&lt;&lt;…");
	g_autofree char *e = cut("\xff\xff\xff\xff", 2);
	g_assert_cmpstr(e, ==, "\xef\xbf\xbd…");
	g_autofree char *f = cut("anything", 0);
	g_assert_cmpstr(f, ==, "anything");
}

/* Random bytes: the result is valid UTF-8 with no character that could end
 * text or an attribute, and no control character but tab and newline. */
static void test_any_bytes_give_inert_text(void)
{
	for (int round = 0; round < 2000; round++) {
		char bytes[64];
		gsize n = (gsize)g_test_rand_int_range(1, sizeof bytes);
		for (gsize i = 0; i < n - 1; i++)
			bytes[i] = (char)g_test_rand_int_range(1, 256);
		bytes[n - 1] = '\0';
		g_autofree char *out = round % 2 ? escaped(bytes) : cut(bytes, (guint)g_test_rand_int_range(1, 20));
		g_assert_true(g_utf8_validate(out, -1, NULL));
		for (const char *p = out; *p; p = g_utf8_next_char(p)) {
			gunichar c = g_utf8_get_char(p);
			g_assert_true(c != '<' && c != '>' && c != '"' && c != '\'');
			g_assert_true(c >= 0x20 || c == '\t' || c == '\n');
			g_assert_true(c < 0x7f || c >= 0xa0);
			g_assert_true(!(c >= 0x202a && c <= 0x202e) && !(c >= 0x2066 && c <= 0x2069));
		}
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/html-text/markup-becomes-references", test_markup_becomes_references);
	g_test_add_func("/html-text/controls-and-reordering-are-shown",
	                test_controls_and_reordering_are_shown);
	g_test_add_func("/html-text/invalid-utf8-becomes-replacement-characters",
	                test_invalid_utf8_becomes_replacement_characters);
	g_test_add_func("/html-text/cut-counts-characters-and-marks-the-cut",
	                test_cut_counts_characters_and_marks_the_cut);
	g_test_add_func("/html-text/any-bytes-give-inert-text", test_any_bytes_give_inert_text);
	return g_test_run();
}
