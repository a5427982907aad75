/* zygote.c — starting the fork server and asking it for children. */
#include "jobs/zygote.h"

#include "protocol/child-protocol.h"

#include <errno.h>
#include <gio/gio.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef EXPERT_EXEC_LIBEXEC_DIR
#define EXPERT_EXEC_LIBEXEC_DIR "/usr/local/libexec"
#endif

/* How long a fork may take before the zygote is deemed broken. */
#define SPAWN_TIMEOUT_MS 10000

struct Zygote {
	int fd;
	GPid pid;
	guint watch;
	GQueue pending;            /* of ZygoteReply*, EXITED read while spawning */
	guint flush_idle;
	ZygoteExitFunc on_exit;
	gpointer on_exit_data;
};

/* Next to this executable (a build tree), then ../libexec beside it (an
 * install, wherever it was moved), then the configured libexecdir. */
static char *find_zygote_binary(void)
{
	g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
	if (self) {
		g_autofree char *dir = g_path_get_dirname(self);
		const char *const candidates[] = { ".", "../libexec" };
		for (gsize i = 0; i < G_N_ELEMENTS(candidates); i++) {
			char *path = g_build_filename(dir, candidates[i], "expert-zygote", NULL);
			if (g_file_test(path, G_FILE_TEST_IS_EXECUTABLE))
				return path;
			g_free(path);
		}
	}
	return g_build_filename(EXPERT_EXEC_LIBEXEC_DIR, "expert-zygote", NULL);
}

/* Reads one reply; returns 1 and fills *reply (and *fd, or -1), 0 if none is
 * waiting, -1 with errno on failure or EOF (errno ECONNRESET). */
static int read_reply(Zygote *z, ZygoteReply *reply, int *fd)
{
	struct iovec iov = { reply, sizeof(*reply) };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control.buf, .msg_controllen = sizeof(control.buf),
	};
	*fd = -1;
	ssize_t n = recvmsg(z->fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0)
		return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
	if (n == 0) {
		errno = ECONNRESET;
		return -1;
	}
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(fd, CMSG_DATA(c), sizeof(int));
	if ((size_t)n != sizeof(*reply) || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
		if (*fd >= 0)
			close(*fd);
		errno = EPROTO;
		return -1;
	}
	return 1;
}

static void dispatch(Zygote *z, const ZygoteReply *reply)
{
	if (reply->kind == ZYGOTE_REPLY_EXITED && z->on_exit)
		z->on_exit(reply, z->on_exit_data);
}

static gboolean flush_pending(gpointer data)
{
	Zygote *z = data;
	z->flush_idle = 0;
	ZygoteReply *reply;
	while ((reply = g_queue_pop_head(&z->pending))) {
		dispatch(z, reply);
		g_free(reply);
	}
	return G_SOURCE_REMOVE;
}

static gboolean on_readable(int fd, GIOCondition cond, gpointer data)
{
	Zygote *z = data;
	(void)fd;
	(void)cond;
	flush_pending(z);
	for (;;) {
		ZygoteReply reply;
		int passed;
		int r = read_reply(z, &reply, &passed);
		if (r == 0)
			return G_SOURCE_CONTINUE;
		if (r < 0) {
			/* Without the zygote no child can be reaped or reported: this is
			 * fatal to the run, never to be ignored. */
			g_error("the fork server stopped answering: %s", g_strerror(errno));
		}
		if (passed >= 0)
			close(passed);
		dispatch(z, &reply);
	}
}

