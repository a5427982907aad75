/* test-hostile.c — the hostile-expert security suite.
 *
 * Every expert under tests/security/experts/ tries one attack on the sandbox
 * (escape the filter, reach what is not its own, exhaust a resource, lie on
 * the channel, hide code where the entry points are not). This runs the real
 * `expert-exec run --json` over a bundled capture with them, and asserts for
 * each: the attack failed, the outcome and its detail name what happened,
 * honest jobs running beside them finished with the right figures, and the
 * executor's descriptors and pool are back where they started.
 *
 * Most attacks run in one executor run under the shipped default profile,
 * one job at a time and four at once. Those that need another profile or
 * another set-up have runs of their own (see `runs` below). Where an attack
 * succeeds today, the test says so: the known gaps of docs/architecture.md
 * ("What is not promised (yet)") are asserted as they are, with the gap
 * named; a hole nobody had listed is g_test_incomplete with what it is.
 *
 * The experts' convention (experts/hostile.h): run returns 0 only if the
 * attack worked. */
#include "job-json.h"
#include "kernel/kernel-features.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct Run Run;
typedef void (*CheckFunc)(const Run *run, JsonObject *job);

typedef struct {
	const char *expert;      /* hostile-EXPERT.so */
	const char *outcome;     /* NULL: check decides */
	const char *syscall;     /* a notified violation: the syscall; NULL: no violation object */
	const char *signal;      /* the child's signal, if it has one to check */
	const char *detail_has;  /* the detail must contain this */
	const char *call_has;    /* the decoded violation must contain this */
	gint64 return_value;     /* for completed */
	CheckFunc check;         /* what else this one must show */
} Expectation;

struct Run {
	const char *name;
	const char *profile;     /* under tests/security/profiles, or a shipped name */
	int jobs;
	const Expectation *expect;
	gsize n_expect;
	gboolean unlimited_stack;
	gboolean secrets;        /* the address-space scan's set-up */
	const char *also;        /* an expert with a profile of its own, or NULL ... */
	const char *also_profile; /* ... this one, under tests/security/profiles */
	JsonParser *parser;
	JsonObject *root;
	int exit_status;
};

static gint64 capture_frames;
/* The secrets of the scan run: its own configuration, another job's, the
 * executor's command line and environment. */
static char *own_secret, *other_secret, *argv_secret, *env_secret;
#define SCAN_FILTER "not host 10.99.88.77"

/* ---- helpers ------------------------------------------------------------ */

static gint64 quota_kib(JsonObject *job)
{
	return json_object_get_int_member(job, "pool_quota_bytes") / 1024;
}

/* ---- checks beyond the outcome ------------------------------------------ */

/* An honest job: every frame read, and the event that says how many. */
static void honest(const Run *run, JsonObject *job)
{
	(void)run;
	job_json_assert_honest(job, capture_frames);
}

/* The filter answered EPERM: the call never reached the kernel (which
 * would have said EINVAL to unsetting no-new-privs). */
static void refused_eperm(const Run *run, JsonObject *job)
{
	(void)run;
	g_assert_cmpstr(job_json_event_detail(job, "refused", "errno"), ==, "1");
}

/* fstat told it that only 0-2 (/dev/null) and 3 (the channel) exist: not
 * the expert object (4, closed after loading), nor the zygote's, nor the
 * capture, region and filter memfds (closed after setup). */
static void only_own_descriptors(const Run *run, JsonObject *job)
{
	(void)run;
	g_assert_cmpstr(job_json_event_detail(job, "descriptors", "open"), ==, "0,1,2,3");
}

/* mprotect reached the kernel (the filter allows it without PROT_EXEC) and
 * the kernel said EACCES: the capture is a write-sealed memfd mapped
 * shared, so the mapping can never become writable. */
static void capture_stays_read_only(const Run *run, JsonObject *job)
{
	(void)run;
	g_assert_cmpstr(job_json_event_detail(job, "mprotect", "errno"), ==, "13");
}

/* libc's malloc (brk, and mmap when brk fails) and private mappings are
 * "data" to the kernel: RLIMIT_DATA, set to the quota, refused them short
 * of it. The outcome is "completed" with the expert's own failure code: the
 * executor's quota faults count only the memory API. */
static void refused_at_quota(const Run *run, JsonObject *job)
{
	(void)run;
	gint64 taken = g_ascii_strtoll(job_json_event_detail(job, "taken", "bytes"), NULL, 10);
	g_assert_cmpint(taken, <, json_object_get_int_member(job, "pool_quota_bytes"));
	g_assert_cmpint(json_object_get_int_member(job, "max_rss_kib"), <, quota_kib(job) + 16384);
	/* Even a terabyte that reserves nothing counts against RLIMIT_DATA. */
	const char *huge = job_json_event_detail(job, "taken", "huge");
	if (huge)
		g_assert_cmpstr(huge, ==, "refused");
}

/* Holes found by this suite, not (yet) listed in docs/architecture.md: the
 * memory quota is the pool region plus RLIMIT_DATA for libc, and the kernel
 * counts as "data" only private writable mappings. Each expert here asks
 * for twice the quota and touches every page; while it gets it, the test
 * is incomplete and says why. Once fixed, it must be refused (completed
 * with 3, or a violation, or killed) without having held much more than
 * the quota. */
static void hole_unless_refused(JsonObject *job, const char *why)
{
	const char *outcome = json_object_get_string_member(job, "outcome");
	gint64 rss = json_object_get_int_member(job, "max_rss_kib");
	if (g_str_equal(outcome, "completed") && json_object_get_int_member(job, "return_value") == 0) {
		g_autofree char *message = g_strdup_printf(
			"HOLE: the expert held %" G_GINT64_FORMAT " KiB (max RSS) under a %" G_GINT64_FORMAT
			" KiB quota and completed: %s. Fix: bound the child's address space (RLIMIT_AS: "
			"region + capture + quota + room for code) and its stack (RLIMIT_STACK) in "
			"executor/child/child-setup.c", rss, quota_kib(job), why);
		g_test_incomplete(message);
		return;
	}
	g_assert_cmpint(rss, <, 2 * quota_kib(job));
}

