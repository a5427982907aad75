/* syscall-table.h — how each argument of the syscalls experts most often
 * trip on is read: a descriptor, flags of a named set ("PROT_READ|PROT_EXEC"),
 * one value of an enumeration (AF_*, signals, prctl options), a pointer, or a
 * number, signed where the kernel's type is. Knowledge as data, in three
 * tables (syscall-table.c): the named sets, the kinds of argument, and the
 * syscalls with the kind of each of their arguments, x86-64 order. A set's
 * members are the constants of profile-constants.c whose names start with
 * its prefix (so a profile can name them too), plus extras profiles do not
 * have. violations/syscall-args.c renders calls from it. */
#ifndef EXPERT_EXEC_SYSCALL_TABLE_H
#define EXPERT_EXEC_SYSCALL_TABLE_H

#include "syscalls/profile-constants.h"

#include <glib.h>

/* A named set of constants. A set of flags may hold, in some bits (its
 * field), one value of an enumeration: the access mode of O_* flags, the
 * type of SOCK_* and MAP_*, the command of FUTEX_*, clone's exit signal. */
typedef struct {
	const char *prefix;             /* members from profile-constants.c, or NULL */
	const ProfileConstant *extra;   /* members profiles cannot name (yet) */
	gsize n_extra;
	const char *const *exclude;     /* constants with the prefix that are no members */
	gboolean flags;                 /* an OR of members, else exactly one member */
	guint64 field;                  /* bits holding one enumerated value (flags only) */
	gboolean signal_field;          /* the field is a signal, shown last (clone) */
} SyscallSet;

typedef enum {
	SYSCALL_ARG_END = 0,      /* no more arguments */
	SYSCALL_ARG_INT,          /* int: signed decimal */
	SYSCALL_ARG_UINT,         /* unsigned int: decimal */
	SYSCALL_ARG_LONG,         /* long, off_t: signed decimal */
	SYSCALL_ARG_ULONG,        /* size_t, unsigned long: decimal */
	SYSCALL_ARG_HEX,          /* a value whose meaning depends on another argument */
	SYSCALL_ARG_PTR,          /* an address in the child: shown, never read */
	SYSCALL_ARG_PATH,         /* the address of a NUL-terminated string (a path, a
	                           * name): shown as text when the caller can read it */
	SYSCALL_ARG_FD,
	SYSCALL_ARG_DIRFD,        /* a descriptor or AT_FDCWD */
	SYSCALL_ARG_MODE,         /* permission bits: octal */
	SYSCALL_ARG_SIGNAL,
	SYSCALL_ARG_OPEN_FLAGS,
	SYSCALL_ARG_AT_FLAGS,
	SYSCALL_ARG_PROT,
	SYSCALL_ARG_MAP_FLAGS,
	SYSCALL_ARG_CLONE_FLAGS,
	SYSCALL_ARG_NAMESPACES,   /* CLONE_NEW* of unshare and setns */
	SYSCALL_ARG_MADVICE,
	SYSCALL_ARG_FAMILY,
	SYSCALL_ARG_SOCK_TYPE,
	SYSCALL_ARG_MSG_FLAGS,
	SYSCALL_ARG_FCNTL_CMD,
	SYSCALL_ARG_IOCTL_REQUEST,
	SYSCALL_ARG_PRCTL_OPTION,
	SYSCALL_ARG_PTRACE_REQUEST,
	SYSCALL_ARG_MOUNT_FLAGS,
	SYSCALL_ARG_PERSONALITY,
	SYSCALL_ARG_FUTEX_OP,
	SYSCALL_ARG_N_KINDS,
} SyscallArgKind;

typedef enum {
	SYSCALL_RENDER_SIGNED,
	SYSCALL_RENDER_UNSIGNED,
	SYSCALL_RENDER_HEX,
	SYSCALL_RENDER_PTR,
	SYSCALL_RENDER_STRING,    /* read through the caller's reader, else as PTR */
	SYSCALL_RENDER_OCTAL,
	SYSCALL_RENDER_FD,
	SYSCALL_RENDER_DIRFD,
	SYSCALL_RENDER_SIGNAL,
	SYSCALL_RENDER_SET,
} SyscallRender;

typedef struct {
	SyscallRender render;
	guint bits;              /* the width of the kernel's type: 32 or 64 */
	const SyscallSet *set;     /* for SYSCALL_RENDER_SET */
} SyscallArgKindInfo;

/* One syscall: its name and the kind of each argument, SYSCALL_ARG_END after
 * the last. */
typedef struct {
	const char *name;
	SyscallArgKind args[6];
} SyscallSignature;

/* The row of syscall name, or NULL when the table does not know it. */
const SyscallSignature *syscall_table_find(const char *name);
/* The i-th syscall of the table, NULL past its end (for tests: every name
 * must be one libseccomp knows). */
const char *syscall_table_name(guint i);
/* How an argument of kind is rendered. */
const SyscallArgKindInfo *syscall_arg_kind_info(SyscallArgKind kind);

#endif /* EXPERT_EXEC_SYSCALL_TABLE_H */
