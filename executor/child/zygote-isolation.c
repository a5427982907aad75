/* zygote-isolation.c — the zygote's layers (see zygote-isolation.h).
 *
 * Why this shape (docs/architecture.md, "Isolation layers", has the rest):
 *
 * - What jobs can share is set up here once, not per job: the user
 *   namespace (an ordinary user's way to own the others), the empty root,
 *   the empty network namespace and the UTS namespace. A job cannot change
 *   any of them (it holds no capability), so sharing them opens no channel
 *   between jobs that the filter and the per-job layers leave closed.
 * - What must be a job's own is made per job: its pid namespace, here (a
 *   job that shares one can see and signal its siblings), and its IPC
 *   namespace, by the child (child-setup.c).
 * - The job is not the init of its pid namespace. An init ignores every
 *   signal it has no handler for, even one it sends itself, and dies of no
 *   signal but SIGKILL and a fault: abort() would end in SIGSEGV, RLIMIT_CPU's
 *   SIGXCPU would be lost, and the wait status would no longer be the
 *   kernel's account of how the expert ended. So pid 1 is an idle process
 *   made for the job, and the job is pid 2; both are the zygote's children,
 *   so the zygote reaps the job itself, with its own wait status and rusage.
 * - The zygote is itself the init of a pid namespace of its own: entering a
 *   job's namespace for one fork (setns) and coming back needs
 *   CAP_SYS_ADMIN over the namespace it comes back to, which an ordinary
 *   user has only over namespaces its own user namespace owns. It also
 *   means every job dies with the zygote.
 */
#include "child/zygote-isolation.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/prctl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65 /* Linux 6.3; newer than some headers */
#define PR_MDWE_REFUSE_EXEC_GAIN (1UL << 0)
#endif
#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#endif

/* What the jobs are told the machine is called (uname). */
#define JOB_HOSTNAME "expert-exec"
/* The idle init's stack: it makes one system call and never returns. */
#define INIT_STACK_BYTES (16u << 10)
#define MAX_INIT_STACKS 4096

static bool pid_namespaces;
static int own_pid_namespace = -1;
static void *init_stacks[MAX_INIT_STACKS];

static void record(ZygoteReady *ready, ZygoteLayer layer, int err, const char *step)
{
	ready->layer_errno[layer] = err;
	snprintf(ready->layer_step[layer], ZYGOTE_STEP_MAX, "%s", step);
}

/* One step of a layer: 0, or the errno recorded with the step. */
static int step(ZygoteReady *ready, ZygoteLayer layer, int result, const char *what)
{
	if (result >= 0)
		return 0;
	int err = errno ? errno : EIO;
	record(ready, layer, err, what);
	return err;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	int err = errno;
	close(fd);
	errno = err;
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* ---- W^X, which no setting of the caller may weaken -------------------- */

/* A personality inherited from whoever started the executor: address space
 * randomisation switched off (setarch -R), which exec keeps, comes back for
 * every job; and READ_IMPLIES_EXEC, which makes every readable mapping
 * executable, is cleared wherever exec did not already do it (x86-64
 * clears it when it starts a 64-bit program; other architectures may not). */
static void clear_personality(void)
{
	if (personality(PER_LINUX) < 0 || (personality(0xffffffff) & READ_IMPLIES_EXEC)) {
		fprintf(stderr, "expert-zygote: cannot clear READ_IMPLIES_EXEC: %s\n", strerror(errno));
		_exit(127);
	}
}

/* The kernel's own W^X (Linux 6.3): no mapping may be made writable and
 * executable, nor made executable once mapped otherwise. Inherited by
 * every child, whatever its profile; the executor's loader supervision
 * holds the same line on older kernels. */
static void deny_write_execute(ZygoteReady *ready)
{
	record(ready, ZYGOTE_LAYER_MDWE, 0, "");
	step(ready, ZYGOTE_LAYER_MDWE, prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0L, 0L, 0L),
	     "prctl(PR_SET_MDWE)");
}

static void find_landlock(ZygoteReady *ready)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	record(ready, ZYGOTE_LAYER_LANDLOCK, 0, "");
	if (step(ready, ZYGOTE_LAYER_LANDLOCK, abi >= 1 ? 0 : -1, "landlock_create_ruleset") == 0)
		ready->landlock_abi = (uint32_t)abi;
}

/* ---- namespaces ---------------------------------------------------------- */

/* Not as root: a user namespace in which the zygote holds the capabilities
 * the other namespaces need, mapping only the invoking user to itself (so
 * ids read the same inside and out). Jobs give the capabilities up before
 * any of the expert's code runs (child-setup.c). */
