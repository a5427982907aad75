/* expert-settings.h — the experts' settings, from --config EXPERT:KEY=VALUE
 * and --config-file FILE (a key-file with one [EXPERT] group per expert),
 * as `run` and `profile learn` take them; experts read them with
 * expert_config_get() in their configure step. */
#ifndef EXPERT_EXEC_EXPERT_SETTINGS_H
#define EXPERT_EXEC_EXPERT_SETTINGS_H

#include <glib.h>

/* One (key, value, key, value, ..., NULL) GPtrArray per expert, in the order
 * given: the file first, then the command line, the last of a key winning.
 * EXPERT is the file name without .so (profile-map.h), or * for every
 * expert; an EXPERT none is called is an error, as are a key of other than
 * letters, digits, '_', '-', '.' (at most 64) and a value of more than 1024
 * bytes or not UTF-8 (G_OPTION_ERROR, naming the option). settings may be
 * NULL, file too. */
GPtrArray *expert_settings_parse(char **settings, const char *file, const char *const *experts,
                                 guint n_experts, GError **error);

#endif /* EXPERT_EXEC_EXPERT_SETTINGS_H */
