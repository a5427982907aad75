/* learn-trial.h — the learning runs of a set of experts, least first.
 *
 *  1. An observing run of each expert under the base profile: every call
 *     the base would report (notify) is recorded and let through. Unless
 *     each expert completes and returns 0, nothing is learned.
 *  2. A trial run per syscall seen, in name order: that syscall's calls
 *     are refused with an errno (the parent's, where it already refuses the
 *     syscall so, else EACCES) on top of the refusals kept so far. If every
 *     expert that made such a call still completes, returns 0, reads the
 *     same frames and submits the same events and outputs, the refusal is
 *     kept: the expert did without it.
 *  3. A confirming run of each expert with every kept refusal: the calls it
 *     records are the log the profile is written from.
 *
 * Not tried as refusals: the channel's syscalls (no profile may refuse
 * them), what the parent allows already for every call seen, and syscalls
 * the base decided some calls of itself (the writer carries its rule). */
#ifndef EXPERT_EXEC_LEARN_TRIAL_H
#define EXPERT_EXEC_LEARN_TRIAL_H

#include "jobs/runner.h"
#include "jobs/zygote.h"
#include "learn/learn-log.h"
#include "profiles/profile.h"

#include <glib.h>

/* What every learning run shares. */
typedef struct {
	Zygote *zygote;
	const RunnerOptions *common;  /* capture, identity; the profile is base's */
	const Profile *base;
	const Profile *parent;        /* strict: the floor a trial never goes below */
} LearnRuns;

/* Learns experts (labels name them in comments; configs[i], if configs is
 * given, is expert i's settings as key, value, ..., NULL) into log, which
 * must be empty. FALSE when an expert did not complete in its observing run (the
 * report is printed) or a run could not happen at all (*fatal, message
 * printed). Progress goes to stdout, one line per expert and per trial. */
gboolean learn_trial_run(const LearnRuns *runs, char **experts, char **labels,
                         char **const *configs, guint n, LearnLog *log, gboolean *fatal);

#endif /* EXPERT_EXEC_LEARN_TRIAL_H */
