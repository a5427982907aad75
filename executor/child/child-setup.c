/* child-setup.c — a job's child, from fork to the expert's code, in order.
 *
 * Each step is checked; a failed step ends the child with a message on the
 * channel and never falls through into running the expert less confined than
 * asked. The order is the one DESIGN.md gives: descriptors, parent-death
 * signal, no-new-privs, rlimits, mappings, identity, then the seccomp filter —
 * before dlopen, because loading runs the object's constructors and IFUNC
 * resolvers, which are the expert's code too.
 */
#include "child/child-setup.h"

#include "runtime.h"
#include "wire.h"
#include "protocol/child-protocol.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
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

static int channel_fd = -1;

_Noreturn static void fail(const char *step, int err)
{
	char reason[256];
	snprintf(reason, sizeof(reason), "sandbox setup failed: %s: %s", step, strerror(err));
	if (channel_fd >= 0)
		expert_runtime_load_failed(channel_fd, reason);
	_exit(127);
}

#define CHECK(expr, step) do { if ((expr) < 0) fail(step, errno); } while (0)

/* Puts the job's descriptors where the filter and runtime expect them, with
 * 0-2 on /dev/null, and closes everything else the zygote had. */
static void arrange_descriptors(int fds[ZYGOTE_N_FDS], int *capture_fd, int *region_fd,
                                int *filter_fd)
{
	/* First lift every job descriptor above the fixed numbers, so placing one
	 * cannot clobber another. */
	for (int i = 0; i < ZYGOTE_N_FDS; i++) {
		int fd = fcntl(fds[i], F_DUPFD_CLOEXEC, 64);
		CHECK(fd, "dup job descriptor");
		fds[i] = fd;
	}
	int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	CHECK(null_fd, "open /dev/null");
	for (int target = 0; target <= 2; target++)
		CHECK(dup2(null_fd, target), "dup2 /dev/null");
	CHECK(dup2(fds[ZYGOTE_FD_CHANNEL], CHILD_FD_CHANNEL), "dup2 channel");
	channel_fd = CHILD_FD_CHANNEL;
	CHECK(dup2(fds[ZYGOTE_FD_EXPERT], CHILD_FD_EXPERT), "dup2 expert object");
	/* Three more fixed slots for what is closed before the expert runs. */
	CHECK(dup2(fds[ZYGOTE_FD_CAPTURE], 5), "dup2 capture");
	CHECK(dup2(fds[ZYGOTE_FD_REGION], 6), "dup2 region");
	CHECK(dup2(fds[ZYGOTE_FD_FILTER], 7), "dup2 filter");
	*capture_fd = 5;
	*region_fd = 6;
	*filter_fd = 7;
	CHECK(close_range(8, ~0U, 0), "close_range");
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
	set_limit(RLIMIT_NOFILE, req->max_fds, req->max_fds, "RLIMIT_NOFILE");
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

static void drop_identity(const ZygoteRequest *req)
{
	if (!(req->flags & ZYGOTE_REQUEST_DROP_PRIVILEGES))
		return;
	CHECK(setgroups(0, NULL), "setgroups");
	CHECK(setresgid(req->gid, req->gid, req->gid), "setresgid");
	CHECK(setresuid(req->uid, req->uid, req->uid), "setresuid");
	/* Leaving uid 0 clears the capability sets; check rather than trust. */
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	CHECK(syscall(SYS_capget, &hdr, data), "capget");
	for (int i = 0; i < 2; i++)
		if (data[i].effective || data[i].permitted || data[i].inheritable)
			fail("capabilities left after dropping root", EPERM);
	if (getuid() != req->uid || geteuid() != req->uid || getgid() != req->gid)
		fail("identity did not change", EPERM);
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
	if (sendmsg(channel_fd, &msg, MSG_NOSIGNAL) != (ssize_t)len)
		fail("sending the seccomp listener", errno);
}

static void install_filter(int filter_fd, uint64_t filter_size)
{
	static struct sock_filter program[4096];
	if (filter_size == 0 || filter_size > FILTER_MAX_BYTES ||
	    filter_size % sizeof(struct sock_filter))
		fail("filter size", EINVAL);
	if (pread(filter_fd, program, filter_size, 0) != (ssize_t)filter_size)
		fail("reading the filter", errno ? errno : EIO);
	close(filter_fd);

	struct sock_fprog prog = {
		.len = (unsigned short)(filter_size / sizeof(struct sock_filter)),
		.filter = program,
	};
	int listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	                            SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	CHECK(listener, "installing the seccomp filter");
	send_hello(listener);
	close(listener);
}

_Noreturn void child_setup_and_run(const ZygoteRequest *req, int fds[ZYGOTE_N_FDS],
                                   pid_t zygote_pid, const sigset_t *old_mask)
{
	/* The zygote reset every handler once at start (zygote-main.c) and
	 * installs none, so only its mask, which blocks SIGCHLD, is undone. */
	sigprocmask(SIG_SETMASK, old_mask, NULL);

	int capture_fd, region_fd, filter_fd;
	arrange_descriptors(fds, &capture_fd, &region_fd, &filter_fd);

	/* Die with the zygote; if it died before the line above, go now. */
	CHECK(prctl(PR_SET_PDEATHSIG, SIGKILL), "PR_SET_PDEATHSIG");
	if (getppid() != zygote_pid)
		_exit(127);
	CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "PR_SET_NO_NEW_PRIVS");
	/* Not dumpable: no core, and no ptrace or /proc/PID access by others of
	 * the same uid (other jobs). */
	CHECK(prctl(PR_SET_DUMPABLE, 0), "PR_SET_DUMPABLE");
	set_limits(req);

	/* Map the capture read-only and the region read-write, then drop the
	 * descriptors: what the expert cannot name it cannot remap. */
	void *capture = mmap(NULL, req->capture_size, PROT_READ, MAP_SHARED, capture_fd, 0);
	if (capture == MAP_FAILED)
		fail("mapping the capture", errno);
	void *region = mmap(NULL, req->region_size, PROT_READ | PROT_WRITE, MAP_SHARED, region_fd, 0);
	if (region == MAP_FAILED)
		fail("mapping the pool region", errno);
	close(capture_fd);
	close(region_fd);

	ExpertRuntimeJob job = {
		.channel_fd = CHILD_FD_CHANNEL,
		.region = region, .region_size = req->region_size,
		.capture = capture, .capture_size = req->capture_size,
		.max_events = req->max_events,
	};
	const char *bind_error = NULL;
	ExpertKey *key = expert_runtime_bind(&job, &bind_error);
	if (!key)
		fail(bind_error, EINVAL);

	drop_identity(req);
	/* The zygote was exec'd with an empty environment; make sure. */
	if (clearenv() != 0)
		fail("clearenv", ENOMEM);

	/* Before the filter, which need not allow sigaltstack or sigaction. */
	int caught = expert_runtime_catch_faults(CHILD_FD_CHANNEL);
	if (caught < 0)
		fail("installing the fault handler", -caught);
	install_filter(filter_fd, req->filter_size);

	/* From here on, code of the expert's may run. */
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", CHILD_FD_EXPERT);
	void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		const char *e = dlerror();
		expert_runtime_load_failed(channel_fd, e ? e : "dlopen failed");
		_exit(0);
	}
	close(CHILD_FD_EXPERT);

	/* dlsym returns an object pointer; POSIX guarantees it converts to a
	 * function pointer, ISO C does not, hence memcpy. */
	ExpertEntryPoints entry;
	void *sym = dlsym(handle, EXPERT_REGISTER_SYMBOL);
	memcpy(&entry.register_fn, &sym, sizeof(sym));
	sym = dlsym(handle, EXPERT_CONFIGURE_SYMBOL);
	memcpy(&entry.configure_fn, &sym, sizeof(sym));
	sym = dlsym(handle, EXPERT_RUN_SYMBOL);
	memcpy(&entry.run_fn, &sym, sizeof(sym));
	if (!entry.register_fn || !entry.run_fn) {
		expert_runtime_load_failed(channel_fd,
			!entry.register_fn ? "missing symbol " EXPERT_REGISTER_SYMBOL
			                   : "missing symbol " EXPERT_RUN_SYMBOL);
		_exit(0);
	}

	/* LOADED ends the loading phase: from now on the executor refuses what it
	 * let the loader do (open files, map code). */
	uint8_t buf[16];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_LOADED);
	size_t len = wire_finish(&w);
	if (expert_runtime_send(channel_fd, buf, len) < 0)
		_exit(127);

	expert_runtime_drive(key, &entry);
	_exit(0);
}
