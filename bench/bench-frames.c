/* bench-frames.c — reading every byte of a large capture, sandboxed against
 * in-process; and loading the capture against reading it.
 *
 * The capture: SIZE MB (default 300) of synthetic Ethernet/IPv4/UDP frames
 * of mixed sizes from a fixed seed, written with libpcap's pcap_dump into
 * $TMPDIR and removed at the end; and a one-frame capture written the same
 * way. Both are in the page cache when timed: every side reads them warm.
 *
 * Frames. Ours: `expert-exec run --profile strict --json CAPTURE
 * touch-bytes.so`; the time is the job's duration_ms: from the job's start
 * (region, channel, fork) to its child reaped and reclaimed, which includes
 * the ~1 ms cycle bench-spawn measures but not the capture load (done once
 * per run, before any job). Against: the same loop (touch-bytes.h, compiled
 * with the same flags) in this process over pcap_open_offline +
 * pcap_next_ex, timed from open to close. The expert reports its sum and
 * frame count as an event; both must equal this process's, or the benchmark
 * stops: the same work on both sides.
 *
 * Capture load. The executor's "duration_ms" covers the run from before the
 * profile is loaded to the last job reclaimed; less the job's own duration
 * that leaves the run's setup: profile, filter compile, capture load. The
 * same figure for the one-frame capture is then subtracted, which leaves
 * the part of the setup that grows with the capture: reading the file and
 * indexing its frames, which children then read in the file (the default);
 * and, as a reference, the same with --copy-capture, which also writes
 * every frame into the sealed memfd. Against:
 *  - `tcpdump -r CAPTURE -w /dev/null` (if tcpdump is installed), wall time
 *    less the same for the one-frame capture (so less its start-up): libpcap
 *    reading the file and writing every record again;
 *  - a bare libpcap read loop in this process: pcap_next_ex over the file,
 *    touching nothing: the floor for any reader of a pcap file.
 *
 * Each repetition runs every side once; ratios are taken within a
 * repetition and their median printed, with each side's median. The
 * targets (issue 14): the capture load at most tcpdump's (point 4), the
 * sandboxed walk at most the in-process one (point 6). Nothing asserts on
 * time.
 */
#include "bench-util.h"

#include "experts/touch-bytes.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef BENCH_TOUCH_BYTES_SO
#define BENCH_TOUCH_BYTES_SO "touch-bytes.so"
#endif

#define MAX_REPS 64
#define SEED 0x5eed5eedu

static char *opt_expert_exec = NULL, *opt_touch = NULL;

typedef struct {
	double seconds;
	guint64 sum, frames;
} Pass;

/* pcap_next_ex over the file, summing every byte or (touch false) not. */
static void pcap_pass(const char *path, gboolean touch, Pass *out)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	double t0 = bench_now();
	pcap_t *p = pcap_open_offline(path, errbuf);
	if (!p)
		bench_die("%s: %s", path, errbuf);
	struct pcap_pkthdr *hdr;
	const u_char *data;
	guint64 sum = 0, frames = 0;
	int r;
	while ((r = pcap_next_ex(p, &hdr, &data)) == 1) {
		if (touch)
			sum += touch_bytes(data, hdr->caplen);
		frames++;
	}
	if (r != PCAP_ERROR_BREAK)
		bench_die("%s: %s", path, pcap_geterr(p));
	pcap_close(p);
	out->seconds = bench_now() - t0;
	out->sum = sum;
	out->frames = frames;
}

typedef struct {
	double job_s;   /* the job's duration */
	double setup_s; /* the run's, less the job's */
	guint64 sum, frames;
} Sandboxed;

/* copied: with --copy-capture, the frames copied into the sealed memfd
 * rather than read in the file. */
static void sandboxed_pass(const char *capture, gboolean copied, Sandboxed *out)
{
	const char *argv[] = { opt_expert_exec, "run", "--profile", "strict", "--json",
	                       copied ? "--copy-capture" : "--json", capture, opt_touch, NULL };
	g_autofree char *text = bench_run(argv, NULL);
	JsonNode *root = bench_json_parse(text);
	if (!g_str_equal(bench_json_string(root, "jobs.0.outcome"), "completed") ||
	    bench_json_int(root, "jobs.0.return_value") != 0)
		bench_die("touch-bytes did not complete:\n%s", text);
	out->job_s = bench_json_double(root, "jobs.0.duration_ms") / 1000.0;
	out->setup_s = bench_json_double(root, "executor.duration_ms") / 1000.0 - out->job_s;
	out->sum = g_ascii_strtoull(bench_json_string(root, "jobs.0.events.0.details.sum"), NULL, 10);
	out->frames = g_ascii_strtoull(bench_json_string(root, "jobs.0.events.0.details.frames"), NULL, 10);
	json_node_unref(root);
}

