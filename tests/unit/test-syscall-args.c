/* test-syscall-args.c — syscalls rendered for people
 * (executor/violations/syscall-args.c) from the table they are rendered from
 * (executor/syscalls/syscall-table.c): names for constants, descriptors by
 * what the executor granted, 32-bit arguments however they were extended, hex
 * for what the table does not know, and a table that names only syscalls. */
#include "syscalls/syscall-table.h"
#include "violations/syscall-args.h"

#include <fcntl.h>
#include <glib.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#define ARGS(...) ((const guint64[6]){ __VA_ARGS__ })

static void assert_call(int nr, const guint64 args[6], const char *expected)
{
	g_autofree char *text = syscall_args_describe(nr, args);
	g_assert_cmpstr(text, ==, expected);
}

static char *fake_reader(guint64 addr, gpointer data)
{
	(void)data;
	return addr == 0x1000 ? g_strdup("\"/tmp/x\"") : NULL;
}

/* A path is shown as the reader gives it, an address where it cannot. */
static void test_strings_through_the_reader(void)
{
	gboolean read;
	g_autofree char *a = syscall_args_describe_reading(
		SYS_openat, ARGS(0xffffff9c, 0x1000, O_WRONLY | O_CREAT | O_TRUNC, 0666), fake_reader,
		NULL, &read);
	g_assert_cmpstr(a, ==, "openat(AT_FDCWD, \"/tmp/x\", O_WRONLY|O_CREAT|O_TRUNC, 0666)");
	g_assert_true(read);
	g_autofree char *b = syscall_args_describe_reading(SYS_unlink, ARGS(0x2000), fake_reader,
	                                                   NULL, &read);
	g_assert_cmpstr(b, ==, "unlink(0x2000)");
	g_assert_false(read);
	g_autofree char *c = syscall_args_describe_reading(SYS_rename, ARGS(0x1000, 0), fake_reader,
	                                                   NULL, &read);
	g_assert_cmpstr(c, ==, "rename(\"/tmp/x\", NULL)");
	/* Without a reader, as ever: the address. */
	assert_call(SYS_newfstatat, ARGS(0xffffff9c, 0x1000, 0x7ffc0000, 0),
	            "newfstatat(AT_FDCWD, 0x1000, 0x7ffc0000, 0)");
}

static void test_socket_names_family_and_type(void)
{
	assert_call(SYS_socket, ARGS(2, 1, 0), "socket(AF_INET, SOCK_STREAM, 0)");
	assert_call(SYS_socket, ARGS(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0),
	            "socket(AF_UNIX, SOCK_SEQPACKET|SOCK_NONBLOCK|SOCK_CLOEXEC, 0)");
	/* Families profiles do not name are still named here. */
	assert_call(SYS_socket, ARGS(AF_VSOCK, SOCK_DGRAM, 0), "socket(AF_VSOCK, SOCK_DGRAM, 0)");
	assert_call(SYS_socket, ARGS(99, 0x40 | SOCK_RAW, 6), "socket(99, SOCK_RAW|0x40, 6)");
	assert_call(SYS_socketpair, ARGS(AF_UNIX, SOCK_STREAM, 0, 0x7ffd0000),
	            "socketpair(AF_UNIX, SOCK_STREAM, 0, 0x7ffd0000)");
}

static void test_int_arguments_zero_or_sign_extended(void)
{
	/* AT_FDCWD is -100: glibc sign-extends it, a raw syscall() or inline
	 * assembly may leave it zero-extended; the kernel reads an int either
	 * way. */
	assert_call(SYS_openat, ARGS(0xffffff9c, 0x1000, O_RDONLY | O_CLOEXEC, 0),
	            "openat(AT_FDCWD, 0x1000, O_RDONLY|O_CLOEXEC, 0)");
	assert_call(SYS_openat, ARGS(0xffffffffffffff9cu, 0x1000, O_WRONLY | O_CREAT | O_TRUNC, 0644),
	            "openat(AT_FDCWD, 0x1000, O_WRONLY|O_CREAT|O_TRUNC, 0644)");
	assert_call(SYS_kill, ARGS(0xffffffff, SIGTERM), "kill(-1, SIGTERM)");
	assert_call(SYS_mmap, ARGS(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	                           0xffffffffffffffffu, 0),
	            "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)");
	/* Upper bits the kernel ignores but the filter compares are shown. */
	assert_call(SYS_socket, ARGS(0xdead000000000002u, 1, 0),
	            "socket(AF_INET [0xdead000000000002], SOCK_STREAM, 0)");
}

