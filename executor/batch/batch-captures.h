/* batch-captures.h — the captures of a batch: given as files, directories
 * or a list file, each checked to exist before anything runs, each once,
 * in one order every shard agrees on (by path), each with its size (what
 * shards are balanced by) and its folder under --output-dir. */
#ifndef EXPERT_EXEC_BATCH_CAPTURES_H
#define EXPERT_EXEC_BATCH_CAPTURES_H

#include <glib.h>

typedef struct {
	char *path;     /* as given; a list file's relative line joined to the list's folder */
	guint64 bytes;  /* its size when the batch started */
	char *folder;   /* its folder under --output-dir: the file name less its
	                 * extension, NAME.2 for a second capture of that name */
} BatchCapture;

/* Every capture of args (a file, or a directory: each regular file in it,
 * not below it, that starts with a pcap or pcapng magic number; others are
 * added to skipped, a note each) and of the lines of list_file (NULL: none;
 * one path a line, blank lines and lines starting with '#' ignored).
 * Errors name the argument or FILE:LINE: a missing or unreadable path, one
 * that is neither a regular file nor a directory, the same file twice, a
 * batch of no capture. Sorted by path (strcmp), of BatchCapture*. */
GPtrArray *batch_captures_collect(const char *const *args, guint n_args, const char *list_file,
                                  GPtrArray *skipped, GError **error);

/* Whether path is a regular file that starts with a pcap or pcapng magic
 * number (the command line tells captures from experts by it). */
gboolean batch_captures_is_capture(const char *path);

#endif /* EXPERT_EXEC_BATCH_CAPTURES_H */
