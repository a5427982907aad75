/* profile-map.c — mapping files and the choice of each expert's profile
 * (see profile-map.h). A mapping file is read by profile-source.c, as a
 * profile is: bounded, text only, every line known, errors at their line. */
#include "profiles/profile-map.h"

#include "profiles/profile-error.h"
#include "profiles/profile-search.h"
#include "profiles/profile-source.h"

#include <stdlib.h>
#include <string.h>

#ifndef EXPERT_EXEC_EXPERTS_DIR
#define EXPERT_EXEC_EXPERTS_DIR "" /* direct builds: none */
#endif
#ifndef EXPERT_EXEC_EXPERTS_RELATIVE
#define EXPERT_EXEC_EXPERTS_RELATIVE ""
#endif
#ifndef EXPERT_EXEC_BUILD_EXPERTS_DIR
#define EXPERT_EXEC_BUILD_EXPERTS_DIR ""
#endif

#define NAME_MAX_LEN 64

static void
entry_free(gpointer p)
{
	ProfileMapEntry *e = p;
	g_free(e->expert);
	g_free(e->profile);
	g_free(e);
}

void
profile_map_free(ProfileMap *map)
{
	if (map == NULL)
		return;
	g_free(map->path);
	g_free(map->dir);
	if (map->entries != NULL)
		g_ptr_array_unref(map->entries);
	g_free(map);
}

gboolean
profile_map_name_valid(const char *name)
{
	gsize n = strlen(name);
	if (n == 0 || n > NAME_MAX_LEN)
		return FALSE;
	for (const char *c = name; *c; c++)
		if (!g_ascii_isalnum(*c) && *c != '_' && *c != '-' && *c != '.')
			return FALSE;
	return TRUE;
}

char *
profile_map_expert_name(const char *path)
{
	char *base = g_path_get_basename(path);
	if (g_str_has_suffix(base, ".so"))
		base[strlen(base) - 3] = '\0';
	return base;
}

/* The path with symbolic links and ".." resolved, or NULL. */
static char *
canonical(const char *path)
{
	char *real = realpath(path, NULL);
	char *copy = g_strdup(real);
	free(real);
	return copy;
}

/* As profile_load() tells them apart: a path has a '/' or ends in ".profile". */
static gboolean
is_path(const char *value)
{
	return strchr(value, '/') != NULL || g_str_has_suffix(value, ".profile");
}

ProfileMap *
profile_map_load(const char *path, GError **error)
{
	g_autoptr(ProfileSource) src = profile_source_open(path, error);
	if (src == NULL)
		return NULL;
	g_autoptr(ProfileMap) map = g_new0(ProfileMap, 1);
	map->path = g_strdup(path);
	g_autofree char *dir = g_path_get_dirname(path);
	map->dir = canonical(dir);
	if (map->dir == NULL) {
		profile_fail(error, PROFILE_ERROR_NOT_FOUND, path, 0, "cannot resolve its directory");
		return NULL;
	}
	map->entries = g_ptr_array_new_with_free_func(entry_free);
	gboolean group = FALSE;
	for (guint i = 0; i < src->entries->len; i++) {
		const ProfileEntry *e = &g_array_index(src->entries, ProfileEntry, i);
		if (strcmp(e->group, "profiles") != 0) {
			profile_fail(error, PROFILE_ERROR_UNKNOWN, path, e->line,
			             "unknown group [%s]: a mapping file has only [profiles]", e->group);
			return NULL;
		}
		if (e->key == NULL) {
			group = TRUE;
			continue;
		}
		if (!profile_map_name_valid(e->key)) {
			profile_fail(error, PROFILE_ERROR_SYNTAX, path, e->line,
			             "\"%s\" is not an expert name (its file name without .so: letters, "
			             "digits, '_', '-', '.'; at most %d)", e->key, NAME_MAX_LEN);
			return NULL;
		}
		g_autofree char *value = profile_entry_value(src, e, FALSE, error);
		if (value == NULL)
			return NULL;
		if (*value == '\0') {
			profile_fail(error, PROFILE_ERROR_SYNTAX, path, e->line,
			             "%s: give a profile name or a path", e->key);
			return NULL;
		}
		ProfileMapEntry *entry = g_new0(ProfileMapEntry, 1);
		entry->expert = g_strdup(e->key);
		entry->profile = is_path(value) && !g_path_is_absolute(value)
			? g_build_filename(map->dir, value, NULL) : g_steal_pointer(&value);
		entry->line = e->line;
		g_ptr_array_add(map->entries, entry);
	}
	if (!group) {
		profile_fail(error, PROFILE_ERROR_SYNTAX, path, 0,
		             "no [profiles] group: a mapping file holds \"EXPERT = PROFILE\" lines under it");
		return NULL;
	}
	return g_steal_pointer(&map);
}

