/* test-kernel-report.c — what the real expert-exec says about the kernel:
 * `--version` prints one line per feature of executor/kernel/kernel-features.c,
 * and `run --json` carries the same as "kernel". Both must agree with this
 * test's own probe, made with the same module in another process. */
#include "kernel/kernel-features.h"

#include <glib.h>
#include <json-glib/json-glib.h>
#include <string.h>

static char *run_executor(const char *const *args, int *exit_status)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_ptr_array_add(argv, (gpointer)g_getenv("EXPERT_EXEC"));
	for (const char *const *a = args; *a; a++)
		g_ptr_array_add(argv, (gpointer)*a);
	g_ptr_array_add(argv, NULL);
	char *out = NULL;
	g_autofree char *err = NULL;
	g_autoptr(GError) error = NULL;
	int status;
	if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
	                  &status, &error))
		g_error("cannot run the executor: %s", error->message);
	*exit_status = g_spawn_check_wait_status(status, NULL) ? 0 : 1;
	return out;
}

static void test_version_lists_every_feature(void)
{
	const char *args[] = { "--version", NULL };
	int status;
	g_autofree char *out = run_executor(args, &status);
	g_assert_cmpint(status, ==, 0);
	g_test_message("%s", out);
	g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
	g_autofree char *first = g_strdup_printf("expert-exec %s", g_getenv("EXPERT_EXEC_VERSION"));
	g_assert_cmpstr(lines[0], ==, first);
	g_autofree char *second = g_strdup_printf("kernel %s, as probed now:", kernel_release());
	g_assert_cmpstr(lines[1], ==, second);
	for (int id = 0; id < KERNEL_FEATURE_N; id++) {
		const char *line = lines[2 + id];
		g_assert_nonnull(line);
		g_auto(GStrv) words = g_strsplit_set(line, " ", -1);
		GStrv w = words;
		while (*w && !**w)
			w++;
		g_assert_cmpstr(*w, ==, kernel_feature_info(id)->name);
		while (*++w && !**w)
			;
		g_assert_cmpstr(*w, ==, kernel_feature_state_name(kernel_feature(id)->state));
	}
}

static void test_run_json_carries_the_kernel(void)
{
	g_autofree char *capture = g_build_filename(g_getenv("EXPERT_TEST_DATA"), "wikipedia.pcap",
	                                            NULL);
	const char *args[] = { "run", "--json", capture, g_getenv("EXPERT_WELL_BEHAVED"), NULL };
	int status;
	g_autofree char *out = run_executor(args, &status);
	g_assert_cmpint(status, ==, 0);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_assert_true(json_parser_load_from_data(parser, out, -1, NULL));
	JsonObject *kernel = json_object_get_object_member(
		json_node_get_object(json_parser_get_root(parser)), "kernel");
	g_assert_nonnull(kernel);
	g_assert_cmpstr(json_object_get_string_member(kernel, "release"), ==, kernel_release());
	JsonObject *features = json_object_get_object_member(kernel, "features");
	g_assert_cmpuint(json_object_get_size(features), ==, KERNEL_FEATURE_N);
	for (int id = 0; id < KERNEL_FEATURE_N; id++) {
		JsonObject *f = json_object_get_object_member(features, kernel_feature_info(id)->name);
		g_assert_nonnull(f);
		g_assert_cmpstr(json_object_get_string_member(f, "what"), ==,
		                kernel_feature_info(id)->what);
		g_assert_cmpstr(json_object_get_string_member(f, "state"), ==,
		                kernel_feature_state_name(kernel_feature(id)->state));
		g_assert_cmpstr(json_object_get_string_member(f, "role"), ==,
		                kernel_feature_role_name(kernel_feature_info(id)->role));
		g_assert_cmpstr(json_object_get_string_member(f, "detail"), !=, "");
	}
}

static void test_help_mentions_version(void)
{
	const char *args[] = { "--help", NULL };
	int status;
	g_autofree char *out = run_executor(args, &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_nonnull(strstr(out, "--version"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/kernel-report/version-lists-every-feature", test_version_lists_every_feature);
	g_test_add_func("/kernel-report/run-json-carries-the-kernel", test_run_json_carries_the_kernel);
	g_test_add_func("/kernel-report/help-mentions-version", test_help_mentions_version);
	return g_test_run();
}
