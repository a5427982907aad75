/* test-crashes.c — every way an expert can fail, in one executor run, each
 * with the outcome it must get; then the executor's own descriptors and pool
 * must be exactly where they were before the first job.
 *
 * The run is done twice: one job at a time, and four at once, so crashes
 * happen while well-behaved jobs are running and must not disturb them.
 *
 * What depends on the kernel (another syscall ABI, clone3) or on running as
 * root (code locations) is found out first: the kernel by the executor's
 * own probe (executor/kernel/kernel-features.c, linked here), root by the uid. A
 * check that cannot apply here is a TAP skip that says why. */
#include "abi-expectations.h"
#include "kernel/kernel-features.h"

#include <glib.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
	const char *expert;       /* module name under tests/experts */
	const char *outcome;      /* NULL: by the kernel probe, from abi-expectations.c */
	const char *syscall;      /* for sandbox violations reported by notify */
	const char *signal;       /* for crashes */
	const char *detail_has;   /* a word the detail must contain */
	const char *fault_code;   /* the child's fault report, by si_code; NULL: no report */
	const char *instruction;  /* ... and the instruction it names */
} Expectation;

#define FAULT(code, instruction) code, instruction

static const Expectation expectations[] = {
	{ "well-behaved", "completed", NULL, NULL, "returned 0", NULL, NULL },
	{ "segfault", "crashed", NULL, "SIGSEGV", "(SEGV_MAPERR: address not mapped, 0x0) at ip ",
	  FAULT("SEGV_MAPERR", NULL) },
	{ "abort", "crashed", NULL, "SIGABRT", NULL, NULL, NULL },
	{ "socket", "sandbox-violation", "socket", NULL, NULL, NULL, NULL },
	{ "execve", "sandbox-violation", NULL, "SIGSYS", "kill", NULL, NULL },
	{ "fork", "sandbox-violation", "clone", NULL, NULL, NULL, NULL },
	{ "loop-forever", "timed-out", NULL, NULL, "CPU", NULL, NULL },
	{ "sleep-forever", "timed-out", NULL, NULL, "wall-clock", NULL, NULL },
	{ "exhaust-quota", "out-of-memory", NULL, NULL, "quota", NULL, NULL },
	{ "overflow-block", "crashed", NULL, "SIGABRT", "heap metadata", NULL, NULL },
	{ "bogus-free", "completed", NULL, NULL, "returned 0", NULL, NULL },
	{ "garbage-message", "protocol-violation", NULL, NULL, "malformed", NULL, NULL },
	{ "oversized-message", "protocol-violation", NULL, NULL, "limit", NULL, NULL },
	{ "close-channel", "protocol-violation", NULL, NULL, "closed its channel", NULL, NULL },
	{ "flood-status", "protocol-violation", NULL, NULL, "status messages", NULL, NULL },
	/* Its FAULT follows its forged FINISHED: a crash may follow any message. */
	{ "forge-finished", "crashed", NULL, "SIGSEGV", "the child's report",
	  FAULT("SEGV_MAPERR", NULL) },
	/* expert_fail's FAIL twice, which libexpert never sends. */
	{ "fail-twice", "protocol-violation", NULL, NULL, "said why it failed twice", NULL, NULL },
	{ "ctor-socket", "sandbox-violation", "socket", NULL, NULL, NULL, NULL },
	{ "ctor-open-write", "sandbox-violation", "openat", NULL, NULL, NULL, NULL },
	{ "register-refuses", "failed-to-load", NULL, NULL, "declined", NULL, NULL },
	{ "register-hangs", "timed-out", NULL, NULL, "wall-clock", NULL, NULL },
	{ "missing-run", "failed-to-load", NULL, NULL, "expert_run", NULL, NULL },
	{ "not-an-object", "failed-to-load", NULL, NULL, NULL, NULL, NULL },
	{ "syscall-socket", "sandbox-violation", "socket", NULL, NULL, NULL, NULL },
	{ "asm-socket", "sandbox-violation", "socket", NULL, NULL, NULL, NULL },
	/* Other ABIs: what the kernel does with them decides (abi-expectations.c). */
	{ "x32-socket", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "int80-socket", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "int80-getpid", NULL, NULL, NULL, NULL, NULL, NULL },
	/* An interrupt vector user code may not call: the general protection
	 * fault int $0x80 is where the kernel has no 32-bit emulation, here on
	 * every kernel, so the child's report of it runs for real. */
	{ "int81", "crashed", NULL, "SIGSEGV",
	  "(SI_KERNEL: general protection fault) at ip ", FAULT("SI_KERNEL", "int $0x81") },
	{ "ud2", "crashed", NULL, "SIGILL", "a ud2 instruction (the child's report)",
	  FAULT("ILL_ILLOPN", "ud2") },
	/* libm and a library of its own, passed as descriptors and loaded
	 * first: it returns 0 if both computed what they should. */
	{ "needs-libraries", "completed", NULL, NULL, "returned 0", NULL, NULL },
	/* The profile answers clone3 ENOSYS; the expert returns 0 if it got that. */
	{ "clone3", "completed", NULL, NULL, "returned 0", NULL, NULL },
	/* Last again: a crash storm before it must not have hurt it. */
	{ "well-behaved", "completed", NULL, NULL, "returned 0", NULL, NULL },
};

