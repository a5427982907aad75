/* syscall-groups.h — named sets of syscalls that profiles can allow or deny
 * as one ("@basic-io"), in the spirit of systemd's SystemCallFilter= groups.
 * The table lives in syscall-groups.c: one place to read, one place to change,
 * and `profile list`/`--help` print from it. */
#ifndef EXPERT_EXEC_SYSCALL_GROUPS_H
#define EXPERT_EXEC_SYSCALL_GROUPS_H

#include <glib.h>
#include <stddef.h>

typedef struct {
	const char *name;             /* "@basic-io" */
	const char *help;             /* one line */
	const char *const *members;   /* NULL-terminated; names, or other "@groups" */
} SyscallGroup;

/* The group called name (with its '@'), or NULL. */
const SyscallGroup *syscall_group_find(const char *name);
/* All groups, in table order; *n_groups receives the count. */
const SyscallGroup *syscall_groups(size_t *n_groups);
/* Appends group's syscall names to names (a GPtrArray of const char *, the
 * table's own strings), following nested groups, each name once. FALSE if a
 * group contains itself or names an unknown group (a bug in the table); *bad
 * then names the group at fault. */
gboolean syscall_group_expand(const SyscallGroup *group, GPtrArray *names, const char **bad);

#endif /* EXPERT_EXEC_SYSCALL_GROUPS_H */
