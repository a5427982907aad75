/* signal-name.h — signals by name, as reports print them. */
#ifndef EXPERT_EXEC_SIGNAL_NAME_H
#define EXPERT_EXEC_SIGNAL_NAME_H

/* "SIGSEGV" for 11; "signal 77" for unknown ones (interned: never freed). */
const char *outcome_signal_name(int sig);

#endif /* EXPERT_EXEC_SIGNAL_NAME_H */
