/* progress.h — one line per expert on a terminal while a run goes on:
 * percent done and the expert's status text, redrawn in place. */
#ifndef EXPERT_EXEC_PROGRESS_H
#define EXPERT_EXEC_PROGRESS_H

#include "results/job-result.h"

#include <stdio.h>

typedef struct Progress Progress;

Progress *progress_new(FILE *terminal);
/* A JobStatusFunc: the job started, reported status, or ended. */
void progress_update(const Job *job, gpointer progress);
/* A line above the jobs' (a batch's pairs done and time left), drawn now
 * and with every redraw; NULL for none. The executor's own text only. */
void progress_set_title(Progress *progress, const char *title);
/* Erases the lines, so the report that follows stands alone; the jobs are
 * forgotten, the title kept for the next draw. */
void progress_clear(Progress *progress);
void progress_free(Progress *progress);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Progress, progress_free)

#endif /* EXPERT_EXEC_PROGRESS_H */
