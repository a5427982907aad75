/* html-text.c — text into HTML, whatever bytes it holds (see html-text.h). */
#include "reports/html-text.h"

static gboolean shown_escaped(gunichar c)
{
	return (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7F && c < 0xA0) ||
	       (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/* valid is UTF-8 already (g_utf8_make_valid's). */
static void append_valid(GString *out, const char *valid)
{
	for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		switch (c) {
		case '&': g_string_append(out, "&amp;"); break;
		case '<': g_string_append(out, "&lt;"); break;
		case '>': g_string_append(out, "&gt;"); break;
		case '"': g_string_append(out, "&quot;"); break;
		case '\'': g_string_append(out, "&#39;"); break;
		default:
			if (shown_escaped(c))
				g_string_append_printf(out, c < 0x100 ? "\\x%02X" : "\\u%04X", c);
			else
				g_string_append_len(out, p, g_utf8_next_char(p) - p);
		}
	}
}

void html_text(GString *out, const char *text)
{
	if (!text)
		return;
	g_autofree char *valid = g_utf8_make_valid(text, -1);
	append_valid(out, valid);
}

void html_text_cut(GString *out, const char *text, guint max)
{
	if (!text)
		return;
	g_autofree char *valid = g_utf8_make_valid(text, -1);
	if (max == 0 || g_utf8_strlen(valid, -1) <= (glong)max) {
		append_valid(out, valid);
		return;
	}
	g_autofree char *head = g_utf8_substring(valid, 0, max - 1);
	append_valid(out, head);
	g_string_append(out, "…");
}

char *html_number(const char *format, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	return g_strdup(g_ascii_formatd(buf, sizeof buf, format, v));
}
