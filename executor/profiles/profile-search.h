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
char *profile_find_file(const char *name, const char *first_dir, GError **error);

#endif /* EXPERT_EXEC_PROFILE_SEARCH_H */
