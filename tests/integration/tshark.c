/* tshark.c — running tshark for a test (see tshark.h). */
#include "tshark.h"

gboolean tshark_available(void)
{
	g_autofree char *path = g_find_program_in_path("tshark");
	if (path)
		return TRUE;
	g_test_skip("tshark is not installed (scripts/setup.sh installs it)");
	return FALSE;
}

char *tshark_output(const char *const *args)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_ptr_array_add(argv, "tshark");
	g_ptr_array_add(argv, "-n");
	for (guint i = 0; args[i]; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	g_autofree char *err = NULL;
	char *out = NULL;
	g_autoptr(GError) error = NULL;
	int wait;
	if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
	                  &err, &wait, &error) ||
	    !g_spawn_check_wait_status(wait, &error))
		g_error("tshark failed: %s\n%s", error->message, err ? err : "");
	return out;
}
