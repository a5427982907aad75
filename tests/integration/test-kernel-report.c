/* test-kernel-report.c — what the real expert-exec says about the kernel:
 * `--version` prints one line per feature of executor/kernel/kernel-features.c,
 * and `run --json` carries the same as "kernel". Both must agree with this
 * test's own probe, made with the same module in another process. A run
 * says which isolation layers are in effect (a line of its report, a
 * member of its JSON), and `--require` refuses to run without one: shown
 * by hiding Landlock from the executor with a seccomp filter of this
 * test's. */
#include "kernel/kernel-features.h"

#include <errno.h>
#include <glib.h>
#include <json-glib/json-glib.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* ---- isolation layers and --require --------------------------------------- */

/* What the executor is started without. */
enum { HIDE_NOTHING = 0, HIDE_LANDLOCK = 1, HIDE_NAMESPACES = 2 };

/* landlock_create_ruleset answers ENOSYS, as on a kernel without Landlock;
 * everything else goes through. */
static struct sock_filter no_landlock[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_landlock_create_ruleset, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

/* unshare answers EPERM, as where namespaces are not an ordinary user's to
 * make (and for root, no namespace at all). */
static struct sock_filter no_namespaces[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_unshare, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

static void hide(gpointer data)
{
	int what = GPOINTER_TO_INT(data);
	if (!what)
		return;
	struct sock_fprog prog = { G_N_ELEMENTS(no_landlock), no_landlock };
	struct sock_fprog ns = { G_N_ELEMENTS(no_namespaces), no_namespaces };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
	            what == HIDE_LANDLOCK ? &prog : &ns) < 0)
		_exit(99);
}

/* The exit status, stdout and stderr of a run of the well-behaved expert
 * with extra options, something hidden from it if asked. */
static int run_well_behaved(const char *option, int hidden, char **out, char **err)
{
	g_autofree char *capture = g_build_filename(g_getenv("EXPERT_TEST_DATA"), "wikipedia.pcap",
	                                            NULL);
	const char *argv[] = { g_getenv("EXPERT_EXEC"), "run", capture,
	                       g_getenv("EXPERT_WELL_BEHAVED"), NULL, NULL };
	if (option) {
		argv[3] = option;
		argv[4] = g_getenv("EXPERT_WELL_BEHAVED");
	}
	g_autoptr(GError) error = NULL;
	int status;
	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, hide, GINT_TO_POINTER(hidden),
	                  out, err, &status, &error))
		g_error("cannot run the executor: %s", error->message);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), !=, 99);
	return WEXITSTATUS(status);
}

static char *report_line(const char *out, const char *prefix)
{
	g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
	for (GStrv l = lines; *l; l++)
		if (g_str_has_prefix(*l, prefix))
			return g_strdup(*l);
	return NULL;
}

/* The layers of the table, each in the report: in effect, or missing with
 * why. */
static void test_run_says_its_isolation(void)
{
	g_autofree char *out = NULL, *err = NULL;
	g_assert_cmpint(run_well_behaved(NULL, HIDE_NOTHING, &out, &err), ==, 0);
	g_autofree char *line = report_line(out, "isolation  ");
	g_test_message("%s", line);
	g_assert_nonnull(line);
	g_assert_nonnull(strstr(line, "seccomp filter, W^X supervision; "));
	g_assert_nonnull(strstr(line, "; missing: "));
	for (int id = 0; id < KERNEL_FEATURE_N; id++) {
		const KernelFeatureInfo *f = kernel_feature_info(id);
		if (f->role != KERNEL_FEATURE_LAYER ||
		    (id == KERNEL_FEATURE_USER_NAMESPACES && geteuid() == 0))
			continue;
		g_assert_nonnull(strstr(line, f->name));
	}
}

/* Every layer in effect here may be required; a run with all of them runs. */
static void test_require_what_is_there(void)
{
	g_autoptr(GString) wanted = g_string_new("--require=");
	for (int id = 0; id < KERNEL_FEATURE_N; id++) {
		const KernelFeatureInfo *f = kernel_feature_info(id);
		if (f->role == KERNEL_FEATURE_LAYER && kernel_feature(id)->state == KERNEL_FEATURE_PRESENT)
			g_string_append_printf(wanted, "%s,", f->name);
	}
	g_test_message("%s", wanted->str);
	g_autofree char *out = NULL, *err = NULL;
	g_assert_cmpint(run_well_behaved(wanted->str, HIDE_NOTHING, &out, &err), ==, 0);
	g_assert_nonnull(strstr(out, "completed"));
}

/* Landlock hidden: the run says it is missing (nothing silent), and
 * --require landlock refuses to run, with exit status 2, naming it. */
static void test_require_refuses_what_is_missing(void)
{
	if (kernel_feature(KERNEL_FEATURE_LANDLOCK)->state != KERNEL_FEATURE_PRESENT) {
		g_test_skip("this kernel has no Landlock: hiding it shows nothing more");
		return;
	}
	g_autofree char *out = NULL, *err = NULL;
	g_assert_cmpint(run_well_behaved(NULL, HIDE_LANDLOCK, &out, &err), ==, 0);
	g_autofree char *line = report_line(out, "isolation  ");
	g_test_message("without Landlock: %s", line);
	g_assert_nonnull(strstr(line, "missing: landlock (landlock_create_ruleset: ENOSYS)"));
	g_free(out);
	g_free(err);
	g_assert_cmpint(run_well_behaved("--require=pidns,landlock", HIDE_LANDLOCK, &out, &err), ==, 2);
	g_test_message("%s", err);
	g_assert_nonnull(strstr(err, "--require: landlock is required but not in effect: "
	                             "landlock_create_ruleset: ENOSYS"));
	g_assert_cmpstr(out, ==, "");
	g_free(out);
	g_free(err);
	g_assert_cmpint(run_well_behaved("--require=landlok", HIDE_NOTHING, &out, &err), ==, 2);
	g_assert_nonnull(strstr(err, "\"landlok\" is not an isolation layer"));
}

/* No namespace at all: every job still runs (plainly forked, loading from
 * descriptors through the host's /proc, under Landlock), every namespace
 * is reported missing, and --require pidns refuses. */
static void test_runs_without_namespaces(void)
{
	g_autofree char *out = NULL, *err = NULL;
	g_assert_cmpint(run_well_behaved(NULL, HIDE_NAMESPACES, &out, &err), ==, 0);
	g_autofree char *line = report_line(out, "isolation  ");
	g_test_message("without namespaces: %s", line);
	g_assert_nonnull(strstr(out, "completed: run returned 0"));
	static const char *const missing[] = {
		"pidns (", "mountns (", "netns (", "ipcns (", "utsns (",
	};
	for (gsize i = 0; i < G_N_ELEMENTS(missing); i++)
		g_assert_nonnull(strstr(strstr(line, "missing: "), missing[i]));
	g_free(out);
	g_free(err);
	g_assert_cmpint(run_well_behaved("--require=pidns", HIDE_NAMESPACES, &out, &err), ==, 2);
	g_assert_nonnull(strstr(err, "--require: pidns is required but not in effect: "));
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
	g_test_add_func("/kernel-report/run-says-its-isolation", test_run_says_its_isolation);
	g_test_add_func("/kernel-report/require-what-is-there", test_require_what_is_there);
	g_test_add_func("/kernel-report/require-refuses-what-is-missing",
	                test_require_refuses_what_is_missing);
	g_test_add_func("/kernel-report/runs-without-namespaces", test_runs_without_namespaces);
	return g_test_run();
}
