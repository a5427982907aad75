/* child-text.h — bytes a child chose, made safe to print: whatever they are
 * (control characters, escape sequences, invalid UTF-8, a NUL), the result
 * is one line of printable UTF-8 in which each of them shows visibly. Used
 * for the strings read from a child's memory and for what an expert says
 * of its own failure (expert_fail). */
#ifndef EXPERT_EXEC_CHILD_TEXT_H
#define EXPERT_EXEC_CHILD_TEXT_H

#include <glib.h>

/* At most max_chars characters of the len bytes at text, escaped C-style:
 * \n \t \r \\ as such, '"' as \" when quote is set, any other control or
 * non-printable character as \xNN (a byte) or \u{NNNN} (a character), and
 * every byte of invalid UTF-8 as \xNN. Valid printable UTF-8 is kept. When
 * text is longer, *truncated (if given) is set and the rest is dropped.
 * Newly allocated. */
char *child_text_escape(const char *text, gsize len, gsize max_chars, gboolean quote,
                        gboolean *truncated);

#endif /* EXPERT_EXEC_CHILD_TEXT_H */
