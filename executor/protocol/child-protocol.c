/* child-protocol.c — descriptors passed with a message (see child-protocol.h). */
#include "protocol/child-protocol.h"

#include <string.h>
#include <unistd.h>

void passed_fds_attach(struct msghdr *msg, void *control, const int *fds, size_t n)
{
	if (n == 0)
		return;
	memset(control, 0, PASSED_FDS_SPACE(n));
	msg->msg_control = control;
	msg->msg_controllen = PASSED_FDS_SPACE(n);
	/* CMSG_FIRSTHDR(msg), which is never NULL here: the buffer holds one. */
	struct cmsghdr *c = control;
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * n);
	memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
}

size_t passed_fds_take(struct msghdr *msg, int *fds, size_t max, bool *closed)
{
	size_t n = 0;
	if (closed)
		*closed = false;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (n < max) {
				fds[n++] = fd;
			} else {
				close(fd);
				if (closed)
					*closed = true;
			}
		}
	}
	return n;
}
