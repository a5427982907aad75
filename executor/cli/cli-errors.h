/* cli-errors.h — the exit statuses of `run`, `list` and `stress`, and a
 * command refused before anything ran (exit status 2): the
 * message on stderr, and, when --json was asked for, a JSON document on
 * stdout too, {"command", "error", "exit_status"}, so that a program reading
 * --json output always reads JSON. */
#ifndef EXPERT_EXEC_CLI_ERRORS_H
#define EXPERT_EXEC_CLI_ERRORS_H

#include <glib.h>

/* Exit statuses, as documented in the README. */
enum {
	CMD_EXIT_ALL_COMPLETED = 0,  /* every expert completed and returned 0 */
	CMD_EXIT_SOME_FAILED = 1,    /* at least one other outcome or return value */
	CMD_EXIT_USAGE = 2,          /* bad command line, capture, profile, mapping: nothing ran */
	CMD_EXIT_PARTIAL_CAPTURE = 3, /* all completed and returned 0, over a capture cut short */
};

/* Whether --json is on the command line (before any "--"), found before
 * the options are parsed: GOption resets the flag when parsing fails. */
gboolean cli_wants_json(int argc, char **argv);

/* "expert-exec COMMAND: MESSAGE" on stderr, and the JSON document when
 * json; returns the exit status for a bad command line (2). */
int cli_usage_error(const char *command, gboolean json, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

#endif /* EXPERT_EXEC_CLI_ERRORS_H */
