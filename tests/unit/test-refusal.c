/* test-refusal.c — an expert that writes outputs where it can write none
 * (executor/jobs/refusal.c): the reason and the fix for each way a job can
 * lack them; none when it has them. */
#include "jobs/refusal.h"
#include "profiles/profile.h"

#include <string.h>

static Profile *load(const char *name)
{
	GError *error = NULL;
	Profile *p = profile_load(name, &error);
	g_assert_no_error(error);
	return p;
}

static void test_each_lack_named_with_its_fix(void)
{
	g_autoptr(Profile) strict = load("strict");
	g_autoptr(Profile) coalesce = load("coalesce");
	g_autoptr(Profile) learn = load("learn");

	g_assert_false(refusal_profile_grants_outputs(strict, FALSE));
	g_assert_true(refusal_profile_grants_outputs(coalesce, FALSE));
	/* learn grants files and notifies write: enough only when learning. */
	g_assert_false(refusal_profile_grants_outputs(learn, FALSE));
	g_assert_true(refusal_profile_grants_outputs(learn, TRUE));

	g_autofree char *a = refusal_writes_output("protocol-coalesce", strict, TRUE, FALSE);
	g_assert_cmpstr(a, ==, "protocol-coalesce writes output captures; its profile strict grants "
	                       "none (output-files = 0): give it --profile protocol-coalesce=coalesce");
	g_autofree char *b = refusal_writes_output("pc", coalesce, FALSE, FALSE);
	g_assert_cmpstr(b, ==, "pc writes output captures, and no --output-dir was given: add "
	                       "--output-dir DIR");
	g_autofree char *c = refusal_writes_output("pc", strict, FALSE, FALSE);
	g_assert_cmpstr(c, ==, "pc writes output captures; its profile strict grants none "
	                       "(output-files = 0), and no --output-dir was given: give it --profile "
	                       "pc=coalesce and --output-dir DIR");
	g_assert_null(refusal_writes_output("pc", coalesce, TRUE, FALSE));

	/* Files granted, writing them not: a profile built by hand. */
	coalesce->max_output_bytes = 0;
	g_autofree char *d = refusal_writes_output("pc", coalesce, TRUE, FALSE);
	g_assert_nonnull(strstr(d, "grants files of no bytes (output-bytes = 0)"));
	coalesce->max_output_bytes = 1 << 20;
	strict->max_outputs = 2;
	strict->max_output_bytes = 1 << 20;
	g_autofree char *e = refusal_writes_output("pc", strict, TRUE, FALSE);
	g_assert_nonnull(strstr(e, "grants files but not writing to them (write on descriptor 4 is "
	                           "not allowed)"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/refusal/each-lack-named-with-its-fix", test_each_lack_named_with_its_fix);
	return g_test_run();
}
