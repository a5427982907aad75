/* bench-memfd.c — the choices behind the capture's memfd, measured side by
 * side on this machine: how the executor fills it (capture-loader.c), and
 * how a child's read-only mapping of it gets its pages.
 *
 * Filling SIZE MB (default 300) of a fresh memfd from a 256 KiB buffer that
 * stays in the CPU's cache, as the loader's staging buffer does, then sealing
 * it as the loader does:
 *  - pwrite, a buffer at a time (the loader's choice);
 *  - a writable shared mapping and memcpy: a page fault per page;
 *  - fallocate, a writable mapping with MAP_POPULATE, and memcpy;
 *  - a writable mapping with MADV_HUGEPAGE and memcpy, where the kernel
 *    offers huge pages for shared memory (transparent_hugepage/
 *    shmem_enabled not "never" or "deny"); else the line says so.
 * A child's walk of the sealed memfd (fork, map read-only, sum every byte,
 * exit; timed to its reaping), as a job's child reads frames:
 *  - lazily, the kernel mapping sixteen pages per read fault (fault-around;
 *    the children's choice);
 *  - with MAP_POPULATE: every page mapped by mmap itself;
 *  - and what a child that reads nothing pays for each.
 * Each repetition runs every side once; medians are printed, with each
 * side's ratio to the choice made. Nothing asserts on time.
 */
#include "bench-util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_REPS 64
#define STAGE    (256u << 10)
#define SEALS    (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)

typedef enum { FILL_PWRITE, FILL_MAP, FILL_FALLOCATE_POPULATE, FILL_HUGE, FILL_N } Fill;

static const char *const fill_names[FILL_N] = {
	"pwrite from the staging buffer (ours)",
	"writable mapping, memcpy",
	"fallocate, MAP_POPULATE, memcpy",
	"writable mapping with MADV_HUGEPAGE, memcpy",
};

static guint8 stage[STAGE];

static void check(gboolean ok, const char *what)
{
	if (!ok)
		bench_die("%s: %s", what, g_strerror(errno));
}

/* A sealed memfd of size bytes, filled the given way; its time in *s. */
static int fill(Fill how, gsize size, double *s)
{
	double t0 = bench_now();
	int fd = memfd_create("bench-memfd", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	check(fd >= 0, "memfd_create");
	if (how == FILL_PWRITE) {
		for (gsize off = 0; off < size; off += STAGE)
			check(pwrite(fd, stage, MIN(STAGE, size - off), (off_t)off) ==
			      (ssize_t)MIN(STAGE, size - off), "pwrite");
	} else {
		check(ftruncate(fd, (off_t)size) == 0, "ftruncate");
		if (how == FILL_FALLOCATE_POPULATE)
			check(fallocate(fd, 0, 0, (off_t)size) == 0, "fallocate");
		int flags = MAP_SHARED | (how == FILL_FALLOCATE_POPULATE ? MAP_POPULATE : 0);
		guint8 *m = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, fd, 0);
		check(m != MAP_FAILED, "mmap");
		if (how == FILL_HUGE)
			check(madvise(m, size, MADV_HUGEPAGE) == 0, "madvise(MADV_HUGEPAGE)");
		for (gsize off = 0; off < size; off += STAGE)
			memcpy(m + off, stage, MIN(STAGE, size - off));
		munmap(m, size);
	}
	check(fcntl(fd, F_ADD_SEALS, SEALS) == 0, "sealing");
	*s = bench_now() - t0;
	return fd;
}

