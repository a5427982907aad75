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

#endif /* PROFILE_FIXTURE_H */
