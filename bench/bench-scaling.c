/* bench-scaling.c — what a whole `expert-exec run` costs as the number of
 * experts and the size of the capture grow, so that growth faster than
 * linear shows.
 *
 * Wall time per run: from spawning `expert-exec run --json ...` to its exit,
 * as this process sees it (process start, zygote start, profile, filter,
 * capture load, every job, report), median of --reps runs (three times as
 * many for runs of a few milliseconds, 1 or 10 experts and captures up to
 * 1 MB, since the first of each kind is what the marginal costs are taken
 * from; at most 3 for 1000 experts and for 1 GB) after a warm-up run.
 *
 *  - Experts: 1, 10, 100 and 1000 copies of the trivial expert (run
 *    returns 0 at once) in one run, one job at a time (run's default), over
 *    a 1 MB capture. Per expert: the wall time over the count, and the
 *    marginal cost, (wall - the 1-expert run's) / (count - 1): flat if each
 *    expert costs the same however many came before.
 *  - Capture size: 1 KB to 1 GB by factors of 10 (synthetic, as in
 *    bench-frames.c), each with the trivial expert (the cost is the load)
 *    and with touch-bytes (load plus reading every byte). Per MB: the wall
 *    time over the size, and the marginal cost over the 1 KB run's.
 *    A size is skipped, with the reason printed in its row, when $TMPDIR
 *    lacks room for the file or memory is short for the executor's copy.
 *
 * No comparison here: these are the shape of the costs, in absolute times
 * on this machine. The target is that the table shows every one of
 * these points; whether it does is printed as an "@target" line. Nothing
 * asserts on time.
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

/* Median wall seconds of `expert-exec run --json capture expert x n`, over
 * reps runs after a warm-up. */
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

static char *capture_path(guint64 kb)
{
	g_autofree char *name = g_strdup_printf("expert-bench-scaling-%d-%" G_GUINT64_FORMAT "KB.pcap",
	                                        (int)getpid(), kb);
	return bench_tmp_path(name);
}

/* Marginal cost per unit beyond the first point, or a dash for the first. */
static char *marginal(double wall, double base_wall, double units, double base_units,
                      const char *unit)
{
	if (units <= base_units)
		return g_strdup("—");
	return g_strdup_printf("%.3f ms per %s", (wall - base_wall) * 1e3 / (units - base_units),
	                       unit);
}

