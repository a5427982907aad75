/* profile-lint.h — what `expert-exec profile check` finds in a profile that
 * loads: rules that let an expert out of its sandbox, rules that change
 * nothing, actions that do less than their name suggests.
 *
 * Pure: it reads a resolved Profile (profile.h), using the history
 * profile_load() keeps in it (profile->written, ->acknowledged,
 * ->description_file); a Profile built by hand without them gets only the
 * checks that need none. Both tables, the checks and the dangerous
 * syscalls, are data: `profile check --help` and docs/profiles.md print
 * them. */
#ifndef EXPERT_EXEC_PROFILE_LINT_H
#define EXPERT_EXEC_PROFILE_LINT_H

#include "profiles/profile.h"

#include <glib.h>

typedef enum {
	PROFILE_FINDING_ERROR,    /* the profile should not be used as it is */
	PROFILE_FINDING_WARNING,  /* probably not what its author meant */
} ProfileFindingSeverity;

typedef enum {
	PROFILE_LINT_DANGEROUS_ALLOW,    /* a rule lets a dangerous syscall through */
	PROFILE_LINT_DANGEROUS_DEFAULT,  /* the default action lets them through */
	PROFILE_LINT_REDUNDANT_RULE,     /* a rule that does what the default does */
	PROFILE_LINT_OVERRIDDEN_GROUP,   /* a @group rule that decides none of its syscalls */
	PROFILE_LINT_TRAP_ACTION,        /* trap: SIGSYS, which the child can catch */
	PROFILE_LINT_LOG_ACTION,         /* log: allowed, and only the kernel is told */
	PROFILE_LINT_NO_DESCRIPTION,     /* the file sets no description */
	PROFILE_LINT_UNUSED_ACKNOWLEDGE, /* acknowledges a syscall nothing lets through */
	PROFILE_LINT_NEEDLESS_ACKNOWLEDGE, /* acknowledges a syscall that is not dangerous */
} ProfileLintKind;

typedef struct {
	ProfileLintKind kind;
	const char *name;                /* "dangerous-allow", printed after each finding */
	ProfileFindingSeverity severity;
	const char *help;                /* one line */
} ProfileLintCheck;

/* All checks, in ProfileLintKind order; *n receives the count. */
const ProfileLintCheck *profile_lint_checks(gsize *n);

/* A syscall that escapes or weakens the sandbox when allowed, and why.
 * Allowing one (allow or log, by a rule or by the default action) is an
 * error unless [profile] acknowledge names it; for some, only when allowed
 * without a condition: clone (a condition on its flags can limit it to
 * threads) and the calls that reach files by path (a condition on open's
 * flags can keep it to reading; an unconditional allow reaches every file
 * the child's uid can). */
typedef struct {
	const char *name;
	const char *why;                 /* completes "allowing it ..." */
	gboolean condition_limits;       /* a conditional allow is not dangerous */
	const char *instead;             /* a rule to write instead, for the hint */
} ProfileDanger;

/* All of them, in table order; *n receives the count. */
const ProfileDanger *profile_dangers(gsize *n);
/* The entry for syscall name, or NULL. */
const ProfileDanger *profile_danger_find(const char *name);

typedef struct {
	ProfileLintKind kind;
	ProfileFindingSeverity severity;
	char *file;                      /* the file it is about, or NULL */
	guint line;                      /* 0: the file as a whole */
	char *subject;                   /* the syscall or @group it is about, or NULL */
	char *message;                   /* what is wrong */
	char *hint;                      /* what to do about it */
} ProfileFinding;

/* Every finding, sorted: the profile's own file first, then its parents
 * (profile->files order), each by line. Free with g_ptr_array_unref. */
GPtrArray *profile_lint(const Profile *profile);

void profile_finding_free(ProfileFinding *finding);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProfileFinding, profile_finding_free)

#endif /* EXPERT_EXEC_PROFILE_LINT_H */
