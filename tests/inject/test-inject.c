/* test-inject.c — fault injection on the real binary (issue 17):
 *
 *   - every shipped expert survives every fault class, swept with
 *     `stress --inject all` over bundled captures, and the executor gets
 *     everything back after every sweep;
 *   - frame-sizes, which never checks a bucket's allocation, is caught:
 *     the allocations the clean run counted are exactly one summary and one
 *     bucket per distinct frame length (counted here with libpcap), alloc@1
 *     is survived and every later N is not, each with the location of its
 *     crash in new_bucket, and the printed command replays it exactly;
 *   - `run --inject` makes each class of fault where the issue says: the
 *     executor for filters, outputs, writes, the capture and the kill; the
 *     child's runtime for allocations and TERMINATE, each report checked
 *     against the plan (a lie is a protocol violation); alloc:p=P draws
 *     exactly what wire_inject_draw draws for its seed, and replays;
 *   - the HTML page carries what the JSON does;
 *   - every bad spec is refused naming what would be right.
 *
 * Locations come from the child's report and the files the executor opened,
 * not from the child's /proc, so they are checked for every user alike. */
#include "expert.h"
#include "wire.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define SHIPPED_CAPTURE "smtp.pcap"
/* IPv4 fragments: Protocol Coalesce allocates for their reassembly here. */
#define FRAGMENTS_CAPTURE "dns-edns-ecs.pcap"

typedef struct {
	char *out, *err;
	int status;
	JsonParser *parser;
	JsonObject *root;
} Result;

static void result_clear(Result *r)
{
	g_free(r->out);
	g_free(r->err);
	g_clear_object(&r->parser);
}

static char *data_path(const char *name)
{
	return g_build_filename(g_getenv("EXPERT_TEST_DATA"), name, NULL);
}

static char *test_expert(const char *name)
{
	g_autofree char *file = g_strconcat(name, ".so", NULL);
	return g_build_filename(g_getenv("EXPERT_TEST_EXPERTS"), file, NULL);
}

static char *shipped(const char *name)
{
	g_autofree char *file = g_strconcat(name, ".so", NULL);
	return g_build_filename(g_getenv("EXPERT_SHIPPED_EXPERTS"), name, file, NULL);
}

static const char *const shipped_names[] = {
	"protocol-coalesce", "protocol-distribution", "server-response-time", "tcp-retransmit",
	"top-talkers",
};

/* Runs argv (NULL-terminated, argv[0] the executor's path); parses stdout
 * as JSON when json. */
static void run(Result *r, gboolean json, const char *const *argv)
{
	g_autoptr(GError) error = NULL;
	memset(r, 0, sizeof(*r));
	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r->out, &r->err,
	                  &r->status, &error))
		g_error("cannot run %s: %s", argv[0], error->message);
	r->status = WIFEXITED(r->status) ? WEXITSTATUS(r->status) : -1;
	if (!json)
		return;
	r->parser = json_parser_new();
	if (!json_parser_load_from_data(r->parser, r->out, -1, &error))
		g_error("not JSON (%s); stderr:\n%s", error->message, r->err);
	r->root = json_node_get_object(json_parser_get_root(r->parser));
}

/* `expert-exec ARGS...` */
#define EXEC(r, json, ...)                                                                  \
	do {                                                                                \
		const char *argv_[] = { g_getenv("EXPERT_EXEC"), __VA_ARGS__, NULL };       \
		run(r, json, argv_);                                                        \
	} while (0)

static JsonObject *only_job(const Result *r)
{
	JsonArray *jobs = json_object_get_array_member(r->root, "jobs");
	g_assert_cmpuint(json_array_get_length(jobs), ==, 1);
	return json_array_get_object_element(jobs, 0);
}

/* The job ended so, and its fault was made by whom. */
static JsonObject *assert_made(JsonObject *job, const char *outcome, const char *made_by)
{
	g_assert_cmpstr(json_object_get_string_member(job, "outcome"), ==, outcome);
	JsonObject *injection = json_object_get_object_member(job, "injection");
	g_assert_true(json_object_get_boolean_member(injection, "made"));
	g_assert_cmpstr(json_object_get_string_member(injection, "made_by"), ==, made_by);
	return injection;
}

