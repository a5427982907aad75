/* syscall-args.h — a syscall and its arguments as a person reads them:
 * "socket(AF_INET, SOCK_STREAM, 0)" rather than "socket(0x2, 0x1, 0)".
 *
 * The tables of syscalls/syscall-table.h give, for the syscalls experts most
 * often trip on, the kind of each argument: a descriptor (named by what the
 * executor granted the child), flags of a named set ("PROT_READ|PROT_EXEC"),
 * one value of an enumeration (AF_*, signals, prctl options), a pointer (shown
 * as an address, never dereferenced), a string (a path: shown as text only
 * through a reader the caller gives, which reads the stopped child's memory,
 * violations/child-memory.h), or a number (signed where the kernel's type
 * is). Names come from
 * the constants profiles use (syscalls/profile-constants.c), so what a report prints
 * can mostly be pasted into a profile condition; a few more, that profiles do
 * not know, are kept next to the table.
 *
 * Pure but for the reader: usable on any (nr, args) pair, x86-64 numbering. */
#ifndef EXPERT_EXEC_SYSCALL_ARGS_H
#define EXPERT_EXEC_SYSCALL_ARGS_H

#include <glib.h>

/* "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0)"; a syscall missing from the
 * table gets its six arguments in hex ("getpid(0, 0, 0, 0, 0, 0)"), an
 * unknown number "syscall 1234(...)". Descriptors are shown as
 * "NUMBER<what>" (strace -y style), e.g. "3<channel>", "7<not granted>".
 * A 32-bit argument whose upper half is neither zero nor its sign extension
 * is also shown raw ("AF_INET [0xdead000000000002]"): the kernel ignores
 * those bits, the filter does not. Free with g_free. */
char *syscall_args_describe(int nr, const guint64 args[6]);

/* The text of the string at addr, quoted and escaped ("\"/tmp/x\""), or
 * NULL when it cannot be read (the address is then shown). */
typedef char *(*SyscallStringReader)(guint64 addr, gpointer data);

/* As syscall_args_describe(), string arguments read through read;
 * *strings_read (if given) says whether any was shown as text. */
char *syscall_args_describe_reading(int nr, const guint64 args[6], SyscallStringReader read,
                                    gpointer data, gboolean *strings_read);

/* What descriptor fd is in a child: "/dev/null (stdin)", "/dev/null
 * (stdout)", "/dev/null (stderr)", "channel", "expert object (while
 * loading)"; NULL for any other (the executor granted nothing else). */
const char *syscall_args_fd_name(int fd);

#endif /* EXPERT_EXEC_SYSCALL_ARGS_H */
