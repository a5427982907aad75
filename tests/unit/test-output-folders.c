/* test-output-folders.c — each job's folder under --output-dir
 * (executor/jobs/output-folders.c): named after the expert's file, safe as
 * a directory name, never the same for two jobs of a run. */
#include "jobs/output-folders.h"

#include <glib.h>

static void test_named_after_the_file(void)
{
	struct { const char *path, *want; } cases[] = {
		{ "/usr/lib/experts/protocol-coalesce.so", "protocol-coalesce" },
		{ "top-talkers.so", "top-talkers" },
		{ "dir/no-suffix", "no-suffix" },
		{ "dir/.hidden.so", "_hidden" },
		{ "dir/we ird\x1b[2J.so", "we_ird__2J" },
		{ "dir/.so", "_so" },
		{ "/", "expert" },
		{ "dir/caf\xc3\xa9.so", "caf__" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *name = output_folder_name(cases[i].path);
		g_assert_cmpstr(name, ==, cases[i].want);
	}
	g_autofree char *long_name = g_strnfill(300, 'a');
	g_autofree char *folder = output_folder_name(long_name);
	g_assert_cmpuint(strlen(folder), ==, 100);
}

/* A run: the same file twice is two folders, by command-line order. */
static void test_unique_in_a_run(void)
{
	g_autoptr(OutputFolders) f = output_folders_new(FALSE);
	g_autofree char *a = output_folders_take(f, "a/x.so");
	g_autofree char *b = output_folders_take(f, "b/x.so");
	g_autofree char *c = output_folders_take(f, "x");
	g_assert_cmpstr(a, ==, "x");
	g_assert_cmpstr(b, ==, "x.2");
	g_assert_cmpstr(c, ==, "x.3");
	/* Given back, not taken again: a later job never finds an earlier
	 * one's files in its folder. */
	output_folders_give(f, a);
	g_autofree char *d = output_folders_take(f, "x.so");
	g_assert_cmpstr(d, ==, "x.4");
}

/* stress: a name is free again once its job has ended. */
static void test_reused_when_asked(void)
{
	g_autoptr(OutputFolders) f = output_folders_new(TRUE);
	g_autofree char *a = output_folders_take(f, "x.so");
	g_autofree char *b = output_folders_take(f, "x.so");
	g_assert_cmpstr(b, ==, "x.2");
	output_folders_give(f, a);
	g_autofree char *c = output_folders_take(f, "x.so");
	g_assert_cmpstr(c, ==, "x");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/output-folders/named-after-the-file", test_named_after_the_file);
	g_test_add_func("/output-folders/unique-in-a-run", test_unique_in_a_run);
	g_test_add_func("/output-folders/reused-when-asked", test_reused_when_asked);
	return g_test_run();
}
