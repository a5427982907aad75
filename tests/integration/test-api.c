/* test-api.c — the whole API end to end through the real executor: the
 * api-probe expert reports what it saw, and each figure is checked against
 * libpcap reading the same capture directly. Also the command line around
 * it: --config, --config-file, --filter, --select, --output-dir, `list`. */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <pcap/pcap.h>
#include <string.h>
#include <sys/wait.h>

static const char *capture_name = "wikipedia.pcap";

static char *capture_path(void)
{
	return g_build_filename(g_getenv("EXPERT_TEST_DATA"), capture_name, NULL);
}

/* Frames of the capture matching expr, by libpcap itself. */
static guint count_matching(const char *expr, guint *last)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	g_autofree char *path = capture_path();
	pcap_t *p = pcap_open_offline(path, errbuf);
	struct bpf_program prog;
	g_assert_cmpint(pcap_compile(p, &prog, expr ? expr : "", 1, PCAP_NETMASK_UNKNOWN), ==, 0);
	struct pcap_pkthdr *h;
	const u_char *data;
	guint n = 0, i = 0;
	while (pcap_next_ex(p, &h, &data) == 1) {
		i++;
		if (pcap_offline_filter(&prog, h, data)) {
			n++;
			if (last)
				*last = i;
		}
	}
	pcap_freecode(&prog);
	pcap_close(p);
	return n;
}

/* Runs expert-exec with args; returns the parsed JSON root (or NULL for
 * non-JSON output, then *text holds stdout) and the exit status. */
static JsonNode *run(const char *const *args, int *status, char **text)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_ptr_array_add(argv, (gpointer)g_getenv("EXPERT_EXEC"));
	for (guint i = 0; args[i]; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	g_autofree char *out = NULL, *err = NULL;
	g_autoptr(GError) error = NULL;
	int wait;
	g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
	                           &out, &err, &wait, &error));
	*status = WIFEXITED(wait) ? WEXITSTATUS(wait) : -1;
	if (text)
		*text = g_strconcat(out, err, NULL);
	g_autoptr(JsonParser) parser = json_parser_new();
	if (!json_parser_load_from_data(parser, out, -1, NULL) || !json_parser_get_root(parser))
		return NULL;
	return json_node_copy(json_parser_get_root(parser));
}

/* The probe's reports as name -> value. */
static GHashTable *probe_values(JsonNode *root, guint job_index)
{
	GHashTable *values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	JsonObject *job = json_array_get_object_element(
		json_object_get_array_member(json_node_get_object(root), "jobs"), job_index);
	JsonArray *events = json_object_get_array_member(job, "events");
	for (guint i = 0; i < json_array_get_length(events); i++) {
		JsonObject *e = json_array_get_object_element(events, i);
		g_hash_table_insert(values, g_strdup(json_object_get_string_member(e, "text")),
		                    g_strdup(json_object_get_string_member(
		                            json_object_get_object_member(e, "details"), "value")));
	}
	return values;
}

static void assert_value(GHashTable *values, const char *name, const char *expected)
{
	const char *got = g_hash_table_lookup(values, name);
	g_test_message("%s = %s", name, got ? got : "(missing)");
	g_assert_cmpstr(got, ==, expected);
}

static void assert_number(GHashTable *values, const char *name, guint64 expected)
{
	g_autofree char *text = g_strdup_printf("%" G_GUINT64_FORMAT, expected);
	assert_value(values, name, text);
}

