/* syscall-args.c — decoding syscall arguments for reports (see
 * syscall-args.h).
 *
 * Knowledge as data: the kinds of arguments (how each is rendered), the named
 * sets of constants they draw on, and the syscalls with the kind of each of
 * their arguments are three tables; the code only walks them. */
#include "violations/syscall-args.h"

#include "protocol/child-protocol.h"
#include "syscalls/profile-constants.h"
#include "syscalls/syscall-names.h"

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

typedef struct {
	const char *prefix;             /* members from profile-constants.c, or NULL */
	const ProfileConstant *extra;   /* members profiles cannot name (yet) */
	gsize n_extra;
	const char *const *exclude;     /* constants with the prefix that are no members */
	gboolean flags;                 /* an OR of members, else exactly one member */
	guint64 field;                  /* bits holding one enumerated value (flags only) */
	gboolean signal_field;          /* the field is a signal, shown last (clone) */
} NamedSet;

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

static const NamedSet set_open = { "O_", EXTRA(open_extra), not_open_flags, TRUE, O_ACCMODE, FALSE };
static const NamedSet set_at = { "AT_", EXTRA(at_extra), not_at_flags, TRUE, 0, FALSE };
static const NamedSet set_prot = { "PROT_", EXTRA(prot_extra), NULL, TRUE, 0, FALSE };
/* 0xf: the kernel's MAP_TYPE and SOCK_TYPE_MASK, which glibc does not export. */
static const NamedSet set_map = { "MAP_", EXTRA(map_extra), NULL, TRUE, 0xf, FALSE };
static const NamedSet set_clone = { "CLONE_", EXTRA(clone_extra), NULL, TRUE, CSIGNAL, TRUE };
static const NamedSet set_namespaces = { "CLONE_", EXTRA(clone_extra), NULL, TRUE, 0, FALSE };
static const NamedSet set_madvise = { "MADV_", NULL, 0, NULL, FALSE, 0, FALSE };
static const NamedSet set_family = { "AF_", EXTRA(family_extra), NULL, FALSE, 0, FALSE };
static const NamedSet set_sock = { "SOCK_", EXTRA(sock_extra), NULL, TRUE, 0xf, FALSE };
static const NamedSet set_fcntl = { "F_", EXTRA(fcntl_extra), NULL, FALSE, 0, FALSE };
static const NamedSet set_futex = { "FUTEX_", NULL, 0, not_futex_ops, TRUE,
                                    FUTEX_CMD_MASK & 0xffffffffu, FALSE };
static const NamedSet set_msg = { NULL, EXTRA(msg_flags), NULL, TRUE, 0, FALSE };
static const NamedSet set_mount = { NULL, EXTRA(mount_flags), NULL, TRUE, 0, FALSE };
static const NamedSet set_prctl = { NULL, EXTRA(prctl_options), NULL, FALSE, 0, FALSE };
static const NamedSet set_ptrace = { NULL, EXTRA(ptrace_requests), NULL, FALSE, 0, FALSE };
static const NamedSet set_ioctl = { NULL, EXTRA(ioctl_requests), NULL, FALSE, 0, FALSE };
static const NamedSet set_personality = { NULL, EXTRA(personalities), NULL, TRUE, PER_MASK, FALSE };

/* ---- kinds of argument ------------------------------------------------- */

typedef enum {
	ARG_END = 0,      /* no more arguments */
	ARG_INT,          /* int: signed decimal */
	ARG_UINT,         /* unsigned int: decimal */
	ARG_LONG,         /* long, off_t: signed decimal */
	ARG_ULONG,        /* size_t, unsigned long: decimal */
	ARG_HEX,          /* a value whose meaning depends on another argument */
	ARG_PTR,          /* an address in the child: shown, never read */
	ARG_FD,
	ARG_DIRFD,        /* a descriptor or AT_FDCWD */
	ARG_MODE,         /* permission bits: octal */
	ARG_SIGNAL,
	ARG_OPEN_FLAGS,
	ARG_AT_FLAGS,
	ARG_PROT,
	ARG_MAP_FLAGS,
	ARG_CLONE_FLAGS,
	ARG_NAMESPACES,   /* CLONE_NEW* of unshare and setns */
	ARG_MADVICE,
	ARG_FAMILY,
	ARG_SOCK_TYPE,
	ARG_MSG_FLAGS,
	ARG_FCNTL_CMD,
	ARG_IOCTL_REQUEST,
	ARG_PRCTL_OPTION,
	ARG_PTRACE_REQUEST,
	ARG_MOUNT_FLAGS,
	ARG_PERSONALITY,
	ARG_FUTEX_OP,
	ARG_N_KINDS,
} ArgKind;

