/* test-believe-nothing.c — nothing a child does is believed, and no child
 * can buy the executor's time (issue 13; the README's "Nothing it says is
 * believed"). Hostile experts (experts/feign.c, text.c, cost.c) each run
 * through the real `expert-exec run` beside honest ones, and for each:
 *
 *   - outcomes from the executor's facts only: a signal raised itself is
 *     "crashed: raised SIGX itself", never a limit; out-of-memory only when
 *     the pool's use from the kernel reaches the quota; "completed" only
 *     after run's FINISHED; frames read never more than the capture holds;
 *     an output cut back to its length when it was closed;
 *   - every byte of child text escaped in the text report and on a
 *     terminal's progress lines (run under a pseudo-terminal), and no line
 *     of either started by it;
 *   - each limit on what a job may cost the executor met as a protocol
 *     violation naming the profile key, with the executor's own CPU for the
 *     job (measured by the executor from the kernel) within a small multiple
 *     of the child's, and the executor's whole CPU (read here from
 *     /proc/PID/stat of the exited executor, before it is reaped) within
 *     the sum of its jobs' and a fixed allowance for start-up and reports;
 *   - outputs in a folder per job: a name taken by one job is free in
 *     another's folder;
 *   - every honest job beside them with its full, right result. */
#include "job-json.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* What a job may cost the executor, beyond a multiple of its own CPU:
 * starting and reaping a child, a few dozen notifications while it loads.
 * Generous for a sanitizer build on a loaded machine. */
#define COST_FACTOR 4.0
#define COST_ALLOWANCE_MS 50.0
/* The executor's CPU that is no job's: loading the capture and profile,
 * compiling the filter, starting the zygote, writing the report. */
#define EXECUTOR_ALLOWANCE_MS 400.0

typedef struct {
	const char *name;
	const char *profile;     /* a shipped name, or a file under EXPERT_HOSTILE_PROFILES */
	int jobs;
	gboolean output_dir;
	gboolean text;           /* the text report, under a pseudo-terminal */
	const char *const *experts; /* hostile-NAME, or "protocol-coalesce" */
	/* Filled by run_executor. */
	JsonParser *parser;
	JsonObject *root;
	char *stdout_text;
	char *terminal;          /* what the executor wrote to the terminal */
	double executor_cpu_ms;  /* from /proc, user + system */
	int exit_status;
	char *dir;
} Run;

static gint64 capture_frames;

/* ---- running the executor ----------------------------------------------- */

static char *expert_path(const char *name)
{
	if (g_str_equal(name, "protocol-coalesce"))
		return g_strdup(g_getenv("EXPERT_PROTOCOL_COALESCE"));
	g_autofree char *file = g_strdup_printf("hostile-%s.so", name);
	return g_build_filename(g_getenv("EXPERT_HOSTILE_EXPERTS"), file, NULL);
}

/* Reads fd to its end (EOF, or EIO from a pseudo-terminal's master once
 * every slave is closed) into out; FALSE when done. */
static gboolean drain(int fd, GString *out)
{
	char buf[65536];
	ssize_t n = read(fd, buf, sizeof(buf));
	if (n > 0) {
		g_string_append_len(out, buf, n);
		return TRUE;
	}
	return n < 0 && (errno == EINTR || errno == EAGAIN);
}