static int own_user_namespace(ZygoteReady *ready)
{
	if (geteuid() == 0) {
		record(ready, ZYGOTE_LAYER_USERNS, ZYGOTE_LAYER_NOT_NEEDED, "running as root");
		return 0;
	}
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int err = step(ready, ZYGOTE_LAYER_USERNS, unshare(CLONE_NEWUSER), "unshare(CLONE_NEWUSER)");
	if (!err)
		err = step(ready, ZYGOTE_LAYER_USERNS, write_file("/proc/self/setgroups", "deny"),
		           "writing /proc/self/setgroups");
	snprintf(map, sizeof(map), "%u %u 1", (unsigned)uid, (unsigned)uid);
	if (!err)
		err = step(ready, ZYGOTE_LAYER_USERNS, write_file("/proc/self/uid_map", map),
		           "writing /proc/self/uid_map");
	snprintf(map, sizeof(map), "%u %u 1", (unsigned)gid, (unsigned)gid);
	if (!err)
		err = step(ready, ZYGOTE_LAYER_USERNS, write_file("/proc/self/gid_map", map),
		           "writing /proc/self/gid_map");
	return err;
}

static void shared_namespaces(ZygoteReady *ready)
{
	if (!step(ready, ZYGOTE_LAYER_UTSNS, unshare(CLONE_NEWUTS), "unshare(CLONE_NEWUTS)"))
		step(ready, ZYGOTE_LAYER_UTSNS, sethostname(JOB_HOSTNAME, strlen(JOB_HOSTNAME)),
		     "sethostname");
	step(ready, ZYGOTE_LAYER_NETNS, unshare(CLONE_NEWNET), "unshare(CLONE_NEWNET)");
	/* Jobs make their own (child-setup.c); trying it here says whether they
	 * can, before a job fails on it. */
	step(ready, ZYGOTE_LAYER_IPCNS, unshare(CLONE_NEWIPC), "unshare(CLONE_NEWIPC)");
}

/* Directories one of which the empty root is mounted on before pivoting
 * into it; any will do, in the zygote's own mount namespace. */
static const char *const root_bases[] = { "/tmp", "/mnt", "/run", "/var/tmp", "/dev" };

/* An empty, read-only tmpfs as the root, with only the pid namespace's own
 * /proc in it: the jobs load their objects from descriptors
 * (/proc/self/fd/N) and need no path into the host's files, during loading
 * or after. /proc shows only pid directories (subset=pid: no /proc/sys, no
 * kernel files), and of those only processes the viewer could trace
 * (hidepid=invisible): a job, which is not dumpable and holds no
 * capability, sees itself. Returns the errno of the failed step, or 0. */
