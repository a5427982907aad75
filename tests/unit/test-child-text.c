/* test-child-text.c — the one escaping of text that is not the executor's
 * own (executor/results/child-text.c), with hostile strings: terminal
 * control sequences, line breaks, C1 controls, bidirectional overrides,
 * invalid UTF-8, and cuts that must never split an escape; whatever the
 * bytes, one line of printable UTF-8. */
#include "results/child-text.h"

#include <glib.h>
#include <string.h>

static void assert_escaped(const char *bytes, gsize len, const char *expected)
{
	gboolean cut;
	g_autofree char *text = child_text_escape(bytes, len, 1000, CHILD_TEXT_QUOTE, &cut);
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
	/* C1 controls and a right-to-left override would disguise the line
	 * (\uNNNN, as JSON and the HTML page write a character). */
	assert_escaped("\xc2\x9b" "2J", 4, "\\u009b2J");
	assert_escaped("a\xe2\x80\xae" "b", 5, "a\\u202eb");
	g_autofree char *unquoted = child_text_escape("\"x\"", 3, 10, 0, NULL);
	g_assert_cmpstr(unquoted, ==, "\"x\"");
}

static void test_bounded_in_characters(void)
{
	gboolean cut;
	g_autofree char *text = child_text_escape("\xc3\xa9\xc3\xa9\xc3\xa9", 6, 2, CHILD_TEXT_QUOTE, &cut);
	g_assert_cmpstr(text, ==, "\xc3\xa9\xc3\xa9");
	g_assert_true(cut);
	g_autofree char *exact = child_text_escape("ab", 2, 2, CHILD_TEXT_QUOTE, &cut);
	g_assert_false(cut);
}

static void assert_escapes(const char *in, const char *want)
{
	g_autofree char *got = child_text(in, 0, 0);
	g_assert_cmpstr(got, ==, want);
	g_assert_true(g_utf8_validate(got, -1, NULL));
}

static void test_plain_text_is_unchanged(void)
{
	assert_escapes("Protocol Distribution", "Protocol Distribution");
	assert_escapes("café, Straße, 東京, ✓", "café, Straße, 東京, ✓");
	assert_escapes("", "");
	g_autofree char *null = child_text(NULL, 0, 0);
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
	g_autofree char *got = child_text("\r\n\v\f\x85", 0, 0);
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
	child_text_append(out, "a\0b", 3, 0, 0);
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
	g_autofree char *whole = child_text("short", 10, 0);
	g_assert_cmpstr(whole, ==, "short");
	g_autofree char *exact = child_text("0123456789", 10, 0);
	g_assert_cmpstr(exact, ==, "0123456789");
	g_autofree char *cut = child_text("0123456789A", 10, 0);
	g_assert_cmpstr(cut, ==, "012345678…");
	g_autofree char *esc = child_text("abcdefg\x1b[2J", 10, 0);
	g_assert_cmpstr(esc, ==, "abcdefg…");
	for (guint max = 1; max < 40; max++) {
		g_autofree char *c = child_text("\x1b]0;\xe2\x80\xae\xff\r\n title \x07", max, 0);
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

/* What each use adds: quotes escaped for a string shown between them,
 * escapes already made left single in text the executor composed around
 * them, code points no Unicode version has assigned shown, not passed on;
 * and both bounds: the text's own characters, or the characters shown. */
static void test_flags_and_unassigned(void)
{
	g_autofree char *quoted = child_text("say \"hi\"", 0, CHILD_TEXT_QUOTE);
	g_assert_cmpstr(quoted, ==, "say \\\"hi\\\"");
	g_autofree char *composed = child_text("open(\"a\\x1b\") \x1b[2J", 0, CHILD_TEXT_ESCAPED_PARTS);
	g_assert_cmpstr(composed, ==, "open(\"a\\x1b\") \\x1b[2J");
	g_autofree char *unassigned = child_text("\xf4\x8f\xbf\xbf", 0, 0); /* U+10FFFF */
	g_assert_cmpstr(unassigned, ==, "\\U0010ffff");
	gboolean cut;
	g_autofree char *own = child_text_escape("\x1b\x1b\x1b", 3, 2, 0, &cut);
	g_assert_cmpstr(own, ==, "\\x1b\\x1b");
	g_assert_true(cut);
	g_autofree char *shown = child_text("\x1b\x1b\x1b", 6, 0);
	g_assert_cmpstr(shown, ==, "\\x1b…");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/child-text/controls-and-bad-bytes-show-visibly",
	                test_controls_and_bad_bytes_show_visibly);
	g_test_add_func("/child-text/bounded-in-characters", test_bounded_in_characters);
	g_test_add_func("/child-text/plain-text-is-unchanged", test_plain_text_is_unchanged);
	g_test_add_func("/child-text/terminal-sequences-are-shown", test_terminal_sequences_are_shown);
	g_test_add_func("/child-text/line-breaks-are-shown", test_line_breaks_are_shown);
	g_test_add_func("/child-text/c1-and-format-characters-are-shown",
	                test_c1_and_format_characters_are_shown);
	g_test_add_func("/child-text/invalid-utf8-is-shown-byte-by-byte",
	                test_invalid_utf8_is_shown_byte_by_byte);
	g_test_add_func("/child-text/backslash-is-doubled", test_backslash_is_doubled);
	g_test_add_func("/child-text/cuts-never-split-an-escape", test_cuts_never_split_an_escape);
	g_test_add_func("/child-text/flags-and-unassigned", test_flags_and_unassigned);
	return g_test_run();
}