/* utime + stime of an exited, not yet reaped process, in ms. */
static double exited_cpu_ms(pid_t pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
	g_autofree char *stat = NULL;
	g_assert_true(g_file_get_contents(path, &stat, NULL, NULL));
	const char *after = strrchr(stat, ')');
	g_assert_nonnull(after);
	g_auto(GStrv) fields = g_strsplit(after + 2, " ", -1);
	/* After ")": state is field 3, utime 14, stime 15. */
	g_assert_cmpuint(g_strv_length(fields), >, 13);
	double ticks = (double)g_ascii_strtoull(fields[11], NULL, 10) +
	               (double)g_ascii_strtoull(fields[12], NULL, 10);
	return ticks * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

static void run_executor(Run *run, gboolean text)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(argv, g_strdup(g_getenv("EXPERT_EXEC")));
	g_ptr_array_add(argv, g_strdup("run"));
	if (!text)
		g_ptr_array_add(argv, g_strdup("--json"));
	g_ptr_array_add(argv, g_strdup_printf("--jobs=%d", run->jobs));
	if (g_str_has_suffix(run->profile, ".profile"))
		g_ptr_array_add(argv, g_strdup_printf("--profile=%s/%s", g_getenv("EXPERT_HOSTILE_PROFILES"),
		                                      run->profile));
	else
		g_ptr_array_add(argv, g_strdup_printf("--profile=%s", run->profile));
	if (run->output_dir) {
		g_free(run->dir);
		run->dir = g_dir_make_tmp("test-believe-nothing-XXXXXX", NULL);
		g_assert_nonnull(run->dir);
		g_ptr_array_add(argv, g_strdup_printf("--output-dir=%s", run->dir));
	}
	g_ptr_array_add(argv, g_build_filename(g_getenv("EXPERT_TEST_DATA"), "wikipedia.pcap", NULL));
	for (const char *const *e = run->experts; *e; e++)
		g_ptr_array_add(argv, expert_path(*e));
	g_ptr_array_add(argv, NULL);

	int out[2];
	g_assert_cmpint(pipe2(out, O_CLOEXEC), ==, 0);
	/* A terminal for the text run, so that the progress lines are drawn;
	 * raw, so that what is read is what the executor wrote. */
	int master = -1, err_fd;
	if (text) {
		master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
		g_assert_cmpint(master, >=, 0);
		g_assert_cmpint(grantpt(master), ==, 0);
		g_assert_cmpint(unlockpt(master), ==, 0);
		err_fd = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
		struct termios t;
		g_assert_cmpint(tcgetattr(err_fd, &t), ==, 0);
		cfmakeraw(&t);
		g_assert_cmpint(tcsetattr(err_fd, TCSANOW, &t), ==, 0);
	} else {
		err_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	}
	g_assert_cmpint(err_fd, >=, 0);
	pid_t pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		if (dup2(out[1], STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0)
			_exit(127);
		execv(argv->pdata[0], (char **)argv->pdata);
		_exit(127);
	}
	close(out[1]);
	close(err_fd);
	GString *stdout_text = g_string_new(NULL), *terminal = g_string_new(NULL);
	gboolean out_open = TRUE, term_open = master >= 0;
	while (out_open || term_open) {
		struct pollfd pfd[2] = { { out_open ? out[0] : -1, POLLIN, 0 },
		                         { term_open ? master : -1, POLLIN, 0 } };
		if (poll(pfd, 2, -1) < 0) {
			g_assert_cmpint(errno, ==, EINTR);
			continue;
		}
		if (pfd[0].revents)
			out_open = drain(out[0], stdout_text);
		if (pfd[1].revents)
			term_open = drain(master, terminal);
	}
	close(out[0]);
	if (master >= 0)
		close(master);
	/* Its CPU from the kernel, read while it is a zombie. */
	siginfo_t info;
	g_assert_cmpint(waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT), ==, 0);
	run->executor_cpu_ms = exited_cpu_ms(pid);
	int status;
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	run->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (text) {
		run->stdout_text = g_string_free(stdout_text, FALSE);
		run->terminal = g_string_free(terminal, FALSE);
		return;
	}
	g_autoptr(GError) error = NULL;
	run->parser = json_parser_new();
	if (!json_parser_load_from_data(run->parser, stdout_text->str, -1, &error))
		g_error("%s: not JSON (%s)", run->name, error->message);
	run->root = json_node_get_object(json_parser_get_root(run->parser));
	g_string_free(stdout_text, TRUE);
	g_string_free(terminal, TRUE);
}

/* ---- reading the results ------------------------------------------------ */

static JsonObject *job_at(const Run *run, guint i)
{
	return json_array_get_object_element(json_object_get_array_member(run->root, "jobs"), i);
}

static double cost_ms(JsonObject *job, const char *what)
{
	return json_object_get_double_member(json_object_get_object_member(job, "executor_cost"), what);
}

static void assert_has(const char *text, const char *part)
{
	if (!strstr(text, part))
		g_error("\"%s\" lacks \"%s\"", text, part);
}

/* ---- checks ------------------------------------------------------------- */

typedef void (*CheckFunc)(const Run *run, JsonObject *job);