static double tcpdump_pass(const char *tcpdump, const char *capture)
{
	const char *argv[] = { tcpdump, "-r", capture, "-w", "/dev/null", NULL };
	double wall;
	g_free(bench_run(argv, &wall));
	return wall;
}

static const char *verdict(gboolean met)
{
	return met ? "**met**" : "**not met**";
}

static double ratio_or_zero(double a, double b)
{
	return b > 0 ? a / b : 0;
}

int main(int argc, char **argv)
{
	gint reps = 5;
	gboolean keep = FALSE;
	GOptionEntry entries[] = {
		{ "reps", 'r', 0, G_OPTION_ARG_INT, &reps, "Repetitions (default 5)", "N" },
		{ "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the capture files", NULL },
		{ "expert-exec", 0, 0, G_OPTION_ARG_FILENAME, &opt_expert_exec, "expert-exec to run", "PATH" },
		{ "touch-bytes", 0, 0, G_OPTION_ARG_FILENAME, &opt_touch, "The touch-bytes expert", "PATH" },
		G_OPTION_ENTRY_NULL
	};
	bench_options(&argc, &argv, entries, "[SIZE_MB] - frames: sandboxed against in-process; capture load");
	guint64 size_mb = argc > 1 ? g_ascii_strtoull(argv[1], NULL, 10) : 300;
	if (size_mb < 1 || reps < 1 || reps > MAX_REPS)
		bench_die("SIZE_MB must be positive and --reps 1 to %d", MAX_REPS);
	if (!opt_expert_exec)
		opt_expert_exec = g_strdup(BENCH_EXPERT_EXEC);
	if (!opt_touch)
		opt_touch = g_strdup(BENCH_TOUCH_BYTES_SO);
	guint64 bytes = size_mb << 20;
	/* The file (in the page cache) and the executor's copy in memory (a
	 * memfd, with its index): about twice the capture at the peak. */
	if (bench_disk_free(g_get_tmp_dir()) < bytes + (256u << 20) ||
	    bench_mem_available() < 2 * bytes + (512u << 20))
		bench_die("not enough room for a %" G_GUINT64_FORMAT " MB capture in %s or in memory "
		          "(give a smaller SIZE_MB)", size_mb, g_get_tmp_dir());

	g_autofree char *name = g_strdup_printf("expert-bench-frames-%d-%" G_GUINT64_FORMAT "MB.pcap",
	                                        (int)getpid(), size_mb);
	g_autofree char *path = bench_tmp_path(name);
	g_autofree char *tiny_name = g_strdup_printf("expert-bench-frames-%d-tiny.pcap", (int)getpid());
	g_autofree char *tiny = bench_tmp_path(tiny_name);
	BenchCapture cap, tiny_cap;
	double t0 = bench_now();
	bench_make_capture(path, bytes, SEED, &cap);
	double gen_s = bench_now() - t0;
	bench_make_capture(tiny, 1, SEED, &tiny_cap);
	g_autofree char *tcpdump = g_find_program_in_path("tcpdump");

	/* Warm-up: the page cache, the executor's and libpcap's first faults. */
	Pass in, bare;
	Sandboxed ours, ours_tiny;
	pcap_pass(path, TRUE, &in);
	sandboxed_pass(path, FALSE, &ours);
	if (ours.sum != in.sum || ours.frames != in.frames || in.frames != cap.frames)
		bench_die("the sandboxed expert and the in-process loop disagree: sum %" G_GUINT64_FORMAT
		          " vs %" G_GUINT64_FORMAT ", frames %" G_GUINT64_FORMAT " vs %" G_GUINT64_FORMAT,
		          ours.sum, in.sum, ours.frames, in.frames);

	double job[MAX_REPS], inproc[MAX_REPS], load[MAX_REPS], read_s[MAX_REPS], tcpd[MAX_REPS];
	double r_frames[MAX_REPS], r_read[MAX_REPS], r_tcpd[MAX_REPS];
	double copy_load[MAX_REPS], r_copy_tcpd[MAX_REPS];
	for (int i = 0; i < reps; i++) {
		Sandboxed copied, copied_tiny;
		sandboxed_pass(path, FALSE, &ours);
		pcap_pass(path, TRUE, &in);
		if (ours.sum != in.sum || ours.frames != in.frames)
			bench_die("the sandboxed expert and the in-process loop disagree");
		sandboxed_pass(tiny, FALSE, &ours_tiny);
		sandboxed_pass(path, TRUE, &copied);
		sandboxed_pass(tiny, TRUE, &copied_tiny);
		if (copied.sum != in.sum || copied.frames != in.frames)
			bench_die("the expert over the copied capture and the in-process loop disagree");
		pcap_pass(path, FALSE, &bare);
		job[i] = ours.job_s;
		inproc[i] = in.seconds;
		load[i] = ours.setup_s - ours_tiny.setup_s;
		read_s[i] = bare.seconds;
		tcpd[i] = tcpdump ? tcpdump_pass(tcpdump, path) - tcpdump_pass(tcpdump, tiny) : 0;
		r_frames[i] = job[i] / inproc[i];
		r_read[i] = load[i] / read_s[i];
		r_tcpd[i] = ratio_or_zero(load[i], tcpd[i]);
		copy_load[i] = copied.setup_s - copied_tiny.setup_s;
		r_copy_tcpd[i] = ratio_or_zero(copy_load[i], tcpd[i]);
		fprintf(stderr, "rep %d: sandboxed %.1f ms, in-process %.1f ms; load %.1f ms, "
		        "copied %.1f ms, pcap read %.1f ms, tcpdump %.1f ms\n", i + 1, job[i] * 1e3,
		        inproc[i] * 1e3, load[i] * 1e3, copy_load[i] * 1e3, read_s[i] * 1e3,
		        tcpd[i] * 1e3);
	}
	if (!keep) {
		g_unlink(path);
		g_unlink(tiny);
	}

	guint n = (guint)reps;
	double m_job = bench_median(job, n), m_in = bench_median(inproc, n);
	double m_load = bench_median(load, n), m_read = bench_median(read_s, n);
	double m_tcpd = bench_median(tcpd, n);
	double q_frames = bench_median(r_frames, n), q_read = bench_median(r_read, n);
	double q_tcpd = bench_median(r_tcpd, n);
	double m_copy = bench_median(copy_load, n), q_copy_tcpd = bench_median(r_copy_tcpd, n);
	double mb = (double)cap.file_bytes / 1048576.0;
	double frame_mb = (double)cap.frame_bytes / 1048576.0;
	printf("## frames: %d repetitions over %.0f MB (%" G_GUINT64_FORMAT " frames, %.0f MB of "
	       "frame bytes; written in %.1f s)\n", reps, mb, cap.frames, frame_mb, gen_s);
	printf("the expert's sum of every byte and frame count equal the in-process loop's: %"
	       G_GUINT64_FORMAT " over %" G_GUINT64_FORMAT " frames\n", in.sum, in.frames);
	printf("| frames, %.0f MB: sum every byte of every frame, sandboxed (strict), job time | "
	       "%.1f ms (%.2f GB/s) | same loop in-process over pcap_next_ex: %.1f ms (%.2f GB/s) | "
	       "%.2f | <= 1.0 | %s |\n", mb, m_job * 1e3, frame_mb / 1024.0 / m_job, m_in * 1e3,
	       frame_mb / 1024.0 / m_in, q_frames, verdict(q_frames <= 1.0));
	if (tcpdump)
		printf("| capture load, %.0f MB: run setup less a 1-frame capture's | %.1f ms | "
		       "tcpdump -r F -w /dev/null, less the same for a 1-frame capture: %.1f ms | %.2f "
		       "| <= 1.0 | %s |\n", mb, m_load * 1e3, m_tcpd * 1e3, q_tcpd,
		       verdict(q_tcpd <= 1.0));
	else
		printf("| capture load, %.0f MB | %.1f ms | tcpdump: not installed | — | <= 1.0 | "
		       "**not measured** |\n", mb, m_load * 1e3);
	printf("| capture load, %.0f MB: same | %.1f ms | bare libpcap read loop (pcap_next_ex, "
	       "no work): %.1f ms | %.2f | (reference) | |\n", mb, m_load * 1e3, m_read * 1e3, q_read);
	if (tcpdump)
		printf("| capture load, %.0f MB, frames copied into the sealed memfd (--copy-capture) | "
		       "%.1f ms | tcpdump, as above: %.1f ms | %.2f | (reference) | |\n", mb,
		       m_copy * 1e3, m_tcpd * 1e3, q_copy_tcpd);
	if (tcpdump)
		bench_target("4", "capture load in one copy, at most tcpdump -r F -w /dev/null", q_tcpd <= 1.0,
		             "%.2f over %.0f MB (%.1f ms against %.1f ms)", q_tcpd, mb, m_load * 1e3,
		             m_tcpd * 1e3);
	else
		bench_target("4", "capture load in one copy, at most tcpdump -r F -w /dev/null", FALSE,
		             "not measured: tcpdump is not installed");
	bench_target("6", "frames at least as fast as in-process libpcap: the sandboxed walk at "
	             "most pcap_next_ex's", q_frames <= 1.0, "%.2f over %.0f MB (%.1f ms against "
	             "%.1f ms)", q_frames, mb, m_job * 1e3, m_in * 1e3);
	return 0;
}
