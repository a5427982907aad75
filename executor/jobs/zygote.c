/* zygote.c — starting the fork server and asking it for children. */
#include "jobs/zygote.h"

#include "protocol/child-protocol.h"

#include <errno.h>
#include <stdio.h>
#include <gio/gio.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* PIDFD_GET_INFO (Linux 6.13), newer than some headers: the first version
 * of its struct, which every kernel that has the call fills. */
struct pidfd_info_v0 {
	guint64 mask;
	guint64 cgroupid;
	guint32 pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
	guint32 spare;
};
#define PIDFD_INFO_PID_ 1u
#define PIDFD_GET_INFO_ _IOWR(0xFF, 11, struct pidfd_info_v0)

#ifndef EXPERT_EXEC_LIBEXEC_DIR
#define EXPERT_EXEC_LIBEXEC_DIR "/usr/local/libexec"
#endif

/* How long a fork may take before the zygote is deemed broken. */
#define SPAWN_TIMEOUT_MS 10000

struct Zygote {
	int fd;
	GPid pid;                  /* what was spawned */
	pid_t server;              /* what forks the jobs: pid, or its child in a pid namespace */
	char *binary;
	Isolation isolation;
	guint watch;
	GQueue pending;            /* of ZygoteReply*, EXITED read while waiting */
	guint flush_idle;
	ZygoteStartFunc on_start;
	ZygoteExitFunc on_exit;
	gpointer handler_data;
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

/* The pid the executor knows a child by (seccomp notifications, /proc)
 * differs from the zygote's when the zygote has a pid namespace: the kernel
 * translates it for the pidfd's holder (PIDFD_GET_INFO; before Linux 6.13,
 * the pidfd's fdinfo). */
static pid_t pidfd_pid(int pidfd)
{
	struct pidfd_info_v0 info = { .mask = PIDFD_INFO_PID_ };
	if (ioctl(pidfd, PIDFD_GET_INFO_, &info) == 0 && (info.mask & PIDFD_INFO_PID_))
		return (pid_t)info.pid;
	char path[64];
	g_snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return -1;
	const char *line = strstr(text, "\nPid:");
	return line ? (pid_t)g_ascii_strtoll(line + strlen("\nPid:"), NULL, 10) : -1;
}

int zygote_child_kill(int pidfd, pid_t pid)
{
	if (syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) == 0)
		return 0;
	if (errno == ENOSYS && pid > 0)
		return kill(pid, SIGKILL);
	return -1;
}

/* Hands one reply to its handler. A STARTED goes with its pidfd (the
 * handler owns it) and the pid the executor knows the child by; one whose
 * pid cannot be told is ended and handed on as FAILED (its EXITED follows).
 * Anything else passed is closed. */
static void dispatch(Zygote *z, ZygoteReply *reply, int passed)
{
	if (reply->kind == ZYGOTE_REPLY_STARTED) {
		reply->pid = passed >= 0 ? pidfd_pid(passed) : -1;
		if (reply->pid <= 0) {
			if (passed >= 0)
				zygote_child_kill(passed, -1);
			reply->kind = ZYGOTE_REPLY_FAILED;
			reply->error = EPROTO;
		}
	}
	gboolean started = reply->kind == ZYGOTE_REPLY_STARTED;
	if ((started || reply->kind == ZYGOTE_REPLY_FAILED) && z->on_start) {
		z->on_start(reply, started ? passed : -1, z->handler_data);
		if (started)
			return;
	} else if (reply->kind == ZYGOTE_REPLY_EXITED && z->on_exit) {
		z->on_exit(reply, z->handler_data);
	}
	if (passed >= 0)
		close(passed);
}

static gboolean flush_pending(gpointer data)
{
	Zygote *z = data;
	z->flush_idle = 0;
	ZygoteReply *reply;
	while ((reply = g_queue_pop_head(&z->pending))) {
		dispatch(z, reply, -1);
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
		dispatch(z, &reply, passed);
	}
}

/* What each layer, when the zygote says it is in effect, does. */
static const struct {
	ZygoteLayer layer;
	KernelFeatureId feature;
	const char *active;
} layers[] = {
	{ ZYGOTE_LAYER_MDWE, KERNEL_FEATURE_MDWE,
	  "no mapping writable and executable, none made executable (PR_SET_MDWE), in every job" },
	{ ZYGOTE_LAYER_LANDLOCK, KERNEL_FEATURE_LANDLOCK, NULL /* by ABI, below */ },
	{ ZYGOTE_LAYER_USERNS, KERNEL_FEATURE_USER_NAMESPACES,
	  "the zygote's own, mapping only the invoking user; jobs hold no capability in it" },
	{ ZYGOTE_LAYER_PIDNS, KERNEL_FEATURE_PID_NAMESPACES,
	  "one per job: it is pid 2, under an idle init, and sees no other process" },
	{ ZYGOTE_LAYER_MOUNTNS, KERNEL_FEATURE_MOUNT_NAMESPACES,
	  "an empty read-only root, shared by the jobs, with only their own /proc" },
	{ ZYGOTE_LAYER_NETNS, KERNEL_FEATURE_NET_NAMESPACES,
	  "one empty network namespace, shared by the jobs (no interface up)" },
	{ ZYGOTE_LAYER_IPCNS, KERNEL_FEATURE_IPC_NAMESPACES, "one per job" },
	{ ZYGOTE_LAYER_UTSNS, KERNEL_FEATURE_UTS_NAMESPACES,
	  "shared by the jobs; the host name they see is expert-exec" },
};