/* A folder for a run's outputs, and its removal with whatever is in it. */
static char *output_folder(void)
{
	char *dir = g_dir_make_tmp("inject-out-XXXXXX", NULL);
	g_assert_nonnull(dir);
	return dir;
}

static void remove_tree(const char *dir)
{
	g_autofree char *quoted = g_shell_quote(dir);
	g_autofree char *rm = g_strdup_printf("rm -rf %s", quoted);
	g_assert_cmpint(system(rm), ==, 0);
}

static JsonObject *find_fault(JsonObject *expert, const char *spec)
{
	JsonArray *faults = json_object_get_array_member(expert, "faults");
	for (guint i = 0; i < json_array_get_length(faults); i++) {
		JsonObject *f = json_array_get_object_element(faults, i);
		if (g_str_equal(json_object_get_string_member(f, "spec"), spec))
			return f;
	}
	g_error("no fault %s in the report", spec);
}

/* ---- the shipped experts ------------------------------------------------ */

/* Which classes each shipped expert must have been swept with at least one
 * run over capture: what its clean run does there. */
static gboolean exercised(const char *expert, const char *class, const char *capture)
{
	if (g_str_equal(class, "terminate") || g_str_equal(class, "kill") || g_str_equal(class, "eof"))
		return TRUE;
	if (g_str_equal(class, "filter"))
		return FALSE; /* no shipped expert compiles a filter of its own */
	gboolean coalesce = g_str_equal(expert, "protocol-coalesce");
	if (g_str_equal(class, "create") || g_str_equal(class, "write"))
		return coalesce;
	/* alloc: every expert keeps tables in pool memory, Protocol Coalesce
	 * only for datagrams it reassembles. */
	return !coalesce || g_str_equal(capture, FRAGMENTS_CAPTURE);
}

static void check_shipped_robust(gconstpointer data)
{
	const char *capture_name = data;
	g_autofree char *capture = data_path(capture_name);
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(argv, g_strdup(g_getenv("EXPERT_EXEC")));
	g_ptr_array_add(argv, g_strdup("stress"));
	g_ptr_array_add(argv, g_strdup("--inject=all"));
	g_ptr_array_add(argv, g_strdup("--json"));
	g_ptr_array_add(argv, g_strdup("--jobs=2"));
	g_ptr_array_add(argv, g_strdup_printf("--capture=%s", capture));
	/* Every frame listed too: tcp-retransmit's longest path. */
	g_ptr_array_add(argv, g_strdup("--config=tcp-retransmit:list_frames=yes"));
	for (gsize i = 0; i < G_N_ELEMENTS(shipped_names); i++)
		g_ptr_array_add(argv, shipped(shipped_names[i]));
	g_ptr_array_add(argv, NULL);
	Result r;
	run(&r, TRUE, (const char *const *)argv->pdata);
	g_test_message("%" G_GINT64_FORMAT " runs in %.1f s", json_object_get_int_member(r.root, "runs"),
	               json_object_get_double_member(r.root, "seconds"));

	JsonArray *experts = json_object_get_array_member(r.root, "experts");
	g_assert_cmpuint(json_array_get_length(experts), ==, G_N_ELEMENTS(shipped_names));
	for (guint i = 0; i < json_array_get_length(experts); i++) {
		JsonObject *e = json_array_get_object_element(experts, i);
		const char *name = json_object_get_string_member(e, "name");
		JsonObject *clean = json_object_get_object_member(e, "clean_run");
		g_assert_cmpstr(json_object_get_string_member(clean, "outcome"), ==, "completed");
		g_assert_true(json_object_get_boolean_member(clean, "usable"));
		JsonArray *faults = json_object_get_array_member(e, "faults");
		g_assert_cmpuint(json_array_get_length(faults), ==, 7);
		for (guint k = 0; k < json_array_get_length(faults); k++) {
			JsonObject *f = json_array_get_object_element(faults, k);
			const char *class = json_object_get_string_member(f, "class");
			const char *verdict = json_object_get_string_member(f, "verdict");
			gint64 runs = json_object_get_int_member(f, "runs");
			g_test_message("%s %s: %s in %" G_GINT64_FORMAT " runs", name,
			               json_object_get_string_member(f, "spec"), verdict, runs);
			JsonArray *failures = json_object_get_array_member(f, "failures");
			if (json_array_get_length(failures))
				g_test_message("  first: %s",
				               json_object_get_string_member(
				                       json_array_get_object_element(failures, 0), "reproduce"));
			g_assert_cmpint(json_object_get_int_member(f, "failures_total"), ==, 0);
			if (exercised(name, class, capture_name)) {
				g_assert_cmpstr(verdict, ==, "robust");
				g_assert_cmpint(runs, >, 0);
				/* Each run made its fault: a sweep only goes as far as the
				 * clean run got. */
				g_assert_cmpint(json_object_get_int_member(f, "made"), ==, runs);
				JsonObject *ex = json_object_get_object_member(f, "executor");
				g_assert_true(json_object_get_boolean_member(ex, "reclaimed"));
				g_assert_cmpint(json_object_get_int_member(ex, "output_files_left"), ==, 0);
				/* TERMINATE is "clean up and return at once": a few frees
				 * and the like, never the rest of the capture. */
				if (g_str_equal(class, "terminate"))
					g_assert_cmpint(json_object_get_int_member(f, "most_calls_after_terminate"),
					                <=, 16);
			} else {
				g_assert_cmpstr(verdict, ==, "not exercised");
				g_assert_cmpint(runs, ==, 0);
			}
		}
	}
	g_assert_true(json_object_get_boolean_member(r.root, "robust"));
	g_assert_cmpint(r.status, ==, 0);
	result_clear(&r);
}

