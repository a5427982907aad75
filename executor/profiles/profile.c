/* profile.c — loading a profile: the chain of files it inherits from,
 * each read on its own (profile-layer.c) and put on top of its parent's
 * resolved profile, from the built-in defaults up. Finding a file by name is
 * profile-search.c's. */
#include "profiles/profile.h"

#include "profiles/profile-layer.h"

#include <stdlib.h>
#include <string.h>

#define PROFILE_MAX_INHERITS 16

static Profile *
profile_new_default(void)
{
	Profile *profile = g_new0(Profile, 1);
	profile->default_action.kind = PROFILE_ACTION_NOTIFY;
	for (guint i = 0; i < PROFILE_N_LIMITS; i++)
		profile_set_limit(profile, i, profile_limits[i].fallback);
	profile->rules = g_ptr_array_new_with_free_func((GDestroyNotify)profile_rule_free);
	profile->acknowledged = g_ptr_array_new_with_free_func((GDestroyNotify)profile_acknowledgement_free);
	profile->files = g_ptr_array_new_with_free_func(g_free);
	profile->written = g_ptr_array_new_with_free_func((GDestroyNotify)profile_rule_free);
	return profile;
}

/* The path with symbolic links and ".." resolved, to recognise a file again. */
static char *
canonical_path(const char *path)
{
	char *real = realpath(path, NULL);
	char *copy = g_strdup(real != NULL ? real : path);
	free(real);
	return copy;
}

typedef struct {
	GPtrArray *paths;  /* canonical, to recognise a file again */
	GPtrArray *names;  /* for messages */
	GPtrArray *errors; /* collecting: see profile_layer_read() */
} Chain;

static Profile *
load_chain(const char *path, Chain *chain, GError **error)
{
	g_autoptr(ProfileLayer) layer = profile_layer_read(path, chain->errors, error);
	g_autoptr(GError) local = NULL;
	Profile *profile;

	if (layer == NULL)
		return NULL;
	if (layer->inherits == NULL)
		profile = profile_new_default();
	else {
		const char *file = layer->src->path;
		guint line = layer->inherits_line;
		g_autofree char *dir = g_path_get_dirname(file);
		g_autofree char *parent = profile_find_file(layer->inherits, dir, &local);
		if (parent == NULL) {
			profile_fail(error, PROFILE_ERROR_NOT_FOUND, file, line, "inherits: %s", local->message);
			return NULL;
		}
		char *canonical = canonical_path(parent);
		g_ptr_array_add(chain->names, g_strdup(layer->inherits));
		g_ptr_array_add(chain->names, NULL);
		g_autofree char *names = g_strjoinv(" -> ", (char **)chain->names->pdata);
		g_ptr_array_remove_index(chain->names, chain->names->len - 1);
		gboolean seen = g_ptr_array_find_with_equal_func(chain->paths, canonical, g_str_equal, NULL);
		g_ptr_array_add(chain->paths, canonical);
		if (seen) {
			profile_fail(error, PROFILE_ERROR_CYCLE, file, line, "inherits \"%s\" makes a cycle: %s",
			             layer->inherits, names);
			return NULL;
		}
		if (chain->paths->len > PROFILE_MAX_INHERITS + 1) {
			profile_fail(error, PROFILE_ERROR_CYCLE, file, line, "inheritance deeper than %d levels: %s",
			             PROFILE_MAX_INHERITS, names);
			return NULL;
		}
		profile = load_chain(parent, chain, error);
		if (profile == NULL)
			return NULL;
	}
	profile_layer_apply(layer, profile);
	return profile;
}

static Profile *
load(const char *name_or_path, GPtrArray *errors, GError **error)
{
	g_autofree char *path = NULL;
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	Chain chain = { paths, names, errors };

	if (strchr(name_or_path, '/') != NULL || g_str_has_suffix(name_or_path, ".profile"))
		path = g_strdup(name_or_path);
	else if ((path = profile_find_file(name_or_path, NULL, error)) == NULL)
		return NULL;
	g_ptr_array_add(paths, canonical_path(path));
	g_ptr_array_add(names, profile_name_of(path));
	return load_chain(path, &chain, error);
}

Profile *
profile_load(const char *name_or_path, GError **error)
{
	g_return_val_if_fail(name_or_path != NULL, NULL);
	return load(name_or_path, NULL, error);
}

Profile *
profile_load_all_errors(const char *name_or_path, GPtrArray *errors)
{
	g_autoptr(GError) error = NULL;
	guint before;

	g_return_val_if_fail(name_or_path != NULL && errors != NULL, NULL);
	before = errors->len;
	Profile *profile = load(name_or_path, errors, &error);
	/* When a file's errors were collected, error is a copy of its first. */
	if (profile == NULL && errors->len == before)
		g_ptr_array_add(errors, g_steal_pointer(&error));
	return profile;
}