typedef struct {
	const char *expert;
	const char *outcome;
	const char *detail_has;  /* NULL: no check */
	gint64 return_value;     /* for completed */
	CheckFunc check;
	double cost_extra_ms;    /* allowed beyond COST_FACTOR x its CPU (filters) */
} Expectation;

static void honest(const Run *run, JsonObject *job)
{
	(void)run;
	job_json_assert_honest(job, capture_frames);
}

static void raised_itself(const Run *run, JsonObject *job)
{
	(void)run;
	g_assert_true(json_object_get_boolean_member(job, "raised_itself"));
}

static void not_out_of_memory(const Run *run, JsonObject *job)
{
	(void)run;
	JsonObject *faults = json_object_get_object_member(job, "memory_faults");
	g_assert_cmpint(json_object_get_int_member(faults, "quota"), ==, 1);
	g_assert_cmpint(json_object_get_int_member(job, "peak_pool_bytes"), <,
	                json_object_get_int_member(job, "pool_quota_bytes") / 2);
}

/* Its claim of 2^64 - 1 frames: bounded by the capture, shown as a claim. */
static void frames_bounded(const Run *run, JsonObject *job)
{
	(void)run;
	gint64 frames = json_object_get_int_member(job, "frames_read");
	g_assert_cmpint(frames, >=, 0);
	g_assert_cmpint(frames, <=, capture_frames);
	g_assert_true(json_object_has_member(job, "frames_read_claimed"));
}

static JsonObject *only_output(JsonObject *job)
{
	JsonArray *outputs = json_object_get_array_member(job, "outputs");
	g_assert_cmpuint(json_array_get_length(outputs), ==, 1);
	return json_array_get_object_element(outputs, 0);
}

/* The 4 KiB it wrote after the close are cut off: on disk, the file is
 * what it was when closed, a whole capture of its three frames. */
static void cut_at_close(const Run *run, JsonObject *job)
{
	(void)run;
	JsonObject *o = only_output(job);
	g_assert_true(json_object_get_boolean_member(o, "complete"));
	g_assert_cmpint(json_object_get_int_member(o, "cut_bytes"), ==, 4096);
	g_assert_cmpint(json_object_get_int_member(o, "frames"), ==, 3);
	const char *path = json_object_get_string_member(o, "path");
	GStatBuf st;
	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpint(st.st_size, ==, json_object_get_int_member(o, "bytes"));
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	g_assert_nonnull(p);
	struct pcap_pkthdr *h;
	const u_char *data;
	int n = 0, r;
	while ((r = pcap_next_ex(p, &h, &data)) == 1)
		n++;
	g_assert_cmpint(r, ==, PCAP_ERROR_BREAK); /* the end, not a torn record */
	g_assert_cmpint(n, ==, 3);
	pcap_close(p);
}

static const char *output_folder_of(JsonObject *job)
{
	const char *path = json_object_get_string_member(only_output(job), "path");
	static char folder[256];
	g_autofree char *dir = g_path_get_dirname(path);
	g_autofree char *base = g_path_get_basename(dir);
	g_strlcpy(folder, base, sizeof(folder));
	return folder;
}

/* It took "coalesced.pcap" first, in its own folder. */
static void squatted_own_folder(const Run *run, JsonObject *job)
{
	(void)run;
	g_assert_cmpstr(output_folder_of(job), ==, "hostile-squat-output");
	g_assert_cmpstr(json_object_get_string_member(only_output(job), "name"), ==, "coalesced.pcap");
}

/* Protocol Coalesce got its name all the same, in its folder, every frame. */
static void coalesce_unharmed(const Run *run, JsonObject *job)
{
	(void)run;
	JsonObject *o = only_output(job);
	g_assert_cmpstr(json_object_get_string_member(o, "name"), ==, "coalesced.pcap");
	g_assert_true(json_object_get_boolean_member(o, "complete"));
	g_assert_cmpint(json_object_get_int_member(o, "frames"), ==, capture_frames);
	g_assert_cmpstr(output_folder_of(job), ==, "protocol-coalesce");
	g_assert_true(g_file_test(json_object_get_string_member(o, "path"), G_FILE_TEST_IS_REGULAR));
}

