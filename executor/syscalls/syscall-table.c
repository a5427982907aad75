/* syscall-table.c — the named sets, the kinds of argument and the
 * syscalls (see syscall-table.h); the code only looks them up. */
#include "syscalls/syscall-table.h"

#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>

/* ---- named sets ----------------------------------------------------------
 *
 * A set's members are the constants of profile-constants.c whose names start
 * with its prefix (so a profile can name them too), plus extras the profile
 * table does not have. A set of flags may hold, in some bits (its field), one
 * value of an enumeration: the access mode of O_* flags, the type of SOCK_*
 * and MAP_*, the command of FUTEX_*, clone's exit signal. */

#define C(x) { #x, (guint64)(gint64)(x) }
#define EXTRA(table) table, G_N_ELEMENTS(table)

static const char *const not_open_flags[] = { "O_ACCMODE", NULL };
static const char *const not_at_flags[] = { "AT_FDCWD", NULL };
static const char *const not_futex_ops[] = { "FUTEX_CMD_MASK", NULL };

static const ProfileConstant open_extra[] = {
	C(O_NOCTTY), C(O_SYNC), C(O_DSYNC), C(O_ASYNC), C(O_NOATIME), C(O_DIRECT),
	{ "O_LARGEFILE", 0100000 }, /* glibc's is 0 on 64-bit; the kernel's bit */
};
static const ProfileConstant map_extra[] = {
	C(MAP_32BIT), C(MAP_HUGETLB), C(MAP_LOCKED), C(MAP_NONBLOCK), C(MAP_DENYWRITE),
	C(MAP_EXECUTABLE), C(MAP_SYNC),
};
static const ProfileConstant prot_extra[] = { C(PROT_GROWSDOWN), C(PROT_GROWSUP) };
static const ProfileConstant at_extra[] = { C(AT_SYMLINK_FOLLOW), C(AT_NO_AUTOMOUNT) };
static const ProfileConstant family_extra[] = {
	C(AF_UNSPEC), C(AF_AX25), C(AF_IPX), C(AF_APPLETALK), C(AF_X25), C(AF_KEY),
	C(AF_LLC), C(AF_CAN), C(AF_TIPC), C(AF_BLUETOOTH), C(AF_ALG), C(AF_NFC),
	C(AF_VSOCK), C(AF_RDS), C(AF_IEEE802154), C(AF_QIPCRTR), C(AF_SMC), C(AF_XDP),
	C(AF_MCTP),
};
static const ProfileConstant sock_extra[] = { C(SOCK_RDM), C(SOCK_PACKET) };
static const ProfileConstant clone_extra[] = {
	C(CLONE_DETACHED),
#ifdef CLONE_CLEAR_SIGHAND
	C(CLONE_CLEAR_SIGHAND),
#endif
#ifdef CLONE_INTO_CGROUP
	C(CLONE_INTO_CGROUP),
#endif
};
static const ProfileConstant fcntl_extra[] = {
	C(F_GETLK), C(F_SETLK), C(F_SETLKW), C(F_SETOWN), C(F_GETOWN), C(F_SETSIG),
	C(F_GETSIG), C(F_SETLEASE), C(F_GETLEASE), C(F_NOTIFY), C(F_SETPIPE_SZ),
	C(F_GETPIPE_SZ), C(F_ADD_SEALS), C(F_GET_SEALS), C(F_OFD_GETLK), C(F_OFD_SETLK),
	C(F_OFD_SETLKW),
};
static const ProfileConstant msg_flags[] = {
	C(MSG_OOB), C(MSG_PEEK), C(MSG_DONTROUTE), C(MSG_CTRUNC), C(MSG_TRUNC),
	C(MSG_DONTWAIT), C(MSG_EOR), C(MSG_WAITALL), C(MSG_CONFIRM), C(MSG_ERRQUEUE),
	C(MSG_NOSIGNAL), C(MSG_MORE), C(MSG_WAITFORONE), C(MSG_FASTOPEN),
	C(MSG_CMSG_CLOEXEC),
};
static const ProfileConstant mount_flags[] = {
	C(MS_RDONLY), C(MS_NOSUID), C(MS_NODEV), C(MS_NOEXEC), C(MS_SYNCHRONOUS),
	C(MS_REMOUNT), C(MS_MANDLOCK), C(MS_DIRSYNC), C(MS_NOATIME), C(MS_NODIRATIME),
	C(MS_BIND), C(MS_MOVE), C(MS_REC), C(MS_SILENT), C(MS_POSIXACL), C(MS_UNBINDABLE),
	C(MS_PRIVATE), C(MS_SLAVE), C(MS_SHARED), C(MS_RELATIME), C(MS_KERNMOUNT),
	C(MS_I_VERSION), C(MS_STRICTATIME), C(MS_LAZYTIME),
};
static const ProfileConstant prctl_options[] = {
	C(PR_SET_PDEATHSIG), C(PR_GET_PDEATHSIG), C(PR_GET_DUMPABLE), C(PR_SET_DUMPABLE),
	C(PR_GET_KEEPCAPS), C(PR_SET_KEEPCAPS), C(PR_SET_NAME), C(PR_GET_NAME),
	C(PR_GET_SECCOMP), C(PR_SET_SECCOMP), C(PR_CAPBSET_READ), C(PR_CAPBSET_DROP),
	C(PR_GET_SECUREBITS), C(PR_SET_SECUREBITS), C(PR_SET_TIMERSLACK),
	C(PR_GET_TIMERSLACK), C(PR_SET_TSC), C(PR_GET_TSC), C(PR_SET_MM),
	C(PR_SET_PTRACER), C(PR_SET_CHILD_SUBREAPER), C(PR_GET_CHILD_SUBREAPER),
	C(PR_SET_NO_NEW_PRIVS), C(PR_GET_NO_NEW_PRIVS), C(PR_SET_THP_DISABLE),
	C(PR_GET_THP_DISABLE), C(PR_CAP_AMBIENT), C(PR_GET_SPECULATION_CTRL),
	C(PR_SET_SPECULATION_CTRL), C(PR_SET_SYSCALL_USER_DISPATCH), C(PR_SET_VMA),
};
static const ProfileConstant ptrace_requests[] = {
	C(PTRACE_TRACEME), C(PTRACE_PEEKTEXT), C(PTRACE_PEEKDATA), C(PTRACE_PEEKUSER),
	C(PTRACE_POKETEXT), C(PTRACE_POKEDATA), C(PTRACE_POKEUSER), C(PTRACE_CONT),
	C(PTRACE_KILL), C(PTRACE_SINGLESTEP), C(PTRACE_GETREGS), C(PTRACE_SETREGS),
	C(PTRACE_ATTACH), C(PTRACE_DETACH), C(PTRACE_SYSCALL), C(PTRACE_SETOPTIONS),
	C(PTRACE_GETEVENTMSG), C(PTRACE_GETSIGINFO), C(PTRACE_SETSIGINFO),
	C(PTRACE_GETREGSET), C(PTRACE_SETREGSET), C(PTRACE_SEIZE), C(PTRACE_INTERRUPT),
	C(PTRACE_LISTEN),
};
/* What stdio and terminal code ask of descriptors, and TIOCSTI, which pushes
 * input into a terminal: an escape when a terminal is reachable. */
