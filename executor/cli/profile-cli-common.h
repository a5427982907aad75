/* profile-cli-common.h — what the commands of `expert-exec profile` share:
 * their exit statuses, option parsing and text for a terminal. */
#ifndef EXPERT_EXEC_PROFILE_CLI_COMMON_H
#define EXPERT_EXEC_PROFILE_CLI_COMMON_H

#include <glib.h>

/* 0 fine, 1 a profile is unusable (check, show) or does not load (list),
 * 2 a bad command line. */
enum { PROFILE_CLI_OK = 0, PROFILE_CLI_PROBLEM = 1, PROFILE_CLI_USAGE = 2 };

/* Appends text wrapped at 79 columns, its lines after the first indented
 * to column indent (the first starts wherever s ends). */
void profile_cli_append_wrapped(GString *s, gsize indent, const char *text);
/* Parses a subcommand's options; FALSE (after saying why) on a bad line. */
gboolean profile_cli_parse_options(GOptionContext *context, const char *command, int *argc,
                                   char ***argv);
/* One line of text: control characters (a description's "\n") as blanks. */
char *profile_cli_one_line(const char *text);

#endif /* EXPERT_EXEC_PROFILE_CLI_COMMON_H */
