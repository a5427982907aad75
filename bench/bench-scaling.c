/* bench-scaling.c — what a whole `expert-exec run` costs as the number of
 * experts and the size of the capture grow.
 *
 * Wall time per run: from spawning `expert-exec run --json ...` to its exit,
 * as this process sees it (process start, zygote start, profile, filter,
 * capture load, every job, report), median of --reps runs (at most 3 for
 * 1 GB) after a warm-up run.
 *
 *  - Experts: 1, 10 and 100 copies of the trivial expert (run returns 0 at
 *    once) in one run, one job at a time (run's default), over a 1 MB
 *    capture; also per expert.
 *  - Capture size: 10 MB, 100 MB and 1 GB captures (synthetic, as in
 *    bench-frames.c), each with the trivial expert (the cost is the load)
 *    and with touch-bytes (load plus reading every byte); also per MB.
 *    A size is skipped, with a note, when $TMPDIR lacks room for the file or
 *    memory for the executor's copy and its loading buffers.
 *
 * No comparison here: these are the shape of the costs, in absolute times
 * on this machine. Nothing asserts on time.
 */
#include "bench-util.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <unistd.h>

#ifndef BENCH_TRIVIAL_SO
#define BENCH_TRIVIAL_SO "trivial.so"
#endif
#ifndef BENCH_TOUCH_BYTES_SO
#define BENCH_TOUCH_BYTES_SO "touch-bytes.so"
#endif

#define MAX_REPS 64
#define SEED 0x5ca1ab1eu

static char *opt_expert_exec = NULL, *opt_trivial = NULL, *opt_touch = NULL;

/* Median wall seconds of `expert-exec run --json capture expert x n`. */
static double run_wall(const char *capture, const char *expert, guint n_experts, guint reps)
{
	GPtrArray *argv = g_ptr_array_new();
	g_ptr_array_add(argv, opt_expert_exec);
	g_ptr_array_add(argv, "run");
	g_ptr_array_add(argv, "--json");
	g_ptr_array_add(argv, (char *)capture);
	for (guint i = 0; i < n_experts; i++)
		g_ptr_array_add(argv, (char *)expert);
	g_ptr_array_add(argv, NULL);
	double wall[MAX_REPS];
	for (guint r = 0; r <= reps; r++) {
		double w;
		g_autofree char *text = bench_run((const char *const *)argv->pdata, &w);
		JsonNode *root = bench_json_parse(text);
		for (guint i = 0; i < n_experts; i++) {
			g_autofree char *key = g_strdup_printf("jobs.%u.outcome", i);
			if (!g_str_equal(bench_json_string(root, key), "completed"))
				bench_die("an expert did not complete:\n%s", text);
		}
		json_node_unref(root);
		if (r > 0) /* the first is the warm-up */
			wall[r - 1] = w;
	}
	g_ptr_array_unref(argv);
	return bench_median(wall, reps);
}

static char *capture_path(guint64 mb)
{
	g_autofree char *name = g_strdup_printf("expert-bench-scaling-%d-%" G_GUINT64_FORMAT "MB.pcap",
	                                        (int)getpid(), mb);
	return bench_tmp_path(name);
}

int main(int argc, char **argv)
{
	gint reps = 5;
	GOptionEntry entries[] = {
		{ "reps", 'r', 0, G_OPTION_ARG_INT, &reps, "Repetitions per point (default 5; at most 3 for 1 GB)", "N" },
		{ "expert-exec", 0, 0, G_OPTION_ARG_FILENAME, &opt_expert_exec, "expert-exec to run", "PATH" },
		{ "trivial", 0, 0, G_OPTION_ARG_FILENAME, &opt_trivial, "The trivial expert", "PATH" },
		{ "touch-bytes", 0, 0, G_OPTION_ARG_FILENAME, &opt_touch, "The touch-bytes expert", "PATH" },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) context =
		g_option_context_new("- cost of a run against experts and capture size");
	g_option_context_add_main_entries(context, entries, NULL);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(context, &argc, &argv, &error))
		bench_die("%s", error->message);
	if (reps < 1 || reps > MAX_REPS)
		bench_die("--reps is 1 to %d", MAX_REPS);
	if (!opt_expert_exec)
		opt_expert_exec = g_strdup(BENCH_EXPERT_EXEC);
	if (!opt_trivial)
		opt_trivial = g_strdup(BENCH_TRIVIAL_SO);
	if (!opt_touch)
		opt_touch = g_strdup(BENCH_TOUCH_BYTES_SO);

	printf("## scaling: wall time of one `expert-exec run`, median of %d after a warm-up "
	       "(of at most 3 for 1 GB)\n", reps);
	g_autofree char *small = capture_path(1);
	BenchCapture cap;
	bench_make_capture(small, 1u << 20, SEED, &cap);
	static const guint counts[] = { 1, 10, 100 };
	for (gsize i = 0; i < G_N_ELEMENTS(counts); i++) {
		double w = run_wall(small, opt_trivial, counts[i], (guint)reps);
		printf("| %u trivial expert%s, 1 MB capture, 1 job at a time | %.1f ms | %.2f ms per "
		       "expert |\n", counts[i], counts[i] > 1 ? "s" : "", w * 1e3, w * 1e3 / counts[i]);
		fflush(stdout);
	}
	g_unlink(small);

	static const guint64 sizes_mb[] = { 10, 100, 1024 };
	for (gsize i = 0; i < G_N_ELEMENTS(sizes_mb); i++) {
		guint64 mb = sizes_mb[i], bytes = mb << 20;
		guint64 disk = bench_disk_free(g_get_tmp_dir()), mem = bench_mem_available();
		/* The file, the executor's memfd copy and its loading buffers. */
		if (disk < bytes + (256u << 20) || mem < 3 * bytes + (512u << 20)) {
			printf("| %" G_GUINT64_FORMAT " MB capture | skipped: %" G_GUINT64_FORMAT " MB free "
			       "in %s, %" G_GUINT64_FORMAT " MB of memory available (needs the file's "
			       "size on disk and about 3 times it in memory) | |\n", mb, disk >> 20,
			       g_get_tmp_dir(), mem >> 20);
			continue;
		}
		g_autofree char *path = capture_path(mb);
		bench_make_capture(path, bytes, SEED, &cap);
		/* A run over 1 GB takes seconds: fewer of them. */
		guint r = mb >= 1024 ? MIN((guint)reps, 3u) : (guint)reps;
		double trivial = run_wall(path, opt_trivial, 1, r);
		double touch = run_wall(path, opt_touch, 1, r);
		g_unlink(path);
		printf("| %" G_GUINT64_FORMAT " MB capture (%" G_GUINT64_FORMAT " frames), trivial "
		       "expert | %.1f ms | %.2f ms per MB |\n", mb, cap.frames, trivial * 1e3,
		       trivial * 1e3 / (double)mb);
		printf("| %" G_GUINT64_FORMAT " MB capture, touch-bytes expert (reads every byte) | "
		       "%.1f ms | %.2f ms per MB |\n", mb, touch * 1e3, touch * 1e3 / (double)mb);
		fflush(stdout);
	}
	return 0;
}