static const ProfileConstant ioctl_requests[] = {
	C(TCGETS), C(TCSETS), C(TCSETSW), C(TCSETSF), C(TIOCGWINSZ), C(TIOCSWINSZ),
	C(TIOCSTI), C(TIOCGPGRP), C(TIOCSPGRP), C(TIOCSCTTY), C(TIOCNOTTY), C(FIONREAD),
	C(FIONBIO), C(FIOCLEX), C(FIONCLEX), C(FIOASYNC),
};
static const ProfileConstant personalities[] = {
	C(PER_LINUX), C(PER_LINUX32), C(UNAME26), C(ADDR_NO_RANDOMIZE), C(FDPIC_FUNCPTRS),
	C(MMAP_PAGE_ZERO), C(ADDR_COMPAT_LAYOUT), C(READ_IMPLIES_EXEC), C(ADDR_LIMIT_32BIT),
	C(SHORT_INODE), C(WHOLE_SECONDS), C(STICKY_TIMEOUTS), C(ADDR_LIMIT_3GB),
};

static const SyscallSet set_open = { "O_", EXTRA(open_extra), not_open_flags, TRUE, O_ACCMODE, FALSE };
static const SyscallSet set_at = { "AT_", EXTRA(at_extra), not_at_flags, TRUE, 0, FALSE };
static const SyscallSet set_prot = { "PROT_", EXTRA(prot_extra), NULL, TRUE, 0, FALSE };
/* 0xf: the kernel's MAP_TYPE and SOCK_TYPE_MASK, which glibc does not export. */
static const SyscallSet set_map = { "MAP_", EXTRA(map_extra), NULL, TRUE, 0xf, FALSE };
static const SyscallSet set_clone = { "CLONE_", EXTRA(clone_extra), NULL, TRUE, CSIGNAL, TRUE };
static const SyscallSet set_namespaces = { "CLONE_", EXTRA(clone_extra), NULL, TRUE, 0, FALSE };
static const SyscallSet set_madvise = { "MADV_", NULL, 0, NULL, FALSE, 0, FALSE };
static const SyscallSet set_family = { "AF_", EXTRA(family_extra), NULL, FALSE, 0, FALSE };
static const SyscallSet set_sock = { "SOCK_", EXTRA(sock_extra), NULL, TRUE, 0xf, FALSE };
static const SyscallSet set_fcntl = { "F_", EXTRA(fcntl_extra), NULL, FALSE, 0, FALSE };
static const SyscallSet set_futex = { "FUTEX_", NULL, 0, not_futex_ops, TRUE,
                                    FUTEX_CMD_MASK & 0xffffffffu, FALSE };