/* ---- an expert with the bug --------------------------------------------- */

/* Frames per distinct captured length, as frame-sizes keeps them. */
static guint64 distinct_lengths(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	g_assert_nonnull(p);
	g_autoptr(GHashTable) lengths = g_hash_table_new(g_direct_hash, g_direct_equal);
	struct pcap_pkthdr *h;
	const u_char *bytes;
	while (pcap_next_ex(p, &h, &bytes) == 1)
		g_hash_table_add(lengths, GUINT_TO_POINTER(h->caplen));
	pcap_close(p);
	return g_hash_table_size(lengths);
}

static Result frame_sizes_campaign;
static char *scratch;   /* for the page: the build tree may not be ours to write */

static void campaign_once(void)
{
	if (frame_sizes_campaign.parser)
		return;
	g_autofree char *capture = data_path(SHIPPED_CAPTURE);
	g_autofree char *expert = test_expert("frame-sizes");
	g_autofree char *capture_opt = g_strdup_printf("--capture=%s", capture);
	scratch = g_dir_make_tmp("test-inject-XXXXXX", NULL);
	g_assert_nonnull(scratch);
	g_autofree char *html = g_build_filename(scratch, "inject.html", NULL);
	g_autofree char *html_opt = g_strdup_printf("--html=%s", html);
	EXEC(&frame_sizes_campaign, TRUE, "stress", "--inject=alloc@all,terminate@all", "--json",
	     "--jobs=2", capture_opt, html_opt, expert);
}

