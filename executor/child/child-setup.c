/* child-setup.c — a child, from fork to waiting for its job, in order.
 *
 * Each step is checked; a failed step ends the child with a message on the
 * channel and never falls through into running the expert less confined than
 * asked. The order is the one DESIGN.md gives: descriptors, parent-death
 * signal, no-new-privs, the job's namespace, rlimits, mappings, identity,
 * then Landlock and the seccomp filter — before dlopen, because loading runs
 * the object's constructors and IFUNC resolvers, which are the expert's code
 * too. None of it depends on the job, only on the run and the profile, so
 * the child does all of it before its job exists (pre-forking) and then
 * waits on its channel (child-job.c); docs/architecture.md ("A job, in
 * order") says why each step is where it is.
 */
#include "child/child-setup.h"

#include "child/child-fail.h"
#include "child/child-job.h"
#include "child/child-landlock.h"

#include "runtime.h"
#include "wire.h"
#include "protocol/capture-view.h"
#include "protocol/child-protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The child's stack, and the address space it may use beyond its capture,
 * pool region and libc heap: code and data of the loaded objects, the
 * loader's own allocations, guard pages. Generous for any expert; small
 * next to a quota. */
#define CHILD_STACK_BYTES ((rlim_t)8 << 20)
#define CHILD_CODE_ROOM ((rlim_t)128 << 20)

/* The largest program the kernel accepts (BPF_MAXINSNS). */
#define FILTER_MAX_BYTES (4096 * sizeof(struct sock_filter))

/* Where the capture, the region and the filter wait until they are mapped
 * or read and closed: numbers Landlock's rulesets and the placeholders
 * below the loader's descriptor take afterwards. */
#define CAPTURE_FD 5
#define REGION_FD 6
#define FILTER_FD 7
#define CAPTURE_FILE_FD 8


#define CHECK(expr, step) do { if ((expr) < 0) child_fail(step, errno); } while (0)

/* Puts the channel where the filter and runtime expect it, with 0-2 on the
 * zygote's /dev/null (the root may have no /dev), the capture, region,
 * filter and capture file at 5-8 until they are mapped or read, and closes everything else
 * the zygote had. */
static void arrange_descriptors(int *fds, int devnull)
{
	/* First lift every descriptor above the fixed numbers, so placing one
	 * cannot clobber another. */
	for (unsigned i = 0; i < ZYGOTE_N_FDS; i++) {
		int fd = fcntl(fds[i], F_DUPFD_CLOEXEC, 64);
		CHECK(fd, "dup child descriptor");
		fds[i] = fd;
	}
	for (int target = 0; target <= 2; target++)
		CHECK(dup2(devnull, target), "dup2 /dev/null");
	CHECK(dup2(fds[ZYGOTE_FD_CHANNEL], CHILD_FD_CHANNEL), "dup2 channel");
	child_fail_channel_ready();
	CHECK(dup2(fds[ZYGOTE_FD_CAPTURE], CAPTURE_FD), "dup2 capture");
	CHECK(dup2(fds[ZYGOTE_FD_REGION], REGION_FD), "dup2 region");
	CHECK(dup2(fds[ZYGOTE_FD_FILTER], FILTER_FD), "dup2 filter");
	CHECK(dup2(fds[ZYGOTE_FD_CAPTURE_FILE], CAPTURE_FILE_FD), "dup2 capture file");
	/* 4 too (the zygote's /dev/null may be there): it is where the job's
	 * object must arrive. */
	CHECK(close_range(CHILD_FD_EXPERT, CHILD_FD_EXPERT, 0), "close_range");
	CHECK(close_range(CAPTURE_FILE_FD + 1, ~0U, 0), "close_range");
}

static void set_limit(int resource, rlim_t soft, rlim_t hard, const char *step)
{
	struct rlimit rl = { soft, hard };
	CHECK(setrlimit(resource, &rl), step);
}

