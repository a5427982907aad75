/* cmd-run.c — `expert-exec run` and `expert-exec list`: the command line
 * into RunnerOptions, a run, the report. Everything on the command line is
 * untrusted input and is checked here, with messages naming the option.
 * With --json, even a command line, capture or profile refused is answered
 * with a JSON document (an "error" member), so a program reading stdout
 * always gets JSON. */
#include "cli/cmd-run.h"

#include "cli/cli-errors.h"
#include "cli/cmd-batch.h"
#include "cli/profile-options.h"
#include "cli/run-args.h"
#include "cli/run-start.h"
#include "cli/inject-options.h"
#include "jobs/expert-settings.h"
#include "kernel/isolation.h"
#include <sys/stat.h>
#include "profiles/profile-map.h"
#include "reports/html-report.h"
#include "results/outcome.h"
#include "reports/progress.h"
#include "reports/report-text.h"
#include "reports/report.h"
#include "jobs/prefork.h"
#include "jobs/runner.h"
#include "jobs/zygote.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
	g_string_append(s, "\nExit status: 0 if every expert completed, returned 0 and kept every "
	                   "output it closed;\n1 if not; 2 for a bad command line, capture, profile "
	                   "or mapping (nothing ran);\n3 if every expert completed and returned 0 but "
	                   "the capture was cut short\n(truncated or malformed: the experts saw the "
	                   "frames before the damage).\nA batch: the same over all its pairs; 2 also "
	                   "when its results file cannot be\nwritten (it stops; --resume goes on).");
	return g_string_free(s, FALSE);
}

/* The exit status of a run: see outcomes_help(). */
static int exit_status(const RunResult *result)
{
	if (!run_result_all_completed(result))
		return CMD_EXIT_SOME_FAILED;
	return result->capture->partial ? CMD_EXIT_PARTIAL_CAPTURE : CMD_EXIT_ALL_COMPLETED;
}

/* Starts the zygote, runs, prints; the exit status of run and list. The
 * text of run shows the isolation in effect and each expert's profile
 * before any job starts. require: the --require list, or NULL. */
static int run_and_report(const char *command, RunnerOptions *options, const char *user,
                          const char *require, gboolean json, const char *html)
{
	int status = CMD_EXIT_USAGE;
	g_autoptr(Zygote) zygote = run_start(command, options, user, require, json, &status);
	if (!zygote)
		return status;
	g_autoptr(GError) error = NULL;
	g_autoptr(RunResult) result = runner_prepare(zygote, options, &error);
	if (!result)
		return cli_usage_error(command, json, "%s", error->message);
	if (!json && !options->register_only) {
		g_autofree char *header = report_text_header(result);
		fputs(header, stdout);
		fflush(stdout);
	}
	/* Progress only for a person watching: a terminal, and not --json. */
	g_autoptr(Progress) progress = (!json && isatty(STDERR_FILENO)) ? progress_new(stderr) : NULL;
	if (progress) {
		result->ctx->on_status = progress_update;
		result->ctx->on_status_data = progress;
	}
	runner_run_prepared(result, options);
	if (progress)
		progress_clear(progress);
	g_autofree char *out = json ? report_json(result)
	                     : options->register_only ? report_list(result) : report_text_jobs(result);
	fputs(out, stdout);
	if (json)
		fputc('\n', stdout);
	if (html) {
		g_autoptr(JsonNode) doc = report_json_node(result);
		if (!html_report_write(html_report_run, doc, html, &error)) {
			fprintf(stderr, "expert-exec %s: %s\n", command, error->message);
			return CMD_EXIT_USAGE;
		}
	}
	return exit_status(result);
}

/* --profile and --profile-map, shared by run and list. */
#define PROFILE_OPTION_ENTRIES(values, map) \
	{ "profile", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &values, \
	  "An expert's profile (EXPERT is its file name without .so), repeatable; or, without " \
	  "EXPERT=, the profile of every expert not named (and the installed mapping is not " \
	  "used). A shipped name (default, strict, coalesce, ...) or a .profile file", \
	  "[EXPERT=]NAME|FILE" }, \
	{ "profile-map", 0, 0, G_OPTION_ARG_FILENAME, &map, \
	  "Each expert's profile from a key-file: [profiles] EXPERT = PROFILE lines (instead of " \
	  "the installed mapping of the shipped experts)", "FILE" }

static const char batch_help[] =
	"Many captures (a batch): several captures then -- then the experts, or a directory\n"
	"(its pcap and pcapng files), or --captures-from FILE. Every expert runs over every\n"
	"capture, one capture loaded at a time; outputs go in a folder per capture under\n"
	"--output-dir (then a folder per job). --results FILE appends one JSON line per\n"
	"(capture, expert) as each ends; --resume skips those it holds; --shard I/N takes a\n"
	"balanced share of the pairs (every shard given the same captures and experts);\n"
	"`expert-exec merge` makes one batch of the shards' results files.\n";

