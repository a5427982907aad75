/* bench-spawn.c — what one run of a trivial expert costs, against forking.
 *
 * Ours: `expert-exec stress --iterations RUNS --jobs 1 --profile default
 * --json trivial.so`, whose expert returns 0 at once, so each run is only the
 * executor's cycle. With the default pool of children forked ahead of their
 * jobs (--prefork 2 for one job at a time: jobs/prefork.h), a run takes a
 * child already set up (descriptors, rlimits, mappings, identity,
 * namespaces, Landlock's rulesets, the seccomp filter), hands it the object
 * and START, and the child loads it (the loader's calls decided in the
 * kernel), registers, runs and exits; then the zygote's reap and report,
 * the executor's reclaim; meanwhile the pool asks the zygote for the next
 * run's child. Per run is the storm's wall time (the JSON's "seconds": from
 * before the profile is loaded to the last run reclaimed, so it leaves out
 * only the process's own start) divided by its runs; the storm's p50
 * latency (request to reclaimed) is printed too. The children's own fork,
 * which a run no longer waits for, is reported separately: the zygote's
 * time for each fork, from the storm's JSON (prefork); and the
 * same storm with --prefork 0, each run's child forked when the run starts,
 * for what the pool takes off the latency. Back to back, the pool's forks
 * and setups run on the other core at the same time as the runs: they are
 * in the per-run figure, and in the latency only as far as they compete
 * for the cores.
 *
 * Against, in the same repetition:
 *
 *  (a) a bare fork loop: fork(), _exit(0) in the child, waitpid(), from this
 *      process grown to expert-exec's size. Size matters because fork
 *      copies the parent's page tables: every resident anonymous page is an
 *      entry to copy at fork and to tear down at exit, so an executor that
 *      forks its children itself pays per run in proportion to its own
 *      size. Pages of mapped files (the libraries' code) are not copied: the
 *      child faults them in again if it needs them. So the size matched is
 *      expert-exec's anonymous resident memory (RssAnon in /proc/PID/status,
 *      read while a storm runs; its total resident size is printed too):
 *      this process writes fresh anonymous memory, in 4 KiB pages as
 *      malloc's heap is (no huge pages), until its own RssAnon is at least
 *      that. Matching the total instead would pad this process by the
 *      difference in library pages, make its forks slower, and flatter us.
 *  (b) what a naive executor does: the same fork loop from the same process,
 *      but each child compiles the default profile's rules with libseccomp
 *      (the rules of the very profile ours runs under, parsed once by the
 *      executor's own parser) and installs them with seccomp_load() before
 *      _exit(0). No descriptors, rlimits, loading or reporting: only the fork
 *      and the filter.
 *  (c) for reference, the bare fork loop from a minimal C program
 *      (fork-floor.c): the floor for a fork server as small as our zygote.
 *      Its size and the zygote's are printed.
 *
 * The targets: ours at most 1.3 times (a), and below (b) (the spawn issue's);
 * and the p50 latency of ours, from request to reaped and reclaimed, at
 * most (c) (issue 14, point 1: there (c) is "a bare fork+exit+wait from a
 * minimal program"; its per-fork time is a mean over the loop, which for a
 * loop of identical forks is as good as a median). Whether each is met is
 * printed as measured.
 *
 * Issue 14, point 3, wants the loader's calls that still reach the executor
 * counted per job in --json, zero for an object that needs nothing beyond
 * libc and libexpert: a run of the trivial expert is asked for
 * jobs[0].loader_round_trips, and the verdict says when there is none.
 *
 * Each repetition runs ours, (a), (b) and (c) in turn; the ratios are taken
 * within a repetition and their median is printed, with the median of each
 * side. Nothing asserts on time.
 */
#include "bench-util.h"

#include "profiles/profile.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef BENCH_TRIVIAL_SO
#define BENCH_TRIVIAL_SO "trivial.so"
#endif
#ifndef BENCH_FORK_FLOOR
#define BENCH_FORK_FLOOR "bench-fork-floor"
#endif
#ifndef BENCH_PROFILES_DIR
#define BENCH_PROFILES_DIR "sandbox-profiles"
#endif

