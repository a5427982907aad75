/* profile-fixture.c — profile files in a test's own directory (see
 * profile-fixture.h). */
#include "profile-fixture.h"

#include "temp-dir.h"

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