static void set_limits(const ZygoteRequest *req)
{
	set_limit(RLIMIT_CORE, 0, 0, "RLIMIT_CORE");
	/* No new processes: fork and clone fail with EAGAIN even where the
	 * filter would let them through. Root ignores it, so it bites once the
	 * identity is dropped below. */
	set_limit(RLIMIT_NPROC, 0, 0, "RLIMIT_NPROC");
	/* SIGXCPU at the limit, SIGKILL a second later if it is caught. */
	set_limit(RLIMIT_CPU, req->cpu_seconds, (rlim_t)req->cpu_seconds + 1, "RLIMIT_CPU");
	/* RLIMIT_NOFILE: after HELLO (install_filter). */
	/* The child can create no file; this bounds the output captures the
	 * executor grants it (SIGXFSZ past the limit). */
	set_limit(RLIMIT_FSIZE, req->output_bytes, req->output_bytes, "RLIMIT_FSIZE");
	set_limit(RLIMIT_MEMLOCK, 0, 0, "RLIMIT_MEMLOCK");
	set_limit(RLIMIT_MSGQUEUE, 0, 0, "RLIMIT_MSGQUEUE");
	if (req->data_limit)
		set_limit(RLIMIT_DATA, req->data_limit, req->data_limit, "RLIMIT_DATA");
	/* A fixed stack, whatever the executor's caller had (batch nodes often
	 * run with an unlimited one). */
	set_limit(RLIMIT_STACK, CHILD_STACK_BYTES, CHILD_STACK_BYTES, "RLIMIT_STACK");
	/* RLIMIT_DATA counts only private writable memory: shared anonymous and
	 * grows-down mappings escape it. The address space as a whole is
	 * therefore bounded too: the capture and the region mapped below, the
	 * libc heap, the stack, and room for the code of libc, libexpert and the
	 * expert. */
	rlim_t space = (rlim_t)req->capture_size + req->region_size + req->data_limit +
	               CHILD_STACK_BYTES + CHILD_CODE_ROOM;
	set_limit(RLIMIT_AS, space, space, "RLIMIT_AS");
}

/* As root: the job's own uid and gid. Not as root, in the zygote's user
 * namespace: the capabilities that namespace gave (the invoking user's ids
 * stay). Either way, none is left, which is checked rather than trusted. */
static void drop_identity(const ZygoteRequest *req)
{
	if (req->flags & ZYGOTE_REQUEST_DROP_PRIVILEGES) {
		CHECK(setgroups(0, NULL), "setgroups");
		CHECK(setresgid(req->gid, req->gid, req->gid), "setresgid");
		CHECK(setresuid(req->uid, req->uid, req->uid), "setresuid");
		if (getuid() != req->uid || geteuid() != req->uid || getgid() != req->gid)
			child_fail("identity did not change", EPERM);
	}
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	memset(data, 0, sizeof(data));
	CHECK(syscall(SYS_capset, &hdr, data), "capset");
	CHECK(syscall(SYS_capget, &hdr, data), "capget");
	for (int i = 0; i < 2; i++)
		if (data[i].effective || data[i].permitted || data[i].inheritable)
			child_fail("capabilities left after dropping them", EPERM);
}

/* Sends HELLO with the seccomp listener attached: the executor's only view
 * of what the filter refers to it. */
static void send_hello(int listener)
{
	uint8_t buf[32];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_HELLO);
	wire_put_u32(&w, EXPERT_API_VERSION);
	size_t len = wire_finish(&w);

	struct iovec iov = { buf, len };
	union {
		char cbuf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	memset(&control, 0, sizeof(control));
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control.cbuf, .msg_controllen = sizeof(control.cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &listener, sizeof(int));
	if (sendmsg(CHILD_FD_CHANNEL, &msg, MSG_NOSIGNAL) != (ssize_t)len)
		child_fail("sending the seccomp listener", errno);
}

/* The program, read while the filter's descriptor is still open and
 * installed last. */
static struct sock_filter program[4096];

static struct sock_fprog read_filter(uint64_t filter_size)
{
	if (filter_size == 0 || filter_size > FILTER_MAX_BYTES ||
	    filter_size % sizeof(struct sock_filter))
		child_fail("filter size", EINVAL);
	if (pread(FILTER_FD, program, filter_size, 0) != (ssize_t)filter_size)
		child_fail("reading the filter", errno ? errno : EIO);
	close(FILTER_FD);
	return (struct sock_fprog){
		.len = (unsigned short)(filter_size / sizeof(struct sock_filter)),
		.filter = program,
	};
}

/* The descriptor limit is lowered only once HELLO is sent: the kernel
 * refuses to pass a descriptor (ETOOMANYREFS) while more are in flight on
 * Unix sockets for the sender's user than its RLIMIT_NOFILE, and not as
 * root every job, the zygote and the executor share one user, whose
 * descriptors in flight (a pool of children asked for at once) can exceed
 * a profile's few. */
static void install_filter(const struct sock_fprog *prog, unsigned max_fds)
{
	int listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	                            SECCOMP_FILTER_FLAG_NEW_LISTENER, prog);
	CHECK(listener, "installing the seccomp filter");
	send_hello(listener);
	close(listener);
	/* The profile's limit once the object is loaded (child-load.c); until
	 * then room for the loader's descriptor and the libraries above it.
	 * setrlimit is prlimit64(0, RLIMIT_NOFILE), which the filter's prefix
	 * lets through: it only takes rights away. */
	unsigned nofile = child_loading_nofile(max_fds);
	set_limit(RLIMIT_NOFILE, nofile, nofile, "RLIMIT_NOFILE");
}