static void check_frame_sizes_caught(void)
{
	campaign_once();
	Result *r = &frame_sizes_campaign;
	g_autofree char *capture = data_path(SHIPPED_CAPTURE);
	guint64 lengths = distinct_lengths(capture);
	g_test_message("%s: %" G_GUINT64_FORMAT " distinct frame lengths", capture, lengths);
	g_assert_cmpint(r->status, ==, 1);
	g_assert_false(json_object_get_boolean_member(r->root, "robust"));
	JsonObject *e = json_array_get_object_element(json_object_get_array_member(r->root, "experts"), 0);
	JsonObject *clean = json_object_get_object_member(e, "clean_run");
	/* One summary, one bucket per length. */
	g_assert_cmpint(json_object_get_int_member(clean, "allocations"), ==, 1 + lengths);

	JsonObject *alloc = find_fault(e, "alloc@all");
	g_assert_cmpstr(json_object_get_string_member(alloc, "verdict"), ==, "not robust");
	g_assert_cmpint(json_object_get_int_member(alloc, "runs"), ==, 1 + lengths);
	/* alloc@1 is checked and survived; every bucket's is not. */
	g_assert_cmpint(json_object_get_int_member(alloc, "failures_total"), ==, lengths);
	JsonArray *failures = json_object_get_array_member(alloc, "failures");
	g_assert_cmpuint(json_array_get_length(failures), ==, lengths);
	for (guint i = 0; i < json_array_get_length(failures); i++) {
		JsonObject *f = json_array_get_object_element(failures, i);
		g_autofree char *spec = g_strdup_printf("alloc@%u", i + 2);
		g_assert_cmpstr(json_object_get_string_member(f, "spec"), ==, spec);
		g_assert_cmpint(json_object_get_int_member(f, "n"), ==, i + 2);
		g_assert_cmpstr(json_object_get_string_member(f, "outcome"), ==, "crashed");
		g_assert_true(g_str_has_prefix(json_object_get_string_member(f, "detail"),
		                               "killed by SIGSEGV (SEGV_MAPERR: address not mapped, 0x0)"));
		const char *location = json_object_get_string_member(f, "location");
		if (i == 0)
			g_test_message("alloc@2: %s", location);
		g_assert_true(g_str_has_prefix(location, "frame-sizes.so: new_bucket+0x"));
		g_assert_cmpstr(json_object_get_string_member(f, "location_reported_by"), ==, "child");
		g_autofree char *made = g_strdup_printf("alloc@%u: the %u", i + 2, i + 2);
		g_assert_true(g_str_has_prefix(json_object_get_string_member(f, "injection"), made));
	}
	/* The same bug under TERMINATE: the bucket's allocation returns it. */
	JsonObject *term = find_fault(e, "terminate@all");
	g_assert_cmpstr(json_object_get_string_member(term, "verdict"), ==, "not robust");
	g_assert_cmpint(json_object_get_int_member(term, "runs"), ==,
	                json_object_get_int_member(clean, "api_calls"));
	JsonObject *first = json_array_get_object_element(json_object_get_array_member(term, "failures"), 0);
	g_assert_true(g_str_has_prefix(json_object_get_string_member(first, "location"),
	                               "frame-sizes.so: new_bucket+0x"));
	JsonObject *ex = json_object_get_object_member(alloc, "executor");
	g_assert_true(json_object_get_boolean_member(ex, "reclaimed"));
}

/* The printed command, run as printed by a shell, ends the same way. */
static void check_reproduce(void)
{
	campaign_once();
	JsonObject *e = json_array_get_object_element(
		json_object_get_array_member(frame_sizes_campaign.root, "experts"), 0);
	JsonObject *f = json_array_get_object_element(
		json_object_get_array_member(find_fault(e, "alloc@all"), "failures"), 0);
	const char *command = json_object_get_string_member(f, "reproduce");
	g_test_message("%s", command);
	g_assert_true(g_str_has_prefix(command, g_getenv("EXPERT_EXEC")));
	g_assert_nonnull(strstr(command, " run --inject alloc@2 "));
	Result r;
	const char *argv[] = { "/bin/sh", "-c", command, NULL };
	run(&r, FALSE, argv);
	g_assert_cmpint(r.status, ==, 1);
	g_assert_nonnull(strstr(r.out, "\n   outcome   crashed: killed by SIGSEGV (SEGV_MAPERR"));
	g_autofree char *location = g_strdup_printf("\n   location  %s ",
	                                            json_object_get_string_member(f, "location"));
	g_assert_nonnull(strstr(r.out, location));
	g_assert_nonnull(strstr(r.out, "\n   inject    alloc@2: the 2nd allocation refused; made at "
	                              "API call 3 (allocation 2), as the child reports"));
	result_clear(&r);
}

