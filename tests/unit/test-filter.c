/* test-filter.c — the filter compiler and the userspace decision
 * (executor/profiles/filter.c): shipped profiles compile to sealed BPF, the channel
 * always survives, the loader's calls are recognised, and filter_decide gives
 * the rule that the BPF applies. */
#include "profiles/filter.h"
#include "protocol/child-protocol.h"
#include "syscalls/syscall-names.h"

#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static Profile *load_text(const char *text)
{
	g_autofree char *dir = g_dir_make_tmp("test-filter-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "t.profile", NULL);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	g_autoptr(GError) error = NULL;
	Profile *p = profile_load(path, &error);
	g_assert_no_error(error);
	g_unlink(path);
	g_rmdir(dir);
	return p;
}

static void test_shipped_profiles_compile_sealed(void)
{
	const char *names[] = { "default", "strict" };
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(Profile) p = profile_load(names[i], &error);
		g_assert_no_error(error);
		g_autoptr(Filter) f = filter_compile(p, TRUE, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(f->n_insns, >, 10);
		g_assert_cmpuint(f->n_insns, <=, 4096);
		g_assert_cmpuint(f->size, ==, f->n_insns * sizeof(struct sock_filter));
		int seals = fcntl(f->fd, F_GET_SEALS);
		g_assert_cmpint(seals & (F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL), ==,
		                F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
		g_assert_true(mmap(NULL, f->size, PROT_WRITE, MAP_SHARED, f->fd, 0) == MAP_FAILED);
	}
}

static void test_channel_cannot_be_cut(void)
{
	g_autoptr(Profile) p = load_text("[profile]\ndescription = x\n[syscalls]\nwrite = errno EPERM\n");
	g_autoptr(GError) error = NULL;
	g_autoptr(Filter) f = filter_compile(p, TRUE, &error);
	g_assert_null(f);
	g_assert_error(error, FILTER_ERROR, FILTER_ERROR_CONFLICT);
	g_assert_nonnull(strstr(error->message, ":4:"));
	g_assert_nonnull(strstr(error->message, "channel"));
}

static void test_channel_allowed_without_a_rule(void)
{
	g_autoptr(Profile) p = load_text("[profile]\ndescription = x\n");
	guint64 on[6] = { CHILD_FD_CHANNEL, 0, 0, 0, 0, 0 };
	guint64 off[6] = { 7, 0, 0, 0, 0, 0 };
	FilterVerdict v;
	filter_decide(p, SYS_write, on, &v);
	g_assert_cmpint(v.action.kind, ==, PROFILE_ACTION_ALLOW);
	g_assert_true(v.channel);
	filter_decide(p, SYS_write, off, &v);
	g_assert_cmpint(v.action.kind, ==, PROFILE_ACTION_NOTIFY);
	g_assert_null(v.rule);
	g_autoptr(GError) error = NULL;
	g_autoptr(Filter) f = filter_compile(p, TRUE, &error);
	g_assert_no_error(error);
}

static void test_decide_follows_conditions(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(Profile) p = profile_load("default", &error);
	g_assert_no_error(error);
	FilterVerdict v;
	guint64 rw[6] = { 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, (guint64)-1, 0 };
	filter_decide(p, SYS_mmap, rw, &v);
	g_assert_cmpint(v.action.kind, ==, PROFILE_ACTION_ALLOW);
	g_assert_nonnull(v.rule);
	guint64 exec[6] = { 0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, (guint64)-1, 0 };
	filter_decide(p, SYS_mmap, exec, &v);
	g_assert_cmpint(v.action.kind, ==, PROFILE_ACTION_NOTIFY);
	g_assert_null(v.rule); /* the default action decided */
	guint64 none[6] = { 0 };
	filter_decide(p, SYS_execve, none, &v);
	g_assert_cmpint(v.action.kind, ==, PROFILE_ACTION_KILL);
	g_assert_cmpstr(v.rule->syscall, ==, "execve");
	g_assert_cmpuint(v.rule->line, >, 0);
	filter_decide(p, SYS_clone3, none, &v);
	g_assert_cmpint(v.action.kind, ==, PROFILE_ACTION_ERRNO);
}

static void test_strict_errno_rules_apply_after_loading(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(Profile) p = profile_load("strict", &error);
	g_assert_no_error(error);
	guint64 anon[6] = { 0, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, (guint64)-1, 0 };
	FilterVerdict v;
	filter_decide(p, SYS_mmap, anon, &v);
	g_assert_cmpint(v.action.kind, ==, PROFILE_ACTION_ERRNO);
	g_assert_cmpint(v.action.errno_value, ==, ENOMEM);
	/* ... and the loader may still map during loading. */
	g_assert_true(filter_is_loader_call(SYS_mmap, anon));
}

static void test_loader_calls(void)
{
	guint64 ro[6] = { (guint64)AT_FDCWD, 0, O_RDONLY | O_CLOEXEC, 0, 0, 0 };
	guint64 wr[6] = { (guint64)AT_FDCWD, 0, O_WRONLY | O_CREAT, 0644, 0, 0 };
	guint64 rdwr[6] = { (guint64)AT_FDCWD, 0, O_RDWR, 0, 0, 0 };
	g_assert_true(filter_is_loader_call(SYS_openat, ro));
	g_assert_false(filter_is_loader_call(SYS_openat, wr));
	g_assert_false(filter_is_loader_call(SYS_openat, rdwr));
	guint64 none[6] = { 0 };
	g_assert_false(filter_is_loader_call(SYS_socket, none));
	g_assert_false(filter_is_loader_call(SYS_execve, none));
	g_assert_true(filter_is_loader_call(SYS_close, none));
}

static void test_syscall_names(void)
{
	g_autofree char *socket = syscall_name(SYS_socket);
	g_assert_cmpstr(socket, ==, "socket");
	g_autofree char *unknown = syscall_name(99999);
	g_assert_cmpstr(unknown, ==, "syscall 99999");
}

/* ---- W^X, the executor's own rule ------------------------------------------ */

static void test_wx_refusals(void)
{
	guint64 rwx[6] = { 0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
	                   (guint64)-1, 0 };
	guint64 anon_rx[6] = { 0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
	                       (guint64)-1, 0 };
	guint64 file_rx[6] = { 0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, 5, 4096 };
	guint64 file_rw[6] = { 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, 5, 0 };
	guint64 to_rx[6] = { 0x7f0000000000, 4096, PROT_READ | PROT_EXEC, 0, 0, 0 };
	guint64 to_r[6] = { 0x7f0000000000, 4096, PROT_READ, 0, 0, 0 };
	guint64 shm_exec[6] = { 1, 0, SHM_EXEC, 0, 0, 0 };
	/* Never, loading or not. */
	for (int loading = 0; loading <= 1; loading++) {
		g_assert_nonnull(filter_wx_refusal(SYS_mmap, rwx, loading));
		g_assert_nonnull(filter_wx_refusal(SYS_mmap, anon_rx, loading));
		g_assert_nonnull(filter_wx_refusal(SYS_mprotect, to_rx, loading));
		g_assert_nonnull(filter_wx_refusal(SYS_pkey_mprotect, to_rx, loading));
		g_assert_nonnull(filter_wx_refusal(SYS_shmat, shm_exec, loading));
		g_assert_null(filter_wx_refusal(SYS_mmap, file_rw, loading));
		g_assert_null(filter_wx_refusal(SYS_mprotect, to_r, loading));
	}
	/* The loader mapping a file's code: while loading only. */
	g_assert_null(filter_wx_refusal(SYS_mmap, file_rx, TRUE));
	g_assert_nonnull(filter_wx_refusal(SYS_mmap, file_rx, FALSE));
}

static const char *const allow_everything =
	"[profile]\ndescription = x\ndefault-action = allow\n[syscalls]\nmmap = allow\n";

/* A profile that allows mmap outright still does not allow an executable
 * one: the executor decides it, and refuses it (a kill, which not even
 * learning lets through). */
static void test_wx_outranks_the_profile(void)
{
	g_autoptr(Profile) p = load_text(allow_everything);
	guint64 rw[6] = { 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, (guint64)-1, 0 };
	guint64 rx[6] = { 0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, (guint64)-1, 0 };
	FilterVerdict v;
	filter_decide(p, SYS_mmap, rw, &v);
	g_assert_cmpint(v.action.kind, ==, PROFILE_ACTION_ALLOW);
	g_assert_null(v.wx);
	filter_decide(p, SYS_mmap, rx, &v);
	g_assert_cmpint(v.action.kind, ==, PROFILE_ACTION_KILL);
	g_assert_nonnull(v.wx);
	g_assert_null(v.rule);
	filter_decide(p, SYS_mprotect, rx, &v);
	g_assert_cmpint(v.action.kind, ==, PROFILE_ACTION_KILL);
}

static const Filter *installed;

/* In a child under the compiled filter, without a listener: a call the
 * filter hands to the executor fails with ENOSYS, one it allows runs. */
static int try_mappings(void)
{
	struct sock_filter insns[4096];
	if (pread(installed->fd, insns, installed->size, 0) != (ssize_t)installed->size)
		return 10;
	struct sock_fprog prog = { (unsigned short)installed->n_insns, insns };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return 11;
	void *rw = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (rw == MAP_FAILED)
		return 1;
	if (mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != MAP_FAILED ||
	    errno != ENOSYS)
		return 2;
	if (mprotect(rw, 4096, PROT_READ | PROT_EXEC) == 0 || errno != ENOSYS)
		return 3;
	if (mprotect(rw, 4096, PROT_READ) != 0)
		return 4;
	return 0;
}

static void test_wx_compiled(void)
{
	g_autoptr(Profile) p = load_text(allow_everything);
	g_autoptr(GError) error = NULL;
	g_autoptr(Filter) f = filter_compile(p, TRUE, &error);
	g_assert_no_error(error);
	installed = f;
	pid_t pid = fork();
	if (pid == 0)
		_exit(try_mappings());
	int status;
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), ==, 0);
}

