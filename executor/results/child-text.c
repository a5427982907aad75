/* child-text.c — see child-text.h. */
#include "results/child-text.h"

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
	case G_UNICODE_UNASSIGNED:           /* what a later Unicode makes of it is unknown */
		return TRUE;
	default:
		return FALSE;
	}
}

/* One character (or invalid byte) of text at p, escaped, into piece;
 * returns the bytes of text it took. */
static gsize escape_one(const char *p, gsize left, ChildTextFlags flags, char piece[16])
{
	guchar b = (guchar)*p;
	if (b < 0x80) {
		if (b == '\\')
			strcpy(piece, flags & CHILD_TEXT_ESCAPED_PARTS ? "\\" : "\\\\");
		else if (b == '"')
			strcpy(piece, flags & CHILD_TEXT_QUOTE ? "\\\"" : "\"");
		else if (b == '\t' || b == '\n' || b == '\r')
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

void child_text_append(GString *out, const char *text, gssize len, guint max_chars,
                       ChildTextFlags flags)
{
	if (!text)
		return;
	gsize left = len < 0 ? strlen(text) : (gsize)len;
	guint chars = 0;
	const char *p = text;
	while (left) {
		char piece[16];
		gsize took = escape_one(p, left, flags, piece);
		guint piece_chars = (guint)g_utf8_strlen(piece, -1);
		/* With more to come, the piece must leave room for the ellipsis. */
		if (max_chars && chars + piece_chars + (took < left ? 1 : 0) > max_chars) {
			g_string_append(out, "…");
			return;
		}
		g_string_append(out, piece);
		chars += piece_chars;
		p += took;
		left -= took;
	}
}

char *child_text(const char *text, guint max_chars, ChildTextFlags flags)
{
	GString *out = g_string_new(NULL);
	child_text_append(out, text, -1, max_chars, flags);
	return g_string_free(out, FALSE);
}

char *child_text_escape(const char *text, gsize len, gsize max_chars, ChildTextFlags flags,
                        gboolean *truncated)
{
	GString *out = g_string_new(NULL);
	gsize chars = 0;
	if (truncated)
		*truncated = FALSE;
	while (len) {
		if (chars == max_chars) {
			if (truncated)
				*truncated = TRUE;
			break;
		}
		char piece[16];
		gsize took = escape_one(text, len, flags, piece);
		g_string_append(out, piece);
		text += took;
		len -= took;
		chars++;
	}
	return g_string_free(out, FALSE);
}