static void shared_past_quota(const Run *run, JsonObject *job)
{
	(void)run;
	hole_unless_refused(job, "MAP_SHARED|MAP_ANONYMOUS memory is shmem, which RLIMIT_DATA "
	                         "does not count");
}

static void growsdown_past_quota(const Run *run, JsonObject *job)
{
	(void)run;
	hole_unless_refused(job, "a MAP_GROWSDOWN mapping is stack to the kernel, which "
	                         "RLIMIT_DATA does not count");
}

static void stack_past_quota(const Run *run, JsonObject *job)
{
	(void)run;
	hole_unless_refused(job, "the child keeps the RLIMIT_STACK of whoever started the "
	                         "executor (here unlimited, as after `ulimit -s unlimited`, common "
	                         "on batch nodes), and stack is not data either");
	/* Only a hard limit of unlimited lets the run start that way (see
	 * set_stack_limit); below it, the case this run is for did not arise. */
	struct rlimit rl;
	g_assert_cmpint(getrlimit(RLIMIT_STACK, &rl), ==, 0);
	if (rl.rlim_max != RLIM_INFINITY) {
		g_autofree char *why = g_strdup_printf(
			"the executor ran with the largest stack this user may have (%llu KiB, the hard "
			"RLIMIT_STACK), not an unlimited one", (unsigned long long)rl.rlim_max / 1024);
		g_test_skip(why);
	}
}

/* The forged LOADED ended the loading phase early, and the real one, sent
 * after dlopen, is then out of place: a protocol violation. But the forged
 * REGISTERED's name and the event sent from the constructor are in the
 * report: the gap docs/architecture.md admits ("by forging LOADED and
 * REGISTERED itself it could put what it read into events before the real
 * LOADED gets it killed"). The outcome is not "completed", so nobody takes
 * the report for an honest one; and it stays so even when the child runs
 * to its end before the executor reads its channel (see lie-then-exit). */
static void forged_event_reported(const Run *run, JsonObject *job)
{
	(void)run;
	JsonObject *info = json_object_get_object_member(job, "expert");
	g_assert_cmpstr(json_object_get_string_member(info, "name"), ==, "forged in a constructor");
	g_assert_cmpstr(job_json_event_detail(job, "smuggled", "from"), ==, "constructor");
	g_assert_cmpint(json_object_get_int_member(job, "frames_read"), ==, 0);
}

/* A LOADED forged by a constructor is caught when the executor reads it,
 * if the child has not finished loading by then (its descriptor limit is
 * still the loader's: jobs/job-seccomp.c), or else at the real LOADED,
 * with what the constructor smuggled in reported as the expert's own.
 * Which comes first is a race between the child's setrlimit and the
 * executor's read of the channel; both details are true. */
static void forged_loaded_caught(const Run *run, JsonObject *job)
{
	const char *outcome = json_object_get_string_member(job, "outcome");
	const char *detail = json_object_get_string_member(job, "detail");
	g_assert_cmpstr(outcome, ==, "protocol-violation");
	g_assert_cmpint(json_object_get_int_member(job, "frames_read"), ==, 0);
	if (strstr(detail, "said LOADED with its descriptor limit still"))
		return;
	g_assert_nonnull(strstr(detail, "sent loaded while running"));
	forged_event_reported(run, job);
}

/* The raw flood got 10 events into the report and no more. */
static void ten_events(const Run *run, JsonObject *job)
{
	(void)run;
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(job, "events")), ==, 10);
}

static void heap_corruption_reported(const Run *run, JsonObject *job)
{
	(void)run;
	JsonObject *faults = json_object_get_object_member(job, "memory_faults");
	g_assert_cmpint(json_object_get_int_member(faults, "corruption"), ==, 1);
}

/* ---- lies about a fault -------------------------------------------------- */

/* The child's fault report is shown as the child's, whatever it says. */
static JsonObject *claimed_fault(JsonObject *job, gboolean matches)
{
	JsonObject *f = json_object_get_object_member(job, "fault");
	g_assert_nonnull(f);
	g_assert_cmpstr(json_object_get_string_member(f, "reported_by"), ==, "child");
	g_assert_cmpint(json_object_get_boolean_member(f, "matches_wait_status"), ==, matches);
	return f;
}

/* A crash blamed on int $0x80 is believed only as far as this kernel allows:
 * where int $0x80 is a syscall (32-bit emulation), it cannot fault, and the
 * report says the kernel contradicts the child. Where it would fault, the
 * executor cannot tell the lie from the truth, and says whose word it is. */
static void int80_judged_by_the_probe(const Run *run, JsonObject *job)
{
	(void)run;
	const KernelFeatureResult *i386 = kernel_feature(KERNEL_FEATURE_I386);
	const char *detail = json_object_get_string_member(job, "detail");
	g_test_message("i386-abi here: %s (%s)", kernel_feature_state_name(i386->state), i386->detail);
	JsonObject *f = claimed_fault(job, TRUE);
	g_assert_cmpstr(json_object_get_string_member(f, "instruction"), ==, "int $0x80");
	g_assert_nonnull(strstr(detail, "at an int $0x80 instruction (the child's report)"));
	switch (i386->state) {
	case KERNEL_FEATURE_PRESENT:
		g_assert_nonnull(strstr(detail, "which this kernel contradicts"));
		break;
	case KERNEL_FEATURE_ABSENT:
		g_assert_nonnull(strstr(detail, "no 32-bit emulation"));
		break;
	case KERNEL_FEATURE_UNKNOWN:
		g_assert_nonnull(strstr(detail, "is unknown"));
		break;
	}
}