/* The child's words reach JSON as they were sent (JSON escapes them). */
static void words_kept_in_json(const Run *run, JsonObject *job)
{
	(void)run;
	const char *name = json_object_get_string_member(json_object_get_object_member(job, "expert"),
	                                                 "name");
	g_assert_nonnull(strchr(name, '\x1b'));
	g_assert_nonnull(strchr(name, '\r'));
	honest(run, job);
}

#define RAISED(e, sig) { e, "crashed", "raised " sig " itself", 0, raised_itself, 0 }
#define PROTOCOL(e, detail, extra) { e, "protocol-violation", detail, 0, NULL, extra }
#define COMPLETED(e, rv, check) { e, "completed", NULL, rv, check, 0 }
#define HONEST(e) COMPLETED(e, 0, honest)

static const Expectation feign_expect[] = {
	HONEST("well-behaved"),
	RAISED("raise-sigxcpu", "SIGXCPU"),
	RAISED("raise-sigsys", "SIGSYS"),
	RAISED("raise-sigxfsz", "SIGXFSZ"),
	RAISED("raise-sigsegv", "SIGSEGV"),
	{ "alloc-overflow", "crashed", "more memory than its whole quota", 0, not_out_of_memory, 0 },
	{ "forge-memory-fault", "crashed", "does not bear out", 0, not_out_of_memory, 0 },
	PROTOCOL("forge-register-finish", "claimed to have finished at register", 0),
	{ "finish-then-exit", "crashed", "exited with status 3 after claiming to have finished", 0,
	  NULL, 0 },
	/* Spins after its forged FINISHED: limits.profile's 1 s of CPU. */
	{ "forge-frames", "timed-out", "CPU time limit", 0, frames_bounded, 0 },
	HONEST("well-behaved"),
};
static const char *const feign_experts[] = {
	"well-behaved", "raise-sigxcpu", "raise-sigsys", "raise-sigxfsz", "raise-sigsegv",
	"alloc-overflow", "forge-memory-fault", "forge-register-finish", "finish-then-exit",
	"forge-frames", "well-behaved", NULL,
};

static const Expectation text_expect[] = {
	HONEST("well-behaved"),
	COMPLETED("terminal", 0, words_kept_in_json),
	{ "load-error", "failed-to-load", "\x1b[2J", 0, NULL, 0 },
	HONEST("well-behaved"),
};
static const char *const text_experts[] = {
	"well-behaved", "terminal", "load-error", "well-behaved", NULL,
};

static const Expectation cost_default_expect[] = {
	HONEST("well-behaved"),
	PROTOCOL("huge-details", "exceeded the profile's event-bytes limit of 8M", 0),
	PROTOCOL("filter-flood", "exceeded the profile's filter-bytes limit of 256", 0),
	HONEST("well-behaved"),
};
static const char *const cost_default_experts[] = {
	"well-behaved", "huge-details", "filter-flood", "well-behaved", NULL,
};

static const Expectation cost_strict_expect[] = {
	HONEST("well-behaved"),
	PROTOCOL("notify-flood", "exceeded the profile's notifications-per-second limit of 2000", 0),
	HONEST("well-behaved"),
};
static const char *const cost_strict_experts[] = {
	"well-behaved", "notify-flood", "well-behaved", NULL,
};

/* cost.profile: 1000 notifications, 200 ms of compiling; one compile of
 * 1K of portrange may pass the budget before it is checked. */
static const Expectation cost_profile_expect[] = {
	HONEST("well-behaved"),
	PROTOCOL("notify-flood", "exceeded the profile's notifications limit of 1000", 0),
	PROTOCOL("filter-flood", "exceeded the profile's filter-cpu-time limit of 200ms", 600),
	HONEST("well-behaved"),
};
static const char *const cost_profile_experts[] = {
	"well-behaved", "notify-flood", "filter-flood", "well-behaved", NULL,
};

static const Expectation outputs_expect[] = {
	/* Its attempt to name another's folder ("../protocol-coalesce/...")
	 * is refused: 4. */
	COMPLETED("squat-output", 4, squatted_own_folder),
	COMPLETED("protocol-coalesce", 0, coalesce_unharmed),
	PROTOCOL("output-flood", "exceeded the profile's output-requests limit of 64", 0),
	COMPLETED("write-after-close", 0, cut_at_close),
	HONEST("well-behaved"),
};
static const char *const outputs_experts[] = {
	"squat-output", "protocol-coalesce", "output-flood", "write-after-close", "well-behaved", NULL,
};

