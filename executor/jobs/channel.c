/* channel.c — see channel.h. */
#include "jobs/channel.h"

#include "protocol/child-protocol.h"
#include "wire.h"

#include <gio/gio.h>
#include <glib-unix.h>

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

gboolean channel_pair(int *ours, int *theirs, GError **error)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
		            "cannot create a job channel: %s", g_strerror(errno));
		return FALSE;
	}
	if (!g_unix_set_fd_nonblocking(sv[0], TRUE, error)) {
		close(sv[0]);
		close(sv[1]);
		return FALSE;
	}
	*ours = sv[0];
	*theirs = sv[1];
	return TRUE;
}

ChannelResult channel_receive(int fd, void *buf, gsize cap, gsize *len, int *passed_fd,
                              gboolean *extra_fds)
{
	/* Room for a few descriptors, so a child passing several cannot hide
	 * them from us behind MSG_CTRUNC: we see and close every one. */
	union {
		char buf[PASSED_FDS_SPACE(8)];
		struct cmsghdr align;
	} control;
	struct iovec iov = { buf, cap };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control.buf, .msg_controllen = sizeof(control.buf),
	};
	*passed_fd = -1;
	*extra_fds = FALSE;
	*len = 0;

	ssize_t n;
	do
		n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC | MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? CHANNEL_EMPTY :
		       errno == ECONNRESET ? CHANNEL_CLOSED : CHANNEL_ERROR;

	bool closed;
	passed_fds_take(&msg, passed_fd, 1, &closed);
	if (closed || (msg.msg_flags & MSG_CTRUNC))
		*extra_fds = TRUE;
	if (n == 0 && *passed_fd < 0)
		return CHANNEL_CLOSED;
	if ((gsize)n > cap) {
		if (*passed_fd >= 0)
			close(*passed_fd);
		*passed_fd = -1;
		return CHANNEL_OVERSIZED;
	}
	*len = (gsize)n;
	return CHANNEL_MESSAGE;
}

gboolean channel_send(int fd, const void *buf, gsize len, int attach_fd)
{
	struct iovec iov = { (void *)buf, len };
	union {
		char buf[PASSED_FDS_SPACE(1)];
		struct cmsghdr align;
	} control;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	passed_fds_attach(&msg, control.buf, &attach_fd, attach_fd >= 0 ? 1 : 0);
	ssize_t n;
	do
		n = sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)len;
}

void channel_send_terminate(int fd)
{
	uint8_t buf[16];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_TERMINATE);
	gsize len = wire_finish(&w);
	(void)send(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
}
