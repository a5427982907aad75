/* profile-cli.c — `expert-exec profile list|check|show|learn` (see
 * profile-cli.h): the dispatch, and `list`. `check` is profile-check.c's,
 * `show` profile-show.c's, `learn` learn/'s.
 *
 * The commands print from the model and the tables (profiles/: profile.h,
 * profile-lint.h, filter.h); nothing here knows a rule of its own. */
#include "cli/profile-cli.h"

#include "cli/profile-check.h"
#include "cli/profile-cli-common.h"
#include "cli/profile-show.h"
#include "learn/learn.h"
#include "profiles/profile.h"
#include "profiles/syscall-groups.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

typedef struct {
	const char *name;
	const char *args;      /* after the name, for usage lines */
	const char *summary;
	int (*run)(int argc, char **argv);
} Command;

static int list_command(int argc, char **argv);

static const Command commands[] = {
	{ "list", "", "every profile the search finds: name, description, file", list_command },
	{ "check", "NAME|FILE...", "errors and warnings, with file, line and a hint", profile_check_command },
	{ "show", "NAME|FILE [--bpf]", "the profile fully resolved, or the filter it compiles to",
	  profile_show_command },
	{ "learn", "-c CAP -o DIR EXPERT...",
	  "run experts, write each its least profile and the mapping that uses them", learn_command },
};

static char *
commands_help(void)
{
	GString *s = g_string_new("Commands:\n");
	int width = 0;
	for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
		width = MAX(width, (int)(strlen(commands[i].name) + 1 + strlen(commands[i].args)));
	for (gsize i = 0; i < G_N_ELEMENTS(commands); i++) {
		g_autofree char *usage = g_strdup_printf("%s %s", commands[i].name, commands[i].args);
		g_string_append_printf(s, "  %-*s  ", width, usage);
		profile_cli_append_wrapped(s, width + 4, commands[i].summary);
	}
	g_string_append(s, "\nRun 'expert-exec profile COMMAND --help' for more;\n"
	                   "docs/profiles.md describes the profile language.");
	return g_string_free(s, FALSE);
}

/* ---- list ---- */

typedef struct {
	char *name, *description, *path;
	gboolean broken;
} Listed;

static void
listed_free(Listed *l)
{
	g_free(l->name);
	g_free(l->description);
	g_free(l->path);
	g_free(l);
}

static int
compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
list_command(int argc, char **argv)
{
	GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
	g_autoptr(GOptionContext) context = g_option_context_new("- list the profiles --profile NAME can name");
	g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func((GDestroyNotify)listed_free);
	g_autoptr(GPtrArray) shadowed = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	const char *const *dirs = profile_search_dirs();
	int name_width = 4, description_width = 11;
	gboolean any_broken = FALSE;

	g_option_context_add_main_entries(context, entries, NULL);
	g_option_context_set_summary(context,
		"One line per profile: its name, its description, and the file it is read from.\n"
		"The directories are searched in order and the first file of a name wins, as\n"
		"for 'expert-exec run --profile NAME'. Then come the syscall groups a rule can\n"
		"name, the directories searched, and any file a first one shadows. A profile\n"
		"that does not load is listed with \"(error: ...)\" in place of its description.");
	g_option_context_set_description(context,
		"Search order: each directory of EXPERT_EXEC_PROFILE_PATH (colon-separated),\n"
		"EXPERT_EXEC_SOURCE_PROFILES, the source tree's sandbox-profiles/ when run from\n"
		"a build directory, then the installed ones.\n\n"
		"Exit status: 0, or 1 if a profile does not load.");
	if (!profile_cli_parse_options(context, "list", &argc, &argv))
		return PROFILE_CLI_USAGE;
	if (argc > 1) {
		fprintf(stderr, "expert-exec profile list: takes no arguments (got \"%s\")\n", argv[1]);
		return PROFILE_CLI_USAGE;
	}

	for (const char *const *dir = dirs; *dir != NULL; dir++) {
		g_autoptr(GDir) d = g_dir_open(*dir, 0, NULL);
		g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
		for (const char *f; d != NULL && (f = g_dir_read_name(d)) != NULL;)
			if (g_str_has_suffix(f, ".profile") && strlen(f) > strlen(".profile"))
				g_ptr_array_add(files, g_strdup(f));
		g_ptr_array_sort(files, compare_names);
		for (guint i = 0; i < files->len; i++) {
			g_autofree char *path = g_build_filename(*dir, files->pdata[i], NULL);
			g_autofree char *name = g_strndup(files->pdata[i], strlen(files->pdata[i]) - strlen(".profile"));
			if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
				continue;
			if (g_hash_table_contains(seen, name)) {
				g_ptr_array_add(shadowed, g_steal_pointer(&path));
				continue;
			}
			g_autoptr(GError) error = NULL;
			g_autoptr(Profile) profile = profile_load(path, &error);
			Listed *l = g_new0(Listed, 1);
			l->name = g_steal_pointer(&name);
			l->path = g_steal_pointer(&path);
			l->broken = profile == NULL;
			if (profile == NULL)
				l->description = g_strdup_printf("(error: %s)", error->message);
			else
				l->description = profile_cli_one_line(profile->description ? profile->description : "");
			any_broken |= l->broken;
			g_hash_table_add(seen, l->name);
			g_ptr_array_add(listed, l);
			name_width = MAX(name_width, (int)strlen(l->name));
			if (!l->broken)
				description_width = MAX(description_width, (int)g_utf8_strlen(l->description, -1));
		}
	}

	if (listed->len == 0)
		printf("No profiles found.\n");
	else
		printf("%-*s  %-*s  %s\n", name_width, "NAME", description_width, "DESCRIPTION", "FILE");
	for (guint i = 0; i < listed->len; i++) {
		const Listed *l = listed->pdata[i];
		/* Pad by characters, not bytes: descriptions are UTF-8. */
		int pad = description_width - (int)g_utf8_strlen(l->description, -1);
		printf("%-*s  %s%*s  %s\n", name_width, l->name, l->description, MAX(pad, 0), "", l->path);
	}
	gsize n_groups;
	const SyscallGroup *groups = syscall_groups(&n_groups);
	int group_width = 0;
	for (gsize i = 0; i < n_groups; i++)
		group_width = MAX(group_width, (int)strlen(groups[i].name));
	printf("\nSyscall groups a rule can name (\"@basic-io = allow\"):\n");
	for (gsize i = 0; i < n_groups; i++)
		printf("  %-*s  %s\n", group_width, groups[i].name, groups[i].help);
	printf("\nSearched in this order (the first file of a name wins):\n");
	for (const char *const *dir = dirs; *dir != NULL; dir++)
		printf("  %s%s\n", *dir, g_file_test(*dir, G_FILE_TEST_IS_DIR) ? "" : "  (absent)");
	for (guint i = 0; i < shadowed->len; i++)
		printf("%s  %s\n", i == 0 ? "Shadowed by a file of the same name before them:\n" : "",
		       (char *)shadowed->pdata[i]);
	return any_broken ? PROFILE_CLI_PROBLEM : PROFILE_CLI_OK;
}

/* ---- the dispatch ---- */

int
profile_cli_main(int argc, char **argv)
{
	g_autofree char *help = commands_help();

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0
	    || strcmp(argv[1], "help") == 0) {
		printf("Usage: expert-exec profile COMMAND [OPTION...]\n\n%s\n", help);
		return argc < 2 ? PROFILE_CLI_USAGE : PROFILE_CLI_OK;
	}
	for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "expert-exec profile: unknown command \"%s\"\n\n%s\n", argv[1], help);
	return PROFILE_CLI_USAGE;
}
