/* profile-internal.h — what the three files of the profile parser share, and
 * nothing else includes:
 *
 *   profile-source.c  one file's text: reading it safely, where each group
 *                     and key is, a key's value; errors with file and line,
 *                     and the "did you mean" hints
 *   profile-rule.c    the rule language (ACTION [if CONDITIONS]), syscall
 *                     names, acknowledge and the [limits] values, both ways:
 *                     text to model and back
 *   profile.c         a file's meaning (a Layer), groups, inheritance,
 *                     the search for a profile by name
 *
 * profile-lint.c, which judges a loaded profile, uses the rule comparison.
 * Names are prefixed profile_ like the public ones; none of this is API. */
#ifndef EXPERT_EXEC_PROFILE_INTERNAL_H
#define EXPERT_EXEC_PROFILE_INTERNAL_H

#include "profiles/profile.h"

#include <glib.h>

#define PROFILE_MAX_BYTES (64 * 1024)
#define PROFILE_MAX_ALTERNATIVES 8

/* ---- profile-source.c: errors and hints ---- */

/* Sets a PROFILE_ERROR "path:line: message" (or "path: message" when line
 * is 0) that also carries path, line and message apart (profile_error_file()
 * and friends). Returns FALSE, so callers can `return profile_fail(...)`. */
gboolean profile_fail(GError **error, ProfileErrorCode code, const char *path, guint line,
                      const char *format, ...) G_GNUC_PRINTF(5, 6);

/* " (did you mean \"x\"?)" or "", newly allocated. */
char *profile_suggest(const char *word, const char *const *candidates);

/* The names of a table whose rows start with `const char *name`
 * (SyscallGroup, ProfileConstant, ProfileErrno), NULL-terminated. */
GPtrArray *profile_table_names(const void *rows, gsize n, gsize stride);
/* The syscall group names, NULL-terminated. */
GPtrArray *profile_group_names(void);

/* ---- profile-source.c: one file and where its lines are ---- */

typedef struct {
	char *group;
	char *key; /* NULL for a [group] line */
	guint line;
} ProfileEntry;

typedef struct {
	char *path;        /* as opened: errors name it */
	char *name;        /* file name without ".profile" */
	GKeyFile *keyfile;
	GArray *entries;   /* of ProfileEntry, in file order */
} ProfileSource;

/* Reads and indexes path: bounded size, text only, valid UTF-8, key-file
 * syntax, no group or key twice. */
ProfileSource *profile_source_open(const char *path, GError **error);
void profile_source_free(ProfileSource *src);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProfileSource, profile_source_free)

/* The value of an entry, comment and surrounding blanks removed; unescape
 * applies GKeyFile's escapes (\t, \n, \s, \\). */
char *profile_entry_value(const ProfileSource *src, const ProfileEntry *entry, gboolean unescape,
                          GError **error);

/* A profile's name: its file name without ".profile". */
char *profile_name_of(const char *path);

/* ---- profile-rule.c: the rule language ---- */

/* Parses a rule value into action and alternatives (empty: unconditional);
 * errors name path, line and key. */
gboolean profile_parse_rule(const char *path, guint line, const char *key, const char *text,
                            ProfileAction *action, GArray **alternatives, GError **error);

/* The native (x86-64) number of a syscall name, or -1 and an error naming
 * what is wrong, with a hint; group: the group name came from, for errors. */
int profile_resolve_syscall(const char *path, guint line, const char *name, const char *group,
                            GError **error);

/* "acknowledge = NAME;NAME" at path:line: appends a ProfileAcknowledgement
 * to acknowledged for each name, each a syscall named once. */
gboolean profile_parse_acknowledge(const char *path, guint line, const char *value,
                                   GPtrArray *acknowledged, GError **error);

/* A copy of model for one syscall (a group's rule for one member). */
ProfileRule *profile_rule_for(const ProfileRule *model, const char *syscall, int nr);
/* Same action and the same conditions, in the same order. */
gboolean profile_rules_same(const ProfileRule *a, const ProfileRule *b);

/* ---- profile-rule.c: [limits], one table, the defaults with them ---- */

typedef enum { PROFILE_UNIT_BYTES, PROFILE_UNIT_MS, PROFILE_UNIT_COUNT } ProfileLimitUnit;
enum {
	PROFILE_LIMIT_MEMORY, PROFILE_LIMIT_CPU, PROFILE_LIMIT_WALL, PROFILE_LIMIT_FDS,
	PROFILE_LIMIT_EVENTS, PROFILE_LIMIT_OUTPUT_FILES, PROFILE_LIMIT_OUTPUT_BYTES, PROFILE_N_LIMITS
};

typedef struct {
	const char *key;
	ProfileLimitUnit kind;
	guint64 min, max, fallback;
	const char *range; /* for errors */
} ProfileLimitInfo;

extern const ProfileLimitInfo profile_limits[PROFILE_N_LIMITS];

void profile_set_limit(Profile *profile, guint which, guint64 value);
guint64 profile_get_limit(const Profile *profile, guint which);
/* FALSE if text is not a number with one of the limit's suffixes; the
 * range is the caller's to check. */
gboolean profile_parse_limit(guint which, const char *text, guint64 *out);

#endif /* EXPERT_EXEC_PROFILE_INTERNAL_H */
