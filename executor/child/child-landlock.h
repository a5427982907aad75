/* child-landlock.h — a job's Landlock domains: one while its object loads,
 * one after. Each call returns 0 or a negative errno. */
#ifndef EXPERT_EXEC_CHILD_LANDLOCK_H
#define EXPERT_EXEC_CHILD_LANDLOCK_H

#include <stddef.h>

/* Restricts the calling process, under Landlock ABI abi, to reading the n
 * files open at files (the object and its libraries) and nothing else of
 * any file system; with ABI 4, no TCP bind or connect; with ABI 6, no
 * abstract UNIX socket and no signal outside the domain. Also prepares the
 * domain for after loading, whose ruleset descriptor goes to *loaded_fd:
 * made now because the seccomp filter installed next need not allow
 * creating one, only applying it. */
int child_landlock_loading(unsigned abi, const int *files, size_t n, int *loaded_fd);

/* Applies the prepared domain (no file at all) and closes its descriptor. */
int child_landlock_loaded(int loaded_fd);

#endif /* EXPERT_EXEC_CHILD_LANDLOCK_H */
