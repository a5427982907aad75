/* temp-dir.h — a fresh directory for a test's files, removed with them.
 *
 * For tests that write profiles, captures or outputs of their own: each
 * gets a directory nothing else uses, and leaves nothing behind.
 */
#ifndef TEMP_DIR_H
#define TEMP_DIR_H

#include <glib.h>

/* A new directory under the temporary directory, named after tmpl (a
 * g_dir_make_tmp() template, "test-NAME-XXXXXX"); fails the test if it
 * cannot be made. */
char *temp_dir_new(const char *tmpl);

/* Removes dir and everything in it (the executor's output folders too). */
void temp_dir_remove(const char *dir);

#endif /* TEMP_DIR_H */
