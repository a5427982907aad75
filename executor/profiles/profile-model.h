/* profile-model.h — a resolved profile: its rules, actions, conditions,
 * limits and where each came from, and the functions that free and query
 * it. The bottom of profiles/: every other file of it reads these types. */
#ifndef EXPERT_EXEC_PROFILE_MODEL_H
#define EXPERT_EXEC_PROFILE_MODEL_H

#include <glib.h>
#include <stdint.h>

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
	/* What one job may cost the executor: exceeding one is a protocol
	 * violation naming it. */
	guint64 max_event_bytes;  /* text, keys and values of all its events */
	guint max_notifications;  /* seccomp notifications, in all */
	guint max_notify_rate;    /* ... and per second */
	guint max_filter_compiles;
	guint max_filter_bytes;   /* of one filter expression */
	guint64 filter_cpu_ms;    /* the executor's CPU compiling its filters */
	guint max_output_requests; /* asked for, refused ones included */

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

/* The rule that decides calls of syscall nr, or NULL (the default action). */
const ProfileRule *profile_find_rule(const Profile *profile, int nr);

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
 * the defaults of profile-limits.c's table (memory 64M, cpu-time 10s,
 * wall-time 30s, descriptors 16, events 10000, ...). */
void profile_rule_free(ProfileRule *rule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProfileRule, profile_rule_free)

#endif /* EXPERT_EXEC_PROFILE_MODEL_H */
