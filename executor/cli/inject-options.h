/* inject-options.h — the --inject and --seed options of run and stress:
 * their help, from the table of fault classes, and the seed. */
#ifndef EXPERT_EXEC_INJECT_OPTIONS_H
#define EXPERT_EXEC_INJECT_OPTIONS_H

#include "inject/inject-plan.h"

#include <glib.h>

/* "Faults (--inject): ..." one line per class, what CLASS@N does (newly
 * allocated). */
char *inject_options_help(void);

/* --seed: a whole number up to 2^64-1; NULL is 1. */
gboolean inject_options_seed(const char *text, guint64 *seed, GError **error);

#endif /* EXPERT_EXEC_INJECT_OPTIONS_H */
