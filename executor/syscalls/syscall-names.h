/* syscall-names.h — syscall numbers and names of the native ABI (x86-64),
 * as libseccomp knows them: one place that the filter compiler, the profile
 * parser's hints, the learn writer and the violation description all read. */
#ifndef EXPERT_EXEC_SYSCALL_NAMES_H
#define EXPERT_EXEC_SYSCALL_NAMES_H

#include <glib.h>

/* "socket" (or "syscall 1234"); free with g_free. */
char *syscall_name(int nr);

/* Every syscall name libseccomp knows on x86-64, in number order
 * (NULL-terminated, static). */
const char *const *syscall_names(void);

#endif /* EXPERT_EXEC_SYSCALL_NAMES_H */
