/* zygote-main.c — the fork server, `expert-zygote`.
 *
 * Started by the executor through exec with an empty environment, so its
 * address space holds no job data, no environment and no command line of the
 * executor's: everything a child inherits is this small program, libc and
 * libexpert. First it puts the layers every job shares around itself
 * (zygote-isolation.c) and says which it could (READY); then it forks one
 * child per request, reaps them and reports their status. A child is asked
 * for ahead of its job (child-setup.c: it sets itself up and waits for the
 * job on its channel), so the zygote never stands between the executor and
 * a job. It dies with the executor (PR_SET_PDEATHSIG), and its children die
 * with it.
 */
#include "child/child-setup.h"
#include "child/zygote-isolation.h"
#include "protocol/child-protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Children alive at once; the executor keeps far fewer. */
#define MAX_CHILDREN 4096

static struct {
	pid_t pid;
	pid_t init_pid;            /* the idle init of its pid namespace, or 0 */
	uint64_t child_id;
} children[MAX_CHILDREN];
/* Entries freed, most recent last, and how many entries were ever used:
 * a free one is found without a scan, and the lowest numbers are used
 * again first, so that a job's init stack (one per entry, kept:
 * zygote-isolation.c) is only made for as many as are ever alive at
 * once. */
static unsigned freed[MAX_CHILDREN], n_freed, n_used;

static ChildContext child_context;

static void die(const char *what)
{
	fprintf(stderr, "expert-zygote: %s: %s\n", what, strerror(errno));
	_exit(127);
}

static void send_reply(const ZygoteReply *reply, int fd_to_pass)
{
	struct iovec iov = { (void *)reply, sizeof(*reply) };
	union {
		char buf[PASSED_FDS_SPACE(1)];
		struct cmsghdr align;
	} control;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	passed_fds_attach(&msg, control.buf, &fd_to_pass, fd_to_pass >= 0 ? 1 : 0);
	while (sendmsg(ZYGOTE_SOCKET_FD, &msg, MSG_NOSIGNAL) < 0) {
		if (errno != EINTR)
			die("cannot reply to the executor");
	}
}

static int free_slot(void)
{
	if (n_freed)
		return (int)freed[--n_freed];
	return n_used < MAX_CHILDREN ? (int)n_used++ : -1;
}

static void slot_free(int slot)
{
	children[slot].pid = 0;
	freed[n_freed++] = (unsigned)slot;
}

static int slot_of(pid_t pid)
{
	for (unsigned i = 0; i < n_used; i++)
		if (children[i].pid == pid)
			return (int)i;
	return -1;
}

static void start_child(const ZygoteRequest *req, int *fds, const sigset_t *old_mask, int signal_fd)
{
	ZygoteReply reply = { .kind = ZYGOTE_REPLY_STARTED, .child_id = req->child_id };
	int slot = free_slot();
	pid_t init_pid = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = slot < 0 ? (errno = EAGAIN, -1) : zygote_fork_job((unsigned)slot, &init_pid);
	if (pid == 0) {
		close(signal_fd);
		child_setup_and_run(req, fds, &child_context, old_mask);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	reply.fork_nsec = (uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000000 + (t1.tv_nsec - t0.tv_nsec));
	for (unsigned i = 0; i < ZYGOTE_N_FDS; i++)
		close(fds[i]);
	if (pid < 0) {
		reply.kind = ZYGOTE_REPLY_FAILED;
		reply.error = errno;
		if (slot >= 0)
			slot_free(slot);
		send_reply(&reply, -1);
		return;
	}
	children[slot].pid = pid;
	children[slot].init_pid = init_pid;
	children[slot].child_id = req->child_id;
	/* A pidfd lets the executor signal this child without racing pid reuse;
	 * taken before the child can be reaped, it names exactly this process. */
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		kill(pid, SIGKILL);
		reply.kind = ZYGOTE_REPLY_FAILED;
		reply.error = errno;
		send_reply(&reply, -1);
		return;
	}
	reply.pid = pid;
	send_reply(&reply, pidfd);
	close(pidfd);
}