/* The page carries what the JSON does: each failure's N, location and
 * command, the runs that failed alike grouped as the text report groups
 * them. */
static void check_html(void)
{
	campaign_once();
	g_autofree char *path = g_build_filename(scratch, "inject.html", NULL);
	g_autofree char *page = NULL;
	g_assert_true(g_file_get_contents(path, &page, NULL, NULL));
	JsonObject *e = json_array_get_object_element(
		json_object_get_array_member(frame_sizes_campaign.root, "experts"), 0);
	JsonArray *failures = json_object_get_array_member(find_fault(e, "alloc@all"), "failures");
	/* All crashed at one place: shown once, at its lowest N, with the
	 * others named beside it. */
	g_assert_nonnull(strstr(page, "<h3>alloc@2 "));
	g_assert_null(strstr(page, "<h3>alloc@3 "));
	for (guint i = 1; i < json_array_get_length(failures); i++) {
		JsonObject *f = json_array_get_object_element(failures, i);
		g_autofree char *spec = g_strdup_printf("%s%s", json_object_get_string_member(f, "spec"),
		                                        i + 1 < json_array_get_length(failures) ? "," : "<");
		g_assert_nonnull(strstr(page, spec));
		g_assert_nonnull(strstr(page, json_object_get_string_member(f, "location")));
	}
	g_assert_nonnull(strstr(page, "data-shape=\"faults\""));
	g_assert_nonnull(strstr(page, "<code>"));
	g_assert_nonnull(strstr(page, " run --inject alloc@2 --output-dir &quot;$(mktemp -d)&quot; "));
	g_assert_nonnull(strstr(page, "not robust"));
}

/* ---- run --inject, class by class --------------------------------------- */

static void check_run_alloc_p_replays(void)
{
	g_autofree char *capture = data_path(SHIPPED_CAPTURE);
	g_autofree char *expert = shipped("server-response-time");
	Result a, b, clean;
	EXEC(&clean, TRUE, "run", "--json", "--inject=alloc@1000000", capture, expert);
	JsonObject *counted = json_object_get_object_member(
		json_object_get_object_member(only_job(&clean), "injection"), "counted_by_child");
	gint64 allocations = json_object_get_int_member(counted, "allocations");
	g_assert_cmpint(allocations, >, 2);
	/* p = 1/2, scaled as the executor scales it. */
	guint64 p = WIRE_INJECT_P_ONE / 2;
	for (guint64 seed = 1; seed < 40; seed++) {
		/* The first allocation the draw refuses, as the executor would. */
		gint64 first = 0;
		for (gint64 n = 1; n <= allocations && !first; n++)
			if (wire_inject_draw(seed, (guint64)n, p))
				first = n;
		if (!first)
			continue;
		g_autofree char *seed_text = g_strdup_printf("%" G_GUINT64_FORMAT, seed);
		EXEC(&a, TRUE, "run", "--json", "--inject=alloc:p=0.5", "--seed", seed_text, capture, expert);
		EXEC(&b, TRUE, "run", "--json", "--inject=alloc:p=0.5", "--seed", seed_text, capture, expert);
		JsonObject *ia = json_object_get_object_member(only_job(&a), "injection");
		JsonObject *ib = json_object_get_object_member(only_job(&b), "injection");
		g_test_message("seed %s: first refused allocation %" G_GINT64_FORMAT ", the child says %"
		               G_GINT64_FORMAT, seed_text, first,
		               json_object_get_int_member(ia, "at_allocation"));
		g_assert_true(json_object_get_boolean_member(ia, "made"));
		g_assert_cmpstr(json_object_get_string_member(ia, "made_by"), ==, "child");
		g_assert_cmpint(json_object_get_int_member(ia, "at_allocation"), ==, first);
		g_assert_cmpstr(json_object_get_string_member(ia, "seed"), ==, seed_text);
		/* Exactly again. */
		g_assert_cmpint(json_object_get_int_member(ib, "at_allocation"), ==, first);
		g_assert_cmpint(json_object_get_int_member(ib, "times"), ==,
		                json_object_get_int_member(ia, "times"));
		g_assert_cmpstr(json_object_get_string_member(only_job(&a), "outcome"), ==,
		                json_object_get_string_member(only_job(&b), "outcome"));
		result_clear(&a);
		result_clear(&b);
		result_clear(&clean);
		return;
	}
	g_assert_not_reached();
}

