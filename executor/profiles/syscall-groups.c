/* syscall-groups.c — the table of syscall groups profiles can name ("@basic-io").
 *
 * Knowledge as data: every group is one row { name, help, members }; the
 * profile parser expands them and `profile list`/`--help` print from here.
 * Members are libseccomp syscall names (each must resolve on x86-64: the unit
 * test checks every one) or other groups. A syscall may sit in several groups:
 * groups describe purposes, not a partition. */
#include "profiles/syscall-groups.h"

#include <string.h>

#define MEMBERS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const SyscallGroup groups[] = {
	{
		.name = "@expert-runtime",
		.help = "What libexpert needs in every child besides the channel, which the executor adds itself",
		.members = MEMBERS(
			/* leaving: exit for threads, exit_group for the process */
			"exit", "exit_group",
			/* returning from signal handlers and restarted calls */
			"rt_sigreturn", "restart_syscall",
			/* libc blocks signals around critical sections */
			"rt_sigprocmask",
			/* abort() raises SIGABRT with tgkill(getpid(), gettid(), ...);
			 * the fault report (libexpert/fault.c) re-raises its signal so */
			"getpid", "gettid", "tgkill",
			/* closing its own descriptors can only lose what it was
			 * granted (closing the channel is caught as an early close);
			 * allowing it spares the setup and the loader a round trip
			 * to the executor per close */
			"close",
			/* reading clocks (the vDSO falls back to these); sleeping is
			 * deliberately not here but in @timer */
			"clock_gettime", "clock_getres", "gettimeofday", "time"),
	},
	{
		.name = "@basic-io",
		.help = "Reading, writing, seeking and duplicating descriptors already open",
		.members = MEMBERS(
			"read", "write", "readv", "writev",
			"pread64", "pwrite64", "preadv", "preadv2", "pwritev", "pwritev2",
			"lseek", "close", "dup", "dup2", "dup3", "fcntl"),
	},
	{
		.name = "@memory",
		.help = "Mapping, unmapping and advising memory (what malloc uses)",
		.members = MEMBERS(
			"brk", "mmap", "munmap", "mremap", "mprotect", "madvise",
			"mlock", "munlock"),
	},
	{
		.name = "@timer",
		.help = "Sleeping, alarms and interval timers",
		.members = MEMBERS(
			"nanosleep", "clock_nanosleep", "alarm", "setitimer", "getitimer",
			"timer_create", "timer_settime", "timer_delete"),
	},
	{
		.name = "@signal",
		.help = "Signal handlers, masks, waiting for and sending signals",
		.members = MEMBERS(
			"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigpending",
			"rt_sigsuspend", "rt_sigtimedwait", "sigaltstack",
			"kill", "tkill", "tgkill"),
	},
	{
		.name = "@file-system",
		.help = "Opening, inspecting, creating, renaming and removing files by path",
		.members = MEMBERS(
			"open", "openat", "openat2", "creat",
			"stat", "fstat", "lstat", "newfstatat", "statx",
			"access", "faccessat", "faccessat2", "readlink", "readlinkat",
			"getdents64", "mkdir", "mkdirat", "rmdir", "unlink", "unlinkat",
			"rename", "renameat", "renameat2", "link", "linkat",
			"symlink", "symlinkat", "chmod", "fchmod", "fchmodat",
			"chown", "fchown", "fchownat", "lchown", "mknod", "mknodat",
			"truncate", "ftruncate", "utime", "utimes", "utimensat", "futimesat",
			"statfs", "getxattr", "lgetxattr", "listxattr", "llistxattr",
			"setxattr", "lsetxattr", "removexattr", "lremovexattr", "name_to_handle_at"),
	},
	{
		.name = "@network-io",
		.help = "Creating, connecting and using sockets",
		.members = MEMBERS(
			"socket", "socketpair", "connect", "bind", "listen",
			"accept", "accept4", "sendto", "recvfrom", "sendmsg", "recvmsg",
			"sendmmsg", "recvmmsg", "shutdown", "getsockopt", "setsockopt",
			"getsockname", "getpeername"),
	},
	{
		.name = "@process",
		.help = "Creating, replacing, waiting for and signalling processes",
		.members = MEMBERS(
			"fork", "vfork", "clone", "clone3", "execve", "execveat",
			"wait4", "waitid", "exit", "exit_group", "kill", "tkill", "tgkill",
			"pidfd_open", "pidfd_send_signal", "pidfd_getfd",
			"setsid", "setpgid", "prctl"),
	},
	{
		.name = "@debug",
		.help = "Inspecting or changing other processes: the classic sandbox escapes",
		.members = MEMBERS(
			"ptrace", "process_vm_readv", "process_vm_writev",
			"perf_event_open", "kcmp"),
	},
	{
		.name = "@privileged",
		.help = "Kernel, namespace, key-ring and io_uring interfaces no expert needs",
		.members = MEMBERS(
			"bpf", "kexec_load", "kexec_file_load",
			"init_module", "finit_module", "delete_module",
			"mount", "umount2", "pivot_root", "chroot", "setns", "unshare",
			"keyctl", "add_key", "request_key", "userfaultfd", "personality",
			/* io_uring performs I/O the seccomp filter never sees */
			"io_uring_setup", "io_uring_enter", "io_uring_register",
			"seccomp", "reboot", "swapon", "swapoff", "acct", "quotactl",
			"iopl", "ioperm"),
	},
	{
		.name = "@sync",
		.help = "Futexes and yielding: what libc's locks and threads use",
		.members = MEMBERS(
			"futex", "set_robust_list", "get_robust_list", "sched_yield"),
	},
};

const SyscallGroup *
syscall_group_find(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
		if (strcmp(groups[i].name, name) == 0)
			return &groups[i];
	return NULL;
}

const SyscallGroup *
syscall_groups(size_t *n_groups)
{
	if (n_groups != NULL)
		*n_groups = sizeof groups / sizeof groups[0];
	return groups;
}

#define MAX_NESTING 8

static gboolean
expand(const SyscallGroup *group, const SyscallGroup **stack, guint depth, GPtrArray *names,
       const char **bad)
{
	for (guint i = 0; i < depth; i++) {
		if (stack[i] == group) {
			*bad = group->name;
			return FALSE;
		}
	}
	if (depth == MAX_NESTING) {
		*bad = group->name;
		return FALSE;
	}
	stack[depth] = group;
	for (const char *const *m = group->members; *m != NULL; m++) {
		if (**m == '@') {
			const SyscallGroup *sub = syscall_group_find(*m);
			if (sub == NULL) {
				*bad = *m;
				return FALSE;
			}
			if (!expand(sub, stack, depth + 1, names, bad))
				return FALSE;
		} else if (!g_ptr_array_find_with_equal_func(names, *m, g_str_equal, NULL)) {
			g_ptr_array_add(names, (gpointer)*m);
		}
	}
	return TRUE;
}

gboolean
syscall_group_expand(const SyscallGroup *group, GPtrArray *names, const char **bad)
{
	const SyscallGroup *stack[MAX_NESTING];
	const char *unused;

	return expand(group, stack, 0, names, bad != NULL ? bad : &unused);
}
