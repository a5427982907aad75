/* tshark.h — tshark's output for the integration tests that compare an
 * expert with it live (the fields they need are not in tests/data/oracle).
 */
#ifndef TSHARK_H
#define TSHARK_H

#include <glib.h>

/* Whether tshark is on the PATH; if not, marks the test skipped. */
gboolean tshark_available(void);

/* The standard output of `tshark -n ARGS...` (args NULL-terminated);
 * fails the test, with tshark's message, if tshark fails. */
char *tshark_output(const char *const *args);

#endif /* TSHARK_H */
