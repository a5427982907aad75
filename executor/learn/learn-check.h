/* learn-check.h — what learning may rely on: whether a profile allows a
 * call, whether a learned profile allows what was seen, and whether a base
 * profile can be learned under at all. */
#ifndef EXPERT_EXEC_LEARN_CHECK_H
#define EXPERT_EXEC_LEARN_CHECK_H

#include "learn/learn-log.h"
#include "profiles/profile.h"

#include <glib.h>

#define LEARN_ERROR (learn_error_quark())
GQuark learn_error_quark(void);
typedef enum {
	LEARN_ERROR_KILLED,       /* a recorded call is one the profiles kill */
	LEARN_ERROR_BASE,         /* a base profile learning cannot use */
	LEARN_ERROR_VERIFY,       /* the learned profile does not allow what was seen */
} LearnErrorCode;

/* TRUE if profile lets the call through (allow or log), as the filter would. */
gboolean learn_allows(const Profile *profile, int nr, const guint64 args[6]);
/* TRUE if rule has no conditions. */
gboolean learn_rule_unconditional(const ProfileRule *rule);

/* Checks text the way the run will use it: written to a temporary file in
 * dir (so `inherits` resolves as it will next to the output), it must pass
 * profile_load() and filter_compile(), and its rules must allow every
 * recorded call. */
gboolean learn_profile_verify(const char *text, const char *dir, const LearnLog *log,
                              GError **error);

/* Whether a learned profile may inherit candidate rather than strict: what
 * candidate grants beyond strict the experts of log all needed (each of its
 * rules that lets more through is for a syscall seen and not refused, its
 * output files were used), so inheriting it grants nothing unused. strict
 * itself always fits. */
gboolean learn_parent_fits(const Profile *candidate, const Profile *strict, const LearnLog *log);

/* Whether base can be learned under, for a learned profile inheriting
 * parent: it must notify by default (that is how calls reach the learner),
 * kill at least what parent kills, and have no kill or trap rule for a
 * syscall the loader needs (the executor applies those itself, and a
 * learning run would let the calls through). */
gboolean learn_check_base(const Profile *base, const Profile *parent, GError **error);

#endif /* EXPERT_EXEC_LEARN_CHECK_H */
