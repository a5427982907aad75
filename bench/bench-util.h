/* bench-util.h — what the benchmarks share: clocks and medians, running
 * expert-exec and reading its JSON, sizes from /proc, growing this process
 * to a given size, and synthetic captures.
 *
 * Every benchmark measures ours and its comparison in one process, one
 * after the other within each repetition, so that the load other programs
 * put on the machine falls on both sides alike; it reports the median over
 * repetitions of each side and of their ratio. Nothing here asserts on time.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdint.h>

/* Where the build put what the benchmarks run (bench/meson.build). */
#ifndef BENCH_EXPERT_EXEC
#define BENCH_EXPERT_EXEC "expert-exec"
#endif

/* Parses the command line against entries (parameter_string as for
 * g_option_context_new: "[SIZE_MB] - what it measures"); dies on a bad one. */
void bench_options(int *argc, char ***argv, const GOptionEntry *entries,
                   const char *parameter_string);

/* Monotonic time in seconds. */
double bench_now(void);

/* The median of n values (sorts them). */
double bench_median(double *values, guint n);

/* Dies with a message: a benchmark that cannot do the same work on both
 * sides has nothing honest to print. */
G_NORETURN void bench_die(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* Runs argv (argv[0] a path), waits, and returns its standard output; dies
 * unless it exits with status 0. *wall_s, if not NULL, is the wall time
 * from spawn to exit as this process saw it. */
char *bench_run(const char *const *argv, double *wall_s);

/* Parses text as JSON; dies if it is not. Free with json_node_unref. */
JsonNode *bench_json_parse(const char *text);
/* The value at a dotted path ("jobs.0.duration_ms", "latency_ms.p50");
 * dies if it is missing or not of that kind. */
double bench_json_double(JsonNode *root, const char *path);
const char *bench_json_string(JsonNode *root, const char *path);
gint64 bench_json_int(JsonNode *root, const char *path);
/* The integer at path, if there is one: FALSE, and no death, if not. */
gboolean bench_json_has_int(JsonNode *root, const char *path, gint64 *out);

/* Prints a verdict line, which scripts/bench.sh gathers into its list of
 * the targets (and leaves out of the details):
 *   @target ID|what the target is|what was measured|met or not met
 * measured is a printf format. */
void bench_target(const char *id, const char *what, gboolean met, const char *measured, ...)
	G_GNUC_PRINTF(4, 5);

/* Resident set of a process (0 for this one), all of it and its anonymous
 * part (VmRSS and RssAnon of /proc/PID/status); FALSE if it cannot be read. */
gboolean bench_proc_memory(pid_t pid, guint64 *rss, guint64 *anon);

/* Maps and writes anonymous memory until this process's resident set is at
 * least rss bytes and its anonymous part at least anon bytes (bench-spawn.c
 * says why). Returns what it added; it stays mapped for the process's life. */
guint64 bench_pad(guint64 rss, guint64 anon);

/* Sizes of expert-exec and its zygote, read from /proc while a storm of
 * the given expert runs (a second into it, past its warm-up). */
typedef struct {
	guint64 exec_rss, exec_anon;
	guint64 zygote_rss, zygote_anon;
} BenchSizes;

void bench_probe_sizes(const char *expert_exec, const char *expert, BenchSizes *out);

/* Available memory (MemAvailable) and free space under dir, in bytes. */
guint64 bench_mem_available(void);
guint64 bench_disk_free(const char *dir);

/* A pcap file of at least bytes bytes (file size) at path, written with
 * libpcap's pcap_dump: Ethernet/IPv4/UDP frames of mixed sizes (60 to 1514
 * bytes), random payloads, all from a generator seeded with seed, so the
 * same arguments give the same file. */
typedef struct {
	guint64 frames;
	guint64 file_bytes;
	guint64 frame_bytes; /* sum of the frames' captured lengths */
} BenchCapture;

void bench_make_capture(const char *path, guint64 bytes, guint64 seed, BenchCapture *out);

/* A path in $TMPDIR (or /tmp) for a benchmark's file: g_free it. */
char *bench_tmp_path(const char *name);

/* What one `expert-exec stress --profile default --json EXPERT` storm gave. */
typedef struct {
	double seconds, per_run_s, runs_per_s;
	double p50_s;       /* latency, request to reaped and reclaimed */
	guint64 rss_end;    /* expert-exec's resident size after the storm */
	/* Its children forked ahead of their jobs (executor.prefork). */
	guint64 forked, on_ready;
	double fork_s;      /* each fork, as the zygote timed it */
} BenchStorm;

/* Runs the storm, with --prefork prefork unless it is -1 (the default);
 * dies unless every run completed. */
void bench_storm(const char *expert_exec, const char *expert, guint runs, guint jobs,
                 gint prefork, BenchStorm *out);

#endif /* BENCH_UTIL_H */