static const char profiles_help[] =
	"Each expert's profile, first match wins: --profile EXPERT=PROFILE; the mapping in\n"
	"force (--profile-map FILE, else the installed mapping of the shipped experts, which\n"
	"governs only the experts installed beside it, unless a plain --profile is given);\n"
	"a plain --profile PROFILE; default. What an expert registers as never widens its\n"
	"profile.\n\n";

int cmd_run(int argc, char **argv)
{
	g_autofree char *budget_text = NULL, *user = NULL, *filter = NULL;
	g_autofree char *output_dir = NULL, *config_file = NULL, *profile_map = NULL, *html = NULL;
	g_autofree char *require = NULL, *captures_from = NULL, *results = NULL, *shard = NULL;
	g_autofree char *inject = NULL, *seed = NULL;
	gboolean resume = FALSE, copy_capture = FALSE;
	g_auto(GStrv) settings = NULL, profiles = NULL;
	/* GOption resets --json's flag when parsing fails: asked for, even so. */
	const gboolean json_asked = cli_wants_json(argc, argv);
	gboolean json = json_asked;
	gint jobs = 1, prefork = PREFORK_NOT_GIVEN;
	gint64 selected = 0;
	GOptionEntry entries[] = {
		PROFILE_OPTION_ENTRIES(profiles, profile_map),
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json,
		  "Print results as JSON (errors too, as a document with an \"error\" member)", NULL },
		{ "html", 0, 0, G_OPTION_ARG_FILENAME, &html,
		  "Also write the results as one self-contained HTML page with charts", "FILE" },
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Run up to N experts at once (default 1)", "N" },
		PREFORK_OPTION_ENTRY(prefork),
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
		{ "require", 0, 0, G_OPTION_ARG_STRING, &require,
		  "Refuse to run (exit status 2) unless these isolation layers are in effect", "LAYER,..." },
		{ "captures-from", 0, 0, G_OPTION_ARG_FILENAME, &captures_from,
		  "A batch: the captures listed in FILE, one path a line (relative to FILE's folder)",
		  "FILE" },
		{ "results", 0, 0, G_OPTION_ARG_FILENAME, &results,
		  "A batch: append one JSON line per (capture, expert) to FILE as each ends", "FILE" },
		{ "resume", 0, 0, G_OPTION_ARG_NONE, &resume,
		  "A batch: skip the pairs --results FILE already holds (after a kill or crash)", NULL },
		{ "shard", 0, 0, G_OPTION_ARG_STRING, &shard,
		  "A batch: run only the I-th of N balanced shares of its pairs (I from 0)", "I/N" },
		{ "inject", 0, 0, G_OPTION_ARG_STRING, &inject,
		  "Inject one fault into every expert: CLASS@N or alloc:p=P (see below)", "SPEC" },
		{ "seed", 0, 0, G_OPTION_ARG_STRING, &seed,
		  "The seed of --inject alloc:p=P (default 1)", "N" },
		{ "copy-capture", 0, 0, G_OPTION_ARG_NONE, &copy_capture,
		  "Copy a pcap file's frames into the sealed memory every job maps, rather than map "
		  "the file itself (for a file that may be rewritten or truncated during the run)",
		  NULL },
		G_OPTION_ENTRY_NULL
	};
	/* GOption sees only what comes before a "--" (run-args.h). */
	const int separator = run_args_separator(argc, argv);
	char **after = separator >= 0 ? &argv[separator + 1] : NULL;
	g_autofree char **before = g_new0(char *, (gsize)argc + 1);
	int n_before = separator >= 0 ? separator : argc;
	memcpy(before, argv, (gsize)n_before * sizeof(char *));
	argc = n_before;
	argv = before;
	g_autoptr(GOptionContext) context =
		g_option_context_new("CAPTURE EXPERT.so... | CAPTURE... -- EXPERT.so... - run experts "
		                     "over captures");
	g_option_context_add_main_entries(context, entries, NULL);
	g_autofree char *outcomes = outcomes_help();
	g_autofree char *layers = isolation_layer_names();
	g_autofree char *faults = inject_options_help();
	g_autofree char *description = g_strdup_printf(
		"%s%s\n\n%s\nIsolation layers (--require; `expert-exec --version` says which this kernel "
		"has):\n  %s\n\n%s", profiles_help, outcomes, batch_help, layers, faults);
	g_option_context_set_description(context, description);
	g_option_context_set_summary(context,
		"Each expert runs in its own forked child under a seccomp filter built from its\n"
		"profile, with memory from its own region of a shared pool. Whatever the child\n"
		"does, the executor reclaims everything and reports exactly what happened.");
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(context, &argc, &argv, &error))
		return cli_usage_error("run", json_asked, "%s", error->message);
	g_auto(RunArgs) args = { 0 };
	if (!run_args_split(argc, argv, (const char *const *)after, captures_from != NULL, &args,
	                    &error))
		return cli_usage_error("run", json, "%s", error->message);
	struct stat st;
	const gboolean batch = args.captures->len != 1 || captures_from || results || resume || shard ||
	                       (stat(g_ptr_array_index(args.captures, 0), &st) == 0 &&
	                        S_ISDIR(st.st_mode));
	if (jobs < 1 || jobs > 1024)
		return cli_usage_error("run", json, "--jobs must be between 1 and 1024");
	if (prefork != PREFORK_NOT_GIVEN && (prefork < 0 || prefork > PREFORK_MAX))
		return cli_usage_error("run", json, "--prefork must be between 0 and %d", PREFORK_MAX);
	if (selected < 0)
		return cli_usage_error("run", json, "--select must be a frame number (1 or more)");
	guint64 budget = 4ull << 30;
	if (budget_text && !parse_size(budget_text, &budget))
		return cli_usage_error("run", json, "--pool-budget: \"%s\" is not a size (e.g. 512M, 4G)",
		                   budget_text);
	g_autoptr(InjectSpec) spec = NULL;
	if (inject && !(spec = inject_spec_parse(inject, FALSE, &error)))
		return cli_usage_error("run", json, "%s", error->message);
	if (seed && (!spec || !spec->p))
		return cli_usage_error("run", json, "--seed is the seed of --inject alloc:p=P");
	if (spec && spec->p && !inject_options_seed(seed, &spec->seed, &error))
		return cli_usage_error("run", json, "%s", error->message);
	const char *const *experts = (const char *const *)args.experts->pdata;
	guint n_experts = args.experts->len;
	g_autoptr(GPtrArray) configs = expert_settings_parse(settings, config_file, experts, n_experts, &error);
	if (!configs)
		return cli_usage_error("run", json, "%s", error->message);
	g_autoptr(GPtrArray) choices = profile_options_choose(profiles, profile_map, experts,
	                                                      n_experts, &error);
	if (!choices)
		return cli_usage_error("run", json, "%s", error->message);
	/* The runner wants plain NULL-terminated arrays. */
	g_autoptr(GPtrArray) plain = g_ptr_array_new();
	for (guint i = 0; i < configs->len; i++)
		g_ptr_array_add(plain, ((GPtrArray *)g_ptr_array_index(configs, i))->pdata);

	RunnerOptions options = {
		.capture_path = batch ? NULL : g_ptr_array_index(args.captures, 0),
		.profile = PROFILE_MAP_FALLBACK,
		.choices = (ProfileChoice *const *)choices->pdata,
		.experts = experts,
		.n_experts = n_experts,
		.jobs = (guint)jobs,
		.prefork = prefork != PREFORK_NOT_GIVEN ? (guint)prefork
		                                        : prefork_default_size((guint)jobs),
		.pool_budget = budget,
		.configs = plain,
		.frame_filter = filter,
		.selected_frame = (guint64)selected,
		.output_dir = output_dir,
		.inject = spec,
		.watch_output_writes = spec && spec->kind == INJECT_WRITE,
		.copy_capture = copy_capture,
	};
	if (batch) {
		BatchCommand cmd = {
			.args = &args,
			.captures_from = captures_from,
			.results = results,
			.resume = resume,
			.shard = shard,
			.user = user,
			.require = require,
			.html = html,
			.json = json,
			.run = &options,
		};
		return cmd_batch(&cmd);
	}
	return run_and_report("run", &options, user, require, json, html);
}

