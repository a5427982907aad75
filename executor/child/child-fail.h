/* child-fail.h — how a child's setup gives up: a message on the channel,
 * once the channel is in place, and exit. */
#ifndef EXPERT_EXEC_CHILD_FAIL_H
#define EXPERT_EXEC_CHILD_FAIL_H

/* From now on child_fail() reports on CHILD_FD_CHANNEL. */
void child_fail_channel_ready(void);

/* Ends the child after a failed step, saying which on the channel if it is
 * already in place: "sandbox setup failed: STEP: strerror(err)". */
_Noreturn void child_fail(const char *step, int err);

#endif /* EXPERT_EXEC_CHILD_FAIL_H */
