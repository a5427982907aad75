/* profile-fixture.c — profile files in a test's own directory (see
 * profile-fixture.h). */
#include "profile-fixture.h"

#include "temp-dir.h"

#include <seccomp.h>

void profile_fixture_setup(ProfileFixture *fx, gconstpointer data)
{
	(void)data;
	fx->dir = temp_dir_new("test-profile-XXXXXX");
}

void profile_fixture_teardown(ProfileFixture *fx, gconstpointer data)
{
	(void)data;
	temp_dir_remove(fx->dir);
	g_free(fx->dir);
}

char *profile_fixture_write(ProfileFixture *fx, const char *name, const char *text, gssize len)
{
	GError *error = NULL;
	char *path = g_strdup_printf("%s/%s.profile", fx->dir, name);
	g_file_set_contents(path, text, len, &error);
	g_assert_no_error(error);
	return path;
}

Profile *profile_fixture_load(ProfileFixture *fx, const char *name, const char *text)
{
	GError *error = NULL;
	g_autofree char *path = profile_fixture_write(fx, name, text, -1);
	Profile *profile = profile_load(path, &error);
	g_assert_no_error(error);
	g_assert_nonnull(profile);
	return profile;
}

void
profile_fixture_load_fails(ProfileFixture *fx, const char *name, const char *text, ProfileErrorCode code, const char *expected)
{
	GError *error = NULL;
	g_autofree char *path = profile_fixture_write(fx, name, text, -1);
	g_autoptr(Profile) profile = profile_load(path, &error);
	g_autofree char *message = g_strdup_printf("%s/%s", fx->dir, expected);
	g_assert_null(profile);
	g_assert_error(error, PROFILE_ERROR, (gint)code);
	g_assert_cmpstr(error->message, ==, message);
	g_error_free(error);
}

const ProfileRule *
profile_fixture_rule(const Profile *profile, const char *syscall)
{
	int nr = seccomp_syscall_resolve_name(syscall);
	g_assert_cmpint(nr, >=, 0);
	return profile_find_rule(profile, nr);
}

const ProfileCondition *
profile_fixture_condition(const ProfileRule *r, guint alternative, guint index)
{
	g_assert_cmpuint(alternative, <, r->alternatives->len);
	const ProfileAlternative *alt = &g_array_index(r->alternatives, ProfileAlternative, alternative);
	g_assert_cmpuint(index, <, alt->n_conditions);
	return &alt->conditions[index];
}

void
profile_fixture_assert_action(const ProfileAction *action, const char *expected)
{
	g_autofree char *described = profile_action_describe(action);
	g_assert_cmpstr(described, ==, expected);
}