static void reap_children(void)
{
	for (;;) {
		int status;
		struct rusage ru;
		pid_t pid = wait4(-1, &status, WNOHANG, &ru);
		if (pid <= 0)
			return;
		ZygoteReply reply = { .kind = ZYGOTE_REPLY_EXITED, .pid = pid };
		int slot = slot_of(pid);
		/* Not a child: an init whose job was reaped before it, below. */
		if (slot < 0)
			continue;
		reply.child_id = children[slot].child_id;
		/* The job's pid namespace goes with its init, which is reaped
		 * before the job is reported: when the executor hears of the end,
		 * nothing of the job is left. */
		if (children[slot].init_pid) {
			kill(children[slot].init_pid, SIGKILL);
			while (waitpid(children[slot].init_pid, NULL, 0) < 0 && errno == EINTR)
				;
			children[slot].init_pid = 0;
		}
		slot_free(slot);
		if (WIFEXITED(status)) {
			reply.wait_code = CLD_EXITED;
			reply.wait_status = WEXITSTATUS(status);
		} else if (WIFSIGNALED(status)) {
			reply.wait_code = WCOREDUMP(status) ? CLD_DUMPED : CLD_KILLED;
			reply.wait_status = WTERMSIG(status);
		}
		reply.user_usec = (uint64_t)ru.ru_utime.tv_sec * 1000000u + (uint64_t)ru.ru_utime.tv_usec;
		reply.system_usec = (uint64_t)ru.ru_stime.tv_sec * 1000000u + (uint64_t)ru.ru_stime.tv_usec;
		reply.max_rss_kib = (uint64_t)ru.ru_maxrss;
		send_reply(&reply, -1);
	}
}

/* Receives one request; returns 0 on EOF (the executor is gone), 1 when a
 * child was asked for, and dies on a malformed request: only the executor
 * talks here, so a bad one is a bug that must not be papered over. */
static int handle_request(const sigset_t *old_mask, int signal_fd)
{
	ZygoteRequest req;
	struct iovec iov = { &req, sizeof(req) };
	union {
		char buf[PASSED_FDS_SPACE(ZYGOTE_N_FDS)];
		struct cmsghdr align;
	} control;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control.buf, .msg_controllen = sizeof(control.buf),
	};
	ssize_t n = recvmsg(ZYGOTE_SOCKET_FD, &msg, MSG_CMSG_CLOEXEC);
	if (n < 0 && errno == EINTR)
		return 1;
	if (n <= 0)
		return 0;

	int fds[ZYGOTE_N_FDS];
	size_t n_fds = passed_fds_take(&msg, fds, ZYGOTE_N_FDS, NULL);
	if ((size_t)n != sizeof(req) || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
	    n_fds != ZYGOTE_N_FDS || req.version != ZYGOTE_PROTOCOL_VERSION) {
		errno = EPROTO;
		die("malformed request from the executor");
	}
	start_child(&req, fds, old_mask, signal_fd);
	return 1;
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	/* Die with the executor; if it is already gone, do not linger. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		die("PR_SET_PDEATHSIG");
	if (getppid() == 1)
		_exit(0);

	/* Every child starts from here: give it default dispositions once, not
	 * per fork (exec kept any the executor ignored). */
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	/* Children get their 0-2 from here: the root may have no /dev soon. */
	child_context.devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (child_context.devnull < 0)
		die("open /dev/null");
	ZygoteReady ready;
	zygote_isolate(&ready);
	/* Not dumpable, so neither is any child from its first instruction:
	 * a job cannot read another's memory or see it in /proc, even in the
	 * moment before that job's own setup says so again. (Only now: a
	 * process that is not dumpable cannot write its own uid_map.) */
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		die("PR_SET_DUMPABLE");
	child_context.parent = zygote_has_pid_namespaces() ? 0 : getpid();
	child_context.ipc_namespace = ready.layer_errno[ZYGOTE_LAYER_IPCNS] == 0;

	sigset_t mask, old_mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &mask, &old_mask) < 0)
		die("sigprocmask");
	int signal_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (signal_fd < 0)
		die("signalfd");
	while (send(ZYGOTE_SOCKET_FD, &ready, sizeof(ready), MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			die("cannot tell the executor it is ready");

	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = ZYGOTE_SOCKET_FD, .events = POLLIN },
			{ .fd = signal_fd, .events = POLLIN },
		};
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (pfd[1].revents) {
			struct signalfd_siginfo si;
			while (read(signal_fd, &si, sizeof(si)) == sizeof(si))
				;
			reap_children();
		}
		if (pfd[0].revents & POLLIN) {
			if (!handle_request(&old_mask, signal_fd))
				break;
		} else if (pfd[0].revents & (POLLHUP | POLLERR)) {
			break;
		}
	}
	/* The executor is gone: take the children with us. */
	for (unsigned i = 0; i < n_used; i++) {
		if (children[i].pid)
			kill(children[i].pid, SIGKILL);
		if (children[i].init_pid)
			kill(children[i].init_pid, SIGKILL);
	}
	return 0;
}
