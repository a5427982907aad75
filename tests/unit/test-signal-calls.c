/* test-signal-calls.c — the table of signal-sending calls
 * (executor/syscalls/signal-calls.c) and the filter prefix built from it
 * (executor/profiles/filter-prefix.c), run here by a small interpreter of
 * the instructions it uses: every call that sends a signal reaches the
 * executor, nothing else does, and only through the native ABI; and the
 * child's own calls on its fixed descriptors while it loads are let through
 * exactly, on the loader's descriptor only, never writable, shared or
 * anonymous mappings, the loader's openat only where asked; and with a
 * fault injected, writes to granted outputs handed to the executor. */
#include "profiles/filter-prefix.h"
#include "syscalls/signal-calls.h"

#include "protocol/child-protocol.h"

#include <fcntl.h>
#include <glib.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#define NOTIFIED (-1)
#define ALLOWED (-2)

/* The prefix of a run with Landlock, for a profile of 16 descriptors. */
static const FilterChildCalls all_calls = { .loader_fd = 16, .loader_opens = TRUE };

/* Where the prefix leaves a call: NOTIFIED, ALLOWED, or the instruction it
 * jumps to (its length: libseccomp's first). */
static int run_prefix(const struct sock_filter *insns, guint n, const struct seccomp_data *data)
{
	guint32 a = 0;
	for (guint pc = 0; pc < n; pc++) {
		const struct sock_filter *i = &insns[pc];
		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			g_assert_cmpuint(i->k + 4, <=, sizeof(*data));
			memcpy(&a, (const guint8 *)data + i->k, 4);
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += a >= i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JA:
			pc += i->k;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= i->k;
			break;
		case BPF_RET | BPF_K:
			if (i->k == SECCOMP_RET_ALLOW)
				return ALLOWED;
			g_assert_cmpuint(i->k, ==, SECCOMP_RET_USER_NOTIF);
			return NOTIFIED;
		default:
			g_error("instruction %u: code %#x", pc, i->code);
		}
		g_assert_cmpuint(pc + 1, <=, n);
	}
	return (int)n;
}

static struct seccomp_data call(int nr, guint64 a0, guint64 a1, guint64 a2)
{
	struct seccomp_data d = { .nr = nr, .arch = AUDIT_ARCH_X86_64, .args = { a0, a1, a2 } };
	return d;
}

static struct seccomp_data mmap_call(guint64 prot, guint64 flags, guint64 fd)
{
	struct seccomp_data d = { .nr = SYS_mmap, .arch = AUDIT_ARCH_X86_64,
	                          .args = { 0, 4096, prot, flags, fd, 0 } };
	return d;
}

