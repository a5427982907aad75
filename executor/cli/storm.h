/* storm.h — a storm of `expert-exec stress` (stress.c): the experts it
 * draws from, what it samples of the executor, and the engine that starts
 * jobs and samples (storm.c). stress.c parses the command line and reports. */
#ifndef EXPERT_EXEC_STORM_H
#define EXPERT_EXEC_STORM_H

#include "cli/corpus.h"
#include "jobs/runner.h"
#include "jobs/zygote.h"

#include <glib.h>

typedef struct {
	const char *name;
	char *path;
	const CorpusEntry *corpus; /* NULL for a user's expert */
	guint weight;
	guint64 runs;
	guint64 by_outcome[OUTCOME_N_KINDS];
	guint64 unexpected;
	char *first_unexpected;    /* detail of the first run that surprised */
} Entry;

typedef struct {
	ResourceSnapshot snap;
	guint children, zombies;
} Sample;

typedef struct {
	RunResult *setup;
	GPtrArray *entries;        /* of Entry* */
	guint total_weight;
	GRand *rand;
	guint jobs;
	guint64 target;            /* runs, or 0 with a deadline */
	gint64 deadline;
	guint64 started, finished;
	guint running;
	GArray *latency_ms;        /* float per run */
	guint64 by_outcome[OUTCOME_N_KINDS];
	Sample start, end, peak;
	gboolean have_start;
	gboolean draining;         /* no new jobs until running is 0, to sample */
	Zygote *zygote;
	GHashTable *running_jobs;  /* job id -> Job*, still running */
	GMainLoop *loop;
	gboolean tty;
	gint64 last_progress;
} Storm;

void storm_entry_free(gpointer entry);
/* The executor's resources and the zygote's children, now. */
void storm_sample(Storm *s, Sample *out);
/* Raises s->peak to now wherever now is larger. */
void storm_keep_peak(Storm *s, const Sample *now);
/* "N runs, R/s, J running, U unexpected" redrawn on a terminal; at most
 * five times a second unless force. */
void storm_progress_line(Storm *s, gboolean force);
/* Starts jobs until --jobs run, or the storm has started its last, and
 * keeps children ready for the next (jobs/prefork.h). */
void storm_start_jobs(Storm *s);

#endif /* EXPERT_EXEC_STORM_H */
