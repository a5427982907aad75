/* bench-throughput.c — runs per second with every core busy, against a bare
 * fork loop on every core.
 *
 * Ours: `expert-exec stress --iterations RUNS --jobs CORES --profile default
 * --json trivial.so`; its "runs_per_second" is the runs over the storm's wall
 * time (bench-spawn.c says what that covers).
 *
 * Against, right after it in the same repetition and for the same wall time
 * as that storm took: one process per core, each forking, _exit(0)ing and
 * reaping children in a loop; forks per second is all of theirs over the
 * time. The forking processes are this one (forked) after it has grown to
 * expert-exec's anonymous resident size, for the reasons bench-spawn.c
 * gives: fork copies the page tables of anonymous memory, so a bigger
 * parent forks more slowly.
 *
 * The ratio is ours over the fork loop's rate (higher is better; 1 would be
 * the fork loop's rate), taken within each repetition; its median is
 * printed, with the median of each side. The target (issue 14, point 2):
 * at least 0.6 with --jobs = cores. Nothing asserts on time.
 */
#include "bench-util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef BENCH_TRIVIAL_SO
#define BENCH_TRIVIAL_SO "trivial.so"
#endif

#define MAX_REPS 64

static char *opt_expert_exec = NULL, *opt_trivial = NULL;


/* One worker: forks until the deadline, then writes its count. */
G_NORETURN static void worker(double deadline, int out_fd)
{
	guint64 n = 0;
	while (bench_now() < deadline) {
		pid_t pid = fork();
		if (pid < 0)
			_exit(2);
		if (pid == 0)
			_exit(0);
		int status;
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				_exit(2);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			_exit(2);
		n++;
	}
	_exit(write(out_fd, &n, sizeof(n)) == sizeof(n) ? 0 : 2);
}

/* Forks per second of `workers` processes forking for `seconds`. */
static double fork_rate(guint workers, double seconds)
{
	int fds[2];
	if (pipe(fds) < 0)
		bench_die("pipe: %s", g_strerror(errno));
	double t0 = bench_now(), deadline = t0 + seconds;
	pid_t pids[1024];
	for (guint w = 0; w < workers; w++) {
		pids[w] = fork();
		if (pids[w] < 0)
			bench_die("fork: %s", g_strerror(errno));
		if (pids[w] == 0) {
			close(fds[0]);
			worker(deadline, fds[1]);
		}
	}
	close(fds[1]);
	guint64 total = 0;
	for (guint w = 0; w < workers; w++) {
		guint64 n;
		if (read(fds[0], &n, sizeof(n)) != sizeof(n))
			bench_die("a fork worker failed");
		total += n;
	}
	double elapsed = bench_now() - t0;
	close(fds[0]);
	for (guint w = 0; w < workers; w++) {
		int status;
		while (waitpid(pids[w], &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bench_die("a fork worker failed (status %#x)", status);
	}
	return (double)total / elapsed;
}

int main(int argc, char **argv)
{
	gint reps = 9, runs = 600;
	gint cores = (gint)g_get_num_processors();
	GOptionEntry entries[] = {
		{ "reps", 'r', 0, G_OPTION_ARG_INT, &reps, "Repetitions (default 9)", "N" },
		{ "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Runs per storm (default 600)", "N" },
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &cores, "Jobs and fork workers (default: the core count)", "N" },
		{ "expert-exec", 0, 0, G_OPTION_ARG_FILENAME, &opt_expert_exec, "expert-exec to run", "PATH" },
		{ "trivial", 0, 0, G_OPTION_ARG_FILENAME, &opt_trivial, "The trivial expert", "PATH" },
		G_OPTION_ENTRY_NULL
	};
	bench_options(&argc, &argv, entries, "- throughput: ours against fork loops on every core");
	if (reps < 1 || reps > MAX_REPS || runs < 1 || cores < 1 || cores > 1024)
		bench_die("--reps is 1 to %d, --jobs 1 to 1024, --runs positive", MAX_REPS);
	if (!opt_expert_exec)
		opt_expert_exec = g_strdup(BENCH_EXPERT_EXEC);
	if (!opt_trivial)
		opt_trivial = g_strdup(BENCH_TRIVIAL_SO);

	BenchStorm warm;
	bench_storm(opt_expert_exec, opt_trivial, 300, (guint)cores, -1, &warm);
	BenchSizes sizes;
	bench_probe_sizes(opt_expert_exec, opt_trivial, &sizes);
	bench_pad(0, sizes.exec_anon);
	fork_rate((guint)cores, 0.1);

	double ours[MAX_REPS], bare[MAX_REPS], ratio[MAX_REPS];
	for (int i = 0; i < reps; i++) {
		BenchStorm s;
		bench_storm(opt_expert_exec, opt_trivial, (guint)runs, (guint)cores, -1, &s);
		ours[i] = s.runs_per_s;
		bare[i] = fork_rate((guint)cores, s.seconds);
		ratio[i] = ours[i] / bare[i];
		fprintf(stderr, "rep %d: ours %.0f runs/s over %.2f s, fork loops %.0f forks/s\n", i + 1,
		        ours[i], s.seconds, bare[i]);
	}
	guint n = (guint)reps;
	double m_ours = bench_median(ours, n), m_bare = bench_median(bare, n);
	double q = bench_median(ratio, n);
	printf("## throughput: %d repetitions of %d runs, %d at once\n", reps, runs, cores);
	printf("| throughput, %d jobs: trivial expert, runs per second (below 1: fewer than the "
	       "fork loop) | %.0f /s | bare fork loop in "
	       "%d processes of expert-exec's size (%.1f MiB anonymous resident), same time: %.0f /s "
	       "| %.2f | >= 0.6 | %s |\n", cores, m_ours, cores, (double)sizes.exec_anon / 1048576.0,
	       m_bare, q, q >= 0.6 ? "**met**" : "**not met**");
	bench_target("2", "throughput with --jobs = cores at least 0.6 times a bare fork loop on "
	             "every core", q >= 0.6, "%.2f (%.0f runs/s against %.0f forks/s, %d jobs)", q,
	             m_ours, m_bare, cores);
	return 0;
}
