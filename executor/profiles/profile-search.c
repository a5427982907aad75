/* profile-search.c — finding a profile by name (see profile-search.h). */
#include "profiles/profile-search.h"

#include "profiles/profile-error.h"

#include <string.h>

#ifndef EXPERT_EXEC_SOURCE_PROFILES_DIR
#define EXPERT_EXEC_SOURCE_PROFILES_DIR "" /* direct builds: none */
#endif
#ifndef EXPERT_EXEC_PROFILES_DIR
#define EXPERT_EXEC_PROFILES_DIR "/usr/local/share/expert-exec/sandbox-profiles"
#endif

gboolean
profile_search_from_build_dir(void)
{
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
	g_autofree char *dir = exe != NULL ? g_path_get_dirname(exe) : NULL;

	for (int up = 0; dir != NULL && up < 4; up++) {
		g_autofree char *marker = g_build_filename(dir, "meson-private", NULL);
		if (g_file_test(marker, G_FILE_TEST_IS_DIR))
			return TRUE;
		char *parent = g_path_get_dirname(dir);
		g_free(dir);
		dir = parent;
	}
	return FALSE;
}

static void
add_dir(GPtrArray *dirs, const char *dir)
{
	if (dir != NULL && *dir != '\0' && !g_ptr_array_find_with_equal_func(dirs, dir, g_str_equal, NULL))
		g_ptr_array_add(dirs, g_strdup(dir));
}

const char *const *
profile_search_dirs(void)
{
	/* Every list handed out stays alive (a caller may hold one); a new one
	 * is made only when the environment changed, which tests do. */
	static GMutex lock;
	static GPtrArray *lists;
	static char *lists_env;
	const char *path_env = g_getenv("EXPERT_EXEC_PROFILE_PATH");
	const char *source_env = g_getenv("EXPERT_EXEC_SOURCE_PROFILES");
	g_autofree char *env = g_strdup_printf("%s\n%s", path_env ? path_env : "", source_env ? source_env : "");
	const char *const *result;

	g_mutex_lock(&lock);
	if (lists == NULL || strcmp(env, lists_env) != 0) {
		GPtrArray *dirs = g_ptr_array_new();
		g_auto(GStrv) parts = g_strsplit(path_env ? path_env : "", ":", -1);
		for (char **p = parts; *p != NULL; p++)
			add_dir(dirs, *p);
		add_dir(dirs, source_env);
		if (profile_search_from_build_dir())
			add_dir(dirs, EXPERT_EXEC_SOURCE_PROFILES_DIR);
		/* An install moved elsewhere (or staged with DESTDIR) still finds
		 * its own profiles, beside its bin/. */
		g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
		if (self != NULL) {
			g_autofree char *bin = g_path_get_dirname(self);
			g_autofree char *beside = g_build_filename(bin, "..", "share", "expert-exec",
			                                           "sandbox-profiles", NULL);
			add_dir(dirs, beside);
		}
		add_dir(dirs, EXPERT_EXEC_PROFILES_DIR);
		g_ptr_array_add(dirs, NULL);
		if (lists == NULL)
			lists = g_ptr_array_new();
		g_ptr_array_add(lists, g_ptr_array_free(dirs, FALSE));
		g_free(lists_env);
		lists_env = g_steal_pointer(&env);
	}
	result = lists->pdata[lists->len - 1];
	g_mutex_unlock(&lock);
	return result;
}

char *
profile_find_file(const char *name, const char *first_dir, GError **error)
{
	g_autoptr(GPtrArray) dirs = g_ptr_array_new();
	g_autoptr(GPtrArray) known = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *file = g_strconcat(name, ".profile", NULL);

	if (first_dir != NULL)
		g_ptr_array_add(dirs, (gpointer)first_dir);
	for (const char *const *d = profile_search_dirs(); *d != NULL; d++)
		g_ptr_array_add(dirs, (gpointer)*d);
	for (guint i = 0; i < dirs->len; i++) {
		char *path = g_build_filename(dirs->pdata[i], file, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
			return path;
		g_free(path);
	}
	/* For the hint: the profiles that do exist. */
	for (guint i = 0; i < dirs->len; i++) {
		g_autoptr(GDir) dir = g_dir_open(dirs->pdata[i], 0, NULL);
		for (const char *f; dir != NULL && (f = g_dir_read_name(dir)) != NULL;)
			if (g_str_has_suffix(f, ".profile"))
				g_ptr_array_add(known, g_strndup(f, strlen(f) - strlen(".profile")));
	}
	g_ptr_array_add(known, NULL);
	g_ptr_array_add(dirs, NULL);
	g_autofree char *where = g_strjoinv(", ", (char **)dirs->pdata);
	g_autofree char *hint = profile_suggest(name, (const char *const *)known->pdata);
	g_set_error(error, PROFILE_ERROR, PROFILE_ERROR_NOT_FOUND,
	            "no profile \"%s\" in %s%s; give a path to use a file elsewhere", name, where, hint);
	return NULL;
}
