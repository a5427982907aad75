/* run-args.h — what the positional arguments of `run` are: captures or
 * experts. The grammar, unambiguous by construction:
 *
 *   run [OPTION...] CAPTURE EXPERT...          one capture (as ever), or a
 *                                              directory of captures
 *   run [OPTION...] CAPTURE... -- EXPERT...    several captures (files or
 *                                              directories), then experts
 *   run --captures-from FILE [OPTION...] EXPERT...
 *                                              captures listed in FILE (one
 *                                              path a line), and any before a --
 *
 * Without --, the first argument is the capture and every other is an
 * expert, whatever its name; an "expert" that is a capture file (it starts
 * with a pcap or pcapng magic number) is refused with the fix named, so
 * `run a.pcap b.pcap x.so` cannot run b.pcap as an expert. Options come
 * before the --. */
#ifndef EXPERT_EXEC_RUN_ARGS_H
#define EXPERT_EXEC_RUN_ARGS_H

#include <glib.h>

typedef struct {
	GPtrArray *captures;  /* char*: capture files and directories, as given */
	GPtrArray *experts;   /* char*: expert objects, as given */
} RunArgs;

void run_args_clear(RunArgs *args);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RunArgs, run_args_clear)

/* Where the experts start: the index of the first "--" in argv, or -1.
 * GOption takes a "--" away in some places and not in others, so the
 * command line is cut there before options are parsed, and only what is
 * before it is given to GOption. */
int run_args_separator(int argc, char **argv);

/* argv[1..argc) as left by option parsing of what came before the "--";
 * after: what came after it (NULL: there was none). from_list:
 * --captures-from was given. Errors name the argument and the fix. */
gboolean run_args_split(int argc, char **argv, const char *const *after, gboolean from_list,
                        RunArgs *args, GError **error);

#endif /* EXPERT_EXEC_RUN_ARGS_H */
