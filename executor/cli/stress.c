/* stress.c — `expert-exec stress`: run experts over and over, in parallel,
 * and prove from kernel facts that none of it costs the executor anything.
 *
 * Jobs are drawn (weighted, from a seeded generator, so a storm can be
 * replayed) from the built-in crash corpus and the experts given, started
 * up to --jobs at a time, and freed as soon as they end: a storm of a million
 * runs holds one Job per running child, plus one float of latency per run.
 * The engine that does it is storm.c; here are the command and its report. */
#include "cli/stress.h"

#include "cli/cli-errors.h"

#include "cli/cmd-run.h"
#include "cli/corpus.h"
#include "cli/storm.h"
#include "cli/stress-inject.h"
#include "cli/inject-options.h"
#include "reports/html-report.h"
#include "reports/json-kernel.h"
#include "reports/json-out.h"
#include "reports/latency-histogram.h"
#include "reports/report.h"
#include "results/child-text.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* RSS growth past the warmed-up baseline that counts as a leak. Heap
 * fragmentation moves RSS by a few pages; a leak of a few bytes per run over
 * thousands of runs moves it by far more. */
#define RSS_SLACK (2u << 20)

/* ---- the report --------------------------------------------------------- */

static float percentile(GArray *sorted, double p)
{
	if (sorted->len == 0)
		return 0;
	guint i = (guint)(p * (sorted->len - 1) + 0.5);
	return g_array_index(sorted, float, MIN(i, sorted->len - 1));
}

static gint compare_float(gconstpointer a, gconstpointer b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return x < y ? -1 : x > y;
}

typedef struct {
	const char *what;
	gint64 start, end, peak;
	gboolean leaked;
} Leak;

static guint leaks(const Storm *s, Leak out[5])
{
	const Sample *a = &s->start, *b = &s->end, *p = &s->peak;
	out[0] = (Leak){ "descriptors", a->snap.open_fds, b->snap.open_fds, p->snap.open_fds,
	                 b->snap.open_fds > a->snap.open_fds };
	out[1] = (Leak){ "rss_bytes", (gint64)a->snap.rss_bytes, (gint64)b->snap.rss_bytes,
	                 (gint64)p->snap.rss_bytes, b->snap.rss_bytes > a->snap.rss_bytes + RSS_SLACK };
	out[2] = (Leak){ "pool_regions", a->snap.pool_regions, b->snap.pool_regions,
	                 p->snap.pool_regions, b->snap.pool_regions != 0 };
	out[3] = (Leak){ "pool_bytes", (gint64)a->snap.pool_bytes, (gint64)b->snap.pool_bytes,
	                 (gint64)p->snap.pool_bytes, b->snap.pool_bytes != 0 };
	out[4] = (Leak){ "children", a->children, b->children, p->children,
	                 b->children != 0 || b->zombies != 0 };
	guint n = 0;
	for (int i = 0; i < 5; i++)
		n += out[i].leaked;
	return n;
}