static void landlock_active(Isolation *iso, guint abi)
{
	iso->landlock_abi = abi;
	isolation_set(iso, KERNEL_FEATURE_LANDLOCK, ISOLATION_ACTIVE,
	              "ABI %u: while loading, the object and its libraries read-only; after, no "
	              "file%s%s", abi, abi >= 4 ? "; no TCP bind or connect" : "",
	              abi >= 6 ? "; no signal or abstract socket outside the job" : "");
}

static void read_isolation(Zygote *z, const ZygoteReady *ready)
{
	isolation_init(&z->isolation);
	const char *user_step = ready->layer_step[ZYGOTE_LAYER_USERNS];
	for (gsize i = 0; i < G_N_ELEMENTS(layers); i++) {
		int e = ready->layer_errno[layers[i].layer];
		g_autofree char *step = g_strndup(ready->layer_step[layers[i].layer], ZYGOTE_STEP_MAX);
		KernelFeatureId f = layers[i].feature;
		if (e == ZYGOTE_LAYER_NOT_NEEDED) {
			isolation_set(&z->isolation, f, ISOLATION_NOT_NEEDED, "not needed: %s", step);
		} else if (e == 0 && layers[i].layer == ZYGOTE_LAYER_LANDLOCK) {
			landlock_active(&z->isolation, ready->landlock_abi);
		} else if (e == 0) {
			isolation_set(&z->isolation, f, ISOLATION_ACTIVE, "%s", layers[i].active);
		} else {
			const char *name = strerrorname_np(e);
			gboolean needs_user = layers[i].layer != ZYGOTE_LAYER_USERNS &&
			                      strncmp(step, user_step, ZYGOTE_STEP_MAX) == 0;
			isolation_set(&z->isolation, f, ISOLATION_MISSING, "%s%s: %s",
			              needs_user ? "needs the user namespace: " : "", step,
			              name ? name : g_strerror(e));
		}
	}
}

/* The zygote's first word, before it reads any request. */
static gboolean await_ready(Zygote *z, GError **error)
{
	ZygoteReady ready;
	struct pollfd pfd = { z->fd, POLLIN, 0 };
	int r = poll(&pfd, 1, SPAWN_TIMEOUT_MS);
	ssize_t n = r > 0 ? recv(z->fd, &ready, sizeof(ready), MSG_DONTWAIT) : -1;
	if (r == 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
		            "the fork server did not start within %d ms", SPAWN_TIMEOUT_MS);
		return FALSE;
	}
	if (n != (ssize_t)sizeof(ready) || ready.kind != ZYGOTE_REPLY_READY ||
	    ready.version != ZYGOTE_PROTOCOL_VERSION || ready.pid <= 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "the fork server did not start%s%s",
		            n < 0 ? ": " : " (a malformed first message)",
		            n < 0 ? g_strerror(errno) : "");
		return FALSE;
	}
	z->server = ready.pid;
	read_isolation(z, &ready);
	return TRUE;
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
	z->binary = g_steal_pointer(&binary);
	g_queue_init(&z->pending);
	if (!await_ready(z, error)) {
		zygote_free(z);
		return NULL;
	}
	return z;
}

const Isolation *zygote_isolation(const Zygote *z)
{
	return &z->isolation;
}

const char *zygote_binary(const Zygote *z)
{
	return z->binary;
}

void zygote_set_handlers(Zygote *z, ZygoteStartFunc on_start, ZygoteExitFunc on_exit,
                         gpointer user_data)
{
	z->on_start = on_start;
	z->on_exit = on_exit;
	z->handler_data = user_data;
	if (!z->watch)
		z->watch = g_unix_fd_add(z->fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_readable, z);
}

gboolean zygote_request(Zygote *z, const ZygoteRequest *request, const int *fds, GError **error)
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
		            "cannot ask the fork server for a child: %s", g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

gboolean zygote_wait(Zygote *z, guint64 child_id, GError **error)
{
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
		/* An exit is reported from the main loop, never from inside the
		 * caller's wait: its handler may end a job the caller holds. */
		if (reply.kind == ZYGOTE_REPLY_EXITED) {
			if (passed >= 0)
				close(passed);
			g_queue_push_tail(&z->pending, g_memdup2(&reply, sizeof(reply)));
			if (!z->flush_idle)
				z->flush_idle = g_idle_add(flush_pending, z);
			continue;
		}
		gboolean wanted = reply.child_id == child_id;
		dispatch(z, &reply, passed);
		if (wanted)
			return TRUE;
	}
}

pid_t zygote_pid(const Zygote *z)
{
	return z->server;
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
	g_free(z->binary);
	g_free(z);
}