static int empty_root(ZygoteReady *ready)
{
	ZygoteLayer l = ZYGOTE_LAYER_MOUNTNS;
	int err = step(ready, l, unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)");
	if (!err)
		err = step(ready, l, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL),
		           "making the mounts private");
	const char *base = NULL;
	for (size_t i = 0; !err && !base && i < sizeof(root_bases) / sizeof(root_bases[0]); i++)
		if (mount("tmpfs", root_bases[i], "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		          "mode=0555,size=16k,nr_inodes=16") == 0)
			base = root_bases[i];
	if (!err && !base)
		err = step(ready, l, -1, "mounting the empty root (tmpfs)");
	char proc[64];
	snprintf(proc, sizeof(proc), "%s/proc", base ? base : "");
	if (!err)
		err = step(ready, l, mkdir(proc, 0555), "mkdir proc");
	if (!err)
		err = step(ready, l, mount("proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		                           "subset=pid,hidepid=invisible"),
		           "mounting /proc of the pid namespace");
	if (!err)
		err = step(ready, l, chdir(base), "chdir to the empty root");
	/* pivot_root(".", ".") stacks the old root under the new one, where
	 * the detaching umount takes it away: no directory for it needed. */
	if (!err)
		err = step(ready, l, (int)syscall(SYS_pivot_root, ".", "."), "pivot_root");
	if (!err)
		err = step(ready, l, umount2(".", MNT_DETACH), "detaching the host's root");
	if (!err)
		err = step(ready, l, chdir("/"), "chdir /");
	if (!err)
		err = step(ready, l, mount(NULL, "/", NULL,
		                           MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV |
		                           MS_NOEXEC, NULL),
		           "making the root read-only");
	if (!err)
		record(ready, l, 0, "");
	return err;
}

/* The process that made the pid namespace stays outside it, the fork
 * server's parent, until the fork server ends; then it ends the same way. */
_Noreturn static void wait_for_fork_server(pid_t server, int pid_pipe)
{
	if (write(pid_pipe, &server, sizeof(server)) != (ssize_t)sizeof(server))
		kill(server, SIGKILL);
	close(pid_pipe);
	/* Only the fork server answers the executor: its end of the socket must
	 * close when the fork server's does. */
	close(ZYGOTE_SOCKET_FD);
	int status;
	while (waitpid(server, &status, 0) < 0)
		if (errno != EINTR)
			_exit(127);
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

static void pid_namespace(ZygoteReady *ready)
{
	ZygoteLayer l = ZYGOTE_LAYER_PIDNS;
	int fds[2];
	if (step(ready, l, pipe2(fds, O_CLOEXEC), "pipe2") ||
	    step(ready, l, unshare(CLONE_NEWPID), "unshare(CLONE_NEWPID)"))
		return;
	pid_t server = fork();
	if (server < 0) {
		/* The next fork would make the namespace's init: there is no
		 * going back from unshare without privileges over the old one. */
		fprintf(stderr, "expert-zygote: cannot fork the fork server: %s\n", strerror(errno));
		_exit(127);
	}
	if (server > 0) {
		close(fds[0]);
		wait_for_fork_server(server, fds[1]);
	}
	close(fds[1]);
	/* The parent is outside the namespace, so getppid() says 0 whether it
	 * lives or not: its death is seen as the socket closing. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 ||
	    read(fds[0], &server, sizeof(server)) != (ssize_t)sizeof(server)) {
		fprintf(stderr, "expert-zygote: cannot start the fork server: %s\n", strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	ready->pid = server;
	/* Through the host's /proc, while it is still there: the namespace to
	 * come back to after each job's fork. */
	own_pid_namespace = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	if (step(ready, l, own_pid_namespace, "opening /proc/self/ns/pid"))
		return;
	record(ready, l, 0, "");
	pid_namespaces = true;
}

void zygote_isolate(ZygoteReady *ready)
{
	memset(ready, 0, sizeof(*ready));
	ready->kind = ZYGOTE_REPLY_READY;
	ready->version = ZYGOTE_PROTOCOL_VERSION;
	ready->pid = getpid();
	clear_personality();
	deny_write_execute(ready);
	find_landlock(ready);

	static const ZygoteLayer namespaces[] = {
		ZYGOTE_LAYER_PIDNS, ZYGOTE_LAYER_MOUNTNS, ZYGOTE_LAYER_NETNS, ZYGOTE_LAYER_IPCNS,
		ZYGOTE_LAYER_UTSNS,
	};
	int err = own_user_namespace(ready);
	if (err) {
		/* The same step and errno: the executor says they need it. */
		for (size_t i = 0; i < sizeof(namespaces) / sizeof(namespaces[0]); i++)
			record(ready, namespaces[i], err, ready->layer_step[ZYGOTE_LAYER_USERNS]);
		return;
	}
	shared_namespaces(ready);
	pid_namespace(ready);
	if (!pid_namespaces) {
		record(ready, ZYGOTE_LAYER_MOUNTNS, ready->layer_errno[ZYGOTE_LAYER_PIDNS],
		       "needs the pid namespace, for a /proc of its own");
		return;
	}
	empty_root(ready);
}

bool zygote_has_pid_namespaces(void)
{
	return pid_namespaces;
}

/* ---- a job's pid namespace ------------------------------------------------ */

/* The init of a job's namespace. It shares the zygote's memory (clone with
 * CLONE_VM: no page tables to copy) and its descriptor table (CLONE_FILES:
 * a copy would hold the job's channel open after the job closes it, and
 * its pool region after the executor releases it). It shares the zygote's
 * thread pointer too, so it must touch no libc state: it makes one system call, which never returns (an init
 * gets no signal from its own namespace, and the zygote sends only
 * SIGKILL), on a stack of its own. */
static int idle_init(void *unused)
{
	(void)unused;
	for (;;)
		syscall(SYS_ppoll, NULL, 0, NULL, NULL, 0);
	return 0;
}

static void *init_stack(unsigned slot)
{
	if (slot >= MAX_INIT_STACKS)
		return NULL;
	if (!init_stacks[slot]) {
		void *stack = mmap(NULL, INIT_STACK_BYTES, PROT_READ | PROT_WRITE,
		                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
		if (stack == MAP_FAILED)
			return NULL;
		init_stacks[slot] = stack;
	}
	return (char *)init_stacks[slot] + INIT_STACK_BYTES;
}

pid_t zygote_fork_job(unsigned slot, pid_t *init_pid)
{
	*init_pid = 0;
	if (!pid_namespaces)
		return fork();
	void *stack = init_stack(slot);
	if (!stack) {
		errno = ENOMEM;
		return -1;
	}
	/* The next process this zygote makes is the new namespace's init. */
	if (unshare(CLONE_NEWPID) < 0)
		return -1;
	pid_t init = clone(idle_init, stack, CLONE_VM | CLONE_FILES | SIGCHLD, NULL);
	pid_t pid = init < 0 ? -1 : fork();
	if (pid == 0)
		return 0;
	int err = errno;
	/* Back to the zygote's own namespace for its next child; failing that,
	 * every later job would be forked into this one. */
	if (setns(own_pid_namespace, CLONE_NEWPID) < 0) {
		fprintf(stderr, "expert-zygote: cannot return to its pid namespace: %s\n",
		        strerror(errno));
		_exit(127);
	}
	if (pid < 0) {
		if (init > 0) {
			kill(init, SIGKILL);
			while (waitpid(init, NULL, 0) < 0 && errno == EINTR)
				;
		}
		errno = err;
		return -1;
	}
	if (pid > 0)
		*init_pid = init;
	return pid;
}