static void claim_not_matching(const Run *run, JsonObject *job)
{
	(void)run;
	claimed_fault(job, FALSE);
}

/* ---- the layers under the filter ----------------------------------------- */

static JsonObject *layer_of(const Run *run, const char *name)
{
	JsonObject *iso = json_object_get_object_member(run->root, "isolation");
	return json_object_get_object_member(json_object_get_object_member(iso, "layers"), name);
}

/* As the run reports it; isolation_as_probed checks that against this
 * test's own probe of the kernel. */
static gboolean layer_active(const Run *run, const char *name)
{
	return g_str_equal(json_object_get_string_member(layer_of(run, name), "state"), "active");
}

static gint64 landlock_abi(const Run *run)
{
	return json_object_get_int_member_with_default(layer_of(run, "landlock"), "abi", 0);
}

/* A check that cannot apply here is a visible skip, with the reason. */
static gboolean needs_layer(const Run *run, const char *name)
{
	if (layer_active(run, name))
		return TRUE;
	g_autofree char *why = g_strdup_printf(
		"%s is not in effect here (%s): the check is for the layer", name,
		json_object_get_string_member(layer_of(run, name), "detail"));
	g_test_skip(why);
	return FALSE;
}

static gint64 errno_reported(JsonObject *job, const char *text)
{
	const char *e = job_json_event_detail(job, text, "errno");
	g_assert_nonnull(e);
	return g_ascii_strtoll(e, NULL, 10);
}

static void assert_completed(JsonObject *job, gint64 rv)
{
	g_assert_cmpstr(json_object_get_string_member(job, "outcome"), ==, "completed");
	g_assert_cmpint(json_object_get_int_member(job, "return_value"), ==, rv);
}

/* A constructor's read of a file its uid may read: refused where the
 * root is empty (ENOENT) or Landlock allows only the object and its
 * libraries (EACCES), as root or not. */
static void ctor_read_refused(const Run *run, JsonObject *job)
{
	gint64 e = errno_reported(job, "read");
	g_test_message("the constructor's read: errno %" G_GINT64_FORMAT, e);
	if (!layer_active(run, "mountns") && !needs_layer(run, "landlock"))
		return;
	assert_completed(job, 2);
	g_assert_true(e == ENOENT || e == EACCES);
}

/* /etc/shadow: the uid alone refuses it unless it is root's; the layers
 * refuse it whatever the uid. */
static void ctor_read_shadow_refused(const Run *run, JsonObject *job)
{
	(void)run;
	assert_completed(job, 2);
	g_assert_cmpint(errno_reported(job, "read"), !=, 0);
}

/* Files the empty root still holds (its /proc): Landlock alone refuses. */
static void landlock_refused(const Run *run, JsonObject *job)
{
	const char *what = job_json_event_detail(job, "read", "errno") ? "read" : "open";
	if (!needs_layer(run, "landlock"))
		return;
	assert_completed(job, 2);
	g_assert_cmpint(errno_reported(job, what), ==, EACCES);
}

static void no_host_path(const Run *run, JsonObject *job)
{
	g_test_message("host paths found: \"%s\"", job_json_event_detail(job, "stat", "found"));
	if (!needs_layer(run, "mountns"))
		return;
	assert_completed(job, 2);
	g_assert_cmpstr(job_json_event_detail(job, "stat", "found"), ==, "");
}

/* In its pid namespace a job is pid 2, and the only other pid there is 1,
 * its namespace's idle init: not this test, not the executor (its child),
 * not the zygote, not a sibling. */
static void sees_only_itself(const Run *run, JsonObject *job)
{
	g_test_message("pid %s; pids found: %s", job_json_event_detail(job, "pids", "self"),
	               job_json_event_detail(job, "pids", "found"));
	if (!needs_layer(run, "pidns"))
		return;
	assert_completed(job, 2);
	g_assert_cmpstr(job_json_event_detail(job, "pids", "self"), ==, "2");
	g_assert_cmpstr(job_json_event_detail(job, "pids", "found"), ==, "1,2");
}

static void no_network(const Run *run, JsonObject *job)
{
	if (!needs_layer(run, "netns"))
		return;
	assert_completed(job, 2);
	g_assert_cmpint(errno_reported(job, "connect"), ==, ENETUNREACH);
}

static void neutral_host_name(const Run *run, JsonObject *job)
{
	if (!needs_layer(run, "utsns"))
		return;
	assert_completed(job, 2);
	g_assert_cmpstr(job_json_event_detail(job, "uname", "nodename"), ==, "expert-exec");
}

static void ipc_holder_made_it(const Run *run, JsonObject *job)
{
	(void)run;
	honest(run, job);
	g_assert_cmpint(errno_reported(job, "shmget"), ==, 0);
}

static void ipc_not_found(const Run *run, JsonObject *job)
{
	g_test_message("the finder's shmget: errno %" G_GINT64_FORMAT, errno_reported(job, "shmget"));
	if (!needs_layer(run, "ipcns"))
		return;
	assert_completed(job, 2);
	g_assert_cmpint(errno_reported(job, "shmget"), ==, ENOENT);
}

/* ---- the known gap: one job can kill another ---------------------------- */

static JsonObject *job_of(const Run *run, const char *expert)
{
	JsonArray *jobs = json_object_get_array_member(run->root, "jobs");
	g_autofree char *suffix = g_strdup_printf("/hostile-%s.so", expert);
	for (guint i = 0; i < json_array_get_length(jobs); i++) {
		JsonObject *job = json_array_get_object_element(jobs, i);
		JsonObject *info = json_object_get_object_member(job, "expert");
		if (g_str_has_suffix(json_object_get_string_member(info, "path"), suffix))
			return job;
	}
	g_assert_not_reached();
}

