/* report-format.c — what the text and HTML reports print alike (see
 * report-format.h). */
#include "reports/report-format.h"

#include <string.h>

char *report_size(guint64 bytes)
{
	/* GLib puts a no-break space before the unit: reports use plain ones,
	 * so that their text is ASCII where it can be. */
	g_autofree char *text = g_format_size_full(bytes, G_FORMAT_SIZE_IEC_UNITS);
	GString *s = g_string_new(text);
	g_string_replace(s, "\u00a0", " ", 0);
	return g_string_free(s, FALSE);
}

char *report_limit(guint64 bytes)
{
	static const struct { guint64 unit; const char *name; } units[] = {
		{ 1ull << 40, "TiB" }, { 1ull << 30, "GiB" }, { 1ull << 20, "MiB" }, { 1ull << 10, "KiB" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(units); i++)
		if (bytes >= units[i].unit && bytes % units[i].unit == 0)
			return g_strdup_printf("%" G_GUINT64_FORMAT " %s", bytes / units[i].unit, units[i].name);
	return report_size(bytes);
}

char *report_pool(guint64 peak, guint64 quota)
{
	g_autofree char *p = report_size(peak);
	if (!quota)
		return g_steal_pointer(&p);
	g_autofree char *q = report_limit(quota);
	return g_strdup_printf("%s of %s", p, q);
}

gboolean report_is_number(const char *text)
{
	char *end;
	if (!text || !*text || g_ascii_isspace(*text))
		return FALSE;
	g_ascii_strtod(text, &end);
	return *end == '\0';
}

static gboolean word_byte(char c)
{
	return g_ascii_isalnum(c) || (guchar)c >= 0x80;
}

/* Whether word (len bytes) is one of the words of text. */
static gboolean has_word(const char *text, const char *word, gsize len)
{
	for (const char *p = text; *p;) {
		while (*p && !word_byte(*p))
			p++;
		const char *start = p;
		while (*p && word_byte(*p))
			p++;
		if ((gsize)(p - start) == len && len && memcmp(start, word, len) == 0)
			return TRUE;
	}
	return FALSE;
}

gboolean report_text_redundant(const char *text, const char *const *values, guint n)
{
	for (const char *p = text; *p;) {
		while (*p && !word_byte(*p))
			p++;
		const char *word = p;
		while (*p && word_byte(*p))
			p++;
		gsize len = (gsize)(p - word);
		if (!len)
			continue;
		gboolean found = FALSE;
		for (guint i = 0; i < n && !found; i++)
			found = values[i] && has_word(values[i], word, len);
		if (!found)
			return FALSE;
	}
	return TRUE;
}