/* What a violation report must say beyond the syscall's name: the call
 * decoded, and where the syscall instruction is. The same forbidden
 * socket(2) is made through libc's wrapper (from run and from a constructor),
 * through syscall(2), and by the expert's own syscall instruction. */
#define SOCKET_CALL "socket(AF_INET, SOCK_STREAM, 0)"
static const struct {
	const char *expert;
	const char *call;
	const char *location_has;
} violation_expectations[] = {
	{ "socket", SOCKET_CALL, "libc.so.6: __socket+" },
	{ "ctor-socket", SOCKET_CALL, "libc.so.6: __socket+" },
	{ "syscall-socket", SOCKET_CALL, "libc.so.6: syscall+" },
	{ "asm-socket", SOCKET_CALL, "misbehave-asm-socket.so: asm_socket+" },
	{ "fork", "clone(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, NULL, NULL, ", "libc" },
	{ "ctor-open-write", "openat(AT_FDCWD, ", NULL },
};

typedef struct {
	JsonParser *parser;
	JsonObject *root;
	int exit_status;
} Run;

static Run runs[2];
static const int run_jobs[2] = { 1, 4 };
static gint64 capture_frames;

static char *expert_path(const char *name)
{
	if (g_str_equal(name, "not-an-object"))
		return g_strdup(g_getenv("EXPERT_NOT_AN_OBJECT"));
	const char *dir = g_getenv("EXPERT_TEST_EXPERTS");
	if (g_str_equal(name, "missing-run") || g_str_equal(name, "needs-libraries")) {
		g_autofree char *file = g_strconcat(name, ".so", NULL);
		return g_build_filename(dir, file, NULL);
	}
	g_autofree char *file = g_strdup_printf("misbehave-%s.so", name);
	return g_build_filename(dir, file, NULL);
}

static void run_executor(Run *run, int jobs)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(argv, g_strdup(g_getenv("EXPERT_EXEC")));
	g_ptr_array_add(argv, g_strdup("run"));
	g_ptr_array_add(argv, g_strdup("--json"));
	g_ptr_array_add(argv, g_strdup_printf("--jobs=%d", jobs));
	g_ptr_array_add(argv, g_strdup_printf("--profile=%s", g_getenv("EXPERT_CRASH_PROFILE")));
	g_ptr_array_add(argv, g_build_filename(g_getenv("EXPERT_TEST_DATA"), "wikipedia.pcap", NULL));
	for (gsize i = 0; i < G_N_ELEMENTS(expectations); i++)
		g_ptr_array_add(argv, expert_path(expectations[i].expert));
	g_ptr_array_add(argv, NULL);

	g_autofree char *out = NULL, *err = NULL;
	g_autoptr(GError) error = NULL;
	int status;
	if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
	                  &status, &error))
		g_error("cannot run the executor: %s", error->message);
	run->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	run->parser = json_parser_new();
	if (!json_parser_load_from_data(run->parser, out, -1, &error))
		g_error("executor output is not JSON (%s); stderr:\n%s", error->message, err);
	run->root = json_node_get_object(json_parser_get_root(run->parser));
}

