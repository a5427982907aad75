/* profile-constants.c — named constants and errno names for profiles.
 *
 * Values come from the system headers, so they are the native ABI's; the
 * executor builds filters for x86-64 only. The macros store every value as
 * the 64-bit pattern the filter compares (negative ones sign-extended: see
 * profile-constants.h). */
#include "syscalls/profile-constants.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>

#define C(x) { #x, (guint64)(gint64)(x) }

static const ProfileConstant constants[] = {
	/* mmap, mprotect: arg2 is the protection */
	C(PROT_NONE), C(PROT_READ), C(PROT_WRITE), C(PROT_EXEC),
	/* mmap: arg3 is the flags */
	C(MAP_SHARED), C(MAP_PRIVATE), C(MAP_SHARED_VALIDATE), C(MAP_ANONYMOUS),
	C(MAP_FIXED), C(MAP_FIXED_NOREPLACE), C(MAP_NORESERVE), C(MAP_POPULATE),
	C(MAP_STACK), C(MAP_GROWSDOWN),
	/* open: arg1, openat: arg2 */
	C(O_RDONLY), C(O_WRONLY), C(O_RDWR), C(O_ACCMODE), C(O_CREAT), C(O_EXCL),
	C(O_TRUNC), C(O_APPEND), C(O_CLOEXEC), C(O_NONBLOCK), C(O_DIRECTORY),
	C(O_NOFOLLOW), C(O_PATH), C(O_TMPFILE),
	/* the *at calls: arg0 is a directory descriptor or AT_FDCWD (negative) */
	C(AT_FDCWD), C(AT_SYMLINK_NOFOLLOW), C(AT_EMPTY_PATH), C(AT_REMOVEDIR),
	/* fcntl: arg1 is the command */
	C(F_DUPFD), C(F_DUPFD_CLOEXEC), C(F_GETFD), C(F_SETFD), C(F_GETFL),
	C(F_SETFL), C(FD_CLOEXEC),
	/* socket: arg0 is the family, arg1 the type (| SOCK_NONBLOCK, SOCK_CLOEXEC) */
	C(AF_UNIX), C(AF_INET), C(AF_INET6), C(AF_NETLINK), C(AF_PACKET),
	C(SOCK_STREAM), C(SOCK_DGRAM), C(SOCK_RAW), C(SOCK_SEQPACKET),
	C(SOCK_NONBLOCK), C(SOCK_CLOEXEC),
	/* clone: arg0 is the flags */
	C(CLONE_VM), C(CLONE_FS), C(CLONE_FILES), C(CLONE_SIGHAND), C(CLONE_PIDFD),
	C(CLONE_PTRACE), C(CLONE_VFORK), C(CLONE_PARENT), C(CLONE_THREAD),
	C(CLONE_NEWNS), C(CLONE_SYSVSEM), C(CLONE_SETTLS), C(CLONE_PARENT_SETTID),
	C(CLONE_CHILD_CLEARTID), C(CLONE_UNTRACED), C(CLONE_CHILD_SETTID),
	C(CLONE_NEWCGROUP), C(CLONE_NEWUTS), C(CLONE_NEWIPC), C(CLONE_NEWUSER),
	C(CLONE_NEWPID), C(CLONE_NEWNET), C(CLONE_IO), C(CLONE_NEWTIME),
	/* madvise: arg2 is the advice */
	C(MADV_NORMAL), C(MADV_RANDOM), C(MADV_SEQUENTIAL), C(MADV_WILLNEED),
	C(MADV_DONTNEED), C(MADV_FREE), C(MADV_REMOVE), C(MADV_DONTFORK),
	C(MADV_DOFORK), C(MADV_MERGEABLE), C(MADV_UNMERGEABLE), C(MADV_HUGEPAGE),
	C(MADV_NOHUGEPAGE), C(MADV_DONTDUMP), C(MADV_DODUMP), C(MADV_WIPEONFORK),
	C(MADV_KEEPONFORK), C(MADV_COLD), C(MADV_PAGEOUT),
	/* futex: arg1 is the operation, possibly | FUTEX_PRIVATE_FLAG */
	C(FUTEX_WAIT), C(FUTEX_WAKE), C(FUTEX_FD), C(FUTEX_REQUEUE),
	C(FUTEX_CMP_REQUEUE), C(FUTEX_WAKE_OP), C(FUTEX_LOCK_PI),
	C(FUTEX_UNLOCK_PI), C(FUTEX_TRYLOCK_PI), C(FUTEX_WAIT_BITSET),
	C(FUTEX_WAKE_BITSET), C(FUTEX_WAIT_REQUEUE_PI), C(FUTEX_CMP_REQUEUE_PI),
	C(FUTEX_LOCK_PI2), C(FUTEX_PRIVATE_FLAG), C(FUTEX_CLOCK_REALTIME),
	C(FUTEX_CMD_MASK),
};

