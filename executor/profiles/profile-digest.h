/* profile-digest.h — what a resolved profile does, as one SHA-256: its
 * default action, every limit and every rule, written as `profile show`
 * writes them and without where they came from. Two files that resolve to
 * the same behaviour (a name and a copy, or a rule spelled with a constant
 * and with its number) have the same digest; any change to what an expert
 * may do changes it. Reports carry it per job, so a result names exactly
 * the confinement it was obtained under. */
#ifndef EXPERT_EXEC_PROFILE_DIGEST_H
#define EXPERT_EXEC_PROFILE_DIGEST_H

#include "profiles/profile-model.h"

#include <glib.h>

/* The text the digest is taken of: "default-action = notify\n", then
 * "KEY = VALUE\n" for every limit in profile_limit_keys() order, then
 * "SYSCALL = RULE\n" for every rule, sorted by syscall. Newly allocated. */
char *profile_digest_text(const Profile *profile);

/* The SHA-256 of profile_digest_text(), 64 lowercase hex digits. */
char *profile_digest(const Profile *profile);

#endif /* EXPERT_EXEC_PROFILE_DIGEST_H */
