/* profile-check.h — `expert-exec profile check NAME|FILE...`: every error and warning of
 * each profile, with a hint; exit 0 if all are usable. */
#ifndef EXPERT_EXEC_PROFILE_CHECK_H
#define EXPERT_EXEC_PROFILE_CHECK_H

/* argv[0] is "check". Exit status as profile-cli-common.h says. */
int profile_check_command(int argc, char **argv);

#endif /* EXPERT_EXEC_PROFILE_CHECK_H */