/* WITHOUT ROOT, A PID NAMESPACE OR LANDLOCK'S SIGNAL SCOPE ONLY (see
 * victim_kept_apart): all children of a run share the invoking user's uid
 * and the default
 * profile allows tgkill (abort() needs it), so tgkill-sibling finds the job
 * forked before it (a harmless SIGURG to every pid below its own, which the
 * victim answers: experts/reach.c) and kills it with SIGKILL. The victim is
 * then reported "crashed: killed by SIGKILL", which blames the wrong job.
 *
 * Two instances of this suite running at once on one machine share that
 * uid too, and one's attacker may pair with the other's victim; the project
 * runs each suite once at a time. */
static void killed_by_sibling(const Run *run, JsonObject *job)
{
	const char *victim_pid = job_json_event_detail(job, "victim", "pid");
	g_assert_nonnull(victim_pid);
	g_assert_cmpstr(job_json_event_detail(job_of(run, "tgkill-sibling"), "sibling", "pid"), ==, victim_pid);
	/* The executor saw the call, and names the job that sent it. */
	g_assert_nonnull(strstr(json_object_get_string_member(job, "detail"),
	                        "sent by job 2 (hostile-tgkill-sibling.so, with tgkill)"));
}

/* ---- the address-space scan --------------------------------------------- */

/* Its own secret must be found, or the scan proves nothing; none of the
 * others may be; and it holds no descriptor beyond 0-3 and no environment.
 * In the run where the secret holder came first, one job at a time, the
 * scanner's child was forked ahead of its job while the holder ran: it
 * must carry nothing of that job either. */
static void scan_found_only_its_own(const Run *run, JsonObject *job)
{
	if (run->jobs == 1) {
		JsonObject *executor = json_object_get_object_member(run->root, "executor");
		JsonObject *prefork = json_object_get_object_member(executor, "prefork");
		g_assert_cmpint(json_object_get_int_member(prefork, "jobs_on_a_ready_child"), >=, 1);
	}
	g_assert_cmpstr(job_json_event_detail(job, "scanned", "descriptors"), ==, "");
	g_assert_cmpstr(job_json_event_detail(job, "scanned", "environ"), ==, "0");
	g_test_message("scan: %s mappings, %s bytes, %s pages faulted",
	               job_json_event_detail(job, "scanned", "mappings"), job_json_event_detail(job, "scanned", "bytes"),
	               job_json_event_detail(job, "scanned", "faults"));
	g_assert_cmpstr(job_json_event_detail(job, "scanned", "own"), ==, own_secret);
	g_assert_cmpstr(job_json_event_detail(job, "scanned", "other"), ==, "");
	g_assert_cmpstr(job_json_event_detail(job, "scanned", "argv"), ==, "");
	g_assert_cmpstr(job_json_event_detail(job, "scanned", "env"), ==, "");
	g_assert_cmpstr(job_json_event_detail(job, "scanned", "filter"), ==, "0");
	g_assert_cmpint(g_ascii_strtoll(job_json_event_detail(job, "scanned", "bytes"), NULL, 10), >, 1 << 20);
}

/* ---- each job under its own profile, children forked ahead -------------- */

static const char *profile_name(JsonObject *job)
{
	return json_object_get_string_member(json_object_get_object_member(job, "profile"), "name");
}

/* uname, which its own profile (layers) allows and the run's (default)
 * does not: it ran, so its child's filter was its profile's. */
static void under_layers(const Run *run, JsonObject *job)
{
	JsonObject *prefork = json_object_get_object_member(
		json_object_get_object_member(run->root, "executor"), "prefork");
	g_assert_cmpint(json_object_get_int_member(prefork, "jobs_on_a_ready_child"), >=, 4);
	g_assert_cmpstr(profile_name(job), ==, "layers");
	assert_completed(job, json_object_get_int_member(job, "return_value"));
}

/* The same children pool, the run's profile: the socket is refused. */
static void under_default(const Run *run, JsonObject *job)
{
	(void)run;
	g_assert_cmpstr(profile_name(job), ==, "default");
}

/* ---- what each expert must get ------------------------------------------ */

#define VIOLATION(e, sc, call) { e, "sandbox-violation", sc, NULL, NULL, call, 0, NULL }
/* A `kill` rule: the kernel kills with SIGSYS and tells the executor nothing. */
#define KILLED(e) { e, "sandbox-violation", NULL, "SIGSYS", "kill", NULL, 0, NULL }
#define PROTOCOL(e, detail) { e, "protocol-violation", NULL, NULL, detail, NULL, 0, NULL }
#define COMPLETED(e, rv, check) { e, "completed", NULL, NULL, NULL, NULL, rv, check }
#define CRASHED(e, sig, detail, check) { e, "crashed", NULL, sig, detail, NULL, 0, check }
#define HONEST(e) COMPLETED(e, 0, honest)
/* W^X refused while loading: the object fails to load, run never runs. */
#define LOAD_REFUSED(e, detail) { e, "failed-to-load", NULL, NULL, detail, NULL, 0, NULL }
/* No fixed outcome: the check decides (see hole_unless_refused). */
#define HOLE(e, check) { e, NULL, NULL, NULL, NULL, NULL, 0, check }

