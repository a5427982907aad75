/* output-folders.c — see output-folders.h. */
#include "jobs/output-folders.h"

#include <string.h>

/* Far below NAME_MAX, with room for ".NNNN". */
#define FOLDER_NAME_MAX 100

struct OutputFolders {
	GHashTable *taken;   /* name -> itself */
	gboolean reuse;
};

OutputFolders *output_folders_new(gboolean reuse)
{
	OutputFolders *f = g_new0(OutputFolders, 1);
	f->taken = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	f->reuse = reuse;
	return f;
}

void output_folders_free(OutputFolders *folders)
{
	if (!folders)
		return;
	g_hash_table_unref(folders->taken);
	g_free(folders);
}

char *output_folder_name(const char *expert_path)
{
	g_autofree char *base = g_path_get_basename(expert_path);
	if (g_str_has_suffix(base, ".so") && strlen(base) > 3)
		base[strlen(base) - 3] = '\0';
	GString *name = g_string_new(NULL);
	for (const char *c = base; *c && name->len < FOLDER_NAME_MAX; c++)
		g_string_append_c(name, g_ascii_isalnum(*c) || *c == '-' || *c == '_' ||
		                        (*c == '.' && name->len > 0) ? *c : '_');
	if (name->len == 0 || g_str_equal(name->str, "_"))
		g_string_assign(name, "expert");
	return g_string_free(name, FALSE);
}

char *output_folders_take(OutputFolders *folders, const char *expert_path)
{
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