static void check_run_terminate(void)
{
	g_autofree char *capture = data_path(SHIPPED_CAPTURE);
	g_autofree char *expert = shipped("top-talkers");
	Result r;
	EXEC(&r, TRUE, "run", "--json", "--inject=terminate@4", capture, expert);
	JsonObject *job = only_job(&r);
	JsonObject *i = assert_made(job, "completed", "child");
	g_assert_cmpint(json_object_get_int_member(i, "at_api_call"), ==, 4);
	/* It returned at once: nowhere near the capture's end. */
	g_assert_cmpint(json_object_get_int_member(job, "frames_read"), <, 4);
	result_clear(&r);
}

/* Files in dir and its folders. */
static guint files_in(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	guint n = 0;
	for (const char *name; d && (name = g_dir_read_name(d));) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		n += g_file_test(path, G_FILE_TEST_IS_DIR) ? files_in(path) : 1;
	}
	return n;
}

/* Protocol Coalesce asked to stop before its output exists returns at
 * once, and blames nothing: it used to say the executor had refused the
 * output, or the quota was reached (found by terminate@all). */
static void check_terminate_blames_nothing(void)
{
	g_autofree char *capture = data_path(SHIPPED_CAPTURE);
	g_autofree char *expert = shipped("protocol-coalesce");
	g_autofree char *dir = output_folder();
	g_autofree char *out = g_strdup_printf("--output-dir=%s", dir);
	Result r;
	/* Call 1 is configure's first expert_config_get, which cannot return
	 * it: the output's creation is the first call that does. */
	EXEC(&r, TRUE, "run", "--json", "--inject=terminate@1", out, capture, expert);
	JsonObject *job = only_job(&r);
	g_assert_cmpstr(json_object_get_string_member(job, "outcome"), ==, "completed");
	g_assert_cmpint(json_object_get_int_member(job, "return_value"), ==, EXPERT_ERR_TERMINATE);
	g_assert_cmpstr(json_object_get_string_member(job, "detail"), ==, "run returned 6");
	g_assert_false(json_object_has_member(job, "reason"));
	g_assert_cmpuint(files_in(dir), ==, 0);
	result_clear(&r);
	remove_tree(dir);
}

static void check_run_kill(void)
{
	g_autofree char *capture = data_path(SHIPPED_CAPTURE);
	g_autofree char *expert = shipped("protocol-distribution");
	Result r;
	EXEC(&r, TRUE, "run", "--json", "--inject=kill@7", capture, expert);
	JsonObject *job = only_job(&r);
	g_assert_cmpstr(json_object_get_string_member(job, "outcome"), ==, "crashed");
	g_assert_cmpstr(json_object_get_string_member(job, "signal"), ==, "SIGKILL");
	g_assert_cmpstr(json_object_get_string_member(job, "detail"), ==,
	                "killed (SIGKILL) by the executor after API call 7, by fault injection (kill@7)");
	JsonObject *ex = json_object_get_object_member(r.root, "executor");
	JsonObject *before = json_object_get_object_member(ex, "before");
	JsonObject *after = json_object_get_object_member(ex, "after");
	g_assert_cmpint(json_object_get_int_member(after, "open_fds"), ==,
	                json_object_get_int_member(before, "open_fds"));
	g_assert_cmpint(json_object_get_int_member(after, "pool_regions"), ==, 0);
	g_assert_cmpint(r.status, ==, 1);
	result_clear(&r);
}