int main(int argc, char **argv)
{
	gint reps = 5;
	GOptionEntry entries[] = {
		{ "reps", 'r', 0, G_OPTION_ARG_INT, &reps, "Repetitions per point (default 5; at most 3 for 1000 experts and 1 GB)", "N" },
		{ "expert-exec", 0, 0, G_OPTION_ARG_FILENAME, &opt_expert_exec, "expert-exec to run", "PATH" },
		{ "trivial", 0, 0, G_OPTION_ARG_FILENAME, &opt_trivial, "The trivial expert", "PATH" },
		{ "touch-bytes", 0, 0, G_OPTION_ARG_FILENAME, &opt_touch, "The touch-bytes expert", "PATH" },
		G_OPTION_ENTRY_NULL
	};
	bench_options(&argc, &argv, entries, "- cost of a run against experts and capture size");
	if (reps < 1 || reps > MAX_REPS)
		bench_die("--reps is 1 to %d", MAX_REPS);
	if (!opt_expert_exec)
		opt_expert_exec = g_strdup(BENCH_EXPERT_EXEC);
	if (!opt_trivial)
		opt_trivial = g_strdup(BENCH_TRIVIAL_SO);
	if (!opt_touch)
		opt_touch = g_strdup(BENCH_TOUCH_BYTES_SO);

	printf("## scaling: wall time of one `expert-exec run`, median of %d after a warm-up "
	       "(of %d for 1 or 10 experts and up to 1 MB, of at most 3 for 1000 experts and for "
	       "1 GB)\n", reps, MIN(reps * 3, MAX_REPS));
	guint points = 0, measured = 0;
	g_autofree char *small = capture_path(1024);
	BenchCapture cap;
	bench_make_capture(small, 1u << 20, SEED, &cap);
	static const guint counts[] = { 1, 10, 100, 1000 };
	double one_expert = 0;
	for (gsize i = 0; i < G_N_ELEMENTS(counts); i++) {
		guint r = counts[i] >= 1000 ? MIN((guint)reps, 3u)
		          : counts[i] <= 10 ? MIN((guint)reps * 3, MAX_REPS) : (guint)reps;
		double w = run_wall(small, opt_trivial, counts[i], r);
		if (i == 0)
			one_expert = w;
		g_autofree char *m = marginal(w, one_expert, counts[i], 1, "expert");
		printf("| %u trivial expert%s, 1 MB capture, 1 job at a time | %.1f ms | %.2f ms per "
		       "expert | %s |\n", counts[i], counts[i] > 1 ? "s" : "", w * 1e3,
		       w * 1e3 / counts[i], m);
		fflush(stdout);
		points++;
		measured++;
	}
	g_unlink(small);

	/* 1 KB to 1 GB by factors of 10 (1 GB: 1024 MB). */
	static const guint64 sizes_kb[] = { 1, 10, 100, 1024, 10240, 102400, 1048576 };
	double base_trivial = 0, base_touch = 0, base_mb = 0;
	for (gsize i = 0; i < G_N_ELEMENTS(sizes_kb); i++) {
		guint64 kb = sizes_kb[i], bytes = kb << 10;
		g_autofree char *label = kb >= 1024 ? g_strdup_printf("%" G_GUINT64_FORMAT " MB", kb >> 10)
		                                    : g_strdup_printf("%" G_GUINT64_FORMAT " KB", kb);
		guint64 disk = bench_disk_free(g_get_tmp_dir()), mem = bench_mem_available();
		points += 2;
		/* The file, and the executor's memfd copy of it with its index. */
		if (disk < bytes + (256u << 20) || mem < 2 * bytes + (512u << 20)) {
			printf("| %s capture | skipped: %" G_GUINT64_FORMAT " MB free in %s, %"
			       G_GUINT64_FORMAT " MB of memory available (needs the file's size on disk "
			       "and about twice it in memory) | | |\n", label, disk >> 20, g_get_tmp_dir(),
			       mem >> 20);
			continue;
		}
		g_autofree char *path = capture_path(kb);
		bench_make_capture(path, bytes, SEED, &cap);
		guint r = kb >= 1048576 ? MIN((guint)reps, 3u)
		          : kb <= 1024 ? MIN((guint)reps * 3, MAX_REPS) : (guint)reps;
		double trivial = run_wall(path, opt_trivial, 1, r);
		double touch = run_wall(path, opt_touch, 1, r);
		g_unlink(path);
		double mb = (double)cap.file_bytes / 1048576.0;
		if (i == 0) {
			base_trivial = trivial;
			base_touch = touch;
			base_mb = mb;
		}
		g_autofree char *m1 = marginal(trivial, base_trivial, mb, base_mb, "MB");
		g_autofree char *m2 = marginal(touch, base_touch, mb, base_mb, "MB");
		printf("| %s capture (%" G_GUINT64_FORMAT " frames), trivial expert | %.1f ms | "
		       "%.2f ms per MB | %s |\n", label, cap.frames, trivial * 1e3, trivial * 1e3 / mb,
		       m1);
		printf("| %s capture, touch-bytes expert (reads every byte) | %.1f ms | %.2f ms per "
		       "MB | %s |\n", label, touch * 1e3, touch * 1e3 / mb, m2);
		fflush(stdout);
		measured += 2;
	}
	bench_target("7", "the scaling table shows 1, 10, 100 and 1000 experts and 1 KB to 1 GB "
	             "captures, with per-unit figures", measured == points,
	             "%u of %u points measured", measured, points);
	return 0;
}
