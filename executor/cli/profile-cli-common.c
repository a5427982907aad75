/* profile-cli-common.c — what the profile commands share (see
 * profile-cli-common.h). */
#include "cli/profile-cli-common.h"

#include <stdio.h>
#include <string.h>

/* Appends text wrapped at 79 columns, its lines after the first indented
 * to column indent (the first starts wherever s ends). */
void
profile_cli_append_wrapped(GString *s, gsize indent, const char *text)
{
	g_auto(GStrv) words = g_strsplit(text, " ", -1);
	const char *line_start = strrchr(s->str, '\n');
	gsize column = s->len - (line_start != NULL ? (gsize)(line_start - s->str) + 1 : 0);

	for (char **w = words; *w != NULL; w++) {
		if (w != words && column + 1 + strlen(*w) > 79) {
			g_string_append_printf(s, "\n%*s", (int)indent, "");
			column = indent;
		} else if (w != words) {
			g_string_append_c(s, ' ');
			column++;
		}
		g_string_append(s, *w);
		column += strlen(*w);
	}
	g_string_append_c(s, '\n');
}

/* Parses a subcommand's options; FALSE (after saying why) on a bad line. */
gboolean
profile_cli_parse_options(GOptionContext *context, const char *command, int *argc, char ***argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *prgname = g_strdup_printf("expert-exec profile %s", command);

	g_set_prgname(prgname);
	if (!g_option_context_parse(context, argc, argv, &error)) {
		fprintf(stderr, "expert-exec profile %s: %s\n", command, error->message);
		return FALSE;
	}
	return TRUE;
}

/* One line of text: control characters (a description's "\n") as blanks. */
char *
profile_cli_one_line(const char *text)
{
	char *copy = g_strdup(text);
	for (char *p = copy; *p != '\0'; p++)
		if ((guchar)*p < 0x20)
			*p = ' ';
	return copy;
}
