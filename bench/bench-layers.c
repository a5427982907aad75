/* bench-layers.c — what each isolation layer adds to a fork, measured with
 * the zygote's own code (executor/child/zygote-isolation.c,
 * child-landlock.c) against a bare fork+_exit+waitpid from the same
 * process, side by side in each repetition.
 *
 * The process first does what expert-zygote does at start
 * (zygote_isolate: a user namespace when not root, its own pid namespace,
 * an empty root, the shared network and UTS namespaces, PR_SET_MDWE), and
 * says how long that took: a run pays it once. Then, per row, N children
 * made as a job's child is, each ending at once:
 *
 *   pid namespace   zygote_fork_job: a new pid namespace, its idle init
 *                   (clone with CLONE_VM), the child as pid 2, the init
 *                   killed and reaped after the child;
 *   IPC namespace   the child's unshare(CLONE_NEWIPC);
 *   Landlock        the child's two domains (a rule on one file, then
 *                   none), after PR_SET_NO_NEW_PRIVS;
 *   all per-job     the three together: what every job pays;
 *   and two layers expert-exec shares across jobs instead, for the choice:
 *   a network namespace per job, and a mount namespace with its own /proc
 *   per job.
 *
 * Prints markdown rows "| layers: ... |" for scripts/bench.sh, and the
 * one-time cost as a detail. Nothing here asserts on time. */
#include "child/child-landlock.h"
#include "child/zygote-isolation.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REPETITIONS 15
#define FORKS 200

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(double), compare);
	return v[n / 2];
}

enum {
	LAYER_PIDNS = 1 << 0,
	LAYER_IPCNS = 1 << 1,
	LAYER_LANDLOCK = 1 << 2,
	LAYER_NETNS = 1 << 3,
	LAYER_MOUNTNS = 1 << 4,
};

static unsigned landlock_abi;
static int landlock_file = -1;

/* The child's part: what a job's child does for these layers, then exit;
 * a failed step is exit status 1. */
static void child(unsigned layers)
{
	if ((layers & LAYER_IPCNS) && unshare(CLONE_NEWIPC) < 0)
		_exit(1);
	if ((layers & LAYER_NETNS) && unshare(CLONE_NEWNET) < 0)
		_exit(1);
	if ((layers & LAYER_MOUNTNS) &&
	    (unshare(CLONE_NEWNS) < 0 ||
	     mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	           "subset=pid,hidepid=invisible") < 0))
		_exit(1);
	/* Both rulesets (made before the job in a pre-forked child), and both
	 * domains applied. */
	if (layers & LAYER_LANDLOCK) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    child_landlock_prepare(landlock_abi) < 0 ||
		    child_landlock_loading(&landlock_file, 1) < 0 ||
		    child_landlock_loaded() < 0)
			_exit(1);
	}
	_exit(0);
}

static void reap(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("waitpid");
			exit(1);
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench-layers: a child failed\n");
		exit(1);
	}
}

/* Seconds per child, for FORKS children with these layers. */
static double forks(unsigned layers)
{
	double t0 = now();
	for (int i = 0; i < FORKS; i++) {
		pid_t init = 0;
		pid_t pid = (layers & LAYER_PIDNS) ? zygote_fork_job(0, &init) : fork();
		if (pid < 0) {
			perror("fork");
			exit(1);
		}
		if (pid == 0)
			child(layers);
		reap(pid);
		if (init) {
			kill(init, SIGKILL);
			while (waitpid(init, NULL, 0) < 0 && errno == EINTR)
				;
		}
	}
	return (now() - t0) / FORKS;
}

static const struct {
	const char *what;
	unsigned layers;
} rows[] = {
	{ "its own pid namespace (idle init, setns)", LAYER_PIDNS },
	{ "pid namespace + its own IPC namespace", LAYER_PIDNS | LAYER_IPCNS },
	{ "pid namespace + Landlock's two domains", LAYER_PIDNS | LAYER_LANDLOCK },
	{ "every per-job layer: pid + IPC namespaces, Landlock (what each job pays)",
	  LAYER_PIDNS | LAYER_IPCNS | LAYER_LANDLOCK },
	{ "pid namespace + a network namespace of its own (not taken: one is shared)",
	  LAYER_PIDNS | LAYER_NETNS },
	{ "pid namespace + a mount namespace and /proc of its own (not taken: one is shared)",
	  LAYER_PIDNS | LAYER_MOUNTNS },
};
#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

int main(int argc, char **argv)
{
	(void)argc;
	/* Landlock's rule needs a file: this program. */
	/* Above the rulesets' fixed numbers (protocol/child-protocol.h). */
	int opened = open(argv[0], O_RDONLY | O_CLOEXEC);
	landlock_file = opened < 0 ? -1 : fcntl(opened, F_DUPFD_CLOEXEC, 16);
	if (opened >= 0)
		close(opened);
	if (landlock_file < 0) {
		perror(argv[0]);
		return 1;
	}
	double t0 = now();
	ZygoteReady ready;
	zygote_isolate(&ready);
	double setup = now() - t0;
	for (int l = 0; l < ZYGOTE_LAYER_N; l++)
		if (ready.layer_errno[l] > 0) {
			fprintf(stderr, "bench-layers: a layer is missing (%s: %s): nothing to measure\n",
			        ready.layer_step[l], strerror(ready.layer_errno[l]));
			return 1;
		}
	landlock_abi = ready.landlock_abi;

	/* A warm-up of each, then the repetitions. */
	forks(0);
	for (size_t r = 0; r < N_ROWS; r++)
		forks(rows[r].layers);
	static double bare[REPETITIONS], ours[N_ROWS][REPETITIONS], ratio[N_ROWS][REPETITIONS];
	for (int i = 0; i < REPETITIONS; i++) {
		for (size_t r = 0; r < N_ROWS; r++) {
			double b = forks(0);
			ours[r][i] = forks(rows[r].layers);
			ratio[r][i] = ours[r][i] / b;
			bare[i] = b;
		}
	}
	double bare_median = median(bare, REPETITIONS);
	for (size_t r = 0; r < N_ROWS; r++)
		printf("| layers: a child with %s | %.1f us | bare fork+_exit+waitpid, same process: "
		       "%.1f us | %.2f | — | |\n", rows[r].what, median(ours[r], REPETITIONS) * 1e6,
		       bare_median * 1e6, median(ratio[r], REPETITIONS));
	printf("## layers: %d repetitions of %d children per row; once per run, the zygote's own "
	       "layers (user namespace %s, pid namespace, empty root, network and UTS namespaces, "
	       "PR_SET_MDWE) took %.2f ms\n", REPETITIONS, FORKS,
	       ready.layer_errno[ZYGOTE_LAYER_USERNS] == ZYGOTE_LAYER_NOT_NEEDED ? "not needed as root"
	                                                                         : "made",
	       setup * 1e3);
	fflush(stdout);
	return 0;
}
