/* profile-constants.h — the names a profile may use for numbers: constants
 * in argument conditions ("arg2 & PROT_EXEC == 0") and errno names in
 * "errno NAME" actions. Two tables in profile-constants.c, one place to read.
 *
 * Values are those of the native ABI (x86-64), taken from the system headers,
 * as the 64-bit quantities the seccomp filter compares. A negative constant
 * (AT_FDCWD = -100) is stored as its 64-bit two's complement
 * (0xffffffffffffff9c): that is what the kernel sees when libc passes an int
 * argument sign-extended into a 64-bit register, as glibc's wrappers do. */
#ifndef EXPERT_EXEC_PROFILE_CONSTANTS_H
#define EXPERT_EXEC_PROFILE_CONSTANTS_H

#include <glib.h>

typedef struct {
	const char *name;   /* "PROT_EXEC" */
	guint64 value;
} ProfileConstant;

typedef struct {
	const char *name;   /* "EACCES" */
	int value;
} ProfileErrno;

/* The constant called name (case-sensitive); FALSE if there is none. */
gboolean profile_constant_lookup(const char *name, guint64 *value);
/* All constants, in table order; *n receives the count. */
const ProfileConstant *profile_constants(gsize *n);

/* value as argument arg of syscall, named: the constant, or several joined
 * with '|' (PROT_READ|PROT_WRITE), from the family that argument takes
 * (PROT_* for mmap's arg2, AF_* for socket's arg0, ...; the table is in
 * profile-constants.c); NULL when the argument takes no named constants or
 * value is not made of them. A zero value is named (O_RDONLY, PROT_NONE)
 * only with name_zero. Newly allocated. For `profile show`. */
char *profile_constant_describe(const char *syscall, guint arg, guint64 value, gboolean name_zero);

/* The errno called name ("EACCES"); FALSE if there is none. */
gboolean profile_errno_lookup(const char *name, int *value);
/* The canonical name of errno value ("EAGAIN" for 11, not "EWOULDBLOCK"),
 * or NULL. */
const char *profile_errno_name(int value);
/* All errno names, canonical ones first; *n receives the count. */
const ProfileErrno *profile_errnos(gsize *n);

#endif /* EXPERT_EXEC_PROFILE_CONSTANTS_H */