static void check_run_eof(void)
{
	g_autofree char *capture = data_path(SHIPPED_CAPTURE);
	g_autofree char *expert = shipped("top-talkers");
	Result r;
	EXEC(&r, TRUE, "run", "--json", "--inject=eof@10", capture, expert);
	JsonObject *job = only_job(&r);
	assert_made(job, "completed", "executor");
	g_assert_cmpint(json_object_get_int_member(job, "frames_read"), ==, 9);
	result_clear(&r);
}

static void check_run_filter(void)
{
	g_autofree char *capture = data_path(SHIPPED_CAPTURE);
	g_autofree char *expert = test_expert("api-probe");
	/* It writes an output too, so it needs a profile and a folder for it. */
	g_autofree char *dir = output_folder();
	g_autofree char *out = g_strdup_printf("--output-dir=%s", dir);
	g_autofree char *profile = g_strdup_printf("--profile=%s", g_getenv("EXPERT_OUTPUTS_PROFILE"));
	Result r;
	EXEC(&r, TRUE, "run", "--json", "--inject=filter@1", profile, out, capture, expert);
	remove_tree(dir);
	JsonObject *job = only_job(&r);
	assert_made(job, "completed", "executor");
	/* api-probe returns 11 when its first filter does not compile. */
	g_assert_cmpint(json_object_get_int_member(job, "return_value"), ==, 11);
	result_clear(&r);
}

static void check_run_outputs(void)
{
	g_autofree char *capture = data_path(FRAGMENTS_CAPTURE);
	g_autofree char *expert = shipped("protocol-coalesce");
	static const struct {
		const char *spec;
		gboolean made;
		guint files;           /* left in --output-dir */
		gint64 returned;
	} cases[] = {
		{ "create@1", TRUE, 0, 1 },
		/* The first write fails: EXPERT_ERR_WRITE, the file removed. */
		{ "write@0", TRUE, 0, 9 },
		{ "write@1000000", FALSE, 1, 0 },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *dir = output_folder();
		g_autofree char *inject = g_strdup_printf("--inject=%s", cases[i].spec);
		g_autofree char *out = g_strdup_printf("--output-dir=%s", dir);
		Result r;
		EXEC(&r, TRUE, "run", "--json", inject, out, capture, expert);
		JsonObject *job = only_job(&r);
		JsonObject *inj = json_object_get_object_member(job, "injection");
		g_test_message("%s: %s: %s", cases[i].spec, json_object_get_string_member(job, "outcome"),
		               json_object_get_string_member(job, "detail"));
		g_assert_cmpstr(json_object_get_string_member(job, "outcome"), ==, "completed");
		g_assert_cmpint(json_object_get_int_member(job, "return_value"), ==, cases[i].returned);
		g_assert_cmpint(json_object_get_boolean_member(inj, "made"), ==, cases[i].made);
		if (cases[i].made)
			g_assert_cmpstr(json_object_get_string_member(inj, "made_by"), ==, "executor");
		g_assert_cmpuint(files_in(dir), ==, cases[i].files);
		result_clear(&r);
		remove_tree(dir);
	}
}

/* A child's report of a fault the plan does not hold: the security suite's
 * expert that reports its 1st allocation refused, under a plan for the
 * 5th. */
static void check_lie_refused(void)
{
	g_autofree char *capture = data_path(SHIPPED_CAPTURE);
	g_autofree char *expert = g_build_filename(g_getenv("EXPERT_HOSTILE_EXPERTS"),
	                                           "hostile-inject-unplanned.so", NULL);
	Result r;
	EXEC(&r, TRUE, "run", "--json", "--inject=alloc@5", capture, expert);
	JsonObject *job = only_job(&r);
	g_assert_cmpstr(json_object_get_string_member(job, "outcome"), ==, "protocol-violation");
	g_assert_cmpstr(json_object_get_string_member(job, "detail"), ==,
	                "reported a fault injected that the plan (alloc@5) does not hold (at API call "
	                "1, allocation 1)");
	result_clear(&r);
}

