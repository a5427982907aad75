/* learn.c — `expert-exec profile learn`, the command (see learn.h): its
 * options, the learning runs of learn-trial.c for each profile to write,
 * the parent each inherits, and the files, written only once checked
 * (learn-check.c) and atomically. With -o DIR, one profile per expert and
 * the mapping that uses them; with -o FILE.profile, one for all. */
#include "learn/learn.h"

#include "jobs/expert-settings.h"
#include "jobs/runner.h"
#include "jobs/zygote.h"
#include "learn/learn-check.h"
#include "learn/learn-log.h"
#include "learn/learn-trial.h"
#include "learn/learn-writer.h"
#include "profiles/filter.h"
#include "profiles/profile-map.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The statuses of `run` (README: cli/cli-errors.h), "all completed" meaning
 * "learned"; spelled out here because learn/ sits below cli/. */
enum { EXIT_LEARNED = 0, EXIT_RUN_FAILED = 1, EXIT_USAGE = 2 };

/* The shipped profiles a learned one may inherit, largest first: the first
 * that fits (learn_parent_fits) is the smallest file that grants nothing
 * unused; strict, the last, always fits and is the floor of every trial. */
static const char *const parents[] = { "coalesce", "strict" };
#define FLOOR "strict"

/* The command line as one would type it again, for the header. */
static char *command_line(int argc, char **argv)
{
	GString *s = g_string_new("expert-exec profile");
	for (int i = 0; i < argc; i++) {
		gboolean plain = argv[i][0] != '\0';
		for (const char *p = argv[i]; *p && plain; p++)
			plain = g_ascii_isalnum(*p) || strchr("-_./=:,+@%", *p);
		g_autofree char *quoted = plain ? g_strdup(argv[i]) : g_shell_quote(argv[i]);
		g_string_append_printf(s, " %s", quoted);
	}
	return g_string_free(s, FALSE);
}

/* How comments name an expert: its file name, or its path when two experts
 * share a file name. */
static char *expert_label(char **experts, int n, int i)
{
	g_autofree char *base = g_path_get_basename(experts[i]);
	for (int k = 0; k < n; k++) {
		g_autofree char *other = g_path_get_basename(experts[k]);
		if (k != i && strcmp(base, other) == 0)
			return g_strdup(experts[i]);
	}
	return g_steal_pointer(&base);
}

typedef struct {
	LearnRuns runs;
	const char *typed;          /* the command line */
	const char *capture;
	const char *date;
	gboolean force;
	GPtrArray *parents;         /* of Profile*, in parents[] order */
} Learning;

/* The text of the profile for experts, or NULL (and the exit status in
 * *status) when they were not learned. *parent_name: what it inherits. */
static char *learn_profile(const Learning *l, char **experts, char **labels, char **const *configs,
                           guint n, const char *dir, const char **parent_name, int *status)
{
	g_autoptr(LearnLog) log = learn_log_new();
	gboolean fatal = FALSE;
	if (!learn_trial_run(&l->runs, experts, labels, configs, n, log, &fatal)) {
		*status = fatal ? EXIT_USAGE : EXIT_RUN_FAILED;
		return NULL;
	}
	/* The floor, strict, fits whatever was seen: the last resort. */
	const Profile *parent = l->runs.parent;
	for (guint i = 0; i < l->parents->len; i++) {
		if (learn_parent_fits(l->parents->pdata[i], l->runs.parent, log)) {
			parent = l->parents->pdata[i];
			break;
		}
	}
	*parent_name = parent->name;
	LearnHeader header = { .command_line = l->typed, .date = l->date, .capture = l->capture,
	                       .base = l->runs.base };
	g_autoptr(GError) error = NULL;
	char *text = learn_profile_text(log, &header, parent, &error);
	if (text && !learn_profile_verify(text, dir, log, &error))
		g_clear_pointer(&text, g_free);
	if (!text) {
		fprintf(stderr, "expert-exec profile learn: %s; no profile written\n", error->message);
		/* A bad base or parent, or what was seen, is the run's failure; a
		 * directory that cannot hold the check's file is the command line's. */
		*status = error->domain == LEARN_ERROR || error->domain == PROFILE_ERROR ||
		          error->domain == FILTER_ERROR ? EXIT_RUN_FAILED : EXIT_USAGE;
		return NULL;
	}
	return text;
}

/* Writes text to path unless it exists and --force was not given. */
static gboolean write_file(const Learning *l, const char *path, const char *text)
{
	g_autoptr(GError) error = NULL;
	if (!l->force && g_file_test(path, G_FILE_TEST_EXISTS)) {
		fprintf(stderr, "expert-exec profile learn: %s exists; --force replaces it\n", path);
		return FALSE;
	}
	if (!g_file_set_contents(path, text, -1, &error)) {
		fprintf(stderr, "expert-exec profile learn: %s\n", error->message);
		return FALSE;
	}
	return TRUE;
}