typedef enum {
	RENDER_SIGNED,
	RENDER_UNSIGNED,
	RENDER_HEX,
	RENDER_PTR,
	RENDER_OCTAL,
	RENDER_FD,
	RENDER_DIRFD,
	RENDER_SIGNAL,
	RENDER_SET,
} Render;

typedef struct {
	Render render;
	guint bits;              /* the width of the kernel's type: 32 or 64 */
	const NamedSet *set;     /* for RENDER_SET */
} ArgKindInfo;

static const ArgKindInfo kinds[ARG_N_KINDS] = {
	[ARG_INT] = { RENDER_SIGNED, 32, NULL },
	[ARG_UINT] = { RENDER_UNSIGNED, 32, NULL },
	[ARG_LONG] = { RENDER_SIGNED, 64, NULL },
	[ARG_ULONG] = { RENDER_UNSIGNED, 64, NULL },
	[ARG_HEX] = { RENDER_HEX, 64, NULL },
	[ARG_PTR] = { RENDER_PTR, 64, NULL },
	[ARG_FD] = { RENDER_FD, 32, NULL },
	[ARG_DIRFD] = { RENDER_DIRFD, 32, NULL },
	[ARG_MODE] = { RENDER_OCTAL, 32, NULL },
	[ARG_SIGNAL] = { RENDER_SIGNAL, 32, NULL },
	[ARG_OPEN_FLAGS] = { RENDER_SET, 32, &set_open },
	[ARG_AT_FLAGS] = { RENDER_SET, 32, &set_at },
	[ARG_PROT] = { RENDER_SET, 64, &set_prot },
	[ARG_MAP_FLAGS] = { RENDER_SET, 64, &set_map },
	[ARG_CLONE_FLAGS] = { RENDER_SET, 64, &set_clone },
	[ARG_NAMESPACES] = { RENDER_SET, 64, &set_namespaces },
	[ARG_MADVICE] = { RENDER_SET, 32, &set_madvise },
	[ARG_FAMILY] = { RENDER_SET, 32, &set_family },
	[ARG_SOCK_TYPE] = { RENDER_SET, 32, &set_sock },
	[ARG_MSG_FLAGS] = { RENDER_SET, 32, &set_msg },
	[ARG_FCNTL_CMD] = { RENDER_SET, 32, &set_fcntl },
	[ARG_IOCTL_REQUEST] = { RENDER_SET, 32, &set_ioctl },
	[ARG_PRCTL_OPTION] = { RENDER_SET, 32, &set_prctl },
	[ARG_PTRACE_REQUEST] = { RENDER_SET, 64, &set_ptrace },
	[ARG_MOUNT_FLAGS] = { RENDER_SET, 64, &set_mount },
	[ARG_PERSONALITY] = { RENDER_SET, 32, &set_personality },
	[ARG_FUTEX_OP] = { RENDER_SET, 32, &set_futex },
};

/* ---- the syscalls ---------------------------------------------------------
 *
 * x86-64 argument order, as in the kernel's SYSCALL_DEFINE for each. */

typedef struct {
	const char *name;
	ArgKind args[6];
} SyscallArgs;

#define INT ARG_INT
#define UINT ARG_UINT
#define LONG ARG_LONG
#define SIZE ARG_ULONG
#define HEX ARG_HEX
#define PTR ARG_PTR
#define FD ARG_FD
#define DIRFD ARG_DIRFD
#define MODE ARG_MODE
#define SIG ARG_SIGNAL

