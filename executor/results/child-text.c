/* child-text.c — see child-text.h. */
#include "results/child-text.h"

char *child_text_escape(const char *text, gsize len, gsize max_chars, gboolean quote,
                        gboolean *truncated)
{
	GString *out = g_string_new(NULL);
	const char *p = text, *end = text + len;
	gsize chars = 0;
	if (truncated)
		*truncated = FALSE;
	while (p < end) {
		if (chars == max_chars) {
			if (truncated)
				*truncated = TRUE;
			break;
		}
		gunichar c = g_utf8_get_char_validated(p, end - p);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			g_string_append_printf(out, "\\x%02x", (guchar)*p);
			p++;
		} else {
			const char *next = g_utf8_next_char(p);
			switch (c) {
			case '\n': g_string_append(out, "\\n"); break;
			case '\t': g_string_append(out, "\\t"); break;
			case '\r': g_string_append(out, "\\r"); break;
			case '\\': g_string_append(out, "\\\\"); break;
			case '"':
				g_string_append(out, quote ? "\\\"" : "\"");
				break;
			default:
				if (c < 0x80 && !g_ascii_isprint((int)c))
					g_string_append_printf(out, "\\x%02x", c);
				else if (c >= 0x80 && !g_unichar_isprint(c))
					/* Format and control characters (bidirectional
					 * overrides, C1 controls) could disguise the line. */
					g_string_append_printf(out, "\\u{%04x}", c);
				else
					g_string_append_len(out, p, next - p);
			}
			p = next;
		}
		chars++;
	}
	return g_string_free(out, FALSE);
}
