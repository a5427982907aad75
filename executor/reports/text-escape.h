/* text-escape.h — the one way text that is not the executor's own reaches
 * a terminal or the text report: every character a terminal would act on,
 * or that would not show, is written out visibly instead.
 *
 * An expert's name, its events' text and details, its status and its load
 * error are the child's words; sent to a terminal raw, ESC [2J clears the
 * screen, OSC 52 writes the clipboard, and a CR or LF followed by "== ..."
 * forges a line of the report. After escaping, no such text contains a line
 * break or a control character, so it can only ever stand where the
 * executor put it. (JSON escapes by its own rules.) */
#ifndef EXPERT_EXEC_TEXT_ESCAPE_H
#define EXPERT_EXEC_TEXT_ESCAPE_H

#include <glib.h>

/* Appends the first len bytes of text (all of it for len -1) to out:
 *   - a backslash as \\, so that what follows is never ambiguous;
 *   - tab, LF and CR as \t, \n, \r; other C0 controls and DEL as \xNN
 *     (ESC is \x1b);
 *   - a byte that is not part of valid UTF-8 as \xNN;
 *   - C1 controls (U+0080-U+009F, which some terminals obey as ESC
 *     sequences), format characters (bidirectional overrides, zero-width
 *     characters, ...) and the line and paragraph separators as \uXXXX;
 *   - everything else as it is.
 * With max_chars > 0, the escaped text is cut to that many characters, the
 * last of them "…". */
void text_escape_append(GString *out, const char *text, gssize len, guint max_chars);

/* The same, newly allocated; NULL is "". */
char *text_escape(const char *text);
char *text_escape_cut(const char *text, guint max_chars);

#endif /* EXPERT_EXEC_TEXT_ESCAPE_H */