static void check_bad_specs(void)
{
	g_autofree char *capture = data_path(SHIPPED_CAPTURE);
	g_autofree char *capture_opt = g_strdup_printf("--capture=%s", capture);
	g_autofree char *expert = shipped("top-talkers");
	static const struct {
		const char *command, *spec, *seed;
		const char *says;
	} cases[] = {
		{ "run", "alloc@all", NULL, "@all is a sweep of many runs" },
		{ "run", "nope@1", NULL, "no fault class \"nope\" (one of: alloc, terminate, kill, eof, "
		                         "filter, create, write)" },
		{ "run", "alloc@0", NULL, "N must be a whole number, 1 or more" },
		{ "run", "terminate:p=0.5", NULL, "only alloc takes a probability" },
		{ "run", "alloc:p=2", NULL, "p must be a probability above 0 and at most 1" },
		{ "run", "alloc@3", "5", "--seed is the seed of --inject alloc:p=P" },
		{ "run", "alloc:p=0.5", "x", "--seed: \"x\" is not a whole number" },
		{ "stress", "alloc@3", NULL, "stress sweeps, as CLASS@all or alloc:p=P" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *inject = g_strdup_printf("--inject=%s", cases[i].spec);
		g_autofree char *seed = cases[i].seed ? g_strdup_printf("--seed=%s", cases[i].seed)
		                                      : g_strdup("--json");
		Result r;
		if (g_str_equal(cases[i].command, "run"))
			EXEC(&r, FALSE, "run", inject, seed, capture, expert);
		else
			EXEC(&r, FALSE, "stress", inject, capture_opt, expert);
		g_test_message("%s %s: %s", cases[i].command, cases[i].spec, r.err);
		g_assert_cmpint(r.status, ==, 2);
		g_assert_nonnull(strstr(r.err, cases[i].says));
		result_clear(&r);
	}
	Result r;
	EXEC(&r, FALSE, "stress", "--inject=alloc@all", expert);
	g_assert_cmpint(r.status, ==, 2);
	g_assert_nonnull(strstr(r.err, "--inject needs --capture"));
	result_clear(&r);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_data_func("/inject/shipped-experts-survive-every-fault/" SHIPPED_CAPTURE,
	                     SHIPPED_CAPTURE, check_shipped_robust);
	g_test_add_data_func("/inject/shipped-experts-survive-every-fault/" FRAGMENTS_CAPTURE,
	                     FRAGMENTS_CAPTURE, check_shipped_robust);
	g_test_add_func("/inject/frame-sizes/caught-with-its-n-and-location", check_frame_sizes_caught);
	g_test_add_func("/inject/frame-sizes/printed-command-replays-it", check_reproduce);
	g_test_add_func("/inject/frame-sizes/html-page-carries-the-same", check_html);
	g_test_add_func("/inject/run/alloc-p-draws-as-the-seed-says-and-replays", check_run_alloc_p_replays);
	g_test_add_func("/inject/run/terminate", check_run_terminate);
	g_test_add_func("/inject/run/kill-by-the-executor", check_run_kill);
	g_test_add_func("/inject/run/terminate-before-an-output-blames-nothing",
	                check_terminate_blames_nothing);
	g_test_add_func("/inject/run/eof", check_run_eof);
	g_test_add_func("/inject/run/filter-refused", check_run_filter);
	g_test_add_func("/inject/run/outputs-refused-and-written-full", check_run_outputs);
	g_test_add_func("/inject/run/a-report-the-plan-does-not-hold", check_lie_refused);
	g_test_add_func("/inject/bad-specs-refused", check_bad_specs);
	int status = g_test_run();
	result_clear(&frame_sizes_campaign);
	if (scratch) {
		g_autofree char *page = g_build_filename(scratch, "inject.html", NULL);
		g_unlink(page);
		g_rmdir(scratch);
		g_free(scratch);
	}
	return status;
}
