/* profile-cli.c — `expert-exec profile list|check|show` (see profile-cli.h).
 *
 * The commands print from the model and the tables (profile.h,
 * profile-lint.h, filter.h); nothing here knows a rule of its own. */
#include "cli/profile-cli.h"

#include "profiles/filter.h"
#include "learn/learn.h"
#include "profiles/profile-lint.h"
#include "profiles/profile.h"
#include "profiles/syscall-groups.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { EXIT_OK = 0, EXIT_PROBLEM = 1, EXIT_USAGE = 2 };

typedef struct {
	const char *name;
	const char *args;      /* after the name, for usage lines */
	const char *summary;
	int (*run)(int argc, char **argv);
} Command;

static int list_command(int argc, char **argv);
static int check_command(int argc, char **argv);
static int show_command(int argc, char **argv);

static const Command commands[] = {
	{ "list", "", "every profile the search finds: name, description, file", list_command },
	{ "check", "NAME|FILE...", "errors and warnings, with file, line and a hint", check_command },
	{ "show", "NAME|FILE [--bpf]", "the profile fully resolved, or the filter it compiles to",
	  show_command },
	{ "learn", "-c CAP -o NEW EXPERT...",
	  "run experts once, write the smallest profile they complete under", learn_command },
};

/* Appends text wrapped at 79 columns, its lines after the first indented
 * to column indent (the first starts wherever s ends). */
static void
append_wrapped(GString *s, gsize indent, const char *text)
{
	g_auto(GStrv) words = g_strsplit(text, " ", -1);
	const char *line_start = strrchr(s->str, '\n');
	gsize column = s->len - (line_start != NULL ? (gsize)(line_start - s->str) + 1 : 0);

	for (char **w = words; *w != NULL; w++) {
		if (w != words && column + 1 + strlen(*w) > 79) {
			g_string_append_printf(s, "\n%*s", (int)indent, "");
			column = indent;
		} else if (w != words) {
			g_string_append_c(s, ' ');
			column++;
		}
		g_string_append(s, *w);
		column += strlen(*w);
	}
	g_string_append_c(s, '\n');
}

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
		append_wrapped(s, width + 4, commands[i].summary);
	}
	g_string_append(s, "\nRun 'expert-exec profile COMMAND --help' for more;\n"
	                   "docs/profiles.md describes the profile language.");
	return g_string_free(s, FALSE);
}

/* Parses a subcommand's options; FALSE (after saying why) on a bad line. */
static gboolean
parse_options(GOptionContext *context, const char *command, int *argc, char ***argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *prgname = g_strdup_printf("expert-exec profile %s", command);

	g_set_prgname(prgname);
	if (!g_option_context_parse(context, argc, argv, &error)) {
		fprintf(stderr, "expert-exec profile %s: %s\n", command, error->message);
		return FALSE;
	}
	return TRUE;
}

