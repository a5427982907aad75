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
 * the table in profile-constants.c; "&&" joins conditions of one alternative,
 * "||" separates alternatives.
 *
 * Parser state carries file and line, so every error names both.
 *
 * The parser is three files (profile-internal.h tells which does what); the
 * checks behind `expert-exec profile check` are profile-lint.h's.
 */
#ifndef EXPERT_EXEC_PROFILE_H
#define EXPERT_EXEC_PROFILE_H

#include <glib.h>
#include <stdint.h>

#define PROFILE_ERROR (profile_error_quark())
GQuark profile_error_quark(void);

typedef enum {
	PROFILE_ERROR_NOT_FOUND,  /* no profile of that name or path */
	PROFILE_ERROR_SYNTAX,     /* key-file syntax, or a value that does not parse */
	PROFILE_ERROR_UNKNOWN,    /* unknown group, key, syscall, constant or action */
	PROFILE_ERROR_CYCLE,      /* inherits loops */
	PROFILE_ERROR_CONFLICT,   /* two rules that contradict each other */
} ProfileErrorCode;

typedef enum {
	PROFILE_ACTION_ALLOW = 0,
	PROFILE_ACTION_KILL,
	PROFILE_ACTION_NOTIFY,
	PROFILE_ACTION_ERRNO,
	PROFILE_ACTION_TRAP,
	PROFILE_ACTION_LOG,
} ProfileActionKind;

typedef struct {
	ProfileActionKind kind;
	int errno_value; /* for PROFILE_ACTION_ERRNO */
} ProfileAction;

typedef enum {
	PROFILE_CMP_EQ = 0,
	PROFILE_CMP_NE,
	PROFILE_CMP_LT,
	PROFILE_CMP_LE,
	PROFILE_CMP_GT,
	PROFILE_CMP_GE,
	PROFILE_CMP_MASKED_EQ, /* (arg & mask) == value */
} ProfileCmpOp;

typedef struct {
	guint arg; /* 0..5 */
	ProfileCmpOp op;
	guint64 value;
	guint64 mask; /* for PROFILE_CMP_MASKED_EQ */
} ProfileCondition;

#define PROFILE_MAX_CONDITIONS 6

/* One alternative of a rule: all its conditions must hold (AND). */
typedef struct {
	guint n_conditions;
	ProfileCondition conditions[PROFILE_MAX_CONDITIONS];
} ProfileAlternative;

/* One rule for one syscall. Groups are expanded at load: a rule written for
 * "@basic-io" becomes one ProfileRule per member, each remembering the group.
 * A rule with no alternatives matches every call of the syscall. */
typedef struct {
	char *syscall;            /* name as libseccomp knows it */
	int nr;                   /* native (x86-64) number */
	ProfileAction action;
	GArray *alternatives;     /* of ProfileAlternative; OR of them */
	char *text;               /* the rule's value as written, for reports */
	char *group;              /* the group it came from, or NULL */
	char *file;               /* where it was written */
	guint line;
} ProfileRule;

/* "[profile] acknowledge = NAME;NAME": the profile's author knows it lets
 * these dangerous syscalls through (profile_lint() reports an
 * unacknowledged one as an error). */
typedef struct {
	char *syscall;
	int nr;
	char *file;               /* where it was written */
	guint line;
} ProfileAcknowledgement;

typedef struct {
	char *name;               /* file name without ".profile" */
	char *path;               /* of the file the profile was read from */
	char *description;
	char *parent;             /* name it inherits from, or NULL */
	ProfileAction default_action;
	char *default_action_file;
	guint default_action_line;

	guint64 memory_bytes;
	guint64 cpu_ms;
	guint64 wall_ms;
	guint max_fds;
	guint max_events;
	guint max_outputs;        /* output captures one run may create */
	guint64 max_output_bytes; /* per output file (RLIMIT_FSIZE) */

	GPtrArray *rules;         /* of ProfileRule*, at most one per syscall */

	/* Where it all came from, for `profile check` and `profile show`; NULL
	 * (and 0) in a Profile built by hand, which is fine everywhere. */
	char *description_file;   /* the file that set description */
	guint description_line;
	GPtrArray *acknowledged;  /* of ProfileAcknowledgement*, from every file of the chain */
	GPtrArray *files;         /* of char*: the chain, this file first, then its parent... */
	GPtrArray *written;       /* of ProfileRule*: every rule as written, the chain's root
	                           * file first, each file in line order; a group's rule
	                           * unexpanded (syscall and group "@name", nr -1) */
} Profile;

/* The directories searched for a profile given by name, in order: the
 * EXPERT_EXEC_PROFILE_PATH environment variable (colon-separated), the
 * source tree's sandbox-profiles/ when running from a build directory, and the
 * installed datadir. */
const char *const *profile_search_dirs(void);

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

/* A PROFILE_ERROR's parts: the file and line it is about (NULL and 0 when
 * it is about no file, as for a name not found), and the message without
 * them. error->message is "FILE:LINE: TEXT" (or "FILE: TEXT", or TEXT). */
const char *profile_error_file(const GError *error);
guint profile_error_line(const GError *error);
const char *profile_error_text(const GError *error);

/* The rule that decides calls of syscall nr, or NULL (the default action). */
const ProfileRule *profile_find_rule(const Profile *profile, int nr);

const char *profile_action_name(ProfileActionKind kind);
/* "allow", "kill", "errno EACCES", ... for reports; newly allocated,
 * g_free() it (callers in job.c do). */
char *profile_action_describe(const ProfileAction *action);

/* The rule's action and conditions in profile syntax, as profile_parse
 * reads them back: "allow if arg2 & PROT_EXEC == 0 || arg0 == AT_FDCWD".
 * A value is named where the argument takes named constants and the value
 * is one of them or a union of its flags; otherwise decimal (negative as the
 * int it was: -100), or hex from 0x10000 up. Newly allocated. */
char *profile_rule_describe(const ProfileRule *rule);

/* The [limits] keys, in the order of the docs (NULL-terminated, static). */
const char *const *profile_limit_keys(void);
/* The value of limit key in profile syntax, in the largest unit it is a
 * whole number of ("64M", "10s", "1500ms", "16"); NULL for an unknown key.
 * Newly allocated. */
char *profile_limit_describe(const Profile *profile, const char *key);

void profile_free(Profile *profile);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Profile, profile_free)
void profile_acknowledgement_free(ProfileAcknowledgement *ack);

/* Notes on the resolved model, and helpers for the CLI and for tests.
 *
 * profile_load() fills every field: description is NULL when no profile of
 * the chain sets one; default_action_file is NULL (and the line 0) when the
 * built-in default (notify) applies. profile->rules owns its rules, with
 * profile_rule_free as the array's free function: code that builds a Profile
 * by hand should create the array with it too. Limits no profile sets take
 * these defaults: memory 64M, cpu-time 10s, wall-time 30s, descriptors 16,
 * events 10000. */
void profile_rule_free(ProfileRule *rule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProfileRule, profile_rule_free)

/* The candidate (NULL-terminated list) closest to word by edit distance,
 * ignoring ASCII case, when it is close enough to be a likely typo (distance
 * 1 for words up to 3 characters, 2 up to 6, 3 beyond); NULL otherwise. The
 * "did you mean" hints in profile errors come from it. */
const char *profile_closest(const char *word, const char *const *candidates);

#endif /* EXPERT_EXEC_PROFILE_H */
