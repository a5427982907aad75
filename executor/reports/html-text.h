/* html-text.h — text into HTML, whatever bytes it holds.
 *
 * Every string the HTML report shows (expert names, event text, detail keys
 * and values, paths) may come from a hostile expert or the command line. It
 * goes into the page only through these, which write character data that is
 * also safe inside a quoted attribute value. */
#ifndef EXPERT_EXEC_HTML_TEXT_H
#define EXPERT_EXEC_HTML_TEXT_H

#include <glib.h>

/* Appends text (NULL: nothing): & < > " ' as character references; an
 * invalid UTF-8 sequence as U+FFFD; control characters (C0 but tab and
 * newline, DEL, C1) and the directional formatting characters that could
 * reorder what is shown (U+202A-U+202E, U+2066-U+2069) as visible \xNN or
 * \uNNNN. */
void html_text(GString *out, const char *text);

/* The same, cut to at most max characters of text with "…" marking the cut. */
void html_text_cut(GString *out, const char *text, guint max);

/* v as printf's format would write it in the C locale ("%.1f": "3.5",
 * whatever LC_NUMERIC says), newly allocated. */
char *html_number(const char *format, double v);

#endif /* EXPERT_EXEC_HTML_TEXT_H */