/* -o FILE.profile: one profile all the experts complete under. */
static int learn_one_file(const Learning *l, const char *output, char **experts, char **labels,
                          char **const *configs, guint n)
{
	g_autofree char *dir = g_path_get_dirname(output);
	const char *parent = NULL;
	int status = EXIT_LEARNED;
	g_autofree char *text = learn_profile(l, experts, labels, configs, n, dir, &parent, &status);
	if (!text)
		return status;
	if (!write_file(l, output, text))
		return EXIT_USAGE;
	printf("wrote %s (inherits %s)\n", output, parent);
	return EXIT_LEARNED;
}

/* -o DIR: a profile per expert, DIR/NAME.profile, and the mapping that
 * gives each its own (DIR/profiles.conf, printed too). */
static int learn_per_expert(const Learning *l, const char *dir, char **experts, char **labels,
                            char **const *configs, guint n)
{
	if (g_mkdir_with_parents(dir, 0755) < 0) {
		fprintf(stderr, "expert-exec profile learn: -o %s: %s\n", dir, g_strerror(errno));
		return EXIT_USAGE;
	}
	g_autofree char *real = realpath(dir, NULL);
	g_autoptr(GString) map = g_string_new(NULL);
	g_string_append_printf(map, "# The mapping of each expert to the profile `expert-exec profile "
	                            "learn` found for it.\n# Give it with: expert-exec run "
	                            "--profile-map %s/" PROFILE_MAP_FILE_NAME " ...\n[profiles]\n",
	                       real ? real : dir);
	g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < n; i++) {
		g_autofree char *name = profile_map_expert_name(experts[i]);
		if (!g_hash_table_add(names, g_strdup(name))) {
			fprintf(stderr, "expert-exec profile learn: two experts are called %s: a mapping "
			        "names each expert once\n", name);
			return EXIT_USAGE;
		}
	}
	for (guint i = 0; i < n; i++) {
		g_autofree char *name = profile_map_expert_name(experts[i]);
		g_autofree char *path = g_strdup_printf("%s/%s.profile", real ? real : dir, name);
		if (!l->force && g_file_test(path, G_FILE_TEST_EXISTS)) {
			fprintf(stderr, "expert-exec profile learn: %s exists; --force replaces it\n", path);
			return EXIT_USAGE;
		}
		const char *parent = NULL;
		int status = EXIT_LEARNED;
		g_autofree char *text = learn_profile(l, &experts[i], &labels[i], &configs[i], 1, dir,
		                                      &parent, &status);
		if (!text)
			return status;
		if (!write_file(l, path, text))
			return EXIT_USAGE;
		printf("wrote %s (inherits %s)\n", path, parent);
		g_string_append_printf(map, "%s = %s\n", name, path);
	}
	g_autofree char *map_path = g_strdup_printf("%s/" PROFILE_MAP_FILE_NAME, real ? real : dir);
	if (!write_file(l, map_path, map->str))
		return EXIT_USAGE;
	printf("\nThe mapping that uses them, written to %s\n(expert-exec run --profile-map %s ...):\n\n%s",
	       map_path, map_path, map->str);
	return EXIT_LEARNED;
}