static const Expectation default_expect[] = {
	HONEST("well-behaved"),
	/* Escape the filter. */
	KILLED("seccomp-filter"),
	/* prctl is answered EPERM (libraries call it harmlessly): the expert
	 * sees its attempt fail and says so. */
	COMPLETED("prctl-seccomp", 2, refused_eperm),
	COMPLETED("prctl-nnp-off", 2, refused_eperm),
	KILLED("execve-static"),
	KILLED("execveat-static"),
	KILLED("ptrace-zygote"),
	KILLED("vm-writev-zygote"),
	VIOLATION("pidfd-steal", "pidfd_open", "pidfd_open("),
	KILLED("io-uring"),
	VIOLATION("mmap-exec", "mmap", "PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS"),
	VIOLATION("mprotect-exec", "mprotect", ", 4096, PROT_READ|PROT_EXEC)"),
	VIOLATION("pkey-mprotect-exec", "pkey_mprotect", "pkey_mprotect("),
	/* Reach what is not its own. */
	VIOLATION("open-shadow", "openat", "openat(AT_FDCWD, "),
	VIOLATION("open-proc-mem", "openat", ", O_RDWR, "),
	VIOLATION("open-init-environ", "openat", "openat(AT_FDCWD, "),
	VIOLATION("socket-unix", "socket", "socket(AF_UNIX, SOCK_STREAM, 0)"),
	VIOLATION("socket-netlink", "socket", "socket(AF_NETLINK, SOCK_RAW, 0)"),
	VIOLATION("socket-packet", "socket", "socket(AF_PACKET, SOCK_RAW, 0)"),
	COMPLETED("fd-fstat", 2, only_own_descriptors),
	VIOLATION("fd-read", "read", "read(5<not granted>, "),
	VIOLATION("fd-write", "write", "write(5<not granted>, "),
	CRASHED("write-capture", "SIGSEGV", "SIGSEGV", NULL),
	COMPLETED("mprotect-capture", 2, capture_stays_read_only),
	HONEST("well-behaved"),
	/* getppid() is not allowed: kill(getppid(), ...) dies before kill. */
	VIOLATION("kill-parent", "getppid", "getppid("),
	VIOLATION("kill-zygote", "kill", ", SIGKILL)"),
	VIOLATION("kill-all", "kill", "kill(-1, SIGKILL)"),
	/* Exhaust. */
	COMPLETED("malloc-brk", 3, refused_at_quota),
	COMPLETED("mmap-private", 3, refused_at_quota),
	HOLE("mmap-shared", shared_past_quota),
	HOLE("mmap-growsdown", growsdown_past_quota),
	/* The executor runs with an 8 MiB stack limit here (see run_executor). */
	CRASHED("stack-recursion", "SIGSEGV", "SIGSEGV", NULL),
	VIOLATION("dup-loop", "dup", "dup(0"),
	VIOLATION("fork-bomb", "clone", "clone(SIGCHLD, "),
	VIOLATION("raise-rlimit", "prlimit64", "prlimit64("),
	/* Lie. */
	PROTOCOL("length-short", "malformed message: header length does not match the datagram"),
	PROTOCOL("bad-utf8", "malformed message: string is not valid UTF-8"),
	PROTOCOL("many-details", "malformed message: too many event details"),
	PROTOCOL("second-registered", "sent registered while running"),
	PROTOCOL("after-finished", "sent status after its final message"),
	PROTOCOL("second-hello", "sent a second HELLO"),
	PROTOCOL("pass-fd", "passed a descriptor with a status message"),
	PROTOCOL("fault-kind", "malformed message: unknown memory fault kind"),
	PROTOCOL("executor-message", "sent terminate while running"),
	PROTOCOL("late-load-failed", "sent load-failed while running"),
	/* The lie is read after the zygote reported the exit: it still counts. */
	PROTOCOL("lie-then-exit", "sent loaded while running"),
	CRASHED("underflow-block", "SIGABRT", "heap metadata", heap_corruption_reported),
	CRASHED("scribble-heap", "SIGABRT", "heap metadata", heap_corruption_reported),
	/* Lies about a fault: the kernel's wait status and probe decide. */
	CRASHED("fault-forged-int80", "SIGSEGV", "the child's report", int80_judged_by_the_probe),
	CRASHED("fault-wrong-signal", "SIGSEGV", "the child reported SIGBUS at ip ",
	        claim_not_matching),
	CRASHED("fault-then-exit", NULL, "exited with status 0 before run returned",
	        claim_not_matching),
	PROTOCOL("fault-then-live", "sent status after its fault report"),
	PROTOCOL("fault-twice", "sent fault after its fault report"),
	PROTOCOL("fault-bad-signal", "malformed message: fault signal is not SIGSEGV"),
	/* Fault injection's reports, where none was planned. */
	PROTOCOL("inject-unplanned", "reported a fault injected, though none was planned"),
	PROTOCOL("calls-unplanned", "sent its call counts, though no fault injection was planned"),
	/* Run code nobody loaded: W^X while loading. */
	LOAD_REFUSED("wx-execstack", "asks for an executable stack"),
	LOAD_REFUSED("wx-rwx-segment", "a mapping both writable and executable, which W^X forbids; "
	                               "hostile-wx-rwx-segment.so: it has a load segment both "
	                               "writable and executable"),
	LOAD_REFUSED("wx-ctor-rwx", "a mapping both writable and executable, which W^X forbids"),
	LOAD_REFUSED("wx-ctor-anon-exec", "an executable mapping of no file"),
	LOAD_REFUSED("wx-ctor-mprotect", "execute permission added to memory already mapped"),
	/* Hide. */
	PROTOCOL("ctor-event", "sent event while loading"),
	{ "ctor-forge", NULL, NULL, NULL, NULL, NULL, 0, forged_loaded_caught },
	VIOLATION("ifunc-socket", "socket", "socket(AF_INET, SOCK_STREAM, 0)"),
	/* The destructor never runs: the child leaves with _exit. */
	HONEST("dtor-socket"),
	/* Last: the storm before must not have hurt it. */
	HONEST("well-behaved"),
};

static const Expectation limits_expect[] = {
	HONEST("well-behaved"),
	{ "flood-events", "protocol-violation", NULL, NULL,
	  "submitted more than the profile's 10 events", NULL, 0, ten_events },
	/* SIGXCPU ignored: the hard limit's SIGKILL a second later, seen as
	 * CPU time spent, not as a crash. */
	{ "ignore-sigxcpu", "timed-out", NULL, "SIGKILL", "CPU time limit", NULL, 0, NULL },
	HONEST("well-behaved"),
};

