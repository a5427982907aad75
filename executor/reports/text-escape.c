/* text-escape.c — see text-escape.h. */
#include "reports/text-escape.h"

#include <string.h>

/* Characters shown as an escape rather than as themselves. */
static gboolean hidden(gunichar c)
{
	switch (g_unichar_type(c)) {
	case G_UNICODE_CONTROL:              /* C0, DEL, C1 */
	case G_UNICODE_FORMAT:               /* bidi overrides, zero-width, BOM, ... */
	case G_UNICODE_LINE_SEPARATOR:
	case G_UNICODE_PARAGRAPH_SEPARATOR:
	case G_UNICODE_SURROGATE:
		return TRUE;
	default:
		return FALSE;
	}
}

/* One character (or invalid byte) of text at p, escaped, into piece;
 * returns the bytes of text it took. */
static gsize escape_one(const char *p, gsize left, char piece[16])
{
	guchar b = (guchar)*p;
	if (b == '\\') {
		strcpy(piece, "\\\\");
		return 1;
	}
	if (b < 0x80) {
		if (b == '\t' || b == '\n' || b == '\r')
			g_snprintf(piece, 16, "\\%c", b == '\t' ? 't' : b == '\n' ? 'n' : 'r');
		else if (b < 0x20 || b == 0x7f)
			g_snprintf(piece, 16, "\\x%02x", b);
		else {
			piece[0] = (char)b;
			piece[1] = '\0';
		}
		return 1;
	}
	gunichar c = g_utf8_get_char_validated(p, (gssize)left);
	if (c == (gunichar)-1 || c == (gunichar)-2) {
		g_snprintf(piece, 16, "\\x%02x", b);
		return 1;
	}
	gsize n = (gsize)(g_utf8_next_char(p) - p);
	if (hidden(c))
		g_snprintf(piece, 16, c > 0xFFFF ? "\\U%08x" : "\\u%04x", c);
	else {
		memcpy(piece, p, n);
		piece[n] = '\0';
	}
	return n;
}

void text_escape_append(GString *out, const char *text, gssize len, guint max_chars)
{
	if (!text)
		return;
	gsize left = len < 0 ? strlen(text) : (gsize)len;
	guint chars = 0;
	const char *p = text;
	while (left) {
		char piece[16];
		gsize took = escape_one(p, left, piece);
		guint piece_chars = (guint)g_utf8_strlen(piece, -1);
		if (max_chars && chars + piece_chars > max_chars - 1 && took < left) {
			/* The rest does not fit with the ellipsis: cut here. */
			g_string_append(out, "…");
			return;
		}
		if (max_chars && chars + piece_chars > max_chars) {
			g_string_append(out, "…");
			return;
		}
		g_string_append(out, piece);
		chars += piece_chars;
		p += took;
		left -= took;
	}
}

char *text_escape(const char *text)
{
	GString *out = g_string_new(NULL);
	text_escape_append(out, text, -1, 0);
	return g_string_free(out, FALSE);
}

char *text_escape_cut(const char *text, guint max_chars)
{
	GString *out = g_string_new(NULL);
	text_escape_append(out, text, -1, max_chars);
	return g_string_free(out, FALSE);
}
