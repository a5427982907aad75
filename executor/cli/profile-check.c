/* profile-check.c — `expert-exec profile check` (see profile-check.h):
 * every error and warning of each profile, "FILE:LINE: error: ...", each with
 * a hint, printed from the parser's errors and profiles/profile-lint.h's checks. */
#include "cli/profile-check.h"

#include "cli/profile-cli-common.h"
#include "profiles/filter.h"
#include "profiles/profile-lint.h"
#include "profiles/profile.h"

#include <stdio.h>
#include <string.h>

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
		g_autoptr(Filter) filter = filter_compile(profile, FALSE, &error);
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
			profile_cli_append_wrapped(s, 24, checks[i].help);
		}
	}
	g_string_append(s, "Warnings:\n");
	for (gsize i = 0; i < n; i++) {
		if (checks[i].severity == PROFILE_FINDING_WARNING) {
			g_string_append_printf(s, "  %-21s ", checks[i].name);
			profile_cli_append_wrapped(s, 24, checks[i].help);
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
	profile_cli_append_wrapped(s, 2, names->str);
	g_string_free(names, TRUE);
	g_string_append(s, "\nEach finding is one line, \"FILE:LINE: error: MESSAGE [check]\" (or warning),\n"
	                   "most followed by \"  hint: WHAT TO DO\". A file's errors are all reported,\n"
	                   "not only the first; a parent's are reported when the file itself has none.\n"
	                   "A parent's warnings are counted, not listed: check the parent to see them.\n\n"
	                   "Exit status: 0 if every profile is usable (warnings allowed), 1 if not,\n"
	                   "2 for a bad command line.");
	return g_string_free(s, FALSE);
}

int
profile_check_command(int argc, char **argv)
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
	if (!profile_cli_parse_options(context, "check", &argc, &argv))
		return PROFILE_CLI_USAGE;
	if (argc < 2) {
		fprintf(stderr, "expert-exec profile check: give at least one profile "
		                "(expert-exec profile check --help)\n");
		return PROFILE_CLI_USAGE;
	}
	for (int i = 1; i < argc; i++)
		usable &= check_one(argv[i]);
	return usable ? PROFILE_CLI_OK : PROFILE_CLI_PROBLEM;
}