/* One line of text: control characters (a description's "\n") as blanks. */
static char *
one_line(const char *text)
{
	char *copy = g_strdup(text);
	for (char *p = copy; *p != '\0'; p++)
		if ((guchar)*p < 0x20)
			*p = ' ';
	return copy;
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
	if (!parse_options(context, "list", &argc, &argv))
		return EXIT_USAGE;
	if (argc > 1) {
		fprintf(stderr, "expert-exec profile list: takes no arguments (got \"%s\")\n", argv[1]);
		return EXIT_USAGE;
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
				l->description = one_line(profile->description ? profile->description : "");
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
	return any_broken ? EXIT_PROBLEM : EXIT_OK;
}

/* ---- check ---- */

typedef struct {
	gboolean error;       /* else a warning */
	char *file;           /* NULL: about no file */
	guint line;
	char *text;
	char *hint;           /* or NULL */
	const char *check;    /* the lint's name, or NULL */
	guint order;          /* found, for a stable sort */
} Diagnostic;

static void
diagnostic_free(Diagnostic *d)
{
	g_free(d->file);
	g_free(d->text);
	g_free(d->hint);
	g_free(d);
}

static Diagnostic *
diagnostic_add(GPtrArray *diagnostics, gboolean error, const char *file, guint line, const char *text)
{
	Diagnostic *d = g_new0(Diagnostic, 1);
	*d = (Diagnostic){
		.error = error, .file = g_strdup(file), .line = line, .text = g_strdup(text),
		.order = diagnostics->len,
	};
	g_ptr_array_add(diagnostics, d);
	return d;
}

/* What to do about a parse error whose message has no hint of its own. */
static const char *
parse_error_hint(const GError *error)
{
	if (strstr(error->message, "did you mean") != NULL || error->domain != PROFILE_ERROR)
		return NULL;
	switch ((ProfileErrorCode)error->code) {
	case PROFILE_ERROR_NOT_FOUND:
		return "give a path, or a name 'expert-exec profile list' shows";
	case PROFILE_ERROR_SYNTAX:
		return "docs/profiles.md gives the syntax of each key and of rules";
	case PROFILE_ERROR_UNKNOWN:
		return "docs/profiles.md lists the groups, keys, actions, syscall groups and constants";
	case PROFILE_ERROR_CYCLE:
		return "a profile cannot inherit from itself, nor more than 16 levels deep";
	case PROFILE_ERROR_CONFLICT:
		return NULL;
	}
	return NULL;
}

/* filter_compile()'s messages start with the rule's "FILE:LINE: ". */
static void
add_filter_error(GPtrArray *diagnostics, const Profile *profile, const char *what, const GError *error)
{
	for (guint i = 0; i < profile->rules->len; i++) {
		const ProfileRule *rule = profile->rules->pdata[i];
		g_autofree char *prefix = g_strdup_printf("%s:%u: ", rule->file, rule->line);
		if (g_str_has_prefix(error->message, prefix)) {
			diagnostic_add(diagnostics, TRUE, rule->file, rule->line, error->message + strlen(prefix))
				->check = "filter";
			return;
		}
	}
	diagnostic_add(diagnostics, TRUE, what, 0, error->message)->check = "filter";
}

static int
diagnostic_compare(gconstpointer a, gconstpointer b, gpointer profile_file)
{
	const Diagnostic *x = *(Diagnostic *const *)a, *y = *(Diagnostic *const *)b;
	/* The file checked first, then the others (its parents) by name. */
	gboolean x_own = g_strcmp0(x->file, profile_file) == 0, y_own = g_strcmp0(y->file, profile_file) == 0;
	int by_file = x_own != y_own ? (x_own ? -1 : 1) : g_strcmp0(x->file, y->file);

	if (by_file != 0)
		return by_file;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Checks one profile; TRUE if it is usable (warnings allowed). */
static gboolean
check_one(const char *what)
{
	g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func((GDestroyNotify)g_error_free);
	g_autoptr(GPtrArray) diagnostics = g_ptr_array_new_with_free_func((GDestroyNotify)diagnostic_free);
	g_autoptr(Profile) profile = profile_load_all_errors(what, errors);
	guint n_errors = 0, n_warnings = 0;

	for (guint i = 0; i < errors->len; i++) {
		const GError *e = errors->pdata[i];
		const char *file = profile_error_file(e);
		Diagnostic *d = diagnostic_add(diagnostics, TRUE, file != NULL ? file : what,
		                               profile_error_line(e), profile_error_text(e));
		d->hint = g_strdup(parse_error_hint(e));
	}
	if (profile != NULL) {
		g_autoptr(GError) error = NULL;
		g_autoptr(Filter) filter = filter_compile(profile, &error);
		if (filter == NULL)
			add_filter_error(diagnostics, profile, profile->path, error);
		g_autoptr(GPtrArray) findings = profile_lint(profile);
		gsize n_checks;
		const ProfileLintCheck *checks = profile_lint_checks(&n_checks);
		for (guint i = 0; i < findings->len; i++) {
			const ProfileFinding *f = findings->pdata[i];
			Diagnostic *d = diagnostic_add(diagnostics, f->severity == PROFILE_FINDING_ERROR,
			                               f->file != NULL ? f->file : profile->path, f->line, f->message);
			d->hint = g_strdup(f->hint);
			d->check = checks[f->kind].name;
		}
	}
	const char *own = profile != NULL ? profile->path : what;
	g_ptr_array_sort_with_data(diagnostics, diagnostic_compare, (gpointer)own);

	/* A parent's warnings are its author's to fix: counted, not listed
	 * (its errors are listed: they make this profile unusable too). */
	g_autoptr(GHashTable) elsewhere = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < diagnostics->len; i++) {
		const Diagnostic *d = diagnostics->pdata[i];
		if (!d->error && d->file != NULL && strcmp(d->file, own) != 0) {
			guint n = GPOINTER_TO_UINT(g_hash_table_lookup(elsewhere, d->file));
			g_hash_table_insert(elsewhere, d->file, GUINT_TO_POINTER(n + 1));
			continue;
		}
		g_autofree char *where = d->line > 0 ? g_strdup_printf("%s:%u", d->file, d->line) : g_strdup(d->file);
		g_autofree char *check = d->check != NULL ? g_strdup_printf(" [%s]", d->check) : g_strdup("");
		printf("%s: %s: %s%s\n", where, d->error ? "error" : "warning", d->text, check);
		if (d->hint != NULL)
			printf("  hint: %s\n", d->hint);
		if (d->error)
			n_errors++;
		else
			n_warnings++;
	}
	if (n_errors > 0)
		printf("%s: not usable: %u error%s, %u warning%s\n", what, n_errors, n_errors == 1 ? "" : "s",
		       n_warnings, n_warnings == 1 ? "" : "s");
	else
		printf("%s: usable, %u warning%s\n", what, n_warnings, n_warnings == 1 ? "" : "s");
	GHashTableIter iter;
	gpointer file, n;
	g_hash_table_iter_init(&iter, elsewhere);
	while (g_hash_table_iter_next(&iter, &file, &n)) {
		printf("  (and %u warning%s in its parent %s: check that to see them)\n",
		       GPOINTER_TO_UINT(n), GPOINTER_TO_UINT(n) == 1 ? "" : "s", (char *)file);
	}
	return n_errors == 0;
}

static char *
check_help(void)
{
	gsize n;
	const ProfileLintCheck *checks = profile_lint_checks(&n);
	const ProfileDanger *dangers = profile_dangers(NULL);
	GString *s = g_string_new("Errors: whatever keeps the profile from loading (the syntax, an unknown\n"
	                          "name, a conflict, inheritance) or from compiling into a filter (a rule\n"
	                          "that would cut the executor's channel), and:\n");
	for (gsize i = 0; i < n; i++) {
		if (checks[i].severity == PROFILE_FINDING_ERROR) {
			g_string_append_printf(s, "  %-21s ", checks[i].name);
			append_wrapped(s, 24, checks[i].help);
		}
	}
	g_string_append(s, "Warnings:\n");
	for (gsize i = 0; i < n; i++) {
		if (checks[i].severity == PROFILE_FINDING_WARNING) {
			g_string_append_printf(s, "  %-21s ", checks[i].name);
			append_wrapped(s, 24, checks[i].help);
		}
	}
	g_string_append(s, "\nDangerous syscalls (allowing one needs \"acknowledge = NAME\" in [profile]):\n  ");
	gsize n_dangers;
	profile_dangers(&n_dangers);
	GString *names = g_string_new(NULL);
	for (gsize i = 0; i < n_dangers; i++)
		g_string_append_printf(names, "%s%s%s", dangers[i].name,
		                       dangers[i].condition_limits ? " (without a condition)" : "",
		                       i + 1 < n_dangers ? ", " : "");
	append_wrapped(s, 2, names->str);
	g_string_free(names, TRUE);
	g_string_append(s, "\nEach finding is one line, \"FILE:LINE: error: MESSAGE [check]\" (or warning),\n"
	                   "most followed by \"  hint: WHAT TO DO\". A file's errors are all reported,\n"
	                   "not only the first; a parent's are reported when the file itself has none.\n"
	                   "A parent's warnings are counted, not listed: check the parent to see them.\n\n"
	                   "Exit status: 0 if every profile is usable (warnings allowed), 1 if not,\n"
	                   "2 for a bad command line.");
	return g_string_free(s, FALSE);
}

static int
check_command(int argc, char **argv)
{
	GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
	g_autoptr(GOptionContext) context = g_option_context_new("NAME|FILE... - check sandbox profiles");
	g_autofree char *description = check_help();
	gboolean usable = TRUE;

	g_option_context_add_main_entries(context, entries, NULL);
	g_option_context_set_summary(context,
		"Loads each profile, compiles its filter, and reports every error and warning,\n"
		"each with its file and line and a hint. A name is looked up as for\n"
		"'expert-exec run --profile NAME'; anything with a '/' or ending in .profile\n"
		"is a file.");
	g_option_context_set_description(context, description);
	if (!parse_options(context, "check", &argc, &argv))
		return EXIT_USAGE;
	if (argc < 2) {
		fprintf(stderr, "expert-exec profile check: give at least one profile "
		                "(expert-exec profile check --help)\n");
		return EXIT_USAGE;
	}
	for (int i = 1; i < argc; i++)
		usable &= check_one(argv[i]);
	return usable ? EXIT_OK : EXIT_PROBLEM;
}

/* ---- show ---- */

/* A value GKeyFile reads back as it is: its escapes for what it would
 * otherwise change (a leading blank, line breaks, backslashes). */
static char *
keyfile_escaped(const char *value)
{
	GString *s = g_string_new(NULL);
	for (const char *p = value; *p != '\0'; p++) {
		switch (*p) {
		case '\\': g_string_append(s, "\\\\"); break;
		case '\n': g_string_append(s, "\\n"); break;
		case '\r': g_string_append(s, "\\r"); break;
		case '\t': g_string_append(s, "\\t"); break;
		case ' ':
			g_string_append(s, p == value ? "\\s" : " ");
			break;
		default: g_string_append_c(s, *p);
		}
	}
	return g_string_free(s, FALSE);
}

/* "key = value" and, aligned after it, "# comment". */
static void
print_commented(const char *line, const char *comment, int width)
{
	if (comment == NULL || *comment == '\0')
		printf("%s\n", line);
	else
		printf("%-*s  # %s\n", width, line, comment);
}

static void
show_profile(const Profile *p)
{
	const char *const *keys = profile_limit_keys();
	int width = 0;

	printf("# %s, fully resolved: %s", p->name, p->path);
	for (guint i = 1; p->files != NULL && i < p->files->len; i++)
		printf("%s%s", i == 1 ? ", inheriting " : " <- ", (char *)p->files->pdata[i]);
	printf("\n# Each rule says where it was written; this output is itself a valid profile.\n\n");

	/* One column for every comment, as wide as the longest rule (within reason). */
	for (guint i = 0; i < p->rules->len; i++) {
		const ProfileRule *rule = p->rules->pdata[i];
		g_autofree char *described = profile_rule_describe(rule);
		width = MAX(width, (int)(strlen(rule->syscall) + 3 + strlen(described)));
	}
	width = MIN(MAX(width, 32), 64);

	printf("[profile]\n");
	if (p->description != NULL) {
		g_autofree char *escaped = keyfile_escaped(p->description);
		g_autofree char *line = g_strdup_printf("description = %s", escaped);
		g_autofree char *where = p->description_file != NULL
			? g_strdup_printf("%s:%u", p->description_file, p->description_line) : NULL;
		print_commented(line, where, width);
	}
	g_autofree char *action = profile_action_describe(&p->default_action);
	g_autofree char *default_line = g_strdup_printf("default-action = %s", action);
	g_autofree char *default_where = p->default_action_file != NULL
		? g_strdup_printf("%s:%u", p->default_action_file, p->default_action_line)
		: g_strdup("built in");
	print_commented(default_line, default_where, width);
	if (p->acknowledged != NULL && p->acknowledged->len > 0) {
		GString *names = g_string_new("acknowledge = ");
		GString *where = g_string_new(NULL);
		for (guint i = 0; i < p->acknowledged->len; i++) {
			const ProfileAcknowledgement *ack = p->acknowledged->pdata[i];
			g_string_append_printf(names, "%s%s", i > 0 ? ";" : "", ack->syscall);
			g_string_append_printf(where, "%s%s:%u", i > 0 ? ", " : "", ack->file, ack->line);
		}
		print_commented(names->str, where->str, width);
		g_string_free(names, TRUE);
		g_string_free(where, TRUE);
	}

	printf("\n[limits]\n");
	for (const char *const *key = keys; *key != NULL; key++) {
		g_autofree char *value = profile_limit_describe(p, *key);
		printf("%s = %s\n", *key, value);
	}

	printf("\n[syscalls]\n");
	if (p->rules->len == 0)
		printf("# no rules: default-action decides every syscall\n");
	for (guint i = 0; i < p->rules->len; i++) {
		const ProfileRule *rule = p->rules->pdata[i];
		g_autofree char *described = profile_rule_describe(rule);
		g_autofree char *line = g_strdup_printf("%s = %s", rule->syscall, described);
		g_autofree char *where = rule->group != NULL
			? g_strdup_printf("%s:%u via %s", rule->file, rule->line, rule->group)
			: g_strdup_printf("%s:%u", rule->file, rule->line);
		print_commented(line, where, width);
	}
}

static int
show_bpf(const Profile *p)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(Filter) filter = filter_compile(p, &error);

	if (filter == NULL) {
		fprintf(stderr, "expert-exec profile show: %s\n", error->message);
		return EXIT_PROBLEM;
	}
	printf("# %s (%s): the seccomp filter it compiles to, in libseccomp's pseudo-code.\n"
	       "# Beyond the profile's rules: other ABIs are killed, the channel (descriptor 3)\n"
	       "# is always usable, and the loader's syscalls reach the executor (notify).\n",
	       p->name, p->path);
	fflush(stdout);
	if (!filter_export_pfc(p, STDOUT_FILENO, &error)) {
		fprintf(stderr, "expert-exec profile show: %s\n", error->message);
		return EXIT_PROBLEM;
	}
	printf("# %u BPF instructions (%" G_GUINT64_FORMAT " bytes) in the filter a child installs; "
	       "the kernel takes at most 4096\n", filter->n_insns, filter->size);
	return EXIT_OK;
}