static void test_prefix_notifies_exactly_the_signal_calls(void)
{
	guint n;
	g_autofree struct sock_filter *p = filter_prefix_build(&all_calls, &n);
	g_assert_cmpuint(n, <, 255);
	struct { struct seccomp_data d; gboolean notified; const char *what; } cases[] = {
		{ call(SYS_tgkill, 7, 7, SIGXCPU), TRUE, "tgkill SIGXCPU" },
		{ call(SYS_tgkill, 7, 7, 0), FALSE, "tgkill 0 (a probe)" },
		{ call(SYS_tgkill, 7, 7, G_GUINT64_CONSTANT(1) << 32), FALSE, "signal 0 in the low half" },
		{ call(SYS_tgkill, 7, 7, (G_GUINT64_CONSTANT(1) << 32) | SIGSYS), TRUE, "SIGSYS in the low half" },
		{ call(SYS_kill, 7, SIGSYS, 0), TRUE, "kill SIGSYS" },
		{ call(SYS_tkill, 7, SIGXFSZ, 0), TRUE, "tkill SIGXFSZ" },
		{ call(SYS_rt_sigqueueinfo, 7, SIGSEGV, 0), TRUE, "rt_sigqueueinfo" },
		{ call(SYS_rt_tgsigqueueinfo, 7, 7, SIGABRT), TRUE, "rt_tgsigqueueinfo" },
		{ call(SYS_pidfd_send_signal, 5, SIGKILL, 0), TRUE, "pidfd_send_signal" },
		{ call(SYS_fcntl, 4, F_SETSIG, SIGSYS), TRUE, "fcntl F_SETSIG" },
		{ call(SYS_fcntl, 4, F_GETFL, SIGSYS), FALSE, "fcntl F_GETFL" },
		{ call(SYS_fcntl, 4, F_SETSIG, 0), FALSE, "fcntl F_SETSIG 0" },
		{ call(SYS_prctl, PR_SET_PDEATHSIG, SIGSYS, 0), TRUE, "prctl PR_SET_PDEATHSIG" },
		{ call(SYS_prctl, PR_SET_NAME, SIGSYS, 0), FALSE, "prctl PR_SET_NAME" },
		{ call(SYS_timer_create, 1, 0x7f0000001000, 0), TRUE, "timer_create with a sigevent" },
		{ call(SYS_timer_create, 1, G_GUINT64_CONSTANT(1) << 40, 0), TRUE, "a sigevent high up" },
		{ call(SYS_timer_create, 1, 0, 0), FALSE, "timer_create without" },
		{ call(SYS_mq_notify, 3, 0x1000, 0), TRUE, "mq_notify" },
		{ call(SYS_getpid, 0, SIGSYS, SIGSYS), FALSE, "getpid" },
		{ call(SYS_write, 3, SIGSYS, SIGSYS), FALSE, "write" },
		/* x32 numbers and other ABIs: for libseccomp's bad-arch action. */
		{ call(SYS_tgkill | 0x40000000, 7, 7, SIGSYS), FALSE, "x32 tgkill" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		int r = run_prefix(p, n, &cases[i].d);
		g_test_message("%s: %s", cases[i].what, r == NOTIFIED ? "notified" : "on to the profile");
		g_assert_cmpint(r == NOTIFIED, ==, cases[i].notified);
		if (r != NOTIFIED)
			g_assert_cmpint(r, ==, (int)n);
	}
	struct seccomp_data i386 = call(270 /* tgkill, i386 */, 7, 7, SIGSYS);
	i386.arch = AUDIT_ARCH_I386;
	g_assert_cmpint(run_prefix(p, n, &i386), ==, (int)n);
}

/* What the child's setup and the loader do on its fixed descriptors passes
 * in the kernel; anything else of the same calls goes on to the profile. */
static void test_prefix_lets_the_loader_through_on_its_descriptor(void)
{
	guint n;
	g_autofree struct sock_filter *p = filter_prefix_build(&all_calls, &n);
	const guint64 fd = 16, cwd = (guint32)AT_FDCWD;
	struct { struct seccomp_data d; int where; const char *what; } cases[] = {
		{ call(SYS_read, fd, 0, 832), ALLOWED, "read of the loader's descriptor" },
		{ call(SYS_read, fd + 1, 0, 832), (int)n, "read of another" },
		{ call(SYS_read, (G_GUINT64_CONSTANT(1) << 32) | fd, 0, 0), ALLOWED,
		  "the kernel reads the descriptor as its low half" },
		{ call(SYS_pread64, fd, 0, 0), ALLOWED, "pread64" },
		{ call(SYS_newfstatat, fd, 0, 0), ALLOWED, "newfstatat" },
		{ call(SYS_close, fd, 0, 0), ALLOWED, "close" },
		{ call(SYS_close, 3, 0, 0), (int)n, "close of the channel: the profile's" },
		{ mmap_call(PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED | MAP_DENYWRITE, fd), ALLOWED,
		  "the loader mapping code" },
		{ mmap_call(PROT_READ, MAP_PRIVATE, fd), ALLOWED, "the loader mapping data" },
		{ mmap_call(PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE, fd), (int)n,
		  "writable and executable" },
		{ mmap_call(PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd), (int)n,
		  "writable (the loader's .data: the profile decides)" },
		{ mmap_call(PROT_READ | PROT_EXEC, MAP_SHARED, fd), (int)n, "shared" },
		{ mmap_call(PROT_READ | PROT_EXEC, MAP_SHARED_VALIDATE, fd), (int)n, "shared, validated" },
		{ mmap_call(PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, fd), (int)n,
		  "anonymous, whatever the descriptor" },
		{ mmap_call(PROT_READ | PROT_EXEC, MAP_PRIVATE, fd + 1), (int)n, "code of another descriptor" },
		{ call(SYS_openat, cwd, 0x1000, O_RDONLY | O_CLOEXEC), ALLOWED, "the loader's openat" },
		{ call(SYS_openat, cwd, 0x1000, O_RDONLY), (int)n, "openat without O_CLOEXEC" },
		{ call(SYS_openat, cwd, 0x1000, O_RDWR | O_CLOEXEC), (int)n, "openat for writing" },
		{ call(SYS_openat, 5, 0x1000, O_RDONLY | O_CLOEXEC), (int)n, "openat under a directory" },
		{ call(SYS_landlock_add_rule, CHILD_FD_LOADING_RULES, 1, 0x1000), ALLOWED,
		  "a rule for the loading domain" },
		{ call(SYS_landlock_add_rule, CHILD_FD_LOADED_RULES, 1, 0x1000), (int)n,
		  "a rule for the domain after loading" },
		{ call(SYS_close_range, CHILD_FD_FIRST_GRANTED, ~0u, 0), ALLOWED, "closing all but 0-3" },
		{ call(SYS_close_range, 3, ~0u, 0), (int)n, "closing the channel too" },
		{ call(SYS_prlimit64, 0, RLIMIT_NOFILE, 0x1000), ALLOWED, "its own descriptor limit" },
		{ call(SYS_prlimit64, 0, RLIMIT_NPROC, 0x1000), (int)n, "another limit" },
		{ call(SYS_prlimit64, 1, RLIMIT_NOFILE, 0x1000), (int)n, "another process's" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		int r = run_prefix(p, n, &cases[i].d);
		g_test_message("%s: %s", cases[i].what,
		               r == ALLOWED ? "allowed" : r == NOTIFIED ? "notified" : "on to the profile");
		g_assert_cmpint(r, ==, cases[i].where);
	}
	struct seccomp_data x32 = call(SYS_read | 0x40000000, fd, 0, 0);
	g_assert_cmpint(run_prefix(p, n, &x32), ==, (int)n);

	/* Where the loader's descriptor is not fixed, its calls are the
	 * profile's (and so the executor's); without Landlock, its openat. */
	const FilterChildCalls none = { .loader_fd = -1, .loader_opens = FALSE };
	g_autofree struct sock_filter *q = filter_prefix_build(&none, &n);
	struct seccomp_data d = call(SYS_read, fd, 0, 832);
	g_assert_cmpint(run_prefix(q, n, &d), ==, (int)n);
	d = mmap_call(PROT_READ | PROT_EXEC, MAP_PRIVATE, fd);
	g_assert_cmpint(run_prefix(q, n, &d), ==, (int)n);
	d = call(SYS_openat, cwd, 0x1000, O_RDONLY | O_CLOEXEC);
	g_assert_cmpint(run_prefix(q, n, &d), ==, (int)n);
	d = call(SYS_close_range, CHILD_FD_FIRST_GRANTED, ~0u, 0);
	g_assert_cmpint(run_prefix(q, n, &d), ==, ALLOWED);
}

/* The executor's reading of the same calls agrees with the filter's. */
static void test_table_reads_signal_and_target(void)
{
	guint64 args[6] = { 42, 42, SIGXCPU, 0, 0, 0 };
	const SignalCall *c = signal_call_find(SYS_tgkill, args);
	g_assert_nonnull(c);
	g_assert_cmpint(signal_call_signal(c, args), ==, SIGXCPU);
	g_assert_cmpint(signal_call_to_self(c, args, 42), ==, 1);
	g_assert_cmpint(signal_call_to_self(c, args, 43), ==, 0);
	guint64 probe[6] = { 42, 42, 0, 0, 0, 0 };
	g_assert_null(signal_call_find(SYS_tgkill, probe));
	/* kill: a pid, its own group (0), a group, everyone but itself (-1). */
	guint64 k[6] = { 42, SIGSYS, 0, 0, 0, 0 };
	c = signal_call_find(SYS_kill, k);
	g_assert_cmpint(signal_call_to_self(c, k, 42), ==, 1);
	k[0] = 0;
	g_assert_cmpint(signal_call_to_self(c, k, 42), ==, -1);
	k[0] = (guint64)-7;
	g_assert_cmpint(signal_call_to_self(c, k, 42), ==, -1);
	k[0] = (guint64)-1;
	g_assert_cmpint(signal_call_to_self(c, k, 42), ==, 0);
	/* The kernel reads an int: the high half of the pid does not count. */
	k[0] = (G_GUINT64_CONSTANT(7) << 32) | 42;
	g_assert_cmpint(signal_call_to_self(c, k, 42), ==, 1);
	guint64 setsig[6] = { 4, F_SETSIG, SIGSYS, 0, 0, 0 };
	c = signal_call_find(SYS_fcntl, setsig);
	g_assert_nonnull(c);
	g_assert_cmpint(signal_call_to_self(c, setsig, 42), ==, 1);
	guint64 sev[6] = { 1, 0x1000, 0, 0, 0, 0 };
	c = signal_call_find(SYS_timer_create, sev);
	g_assert_cmpint(c->kind, ==, SIGNAL_CALL_SIGEVENT);
	g_assert_cmpint(signal_call_signal(c, sev), ==, 0);
	g_assert_null(signal_call_find(SYS_getpid, args));
}

/* With watch_output_writes (a run with write@N injected), every write call
 * to a descriptor of a granted output reaches the executor, and nothing
 * else changes; without it, no write does. */
static void test_prefix_watches_output_writes_only_when_asked(void)
{
	FilterChildCalls watching = all_calls;
	watching.watch_output_writes = TRUE;
	guint n, m;
	g_autofree struct sock_filter *p = filter_prefix_build(&watching, &n);
	g_autofree struct sock_filter *q = filter_prefix_build(&all_calls, &m);
	const guint64 out = CHILD_FD_FIRST_GRANTED + 2;
	const int writes[] = { SYS_write, SYS_pwrite64, SYS_writev, SYS_pwritev, SYS_pwritev2 };
	for (gsize i = 0; i < G_N_ELEMENTS(writes); i++) {
		struct seccomp_data to_output = call(writes[i], out, 0x1000, 24);
		struct seccomp_data to_stderr = call(writes[i], 2, 0x1000, 24);
		struct seccomp_data negative = call(writes[i], (guint32)-1, 0x1000, 24);
		g_assert_cmpint(run_prefix(p, n, &to_output), ==, NOTIFIED);
		g_assert_cmpint(run_prefix(p, n, &negative), ==, NOTIFIED);
		g_assert_cmpint(run_prefix(p, n, &to_stderr), ==, (int)n);
		g_assert_cmpint(run_prefix(q, m, &to_output), ==, (int)m);
	}
	struct seccomp_data loader_read = call(SYS_read, 16, 0, 832);
	struct seccomp_data kill_call = call(SYS_kill, 7, SIGSYS, 0);
	g_assert_cmpint(run_prefix(p, n, &loader_read), ==, ALLOWED);
	g_assert_cmpint(run_prefix(p, n, &kill_call), ==, NOTIFIED);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/signal-calls/prefix-child-calls", test_prefix_lets_the_loader_through_on_its_descriptor);
	g_test_add_func("/signal-calls/prefix-output-writes", test_prefix_watches_output_writes_only_when_asked);
	g_test_add_func("/signal-calls/prefix-notifies-exactly-the-signal-calls",
	                test_prefix_notifies_exactly_the_signal_calls);
	g_test_add_func("/signal-calls/table-reads-signal-and-target", test_table_reads_signal_and_target);
	return g_test_run();
}
