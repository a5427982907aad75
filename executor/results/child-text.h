/* child-text.h — the one way text that is not the executor's own reaches a
 * terminal, the text report, or a detail the executor composes: every
 * character a terminal would act on, or that would not show, is written out
 * visibly instead.
 *
 * An expert's name, its events' text and details, its status, its load
 * error, what it says of its own failure (expert_fail) and the strings read
 * from its memory are the child's words; sent to a terminal raw, ESC [2J
 * clears the screen, OSC 52 writes the clipboard, and a CR or LF followed by
 * "== ..." forges a line of the report. After escaping, no such text holds a
 * line break or a control character, so it can only ever stand where the
 * executor put it. (JSON escapes by its own rules; the HTML page by
 * reports/html-text.h.)
 *
 * Each character, or byte that is not part of valid UTF-8, becomes:
 *   - a backslash: \\, so that what follows is never ambiguous;
 *   - tab, LF, CR: \t, \n, \r; other C0 controls and DEL: \xNN (ESC is \x1b);
 *   - '"': \" with CHILD_TEXT_QUOTE, for text shown between quotes;
 *   - a byte of invalid UTF-8: \xNN;
 *   - C1 controls (U+0080-U+009F, which some terminals obey as ESC
 *     sequences), format characters (bidirectional overrides, zero-width
 *     characters, ...), the line and paragraph separators, surrogates and
 *     unassigned code points: \uNNNN, or \UNNNNNNNN past U+FFFF;
 *   - anything else: itself. */
#ifndef EXPERT_EXEC_CHILD_TEXT_H
#define EXPERT_EXEC_CHILD_TEXT_H

#include <glib.h>

typedef enum {
	CHILD_TEXT_QUOTE = 1 << 0,
	/* Text the executor composed around child text it escaped already (an
	 * outcome's detail, a call with its strings): backslashes stay single,
	 * so those escapes read as written; everything else is escaped. */
	CHILD_TEXT_ESCAPED_PARTS = 1 << 1,
} ChildTextFlags;

/* Appends the first len bytes of text (all of it for len -1; NULL:
 * nothing) to out, escaped. With max_chars > 0 the escaped text is cut to
 * that many characters, the last of them "…", never inside an escape: for
 * a column of a table or a line of a terminal. */
void child_text_append(GString *out, const char *text, gssize len, guint max_chars,
                       ChildTextFlags flags);

/* The same, newly allocated; NULL is "". */
char *child_text(const char *text, guint max_chars, ChildTextFlags flags);

/* At most max_chars characters of the len bytes at text (the text's own
 * characters, an invalid byte counting as one), escaped. When text is
 * longer, *truncated (if given) is set and the rest is dropped, for the
 * caller to mark: for text kept in a Job (expert_fail's reason) or a
 * string read from the child's memory. Newly allocated. */
char *child_text_escape(const char *text, gsize len, gsize max_chars, ChildTextFlags flags,
                        gboolean *truncated);

#endif /* EXPERT_EXEC_CHILD_TEXT_H */
