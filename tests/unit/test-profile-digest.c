/* test-profile-digest.c — the SHA-256 of what a profile does
 * (executor/profiles/profile-digest.c): the same for a file under another
 * name or spelt otherwise, different for any change of a limit or rule. */
#include "profiles/profile-digest.h"
#include "profiles/profile.h"
#include "temp-dir.h"

#include <glib/gstdio.h>
#include <string.h>

static Profile *load_text(const char *dir, const char *name, const char *text)
{
	g_autofree char *path = g_strdup_printf("%s/%s.profile", dir, name);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	GError *error = NULL;
	Profile *p = profile_load(path, &error);
	g_assert_no_error(error);
	return p;
}

#define BASE "[profile]\ndescription = %s\n[limits]\nmemory = 16M\n[syscalls]\n%s\n"

static char *digest_of(const char *dir, const char *name, const char *description,
                       const char *rules)
{
	g_autofree char *text = g_strdup_printf(BASE, description, rules);
	g_autoptr(Profile) p = load_text(dir, name, text);
	char *d = profile_digest(p);
	g_assert_cmpuint(strlen(d), ==, 64);
	return d;
}

static void test_what_it_does_decides_the_digest(void)
{
	g_autofree char *dir = temp_dir_new("test-digest-XXXXXX");
	g_autofree char *a = digest_of(dir, "a", "one", "mmap = allow if arg2 & PROT_EXEC == 0");
	/* Another name, another description, a number for the constant, a
	 * comment: the same behaviour, the same digest. */
	g_autofree char *b = digest_of(dir, "b", "two", "mmap = allow if arg2 & 4 == 0   # the same");
	g_assert_cmpstr(a, ==, b);
	/* Another rule, another action, another limit: another digest. */
	g_autofree char *c = digest_of(dir, "c", "one", "mmap = allow if arg2 & PROT_WRITE == 0");
	g_autofree char *d = digest_of(dir, "d", "one", "mmap = errno ENOMEM");
	g_autofree char *text = g_strdup_printf("[profile]\ndescription = one\n[limits]\nmemory = 32M\n"
	                                        "[syscalls]\nmmap = allow if arg2 & PROT_EXEC == 0\n");
	g_autoptr(Profile) e = load_text(dir, "e", text);
	g_autofree char *de = profile_digest(e);
	g_assert_cmpstr(a, !=, c);
	g_assert_cmpstr(a, !=, d);
	g_assert_cmpstr(a, !=, de);
	temp_dir_remove(dir);
}

static void test_the_text_digested(void)
{
	GError *error = NULL;
	g_autoptr(Profile) strict = profile_load("strict", &error);
	g_assert_no_error(error);
	g_autofree char *text = profile_digest_text(strict);
	g_assert_true(g_str_has_prefix(text, "default-action = notify\nmemory = 64M\ncpu-time = 10s\n"));
	g_assert_nonnull(strstr(text, "\nbrk = errno ENOMEM\n"));
	/* Where a rule was written is not what it does. */
	g_assert_null(strstr(text, "strict.profile"));
	g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);
	g_autofree char *digest = profile_digest(strict);
	g_assert_cmpstr(digest, ==, sum);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/profile-digest/what-it-does-decides-the-digest",
	                test_what_it_does_decides_the_digest);
	g_test_add_func("/profile-digest/the-text-digested", test_the_text_digested);
	return g_test_run();
}
