/* inject-options.c — --inject and --seed (see inject-options.h). */
#include "cli/inject-options.h"

char *inject_options_help(void)
{
	GString *s = g_string_new(
		"Faults (--inject CLASS@N, or alloc:p=P with --seed; API calls and allocations are\n"
		"counted as libexpert/expert.h defines them):\n");
	gsize n;
	const InjectClassInfo *table = inject_class_table(&n);
	for (gsize i = 0; i < n; i++)
		g_string_append_printf(s, "  %-10s %s\n", table[i].name, table[i].at);
	return g_string_free(s, FALSE);
}

gboolean inject_options_seed(const char *text, guint64 *seed, GError **error)
{
	*seed = 1;
	if (!text)
		return TRUE;
	if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, seed, NULL)) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "--seed: \"%s\" is not a whole number from 0 to 18446744073709551615", text);
		return FALSE;
	}
	return TRUE;
}
