/* stress.h — the `stress` command of expert-exec. */
#ifndef EXPERT_EXEC_STRESS_H
#define EXPERT_EXEC_STRESS_H

/* argv[0] is "stress". */
int stress_command(int argc, char **argv);

#endif /* EXPERT_EXEC_STRESS_H */