Zygote *zygote_start(GError **error)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
		            "cannot create the fork server's socket: %s", g_strerror(errno));
		return NULL;
	}
	g_autofree char *binary = find_zygote_binary();
	char *argv[] = { binary, NULL };
	char *envp[] = { NULL };
	int source_fds[] = { sv[1] };
	int target_fds[] = { ZYGOTE_SOCKET_FD };
	GPid pid;
	if (!g_spawn_async_with_pipes_and_fds(NULL, (const char *const *)argv,
	                                      (const char *const *)envp,
	                                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_CHILD_INHERITS_STDIN,
	                                      NULL, NULL, -1, -1, -1, source_fds, target_fds, 1,
	                                      &pid, NULL, NULL, NULL, error)) {
		g_prefix_error(error, "cannot start the fork server %s: ", binary);
		close(sv[0]);
		close(sv[1]);
		return NULL;
	}
	close(sv[1]);
	Zygote *z = g_new0(Zygote, 1);
	z->fd = sv[0];
	z->pid = pid;
	g_queue_init(&z->pending);
	return z;
}

void zygote_set_exit_handler(Zygote *z, ZygoteExitFunc func, gpointer user_data)
{
	z->on_exit = func;
	z->on_exit_data = user_data;
	if (!z->watch)
		z->watch = g_unix_fd_add(z->fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_readable, z);
}

gboolean zygote_spawn(Zygote *z, const ZygoteRequest *request, const int fds[ZYGOTE_N_FDS],
                      pid_t *pid, int *pidfd, GError **error)
{
	struct iovec iov = { (void *)request, sizeof(*request) };
	union {
		char buf[PASSED_FDS_SPACE(ZYGOTE_N_FDS)];
		struct cmsghdr align;
	} control;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	passed_fds_attach(&msg, control.buf, fds, ZYGOTE_N_FDS);

	while (sendmsg(z->fd, &msg, MSG_NOSIGNAL) < 0) {
		if (errno == EINTR)
			continue;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
		            "cannot send a job to the fork server: %s", g_strerror(errno));
		return FALSE;
	}

	gint64 deadline = g_get_monotonic_time() + SPAWN_TIMEOUT_MS * 1000;
	for (;;) {
		ZygoteReply reply;
		int passed;
		int r = read_reply(z, &reply, &passed);
		if (r < 0) {
			g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
			            "the fork server failed: %s", g_strerror(errno));
			return FALSE;
		}
		if (r == 0) {
			int left = (int)((deadline - g_get_monotonic_time()) / 1000);
			if (left <= 0) {
				g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
				            "the fork server did not answer within %d ms", SPAWN_TIMEOUT_MS);
				return FALSE;
			}
			struct pollfd pfd = { z->fd, POLLIN, 0 };
			poll(&pfd, 1, left);
			continue;
		}
		if (reply.kind == ZYGOTE_REPLY_EXITED) {
			if (passed >= 0)
				close(passed);
			g_queue_push_tail(&z->pending, g_memdup2(&reply, sizeof(reply)));
			if (!z->flush_idle)
				z->flush_idle = g_idle_add(flush_pending, z);
			continue;
		}
		if (reply.job_id != request->job_id) {
			if (passed >= 0)
				close(passed);
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			            "the fork server answered for another job");
			return FALSE;
		}
		if (reply.kind == ZYGOTE_REPLY_FAILED || passed < 0) {
			if (passed >= 0)
				close(passed);
			g_set_error(error, G_IO_ERROR, g_io_error_from_errno(reply.error),
			            "cannot fork a child for the job: %s", g_strerror(reply.error));
			return FALSE;
		}
		*pid = reply.pid;
		*pidfd = passed;
		return TRUE;
	}
}

pid_t zygote_pid(const Zygote *z)
{
	return z->pid;
}

void zygote_free(Zygote *z)
{
	if (!z)
		return;
	if (z->watch)
		g_source_remove(z->watch);
	if (z->flush_idle)
		g_source_remove(z->flush_idle);
	g_queue_clear_full(&z->pending, g_free);
	/* Closing the socket ends the zygote's loop; it kills its children. */
	close(z->fd);
	int status;
	while (waitpid(z->pid, &status, 0) < 0 && errno == EINTR)
		;
	g_free(z);
}
