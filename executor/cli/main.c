/* main.c — the `expert-exec` command line. */
#include "cli/cmd-merge.h"
#include "cli/cmd-run.h"
#include "cli/cmd-version.h"
#include "cli/stress.h"
#include "cli/profile-cli.h"

#include <glib.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

static const char *const subcommands_help =
	"Commands:\n"
	"  run [OPTION...] CAPTURE EXPERT.so...   run experts over a capture, each sandboxed\n"
	"  run [OPTION...] CAPTURE... -- EXPERT.so...\n"
	"                                         ... over many captures (a batch; also a\n"
	"                                         directory, or --captures-from FILE)\n"
	"  merge [OPTION...] RESULTS...           one batch's report from its shards' results\n"
	"  list [OPTION...] EXPERT.so...          what each expert registers as (loaded sandboxed)\n"
	"  stress [OPTION...] [EXPERT.so...]      run experts (and a crash corpus) over and over,\n"
	"                                         accounting for every descriptor and byte\n"
	"  profile list|check|show ...            list, check and show sandbox profiles\n"
	"  --version                              the version, and what this kernel offers\n"
	"\n"
	"Run 'expert-exec COMMAND --help' for the options of a command.";

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	if (argc < 2 || g_str_equal(argv[1], "--help") || g_str_equal(argv[1], "-h") ||
	    g_str_equal(argv[1], "help")) {
		printf("Usage: expert-exec COMMAND [OPTION...]\n\n%s\n", subcommands_help);
		return argc < 2 ? CMD_EXIT_USAGE : CMD_EXIT_ALL_COMPLETED;
	}
	if (g_str_equal(argv[1], "--version"))
		return cmd_version();
	if (g_str_equal(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (g_str_equal(argv[1], "merge"))
		return cmd_merge(argc - 1, argv + 1);
	if (g_str_equal(argv[1], "list"))
		return cmd_list(argc - 1, argv + 1);
	if (g_str_equal(argv[1], "stress"))
		return stress_command(argc - 1, argv + 1);
	if (g_str_equal(argv[1], "profile"))
		return profile_cli_main(argc - 1, argv + 1);
	fprintf(stderr, "expert-exec: unknown command \"%s\"\n\n%s\n", argv[1], subcommands_help);
	return CMD_EXIT_USAGE;
}