/* Fork, map, (walk,) exit; seconds to the reaping. */
static double child(int fd, gsize size, gboolean populate, gboolean walk)
{
	double t0 = bench_now();
	pid_t pid = fork();
	check(pid >= 0, "fork");
	if (pid == 0) {
		const guint8 *m = mmap(NULL, size, PROT_READ, MAP_SHARED | (populate ? MAP_POPULATE : 0),
		                       fd, 0);
		if (m == MAP_FAILED)
			_exit(1);
		guint64 sum = 0;
		for (gsize i = 0; walk && i < size; i++)
			sum += m[i];
		_exit(sum == 1); /* 0, unless the bytes are not what was written */
	}
	int status;
	check(waitpid(pid, &status, 0) == pid, "waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		bench_die("a child failed its walk");
	return bench_now() - t0;
}

/* transparent_hugepage/shmem_enabled, the bracketed choice; NULL if none. */
static char *shmem_thp(void)
{
	g_autofree char *text = NULL;
	if (!g_file_get_contents("/sys/kernel/mm/transparent_hugepage/shmem_enabled", &text, NULL, NULL))
		return NULL;
	const char *open = strchr(text, '['), *close = open ? strchr(open, ']') : NULL;
	return close ? g_strndup(open + 1, (gsize)(close - open - 1)) : NULL;
}

int main(int argc, char **argv)
{
	gint reps = 5;
	GOptionEntry entries[] = {
		{ "reps", 'r', 0, G_OPTION_ARG_INT, &reps, "Repetitions (default 5)", "N" },
		G_OPTION_ENTRY_NULL
	};
	bench_options(&argc, &argv, entries, "[SIZE_MB] - filling and mapping the capture's memfd");
	guint64 size_mb = argc > 1 ? g_ascii_strtoull(argv[1], NULL, 10) : 300;
	if (size_mb < 1 || reps < 1 || reps > MAX_REPS)
		bench_die("SIZE_MB must be positive and --reps 1 to %d", MAX_REPS);
	gsize size = (gsize)size_mb << 20;
	if (bench_mem_available() < 3 * (guint64)size + (512u << 20))
		bench_die("not enough memory for two %" G_GUINT64_FORMAT " MB memfds (give a smaller SIZE_MB)",
		          size_mb);
	for (gsize i = 0; i < STAGE; i++)
		stage[i] = (guint8)(i * 7 + 1);
	g_autofree char *thp = shmem_thp();
	gboolean huge = thp && !g_str_equal(thp, "never") && !g_str_equal(thp, "deny");

	double t_fill[FILL_N][MAX_REPS], r_fill[FILL_N][MAX_REPS];
	double lazy[MAX_REPS], pop[MAX_REPS], lazy0[MAX_REPS], pop0[MAX_REPS], r_pop[MAX_REPS];
	for (int warm = 1, i = 0; i < reps; warm = 0) {
		int fds[FILL_N];
		for (Fill f = 0; f < FILL_N; f++) {
			fds[f] = -1;
			if (f != FILL_HUGE || huge)
				fds[f] = fill(f, size, &t_fill[f][i]);
			if (fds[f] >= 0 && f != FILL_PWRITE)
				close(fds[f]); /* only the loader's kind is walked */
		}
		lazy[i] = child(fds[FILL_PWRITE], size, FALSE, TRUE);
		pop[i] = child(fds[FILL_PWRITE], size, TRUE, TRUE);
		lazy0[i] = child(fds[FILL_PWRITE], size, FALSE, FALSE);
		pop0[i] = child(fds[FILL_PWRITE], size, TRUE, FALSE);
		close(fds[FILL_PWRITE]);
		if (warm)
			continue; /* the first round only warms up */
		for (Fill f = 0; f < FILL_N; f++)
			r_fill[f][i] = f != FILL_HUGE || huge ? t_fill[f][i] / t_fill[FILL_PWRITE][i] : 0;
		r_pop[i] = pop[i] / lazy[i];
		i++;
	}
	guint n = (guint)reps;
	printf("## memfd, %" G_GUINT64_FORMAT " MB, median of %d: filling it (ratio to pwrite): ",
	       size_mb, reps);
	for (Fill f = 0; f < FILL_N; f++) {
		if (f == FILL_HUGE && !huge) {
			printf("%s: not offered here (shmem_enabled %s)", fill_names[f], thp ? thp : "absent");
			continue;
		}
		printf("%s: %.1f ms (%.2f)%s", fill_names[f], bench_median(t_fill[f], n) * 1e3,
		       bench_median(r_fill[f], n), f + 1 < FILL_N ? "; " : "");
	}
	printf("\n## memfd, %" G_GUINT64_FORMAT " MB: a child's walk of every byte, fork to reaped "
	       "(ratio to lazy): lazy read faults (ours) %.1f ms; MAP_POPULATE %.1f ms (%.2f); a "
	       "child that reads nothing: lazy %.2f ms, MAP_POPULATE %.1f ms\n", size_mb,
	       bench_median(lazy, n) * 1e3, bench_median(pop, n) * 1e3, bench_median(r_pop, n),
	       bench_median(lazy0, n) * 1e3, bench_median(pop0, n) * 1e3);
	return 0;
}
