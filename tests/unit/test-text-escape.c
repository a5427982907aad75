/* test-text-escape.c — the one escaping function for text that is not the
 * executor's own (executor/reports/text-escape.c), with hostile strings:
 * terminal control sequences, line breaks, C1 controls, bidirectional
 * overrides, invalid UTF-8, and cuts that must never split an escape. */
#include "reports/text-escape.h"

#include <glib.h>
#include <string.h>

static void assert_escapes(const char *in, const char *want)
{
	g_autofree char *got = text_escape(in);
	g_assert_cmpstr(got, ==, want);
	g_assert_true(g_utf8_validate(got, -1, NULL));
}

static void test_plain_text_is_unchanged(void)
{
	assert_escapes("Protocol Distribution", "Protocol Distribution");
	assert_escapes("café, Straße, 東京, ✓", "café, Straße, 東京, ✓");
	assert_escapes("", "");
	g_autofree char *null = text_escape(NULL);
	g_assert_cmpstr(null, ==, "");
}

/* ESC [2J clears the screen, OSC 0 sets the title, OSC 52 the clipboard. */
static void test_terminal_sequences_are_shown(void)
{
	assert_escapes("\x1b[2J", "\\x1b[2J");
	assert_escapes("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07");
	assert_escapes("\x1b]52;c;cHduZWQ=\x1b\\", "\\x1b]52;c;cHduZWQ=\\x1b\\\\");
	assert_escapes("\x7f\x01\x1f", "\\x7f\\x01\\x1f");
}

/* No line break survives: nothing can start a line of the report. */
static void test_line_breaks_are_shown(void)
{
	assert_escapes("a\r== protocol-distribution\n   outcome   completed",
	               "a\\r== protocol-distribution\\n   outcome   completed");
	assert_escapes("tab\there", "tab\\there");
	/* U+2028 and U+2029 break lines in some viewers. */
	assert_escapes("a\xe2\x80\xa8" "b\xe2\x80\xa9", "a\\u2028b\\u2029");
	g_autofree char *got = text_escape("\r\n\v\f\x85");
	g_assert_null(strpbrk(got, "\r\n\v\f"));
}

/* U+009B is CSI to an 8-bit terminal; U+202E reverses what follows. */
static void test_c1_and_format_characters_are_shown(void)
{
	assert_escapes("\xc2\x9b" "31m", "\\u009b31m");
	assert_escapes("\xc2\x85", "\\u0085");
	assert_escapes("\xe2\x80\xae" "gnp.exe", "\\u202egnp.exe");
	assert_escapes("zero\xe2\x80\x8bwidth", "zero\\u200bwidth");
	assert_escapes("\xef\xbb\xbf" "bom", "\\ufeffbom");
	assert_escapes("tag\xf3\xa0\x80\x81", "tag\\U000e0001");
}

static void test_invalid_utf8_is_shown_byte_by_byte(void)
{
	assert_escapes("caf\xc3\x28", "caf\\xc3(");
	assert_escapes("\xff\xfe", "\\xff\\xfe");
	assert_escapes("\xe2\x80", "\\xe2\\x80"); /* cut short */
	assert_escapes("\xc0\x80", "\\xc0\\x80"); /* overlong NUL */
	/* NUL inside the given length. */
	GString *out = g_string_new(NULL);
	text_escape_append(out, "a\0b", 3, 0);
	g_assert_cmpstr(out->str, ==, "a\\x00b");
	g_string_free(out, TRUE);
}

/* A backslash of the child's own cannot pass for an escape. */
static void test_backslash_is_doubled(void)
{
	assert_escapes("\\x1b", "\\\\x1b");
}

/* Cut to a number of characters with "…", never inside an escape. */
static void test_cuts_never_split_an_escape(void)
{
	g_autofree char *whole = text_escape_cut("short", 10);
	g_assert_cmpstr(whole, ==, "short");
	g_autofree char *exact = text_escape_cut("0123456789", 10);
	g_assert_cmpstr(exact, ==, "0123456789");
	g_autofree char *cut = text_escape_cut("0123456789A", 10);
	g_assert_cmpstr(cut, ==, "012345678…");
	g_autofree char *esc = text_escape_cut("abcdefg\x1b[2J", 10);
	g_assert_cmpstr(esc, ==, "abcdefg…");
	for (guint max = 1; max < 40; max++) {
		g_autofree char *c = text_escape_cut("\x1b]0;\xe2\x80\xae\xff\r\n title \x07", max);
		g_assert_cmpuint(g_utf8_strlen(c, -1), <=, max);
		g_assert_true(g_utf8_validate(c, -1, NULL));
		g_assert_null(strpbrk(c, "\x1b\r\n\x07"));
		/* Whatever is left before the ellipsis ends on a whole escape. */
		const char *last = strrchr(c, '\\');
		if (last && g_str_has_suffix(c, "…"))
			g_assert_true(last[1] == '\\' || last[1] == 'x' || last[1] == 'u' || last[1] == 'r' ||
			              last[1] == 'n');
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/text-escape/plain-text-is-unchanged", test_plain_text_is_unchanged);
	g_test_add_func("/text-escape/terminal-sequences-are-shown", test_terminal_sequences_are_shown);
	g_test_add_func("/text-escape/line-breaks-are-shown", test_line_breaks_are_shown);
	g_test_add_func("/text-escape/c1-and-format-characters-are-shown",
	                test_c1_and_format_characters_are_shown);
	g_test_add_func("/text-escape/invalid-utf8-is-shown-byte-by-byte",
	                test_invalid_utf8_is_shown_byte_by_byte);
	g_test_add_func("/text-escape/backslash-is-doubled", test_backslash_is_doubled);
	g_test_add_func("/text-escape/cuts-never-split-an-escape", test_cuts_never_split_an_escape);
	return g_test_run();
}