static void test_every_call_matches_libpcap(void)
{
	g_autofree char *capture = capture_path();
	g_autofree char *dir = g_dir_make_tmp("test-api-XXXXXX", NULL);
	g_autofree char *config_file = g_build_filename(dir, "settings.conf", NULL);
	g_assert_true(g_file_set_contents(config_file,
		"[api-probe]\ngreeting = from the file\noutput = first5.pcap\n", -1, NULL));
	g_autofree char *outputs = g_build_filename(dir, "out", NULL);
	g_assert_cmpint(g_mkdir(outputs, 0755), ==, 0);
	g_autofree char *o_dir = g_strdup_printf("--output-dir=%s", outputs);
	g_autofree char *o_file = g_strdup_printf("--config-file=%s", config_file);
	g_autofree char *o_profile = g_strdup_printf("--profile=%s", g_getenv("EXPERT_OUTPUTS_PROFILE"));
	const char *args[] = {
		"run", "--json", o_profile, o_dir, o_file, "--filter=udp", "--select=7",
		"--config=api-probe:greeting=from the command line", capture,
		g_getenv("EXPERT_API_PROBE"), NULL,
	};
	int status;
	g_autofree char *text = NULL;
	g_autoptr(JsonNode) root = run(args, &status, &text);
	g_assert_nonnull(root);
	g_assert_cmpint(status, ==, 0);
	g_autoptr(GHashTable) v = probe_values(root, 0);

	assert_value(v, "file_name", capture_name);
	assert_number(v, "frame_count", count_matching(NULL, NULL));
	assert_number(v, "selected_frame", 7);
	/* The command line comes after the file: it wins. */
	assert_value(v, "greeting", "from the command line");
	/* --filter applies to get_next_frame ... */
	assert_number(v, "next_frames", count_matching("udp", NULL));
	/* ... and the expert's own filter runs the same as libpcap's. */
	guint last = 0;
	assert_number(v, "tcp_forward", count_matching("tcp", &last));
	assert_number(v, "tcp_last", last);

	/* The output: created, complete, and a valid capture of the first five
	 * frames; the same name again and a path are refused. */
	assert_value(v, "create_output", "ok");
	assert_value(v, "create_again", "no memory (quota reached)");
	assert_value(v, "create_path", "invalid argument");
	/* In the job's own folder, named after the expert's file. */
	g_autofree char *folder = g_build_filename(outputs, "api-probe", NULL);
	g_autofree char *written = g_build_filename(folder, "first5.pcap", NULL);
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *ours = pcap_open_offline_with_tstamp_precision(written, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	g_assert_nonnull(ours);
	pcap_t *orig = pcap_open_offline_with_tstamp_precision(capture, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	struct pcap_pkthdr *h1, *h2;
	const u_char *d1, *d2;
	guint n = 0;
	while (pcap_next_ex(ours, &h1, &d1) == 1) {
		g_assert_cmpint(pcap_next_ex(orig, &h2, &d2), ==, 1);
		g_assert_cmpint(h1->ts.tv_sec, ==, h2->ts.tv_sec);
		g_assert_cmpint(h1->ts.tv_usec, ==, h2->ts.tv_usec);
		g_assert_cmpuint(h1->len, ==, h2->len);
		g_assert_cmpmem(d1, h1->caplen, d2, h2->caplen);
		n++;
	}
	g_assert_cmpuint(n, ==, 5);
	pcap_close(ours);
	pcap_close(orig);
	JsonObject *job = json_array_get_object_element(
		json_object_get_array_member(json_node_get_object(root), "jobs"), 0);
	JsonObject *out = json_array_get_object_element(json_object_get_array_member(job, "outputs"), 0);
	g_assert_true(json_object_get_boolean_member(out, "complete"));
	g_assert_cmpint(json_object_get_int_member(out, "frames"), ==, 5);
	g_assert_cmpstr(json_object_get_string_member(out, "path"), ==, written);
	g_autofree char *escaped = g_build_filename(dir, "escape.pcap", NULL);
	g_assert_false(g_file_test(escaped, G_FILE_TEST_EXISTS));

	g_unlink(written);
	g_rmdir(folder);
	g_rmdir(outputs);
	g_unlink(config_file);
	g_rmdir(dir);
}

/* The probe registers as writing outputs: without --output-dir it is
 * refused before its run, with the fix named, never left to fail half-way. */
static void test_outputs_refused_without_output_dir(void)
{
	g_autofree char *capture = capture_path();
	g_autofree char *o_profile = g_strdup_printf("--profile=%s", g_getenv("EXPERT_OUTPUTS_PROFILE"));
	const char *args[] = { "run", "--json", o_profile, "--config=api-probe:output=x.pcap",
	                       capture, g_getenv("EXPERT_API_PROBE"), NULL };
	int status;
	g_autoptr(JsonNode) root = run(args, &status, NULL);
	g_assert_cmpint(status, ==, 1);
	JsonObject *job = json_array_get_object_element(
		json_object_get_array_member(json_node_get_object(root), "jobs"), 0);
	g_assert_cmpstr(json_object_get_string_member(job, "outcome"), ==, "refused");
	g_assert_cmpstr(json_object_get_string_member(job, "detail"), ==,
	                "api-probe writes output captures, and no --output-dir was given: "
	                "add --output-dir DIR");
	/* Nothing of its run happened: no event, no frame. */
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(job, "events")), ==, 0);
	g_assert_cmpint(json_object_get_int_member(job, "frames_read"), ==, 0);
}

