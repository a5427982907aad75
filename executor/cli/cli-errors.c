/* cli-errors.c — see cli-errors.h. */
#include "cli/cli-errors.h"

#include "reports/report.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

gboolean cli_wants_json(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--json") == 0)
			return TRUE;
	return FALSE;
}

int cli_usage_error(const char *command, gboolean json, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *message = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	fprintf(stderr, "expert-exec %s: %s\n", command, message);
	if (json) {
		g_autofree char *doc = report_json_error(command, message, CMD_EXIT_USAGE);
		printf("%s\n", doc);
	}
	return CMD_EXIT_USAGE;
}
