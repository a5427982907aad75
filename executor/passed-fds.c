/* passed-fds.c — descriptors passed with a message (see passed-fds.h). */
#include "passed-fds.h"

#include <string.h>
#include <unistd.h>

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
