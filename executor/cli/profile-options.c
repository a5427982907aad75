/* profile-options.c — --profile and --profile-map (see profile-options.h).
 * Everything here is the operator's word; what an expert registers as is
 * never asked. */
#include "cli/profile-options.h"

#include "profiles/profile-map.h"

#include <string.h>

/* Whether some expert of the run has this name. */
static gboolean known_expert(const char *name, const char *const *experts, guint n)
{
	for (guint i = 0; i < n; i++) {
		g_autofree char *other = profile_map_expert_name(experts[i]);
		if (strcmp(other, name) == 0)
			return TRUE;
	}
	return FALSE;
}

static char *expert_names(const char *const *experts, guint n)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < n; i++) {
		g_autofree char *name = profile_map_expert_name(experts[i]);
		g_string_append_printf(s, "%s%s", i ? ", " : "", name);
	}
	return g_string_free(s, FALSE);
}

GPtrArray *profile_options_choose(char **values, const char *map_path,
                                  const char *const *experts, guint n_experts, GError **error)
{
	g_autoptr(GHashTable) named = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autofree char *fallback = NULL;
	for (guint i = 0; values && values[i]; i++) {
		g_autofree char *expert = NULL, *profile = NULL;
		profile_map_split_option(values[i], &expert, &profile);
		if (*profile == '\0') {
			g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			            "--profile %s: give a profile name or a path%s", values[i],
			            expert ? " after EXPERT=" : "");
			return NULL;
		}
		if (!expert) {
			if (fallback) {
				g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
				            "--profile %s: a profile for every expert was given already "
				            "(--profile %s); name the expert: --profile EXPERT=PROFILE",
				            values[i], fallback);
				return NULL;
			}
			fallback = g_steal_pointer(&profile);
			continue;
		}
		if (!known_expert(expert, experts, n_experts)) {
			g_autofree char *known = expert_names(experts, n_experts);
			g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			            "--profile %s: no expert is called \"%s\" (the experts given are: %s)",
			            values[i], expert, known);
			return NULL;
		}
		const char *before = g_hash_table_lookup(named, expert);
		if (before) {
			g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			            "--profile %s: %s has a profile already (--profile %s=%s)", values[i],
			            expert, expert, before);
			return NULL;
		}
		g_hash_table_insert(named, g_steal_pointer(&expert), g_steal_pointer(&profile));
	}

	g_autoptr(ProfileMap) map = NULL;
	if (map_path) {
		map = profile_map_load(map_path, error);
		if (!map) {
			g_prefix_error(error, "--profile-map: ");
			return NULL;
		}
	}
	/* The installed mapping speaks only when the command line does not
	 * for every expert. */
	g_autoptr(GPtrArray) installed = NULL;
	if (!map && !fallback && !(installed = profile_map_load_installed(error)))
		return NULL;

	ProfileRules rules = { named, fallback, map, installed };
	GPtrArray *choices = g_ptr_array_new_with_free_func((GDestroyNotify)profile_choice_free);
	for (guint i = 0; i < n_experts; i++)
		g_ptr_array_add(choices, profile_choose(&rules, experts[i]));
	return choices;
}
