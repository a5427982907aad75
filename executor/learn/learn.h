/* learn.h — `expert-exec profile learn`: run experts once under a base
 * profile (learn.profile by default) whose refused calls are shown to the
 * learner and let through, then write the smallest profile under which the
 * same run completes.
 *
 * Two layers, as everywhere here: the LearnLog, learn_profile_text() and the
 * checks are pure (recorded calls in, profile text out; learn-writer.c) and
 * unit-tested on their own; learn_command() (learn.c) starts the zygote, runs
 * the experts and writes the file. Only calls the base profile *notifies*
 * reach the learner: its kill rules stay kills, so a learning run that tries
 * an escape ends without a profile being written. */
#ifndef EXPERT_EXEC_LEARN_H
#define EXPERT_EXEC_LEARN_H

#include "profiles/profile.h"

#include <glib.h>

/* A rule conditions a descriptor syscall on the descriptors seen, up to this
 * many; more and the rule has no condition. */
#define LEARN_MAX_DESCRIPTORS 8

/* What one expert's learning run cost, for the header and the limits. */
typedef struct {
	guint64 peak_pool_bytes;
	guint64 max_rss_bytes;
	guint64 cpu_usec;
	guint64 wall_usec;
	guint events;
} LearnUsage;

/* Every refused call of every expert of a learning run, summarised per
 * syscall: count, experts, one example, the descriptors seen (arg0) and
 * whether a mapping asked for PROT_EXEC. */
typedef struct LearnLog LearnLog;

LearnLog *learn_log_new(void);
void learn_log_free(LearnLog *log);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LearnLog, learn_log_free)

/* Records that expert (a short name for comments, e.g. its file name) ran to
 * completion using usage. Call it once per expert, in order. */
void learn_log_add_expert(LearnLog *log, const char *expert, const LearnUsage *usage);
/* Records one refused call of syscall nr by expert. */
void learn_log_add_call(LearnLog *log, const char *expert, int nr, const guint64 args[6]);
/* Calls recorded for expert, or for all experts if NULL. */
guint64 learn_log_n_calls(const LearnLog *log, const char *expert);
/* Distinct syscalls recorded. */
guint learn_log_n_syscalls(const LearnLog *log);

/* What the header comment of a learned profile says. */
typedef struct {
	const char *command_line;   /* as it would be typed */
	const char *date;           /* ISO 8601 */
	const char *capture;
	const Profile *base;        /* what the learning run used */
} LearnHeader;

/* The learned profile's text: `inherits = <parent's name>` plus one rule per
 * syscall the run made that parent does not already allow for every call
 * seen. Fails (LEARN_ERROR) if a call was one parent kills: kills are never
 * learned. parent is strict.profile in `profile learn`. */
char *learn_profile_text(const LearnLog *log, const LearnHeader *header, const Profile *parent,
                         GError **error);

/* Checks text the way the run will use it: written to a temporary file in
 * dir (so `inherits` resolves as it will next to the output), it must pass
 * profile_load() and filter_compile(), and its rules must allow every
 * recorded call. */
gboolean learn_profile_verify(const char *text, const char *dir, const LearnLog *log,
                              GError **error);

/* Whether base can be learned under, for a learned profile inheriting
 * parent: it must notify by default (that is how calls reach the learner),
 * kill at least what parent kills, and have no kill or trap rule for a
 * syscall the loader needs (the executor applies those itself, and a
 * learning run would let the calls through). */
gboolean learn_check_base(const Profile *base, const Profile *parent, GError **error);

#define LEARN_ERROR (learn_error_quark())
GQuark learn_error_quark(void);
typedef enum {
	LEARN_ERROR_KILLED,       /* a recorded call is one the profiles kill */
	LEARN_ERROR_BASE,         /* a base profile learning cannot use */
	LEARN_ERROR_VERIFY,       /* the learned profile does not allow what was seen */
} LearnErrorCode;

/* `expert-exec profile learn`; argv[0] is "learn". Exit status: 0 when the
 * profile was written, 1 when a learning run did not complete, 2 for a bad
 * command line, capture, profile or output file. */
int learn_command(int argc, char **argv);

#endif /* EXPERT_EXEC_LEARN_H */