const ProfileMapEntry *
profile_map_find(const ProfileMap *map, const char *expert)
{
	for (guint i = 0; map != NULL && i < map->entries->len; i++) {
		const ProfileMapEntry *e = map->entries->pdata[i];
		if (strcmp(e->expert, expert) == 0)
			return e;
	}
	return NULL;
}

gboolean
profile_map_governs(const ProfileMap *map, const char *path)
{
	g_autofree char *real = canonical(path);
	if (real == NULL)
		return FALSE;
	gsize n = strlen(map->dir);
	/* "/" as the directory would govern everything: never an install. */
	return n > 1 && strncmp(real, map->dir, n) == 0 && real[n] == '/';
}

static gboolean
add_installed(GPtrArray *maps, const char *dir, GError **error)
{
	if (dir == NULL || *dir == '\0')
		return TRUE;
	g_autofree char *path = g_build_filename(dir, PROFILE_MAP_FILE_NAME, NULL);
	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return TRUE;
	g_autofree char *real = canonical(path);
	for (guint i = 0; i < maps->len; i++) {
		g_autofree char *other = canonical(((ProfileMap *)maps->pdata[i])->path);
		if (g_strcmp0(real, other) == 0)
			return TRUE;
	}
	/* Named by its real path: reports say which file decided. */
	ProfileMap *map = profile_map_load(real != NULL ? real : path, error);
	if (map == NULL) {
		g_prefix_error(error, "the installed mapping of the shipped experts: ");
		return FALSE;
	}
	g_ptr_array_add(maps, map);
	return TRUE;
}

GPtrArray *
profile_map_load_installed(GError **error)
{
	g_autoptr(GPtrArray) maps = g_ptr_array_new_with_free_func((GDestroyNotify)profile_map_free);
	if (profile_search_from_build_dir() && !add_installed(maps, EXPERT_EXEC_BUILD_EXPERTS_DIR, error))
		return NULL;
	/* An install moved elsewhere (or staged with DESTDIR) has its own, as it
	 * has its own profiles. */
	g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
	if (self != NULL && *EXPERT_EXEC_EXPERTS_RELATIVE != '\0') {
		g_autofree char *bin = g_path_get_dirname(self);
		g_autofree char *beside = g_build_filename(bin, "..", EXPERT_EXEC_EXPERTS_RELATIVE, NULL);
		if (!add_installed(maps, beside, error))
			return NULL;
	}
	if (!add_installed(maps, EXPERT_EXEC_EXPERTS_DIR, error))
		return NULL;
	return g_steal_pointer(&maps);
}

void
profile_map_split_option(const char *value, char **expert, char **profile)
{
	const char *eq = strchr(value, '=');
	*expert = NULL;
	if (eq != NULL) {
		g_autofree char *name = g_strndup(value, (gsize)(eq - value));
		if (profile_map_name_valid(name)) {
			*expert = g_steal_pointer(&name);
			*profile = g_strdup(eq + 1);
			return;
		}
	}
	*profile = g_strdup(value);
}

void
profile_choice_free(ProfileChoice *choice)
{
	if (choice == NULL)
		return;
	g_free(choice->expert);
	g_free(choice->profile);
	g_free(choice->chosen_by);
	g_free(choice);
}

static ProfileChoice *
choice_new(const char *expert, const char *profile, char *chosen_by)
{
	ProfileChoice *c = g_new0(ProfileChoice, 1);
	c->expert = g_strdup(expert);
	c->profile = g_strdup(profile);
	c->chosen_by = chosen_by;
	return c;
}

ProfileChoice *
profile_choose(const ProfileRules *rules, const char *expert_path)
{
	g_autofree char *name = profile_map_expert_name(expert_path);
	const char *named = rules->named ? g_hash_table_lookup(rules->named, name) : NULL;
	if (named != NULL)
		return choice_new(name, named, g_strdup_printf("--profile %s=%s", name, named));
	if (rules->map != NULL) {
		const ProfileMapEntry *e = profile_map_find(rules->map, name);
		if (e != NULL)
			return choice_new(name, e->profile, g_strdup_printf("--profile-map %s:%u",
			                                                    rules->map->path, e->line));
	} else if (rules->fallback == NULL) {
		for (guint i = 0; rules->installed != NULL && i < rules->installed->len; i++) {
			const ProfileMap *map = rules->installed->pdata[i];
			const ProfileMapEntry *e = profile_map_find(map, name);
			if (e != NULL && profile_map_governs(map, expert_path))
				return choice_new(name, e->profile,
				                  g_strdup_printf("installed mapping %s:%u", map->path, e->line));
		}
	}
	if (rules->fallback != NULL)
		return choice_new(name, rules->fallback, g_strdup_printf("--profile %s", rules->fallback));
	return choice_new(name, PROFILE_MAP_FALLBACK, g_strdup("the built-in default"));
}
