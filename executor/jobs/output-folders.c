/* output-folders.c — see output-folders.h. */
#include "jobs/output-folders.h"

#include <string.h>

/* Far below NAME_MAX, with room for ".NNNN". */
#define FOLDER_NAME_MAX 100

struct OutputFolders {
	GHashTable *taken;   /* name -> itself */
	GHashTable *fixed;   /* expert path -> its name, given in advance (a batch) */
	gboolean reuse;
};

OutputFolders *output_folders_new(gboolean reuse)
{
	OutputFolders *f = g_new0(OutputFolders, 1);
	f->taken = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	f->fixed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	f->reuse = reuse;
	return f;
}

void output_folders_free(OutputFolders *folders)
{
	if (!folders)
		return;
	g_hash_table_unref(folders->taken);
	g_hash_table_unref(folders->fixed);
	g_free(folders);
}

char *output_folder_safe_name(const char *base)
{
	GString *name = g_string_new(NULL);
	for (const char *c = base; *c && name->len < FOLDER_NAME_MAX; c++)
		g_string_append_c(name, g_ascii_isalnum(*c) || *c == '-' || *c == '_' ||
		                        (*c == '.' && name->len > 0) ? *c : '_');
	if (name->len == 0 || g_str_equal(name->str, "_"))
		g_string_assign(name, "expert");
	return g_string_free(name, FALSE);
}

char *output_folder_name(const char *expert_path)
{
	g_autofree char *base = g_path_get_basename(expert_path);
	if (g_str_has_suffix(base, ".so") && strlen(base) > 3)
		base[strlen(base) - 3] = '\0';
	return output_folder_safe_name(base);
}

char **output_folder_names(const char *const *paths, guint n, char *(*name_of)(const char *path))
{
	g_autoptr(GHashTable) taken = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	char **names = g_new0(char *, n + 1);
	for (guint i = 0; i < n; i++) {
		g_autofree char *base = name_of(paths[i]);
		char *name = g_strdup(base);
		for (guint k = 2; g_hash_table_contains(taken, name); k++) {
			g_free(name);
			name = g_strdup_printf("%s.%u", base, k);
		}
		g_hash_table_add(taken, g_strdup(name));
		names[i] = name;
	}
	return names;
}

void output_folders_fix(OutputFolders *folders, const char *expert_path, const char *name)
{
	g_hash_table_replace(folders->fixed, g_strdup(expert_path), g_strdup(name));
}

char *output_folders_take(OutputFolders *folders, const char *expert_path)
{
	const char *fixed = g_hash_table_lookup(folders->fixed, expert_path);
	if (fixed && !g_hash_table_contains(folders->taken, fixed)) {
		g_hash_table_add(folders->taken, g_strdup(fixed));
		return g_strdup(fixed);
	}
	g_autofree char *base = output_folder_name(expert_path);
	char *name = g_strdup(base);
	for (guint n = 2; g_hash_table_contains(folders->taken, name); n++) {
		g_free(name);
		name = g_strdup_printf("%s.%u", base, n);
	}
	g_hash_table_add(folders->taken, g_strdup(name));
	return name;
}

void output_folders_give(OutputFolders *folders, const char *name)
{
	if (folders->reuse && name)
		g_hash_table_remove(folders->taken, name);
}