static JsonObject *job_at(const Run *run, guint index)
{
	JsonArray *jobs = json_object_get_array_member(run->root, "jobs");
	g_assert_cmpuint(json_array_get_length(jobs), ==, G_N_ELEMENTS(expectations));
	return json_array_get_object_element(jobs, index);
}

/* The child's fault report, if one is expected: present, matching the
 * kernel's signal, naming the code and the instruction. None otherwise. */
static void check_fault(JsonObject *job, const char *code, const char *instruction)
{
	if (!code) {
		g_assert_false(json_object_has_member(job, "fault"));
		return;
	}
	JsonObject *f = json_object_get_object_member(job, "fault");
	g_assert_nonnull(f);
	g_test_message("fault: %s at %s: %s", json_object_get_string_member(f, "code"),
	               json_object_get_string_member(f, "instruction_pointer"),
	               json_object_get_string_member(f, "code_bytes"));
	g_assert_cmpstr(json_object_get_string_member(f, "reported_by"), ==, "child");
	g_assert_true(json_object_get_boolean_member(f, "matches_wait_status"));
	g_assert_cmpstr(json_object_get_string_member(f, "signal"), ==,
	                json_object_get_string_member(job, "signal"));
	g_assert_cmpstr(json_object_get_string_member(f, "code"), ==, code);
	g_assert_cmpstr(json_object_get_string_member_with_default(f, "instruction", NULL), ==,
	                instruction);
	g_assert_cmpstr(json_object_get_string_member(f, "code_bytes"), !=, "");
	/* Every one of these faults is in the expert's own code: named from
	 * the load address the child reported and the file the executor
	 * opened, for every user (no /proc of the child is read). */
	const char *location = json_object_get_string_member_with_default(f, "location", NULL);
	g_test_message("location: %s", location);
	g_assert_nonnull(location);
	g_assert_true(g_str_has_prefix(location, "misbehave-"));
	g_assert_nonnull(strstr(location, ".so: "));
}

/* An expert calling through another ABI: what this kernel does with it. */
static void check_abi_job(const Expectation *e, JsonObject *job)
{
	const AbiExpectation *abi = abi_expectation_find(e->expert);
	g_assert_nonnull(abi);
	const KernelFeatureResult *probe = kernel_feature(abi->abi);
	const char *name = kernel_feature_info(abi->abi)->name;
	const char *outcome = json_object_get_string_member(job, "outcome");
	const char *detail = json_object_get_string_member(job, "detail");
	g_test_message("%s on this kernel: %s (%s)", name, kernel_feature_state_name(probe->state),
	               probe->detail);
	/* Whatever the kernel, the forbidden call did not succeed. */
	g_assert_cmpstr(outcome, !=, "completed");
	const AbiOutcome *want = abi_expected(abi, probe->state);
	if (!want) {
		g_autofree char *why = g_strdup_printf("the probe cannot tell whether this kernel has "
		                                       "the %s (%s), so there is no outcome to expect",
		                                       name, probe->detail);
		g_test_skip(why);
		return;
	}
	g_assert_cmpstr(outcome, ==, want->outcome);
	g_assert_cmpstr(json_object_get_string_member_with_default(job, "signal", ""), ==,
	                want->signal);
	for (gsize i = 0; i < G_N_ELEMENTS(want->detail_has) && want->detail_has[i]; i++)
		g_assert_nonnull(strstr(detail, want->detail_has[i]));
	g_assert_false(json_object_has_member(job, "violation"));
	check_fault(job, want->instruction ? "SI_KERNEL" : NULL, want->instruction);
}