int learn_command(int argc, char **argv)
{
	g_autofree char *typed = command_line(argc, argv);
	g_autofree char *capture = NULL;
	g_autofree char *output = NULL;
	g_autofree char *base_name = NULL;
	g_autofree char *user = NULL, *config_file = NULL;
	g_auto(GStrv) settings = NULL;
	gboolean force = FALSE;
	GOptionEntry entries[] = {
		{ "capture", 'c', 0, G_OPTION_ARG_FILENAME, &capture,
		  "The capture to run the experts over (required)", "FILE" },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
		  "A directory: one profile per expert, NAME.profile, and " PROFILE_MAP_FILE_NAME
		  ", the mapping that uses them; or FILE.profile: one profile for all (required)",
		  "DIR|FILE.profile" },
		{ "force", 'f', 0, G_OPTION_ARG_NONE, &force, "Replace output files that exist", NULL },
		{ "base", 0, 0, G_OPTION_ARG_FILENAME, &base_name,
		  "The profile the learning runs use: its limits and kill rules are kept, the calls it "
		  "notifies are learned (default learn)", "NAME|FILE" },
		{ "config", 0, 0, G_OPTION_ARG_STRING_ARRAY, &settings,
		  "A setting for an expert, as run takes it: learn what it does when so configured; "
		  "repeatable", "EXPERT:KEY=VALUE" },
		{ "config-file", 0, 0, G_OPTION_ARG_FILENAME, &config_file,
		  "Settings as a key-file, one [EXPERT] group per expert, as run takes it", "FILE" },
		{ "user", 0, 0, G_OPTION_ARG_STRING, &user,
		  "When run as root, all experts run as this user (default: each job its own unprivileged uid)", "NAME" },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) context =
		g_option_context_new("--capture FILE -o DIR|FILE.profile EXPERT.so... - learn sandbox profiles");
	g_option_context_add_main_entries(context, entries, NULL);
	g_option_context_set_summary(context,
		"Runs each expert over the capture under the base profile; every call the base\n"
		"would refuse with notify is recorded and let through (its kill rules stay kills).\n"
		"Then tries each syscall seen as a refusal (errno): what the experts do without,\n"
		"with the same results, is refused; what they need is allowed, narrowed on the\n"
		"values seen of the argument that says what the call does. The profile inherits\n"
		"the smallest shipped profile that fits (" FLOOR ", or coalesce for experts that\n"
		"write output captures). Nothing is written unless every expert completed and\n"
		"returned 0.");
	g_option_context_set_description(context,
		"Exit status: 0 when the profiles were written, 1 when a learning run did not\n"
		"complete, 2 for a bad command line, capture, profile or output file.");
	g_autoptr(GError) error = NULL;
	g_set_prgname("expert-exec profile learn");
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		fprintf(stderr, "expert-exec profile learn: %s\n", error->message);
		return EXIT_USAGE;
	}
	if (!capture || !output || argc < 2) {
		fprintf(stderr, "expert-exec profile learn: give --capture, -o and at least one expert "
		                "(expert-exec profile learn --help)\n");
		return EXIT_USAGE;
	}
	gboolean one_file = g_str_has_suffix(output, ".profile");
	if (one_file && !force && g_file_test(output, G_FILE_TEST_EXISTS)) {
		fprintf(stderr, "expert-exec profile learn: %s exists; --force replaces it\n", output);
		return EXIT_USAGE;
	}
	if (!one_file && g_file_test(output, G_FILE_TEST_EXISTS) &&
	    !g_file_test(output, G_FILE_TEST_IS_DIR)) {
		fprintf(stderr, "expert-exec profile learn: -o %s: not a directory (a single profile's "
		                "name ends in .profile)\n", output);
		return EXIT_USAGE;
	}

	char **experts = argv + 1;
	guint n = (guint)(argc - 1);
	g_autoptr(GPtrArray) configs = expert_settings_parse(settings, config_file,
	                                                     (const char *const *)experts, n, &error);
	if (!configs) {
		fprintf(stderr, "expert-exec profile learn: %s\n", error->message);
		return EXIT_USAGE;
	}
	g_autofree char ***plain = g_new0(char **, n);
	for (guint i = 0; i < n; i++)
		plain[i] = (char **)((GPtrArray *)g_ptr_array_index(configs, i))->pdata;

	RunnerOptions common = {
		.capture_path = capture,
		.profile = base_name ? base_name : "learn",
		/* One job at a time: its region is the only one, and its size is
		 * the base's memory limit, so the budget never decides. */
		.pool_budget = G_MAXUINT64,
	};
	if (!runner_set_identity(&common, user, &error)) {
		fprintf(stderr, "expert-exec profile learn: %s\n", error->message);
		return EXIT_USAGE;
	}
	g_autoptr(Zygote) zygote = zygote_start(&error);
	if (!zygote) {
		fprintf(stderr, "expert-exec: %s\n", error->message);
		return EXIT_USAGE;
	}
	g_autoptr(Profile) base = profile_load(common.profile, &error);
	g_autoptr(Profile) floor = base ? profile_load(FLOOR, &error) : NULL;
	if (!base || !floor || !learn_check_base(base, floor, &error)) {
		fprintf(stderr, "expert-exec profile learn: %s\n", error->message);
		return EXIT_USAGE;
	}
	g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func((GDestroyNotify)profile_free);
	for (gsize i = 0; i < G_N_ELEMENTS(parents); i++) {
		Profile *p = profile_load(parents[i], &error);
		if (!p) {
			fprintf(stderr, "expert-exec profile learn: %s\n", error->message);
			return EXIT_USAGE;
		}
		g_ptr_array_add(loaded, p);
	}

	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree char *date = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S%:z");
	Learning l = {
		.runs = { zygote, &common, base, floor },
		.typed = typed, .capture = capture, .date = date, .force = force, .parents = loaded,
	};
	g_auto(GStrv) labels = g_new0(char *, n + 1);
	for (guint i = 0; i < n; i++)
		labels[i] = expert_label(experts, (int)n, (int)i);
	return one_file ? learn_one_file(&l, output, experts, labels, plain, n)
	                : learn_per_expert(&l, output, experts, labels, plain, n);
}
