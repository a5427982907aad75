/* profile-options.h — the --profile and --profile-map options of run and
 * list: each expert's profile, chosen as profiles/profile-map.h says, with
 * messages naming the option for anything wrong. */
#ifndef EXPERT_EXEC_PROFILE_OPTIONS_H
#define EXPERT_EXEC_PROFILE_OPTIONS_H

#include <glib.h>

/* values: every --profile given (NULL-terminated, or NULL), each
 * "EXPERT=PROFILE" or a plain PROFILE (at most one); map_path: --profile-map,
 * or NULL. Returns one ProfileChoice* per expert, in order (free with
 * g_ptr_array_unref), or NULL with a G_OPTION_ERROR (or the mapping file's
 * PROFILE_ERROR). */
GPtrArray *profile_options_choose(char **values, const char *map_path,
                                  const char *const *experts, guint n_experts, GError **error);

#endif /* EXPERT_EXEC_PROFILE_OPTIONS_H */