static JsonNode *report_json_storm(Storm *s, double secs, GArray *sorted, guint n_leaks,
                                   const Leak leak[5], guint64 unexpected)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	json_out_begin_object(b, "capture");
	/* null for the empty capture the storm reads without --capture */
	const char *capture = s->setup->capture->path;
	json_out_string(b, "path", capture && *capture ? capture : NULL);
	json_builder_end_object(b);
	/* Every storm job runs under the one profile of --profile. */
	const RunProfile *rp = g_ptr_array_index(s->setup->profiles, 0);
	json_out_begin_object(b, "profile");
	json_out_string(b, "name", rp->profile->name);
	json_out_string(b, "path", rp->profile->path);
	json_out_string(b, "sha256", rp->sha256);
	json_builder_end_object(b);
	json_out_int(b, "runs", (gint64)s->finished);
	json_out_double(b, "seconds", secs);
	json_out_double(b, "runs_per_second", secs > 0 ? (double)s->finished / secs : 0);
	json_out_int(b, "jobs", s->jobs);
	json_out_begin_object(b, "outcomes");
	for (int k = 0; k < OUTCOME_N_KINDS; k++)
		json_out_int(b, outcome_info(k)->name, (gint64)s->by_outcome[k]);
	json_builder_end_object(b);
	json_out_begin_object(b, "latency_ms");
	static const struct { const char *name; double p; } ps[] = {
		{ "p50", 0.5 }, { "p90", 0.9 }, { "p99", 0.99 }, { "max", 1.0 },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(ps); i++)
		json_out_double(b, ps[i].name, percentile(sorted, ps[i].p));
	json_builder_end_object(b);
	latency_histogram_json(b, "latency_histogram", sorted);
	json_out_begin_array(b, "experts");
	for (guint i = 0; i < s->entries->len; i++) {
		const Entry *e = g_ptr_array_index(s->entries, i);
		json_builder_begin_object(b);
		json_out_string(b, "name", e->name);
		json_out_int(b, "runs", (gint64)e->runs);
		if (e->corpus) {
			json_out_string(b, "expected", outcome_info(e->corpus->expected)->name);
			json_out_int(b, "unexpected", (gint64)e->unexpected);
			if (e->first_unexpected)
				json_out_string(b, "first_unexpected", e->first_unexpected);
		}
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_out_begin_object(b, "executor");
	for (int i = 0; i < 5; i++) {
		json_out_begin_object(b, leak[i].what);
		json_out_int(b, "start", leak[i].start);
		json_out_int(b, "end", leak[i].end);
		json_out_int(b, "largest", leak[i].peak);
		json_out_bool(b, "leaked", leak[i].leaked);
		json_builder_end_object(b);
	}
	json_builder_end_object(b);
	/* Beside the executor's resources, not among them: a figure of the
	 * storm's children, not a leak count (the page lists every member of
	 * "executor" as a resource). */
	report_prefork_json(b, "prefork", &s->setup->prefork_figures);
	json_out_int(b, "leaks", n_leaks);
	json_out_int(b, "unexpected_outcomes", (gint64)unexpected);
	kernel_features_json(b, "kernel");
	isolation_json(b, "isolation", zygote_isolation(s->zygote));
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

static void report_text_storm(Storm *s, double secs, GArray *sorted, guint n_leaks,
                              const Leak leak[5], guint64 unexpected)
{
	g_autofree char *isolation = isolation_line(zygote_isolation(s->zygote));
	printf("isolation    %s\n", isolation);
	printf("runs         %" G_GUINT64_FORMAT " in %.1f s: %.1f runs/s, %u at once\n", s->finished,
	       secs, secs > 0 ? (double)s->finished / secs : 0.0, s->jobs);
	printf("latency      p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.1f ms "
	       "(request to reaped and reclaimed)\n",
	       percentile(sorted, 0.5), percentile(sorted, 0.9), percentile(sorted, 0.99),
	       percentile(sorted, 1.0));
	printf("outcomes\n");
	for (int k = 0; k < OUTCOME_N_KINDS; k++)
		if (s->by_outcome[k])
			printf("  %-20s %8" G_GUINT64_FORMAT "  %5.1f%%\n", outcome_info(k)->name,
			       s->by_outcome[k], 100.0 * (double)s->by_outcome[k] / (double)s->finished);
	printf("experts (runs; outcomes not as expected)\n");
	for (guint i = 0; i < s->entries->len; i++) {
		const Entry *e = g_ptr_array_index(s->entries, i);
		g_autofree char *name = child_text(e->name, 0, 0);
		/* The detail holds the child's words: escaped for the terminal. */
		g_autofree char *first = child_text(e->first_unexpected, 0, CHILD_TEXT_ESCAPED_PARTS);
		printf("  %-20s %8" G_GUINT64_FORMAT, name, e->runs);
		if (e->corpus)
			printf("  expected %-18s %" G_GUINT64_FORMAT "%s%s", outcome_info(e->corpus->expected)->name,
			       e->unexpected, e->first_unexpected ? "  first: " : "", first);
		printf("\n");
	}
	printf("executor (from /proc: at the start, at the end, largest)\n");
	for (int i = 0; i < 5; i++)
		printf("  %-14s %12" G_GINT64_FORMAT " %12" G_GINT64_FORMAT " %12" G_GINT64_FORMAT "%s\n",
		       leak[i].what, leak[i].start, leak[i].end, leak[i].peak,
		       leak[i].leaked ? "  LEAKED" : "");
	printf("leaks        %u\n", n_leaks);
	printf("unexpected   %" G_GUINT64_FORMAT "\n", unexpected);
}

/* ---- the command -------------------------------------------------------- */

static gboolean parse_duration(const char *text, gint64 *usec)
{
	char *end;
	double v = g_ascii_strtod(text, &end);
	if (end == text || v <= 0)
		return FALSE;
	double unit = 1e6;
	if (g_str_equal(end, "ms"))
		unit = 1e3;
	else if (g_str_equal(end, "m"))
		unit = 60e6;
	else if (g_str_equal(end, "h"))
		unit = 3600e6;
	else if (*end && !g_str_equal(end, "s"))
		return FALSE;
	*usec = (gint64)(v * unit);
	return TRUE;
}

static gboolean add_corpus(GPtrArray *entries, const char *selection, GError **error)
{
	g_autofree char *dir = corpus_dir();
	if (!dir) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
		            "--corpus: the crash corpus is not installed (build with meson and run "
		            "from the build tree, or meson install)");
		return FALSE;
	}
	gsize n;
	const CorpusEntry *table = corpus_table(&n);
	g_auto(GStrv) wanted = g_strsplit(selection, ",", -1);
	for (guint w = 0; wanted[w]; w++) {
		gboolean all = g_str_equal(wanted[w], "all");
		const CorpusEntry *one = all ? NULL : corpus_find(wanted[w]);
		if (!all && !one) {
			GString *names = g_string_new(NULL);
			for (gsize i = 0; i < n; i++)
				g_string_append_printf(names, "%s%s", i ? ", " : "", table[i].name);
			g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			            "--corpus: no entry \"%s\" (all, or some of: %s)", wanted[w], names->str);
			g_string_free(names, TRUE);
			return FALSE;
		}
		for (gsize i = 0; i < n; i++) {
			if (!all && &table[i] != one)
				continue;
			Entry *e = g_new0(Entry, 1);
			e->name = table[i].name;
			e->path = g_build_filename(dir, table[i].file, NULL);
			e->corpus = &table[i];
			e->weight = table[i].weight;
			g_ptr_array_add(entries, e);
		}
	}
	return TRUE;
}

