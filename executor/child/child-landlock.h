/* child-landlock.h — a job's Landlock domains: one while its object loads,
 * one after, their rulesets made before the job. Each call returns 0 or a
 * negative errno. */
#ifndef EXPERT_EXEC_CHILD_LANDLOCK_H
#define EXPERT_EXEC_CHILD_LANDLOCK_H

#include <stddef.h>

/* Makes the rulesets of both domains, at CHILD_FD_LOADING_RULES and
 * CHILD_FD_LOADED_RULES, under Landlock ABI abi: every file-system right
 * handled, so refused unless a rule grants it; with ABI 4, TCP bind and
 * connect; with ABI 6, abstract UNIX sockets and signals outside the
 * domain. Made before the job is known and before the filter, which then
 * need not allow making one: only adding rules to the first (by its
 * number) and applying either. */
int child_landlock_prepare(unsigned abi);

/* Restricts the calling process to reading the n files open at files (the
 * object and its libraries) and nothing else of any file system. The
 * ruleset stays open, its number taken, until the object is loaded. */
int child_landlock_loading(const int *files, size_t n);

/* Applies the after-loading domain (no file at all) and closes its ruleset. */
int child_landlock_loaded(void);

#endif /* EXPERT_EXEC_CHILD_LANDLOCK_H */
