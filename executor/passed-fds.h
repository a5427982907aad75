/* passed-fds.h — the descriptors that came with a received message
 * (SCM_RIGHTS), taken so that none is left behind: the first few, in
 * order, are the caller's; every other one is closed here. Shared by the
 * executor's end of a job channel, which takes one, and the zygote, which
 * takes a job's set. Plain C: the zygote links only libc and libexpert.
 */
#ifndef EXPERT_EXEC_PASSED_FDS_H
#define EXPERT_EXEC_PASSED_FDS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* Puts up to max of msg's passed descriptors in fds and closes the rest;
 * returns how many it put there. *closed (unless NULL) says whether any
 * were closed for want of room. */
size_t passed_fds_take(struct msghdr *msg, int *fds, size_t max, bool *closed);

#endif /* EXPERT_EXEC_PASSED_FDS_H */
