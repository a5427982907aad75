/* main.c — the `expert-exec` command line. */
#include "outcome.h"
#include "report.h"
#include "runner.h"
#include "zygote.h"

#include <glib.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

/* Exit statuses, as documented in the README. */
enum {
	EXIT_ALL_COMPLETED = 0,  /* every expert completed and returned 0 */
	EXIT_SOME_FAILED = 1,    /* at least one other outcome or return value */
	EXIT_USAGE = 2,          /* bad command line, capture, profile */
};

static const char *const subcommands_help =
	"Commands:\n"
	"  run [OPTION...] CAPTURE EXPERT.so...   run experts over a capture, each sandboxed\n"
	"\n"
	"Run 'expert-exec run --help' for the options of run.";

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

static int run_command(int argc, char **argv)
{
	g_autofree char *profile = NULL;
	g_autofree char *budget_text = NULL;
	g_autofree char *user = NULL;
	gboolean json = FALSE;
	gint jobs = 1;
	GOptionEntry entries[] = {
		{ "profile", 'p', 0, G_OPTION_ARG_STRING, &profile,
		  "Sandbox profile: a shipped name (default, strict) or a .profile file", "NAME|FILE" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print results as JSON", NULL },
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Run up to N experts at once (default 1)", "N" },
		{ "pool-budget", 0, 0, G_OPTION_ARG_STRING, &budget_text,
		  "Shared-memory pool for all running experts (default 4G)", "SIZE" },
		{ "user", 0, 0, G_OPTION_ARG_STRING, &user,
		  "When run as root, experts run as this user (default nobody)", "NAME" },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) context = g_option_context_new("CAPTURE EXPERT.so... - run experts over a capture");
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
		return EXIT_USAGE;
	}
	if (argc < 3) {
		fprintf(stderr, "expert-exec run: give a capture and at least one expert "
		                "(expert-exec run --help)\n");
		return EXIT_USAGE;
	}
	if (jobs < 1 || jobs > 1024) {
		fprintf(stderr, "expert-exec run: --jobs must be between 1 and 1024\n");
		return EXIT_USAGE;
	}
	guint64 budget = 4ull << 30;
	if (budget_text && !parse_size(budget_text, &budget)) {
		fprintf(stderr, "expert-exec run: --pool-budget: \"%s\" is not a size (e.g. 512M, 4G)\n",
		        budget_text);
		return EXIT_USAGE;
	}

	RunnerOptions options = {
		.capture_path = argv[1],
		.profile = profile ? profile : "default",
		.experts = (const char *const *)&argv[2],
		.n_experts = (guint)(argc - 2),
		.jobs = (guint)jobs,
		.pool_budget = budget,
	};
	if (!runner_set_identity(&options, user, &error)) {
		fprintf(stderr, "expert-exec run: %s\n", error->message);
		return EXIT_USAGE;
	}

	g_autoptr(Zygote) zygote = zygote_start(&error);
	if (!zygote) {
		fprintf(stderr, "expert-exec: %s\n", error->message);
		return EXIT_USAGE;
	}
	g_autoptr(RunResult) result = runner_run(zygote, &options, &error);
	if (!result) {
		fprintf(stderr, "expert-exec: %s\n", error->message);
		return EXIT_USAGE;
	}
	g_autofree char *out = json ? report_json(result) : report_text(result);
	fputs(out, stdout);
	if (json)
		fputc('\n', stdout);

	for (guint i = 0; i < result->jobs->len; i++) {
		const Job *job = g_ptr_array_index(result->jobs, i);
		if (job->outcome != OUTCOME_COMPLETED || job->return_value != 0)
			return EXIT_SOME_FAILED;
	}
	return EXIT_ALL_COMPLETED;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	if (argc < 2 || g_str_equal(argv[1], "--help") || g_str_equal(argv[1], "-h") ||
	    g_str_equal(argv[1], "help")) {
		printf("Usage: expert-exec COMMAND [OPTION...]\n\n%s\n", subcommands_help);
		return argc < 2 ? EXIT_USAGE : EXIT_ALL_COMPLETED;
	}
	if (g_str_equal(argv[1], "run"))
		return run_command(argc - 1, argv + 1);
	fprintf(stderr, "expert-exec: unknown command \"%s\"\n\n%s\n", argv[1], subcommands_help);
	return EXIT_USAGE;
}
