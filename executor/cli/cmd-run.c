/* cmd-run.c — `expert-exec run` and `expert-exec list`: the command line
 * into RunnerOptions, a run, the report. Everything on the command line is
 * untrusted input and is checked here, with messages naming the option. */
#include "cli/cmd-run.h"

#include "results/outcome.h"
#include "reports/progress.h"
#include "reports/report-text.h"
#include "reports/report.h"
#include "jobs/runner.h"
#include "jobs/zygote.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CONFIG_KEY_MAX 64
#define CONFIG_VALUE_MAX 1024

static gboolean parse_size(const char *text, guint64 *out)
{
	char *end = NULL;
	guint64 v = g_ascii_strtoull(text, &end, 10);
	if (end == text)
		return FALSE;
	guint64 unit = 1;
	switch (g_ascii_toupper(*end)) {
	case 'K': unit = 1ull << 10; end++; break;
	case 'M': unit = 1ull << 20; end++; break;
	case 'G': unit = 1ull << 30; end++; break;
	case '\0': break;
	default: return FALSE;
	}
	if (*end || v > G_MAXUINT64 / unit)
		return FALSE;
	*out = v * unit;
	return TRUE;
}

static char *outcomes_help(void)
{
	GString *s = g_string_new("Outcomes (one per expert, in text and JSON):\n");
	gsize n;
	const OutcomeInfo *table = outcome_table(&n);
	for (gsize i = 0; i < n; i++)
		g_string_append_printf(s, "  %-20s %s\n", table[i].name, table[i].help);
	g_string_append(s, "\nExit status: 0 if every expert completed and returned 0, 1 if not, "
	                   "2 for a bad command line, capture or profile.");
	return g_string_free(s, FALSE);
}

/* "protocol-coalesce" for ".../protocol-coalesce.so": how --config names an
 * expert. */
static char *expert_config_name(const char *path)
{
	char *base = g_path_get_basename(path);
	if (g_str_has_suffix(base, ".so"))
		base[strlen(base) - 3] = '\0';
	return base;
}

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

/* --config NAME:key=value and --config-file FILE (a key-file with one
 * [NAME] group per expert) into one (key, value, ..., NULL) array per
 * expert, in the order given: command line after file, last wins. */
