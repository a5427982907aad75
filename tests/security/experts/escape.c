/* escape.c — hostile experts that try to get out from under the filter:
 * change or add filters, run another program, control or write another
 * process, steal its descriptors, do I/O the filter never sees, or make
 * memory executable to run code the loader never checked.
 *
 * Not here because tests/experts/misbehave.c has them: the forbidden call
 * through syscall(2) and through the expert's own syscall instruction, the
 * i386 (int $0x80) and x32 ABIs, clone3, fork, execve of a dynamic binary.
 * Each run returns 0 only if its attack worked (hostile.h). */
#include "hostile.h"

#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/uio.h>

/* A filter that allows everything: if the kernel took it, the new filter
 * would still run after ours (filters only stack), but taking it at all is
 * the child changing its own sandbox. */
static struct sock_filter allow_all[] = {
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};
static struct sock_fprog allow_all_prog = { 1, allow_all };

static int seccomp_filter(ExpertKey *key)
{
	(void)key;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &allow_all_prog) == 0 ? 0 : 2;
}

/* Says how a refused call failed: 0 if it did not fail at all. */
static int refused(ExpertKey *key, long r)
{
	char num[24];
	ExpertEventDetail d = { "errno", hostile_u64(num, r == 0 ? 0 : (uint64_t)errno) };
	expert_submit_event(key, EXPERT_SEVERITY_INFO, "refused", &d, 1);
	return r == 0 ? 0 : 2;
}

/* The older way to the same: prctl(PR_SET_SECCOMP). */
static int prctl_seccomp(ExpertKey *key)
{
	return refused(key, prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &allow_all_prog, 0, 0));
}

/* no_new_privs cannot be unset (the kernel says EINVAL), but the attempt
 * should not reach the kernel at all. */
static int prctl_nnp_off(ExpertKey *key)
{
	return refused(key, prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0));
}

/* A static binary needs no loader and no library: if execve ran it, nothing
 * of ours (libexpert, the runtime) would be left in the process. Debian's
 * ldconfig is static-pie; busybox, where installed, is static too. */
static const char *static_binary(void)
{
	static const char *const candidates[] = { "/bin/busybox", "/sbin/ldconfig" };
	struct stat st;
	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++)
		if (stat(candidates[i], &st) == 0)
			return candidates[i];
	return candidates[0];
}

static int execve_static(ExpertKey *key)
{
	(void)key;
	const char *path = static_binary();
	char *argv[] = { (char *)path, "--help", NULL };
	char *envp[] = { NULL };
	execve(path, argv, envp);
	return 2;
}

static int execveat_static(ExpertKey *key)
{
	(void)key;
	const char *path = static_binary();
	char *argv[] = { (char *)path, "--help", NULL };
	char *envp[] = { NULL };
	syscall(SYS_execveat, AT_FDCWD, path, argv, envp, 0);
	return 2;
}

static int ptrace_zygote(ExpertKey *key)
{
	(void)key;
	return ptrace(PTRACE_ATTACH, (pid_t)hostile_find_zygote(), NULL, NULL) == 0 ? 0 : 2;
}

/* Writes into the zygote's memory at an address it surely has mapped: its
 * copy of our own data, since it forked us. */
static int vm_writev_zygote(ExpertKey *key)
{
	(void)key;
	static char payload[16] = "overwritten";
	struct iovec local = { payload, sizeof(payload) };
	struct iovec remote = { payload, sizeof(payload) };
	return process_vm_writev((pid_t)hostile_find_zygote(), &local, 1, &remote, 1, 0) > 0 ? 0 : 2;
}

/* pidfd_getfd copies a descriptor out of another process: the zygote holds
 * the executor's socket and every job's descriptors while it forks. */
static int pidfd_steal(ExpertKey *key)
{
	(void)key;
	long pidfd = syscall(SYS_pidfd_open, hostile_find_zygote(), 0);
	if (pidfd < 0)
		return 2;
	for (int fd = 0; fd < 64; fd++)
		if (syscall(SYS_pidfd_getfd, pidfd, fd, 0) >= 0)
			return 0;
	return 3;
}

/* io_uring's reads and writes never pass through the seccomp filter. */
static int io_uring(ExpertKey *key)
{
	(void)key;
	uint8_t params[120] = { 0 }; /* struct io_uring_params */
	return syscall(SYS_io_uring_setup, 8, params) >= 0 ? 0 : 2;
}

/* x86-64 machine code for "mov eax, 42; ret". */
static const uint8_t code[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };

/* Runs code copied into an executable page; 0 if it ran. */
static int run_code(void *page)
{
	int (*fn)(void);
	memcpy(&fn, &page, sizeof(fn));
	return fn() == 42 ? 0 : 4;
}

/* New code straight into an executable mapping. */
static int mmap_exec(ExpertKey *key)
{
	(void)key;
	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
	                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return 2;
	memcpy(page, code, sizeof(code));
	return run_code(page);
}

/* The JIT way: write, then make the page executable. */
static int mprotect_exec(ExpertKey *key)
{
	(void)key;
	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return 3;
	memcpy(page, code, sizeof(code));
	if (mprotect(page, 4096, PROT_READ | PROT_EXEC) != 0)
		return 2;
	return run_code(page);
}

/* The same through pkey_mprotect, which no rule of the profile names: a
 * filter that only checked mprotect's flags would miss it. */
static int pkey_mprotect_exec(ExpertKey *key)
{
	(void)key;
	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return 3;
	memcpy(page, code, sizeof(code));
	if (syscall(SYS_pkey_mprotect, page, 4096, PROT_READ | PROT_EXEC, -1) != 0)
		return 2;
	return run_code(page);
}

static const HostileBehaviour behaviours[] = {
	{ "seccomp-filter", seccomp_filter },
	{ "prctl-seccomp", prctl_seccomp },
	{ "prctl-nnp-off", prctl_nnp_off },
	{ "execve-static", execve_static },
	{ "execveat-static", execveat_static },
	{ "ptrace-zygote", ptrace_zygote },
	{ "vm-writev-zygote", vm_writev_zygote },
	{ "pidfd-steal", pidfd_steal },
	{ "io-uring", io_uring },
	{ "mmap-exec", mmap_exec },
	{ "mprotect-exec", mprotect_exec },
	{ "pkey-mprotect-exec", pkey_mprotect_exec },
};

HOSTILE_ENTRY_POINTS(behaviours)