/* Jobs are kept apart by a uid each (as root), by a pid namespace each
 * (the victim's pid is not there to find), or by Landlock's signal scope
 * (ABI 6: no signal leaves the job's domain). Without any of them, every
 * job is the invoking user's, and the gap of docs/architecture.md is
 * asserted as it is: see killed_by_sibling. */
static gboolean jobs_apart(const Run *run)
{
	return geteuid() == 0 || layer_active(run, "pidns") ||
	       (layer_active(run, "landlock") && landlock_abi(run) >= 6);
}

static void victim_kept_apart(const Run *run, JsonObject *job)
{
	const char *outcome = json_object_get_string_member(job, "outcome");
	if (!jobs_apart(run)) {
		g_assert_cmpstr(outcome, ==, "crashed");
		g_assert_cmpstr(json_object_get_string_member(job, "signal"), ==, "SIGKILL");
		killed_by_sibling(run, job);
		return;
	}
	g_assert_cmpstr(outcome, ==, "completed");
}

static void sibling_found_no_one(const Run *run, JsonObject *job)
{
	g_assert_cmpstr(json_object_get_string_member(job, "outcome"), ==, "completed");
	g_assert_cmpint(json_object_get_int_member(job, "return_value"), ==, jobs_apart(run) ? 3 : 0);
}

static const Expectation sibling_expect[] = {
	HOLE("victim", victim_kept_apart),
	HOLE("tgkill-sibling", sibling_found_no_one),
};

static const Expectation layers_expect[] = {
	HONEST("well-behaved"),
	HOLE("ctor-read-passwd", ctor_read_refused),
	HOLE("ctor-read-tmp", ctor_read_refused),
	HOLE("ctor-read-shadow", ctor_read_shadow_refused),
	HOLE("ctor-read-proc", landlock_refused),
	HOLE("open-after-load", landlock_refused),
	HOLE("stat-host-paths", no_host_path),
	HOLE("pid-scan", sees_only_itself),
	HOLE("net-probe", no_network),
	HOLE("uts-name", neutral_host_name),
	HONEST("well-behaved"),
};

/* Two at once: the finder looks while the holder's segment exists. */
static const Expectation ipc_expect[] = {
	{ "ipc-holder", "completed", NULL, NULL, NULL, NULL, 0, ipc_holder_made_it },
	HOLE("ipc-finder", ipc_not_found),
};

static const Expectation stack_expect[] = {
	HONEST("well-behaved"),
	HOLE("stack-recursion", stack_past_quota),
};

static const Expectation scan_expect[] = {
	/* Its secret is in its pool memory, libc heap, stack, static memory and
	 * environment while the scan runs (or before it, one job at a time). */
	HONEST("secret-holder"),
	COMPLETED("scan-memory", 2, scan_found_only_its_own),
};

/* Two profiles, their jobs one after the other, each job's child forked
 * ahead of it: a job of one never gets a child of the other. */
#define NET_PROBE_UNDER_DEFAULT \
	{ "net-probe", "sandbox-violation", "socket", NULL, NULL, "socket(AF_INET, SOCK_DGRAM", 0, \
	  under_default }
static const Expectation apart_expect[] = {
	HOLE("uts-name", under_layers), NET_PROBE_UNDER_DEFAULT,
	HOLE("uts-name", under_layers), NET_PROBE_UNDER_DEFAULT,
	NET_PROBE_UNDER_DEFAULT, HOLE("uts-name", under_layers),
	HOLE("uts-name", under_layers), NET_PROBE_UNDER_DEFAULT,
};

#define RUN(...) { __VA_ARGS__, .parser = NULL, .root = NULL, .exit_status = -1 }
#define EXPECT(table) .expect = table, .n_expect = G_N_ELEMENTS(table)

static Run runs[] = {
	RUN(.name = "default-jobs-1", .profile = "default", .jobs = 1, EXPECT(default_expect),
	    .unlimited_stack = FALSE, .secrets = FALSE),
	RUN(.name = "default-jobs-4", .profile = "default", .jobs = 4, EXPECT(default_expect),
	    .unlimited_stack = FALSE, .secrets = FALSE),
	RUN(.name = "limits", .profile = "limits.profile", .jobs = 1, EXPECT(limits_expect),
	    .unlimited_stack = FALSE, .secrets = FALSE),
	/* Two at once: the victim must be alive when its sibling looks for it. */
	RUN(.name = "sibling", .profile = "default", .jobs = 2, EXPECT(sibling_expect),
	    .unlimited_stack = FALSE, .secrets = FALSE),
	/* As if started from a shell after `ulimit -s unlimited`. */
	RUN(.name = "stack-unlimited", .profile = "default", .jobs = 1, EXPECT(stack_expect),
	    .unlimited_stack = TRUE, .secrets = FALSE),
	RUN(.name = "scan", .profile = "scan.profile", .jobs = 2, EXPECT(scan_expect),
	    .unlimited_stack = FALSE, .secrets = TRUE),
	/* The holder first, then the scanner in a child pre-forked meanwhile
	 * (jobs/prefork.h): nothing of a previous job in the next one's. */
	RUN(.name = "previous-job", .profile = "scan.profile", .jobs = 1, EXPECT(scan_expect),
	    .unlimited_stack = FALSE, .secrets = TRUE),
	RUN(.name = "layers", .profile = "layers.profile", .jobs = 1, EXPECT(layers_expect),
	    .unlimited_stack = FALSE, .secrets = FALSE),
	RUN(.name = "ipc", .profile = "layers.profile", .jobs = 2, EXPECT(ipc_expect),
	    .unlimited_stack = FALSE, .secrets = FALSE),
	RUN(.name = "profiles-apart", .profile = "default", .jobs = 1, EXPECT(apart_expect),
	    .unlimited_stack = FALSE, .secrets = FALSE, .also = "hostile-uts-name",
	    .also_profile = "layers.profile"),
};