/* Which constants each syscall argument takes, to name values back in
 * `profile show`: a prefix of the names above, and whether values combine
 * as flags (PROT_READ|PROT_WRITE) or are one of a list (AF_INET). Without a
 * row, a value stays a number: 1 is PROT_READ, O_WRONLY, AF_UNIX and
 * SOCK_STREAM at once, and only the argument says which. */
static const struct {
	const char *syscall;
	guint arg;
	const char *prefix;
	gboolean flags;
} arguments[] = {
	{ "mmap", 2, "PROT_", TRUE }, { "mprotect", 2, "PROT_", TRUE },
	{ "pkey_mprotect", 2, "PROT_", TRUE }, { "mmap", 3, "MAP_", TRUE },
	{ "open", 1, "O_", TRUE }, { "openat", 2, "O_", TRUE }, { "openat", 0, "AT_FDCWD", FALSE },
	{ "newfstatat", 0, "AT_FDCWD", FALSE }, { "newfstatat", 3, "AT_", TRUE },
	{ "statx", 0, "AT_FDCWD", FALSE }, { "statx", 2, "AT_", TRUE },
	{ "faccessat", 0, "AT_FDCWD", FALSE }, { "faccessat2", 0, "AT_FDCWD", FALSE },
	{ "faccessat2", 3, "AT_", TRUE }, { "readlinkat", 0, "AT_FDCWD", FALSE },
	{ "mkdirat", 0, "AT_FDCWD", FALSE }, { "unlinkat", 0, "AT_FDCWD", FALSE },
	{ "unlinkat", 2, "AT_", TRUE }, { "fchmodat", 0, "AT_FDCWD", FALSE },
	{ "fchownat", 0, "AT_FDCWD", FALSE }, { "fchownat", 4, "AT_", TRUE },
	{ "utimensat", 0, "AT_FDCWD", FALSE }, { "utimensat", 3, "AT_", TRUE },
	{ "fcntl", 1, "F_", FALSE }, { "socket", 0, "AF_", FALSE }, { "socket", 1, "SOCK_", TRUE },
	{ "socketpair", 0, "AF_", FALSE }, { "socketpair", 1, "SOCK_", TRUE },
	{ "clone", 0, "CLONE_", TRUE }, { "madvise", 2, "MADV_", FALSE },
	{ "futex", 1, "FUTEX_", TRUE },
};

#define E(x) { #x, x }

/* Canonical names first, in numeric order, so that the reverse lookup finds
 * them; the aliases Linux defines to the same numbers come last. */
