/* html-page.h — the frame of an HTML report: one self-contained page.
 *
 * The page fetches nothing: its stylesheet and its one script are inline,
 * and a Content-Security-Policy allows exactly those two (by SHA-256) and
 * nothing else, so even text that escaped html-text.h could neither run a
 * script nor load anything. The script only sorts tables; without it the
 * page reads the same, unsorted. */
#ifndef EXPERT_EXEC_HTML_PAGE_H
#define EXPERT_EXEC_HTML_PAGE_H

#include <glib.h>

/* Doctype, head (title escaped), and <body>. */
void html_page_begin(GString *out, const char *title);
/* The script and the end of the document. */
void html_page_end(GString *out);

/* A table whose columns sort on a click of their heading. Headings and
 * cells are text (escaped); a numeric column aligns right and sorts by
 * number. */
void html_table_begin(GString *out, const char *caption);
void html_table_heading(GString *out, const char *text, gboolean numeric);
void html_table_body(GString *out);   /* between the headings and the rows */
void html_table_row(GString *out);    /* before each row's cells */
void html_table_cell(GString *out, const char *text, gboolean numeric);
/* A cell showing text but sorting by value ("20.0 KiB of 64 MiB" by bytes). */
void html_table_cell_sorted(GString *out, const char *text, double value);
void html_table_end(GString *out);

/* A list of facts, name then value (text, escaped). */
void html_facts_begin(GString *out);
void html_fact(GString *out, const char *name, const char *value);
/* A fact whose value the caller appends as HTML, then html_fact_close. */
void html_fact_open(GString *out, const char *name);
void html_fact_close(GString *out);
void html_facts_end(GString *out);

/* Writes page to path whole or not at all: a temporary file beside it,
 * renamed over it. */
gboolean html_page_write(const char *path, const GString *page, GError **error);

#endif /* EXPERT_EXEC_HTML_PAGE_H */
