/* profile-fixture.h — a fresh directory of profile files for each test of
 * the profile language and its lint (g_test_add with ProfileFixture,
 * profile_fixture_setup and profile_fixture_teardown). Profile errors
 * name their file, so a test's expected messages start with fx->dir.
 */
#ifndef PROFILE_FIXTURE_H
#define PROFILE_FIXTURE_H

#include "profiles/profile.h"

#include <glib.h>

typedef struct {
	char *dir; /* a fresh directory for the test's profile files */
} ProfileFixture;

void profile_fixture_setup(ProfileFixture *fx, gconstpointer data);
void profile_fixture_teardown(ProfileFixture *fx, gconstpointer data);

/* Writes DIR/name.profile (len bytes of text, all of it if -1) and returns
 * its path. */
char *profile_fixture_write(ProfileFixture *fx, const char *name, const char *text, gssize len);

/* Writes text as name.profile and loads it; it must load. */
Profile *profile_fixture_load(ProfileFixture *fx, const char *name, const char *text);

/* Loads text as name.profile and checks the error: its code, and its
 * message, which must be "DIR/" followed by expected. */
void profile_fixture_load_fails(ProfileFixture *fx, const char *name, const char *text,
                                ProfileErrorCode code, const char *expected);
/* The rule of profile for syscall (a name libseccomp knows), or NULL. */
const ProfileRule *profile_fixture_rule(const Profile *profile, const char *syscall);
/* The index-th condition of a rule's alternative-th alternative. */
const ProfileCondition *profile_fixture_condition(const ProfileRule *r, guint alternative,
                                                  guint index);
/* The action, described as profile_action_describe() does, is expected. */
void profile_fixture_assert_action(const ProfileAction *action, const char *expected);

#endif /* PROFILE_FIXTURE_H */