/* ---- running the executor ----------------------------------------------- */

/* The executor's stack limit. Unlimited: as far as the hard limit allows,
 * which only root may raise (stack_past_quota says when that was short of
 * unlimited). */
static void set_up_executor(gpointer data)
{
	const Run *run = data;
	struct rlimit rl;
	if (getrlimit(RLIMIT_STACK, &rl) == 0) {
		rl.rlim_cur = run->unlimited_stack ? rl.rlim_max : MIN(rl.rlim_cur, (rlim_t)8 << 20);
		setrlimit(RLIMIT_STACK, &rl);
	}
}

static char *random_secret(const char *marker)
{
	static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	GString *s = g_string_new(marker);
	for (int i = 0; i < 20; i++)
		g_string_append_c(s, alnum[g_random_int_range(0, (gint32)sizeof(alnum) - 1)]);
	return g_string_free(s, FALSE);
}

static void run_executor(Run *run)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) envp = g_get_environ();
	g_ptr_array_add(argv, g_strdup(g_getenv("EXPERT_EXEC")));
	g_ptr_array_add(argv, g_strdup("run"));
	g_ptr_array_add(argv, g_strdup("--json"));
	g_ptr_array_add(argv, g_strdup_printf("--jobs=%d", run->jobs));
	if (g_str_has_suffix(run->profile, ".profile"))
		g_ptr_array_add(argv, g_strdup_printf("--profile=%s/%s",
		                                      g_getenv("EXPERT_HOSTILE_PROFILES"), run->profile));
	else
		g_ptr_array_add(argv, g_strdup_printf("--profile=%s", run->profile));
	if (run->also)
		g_ptr_array_add(argv, g_strdup_printf("--profile=%s=%s/%s", run->also,
		                                      g_getenv("EXPERT_HOSTILE_PROFILES"),
		                                      run->also_profile));
	g_autofree char *output_dir = NULL;
	if (run->secrets) {
		/* The secrets the scanner must not find, and its own, which it must. */
		g_autofree char *template = g_strconcat(argv_secret, "XXXXXX", NULL);
		output_dir = g_dir_make_tmp(template, NULL);
		g_assert_nonnull(output_dir);
		envp = g_environ_setenv(envp, "EXPERT_HOSTILE_SECRET", env_secret, TRUE);
		g_ptr_array_add(argv, g_strdup_printf("--output-dir=%s", output_dir));
		g_ptr_array_add(argv, g_strdup("--filter=" SCAN_FILTER));
		g_ptr_array_add(argv, g_strdup_printf("--config=hostile-secret-holder:secret=%s",
		                                      other_secret));
		g_ptr_array_add(argv, g_strdup_printf("--config=hostile-scan-memory:secret=%s",
		                                      own_secret));
	}
	/* Where the pid scan looks beyond the low pids: around this test's own,
	 * the executor's parent. */
	g_ptr_array_add(argv, g_strdup_printf("--config=*:near=%d", (int)getpid()));
	g_ptr_array_add(argv, g_build_filename(g_getenv("EXPERT_TEST_DATA"), "wikipedia.pcap", NULL));
	for (gsize i = 0; i < run->n_expect; i++) {
		g_autofree char *file = g_strdup_printf("hostile-%s.so", run->expect[i].expert);
		g_ptr_array_add(argv, g_build_filename(g_getenv("EXPERT_HOSTILE_EXPERTS"), file, NULL));
	}
	g_ptr_array_add(argv, NULL);

	g_autofree char *out = NULL, *err = NULL;
	g_autoptr(GError) error = NULL;
	int status;
	if (!g_spawn_sync(NULL, (char **)argv->pdata, envp, G_SPAWN_DEFAULT, set_up_executor, run,
	                  &out, &err, &status, &error))
		g_error("cannot run the executor: %s", error->message);
	if (output_dir)
		rmdir(output_dir);
	run->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	run->parser = json_parser_new();
	if (!json_parser_load_from_data(run->parser, out, -1, &error))
		g_error("%s: executor output is not JSON (%s); stderr:\n%s", run->name, error->message, err);
	run->root = json_node_get_object(json_parser_get_root(run->parser));
}

/* ---- the tests ---------------------------------------------------------- */

static void check_job(gconstpointer data)
{
	const Run *run = &runs[GPOINTER_TO_UINT(data) >> 16];
	guint index = GPOINTER_TO_UINT(data) & 0xFFFF;
	const Expectation *e = &run->expect[index];
	JsonObject *job = json_array_get_object_element(
		json_object_get_array_member(run->root, "jobs"), index);
	const char *outcome = json_object_get_string_member(job, "outcome");
	const char *detail = json_object_get_string_member(job, "detail");
	g_test_message("%s: %s: %s", e->expert, outcome, detail);
	g_autofree char *suffix = g_strdup_printf("/hostile-%s.so", e->expert);
	g_assert_true(g_str_has_suffix(json_object_get_string_member(
		json_object_get_object_member(job, "expert"), "path"), suffix));

	if (!e->outcome) {
		e->check(run, job);
		return;
	}
	g_assert_cmpstr(outcome, ==, e->outcome);
	g_assert_cmpstr(detail, !=, "");
	if (e->detail_has)
		g_assert_nonnull(strstr(detail, e->detail_has));
	if (e->signal)
		g_assert_cmpstr(json_object_get_string_member_with_default(job, "signal", ""), ==,
		                e->signal);
	if (g_str_equal(e->outcome, "completed"))
		g_assert_cmpint(json_object_get_int_member(job, "return_value"), ==, e->return_value);
	if (e->syscall) {
		JsonObject *v = json_object_get_object_member(job, "violation");
		g_assert_nonnull(v);
		g_assert_cmpstr(json_object_get_string_member(v, "syscall"), ==, e->syscall);
		g_assert_cmpstr(json_object_get_string_member(v, "arch"), ==, "x86_64");
		const char *call = json_object_get_string_member(v, "call");
		g_test_message("%s: %s by %s", e->expert, call, json_object_get_string_member(v, "rule"));
		g_assert_nonnull(strstr(call, e->call_has));
		g_assert_nonnull(strstr(detail, call));
	} else {
		g_assert_false(json_object_has_member(job, "violation"));
	}
	if (e->check)
		e->check(run, job);
}