#define MAX_REPS 64

static char *opt_expert_exec = NULL, *opt_trivial = NULL, *opt_fork_floor = NULL;

/* ---- ours --------------------------------------------------------------- */


/* ---- the comparisons ---------------------------------------------------- */

static void reap(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			bench_die("waitpid: %s", g_strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		bench_die("a child of the fork loop failed (status %#x)", status);
}

/* Seconds per fork + _exit + waitpid. */
static double bare_fork_loop(guint n)
{
	double t0 = bench_now();
	for (guint i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			bench_die("fork: %s", g_strerror(errno));
		if (pid == 0)
			_exit(0);
		reap(pid);
	}
	return (bench_now() - t0) / n;
}

static uint32_t naive_action(const ProfileAction *a)
{
	switch (a->kind) {
	case PROFILE_ACTION_ALLOW: return SCMP_ACT_ALLOW;
	case PROFILE_ACTION_KILL: return SCMP_ACT_KILL_PROCESS;
	case PROFILE_ACTION_NOTIFY: return SCMP_ACT_NOTIFY;
	case PROFILE_ACTION_ERRNO: return SCMP_ACT_ERRNO((uint16_t)a->errno_value);
	case PROFILE_ACTION_TRAP: return SCMP_ACT_TRAP;
	case PROFILE_ACTION_LOG: return SCMP_ACT_LOG;
	}
	return SCMP_ACT_KILL_PROCESS;
}

/* The profile's rules, straight into libseccomp, as an executor without a
 * precompiled filter would do in each child. */
static scmp_filter_ctx naive_compile(const Profile *profile)
{
	uint32_t def = naive_action(&profile->default_action);
	scmp_filter_ctx ctx = seccomp_init(def);
	if (!ctx || seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0)
		return NULL;
	for (guint i = 0; i < profile->rules->len; i++) {
		const ProfileRule *rule = g_ptr_array_index(profile->rules, i);
		uint32_t action = naive_action(&rule->action);
		if (action == def)
			continue;
		guint n_alt = rule->alternatives ? rule->alternatives->len : 0;
		if (n_alt == 0 && seccomp_rule_add_exact_array(ctx, action, rule->nr, 0, NULL) < 0)
			goto fail;
		for (guint k = 0; k < n_alt; k++) {
			const ProfileAlternative *alt =
				&g_array_index(rule->alternatives, ProfileAlternative, k);
			struct scmp_arg_cmp cmp[PROFILE_MAX_CONDITIONS];
			for (guint c = 0; c < alt->n_conditions; c++) {
				const ProfileCondition *pc = &alt->conditions[c];
				static const enum scmp_compare ops[] = {
					[PROFILE_CMP_EQ] = SCMP_CMP_EQ, [PROFILE_CMP_NE] = SCMP_CMP_NE,
					[PROFILE_CMP_LT] = SCMP_CMP_LT, [PROFILE_CMP_LE] = SCMP_CMP_LE,
					[PROFILE_CMP_GT] = SCMP_CMP_GT, [PROFILE_CMP_GE] = SCMP_CMP_GE,
					[PROFILE_CMP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
				};
				gboolean masked = pc->op == PROFILE_CMP_MASKED_EQ;
				cmp[c] = (struct scmp_arg_cmp){ .arg = pc->arg, .op = ops[pc->op],
				                                .datum_a = masked ? pc->mask : pc->value,
				                                .datum_b = masked ? pc->value : 0 };
			}
			int r = seccomp_rule_add_exact_array(ctx, action, rule->nr, alt->n_conditions, cmp);
			if (r < 0 && r != -EEXIST)
				goto fail;
		}
	}
	return ctx;
fail:
	seccomp_release(ctx);
	return NULL;
}

/* Seconds per fork + compile + seccomp_load + _exit + waitpid. */
static double seccomp_fork_loop(const Profile *profile, guint n)
{
	double t0 = bench_now();
	for (guint i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			bench_die("fork: %s", g_strerror(errno));
		if (pid == 0) {
			scmp_filter_ctx ctx = naive_compile(profile);
			_exit(ctx && seccomp_load(ctx) == 0 ? 0 : 1);
		}
		reap(pid);
	}
	return (bench_now() - t0) / n;
}

/* Instructions of the naive filter, to show it is comparable in size. */
static guint naive_filter_insns(const Profile *profile)
{
	scmp_filter_ctx ctx = naive_compile(profile);
	if (!ctx)
		bench_die("libseccomp refused the default profile's rules");
	FILE *f = tmpfile();
	if (!f || seccomp_export_bpf(ctx, fileno(f)) < 0)
		bench_die("cannot export the naive filter");
	off_t size = lseek(fileno(f), 0, SEEK_END);
	fclose(f);
	seccomp_release(ctx);
	return (guint)(size / 8);
}

/* "# 81 BPF instructions (648 bytes) in the filter a child installs". */
static guint executor_filter_insns(void)
{
	const char *argv[] = { opt_expert_exec, "profile", "show", "--bpf", "default", NULL };
	g_autofree char *text = bench_run(argv, NULL);
	const char *line = g_strrstr(text, "\n# ");
	guint n = 0;
	if (!line || sscanf(line, "\n# %u BPF instructions", &n) != 1)
		bench_die("cannot read the filter size from profile show --bpf");
	return n;
}

/* (c): the bare loop in a minimal process (fork-floor.c). */
static double floor_loop(guint n, guint64 *rss, guint64 *anon)
{
	g_autofree char *count = g_strdup_printf("%u", n);
	const char *argv[] = { opt_fork_floor, count, NULL };
	g_autofree char *text = bench_run(argv, NULL);
	double per;
	unsigned long long r, a;
	if (sscanf(text, "%lf %llu %llu", &per, &r, &a) != 3)
		bench_die("%s printed \"%s\"", opt_fork_floor, text);
	*rss = r;
	*anon = a;
	return per;
}

/* ---- the report --------------------------------------------------------- */

/* Point 3: what --json says of the loader's round trips, if anything. */
static void report_round_trips(void)
{
	g_autofree char *name = g_strdup_printf("expert-bench-spawn-%d.pcap", (int)getpid());
	g_autofree char *capture = bench_tmp_path(name);
	BenchCapture cap;
	bench_make_capture(capture, 1, 1, &cap);
	const char *argv[] = { opt_expert_exec, "run", "--json", capture, opt_trivial, NULL };
	g_autofree char *text = bench_run(argv, NULL);
	g_unlink(capture);
	JsonNode *root = bench_json_parse(text);
	gint64 trips = 0;
	if (bench_json_has_int(root, "jobs.0.loader_round_trips", &trips))
		bench_target("3", "no round trip to load: the loader's notified calls counted per job "
		             "in --json, zero for an object needing only libc and libexpert",
		             trips == 0, "%" G_GINT64_FORMAT " for the trivial expert", trips);
	else
		bench_target("3", "no round trip to load: the loader's notified calls counted per job "
		             "in --json, zero for an object needing only libc and libexpert", FALSE,
		             "not counted: --json has no jobs[].loader_round_trips yet");
	json_node_unref(root);
}

static double ms(double s)
{
	return s * 1e3;
}

static const char *verdict(gboolean met)
{
	return met ? "**met**" : "**not met**";
}

static double mib(guint64 bytes)
{
	return (double)bytes / 1048576.0;
}

int main(int argc, char **argv)
{
	gint reps = 21, runs = 300, forks = 300, seccomp_forks = 100;
	GOptionEntry entries[] = {
		{ "reps", 'r', 0, G_OPTION_ARG_INT, &reps, "Repetitions (default 21)", "N" },
		{ "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Runs of the trivial expert per repetition (default 300)", "N" },
		{ "forks", 0, 0, G_OPTION_ARG_INT, &forks, "Bare forks per repetition (default 300)", "N" },
		{ "seccomp-forks", 0, 0, G_OPTION_ARG_INT, &seccomp_forks,
		  "Fork + seccomp_load per repetition (default 100)", "N" },
		{ "expert-exec", 0, 0, G_OPTION_ARG_FILENAME, &opt_expert_exec, "expert-exec to run", "PATH" },
		{ "trivial", 0, 0, G_OPTION_ARG_FILENAME, &opt_trivial, "The trivial expert", "PATH" },
		{ "fork-floor", 0, 0, G_OPTION_ARG_FILENAME, &opt_fork_floor, "bench-fork-floor", "PATH" },
		G_OPTION_ENTRY_NULL
	};
	bench_options(&argc, &argv, entries, "- spawn cost: ours against fork loops");
	if (reps < 1 || reps > MAX_REPS || runs < 1 || forks < 1 || seccomp_forks < 1)
		bench_die("--reps is 1 to %d; counts are positive", MAX_REPS);
	if (!opt_expert_exec)
		opt_expert_exec = g_strdup(BENCH_EXPERT_EXEC);
	if (!opt_trivial)
		opt_trivial = g_strdup(BENCH_TRIVIAL_SO);
	if (!opt_fork_floor)
		opt_fork_floor = g_strdup(BENCH_FORK_FLOOR);

	g_autofree char *profile_path = g_build_filename(BENCH_PROFILES_DIR, "default.profile", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(Profile) profile = profile_load(profile_path, &error);
	if (!profile)
		bench_die("%s", error->message);

	/* A warm-up storm (caches, the object in the page cache), then the
	 * sizes of expert-exec and the zygote while another runs. */
	BenchStorm warm;
	bench_storm(opt_expert_exec, opt_trivial, 300, 1, -1, &warm);
	BenchSizes sizes;
	bench_probe_sizes(opt_expert_exec, opt_trivial, &sizes);
	guint64 own_rss, own_anon, rss, anon;
	bench_proc_memory(0, &own_rss, &own_anon);
	guint64 padded = bench_pad(0, sizes.exec_anon);
	bench_proc_memory(0, &rss, &anon);
	bare_fork_loop(100);
	seccomp_fork_loop(profile, 30);

	double ours[MAX_REPS], p50[MAX_REPS], bare[MAX_REPS], sec[MAX_REPS], flo[MAX_REPS];
	double r_bare[MAX_REPS], r_sec[MAX_REPS], r_flo[MAX_REPS], r_lat[MAX_REPS];
	double fork_s[MAX_REPS], p50_unforked[MAX_REPS], r_unforked[MAX_REPS];
	guint64 floor_rss = 0, floor_anon = 0, forked = 0, on_ready = 0;
	for (int i = 0; i < reps; i++) {
		BenchStorm s, unforked;
		bench_storm(opt_expert_exec, opt_trivial, (guint)runs, 1, -1, &s);
		bench_storm(opt_expert_exec, opt_trivial, (guint)runs, 1, 0, &unforked);
		ours[i] = s.per_run_s;
		p50[i] = s.p50_s;
		fork_s[i] = s.fork_s;
		forked += s.forked;
		on_ready += s.on_ready;
		p50_unforked[i] = unforked.p50_s;
		bare[i] = bare_fork_loop((guint)forks);
		sec[i] = seccomp_fork_loop(profile, (guint)seccomp_forks);
		flo[i] = floor_loop((guint)forks, &floor_rss, &floor_anon);
		r_bare[i] = ours[i] / bare[i];
		r_sec[i] = ours[i] / sec[i];
		r_flo[i] = ours[i] / flo[i];
		r_lat[i] = p50[i] / flo[i];
		r_unforked[i] = p50_unforked[i] / flo[i];
		fprintf(stderr, "rep %d: ours %.3f ms/run (p50 %.3f ms; forked on request %.3f ms), "
		        "bare fork %.3f ms, fork+seccomp %.3f ms, minimal fork %.3f ms\n", i + 1,
		        ms(ours[i]), ms(p50[i]), ms(p50_unforked[i]), ms(bare[i]), ms(sec[i]), ms(flo[i]));
	}
	guint n = (guint)reps;
	double m_ours = bench_median(ours, n), m_p50 = bench_median(p50, n);
	double m_bare = bench_median(bare, n), m_sec = bench_median(sec, n), m_flo = bench_median(flo, n);
	double q_bare = bench_median(r_bare, n), q_sec = bench_median(r_sec, n);
	double q_flo = bench_median(r_flo, n), q_lat = bench_median(r_lat, n);
	double m_fork = bench_median(fork_s, n), m_unforked = bench_median(p50_unforked, n);
	double q_unforked = bench_median(r_unforked, n);

	printf("## spawn: %d repetitions of %d runs (ours), %d bare forks, %d forks + seccomp\n",
	       reps, runs, forks, seccomp_forks);
	printf("resident (anonymous) MiB: expert-exec %.1f (%.1f), %.1f after a storm; this "
	       "process %.1f (%.1f), padded by %.1f to %.1f (%.1f); zygote %.1f (%.1f); minimal "
	       "forker %.1f (%.1f)\n", mib(sizes.exec_rss), mib(sizes.exec_anon), mib(warm.rss_end),
	       mib(own_rss), mib(own_anon), mib(padded), mib(rss), mib(anon), mib(sizes.zygote_rss),
	       mib(sizes.zygote_anon), mib(floor_rss), mib(floor_anon));
	printf("filters: the executor's %u BPF instructions; the naive libseccomp compile's %u\n",
	       executor_filter_insns(), naive_filter_insns(profile));
	printf("| spawn, 1 job: full cycle of a trivial expert, per run | %.3f ms (p50 latency "
	       "%.3f ms) | bare fork + _exit + waitpid from a process of expert-exec's size "
	       "(%.1f MiB anonymous resident, as expert-exec): %.3f ms | %.2f | <= 1.3 | %s |\n", ms(m_ours),
	       ms(m_p50), mib(anon), ms(m_bare), q_bare, verdict(q_bare <= 1.3));
	printf("| spawn, 1 job: same | %.3f ms | same loop, the child compiling the default "
	       "profile with libseccomp and calling seccomp_load(): %.3f ms | %.2f | < 1 | %s |\n",
	       ms(m_ours), ms(m_sec), q_sec, verdict(q_sec < 1.0));
	printf("| spawn, 1 job: same | %.3f ms | bare fork loop from a minimal C program "
	       "(%.1f MiB resident; the zygote %.1f): %.3f ms | %.2f | (reference) | |\n",
	       ms(m_ours), mib(floor_rss), mib(sizes.zygote_rss), ms(m_flo), q_flo);
	printf("pre-forked children: %" G_GUINT64_FORMAT " forked for %" G_GUINT64_FORMAT
	       " runs, %" G_GUINT64_FORMAT " of which found theirs ready; each child's fork, as the "
	       "zygote timed it (its pid namespace and init included), %.3f ms (median of the "
	       "storms' means)\n", forked,
	       (guint64)runs * n, on_ready, ms(m_fork));
	printf("| latency, 1 job: p50 from request to reaped and reclaimed, trivial expert, its "
	       "child forked ahead (the children's fork: %.3f ms each, below) | %.3f ms | bare fork "
	       "+ _exit + waitpid from a minimal C program: %.3f ms | %.2f | <= 1.0 | %s |\n",
	       ms(m_fork), ms(m_p50), ms(m_flo), q_lat, verdict(q_lat <= 1.0));
	printf("| latency, 1 job: same, each child forked when its run starts (--prefork 0) | "
	       "%.3f ms | same: %.3f ms | %.2f | (reference) | |\n", ms(m_unforked), ms(m_flo),
	       q_unforked);
	bench_target("1", "p50 latency of a trivial expert at most a bare fork+exit+wait from a "
	             "minimal program, its child forked ahead", q_lat <= 1.0,
	             "%.2f (%.3f ms against %.3f ms; the pre-forked children's fork, separately: "
	             "%.3f ms each; forked when the run starts: %.3f ms, %.2f)", q_lat, ms(m_p50),
	             ms(m_flo), ms(m_fork), ms(m_unforked), q_unforked);
	report_round_trips();
	return 0;
}
