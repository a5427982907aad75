/* learn.c — `expert-exec profile learn`, the running half (see learn.h):
 * start the zygote, run each expert once under the base profile with an
 * observer that records what the base refuses, and write what
 * learn-writer.c makes of it, checked first (learn-check.c), atomically. */
#include "learn/learn.h"

#include "jobs/runner.h"
#include "jobs/zygote.h"
#include "learn/learn-check.h"
#include "learn/learn-log.h"
#include "learn/learn-writer.h"
#include "profiles/filter.h"
#include "reports/report-text.h"
#include "reports/report.h"
#include "results/outcome.h"
#include "violations/syscall-args.h"

#include <stdio.h>
#include <string.h>

/* The statuses of `run` (README: cli/cmd-run.h), "all completed" meaning
 * "learned"; spelled out here because learn/ sits below cli/. */
enum { EXIT_LEARNED = 0, EXIT_RUN_FAILED = 1, EXIT_USAGE = 2 };

/* The parent of every learned profile (why: see learn-writer.c). */
#define LEARN_PARENT "strict"

typedef struct {
	LearnLog *log;
	const char *expert;
	const Profile *base;
	char *escaped;              /* the first call the base kills that got through */
} Observer;

/* Called by the job for every call the profile refuses, which it then lets
 * through. learn_check_base() makes sure only notify rules get here; this
 * is the last guard should that ever change. */
static void observe_refused(int nr, const guint64 args[6], gpointer data)
{
	Observer *o = data;
	FilterVerdict v;
	filter_decide(o->base, nr, (const uint64_t *)args, &v);
	if (v.action.kind != PROFILE_ACTION_NOTIFY && !o->escaped) {
		g_autofree char *call = syscall_args_describe(nr, args);
		o->escaped = g_strdup_printf("%s reached the learner although %s says %s for it",
		                             call, o->base->name, profile_action_name(v.action.kind));
	}
	learn_log_add_call(o->log, o->expert, nr, args);
}

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

/* Runs one expert under the base, recording what it is refused. FALSE (and
 * the report printed) unless it completed and returned 0; *fatal when the
 * run could not happen at all. */
static gboolean learn_one(Zygote *zygote, const RunnerOptions *common, const char *expert,
                          const char *label, LearnLog *log, const Profile *base, gboolean *fatal)
{
	Observer observer = { .log = log, .expert = label, .base = base };
	RunnerOptions options = *common;
	options.experts = &expert;
	options.n_experts = 1;
	options.jobs = 1;
	options.observe = observe_refused;
	options.observe_data = &observer;

	g_autoptr(GError) error = NULL;
	g_autoptr(RunResult) result = runner_run(zygote, &options, &error);
	if (!result) {
		fprintf(stderr, "expert-exec profile learn: %s\n", error->message);
		*fatal = TRUE;
		return FALSE;
	}
	g_autofree char *escaped = observer.escaped;
	const Job *job = g_ptr_array_index(result->jobs, 0);
	if (!run_result_all_completed(result) || escaped) {
		g_autofree char *report = report_text(result);
		fputs(report, stdout);
		if (escaped)
			fprintf(stderr, "expert-exec profile learn: %s: %s; no profile written\n", label,
			        escaped);
		else if (job->outcome == OUTCOME_COMPLETED)
			fprintf(stderr, "expert-exec profile learn: %s returned %d under %s; no profile "
			        "written\n", label, job->return_value, base->name);
		else
			fprintf(stderr, "expert-exec profile learn: %s ended in %s under %s (report above); "
			        "no profile written\n", label, outcome_info(job->outcome)->name, base->name);
		return FALSE;
	}
	LearnUsage usage = {
		.peak_pool_bytes = job->peak_pool_bytes,
		.max_rss_bytes = job->max_rss_kib * 1024,
		.cpu_usec = job->cpu_usec,
		.wall_usec = (guint64)MAX(0, job->end_usec - job->start_usec),
		.events = job->events_submitted,
	};
	learn_log_add_expert(log, label, &usage);
	guint64 calls = learn_log_n_calls(log, label);
	printf("%-32s completed; %" G_GUINT64_FORMAT " call%s refused by %s, let through and recorded\n",
	       label, calls, calls == 1 ? "" : "s", base->name);
	return TRUE;
}

