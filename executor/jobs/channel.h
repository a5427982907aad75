/* channel.h — the executor's end of a job's channel: receiving datagrams
 * without ever blocking, with any passed descriptors accounted for. The
 * message format itself is libexpert/wire.h. */
#ifndef EXPERT_EXEC_CHANNEL_H
#define EXPERT_EXEC_CHANNEL_H

#include <glib.h>

typedef enum {
	CHANNEL_MESSAGE = 0,  /* *len bytes in buf */
	CHANNEL_EMPTY,        /* nothing waiting */
	CHANNEL_CLOSED,       /* the child's end is closed */
	CHANNEL_OVERSIZED,    /* a datagram larger than the buffer (discarded) */
	CHANNEL_ERROR,        /* errno says why */
} ChannelResult;

/* Creates the job's socket pair: *ours is non-blocking, *theirs goes to the
 * child. Both close-on-exec. */
gboolean channel_pair(int *ours, int *theirs, GError **error);

/* Receives one datagram. A passed descriptor is returned in *passed_fd (the
 * caller owns it; -1 if none); more than one, or any in a truncated control
 * message, are closed here and *extra_fds set. */
ChannelResult channel_receive(int fd, void *buf, gsize cap, gsize *len, int *passed_fd,
                              gboolean *extra_fds);

/* Sends one message, with fd attached unless it is -1; never blocks.
 * Returns FALSE (errno set) if it could not be sent whole. */
gboolean channel_send(int fd, const void *buf, gsize len, int attach_fd);

/* Sends TERMINATE; best effort, never blocks. */
void channel_send_terminate(int fd);

#endif /* EXPERT_EXEC_CHANNEL_H */
