/* profile-rule.h — the rule language of [syscalls], ACTION [if argN OP
 * VALUE && ... || ...], syscall names and [profile] acknowledge: text to
 * model, and model back to text. */
#ifndef EXPERT_EXEC_PROFILE_RULE_H
#define EXPERT_EXEC_PROFILE_RULE_H

#include "profiles/profile-model.h"

#include <glib.h>

#define PROFILE_MAX_ALTERNATIVES 8

/* Parses a rule value into action and alternatives (empty: unconditional);
 * errors name path, line and key. */
gboolean profile_parse_rule(const char *path, guint line, const char *key, const char *text,
                            ProfileAction *action, GArray **alternatives, GError **error);

/* The native (x86-64) number of a syscall name, or -1 and an error naming
 * what is wrong, with a hint; group: the group name came from, for errors. */
int profile_resolve_syscall(const char *path, guint line, const char *name, const char *group,
                            GError **error);

/* "acknowledge = NAME;NAME" at path:line: appends a ProfileAcknowledgement
 * to acknowledged for each name, each a syscall named once. */
gboolean profile_parse_acknowledge(const char *path, guint line, const char *value,
                                   GPtrArray *acknowledged, GError **error);

/* A copy of model for one syscall (a group's rule for one member). */
ProfileRule *profile_rule_for(const ProfileRule *model, const char *syscall, int nr);
/* Same action and the same conditions, in the same order. */
gboolean profile_rules_same(const ProfileRule *a, const ProfileRule *b);

const char *profile_action_name(ProfileActionKind kind);
/* "allow", "kill", "errno EACCES", ... for reports; newly allocated,
 * g_free() it. */
char *profile_action_describe(const ProfileAction *action);

/* The rule's action and conditions in profile syntax, as profile_parse
 * reads them back: "allow if arg2 & PROT_EXEC == 0 || arg0 == AT_FDCWD".
 * A value is named where the argument takes named constants and the value
 * is one of them or a union of its flags; otherwise decimal (negative as the
 * int it was: -100), or hex from 0x10000 up. Newly allocated. */
char *profile_rule_describe(const ProfileRule *rule);

#endif /* EXPERT_EXEC_PROFILE_RULE_H */