int learn_command(int argc, char **argv)
{
	g_autofree char *typed = command_line(argc, argv);
	g_autofree char *capture = NULL;
	g_autofree char *output = NULL;
	g_autofree char *base_name = NULL;
	g_autofree char *user = NULL;
	gboolean force = FALSE;
	GOptionEntry entries[] = {
		{ "capture", 'c', 0, G_OPTION_ARG_FILENAME, &capture,
		  "The capture to run the experts over (required)", "FILE" },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
		  "Where to write the learned profile (required)", "FILE" },
		{ "force", 'f', 0, G_OPTION_ARG_NONE, &force, "Replace the output file if it exists", NULL },
		{ "base", 0, 0, G_OPTION_ARG_FILENAME, &base_name,
		  "The profile the learning run uses: its limits and kill rules are kept, the calls it "
		  "notifies are learned (default learn)", "NAME|FILE" },
		{ "user", 0, 0, G_OPTION_ARG_STRING, &user,
		  "When run as root, all experts run as this user (default: each job its own unprivileged uid)", "NAME" },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) context =
		g_option_context_new("--capture FILE -o NEW.profile EXPERT.so... - learn a sandbox profile");
	g_option_context_add_main_entries(context, entries, NULL);
	g_option_context_set_summary(context,
		"Runs each expert once over the capture under the base profile; every call the\n"
		"base would refuse with notify is recorded and let through (its kill rules stay\n"
		"kills). Writes the smallest profile, inheriting " LEARN_PARENT ", under which the\n"
		"same run completes: one commented rule per syscall seen, with conditions on\n"
		"descriptors and PROT_EXEC where they are obviously safe. Nothing is written\n"
		"unless every expert completed and returned 0.");
	g_option_context_set_description(context,
		"Exit status: 0 when the profile was written, 1 when a learning run did not complete,\n"
		"2 for a bad command line, capture, profile or output file.");
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
	if (!force && g_file_test(output, G_FILE_TEST_EXISTS)) {
		fprintf(stderr, "expert-exec profile learn: %s exists; --force replaces it\n", output);
		return EXIT_USAGE;
	}

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
	g_autoptr(Profile) parent = base ? profile_load(LEARN_PARENT, &error) : NULL;
	if (!base || !parent || !learn_check_base(base, parent, &error)) {
		fprintf(stderr, "expert-exec profile learn: %s\n", error->message);
		return EXIT_USAGE;
	}

	g_autoptr(LearnLog) log = learn_log_new();
	gboolean all = TRUE;
	for (int i = 1; i < argc; i++) {
		g_autofree char *label = expert_label(argv + 1, argc - 1, i - 1);
		gboolean fatal = FALSE;
		all &= learn_one(zygote, &common, argv[i], label, log, base, &fatal);
		if (fatal)
			return EXIT_USAGE;
	}
	if (!all)
		return EXIT_RUN_FAILED;

	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree char *date = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S%:z");
	LearnHeader header = { .command_line = typed, .date = date, .capture = capture, .base = base };
	g_autofree char *text = learn_profile_text(log, &header, parent, &error);
	if (!text) {
		fprintf(stderr, "expert-exec profile learn: %s; no profile written\n", error->message);
		return EXIT_RUN_FAILED;
	}
	g_autofree char *dir = g_path_get_dirname(output);
	if (!learn_profile_verify(text, dir, log, &error)) {
		fprintf(stderr, "expert-exec profile learn: %s; no profile written\n", error->message);
		return g_error_matches(error, LEARN_ERROR, LEARN_ERROR_VERIFY) ? EXIT_RUN_FAILED : EXIT_USAGE;
	}
	if (!force && g_file_test(output, G_FILE_TEST_EXISTS)) {
		fprintf(stderr, "expert-exec profile learn: %s appeared meanwhile; --force replaces it\n",
		        output);
		return EXIT_USAGE;
	}
	if (!g_file_set_contents(output, text, -1, &error)) {
		fprintf(stderr, "expert-exec profile learn: %s\n", error->message);
		return EXIT_USAGE;
	}
	guint n_syscalls = learn_log_n_syscalls(log);
	guint64 n_calls = learn_log_n_calls(log, NULL);
	printf("wrote %s (inherits %s): %u syscall%s seen in %" G_GUINT64_FORMAT " refused call%s\n",
	       output, LEARN_PARENT, n_syscalls, n_syscalls == 1 ? "" : "s", n_calls,
	       n_calls == 1 ? "" : "s");
	return EXIT_LEARNED;
}