static const ProfileErrno errnos[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(ENOTBLK), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV),
	E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY),
	E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK), E(EPIPE),
	E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK), E(ENOSYS),
	E(ENOTEMPTY), E(ELOOP), E(ENOMSG), E(EIDRM), E(ENOSTR), E(ENODATA),
	E(ETIME), E(ENOSR), E(EREMOTE), E(ENOLINK), E(EPROTO), E(EMULTIHOP),
	E(EBADMSG), E(EOVERFLOW), E(EILSEQ), E(EUSERS), E(ENOTSOCK),
	E(EDESTADDRREQ), E(EMSGSIZE), E(EPROTOTYPE), E(ENOPROTOOPT),
	E(EPROTONOSUPPORT), E(ESOCKTNOSUPPORT), E(EOPNOTSUPP), E(EPFNOSUPPORT),
	E(EAFNOSUPPORT), E(EADDRINUSE), E(EADDRNOTAVAIL), E(ENETDOWN),
	E(ENETUNREACH), E(ENETRESET), E(ECONNABORTED), E(ECONNRESET), E(ENOBUFS),
	E(EISCONN), E(ENOTCONN), E(ESHUTDOWN), E(ETOOMANYREFS), E(ETIMEDOUT),
	E(ECONNREFUSED), E(EHOSTDOWN), E(EHOSTUNREACH), E(EALREADY),
	E(EINPROGRESS), E(ESTALE), E(EDQUOT), E(ENOMEDIUM), E(EMEDIUMTYPE),
	E(ECANCELED), E(ENOKEY), E(EKEYEXPIRED), E(EKEYREVOKED), E(EKEYREJECTED),
	E(EOWNERDEAD), E(ENOTRECOVERABLE), E(ERFKILL), E(EHWPOISON),
	/* aliases */
	E(EWOULDBLOCK), E(EDEADLOCK), E(ENOTSUP),
};

gboolean
profile_constant_lookup(const char *name, guint64 *value)
{
	for (gsize i = 0; i < G_N_ELEMENTS(constants); i++) {
		if (strcmp(constants[i].name, name) == 0) {
			if (value != NULL)
				*value = constants[i].value;
			return TRUE;
		}
	}
	return FALSE;
}

const ProfileConstant *
profile_constants(gsize *n)
{
	if (n != NULL)
		*n = G_N_ELEMENTS(constants);
	return constants;
}

gboolean
profile_errno_lookup(const char *name, int *value)
{
	for (gsize i = 0; i < G_N_ELEMENTS(errnos); i++) {
		if (strcmp(errnos[i].name, name) == 0) {
			if (value != NULL)
				*value = errnos[i].value;
			return TRUE;
		}
	}
	return FALSE;
}

const char *
profile_errno_name(int value)
{
	for (gsize i = 0; i < G_N_ELEMENTS(errnos); i++)
		if (errnos[i].value == value)
			return errnos[i].name;
	return NULL;
}

const ProfileErrno *
profile_errnos(gsize *n)
{
	if (n != NULL)
		*n = G_N_ELEMENTS(errnos);
	return errnos;
}

/* Flags: the largest constants that fit go first, so that a constant that
 * is itself several bits (O_TMPFILE, MAP_SHARED_VALIDATE) is preferred to
 * its parts; the names are then printed in table order. */
static char *
describe_flags(const char *prefix, guint64 value)
{
	gboolean used[G_N_ELEMENTS(constants)] = { FALSE };
	guint64 left = value;

	while (left != 0) {
		gssize best = -1;
		for (gsize i = 0; i < G_N_ELEMENTS(constants); i++) {
			guint64 v = constants[i].value;
			if (!used[i] && v != 0 && (left & v) == v && g_str_has_prefix(constants[i].name, prefix)
			    && (best < 0 || v > constants[best].value))
				best = i;
		}
		if (best < 0)
			return NULL;
		used[best] = TRUE;
		left &= ~constants[best].value;
	}
	GString *out = g_string_new(NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(constants); i++)
		if (used[i])
			g_string_append_printf(out, "%s%s", out->len > 0 ? "|" : "", constants[i].name);
	return g_string_free(out, FALSE);
}

char *
profile_constant_describe(const char *syscall, guint arg, guint64 value, gboolean name_zero)
{
	for (gsize a = 0; a < G_N_ELEMENTS(arguments); a++) {
		if (arguments[a].arg != arg || strcmp(arguments[a].syscall, syscall) != 0)
			continue;
		if (value == 0 && !name_zero)
			return NULL;
		for (gsize i = 0; i < G_N_ELEMENTS(constants); i++)
			if (constants[i].value == value && g_str_has_prefix(constants[i].name, arguments[a].prefix))
				return g_strdup(constants[i].name);
		return arguments[a].flags && value != 0 ? describe_flags(arguments[a].prefix, value) : NULL;
	}
	return NULL;
}