static void test_flags_named_with_unknown_bits_in_hex(void)
{
	assert_call(SYS_mprotect, ARGS(0x7f0000000000, 8192, PROT_READ | PROT_EXEC | 0x100),
	            "mprotect(0x7f0000000000, 8192, PROT_READ|PROT_EXEC|0x100)");
	assert_call(SYS_mprotect, ARGS(0x1000, 4096, 0), "mprotect(0x1000, 4096, PROT_NONE)");
	/* O_TMPFILE includes O_DIRECTORY's bit: it is named whole. */
	assert_call(SYS_openat, ARGS(3, 0x2000, O_RDWR | O_TMPFILE, 0600),
	            "openat(3<channel>, 0x2000, O_RDWR|O_TMPFILE, 0600)");
	assert_call(SYS_openat, ARGS(3, 0x2000, O_RDONLY | O_DIRECTORY, 0),
	            "openat(3<channel>, 0x2000, O_RDONLY|O_DIRECTORY, 0)");
	/* What glibc's fork() passes: flags, then the exit signal. */
	assert_call(SYS_clone, ARGS(0x01200011, 0, 0, 0x7f5a12345a10, 0),
	            "clone(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, NULL, NULL, "
	            "0x7f5a12345a10, 0)");
	assert_call(SYS_unshare, ARGS(0x10000000 | 0x40000000), "unshare(CLONE_NEWUSER|CLONE_NEWNET)");
	assert_call(SYS_newfstatat, ARGS(5, 0x4000, 0x7ffc0000, 0x1000),
	            "newfstatat(5<not granted>, 0x4000, 0x7ffc0000, AT_EMPTY_PATH)");
	assert_call(SYS_sendto, ARGS(3, 0x5000, 12, 0x4040, 0, 0),
	            "sendto(3<channel>, 0x5000, 12, MSG_DONTWAIT|MSG_NOSIGNAL, NULL, 0)");
	assert_call(SYS_sendto, ARGS(3, 0x5000, 12, 0, 0, 0),
	            "sendto(3<channel>, 0x5000, 12, 0, NULL, 0)");
	assert_call(SYS_futex, ARGS(0x6000, 0 | 128, 2, 0, 0, 0),
	            "futex(0x6000, FUTEX_WAIT|FUTEX_PRIVATE_FLAG, 2, NULL, NULL, 0)");
	assert_call(SYS_mount, ARGS(0x1, 0x2, 0, 4096 | 16384, 0),
	            "mount(0x1, 0x2, NULL, MS_BIND|MS_REC, NULL)");
	assert_call(SYS_personality, ARGS(0x0040000), "personality(PER_LINUX|ADDR_NO_RANDOMIZE)");
}

static void test_enumerations_by_name(void)
{
	assert_call(SYS_kill, ARGS(1234, SIGKILL), "kill(1234, SIGKILL)");
	assert_call(SYS_tgkill, ARGS(10, 11, SIGABRT), "tgkill(10, 11, SIGABRT)");
	assert_call(SYS_kill, ARGS(1, 0), "kill(1, 0)");
	assert_call(SYS_prctl, ARGS(15, 0x7ffd1000, 0, 0, 0), "prctl(PR_SET_NAME, 0x7ffd1000, 0, 0, 0)");
	assert_call(SYS_ptrace, ARGS(16, 1, 0, 0), "ptrace(PTRACE_ATTACH, 1, NULL, 0)");
	assert_call(SYS_ioctl, ARGS(1, 0x5401, 0x7ffd2000),
	            "ioctl(1</dev/null (stdout)>, TCGETS, 0x7ffd2000)");
	assert_call(SYS_fcntl, ARGS(3, F_SETFL, 0x800), "fcntl(3<channel>, F_SETFL, 0x800)");
	assert_call(SYS_madvise, ARGS(0x1000, 4096, MADV_DONTNEED),
	            "madvise(0x1000, 4096, MADV_DONTNEED)");
	assert_call(SYS_madvise, ARGS(0x1000, 4096, 12345), "madvise(0x1000, 4096, 12345)");
}

static void test_descriptors_by_what_was_granted(void)
{
	g_assert_cmpstr(syscall_args_fd_name(0), ==, "/dev/null (stdin)");
	g_assert_cmpstr(syscall_args_fd_name(1), ==, "/dev/null (stdout)");
	g_assert_cmpstr(syscall_args_fd_name(2), ==, "/dev/null (stderr)");
	g_assert_cmpstr(syscall_args_fd_name(3), ==, "channel");
	g_assert_cmpstr(syscall_args_fd_name(4), ==, "expert object (while loading)");
	g_assert_null(syscall_args_fd_name(5));
	g_assert_null(syscall_args_fd_name(-1));
	assert_call(SYS_write, ARGS(2, 0x1000, 5), "write(2</dev/null (stderr)>, 0x1000, 5)");
	assert_call(SYS_read, ARGS(4, 0x1000, 832), "read(4<expert object (while loading)>, 0x1000, 832)");
	assert_call(SYS_close, ARGS(7), "close(7<not granted>)");
	assert_call(SYS_read, ARGS(0, 0, 0), "read(0</dev/null (stdin)>, NULL, 0)");
}

static void test_unknown_syscalls_in_hex(void)
{
	assert_call(SYS_sched_yield, ARGS(0), "sched_yield(0, 0, 0, 0, 0, 0)");
	assert_call(SYS_getpid, ARGS(0), "getpid()");
	assert_call(5000, ARGS(1, 0xffffffffffffffffu, 2, 3, 4, 5),
	            "syscall 5000(0x1, 0xffffffffffffffff, 0x2, 0x3, 0x4, 0x5)");
}

static void test_table_names_are_syscalls(void)
{
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	guint i = 0;
	for (const char *name; (name = syscall_table_name(i)) != NULL; i++) {
		g_test_message("%s", name);
		g_assert_cmpint(seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, name), >=, 0);
		g_assert_true(g_hash_table_add(seen, (gpointer)name)); /* listed once */
	}
	g_assert_cmpuint(i, >, 50);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/syscall-args/socket-names-family-and-type", test_socket_names_family_and_type);
	g_test_add_func("/syscall-args/int-arguments-zero-or-sign-extended",
	                test_int_arguments_zero_or_sign_extended);
	g_test_add_func("/syscall-args/flags-named-with-unknown-bits-in-hex",
	                test_flags_named_with_unknown_bits_in_hex);
	g_test_add_func("/syscall-args/enumerations-by-name", test_enumerations_by_name);
	g_test_add_func("/syscall-args/descriptors-by-what-was-granted",
	                test_descriptors_by_what_was_granted);
	g_test_add_func("/syscall-args/unknown-syscalls-in-hex", test_unknown_syscalls_in_hex);
	g_test_add_func("/syscall-args/table-names-are-syscalls", test_table_names_are_syscalls);
	g_test_add_func("/syscall-args/strings-through-the-reader", test_strings_through_the_reader);
	return g_test_run();
}