static void check_job(gconstpointer data)
{
	guint index = GPOINTER_TO_UINT(data) & 0xFFFF;
	const Run *run = &runs[GPOINTER_TO_UINT(data) >> 16];
	const Expectation *e = &expectations[index];
	JsonObject *job = job_at(run, index);
	const char *outcome = json_object_get_string_member(job, "outcome");
	const char *detail = json_object_get_string_member(job, "detail");
	g_test_message("%s: %s: %s", e->expert, outcome, detail);

	if (!e->outcome) {
		check_abi_job(e, job);
		return;
	}
	g_assert_cmpstr(outcome, ==, e->outcome);
	if (e->detail_has)
		g_assert_nonnull(strstr(detail, e->detail_has));
	if (e->signal)
		g_assert_cmpstr(json_object_get_string_member_with_default(job, "signal", ""), ==,
		                e->signal);
	check_fault(job, e->fault_code, e->instruction);
	if (e->syscall) {
		JsonObject *v = json_object_get_object_member(job, "violation");
		g_assert_nonnull(v);
		g_assert_cmpstr(json_object_get_string_member(v, "syscall"), ==, e->syscall);
		g_assert_cmpstr(json_object_get_string_member(v, "arch"), ==, "x86_64");
		g_assert_nonnull(json_object_get_string_member(v, "rule"));
		g_assert_nonnull(json_object_get_string_member(v, "call"));
		g_assert_nonnull(strstr(detail, json_object_get_string_member(v, "call")));
	} else {
		/* Killed by the filter itself: the executor was never told which call. */
		g_assert_false(json_object_has_member(job, "violation"));
	}
	for (gsize i = 0; i < G_N_ELEMENTS(violation_expectations); i++) {
		if (!g_str_equal(violation_expectations[i].expert, e->expert))
			continue;
		JsonObject *v = json_object_get_object_member(job, "violation");
		const char *call = json_object_get_string_member(v, "call");
		g_test_message("%s: call %s", e->expert, call);
		/* Whole calls end in ')'; the rest are prefixes (addresses vary). */
		if (g_str_has_suffix(violation_expectations[i].call, ")"))
			g_assert_cmpstr(call, ==, violation_expectations[i].call);
		else
			g_assert_true(g_str_has_prefix(call, violation_expectations[i].call));
	}
	JsonObject *faults = json_object_get_object_member(job, "memory_faults");
	if (g_str_equal(e->expert, "well-behaved")) {
		g_assert_cmpint(json_object_get_int_member(job, "return_value"), ==, 0);
		g_assert_cmpint(json_object_get_int_member(job, "frames_read"), ==, capture_frames);
		JsonObject *event = json_array_get_object_element(
			json_object_get_array_member(job, "events"), 0);
		g_autofree char *frames = g_strdup_printf("%" G_GINT64_FORMAT, capture_frames);
		g_assert_cmpstr(json_object_get_string_member(
			json_object_get_object_member(event, "details"), "frames"), ==, frames);
	}
	if (g_str_equal(e->expert, "bogus-free")) {
		/* A return value of 0 means every bad free got EXPERT_ERR_INVALID_POINTER. */
		g_assert_cmpint(json_object_get_int_member(job, "return_value"), ==, 0);
		g_assert_cmpint(json_object_get_int_member(faults, "invalid_pointer"), ==, 3);
	}
	if (g_str_equal(e->expert, "exhaust-quota")) {
		g_assert_cmpint(json_object_get_int_member(faults, "quota"), >=, 1);
		/* The region really filled: the kernel saw most of its pages. */
		g_assert_cmpint(json_object_get_int_member(job, "peak_pool_bytes"), >,
		                json_object_get_int_member(job, "pool_quota_bytes") / 2);
	}
	if (g_str_equal(e->expert, "overflow-block"))
		g_assert_cmpint(json_object_get_int_member(faults, "corruption"), ==, 1);
	if (g_str_equal(e->expert, "clone3") &&
	    kernel_feature(KERNEL_FEATURE_CLONE3)->state != KERNEL_FEATURE_PRESENT) {
		g_autofree char *why = g_strdup_printf(
			"clone3 is not there to refuse (%s): the kernel's own ENOSYS cannot be told "
			"from the profile's, so this run shows nothing about the filter",
			kernel_feature(KERNEL_FEATURE_CLONE3)->detail);
		g_test_skip(why);
	}
}

