/* expert-settings.c — the experts' settings from the command line (see
 * expert-settings.h). Each is untrusted input: names and values checked,
 * with messages naming the option. */
#include "jobs/expert-settings.h"

#include "profiles/profile-map.h"

#include <string.h>

#define CONFIG_KEY_MAX 64
#define CONFIG_VALUE_MAX 1024

static gboolean config_key_valid(const char *key)
{
	if (!key[0] || strlen(key) > CONFIG_KEY_MAX)
		return FALSE;
	for (const char *c = key; *c; c++)
		if (!g_ascii_isalnum(*c) && *c != '_' && *c != '-' && *c != '.')
			return FALSE;
	return TRUE;
}

/* Adds key=value for every expert whose name matches (or all for "*"). */
static gboolean add_setting(GPtrArray *configs, char **names, const char *who, const char *key,
                            const char *value, const char *origin, GError **error)
{
	if (!config_key_valid(key)) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "%s: \"%s\" is not a setting name (letters, digits, '_', '-', '.'; at most %d)",
		            origin, key, CONFIG_KEY_MAX);
		return FALSE;
	}
	if (!g_utf8_validate(value, -1, NULL) || strlen(value) > CONFIG_VALUE_MAX) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "%s: the value of %s must be UTF-8 text of at most %d bytes", origin, key,
		            CONFIG_VALUE_MAX);
		return FALSE;
	}
	gboolean any = FALSE;
	for (guint i = 0; names[i]; i++) {
		if (!g_str_equal(who, "*") && !g_str_equal(who, names[i]))
			continue;
		GPtrArray *kv = g_ptr_array_index(configs, i);
		/* kv ends in NULL: insert before it. */
		g_ptr_array_insert(kv, (gint)kv->len - 1, g_strdup(key));
		g_ptr_array_insert(kv, (gint)kv->len - 1, g_strdup(value));
		any = TRUE;
	}
	if (!any) {
		g_autofree char *known = g_strjoinv(", ", names);
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "%s: no expert is called \"%s\" (the experts given are: %s; or use *)",
		            origin, who, known);
		return FALSE;
	}
	return TRUE;
}

GPtrArray *expert_settings_parse(char **settings, const char *file, const char *const *experts,
                                 guint n_experts, GError **error)
{
	g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
	g_auto(GStrv) names = g_new0(char *, n_experts + 1);
	for (guint i = 0; i < n_experts; i++) {
		names[i] = profile_map_expert_name(experts[i]);
		GPtrArray *kv = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(kv, NULL);
		g_ptr_array_add(configs, kv);
	}
	if (file) {
		g_autoptr(GKeyFile) kf = g_key_file_new();
		if (!g_key_file_load_from_file(kf, file, G_KEY_FILE_NONE, error)) {
			g_prefix_error(error, "--config-file %s: ", file);
			return NULL;
		}
		g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
		for (guint g = 0; groups[g]; g++) {
			g_auto(GStrv) keys = g_key_file_get_keys(kf, groups[g], NULL, NULL);
			for (guint k = 0; keys && keys[k]; k++) {
				g_autofree char *value = g_key_file_get_string(kf, groups[g], keys[k], error);
				g_autofree char *origin = g_strdup_printf("--config-file %s [%s]", file, groups[g]);
				if (!value || !add_setting(configs, names, groups[g], keys[k], value, origin, error))
					return NULL;
			}
		}
	}
	for (guint i = 0; settings && settings[i]; i++) {
		const char *colon = strchr(settings[i], ':');
		const char *eq = colon ? strchr(colon, '=') : NULL;
		if (!colon || !eq) {
			g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			            "--config %s: expected EXPERT:key=value (EXPERT is the file name "
			            "without .so, or *)", settings[i]);
			return NULL;
		}
		g_autofree char *who = g_strndup(settings[i], (gsize)(colon - settings[i]));
		g_autofree char *key = g_strndup(colon + 1, (gsize)(eq - colon - 1));
		g_autofree char *origin = g_strdup_printf("--config %s", settings[i]);
		if (!add_setting(configs, names, who, key, eq + 1, origin, error))
			return NULL;
	}
	return g_steal_pointer(&configs);
}