typedef struct {
	Run run;
	const Expectation *expect;
	gsize n_expect;
} Case;

#define CASE(n, prof, j, out, txt, experts_, table)                                          \
	{ { .name = n, .profile = prof, .jobs = j, .output_dir = out, .text = txt,           \
	    .experts = experts_, .parser = NULL, .root = NULL, .stdout_text = NULL,              \
	    .terminal = NULL, .executor_cpu_ms = 0, .exit_status = -1, .dir = NULL },            \
	  table, G_N_ELEMENTS(table) }

static Case cases[] = {
	CASE("feign-jobs-1", "limits.profile", 1, FALSE, FALSE, feign_experts, feign_expect),
	CASE("feign-jobs-4", "limits.profile", 4, FALSE, FALSE, feign_experts, feign_expect),
	CASE("text", "default", 2, FALSE, TRUE, text_experts, text_expect),
	CASE("cost-default", "default", 2, FALSE, FALSE, cost_default_experts, cost_default_expect),
	CASE("cost-strict", "strict", 2, FALSE, FALSE, cost_strict_experts, cost_strict_expect),
	CASE("cost-profile", "cost.profile", 2, FALSE, FALSE, cost_profile_experts, cost_profile_expect),
	CASE("outputs", "coalesce", 2, TRUE, FALSE, outputs_experts, outputs_expect),
};

/* ---- the tests ---------------------------------------------------------- */

static void check_job(gconstpointer data)
{
	const Case *c = &cases[GPOINTER_TO_UINT(data) >> 16];
	guint i = GPOINTER_TO_UINT(data) & 0xFFFF;
	const Expectation *e = &c->expect[i];
	JsonObject *job = job_at(&c->run, i);
	const char *outcome = json_object_get_string_member(job, "outcome");
	const char *detail = json_object_get_string_member(job, "detail");
	g_test_message("%s: %s: %s", e->expert, outcome, detail);
	g_assert_cmpstr(outcome, ==, e->outcome);
	if (e->detail_has)
		assert_has(detail, e->detail_has);
	if (g_str_equal(outcome, "completed"))
		g_assert_cmpint(json_object_get_int_member(job, "return_value"), ==, e->return_value);
	if (e->check)
		e->check(&c->run, job);
	/* What it cost the executor: the executor's own CPU for it, from the
	 * kernel, within a small multiple of the child's. */
	double executor = cost_ms(job, "cpu_ms");
	double child = json_object_get_double_member(job, "cpu_ms");
	g_test_message("%s: the executor's CPU %.1f ms, the child's %.1f ms", e->expert, executor, child);
	g_assert_cmpfloat(executor, <=, COST_FACTOR * child + COST_ALLOWANCE_MS + e->cost_extra_ms);
}

/* The executor's whole CPU, from /proc, is its jobs' and a fixed
 * allowance: no cost escaped the per-job figures (the report of 8M of
 * events included), and its resources are back where they started. */
static void check_run(gconstpointer data)
{
	const Case *c = &cases[GPOINTER_TO_UINT(data)];
	JsonArray *jobs = json_object_get_array_member(c->run.root, "jobs");
	double jobs_ms = 0;
	for (guint i = 0; i < json_array_get_length(jobs); i++)
		jobs_ms += cost_ms(json_array_get_object_element(jobs, i), "cpu_ms");
	g_test_message("%s: the executor's CPU %.0f ms (from /proc), its jobs' %.1f ms", c->run.name,
	               c->run.executor_cpu_ms, jobs_ms);
	g_assert_cmpfloat(c->run.executor_cpu_ms, <=, jobs_ms + EXECUTOR_ALLOWANCE_MS);
	JsonObject *ex = json_object_get_object_member(c->run.root, "executor");
	g_assert_cmpint(json_object_get_int_member(json_object_get_object_member(ex, "after"), "open_fds"),
	                ==,
	                json_object_get_int_member(json_object_get_object_member(ex, "before"), "open_fds"));
	g_assert_cmpint(json_object_get_int_member(json_object_get_object_member(ex, "after"),
	                                           "pool_regions"), ==, 0);
}

/* Bytes a terminal would act on; the executor's own cursor movements
 * (ESC [K, ESC [nA) removed first when from_terminal. */