/* Takes every number from 5 up to the loader's descriptor, less Landlock's
 * rulesets, with /dev/null: the job's object then arrives at 4, its
 * libraries above the loader's descriptor, and once that is let go the
 * loader's openat gets exactly it (protocol/child-protocol.h). */
static void hold_low_descriptors(unsigned loader_fd, bool landlock)
{
	for (unsigned fd = CHILD_FD_LOADING_RULES; fd <= loader_fd; fd++) {
		if (landlock && (fd == CHILD_FD_LOADING_RULES || fd == CHILD_FD_LOADED_RULES))
			continue;
		CHECK(dup2(STDIN_FILENO, (int)fd), "holding a descriptor number");
	}
}

_Noreturn void child_setup_and_run(const ZygoteRequest *req, int *fds, const ChildContext *ctx,
                                   const sigset_t *old_mask)
{
	/* The zygote reset every handler once at start (zygote-main.c) and
	 * installs none, so only its mask, which blocks SIGCHLD, is undone. */
	sigprocmask(SIG_SETMASK, old_mask, NULL);

	arrange_descriptors(fds, ctx->devnull);

	/* Die with the zygote; if it died before the line above, go now. */
	CHECK(prctl(PR_SET_PDEATHSIG, SIGKILL), "PR_SET_PDEATHSIG");
	if (getppid() != ctx->parent)
		_exit(127);
	CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "PR_SET_NO_NEW_PRIVS");
	/* Not dumpable (the zygote is not either, and a fork keeps that): no
	 * core, and no ptrace, /proc/PID or /proc listing by others of the same
	 * uid (other jobs). */
	CHECK(prctl(PR_SET_DUMPABLE, 0), "PR_SET_DUMPABLE");
	/* SysV IPC and POSIX message queues of its own: objects another job
	 * made are not there to find. While the capabilities are still held. */
	if (ctx->ipc_namespace)
		CHECK(unshare(CLONE_NEWIPC), "unshare(CLONE_NEWIPC)");
	set_limits(req);

	/* Map the capture read-only and the region read-write, then drop the
	 * descriptors: what the expert cannot name it cannot remap. */
	void *capture = capture_view_map(CAPTURE_FD, req->capture_memfd_size,
	                                 (req->flags & ZYGOTE_REQUEST_CAPTURE_IN_FILE) ? CAPTURE_FILE_FD : -1,
	                                 req->capture_size);
	if (capture == MAP_FAILED)
		child_fail("mapping the capture", errno);
	void *region = mmap(NULL, req->region_size, PROT_READ | PROT_WRITE, MAP_SHARED, REGION_FD, 0);
	if (region == MAP_FAILED)
		child_fail("mapping the pool region", errno);
	close(CAPTURE_FD);
	close(CAPTURE_FILE_FD);
	close(REGION_FD);
	struct sock_fprog prog = read_filter(req->filter_size);

	ExpertRuntimeJob job = {
		.channel_fd = CHILD_FD_CHANNEL,
		.region = region, .region_size = req->region_size,
		.capture = capture, .capture_size = req->capture_size,
		.max_events = req->max_events,
	};
	const char *bind_error = NULL;
	ExpertKey *key = expert_runtime_bind(&job, &bind_error);
	if (!key)
		child_fail(bind_error, EINVAL);

	drop_identity(req);
	/* The zygote was exec'd with an empty environment; make sure. */
	if (clearenv() != 0)
		child_fail("clearenv", ENOMEM);

	/* Before the filter, which need not allow sigaltstack or sigaction. */
	int caught = expert_runtime_catch_faults(CHILD_FD_CHANNEL);
	if (caught < 0)
		child_fail("installing the fault handler", -caught);
	/* Landlock's rulesets before the filter too, which need not allow
	 * making them; the job's object is added to the first when it comes. */
	if (req->landlock_abi) {
		int r = child_landlock_prepare(req->landlock_abi);
		if (r < 0)
			child_fail("preparing Landlock's rulesets", -r);
	}
	unsigned loader_fd = child_loader_fd(req->max_fds);
	hold_low_descriptors(loader_fd, req->landlock_abi != 0);
	install_filter(&prog, req->max_fds);

	/* Nothing of a job has been here yet; from the job's arrival on, code
	 * of the expert's may run. */
	child_await_job(key, req, loader_fd);
}
