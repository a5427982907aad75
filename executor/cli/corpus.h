/* corpus.h — the built-in crash corpus of `expert-exec stress`: one expert
 * per way a run can end, each with the outcome it must get under
 * sandbox-profiles/stress.profile. One table, in corpus.c. */
#ifndef EXPERT_EXEC_CORPUS_H
#define EXPERT_EXEC_CORPUS_H

#include "results/outcome.h"

#include <glib.h>

typedef struct {
	const char *name;       /* as --corpus names it */
	const char *file;       /* in the corpus directory */
	OutcomeKind expected;   /* under the stress profile */
	guint weight;           /* relative frequency in a storm */
	const char *help;
} CorpusEntry;

const CorpusEntry *corpus_table(gsize *n);
const CorpusEntry *corpus_find(const char *name);

/* The directory holding the corpus: the build tree's tests/experts when
 * running from a build, else the installed one. NULL if neither exists. */
char *corpus_dir(void);

#endif /* EXPERT_EXEC_CORPUS_H */