int cmd_list(int argc, char **argv)
{
	g_autofree char *user = NULL, *profile_map = NULL;
	g_auto(GStrv) profiles = NULL;
	const gboolean json_asked = cli_wants_json(argc, argv);
	gboolean json = json_asked;
	GOptionEntry entries[] = {
		PROFILE_OPTION_ENTRIES(profiles, profile_map),
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json,
		  "Print as JSON (errors too, as a document with an \"error\" member)", NULL },
		{ "user", 0, 0, G_OPTION_ARG_STRING, &user,
		  "When run as root, all experts run as this user (default: each job its own unprivileged uid)", "NAME" },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) context =
		g_option_context_new("EXPERT.so... - show what each expert says it is");
	g_option_context_add_main_entries(context, entries, NULL);
	g_option_context_set_summary(context,
		"Loads each expert in its own sandboxed child under its profile, exactly as run\n"
		"does, and calls only its register entry point: name, vendor, description, version\n"
		"and flags.");
	g_option_context_set_description(context, profiles_help);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(context, &argc, &argv, &error))
		return cli_usage_error("list", json_asked, "%s", error->message);
	if (argc < 2)
		return cli_usage_error("list", json, "give at least one expert (expert-exec list --help)");
	const char *const *experts = (const char *const *)&argv[1];
	guint n_experts = (guint)(argc - 1);
	g_autoptr(GPtrArray) choices = profile_options_choose(profiles, profile_map, experts,
	                                                      n_experts, &error);
	if (!choices)
		return cli_usage_error("list", json, "%s", error->message);
	RunnerOptions options = {
		.capture_path = NULL,
		.profile = PROFILE_MAP_FALLBACK,
		.choices = (ProfileChoice *const *)choices->pdata,
		.experts = experts,
		.n_experts = n_experts,
		.jobs = 1,
		.prefork = prefork_default_size(1),
		.pool_budget = 4ull << 30,
		.register_only = TRUE,
	};
	return run_and_report("list", &options, user, NULL, json, NULL);
}
