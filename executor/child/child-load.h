/* child-load.h — the last step of a job's child: loading the object (and
 * the libraries it needs) from the descriptors the executor opened, ending
 * the loading phase, and running the expert. */
#ifndef EXPERT_EXEC_CHILD_LOAD_H
#define EXPERT_EXEC_CHILD_LOAD_H

#include "runtime.h"

/* Loads the n_libs libraries at CHILD_FD_LIBS... in order, then the object
 * at CHILD_FD_EXPERT; closes them; applies the after-loading Landlock
 * domain (loaded_domain, or -1 for none); sends LOADED and runs the expert.
 * Never returns. */
_Noreturn void child_load_and_run(ExpertKey *key, unsigned n_libs, int loaded_domain);

#endif /* EXPERT_EXEC_CHILD_LOAD_H */