/* libseccomp takes one comparison per argument: a condition on the
 * protection that lets PROT_EXEC through cannot get "and not executable"
 * added, and is refused with its line. */
static void test_wx_condition_that_cannot_hold(void)
{
	g_autoptr(Profile) p = load_text("[profile]\ndescription = x\n[syscalls]\n"
	                                 "mprotect = allow if arg2 == 7\n");
	g_autoptr(GError) error = NULL;
	g_autoptr(Filter) f = filter_compile(p, TRUE, &error);
	g_assert_null(f);
	g_assert_error(error, FILTER_ERROR, FILTER_ERROR_UNSUPPORTED);
	g_test_message("%s", error->message);
	g_assert_nonnull(strstr(error->message, ":4: "));
	g_assert_nonnull(strstr(error->message, "W^X"));
	g_autoptr(Profile) fine = load_text("[profile]\ndescription = x\n[syscalls]\n"
	                                    "mprotect = allow if arg2 == PROT_READ\n");
	g_autoptr(GError) none = NULL;
	g_autoptr(Filter) compiled = filter_compile(fine, TRUE, &none);
	g_assert_no_error(none);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/filter/compile/shipped-profiles-sealed", test_shipped_profiles_compile_sealed);
	g_test_add_func("/filter/compile/channel-cannot-be-cut", test_channel_cannot_be_cut);
	g_test_add_func("/filter/decide/channel-allowed-without-a-rule", test_channel_allowed_without_a_rule);
	g_test_add_func("/filter/decide/follows-conditions", test_decide_follows_conditions);
	g_test_add_func("/filter/decide/strict-errno-after-loading", test_strict_errno_rules_apply_after_loading);
	g_test_add_func("/filter/loader-calls", test_loader_calls);
	g_test_add_func("/filter/syscall-names", test_syscall_names);
	g_test_add_func("/filter/wx/refusals", test_wx_refusals);
	g_test_add_func("/filter/wx/outranks-the-profile", test_wx_outranks_the_profile);
	g_test_add_func("/filter/wx/compiled", test_wx_compiled);
	g_test_add_func("/filter/wx/condition-that-cannot-hold", test_wx_condition_that_cannot_hold);
	return g_test_run();
}
