/* profile-search.h — where profiles given by name are found. */
#ifndef EXPERT_EXEC_PROFILE_SEARCH_H
#define EXPERT_EXEC_PROFILE_SEARCH_H

#include <glib.h>

/* The directories searched for a profile given by name, in order: the
 * EXPERT_EXEC_PROFILE_PATH environment variable (colon-separated), the
 * source tree's sandbox-profiles/ when running from a build directory, and the
 * installed datadir. */
const char *const *profile_search_dirs(void);

/* The file of profile name: in first_dir (the inheriting file's own, or
 * NULL), then in the search directories; else a PROFILE_ERROR_NOT_FOUND that
 * says where it looked and which profiles exist. */
/* True when this program runs from a Meson build directory (one with
 * meson-private/ at most four levels above the executable): the source
 * tree's profiles, and the build tree's mapping of the shipped experts
 * (profile-map.h), are then the ones being worked on. */
gboolean profile_search_from_build_dir(void);

char *profile_find_file(const char *name, const char *first_dir, GError **error);

#endif /* EXPERT_EXEC_PROFILE_SEARCH_H */