static void test_configure_refusal_fails_to_load(void)
{
	g_autofree char *capture = capture_path();
	/* Where it may write, so that configure is reached: an expert that
	 * writes outputs is refused before it otherwise. */
	g_autofree char *dir = g_dir_make_tmp("test-api-XXXXXX", NULL);
	g_autofree char *o_dir = g_strdup_printf("--output-dir=%s", dir);
	g_autofree char *o_profile = g_strdup_printf("--profile=%s", g_getenv("EXPERT_OUTPUTS_PROFILE"));
	const char *args[] = { "run", "--json", o_profile, o_dir, "--config=*:mode=bad", capture,
	                       g_getenv("EXPERT_API_PROBE"), NULL };
	int status;
	g_autoptr(JsonNode) root = run(args, &status, NULL);
	g_rmdir(dir);
	g_assert_cmpint(status, ==, 1);
	JsonObject *job = json_array_get_object_element(
		json_object_get_array_member(json_node_get_object(root), "jobs"), 0);
	g_assert_cmpstr(json_object_get_string_member(job, "outcome"), ==, "failed-to-load");
	/* The probe returns an error without saying why: the executor names the
	 * error, and claims no words of the expert's. */
	g_assert_cmpstr(json_object_get_string_member(job, "detail"), ==,
	                "configure failed: invalid argument");
	g_assert_false(json_object_has_member(job, "reason"));
}

static void test_bad_command_lines_name_the_problem(void)
{
	g_autofree char *capture = capture_path();
	struct {
		const char *option;
		const char *says;
	} cases[] = {
		{ "--config=nobody:x=1", "no expert is called \"nobody\"" },
		{ "--config=api-probe:bad key=1", "is not a setting name" },
		{ "--config=api-probe", "expected EXPERT:key=value" },
		{ "--filter=tcp and and", "--filter" },
		{ "--output-dir=/nonexistent/dir", "--output-dir /nonexistent/dir" },
		{ "--select=-3", "--select" },
		{ "--jobs=0", "--jobs" },
		{ "--pool-budget=lots", "--pool-budget" },
		{ "--prefork=-1", "--prefork" },
		{ "--prefork=65", "--prefork" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		const char *args[] = { "run", cases[i].option, capture, g_getenv("EXPERT_API_PROBE"), NULL };
		int status;
		g_autofree char *text = NULL;
		g_autoptr(JsonNode) root = run(args, &status, &text);
		g_test_message("%s -> %s", cases[i].option, text);
		g_assert_cmpint(status, ==, 2);
		g_assert_nonnull(strstr(text, cases[i].says));
	}
}

static void test_list_shows_registration(void)
{
	const char *args[] = { "list", "--json", g_getenv("EXPERT_API_PROBE"), NULL };
	int status;
	g_autoptr(JsonNode) root = run(args, &status, NULL);
	g_assert_cmpint(status, ==, 0);
	JsonObject *job = json_array_get_object_element(
		json_object_get_array_member(json_node_get_object(root), "jobs"), 0);
	JsonObject *expert = json_object_get_object_member(job, "expert");
	g_assert_cmpstr(json_object_get_string_member(expert, "name"), ==, "API probe");
	g_assert_cmpstr(json_object_get_string_member(expert, "version"), ==, "2.3");
	g_assert_cmpint(json_object_get_int_member(expert, "flags"), ==, 3);
	/* register only: run never ran, so no events */
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(job, "events")), ==, 0);

	const char *text_args[] = { "list", g_getenv("EXPERT_API_PROBE"), NULL };
	g_autofree char *text = NULL;
	g_autoptr(JsonNode) none = run(text_args, &status, &text);
	g_assert_nonnull(strstr(text, "configurable writes-output"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/api/every-call-matches-libpcap", test_every_call_matches_libpcap);
	g_test_add_func("/api/outputs-refused-without-output-dir", test_outputs_refused_without_output_dir);
	g_test_add_func("/api/configure-refusal-fails-to-load", test_configure_refusal_fails_to_load);
	g_test_add_func("/api/bad-command-lines-name-the-problem", test_bad_command_lines_name_the_problem);
	g_test_add_func("/api/list-shows-registration", test_list_shows_registration);
	return g_test_run();
}
