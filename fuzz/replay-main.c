/* replay-main.c — runs a fuzz target without libFuzzer: each argument is a
 * file, fed to LLVMFuzzerTestOneInput once, or a directory, whose files are
 * (sorted by name; names starting with '.' or "README" are skipped, so an
 * empty directory can be kept in git with a note in it). A broken property
 * aborts, which fails the test; a missing argument is an error too, so a
 * typo in fuzz/meson.build cannot pass as "nothing to replay". */
#include "fuzz.h"

#include <glib.h>
#include <string.h>

static gboolean skipped(const char *name)
{
	return name[0] == '.' || g_str_has_prefix(name, "README");
}

static int run_file(const char *path, guint *count)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *data = NULL;
	gsize len;

	if (!g_file_get_contents(path, &data, &len, &error)) {
		fprintf(stderr, "replay: %s\n", error->message);
		return 1;
	}
	/* Named before it runs: if it aborts, the log's last line says which. */
	fprintf(stderr, "replay: %s (%" G_GSIZE_FORMAT " bytes)\n", path, len);
	/* An exact-size copy, so ASan sees a read one past the input. */
	g_autofree uint8_t *copy = g_memdup2(data, len);
	LLVMFuzzerTestOneInput(copy, len);
	(*count)++;
	return 0;
}

static int compare_paths(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int run_dir(const char *path, guint *count)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) dir = g_dir_open(path, 0, &error);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	int failed = 0;

	if (dir == NULL) {
		fprintf(stderr, "replay: %s\n", error->message);
		return 1;
	}
	for (const char *name; (name = g_dir_read_name(dir)) != NULL;)
		if (!skipped(name))
			g_ptr_array_add(names, g_build_filename(path, name, NULL));
	g_ptr_array_sort(names, compare_paths);
	for (guint i = 0; i < names->len; i++)
		failed |= g_file_test(names->pdata[i], G_FILE_TEST_IS_DIR)
			? run_dir(names->pdata[i], count) : run_file(names->pdata[i], count);
	return failed;
}

int main(int argc, char **argv)
{
	guint count = 0;
	int failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++)
		failed |= g_file_test(argv[i], G_FILE_TEST_IS_DIR) ? run_dir(argv[i], &count)
		                                                   : run_file(argv[i], &count);
	printf("%u inputs replayed\n", count);
	return failed;
}
