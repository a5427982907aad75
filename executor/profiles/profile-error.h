/* profile-error.h — errors in profiles, for people and for programs: each
 * names file and line (PROFILE_ERROR, an extended GError domain that also
 * carries them apart), and the "did you mean" hints they end with. */
#ifndef EXPERT_EXEC_PROFILE_ERROR_H
#define EXPERT_EXEC_PROFILE_ERROR_H

#include <glib.h>

#define PROFILE_ERROR (profile_error_quark())
GQuark profile_error_quark(void);

typedef enum {
	PROFILE_ERROR_NOT_FOUND,  /* no profile of that name or path */
	PROFILE_ERROR_SYNTAX,     /* key-file syntax, or a value that does not parse */
	PROFILE_ERROR_UNKNOWN,    /* unknown group, key, syscall, constant or action */
	PROFILE_ERROR_CYCLE,      /* inherits loops */
	PROFILE_ERROR_CONFLICT,   /* two rules that contradict each other */
} ProfileErrorCode;

/* A PROFILE_ERROR's parts: the file and line it is about (NULL and 0 when
 * it is about no file, as for a name not found), and the message without
 * them. error->message is "FILE:LINE: TEXT" (or "FILE: TEXT", or TEXT). */
const char *profile_error_file(const GError *error);
guint profile_error_line(const GError *error);
const char *profile_error_text(const GError *error);

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

/* The candidate (NULL-terminated list) closest to word by edit distance,
 * ignoring ASCII case, when it is close enough to be a likely typo (distance
 * 1 for words up to 3 characters, 2 up to 6, 3 beyond); NULL otherwise. The
 * "did you mean" hints in profile errors come from it. */
const char *profile_closest(const char *word, const char *const *candidates);

#endif /* EXPERT_EXEC_PROFILE_ERROR_H */
