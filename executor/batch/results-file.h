/* results-file.h — a batch's results file: JSON Lines, one record a line,
 * the batch's header first, then one line per (capture, expert) pair as it
 * finishes (batch/result-record.h says what a record holds;
 * docs/results.schema.json is its schema).
 *
 * Each line is appended with one write(2) of the whole line, newline
 * included, on a descriptor opened O_APPEND, then fsync'd: a run killed at
 * any moment leaves whole lines, and at most a torn last one, which a
 * reader ignores with a warning (a line counts only with its newline). One
 * run at a time appends to a file: it holds a lock (flock) on it. */
#ifndef EXPERT_EXEC_RESULTS_FILE_H
#define EXPERT_EXEC_RESULTS_FILE_H

#include <glib.h>
#include <json-glib/json-glib.h>

/* The schema every line names; a reader refuses any other. */
#define RESULTS_SCHEMA "expert-exec/results/1"

typedef struct {
	JsonObject *header;   /* the first line (record "batch"), or NULL if there is none */
	GPtrArray *pairs;     /* JsonObject* of every "pair" line, in file order */
	char *torn;           /* a warning about a torn last line (ignored), or NULL */
	guint64 whole_bytes;  /* where the whole lines end */
} ResultsContents;

void results_contents_free(ResultsContents *contents);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ResultsContents, results_contents_free)

/* Reads a results file. Errors name FILE:LINE: a line that is not a JSON
 * object of this schema, a header that is not first, a second header. */
ResultsContents *results_file_read(const char *path, GError **error);

typedef struct ResultsFile ResultsFile;

/* Opens path to append to, creating it, and locks it. Without resume an
 * existing file must be empty; with resume its contents are read (given in
 * *contents) and a torn last line is cut off before anything is appended. */
ResultsFile *results_file_open(const char *path, gboolean resume, ResultsContents **contents,
                               GError **error);
/* One record as one line: written whole with a single write and fsync'd,
 * or not at all (a short write is cut back off, and is an error). */
gboolean results_file_append(ResultsFile *file, JsonNode *record, GError **error);
void results_file_close(ResultsFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ResultsFile, results_file_close)

#endif /* EXPERT_EXEC_RESULTS_FILE_H */
