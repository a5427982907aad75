/* profile.h — sandbox profiles: parsing, inheritance and the resolved model.
 *
 * A profile is a GLib key-file under sandbox-profiles/ (see docs/profiles.md):
 *
 *   [profile]
 *   description = Frames, memory API, status and events: nothing else.
 *   inherits = default            # optional: start from this profile
 *   default-action = notify       # for every syscall no rule names
 *   acknowledge = execve;ptrace   # dangerous allows meant (see profile-lint.h)
 *
 *   [limits]
 *   memory = 64M                  # pool region = memory quota (K, M, G suffixes)
 *   cpu-time = 10s                # ms, s, m suffixes
 *   wall-time = 30s
 *   descriptors = 16              # RLIMIT_NOFILE of the child
 *   events = 10000                # events one run may submit
 *   output-files = 0              # output captures it may ask for (default 0)
 *   output-bytes = 0              # bytes per output file (RLIMIT_FSIZE)
 *   event-bytes = 8M              # what a job may cost the executor: its events' text,
 *   notifications = 10000         # seccomp notifications, in all and
 *   notifications-per-second = 2000
 *   filter-compiles = 64          # filters it may ask for, each of at most
 *   filter-bytes = 256            # this many bytes, compiled in at most
 *   filter-cpu-time = 500ms       # this much of the executor's CPU in all
 *   output-requests = 64          # output captures asked for, refused ones too
 *
 *   [syscalls]
 *   @expert-runtime = allow       # a group from the table in syscall-groups.c
 *   mmap = allow if arg2 & PROT_EXEC == 0
 *   write = allow if arg0 == 3 || arg0 == 2
 *   socket = errno EACCES
 *   ptrace = kill
 *
 * Actions: allow, kill, notify (the executor is told, reports a sandbox
 * violation and kills the child), errno NAME|NUMBER, trap, log.
 * Conditions: argN OP VALUE with OP one of == != < <= > >=, or
 * "argN & MASK == VALUE"; VALUE and MASK are numbers or constant names from
 * the table in syscalls/profile-constants.c; "&&" joins conditions of one alternative,
 * "||" separates alternatives.
 *
 * Parser state carries file and line, so every error names both.
 *
 * This header is what the rest of the executor includes: the model
 * (profile-model.h), errors (profile-error.h), the rule language
 * (profile-rule.h), limits (profile-limits.h), the search
 * (profile-search.h) and loading (profile.c). The files of profiles/ below
 * it include those headers, never this one. The checks behind `expert-exec
 * profile check` are profile-lint.h's.
 */
#ifndef EXPERT_EXEC_PROFILE_H
#define EXPERT_EXEC_PROFILE_H

#include "profiles/profile-error.h"
#include "profiles/profile-limits.h"
#include "profiles/profile-model.h"
#include "profiles/profile-rule.h"
#include "profiles/profile-search.h"

#include <glib.h>

/* Loads NAME (searched in profile_search_dirs()) or a path (anything with a
 * '/' or ending in ".profile"), resolving inheritance. */
Profile *profile_load(const char *name_or_path, GError **error);

/* As profile_load(), but an error in one line does not end the reading of
 * its file: every such error (a PROFILE_ERROR GError*) is appended to
 * errors, in line order, and the profile is returned only when there is
 * none. Errors that leave nothing to read on (the file's syntax, a missing
 * parent) still end it; so does a file with errors, before its parent is
 * read. */
Profile *profile_load_all_errors(const char *name_or_path, GPtrArray *errors);

#endif /* EXPERT_EXEC_PROFILE_H */
