/* zygote-main.c — the fork server, `expert-zygote`.
 *
 * Started by the executor through exec with an empty environment, so its
 * address space holds no job data, no environment and no command line of the
 * executor's: everything a child inherits is this small program, libc and
 * libexpert. It forks one child per request, reaps them and reports their
 * status. It dies with the executor (PR_SET_PDEATHSIG), and its children die
 * with it.
 */
#include "child/child-setup.h"
#include "protocol/child-protocol.h"

#include <errno.h>
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
#include <unistd.h>

/* Jobs alive at once; the executor runs far fewer. */
#define MAX_CHILDREN 4096

static struct {
	pid_t pid;
	uint64_t job_id;
} children[MAX_CHILDREN];

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

static void start_job(const ZygoteRequest *req, int fds[ZYGOTE_N_FDS], const sigset_t *old_mask,
                      int signal_fd)
{
	ZygoteReply reply = { .kind = ZYGOTE_REPLY_STARTED, .job_id = req->job_id };
	int slot = -1;
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (children[i].pid == 0) {
			slot = i;
			break;
		}
	pid_t pid = slot < 0 ? (errno = EAGAIN, -1) : fork();
	if (pid == 0) {
		close(signal_fd);
		child_setup_and_run(req, fds, getppid(), old_mask);
	}
	for (int i = 0; i < ZYGOTE_N_FDS; i++)
		close(fds[i]);
	if (pid < 0) {
		reply.kind = ZYGOTE_REPLY_FAILED;
		reply.error = errno;
		send_reply(&reply, -1);
		return;
	}
	children[slot].pid = pid;
	children[slot].job_id = req->job_id;
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
		for (int i = 0; i < MAX_CHILDREN; i++)
			if (children[i].pid == pid) {
				reply.job_id = children[i].job_id;
				children[i].pid = 0;
				break;
			}
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
 * job was handled, and dies on a malformed request: only the executor talks
 * here, so a bad one is a bug that must not be papered over. */
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
	start_job(&req, fds, old_mask, signal_fd);
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

	sigset_t mask, old_mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &mask, &old_mask) < 0)
		die("sigprocmask");
	int signal_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (signal_fd < 0)
		die("signalfd");

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
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (children[i].pid)
			kill(children[i].pid, SIGKILL);
	return 0;
}