static const SyscallSet set_msg = { NULL, EXTRA(msg_flags), NULL, TRUE, 0, FALSE };
static const SyscallSet set_mount = { NULL, EXTRA(mount_flags), NULL, TRUE, 0, FALSE };
static const SyscallSet set_prctl = { NULL, EXTRA(prctl_options), NULL, FALSE, 0, FALSE };
static const SyscallSet set_ptrace = { NULL, EXTRA(ptrace_requests), NULL, FALSE, 0, FALSE };
static const SyscallSet set_ioctl = { NULL, EXTRA(ioctl_requests), NULL, FALSE, 0, FALSE };
static const SyscallSet set_personality = { NULL, EXTRA(personalities), NULL, TRUE, PER_MASK, FALSE };

/* ---- kinds of argument ------------------------------------------------- */

static const SyscallArgKindInfo kinds[SYSCALL_ARG_N_KINDS] = {
	[SYSCALL_ARG_INT] = { SYSCALL_RENDER_SIGNED, 32, NULL },
	[SYSCALL_ARG_UINT] = { SYSCALL_RENDER_UNSIGNED, 32, NULL },
	[SYSCALL_ARG_LONG] = { SYSCALL_RENDER_SIGNED, 64, NULL },
	[SYSCALL_ARG_ULONG] = { SYSCALL_RENDER_UNSIGNED, 64, NULL },
	[SYSCALL_ARG_HEX] = { SYSCALL_RENDER_HEX, 64, NULL },
	[SYSCALL_ARG_PTR] = { SYSCALL_RENDER_PTR, 64, NULL },
	[SYSCALL_ARG_PATH] = { SYSCALL_RENDER_STRING, 64, NULL },
	[SYSCALL_ARG_FD] = { SYSCALL_RENDER_FD, 32, NULL },
	[SYSCALL_ARG_DIRFD] = { SYSCALL_RENDER_DIRFD, 32, NULL },
	[SYSCALL_ARG_MODE] = { SYSCALL_RENDER_OCTAL, 32, NULL },
	[SYSCALL_ARG_SIGNAL] = { SYSCALL_RENDER_SIGNAL, 32, NULL },
	[SYSCALL_ARG_OPEN_FLAGS] = { SYSCALL_RENDER_SET, 32, &set_open },
	[SYSCALL_ARG_AT_FLAGS] = { SYSCALL_RENDER_SET, 32, &set_at },
	[SYSCALL_ARG_PROT] = { SYSCALL_RENDER_SET, 64, &set_prot },
	[SYSCALL_ARG_MAP_FLAGS] = { SYSCALL_RENDER_SET, 64, &set_map },
	[SYSCALL_ARG_CLONE_FLAGS] = { SYSCALL_RENDER_SET, 64, &set_clone },
	[SYSCALL_ARG_NAMESPACES] = { SYSCALL_RENDER_SET, 64, &set_namespaces },
	[SYSCALL_ARG_MADVICE] = { SYSCALL_RENDER_SET, 32, &set_madvise },
	[SYSCALL_ARG_FAMILY] = { SYSCALL_RENDER_SET, 32, &set_family },
	[SYSCALL_ARG_SOCK_TYPE] = { SYSCALL_RENDER_SET, 32, &set_sock },
	[SYSCALL_ARG_MSG_FLAGS] = { SYSCALL_RENDER_SET, 32, &set_msg },
	[SYSCALL_ARG_FCNTL_CMD] = { SYSCALL_RENDER_SET, 32, &set_fcntl },
	[SYSCALL_ARG_IOCTL_REQUEST] = { SYSCALL_RENDER_SET, 32, &set_ioctl },
	[SYSCALL_ARG_PRCTL_OPTION] = { SYSCALL_RENDER_SET, 32, &set_prctl },
	[SYSCALL_ARG_PTRACE_REQUEST] = { SYSCALL_RENDER_SET, 64, &set_ptrace },
	[SYSCALL_ARG_MOUNT_FLAGS] = { SYSCALL_RENDER_SET, 64, &set_mount },
	[SYSCALL_ARG_PERSONALITY] = { SYSCALL_RENDER_SET, 32, &set_personality },
	[SYSCALL_ARG_FUTEX_OP] = { SYSCALL_RENDER_SET, 32, &set_futex },
};