int stress_command(int argc, char **argv)
{
	gint64 iterations = 0;
	g_autofree char *duration = NULL, *profile = NULL, *capture = NULL, *corpus = NULL;
	g_autofree char *user = NULL, *html = NULL, *inject = NULL;
	g_auto(GStrv) settings = NULL;
	gint jobs = (gint)g_get_num_processors();
	gint seed = 1, prefork = PREFORK_NOT_GIVEN;
	const gboolean json_asked = cli_wants_json(argc, argv);
	gboolean json = json_asked;
	GOptionEntry options[] = {
		{ "iterations", 'n', 0, G_OPTION_ARG_INT64, &iterations, "Runs in all (default 1000)", "N" },
		{ "duration", 'd', 0, G_OPTION_ARG_STRING, &duration,
		  "Run for this long instead (e.g. 30s, 10m)", "TIME" },
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Children at once (default: the core count)", "J" },
		PREFORK_OPTION_ENTRY(prefork),
		{ "profile", 'p', 0, G_OPTION_ARG_STRING, &profile,
		  "Sandbox profile (default: stress, whose limits the corpus's expectations assume)",
		  "NAME|FILE" },
		{ "capture", 0, 0, G_OPTION_ARG_FILENAME, &capture,
		  "Capture the experts read (default: one with no frames)", "FILE" },
		{ "corpus", 0, 0, G_OPTION_ARG_STRING, &corpus,
		  "Built-in crash corpus entries to mix in: all, or a comma-separated list", "WHICH" },
		{ "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Seed of the draw, to replay a storm (default 1)", "N" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the full report as JSON", NULL },
		{ "html", 0, 0, G_OPTION_ARG_FILENAME, &html,
		  "Also write the report as one self-contained HTML page with charts", "FILE" },
		{ "user", 0, 0, G_OPTION_ARG_STRING, &user,
		  "When run as root, all experts run as this user (default: each job its own unprivileged uid)", "NAME" },
		{ "inject", 0, 0, G_OPTION_ARG_STRING, &inject,
		  "Fault injection for expert authors: sweep each fault over the experts given "
		  "(CLASS@all or alloc:p=P, comma-separated, or all), each under its own profile as "
		  "run chooses it; see below", "SPEC,..." },
		{ "config", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &settings,
		  "With --inject: a setting for an expert, as run takes it; repeatable", "EXPERT:KEY=VALUE" },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) context =
		g_option_context_new("[EXPERT.so...] - run experts over and over and account for everything");
	g_option_context_add_main_entries(context, options, NULL);
	g_option_context_set_summary(context,
		"Runs the given experts and/or the built-in crash corpus (--corpus) again and again,\n"
		"--jobs at a time, and reports outcomes, throughput and latency percentiles, and\n"
		"the executor's own descriptors, memory, pool and children at the start, at the\n"
		"end and at their largest. Growth that does not return, or a corpus entry that\n"
		"does not get its expected outcome, makes the exit status 1.\n\n"
		"With --inject, it runs each expert given once clean, then once per fault the\n"
		"clean run allows (CLASS@all: N = 1, 2, ... up to what the clean run counted;\n"
		"alloc:p=P: --iterations runs, seeds --seed, --seed + 1, ...), and says which\n"
		"faults each survives, printing for every run it did not a command that replays\n"
		"it; the exit status is 1 if any.");
	g_autofree char *faults = inject_options_help();
	g_option_context_set_description(context, faults);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(context, &argc, &argv, &error))
		return cli_usage_error("stress", json_asked, "%s", error->message);
	gint64 duration_usec = 0;
	if (duration && !parse_duration(duration, &duration_usec))
		return cli_usage_error("stress", json, "--duration: \"%s\" is not a time (e.g. 30s, 10m)",
		                       duration);
	if (duration && iterations)
		return cli_usage_error("stress", json, "give --iterations or --duration, not both");
	if (iterations < 0 || jobs < 1 || jobs > 1024)
		return cli_usage_error("stress", json, "--iterations must be positive and --jobs 1 to 1024");
	if (inject) {
		if (corpus || duration)
			return cli_usage_error("stress", json, "--inject tests the experts given: not with "
			                                       "--corpus or --duration");
		if (seed < 0)
			return cli_usage_error("stress", json, "--seed must be 0 or more with --inject");
		StressInjectArgs args = {
			.inject = inject,
			.experts = (const char *const *)&argv[1],
			.n_experts = (guint)(argc - 1),
			.capture = capture,
			.profile = profile,
			.settings = settings,
			.user = user,
			.jobs = (guint)jobs,
			.iterations = (guint64)iterations,
			.seed = (guint64)seed,
			.json = json,
			.html = html,
		};
		return stress_inject_command(&args);
	}
	if (settings)
		return cli_usage_error("stress", json, "--config is for --inject (the corpus takes none)");
	if (prefork != PREFORK_NOT_GIVEN && (prefork < 0 || prefork > PREFORK_MAX))
		return cli_usage_error("stress", json, "--prefork must be between 0 and %d", PREFORK_MAX);
	if (!duration && !iterations)
		iterations = 1000;

	g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func(storm_entry_free);
	if (corpus && !add_corpus(entries, corpus, &error))
		return cli_usage_error("stress", json, "%s", error->message);
	for (int i = 1; i < argc; i++) {
		Entry *e = g_new0(Entry, 1);
		e->name = argv[i];
		e->path = g_strdup(argv[i]);
		/* A user's expert weighs as much as the corpus's well-behaved one. */
		e->weight = corpus ? corpus_find("well-behaved")->weight : 1;
		g_ptr_array_add(entries, e);
	}
	if (entries->len == 0)
		return cli_usage_error("stress", json, "give experts, --corpus, or both "
		                       "(expert-exec stress --help)");

	/* Abandoned outputs must vanish: give the storm a directory of its own
	 * and check it is empty at the end. */
	g_autofree char *output_dir = g_dir_make_tmp("expert-stress-XXXXXX", &error);
	if (!output_dir)
		return cli_usage_error("stress", json, "%s", error->message);
	RunnerOptions ro = {
		.capture_path = capture,
		.profile = profile ? profile : "stress",
		.jobs = (guint)jobs,
		.prefork = prefork != PREFORK_NOT_GIVEN ? (guint)prefork
		                                        : prefork_default_size((guint)jobs),
		.pool_budget = 4ull << 30,
		.output_dir = output_dir,
		.reuse_output_folders = TRUE,
	};
	if (!runner_set_identity(&ro, user, &error))
		return cli_usage_error("stress", json, "%s", error->message);
	g_autoptr(Zygote) zygote = zygote_start(&error);
	g_autoptr(RunResult) setup = zygote ? runner_prepare(zygote, &ro, &error) : NULL;
	if (!setup) {
		g_rmdir(output_dir);
		return cli_usage_error("stress", json, "%s", error->message);
	}

	Storm s = {
		.setup = setup,
		.entries = entries,
		.rand = g_rand_new_with_seed((guint32)seed),
		.jobs = (guint)jobs,
		.target = (guint64)iterations,
		.deadline = duration ? g_get_monotonic_time() + duration_usec : 0,
		.latency_ms = g_array_new(FALSE, FALSE, sizeof(float)),
		.zygote = zygote,
		.loop = g_main_loop_new(NULL, FALSE),
		.tty = !json && isatty(STDERR_FILENO),
	};
	for (guint i = 0; i < entries->len; i++)
		s.total_weight += ((Entry *)g_ptr_array_index(entries, i))->weight;

	g_autoptr(GHashTable) running = g_hash_table_new(g_int64_hash, g_int64_equal);
	s.running_jobs = running;
	storm_start_jobs(&s);
	g_main_loop_run(s.loop);
	/* Children set up for runs that were not needed go before the last
	 * sample, which must find none. */
	prefork_drain(setup->prefork);
	prefork_figures(setup->prefork, &setup->prefork_figures);
	storm_sample(&s, &s.end);
	storm_keep_peak(&s, &s.end);
	storm_progress_line(&s, TRUE);
	if (s.tty)
		fputs("\r\033[K", stderr);

	double secs = (double)(g_get_monotonic_time() - setup->start_usec) / 1e6;
	GArray *sorted = s.latency_ms;
	g_array_sort(sorted, compare_float);
	Leak leak[5];
	guint n_leaks = leaks(&s, leak);
	guint64 unexpected = 0;
	for (guint i = 0; i < entries->len; i++)
		unexpected += ((Entry *)g_ptr_array_index(entries, i))->unexpected;

	/* Anything left in the output directory is an abandoned file the
	 * executor failed to remove. */
	guint leftovers = 0;
	g_autoptr(GDir) dir = g_dir_open(output_dir, 0, NULL);
	for (const char *f; dir && (f = g_dir_read_name(dir));) {
		g_autofree char *path = g_build_filename(output_dir, f, NULL);
		g_unlink(path);
		leftovers++;
	}
	g_rmdir(output_dir);
	if (leftovers)
		n_leaks++;

	g_autoptr(JsonNode) doc = report_json_storm(&s, secs, sorted, n_leaks, leak, unexpected);
	gboolean html_written = !html || html_report_write(html_report_stress, doc, html, &error);
	if (json) {
		g_autofree char *out = json_out_node_text(doc);
		puts(out);
	} else {
		report_text_storm(&s, secs, sorted, n_leaks, leak, unexpected);
		if (leftovers)
			printf("outputs      %u abandoned file(s) were left behind\n", leftovers);
	}
	g_array_unref(s.latency_ms);
	g_rand_free(s.rand);
	g_main_loop_unref(s.loop);
	if (!html_written) {
		fprintf(stderr, "expert-exec stress: %s\n", error->message);
		return CMD_EXIT_USAGE;
	}
	return (n_leaks || unexpected) ? CMD_EXIT_SOME_FAILED : CMD_EXIT_ALL_COMPLETED;
}