static const SyscallArgs table[] = {
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
	{ "dup3", { FD, INT, ARG_OPEN_FLAGS } },
	{ "fcntl", { FD, ARG_FCNTL_CMD, HEX } },
	{ "ioctl", { FD, ARG_IOCTL_REQUEST, HEX } },
	{ "fstat", { FD, PTR } },
	{ "getdents64", { FD, PTR, UINT } },
	{ "pipe", { PTR } },
	{ "pipe2", { PTR, ARG_OPEN_FLAGS } },
	/* files by path */
	{ "open", { PTR, ARG_OPEN_FLAGS, MODE } },
	{ "openat", { DIRFD, PTR, ARG_OPEN_FLAGS, MODE } },
	{ "openat2", { DIRFD, PTR, PTR, SIZE } },
	{ "creat", { PTR, MODE } },
	{ "stat", { PTR, PTR } },
	{ "lstat", { PTR, PTR } },
	{ "newfstatat", { DIRFD, PTR, PTR, ARG_AT_FLAGS } },
	{ "statx", { DIRFD, PTR, ARG_AT_FLAGS, HEX, PTR } },
	{ "access", { PTR, INT } },
	{ "faccessat", { DIRFD, PTR, INT } },
	{ "faccessat2", { DIRFD, PTR, INT, ARG_AT_FLAGS } },
	{ "readlink", { PTR, PTR, SIZE } },
	{ "readlinkat", { DIRFD, PTR, PTR, SIZE } },
	{ "mkdir", { PTR, MODE } },
	{ "mkdirat", { DIRFD, PTR, MODE } },
	{ "unlink", { PTR } },
	{ "unlinkat", { DIRFD, PTR, ARG_AT_FLAGS } },
	{ "rename", { PTR, PTR } },
	{ "renameat", { DIRFD, PTR, DIRFD, PTR } },
	{ "chmod", { PTR, MODE } },
	{ "fchmod", { FD, MODE } },
	{ "chdir", { PTR } },
	{ "fchdir", { FD } },
	{ "truncate", { PTR, LONG } },
	{ "ftruncate", { FD, LONG } },
	{ "memfd_create", { PTR, HEX } },
	/* memory */
	{ "mmap", { PTR, SIZE, ARG_PROT, ARG_MAP_FLAGS, FD, LONG } },
	{ "mprotect", { PTR, SIZE, ARG_PROT } },
	{ "munmap", { PTR, SIZE } },
	{ "mremap", { PTR, SIZE, SIZE, HEX, PTR } },
	{ "madvise", { PTR, SIZE, ARG_MADVICE } },
	{ "brk", { PTR } },
	{ "mlock", { PTR, SIZE } },
	{ "munlock", { PTR, SIZE } },
	{ "futex", { PTR, ARG_FUTEX_OP, UINT, PTR, PTR, UINT } },
	/* networking */
	{ "socket", { ARG_FAMILY, ARG_SOCK_TYPE, INT } },
	{ "socketpair", { ARG_FAMILY, ARG_SOCK_TYPE, INT, PTR } },
	{ "connect", { FD, PTR, INT } },
	{ "bind", { FD, PTR, INT } },
	{ "listen", { FD, INT } },
	{ "accept", { FD, PTR, PTR } },
	{ "accept4", { FD, PTR, PTR, ARG_SOCK_TYPE } },
	{ "sendto", { FD, PTR, SIZE, ARG_MSG_FLAGS, PTR, INT } },
	{ "recvfrom", { FD, PTR, SIZE, ARG_MSG_FLAGS, PTR, PTR } },
	{ "sendmsg", { FD, PTR, ARG_MSG_FLAGS } },
	{ "recvmsg", { FD, PTR, ARG_MSG_FLAGS } },
	{ "sendmmsg", { FD, PTR, UINT, ARG_MSG_FLAGS } },
	{ "recvmmsg", { FD, PTR, UINT, ARG_MSG_FLAGS, PTR } },
	{ "shutdown", { FD, INT } },
	{ "getsockopt", { FD, INT, INT, PTR, PTR } },
	{ "setsockopt", { FD, INT, INT, PTR, INT } },
	{ "getsockname", { FD, PTR, PTR } },
	{ "getpeername", { FD, PTR, PTR } },
	/* processes and signals */
	{ "clone", { ARG_CLONE_FLAGS, PTR, PTR, PTR, HEX } },
	{ "clone3", { PTR, SIZE } },
	{ "fork", { ARG_END } },
	{ "vfork", { ARG_END } },
	{ "execve", { PTR, PTR, PTR } },
	{ "execveat", { DIRFD, PTR, PTR, PTR, ARG_AT_FLAGS } },
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
	{ "prctl", { ARG_PRCTL_OPTION, HEX, HEX, HEX, HEX } },
	{ "arch_prctl", { HEX, HEX } },
	{ "prlimit64", { INT, INT, PTR, PTR } },
	{ "setuid", { UINT } },
	{ "setgid", { UINT } },
	{ "setresuid", { UINT, UINT, UINT } },
	{ "setresgid", { UINT, UINT, UINT } },
	{ "getpid", { ARG_END } },
	{ "gettid", { ARG_END } },
	{ "getuid", { ARG_END } },
	{ "nanosleep", { PTR, PTR } },
	{ "clock_nanosleep", { INT, INT, PTR, PTR } },
	{ "getrandom", { PTR, SIZE, HEX } },
	/* escapes and kernel attack surface */
	{ "ptrace", { ARG_PTRACE_REQUEST, INT, PTR, HEX } },
	{ "process_vm_readv", { INT, PTR, SIZE, PTR, SIZE, HEX } },
	{ "process_vm_writev", { INT, PTR, SIZE, PTR, SIZE, HEX } },
	{ "mount", { PTR, PTR, PTR, ARG_MOUNT_FLAGS, PTR } },
	{ "umount2", { PTR, INT } },
	{ "pivot_root", { PTR, PTR } },
	{ "chroot", { PTR } },
	{ "unshare", { ARG_NAMESPACES } },
	{ "setns", { FD, ARG_NAMESPACES } },
	{ "personality", { ARG_PERSONALITY } },
	{ "seccomp", { UINT, HEX, PTR } },
	{ "bpf", { INT, PTR, UINT } },
	{ "perf_event_open", { PTR, INT, INT, FD, HEX } },
	{ "userfaultfd", { ARG_OPEN_FLAGS } },
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
#undef FD
#undef DIRFD
#undef MODE
#undef SIG

/* ---- rendering ----------------------------------------------------------- */

const char *syscall_args_fd_name(int fd)
{
	/* What the child's setup leaves open (child-setup.c). */
	switch (fd) {
	case 0: return "/dev/null (stdin)";
	case 1: return "/dev/null (stdout)";
	case 2: return "/dev/null (stderr)";
	case CHILD_FD_CHANNEL: return "channel";
	case CHILD_FD_EXPERT: return "expert object (while loading)";
	default: return NULL;
	}
}

const char *syscall_args_table_name(guint i)
{
	return i < G_N_ELEMENTS(table) ? table[i].name : NULL;
}

static gboolean excluded(const NamedSet *set, const char *name)
{
	for (const char *const *e = set->exclude; e && *e; e++)
		if (strcmp(*e, name) == 0)
			return TRUE;
	return FALSE;
}

/* Calls f on every member of set, profile constants first (their names win
 * over extras of the same value); stops when f returns TRUE. */
typedef gboolean (*MemberFunc)(const ProfileConstant *member, gpointer data);

static void for_each_member(const NamedSet *set, MemberFunc f, gpointer data)
{
	if (set->prefix) {
		gsize n;
		const ProfileConstant *constants = profile_constants(&n);
		for (gsize i = 0; i < n; i++)
			if (g_str_has_prefix(constants[i].name, set->prefix) &&
			    !excluded(set, constants[i].name) && f(&constants[i], data))
				return;
	}
	for (gsize i = 0; i < set->n_extra; i++)
		if (f(&set->extra[i], data))
			return;
}

typedef struct {
	guint64 value;
	const char *name;
} Match;

static gboolean match_exact(const ProfileConstant *m, gpointer data)
{
	Match *match = data;
	if (m->value != match->value)
		return FALSE;
	match->name = m->name;
	return TRUE;
}

static const char *member_named(const NamedSet *set, guint64 value)
{
	Match match = { value, NULL };
	for_each_member(set, match_exact, &match);
	return match.name;
}

typedef struct {
	const NamedSet *set;
	GString *out;
	guint64 left;      /* bits not yet named */
	gboolean multi;    /* this pass: members of several bits, else of one */
	gboolean any;      /* something was written */
} FlagsPass;

static gboolean take_flag(const ProfileConstant *m, gpointer data)
{
	FlagsPass *p = data;
	guint64 v = m->value;
	if (v == 0 || (v & p->set->field) || (__builtin_popcountll(v) > 1) != p->multi ||
	    (p->left & v) != v)
		return FALSE;
	g_string_append_printf(p->out, "%s%s", p->any ? "|" : "", m->name);
	p->left &= ~v;
	p->any = TRUE;
	return FALSE;
}

static void append_signal(GString *out, guint64 sig)
{
	const char *abbrev = sig > 0 && sig < 65 ? sigabbrev_np((int)sig) : NULL;
	if (abbrev)
		g_string_append_printf(out, "SIG%s", abbrev);
	else
		g_string_append_printf(out, "%" G_GUINT64_FORMAT, sig);
}

/* "O_WRONLY|O_CREAT|O_CLOEXEC", "PROT_READ|PROT_EXEC|0x100",
 * "CLONE_CHILD_SETTID|SIGCHLD". */
static void append_flags(GString *out, const NamedSet *set, guint64 v)
{
	FlagsPass p = { set, out, v & ~set->field, TRUE, FALSE };
	guint64 field = v & set->field;
	if (set->field && !set->signal_field) {
		const char *name = member_named(set, field);
		if (name) {
			g_string_append(out, name);
			p.any = TRUE;
		} else if (field) {
			g_string_append_printf(out, "%#" G_GINT64_MODIFIER "x", field);
			p.any = TRUE;
		}
	}
	/* Members of several bits first (O_TMPFILE holds O_DIRECTORY's bit). */
	for_each_member(set, take_flag, &p);
	p.multi = FALSE;
	for_each_member(set, take_flag, &p);
	if (p.left) {
		g_string_append_printf(out, "%s%#" G_GINT64_MODIFIER "x", p.any ? "|" : "", p.left);
		p.any = TRUE;
	}
	if (set->signal_field && field) {
		g_string_append(out, p.any ? "|" : "");
		append_signal(out, field);
		p.any = TRUE;
	}
	if (!p.any) {
		const char *zero = member_named(set, 0);
		g_string_append(out, zero ? zero : "0");
	}
}

static void append_arg(GString *out, ArgKind kind, guint64 raw)
{
	const ArgKindInfo *k = &kinds[kind];
	/* The kernel reads an int argument from the low half of the register;
	 * whether libc sign- or zero-extended it, the value is the same. */
	guint64 v = k->bits == 32 ? (guint64)(guint32)raw : raw;
	gint64 sv = k->bits == 32 ? (gint64)(gint32)(guint32)raw : (gint64)raw;

	switch (k->render) {
	case RENDER_SIGNED:
		g_string_append_printf(out, "%" G_GINT64_FORMAT, sv);
		break;
	case RENDER_UNSIGNED:
		g_string_append_printf(out, "%" G_GUINT64_FORMAT, v);
		break;
	case RENDER_HEX:
		g_string_append_printf(out, "%#" G_GINT64_MODIFIER "x", v); /* 0 stays "0" */
		break;
	case RENDER_PTR:
		if (v)
			g_string_append_printf(out, "%#" G_GINT64_MODIFIER "x", v);
		else
			g_string_append(out, "NULL");
		break;
	case RENDER_OCTAL:
		g_string_append_printf(out, "%#" G_GINT64_MODIFIER "o", v); /* 0644, 0 */
		break;
	case RENDER_DIRFD:
		if (sv == AT_FDCWD) {
			g_string_append(out, "AT_FDCWD");
			break;
		}
		G_GNUC_FALLTHROUGH;
	case RENDER_FD:
		if (sv < 0) {
			g_string_append_printf(out, "%" G_GINT64_FORMAT, sv);
		} else {
			const char *name = syscall_args_fd_name((int)sv);
			g_string_append_printf(out, "%" G_GINT64_FORMAT "<%s>", sv, name ? name : "not granted");
		}
		break;
	case RENDER_SIGNAL:
		append_signal(out, v);
		break;
	case RENDER_SET:
		if (k->set->flags) {
			append_flags(out, k->set, v);
		} else {
			const char *name = member_named(k->set, v);
			if (name)
				g_string_append(out, name);
			else
				g_string_append_printf(out, "%" G_GINT64_FORMAT, sv);
		}
		break;
	}
	guint64 high = raw >> 32;
	if (k->bits == 32 && high != 0 && !(high == 0xffffffffu && sv < 0))
		g_string_append_printf(out, " [%#" G_GINT64_MODIFIER "x]", raw);
}

char *syscall_args_describe(int nr, const guint64 args[6])
{
	g_autofree char *name = syscall_name(nr);
	GString *out = g_string_new(name);
	g_string_append_c(out, '(');
	const SyscallArgs *row = NULL;
	for (gsize i = 0; i < G_N_ELEMENTS(table) && !row; i++)
		if (strcmp(table[i].name, name) == 0)
			row = &table[i];
	if (row) {
		for (int i = 0; i < 6 && row->args[i] != ARG_END; i++) {
			if (i)
				g_string_append(out, ", ");
			append_arg(out, row->args[i], args[i]);
		}
	} else {
		/* Unknown to the table: how many arguments it takes is unknown too. */
		for (int i = 0; i < 6; i++)
			g_string_append_printf(out, "%s%#" G_GINT64_MODIFIER "x", i ? ", " : "", args[i]);
	}
	g_string_append_c(out, ')');
	return g_string_free(out, FALSE);
}