/* ---- the syscalls ---------------------------------------------------------
 *
 * x86-64 argument order, as in the kernel's SYSCALL_DEFINE for each. */

#define INT SYSCALL_ARG_INT
#define UINT SYSCALL_ARG_UINT
#define LONG SYSCALL_ARG_LONG
#define SIZE SYSCALL_ARG_ULONG
#define HEX SYSCALL_ARG_HEX
#define PTR SYSCALL_ARG_PTR
#define PATH SYSCALL_ARG_PATH
#define FD SYSCALL_ARG_FD
#define DIRFD SYSCALL_ARG_DIRFD
#define MODE SYSCALL_ARG_MODE
#define SIG SYSCALL_ARG_SIGNAL

static const SyscallSignature table[] = {
	/* I/O on descriptors: the channel rule and stdio */
	{ "read", { FD, PTR, SIZE } },
	{ "write", { FD, PTR, SIZE } },
	{ "pread64", { FD, PTR, SIZE, LONG } },
	{ "pwrite64", { FD, PTR, SIZE, LONG } },
	{ "readv", { FD, PTR, INT } },
	{ "writev", { FD, PTR, INT } },
	{ "lseek", { FD, LONG, INT } },
	{ "close", { FD } },
	{ "dup", { FD } },
	{ "dup2", { FD, INT } },
	{ "dup3", { FD, INT, SYSCALL_ARG_OPEN_FLAGS } },
	{ "fcntl", { FD, SYSCALL_ARG_FCNTL_CMD, HEX } },
	{ "ioctl", { FD, SYSCALL_ARG_IOCTL_REQUEST, HEX } },
	{ "fstat", { FD, PTR } },
	{ "getdents64", { FD, PTR, UINT } },
	{ "pipe", { PTR } },
	{ "pipe2", { PTR, SYSCALL_ARG_OPEN_FLAGS } },
	/* files by path */
	{ "open", { PATH, SYSCALL_ARG_OPEN_FLAGS, MODE } },
	{ "openat", { DIRFD, PATH, SYSCALL_ARG_OPEN_FLAGS, MODE } },
	{ "openat2", { DIRFD, PATH, PTR, SIZE } },
	{ "creat", { PATH, MODE } },
	{ "stat", { PATH, PTR } },
	{ "lstat", { PATH, PTR } },
	{ "newfstatat", { DIRFD, PATH, PTR, SYSCALL_ARG_AT_FLAGS } },
	{ "statx", { DIRFD, PATH, SYSCALL_ARG_AT_FLAGS, HEX, PTR } },
	{ "statfs", { PATH, PTR } },
	{ "access", { PATH, INT } },
	{ "faccessat", { DIRFD, PATH, INT } },
	{ "faccessat2", { DIRFD, PATH, INT, SYSCALL_ARG_AT_FLAGS } },
	{ "readlink", { PATH, PTR, SIZE } },
	{ "readlinkat", { DIRFD, PATH, PTR, SIZE } },
	{ "mkdir", { PATH, MODE } },
	{ "mkdirat", { DIRFD, PATH, MODE } },
	{ "mknod", { PATH, MODE, UINT } },
	{ "mknodat", { DIRFD, PATH, MODE, UINT } },
	{ "rmdir", { PATH } },
	{ "unlink", { PATH } },
	{ "unlinkat", { DIRFD, PATH, SYSCALL_ARG_AT_FLAGS } },
	{ "rename", { PATH, PATH } },
	{ "renameat", { DIRFD, PATH, DIRFD, PATH } },
	{ "renameat2", { DIRFD, PATH, DIRFD, PATH, UINT } },
	{ "link", { PATH, PATH } },
	{ "linkat", { DIRFD, PATH, DIRFD, PATH, SYSCALL_ARG_AT_FLAGS } },
	{ "symlink", { PATH, PATH } },
	{ "symlinkat", { PATH, DIRFD, PATH } },
	{ "chmod", { PATH, MODE } },
	{ "fchmod", { FD, MODE } },
	{ "fchmodat", { DIRFD, PATH, MODE } },
	{ "chown", { PATH, INT, INT } },
	{ "lchown", { PATH, INT, INT } },
	{ "fchownat", { DIRFD, PATH, INT, INT, SYSCALL_ARG_AT_FLAGS } },
	{ "utimensat", { DIRFD, PATH, PTR, SYSCALL_ARG_AT_FLAGS } },
	{ "chdir", { PATH } },
	{ "fchdir", { FD } },
	{ "truncate", { PATH, LONG } },
	{ "ftruncate", { FD, LONG } },
	{ "memfd_create", { PATH, HEX } },
	/* memory */
	{ "mmap", { PTR, SIZE, SYSCALL_ARG_PROT, SYSCALL_ARG_MAP_FLAGS, FD, LONG } },
	{ "mprotect", { PTR, SIZE, SYSCALL_ARG_PROT } },
	{ "munmap", { PTR, SIZE } },
	{ "mremap", { PTR, SIZE, SIZE, HEX, PTR } },
	{ "madvise", { PTR, SIZE, SYSCALL_ARG_MADVICE } },
	{ "brk", { PTR } },
	{ "mlock", { PTR, SIZE } },
	{ "munlock", { PTR, SIZE } },
	{ "futex", { PTR, SYSCALL_ARG_FUTEX_OP, UINT, PTR, PTR, UINT } },
	/* networking */
	{ "socket", { SYSCALL_ARG_FAMILY, SYSCALL_ARG_SOCK_TYPE, INT } },
	{ "socketpair", { SYSCALL_ARG_FAMILY, SYSCALL_ARG_SOCK_TYPE, INT, PTR } },
	{ "connect", { FD, PTR, INT } },
	{ "bind", { FD, PTR, INT } },
	{ "listen", { FD, INT } },
	{ "accept", { FD, PTR, PTR } },
	{ "accept4", { FD, PTR, PTR, SYSCALL_ARG_SOCK_TYPE } },
	{ "sendto", { FD, PTR, SIZE, SYSCALL_ARG_MSG_FLAGS, PTR, INT } },
	{ "recvfrom", { FD, PTR, SIZE, SYSCALL_ARG_MSG_FLAGS, PTR, PTR } },
	{ "sendmsg", { FD, PTR, SYSCALL_ARG_MSG_FLAGS } },
	{ "recvmsg", { FD, PTR, SYSCALL_ARG_MSG_FLAGS } },
	{ "sendmmsg", { FD, PTR, UINT, SYSCALL_ARG_MSG_FLAGS } },
	{ "recvmmsg", { FD, PTR, UINT, SYSCALL_ARG_MSG_FLAGS, PTR } },
	{ "shutdown", { FD, INT } },
	{ "getsockopt", { FD, INT, INT, PTR, PTR } },
	{ "setsockopt", { FD, INT, INT, PTR, INT } },
	{ "getsockname", { FD, PTR, PTR } },
	{ "getpeername", { FD, PTR, PTR } },
	/* processes and signals */
	{ "clone", { SYSCALL_ARG_CLONE_FLAGS, PTR, PTR, PTR, HEX } },
	{ "clone3", { PTR, SIZE } },
	{ "fork", { SYSCALL_ARG_END } },
	{ "vfork", { SYSCALL_ARG_END } },
	{ "execve", { PATH, PTR, PTR } },
	{ "execveat", { DIRFD, PATH, PTR, PTR, SYSCALL_ARG_AT_FLAGS } },
	{ "exit", { INT } },
	{ "exit_group", { INT } },
	{ "wait4", { INT, PTR, INT, PTR } },
	{ "kill", { INT, SIG } },
	{ "tkill", { INT, SIG } },
	{ "tgkill", { INT, INT, SIG } },
	{ "rt_sigaction", { SIG, PTR, PTR, SIZE } },
	{ "rt_sigprocmask", { INT, PTR, PTR, SIZE } },
	{ "pidfd_open", { INT, HEX } },
	{ "pidfd_send_signal", { FD, SIG, PTR, UINT } },
	{ "pidfd_getfd", { FD, INT, UINT } },
	{ "prctl", { SYSCALL_ARG_PRCTL_OPTION, HEX, HEX, HEX, HEX } },
	{ "arch_prctl", { HEX, HEX } },
	{ "prlimit64", { INT, INT, PTR, PTR } },
	{ "setuid", { UINT } },
	{ "setgid", { UINT } },
	{ "setresuid", { UINT, UINT, UINT } },
	{ "setresgid", { UINT, UINT, UINT } },
	{ "getpid", { SYSCALL_ARG_END } },
	{ "gettid", { SYSCALL_ARG_END } },
	{ "getuid", { SYSCALL_ARG_END } },
	{ "nanosleep", { PTR, PTR } },
	{ "clock_nanosleep", { INT, INT, PTR, PTR } },
	{ "getrandom", { PTR, SIZE, HEX } },
	/* escapes and kernel attack surface */
	{ "ptrace", { SYSCALL_ARG_PTRACE_REQUEST, INT, PTR, HEX } },
	{ "process_vm_readv", { INT, PTR, SIZE, PTR, SIZE, HEX } },
	{ "process_vm_writev", { INT, PTR, SIZE, PTR, SIZE, HEX } },
	{ "mount", { PATH, PATH, PATH, SYSCALL_ARG_MOUNT_FLAGS, PTR } },
	{ "umount2", { PATH, INT } },
	{ "pivot_root", { PATH, PATH } },
	{ "chroot", { PATH } },
	{ "unshare", { SYSCALL_ARG_NAMESPACES } },
	{ "setns", { FD, SYSCALL_ARG_NAMESPACES } },
	{ "personality", { SYSCALL_ARG_PERSONALITY } },
	{ "seccomp", { UINT, HEX, PTR } },
	{ "bpf", { INT, PTR, UINT } },
	{ "perf_event_open", { PTR, INT, INT, FD, HEX } },
	{ "userfaultfd", { SYSCALL_ARG_OPEN_FLAGS } },
	{ "io_uring_setup", { UINT, PTR } },
	{ "io_uring_enter", { FD, UINT, UINT, HEX, PTR, SIZE } },
	{ "io_uring_register", { FD, UINT, PTR, UINT } },
	{ "keyctl", { INT, HEX, HEX, HEX, HEX } },
	{ "kcmp", { INT, INT, INT, HEX, HEX } },
	{ "init_module", { PTR, SIZE, PTR } },
	{ "finit_module", { FD, PTR, INT } },
};

#undef INT
#undef UINT
#undef LONG
#undef SIZE
#undef HEX
#undef PTR
#undef PATH
#undef FD
#undef DIRFD
#undef MODE
#undef SIG

const SyscallSignature *syscall_table_find(const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS(table); i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

const char *syscall_table_name(guint i)
{
	return i < G_N_ELEMENTS(table) ? table[i].name : NULL;
}

const SyscallArgKindInfo *syscall_arg_kind_info(SyscallArgKind kind)
{
	return &kinds[kind];
}
