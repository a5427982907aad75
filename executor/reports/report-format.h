/* report-format.h — what the text and HTML reports print alike: sizes, a
 * pool's peak against its quota, and when an event's text says nothing its
 * details do not already say. Pure functions over plain text. */
#ifndef EXPERT_EXEC_REPORT_FORMAT_H
#define EXPERT_EXEC_REPORT_FORMAT_H

#include <glib.h>

/* "20.0 KiB": a measured size, to one decimal. */
char *report_size(guint64 bytes);
/* "64 MiB": a configured limit, exact when it is a whole number of a unit
 * (as profiles write them), else as report_size. */
char *report_limit(guint64 bytes);
/* "20.0 KiB of 64 MiB"; just the peak when the quota is 0 (unknown). */
char *report_pool(guint64 peak, guint64 quota);

/* A whole decimal or floating-point number, as event details carry them. */
gboolean report_is_number(const char *text);

/* TRUE when every word of text (each run of letters and digits; any
 * non-ASCII byte counts as a letter) is also a word of one of the n values:
 * "10.0.0.1:80 -> 10.0.0.2:5000" beside client, client_port, server and
 * server_port columns, or "mac #1 00:11:22:33:44:55" beside layer, rank and
 * address. A table whose every row's text is redundant so shows it no
 * more. */
gboolean report_text_redundant(const char *text, const char *const *values, guint n);

#endif /* EXPERT_EXEC_REPORT_FORMAT_H */
