/* profile-show.h — `expert-exec profile show NAME|FILE [--bpf]`: the profile fully
 * resolved, or the filter it compiles to. */
#ifndef EXPERT_EXEC_PROFILE_SHOW_H
#define EXPERT_EXEC_PROFILE_SHOW_H

/* argv[0] is "show". Exit status as profile-cli-common.h says. */
int profile_show_command(int argc, char **argv);

#endif /* EXPERT_EXEC_PROFILE_SHOW_H */
