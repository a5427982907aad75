/* child-job.c — a set-up child taking its job (see child-job.h).
 *
 * Runs under the filter already, so only what it allows: receiving on the
 * channel, closing, adding rules to Landlock's loading ruleset (by its
 * number) and applying it (profiles/filter-prefix.c). Nothing here is the
 * expert's code yet; its first instruction runs in the loader, after the
 * loading domain is in place. */
#include "child/child-job.h"

#include "child/child-fail.h"
#include "child/child-landlock.h"
#include "child/child-load.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Receives ChildJob and its descriptors; returns how many came, into fds. */
static size_t receive_job(ChildJob *job, int *fds)
{
	struct iovec iov = { job, sizeof(*job) };
	union {
		char buf[PASSED_FDS_SPACE(1 + ZYGOTE_MAX_LIBS)];
		struct cmsghdr align;
	} control;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control.buf, .msg_controllen = sizeof(control.buf),
	};
	ssize_t n;
	while ((n = recvmsg(CHILD_FD_CHANNEL, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	/* Closed with no job: the executor no longer wants this child. */
	if (n == 0)
		_exit(0);
	if (n < 0)
		child_fail("waiting for the job", errno);
	size_t n_fds = passed_fds_take(&msg, fds, 1 + ZYGOTE_MAX_LIBS, NULL);
	if ((size_t)n != sizeof(*job) || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
	    job->magic != CHILD_JOB_MAGIC || job->n_libs > ZYGOTE_MAX_LIBS)
		child_fail("the job's first message is malformed", EPROTO);
	return n_fds;
}

_Noreturn void child_await_job(ExpertKey *key, const ZygoteRequest *req, unsigned loader_fd)
{
	ChildJob job;
	int fds[1 + ZYGOTE_MAX_LIBS];
	size_t n_fds = receive_job(&job, fds);
	/* The filter was compiled from the child's profile: a job of another
	 * would run under rules that are not its own. */
	if (job.profile_tag != req->profile_tag)
		child_fail("refusing a job of another profile than its filter's", EPERM);
	/* Every lower number is held, so the object lands at 4 and the
	 * libraries just above the loader's descriptor; anything else means
	 * the numbers the filter relies on are not what they must be. */
	bool placed = n_fds == 1 + job.n_libs && fds[0] == CHILD_FD_EXPERT;
	for (unsigned i = 0; placed && i < job.n_libs; i++)
		placed = fds[1 + i] == (int)(loader_fd + 1 + i);
	if (!placed)
		child_fail("the job's descriptors did not arrive where they must", EPROTO);
	/* Let go of the loader's number: its openat of each object gets it. */
	close((int)loader_fd);

	if (req->landlock_abi) {
		int r = child_landlock_loading(fds, n_fds);
		if (r < 0)
			child_fail("restricting itself with Landlock", -r);
	}
	const char *error = NULL;
	if (!expert_runtime_start(key, &error))
		child_fail(error, EPROTO);
	child_load_and_run(key, job.n_libs, loader_fd, req);
}
