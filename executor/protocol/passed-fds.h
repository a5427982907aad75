/* passed-fds.h — descriptors passed with a message (SCM_RIGHTS): attached
 * to one being sent, and taken from one received so that none is left
 * behind. Shared by the executor's end of a job channel and both ends of
 * the zygote's socket. Plain C: the zygote links only libc and libexpert.
 */
#ifndef EXPERT_EXEC_PASSED_FDS_H
#define EXPERT_EXEC_PASSED_FDS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* Bytes of control buffer that pass n descriptors; the buffer must be
 * aligned for struct cmsghdr (a union with one). */
#define PASSED_FDS_SPACE(n) CMSG_SPACE(sizeof(int) * (n))

/* Makes msg pass the n descriptors at fds, with control (zeroed here) as
 * its control buffer; with n == 0 it passes none and control is unused. */
void passed_fds_attach(struct msghdr *msg, void *control, const int *fds, size_t n);

/* The descriptors of a received message, taken so that none is left
 * behind: puts up to max of them in fds, in order, and closes the rest;
 * returns how many it put there. *closed (unless NULL) says whether any
 * were closed for want of room. */
size_t passed_fds_take(struct msghdr *msg, int *fds, size_t max, bool *closed);

#endif /* EXPERT_EXEC_PASSED_FDS_H */
