/* profile-cli.h — `expert-exec profile list|check|show`: the commands for
 * people who write and tune sandbox profiles.
 *
 *   list                 every profile the search finds, the first of a name
 *                        winning: name, description, file
 *   check NAME|FILE...   every error and warning, "FILE:LINE: error: ...",
 *                        each with a hint; exit 0 if all are usable
 *   show NAME|FILE       the profile fully resolved, as a profile file that
 *                        says where each line came from; --bpf: the seccomp
 *                        filter it compiles to
 *   learn ...            the smallest profile experts complete under
 *                        (learn/learn.h)
 *
 * Exit status: 0 fine, 1 a profile is unusable (check, show) or does not
 * load (list), 2 a bad command line. */
#ifndef EXPERT_EXEC_PROFILE_CLI_H
#define EXPERT_EXEC_PROFILE_CLI_H

/* argv[0] is "profile", argv[1] the subcommand. */
int profile_cli_main(int argc, char **argv);

#endif /* EXPERT_EXEC_PROFILE_CLI_H */