static int
show_command(int argc, char **argv)
{
	gboolean bpf = FALSE;
	GOptionEntry entries[] = {
		{ "bpf", 0, 0, G_OPTION_ARG_NONE, &bpf,
		  "Print the seccomp filter the profile compiles to, readable, and its size", NULL },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) context = g_option_context_new("NAME|FILE - show a profile fully resolved");
	g_autoptr(GError) error = NULL;

	g_option_context_add_main_entries(context, entries, NULL);
	g_option_context_set_summary(context,
		"Prints the profile after inheritance and group expansion: description, default\n"
		"action, limits with their units, and one rule per syscall, sorted, as\n"
		"  syscall = action [if conditions]  # FILE:LINE [via @group]\n"
		"with constant names where the argument takes them. The output is itself a\n"
		"valid profile. With --bpf, prints instead the seccomp filter it compiles to\n"
		"(libseccomp's pseudo filter code) and its size in BPF instructions.");
	g_option_context_set_description(context,
		"Exit status: 0, 1 if the profile does not load (or, with --bpf, compile),\n"
		"2 for a bad command line.");
	if (!parse_options(context, "show", &argc, &argv))
		return EXIT_USAGE;
	if (argc != 2) {
		fprintf(stderr, "expert-exec profile show: give one profile, a name or a file "
		                "(expert-exec profile show --help)\n");
		return EXIT_USAGE;
	}
	g_autoptr(Profile) profile = profile_load(argv[1], &error);
	if (profile == NULL) {
		fprintf(stderr, "expert-exec profile show: %s\n"
		                "(expert-exec profile check %s lists every error)\n", error->message, argv[1]);
		return EXIT_PROBLEM;
	}
	if (bpf)
		return show_bpf(profile);
	show_profile(profile);
	return EXIT_OK;
}

/* ---- the dispatch ---- */

int
profile_cli_main(int argc, char **argv)
{
	g_autofree char *help = commands_help();

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0
	    || strcmp(argv[1], "help") == 0) {
		printf("Usage: expert-exec profile COMMAND [OPTION...]\n\n%s\n", help);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "expert-exec profile: unknown command \"%s\"\n\n%s\n", argv[1], help);
	return EXIT_USAGE;
}