static void assert_inert(const char *what, const char *text, gboolean from_terminal)
{
	g_autoptr(GRegex) own = g_regex_new("\x1b\\[(K|[0-9]+A)", 0, 0, NULL);
	g_autofree char *rest = from_terminal ? g_regex_replace_literal(own, text, -1, 0, "", 0, NULL)
	                                      : g_strdup(text);
	g_assert_true(g_utf8_validate(rest, -1, NULL));
	for (const char *p = rest; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if ((c < 0x20 && c != '\n') || (c >= 0x7f && c < 0xa0) || c == 0x202e)
			g_error("%s: U+%04X at byte %td: \"%.60s\"", what, c, p - rest, p);
	}
}

/* The text report: the child's words shown escaped, and never at the start
 * of a line: one "== " line per job, starting with its file's name, and
 * one outcome line per job. */
static void check_text_report(gconstpointer data)
{
	const Case *c = &cases[GPOINTER_TO_UINT(data)];
	const char *text = c->run.stdout_text;
	assert_inert("the text report", text, FALSE);
	assert_has(text, "\\x1b[2J");
	assert_has(text, "\\x1b]52;c;cHduZWQ=\\x07");
	assert_has(text, "\\r== protocol-distribution\\n");
	assert_has(text, "\\u009b31m");
	assert_has(text, "\\u202ereversed");
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint sections = 0, outcomes = 0;
	for (guint i = 0; lines[i]; i++) {
		if (g_str_has_prefix(lines[i], "== ")) {
			sections++;
			if (!g_str_has_prefix(lines[i], "== hostile-"))
				g_error("a section line not the executor's: \"%s\"", lines[i]);
		}
		if (g_str_has_prefix(lines[i], "   outcome   "))
			outcomes++;
	}
	g_assert_cmpuint(sections, ==, c->n_expect);
	g_assert_cmpuint(outcomes, ==, c->n_expect);
}

/* The progress lines on the terminal: drawn (the executor saw a
 * terminal), its status text escaped. */
static void check_progress(gconstpointer data)
{
	const Case *c = &cases[GPOINTER_TO_UINT(data)];
	const char *tty = c->run.terminal;
	g_test_message("%zu bytes written to the terminal", strlen(tty));
	assert_has(tty, "hostile-terminal");
	assert_has(tty, "\\x1b[2J\\x1b[H\\x1b]0;pwned");
	assert_inert("the terminal", tty, TRUE);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (guint r = 0; r < G_N_ELEMENTS(cases); r++) {
		Case *c = &cases[r];
		run_executor(&c->run, FALSE);
		capture_frames = json_object_get_int_member(
			json_object_get_object_member(c->run.root, "capture"), "frames");
		if (c->run.text)
			run_executor(&c->run, TRUE);
		g_autofree char *res = g_strdup_printf("/believe-nothing/%s/executor-cost", c->run.name);
		g_test_add_data_func(res, GUINT_TO_POINTER(r), check_run);
		if (c->run.text) {
			g_autofree char *t = g_strdup_printf("/believe-nothing/%s/text-report", c->run.name);
			g_test_add_data_func(t, GUINT_TO_POINTER(r), check_text_report);
			g_autofree char *p = g_strdup_printf("/believe-nothing/%s/progress-lines", c->run.name);
			g_test_add_data_func(p, GUINT_TO_POINTER(r), check_progress);
		}
		for (guint i = 0; i < c->n_expect; i++) {
			g_autofree char *name = g_strdup_printf("/believe-nothing/%s/%02u-%s", c->run.name, i,
			                                        c->expect[i].expert);
			g_test_add_data_func(name, GUINT_TO_POINTER((r << 16) | i), check_job);
		}
	}
	int result = g_test_run();
	for (guint r = 0; r < G_N_ELEMENTS(cases); r++) {
		Case *c = &cases[r];
		if (c->run.dir) {
			g_autoptr(GError) error = NULL;
			const char *rm[] = { "rm", "-rf", c->run.dir, NULL };
			g_spawn_sync(NULL, (char **)rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
			             NULL, &error);
		}
		g_clear_object(&c->run.parser);
		g_free(c->run.stdout_text);
		g_free(c->run.terminal);
		g_free(c->run.dir);
	}
	return result;
}
