/* profile-source.h — one profile file as text: read safely, indexed by
 * line, values taken out. Errors name the file and line (profile-error.h). */
#ifndef EXPERT_EXEC_PROFILE_SOURCE_H
#define EXPERT_EXEC_PROFILE_SOURCE_H

#include <glib.h>

#define PROFILE_MAX_BYTES (64 * 1024)

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

#endif /* EXPERT_EXEC_PROFILE_SOURCE_H */