/* Where the syscall instruction is: read from /proc/PID/maps of a child
 * that is not dumpable, which only an executor with CAP_SYS_PTRACE (root)
 * may do. Not as root, the report must claim no location at all. */
static void check_location(gconstpointer data)
{
	guint index = GPOINTER_TO_UINT(data) & 0xFFFF;
	const Run *run = &runs[GPOINTER_TO_UINT(data) >> 16];
	const Expectation *e = &expectations[index];
	JsonObject *v = json_object_get_object_member(job_at(run, index), "violation");
	g_assert_nonnull(v);
	const char *location = json_object_get_string_member_with_default(v, "location", NULL);
	g_test_message("%s: location %s", e->expert, location);
	const char *want = NULL;
	for (gsize i = 0; i < G_N_ELEMENTS(violation_expectations); i++)
		if (g_str_equal(violation_expectations[i].expert, e->expert))
			want = violation_expectations[i].location_has;
	g_assert_nonnull(want);
	if (geteuid() != 0) {
		g_assert_null(location);
		g_test_skip("not root: a non-dumpable child's maps are root's to read, so no "
		            "location is reported (checked); where the call was cannot be checked");
		return;
	}
	g_assert_nonnull(location);
	g_assert_nonnull(strstr(location, want));
}

static void check_resources(gconstpointer data)
{
	const Run *run = &runs[GPOINTER_TO_UINT(data)];
	g_assert_cmpint(run->exit_status, ==, 1); /* some experts failed, as they should */
	JsonObject *ex = json_object_get_object_member(run->root, "executor");
	JsonObject *before = json_object_get_object_member(ex, "before");
	JsonObject *after = json_object_get_object_member(ex, "after");
	g_assert_cmpint(json_object_get_int_member(after, "open_fds"), ==,
	                json_object_get_int_member(before, "open_fds"));
	g_assert_cmpint(json_object_get_int_member(after, "pool_regions"), ==, 0);
	g_assert_cmpint(json_object_get_int_member(after, "pool_bytes"), ==, 0);
	g_assert_cmpint(json_object_get_int_member(before, "pool_regions"), ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (int r = 0; r < 2; r++) {
		run_executor(&runs[r], run_jobs[r]);
		capture_frames = json_object_get_int_member(
			json_object_get_object_member(runs[r].root, "capture"), "frames");
		g_autofree char *res = g_strdup_printf("/crashes/jobs-%d/executor-resources-restored",
		                                       run_jobs[r]);
		g_test_add_data_func(res, GUINT_TO_POINTER(r), check_resources);
		for (guint i = 0; i < G_N_ELEMENTS(expectations); i++) {
			g_autofree char *name = g_strdup_printf("/crashes/jobs-%d/%02u-%s", run_jobs[r], i,
			                                        expectations[i].expert);
			gpointer data = GUINT_TO_POINTER(((guint)r << 16) | i);
			g_test_add_data_func(name, data, check_job);
			for (gsize k = 0; k < G_N_ELEMENTS(violation_expectations); k++) {
				if (!g_str_equal(violation_expectations[k].expert, expectations[i].expert) ||
				    !violation_expectations[k].location_has)
					continue;
				g_autofree char *where = g_strconcat(name, "/location", NULL);
				g_test_add_data_func(where, data, check_location);
			}
		}
	}
	int result = g_test_run();
	for (int r = 0; r < 2; r++)
		g_object_unref(runs[r].parser);
	return result;
}