/* What the run says is in effect agrees with this test's own probe of
 * the kernel (kernel/kernel-features.c): no layer claimed that the kernel
 * lacks, none left out that it offers. */
static void isolation_as_probed(gconstpointer data)
{
	const Run *run = &runs[GPOINTER_TO_UINT(data)];
	g_test_message("%s", json_object_get_string_member(
		json_object_get_object_member(run->root, "isolation"), "summary"));
	gsize n;
	const KernelFeatureInfo *table = kernel_feature_table(&n);
	for (gsize i = 0; i < n; i++) {
		if (table[i].role != KERNEL_FEATURE_LAYER)
			continue;
		const KernelFeatureResult *probe = kernel_feature(table[i].id);
		const char *state = json_object_get_string_member(layer_of(run, table[i].name), "state");
		g_test_message("%s: %s; the probe: %s (%s)", table[i].name, state,
		               kernel_feature_state_name(probe->state), probe->detail);
		if (table[i].id == KERNEL_FEATURE_USER_NAMESPACES && geteuid() == 0) {
			g_assert_cmpstr(state, ==, "not-needed");
			continue;
		}
		if (probe->state == KERNEL_FEATURE_PRESENT)
			g_assert_cmpstr(state, ==, "active");
		else if (probe->state == KERNEL_FEATURE_ABSENT)
			g_assert_cmpstr(state, ==, "missing");
		if (table[i].id == KERNEL_FEATURE_LANDLOCK && probe->state == KERNEL_FEATURE_PRESENT)
			g_assert_cmpint(landlock_abi(run), ==, probe->version);
	}
}

static void check_run(gconstpointer data)
{
	const Run *run = &runs[GPOINTER_TO_UINT(data)];
	JsonArray *jobs = json_object_get_array_member(run->root, "jobs");
	gboolean all_zero = TRUE;
	for (guint i = 0; i < json_array_get_length(jobs); i++) {
		JsonObject *job = json_array_get_object_element(jobs, i);
		all_zero = all_zero && g_str_equal(json_object_get_string_member(job, "outcome"),
		                                   "completed") &&
		           json_object_get_int_member(job, "return_value") == 0;
	}
	g_assert_cmpint(run->exit_status, ==, all_zero ? 0 : 1);
	JsonObject *ex = json_object_get_object_member(run->root, "executor");
	JsonObject *before = json_object_get_object_member(ex, "before");
	JsonObject *after = json_object_get_object_member(ex, "after");
	g_assert_cmpint(json_object_get_int_member(after, "open_fds"), ==,
	                json_object_get_int_member(before, "open_fds"));
	g_assert_cmpint(json_object_get_int_member(before, "pool_regions"), ==, 0);
	g_assert_cmpint(json_object_get_int_member(after, "pool_regions"), ==, 0);
	g_assert_cmpint(json_object_get_int_member(after, "pool_bytes"), ==, 0);
}

/* What ctor-read-tmp tries to read (experts/hostile.h): world-readable, so
 * that only a layer under the filter can refuse it. Made here unless there
 * already is one any uid can read (another user's run left it: /tmp is
 * sticky, so it cannot be replaced). */
#define HOSTILE_TMP_SECRET "/tmp/expert-exec-hostile-secret"

static gboolean plant_tmp_secret(void)
{
	int fd = open(HOSTILE_TMP_SECRET, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		g_assert_true(g_file_test(HOSTILE_TMP_SECRET, G_FILE_TEST_IS_REGULAR));
		return FALSE;
	}
	fchmod(fd, 0644);
	g_assert_cmpint(write(fd, "XYZZY-TMP-secret\n", 17), ==, 17);
	close(fd);
	return TRUE;
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	gboolean planted = plant_tmp_secret();
	own_secret = random_secret("XYZZY-OWN-");
	other_secret = random_secret("XYZZY-OTHER-");
	argv_secret = random_secret("XYZZY-ARGV-");
	env_secret = random_secret("XYZZY-ENV-");
	for (guint r = 0; r < G_N_ELEMENTS(runs); r++) {
		run_executor(&runs[r]);
		capture_frames = json_object_get_int_member(
			json_object_get_object_member(runs[r].root, "capture"), "frames");
		g_autofree char *res = g_strdup_printf("/security/%s/executor-resources-restored",
		                                       runs[r].name);
		g_test_add_data_func(res, GUINT_TO_POINTER(r), check_run);
		g_autofree char *iso = g_strdup_printf("/security/%s/isolation-as-probed", runs[r].name);
		g_test_add_data_func(iso, GUINT_TO_POINTER(r), isolation_as_probed);
		for (guint i = 0; i < runs[r].n_expect; i++) {
			const Expectation *e = &runs[r].expect[i];
			g_autofree char *name = g_strdup_printf("/security/%s/%02u-%s", runs[r].name, i,
			                                        e->expert);
			g_test_add_data_func(name, GUINT_TO_POINTER((r << 16) | i), check_job);
		}
	}
	int result = g_test_run();
	if (planted)
		g_unlink(HOSTILE_TMP_SECRET);
	for (guint r = 0; r < G_N_ELEMENTS(runs); r++)
		g_object_unref(runs[r].parser);
	g_free(own_secret);
	g_free(other_secret);
	g_free(argv_secret);
	g_free(env_secret);
	return result;
}
