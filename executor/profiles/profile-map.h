/* profile-map.h — which profile each expert of a run gets: the operator's
 * choice, never the expert's.
 *
 * A mapping file is a key-file with one group, [profiles], and one line per
 * expert, named as --config names it (the file name without ".so"):
 *
 *   [profiles]
 *   protocol-coalesce = coalesce          # a profile name, searched as --profile NAME
 *   top-talkers = /etc/expert-exec/tt.profile
 *
 * A relative path is taken from the mapping file's directory, as `inherits`
 * is from a profile's. The shipped experts install one beside them (the
 * installed mapping, experts/profiles.conf in the source tree); it governs
 * only experts whose file lies under its own directory, so an object named
 * like a shipped expert but kept elsewhere gets nothing from it.
 *
 * The choice for one expert, first match wins (profile_choose()):
 *   1. --profile EXPERT=PROFILE;
 *   2. the mapping in force: --profile-map FILE if given, else the installed
 *      mapping, unless a plain --profile PROFILE was given;
 *   3. a plain --profile PROFILE;
 *   4. default.
 * What the expert registers as never enters into it. Pure but for reading
 * the mapping files and resolving the experts' paths. */
#ifndef EXPERT_EXEC_PROFILE_MAP_H
#define EXPERT_EXEC_PROFILE_MAP_H

#include <glib.h>

/* The profile a run uses when nothing else is said. */
#define PROFILE_MAP_FALLBACK "default"
/* The installed mapping's file name, in the directory of the experts it governs. */
#define PROFILE_MAP_FILE_NAME "profiles.conf"

typedef struct {
	char *expert;      /* as --config names it */
	char *profile;     /* a profile name, or an absolute path */
	guint line;
} ProfileMapEntry;

typedef struct {
	char *path;        /* the mapping file, as given */
	char *dir;         /* its directory, canonical */
	GPtrArray *entries; /* of ProfileMapEntry*, in file order */
} ProfileMap;

/* Reads a mapping file: at most 64 KiB of UTF-8 key-file text with a
 * [profiles] group and nothing else; each key a valid expert name, set once;
 * each value a profile name or path. Errors are PROFILE_ERRORs naming file
 * and line. */
ProfileMap *profile_map_load(const char *path, GError **error);
void profile_map_free(ProfileMap *map);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProfileMap, profile_map_free)

const ProfileMapEntry *profile_map_find(const ProfileMap *map, const char *expert);

/* Whether path (an expert object) lies under the mapping's directory, its
 * symbolic links resolved: whether an installed mapping governs it. */
gboolean profile_map_governs(const ProfileMap *map, const char *path);

/* The installed mappings that exist, most specific first: the build tree's
 * (when this program runs from a Meson build directory), the one beside
 * this program's installation, the configured install location. Each one
 * that does not load is an error: an operator's mapping is never skipped. */
GPtrArray *profile_map_load_installed(GError **error);

/* "protocol-coalesce" for ".../protocol-coalesce.so": how --config,
 * --profile and the mapping files name an expert. */
char *profile_map_expert_name(const char *path);
/* Letters, digits, '_', '-', '.'; 1 to 64 of them. */
gboolean profile_map_name_valid(const char *name);

/* What the command line and the mapping files say. */
typedef struct {
	GHashTable *named;           /* expert name -> profile, from --profile EXPERT=PROFILE */
	const char *fallback;        /* a plain --profile PROFILE, or NULL */
	const ProfileMap *map;       /* --profile-map FILE, or NULL */
	GPtrArray *installed;        /* of ProfileMap*, from profile_map_load_installed(); or NULL */
} ProfileRules;

/* One expert's profile and why. */
typedef struct {
	char *expert;       /* its name */
	char *profile;      /* for profile_load() */
	char *chosen_by;    /* "--profile top-talkers=strict", "/usr/lib/.../profiles.conf:5",
	                     * "--profile strict", "the built-in default" */
} ProfileChoice;

/* The choice for the expert at path (see the order above). */
ProfileChoice *profile_choose(const ProfileRules *rules, const char *expert_path);
void profile_choice_free(ProfileChoice *choice);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProfileChoice, profile_choice_free)

/* Splits a --profile value: "EXPERT=PROFILE" (a valid expert name before the
 * first '=', no '/' in it) fills *expert and *profile; anything else is a
 * plain profile name or path (*expert NULL, *profile the value). */
void profile_map_split_option(const char *value, char **expert, char **profile);

#endif /* EXPERT_EXEC_PROFILE_MAP_H */