static GPtrArray *parse_configs(char **settings, const char *file, const char *const *experts,
                                guint n_experts, GError **error)
{
	g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
	g_auto(GStrv) names = g_new0(char *, n_experts + 1);
	for (guint i = 0; i < n_experts; i++) {
		names[i] = expert_config_name(experts[i]);
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

/* Starts the zygote, runs, prints; the exit status of run and list. */
static int run_and_report(const char *command, RunnerOptions *options, const char *user,
                          gboolean json)
{
	g_autoptr(GError) error = NULL;
	if (!runner_set_identity(options, user, &error)) {
		fprintf(stderr, "expert-exec %s: %s\n", command, error->message);
		return CMD_EXIT_USAGE;
	}
	g_autoptr(Zygote) zygote = zygote_start(&error);
	if (!zygote) {
		fprintf(stderr, "expert-exec: %s\n", error->message);
		return CMD_EXIT_USAGE;
	}
	/* Progress only for a person watching: a terminal, and not --json. */
	g_autoptr(Progress) progress = (!json && isatty(STDERR_FILENO)) ? progress_new(stderr) : NULL;
	if (progress) {
		options->on_status = progress_update;
		options->on_status_data = progress;
	}
	g_autoptr(RunResult) result = runner_run(zygote, options, &error);
	if (progress)
		progress_clear(progress);
	if (!result) {
		fprintf(stderr, "expert-exec: %s\n", error->message);
		return CMD_EXIT_USAGE;
	}
	g_autofree char *out = json ? report_json(result)
	                     : options->register_only ? report_list(result) : report_text(result);
	fputs(out, stdout);
	if (json)
		fputc('\n', stdout);
	return run_result_all_completed(result) ? CMD_EXIT_ALL_COMPLETED : CMD_EXIT_SOME_FAILED;
}

int cmd_run(int argc, char **argv)
{
	g_autofree char *profile = NULL, *budget_text = NULL, *user = NULL, *filter = NULL;
	g_autofree char *output_dir = NULL, *config_file = NULL;
	g_auto(GStrv) settings = NULL;
	gboolean json = FALSE;
	gint jobs = 1;
	gint64 selected = 0;
	GOptionEntry entries[] = {
		{ "profile", 'p', 0, G_OPTION_ARG_STRING, &profile,
		  "Sandbox profile: a shipped name (default, strict, coalesce) or a .profile file",
		  "NAME|FILE" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print results as JSON", NULL },
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Run up to N experts at once (default 1)", "N" },
		{ "config", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &settings,
		  "A setting for an expert (EXPERT is its file name without .so, or * for all); "
		  "repeatable", "EXPERT:KEY=VALUE" },
		{ "config-file", 0, 0, G_OPTION_ARG_FILENAME, &config_file,
		  "Settings as a key-file, one [EXPERT] group per expert", "FILE" },
		{ "filter", 'f', 0, G_OPTION_ARG_STRING, &filter,
		  "Only frames matching this libpcap filter reach the experts' get-next-frame", "EXPR" },
		{ "select", 0, 0, G_OPTION_ARG_INT64, &selected,
		  "The frame the user selected, as experts see it in their startup info", "N" },
		{ "output-dir", 'o', 0, G_OPTION_ARG_FILENAME, &output_dir,
		  "Where experts' output captures are created (none without it)", "DIR" },
		{ "pool-budget", 0, 0, G_OPTION_ARG_STRING, &budget_text,
		  "Shared-memory pool for all running experts (default 4G)", "SIZE" },
		{ "user", 0, 0, G_OPTION_ARG_STRING, &user,
		  "When run as root, all experts run as this user (default: each job its own unprivileged uid)", "NAME" },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) context =
		g_option_context_new("CAPTURE EXPERT.so... - run experts over a capture");
	g_option_context_add_main_entries(context, entries, NULL);
	g_autofree char *description = outcomes_help();
	g_option_context_set_description(context, description);
	g_option_context_set_summary(context,
		"Each expert runs in its own forked child under a seccomp filter built from the\n"
		"profile, with memory from its own region of a shared pool. Whatever the child\n"
		"does, the executor reclaims everything and reports exactly what happened.");
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		fprintf(stderr, "expert-exec run: %s\n", error->message);
		return CMD_EXIT_USAGE;
	}
	if (argc < 3) {
		fprintf(stderr, "expert-exec run: give a capture and at least one expert "
		                "(expert-exec run --help)\n");
		return CMD_EXIT_USAGE;
	}
	if (jobs < 1 || jobs > 1024) {
		fprintf(stderr, "expert-exec run: --jobs must be between 1 and 1024\n");
		return CMD_EXIT_USAGE;
	}
	if (selected < 0) {
		fprintf(stderr, "expert-exec run: --select must be a frame number (1 or more)\n");
		return CMD_EXIT_USAGE;
	}
	guint64 budget = 4ull << 30;
	if (budget_text && !parse_size(budget_text, &budget)) {
		fprintf(stderr, "expert-exec run: --pool-budget: \"%s\" is not a size (e.g. 512M, 4G)\n",
		        budget_text);
		return CMD_EXIT_USAGE;
	}
	const char *const *experts = (const char *const *)&argv[2];
	guint n_experts = (guint)(argc - 2);
	g_autoptr(GPtrArray) configs = parse_configs(settings, config_file, experts, n_experts, &error);
	if (!configs) {
		fprintf(stderr, "expert-exec run: %s\n", error->message);
		return CMD_EXIT_USAGE;
	}
	/* The runner wants plain NULL-terminated arrays. */
	g_autoptr(GPtrArray) plain = g_ptr_array_new();
	for (guint i = 0; i < configs->len; i++)
		g_ptr_array_add(plain, ((GPtrArray *)g_ptr_array_index(configs, i))->pdata);

	RunnerOptions options = {
		.capture_path = argv[1],
		.profile = profile ? profile : "default",
		.experts = experts,
		.n_experts = n_experts,
		.jobs = (guint)jobs,
		.pool_budget = budget,
		.configs = plain,
		.frame_filter = filter,
		.selected_frame = (guint64)selected,
		.output_dir = output_dir,
	};
	return run_and_report("run", &options, user, json);
}

int cmd_list(int argc, char **argv)
{
	g_autofree char *profile = NULL, *user = NULL;
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{ "profile", 'p', 0, G_OPTION_ARG_STRING, &profile,
		  "Sandbox profile to load the experts under (default: default)", "NAME|FILE" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print as JSON", NULL },
		{ "user", 0, 0, G_OPTION_ARG_STRING, &user,
		  "When run as root, all experts run as this user (default: each job its own unprivileged uid)", "NAME" },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) context =
		g_option_context_new("EXPERT.so... - show what each expert says it is");
	g_option_context_add_main_entries(context, entries, NULL);
	g_option_context_set_summary(context,
		"Loads each expert in its own sandboxed child, exactly as run does, and calls only\n"
		"its register entry point: name, vendor, description, version and flags.");
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		fprintf(stderr, "expert-exec list: %s\n", error->message);
		return CMD_EXIT_USAGE;
	}
	if (argc < 2) {
		fprintf(stderr, "expert-exec list: give at least one expert (expert-exec list --help)\n");
		return CMD_EXIT_USAGE;
	}
	RunnerOptions options = {
		.capture_path = NULL,
		.profile = profile ? profile : "default",
		.experts = (const char *const *)&argv[1],
		.n_experts = (guint)(argc - 1),
		.jobs = 1,
		.pool_budget = 4ull << 30,
		.register_only = TRUE,
	};
	return run_and_report("list", &options, user, json);
}
