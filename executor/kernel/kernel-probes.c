/* kernel-probes.c — the probes of the kernel-feature table (see
 * kernel-features.h, kernel-probes.h).
 *
 * Each probe makes the real call, harmlessly (getpid through another ABI,
 * clone3 with no arguments, an empty close_range), and reads the kernel's
 * answer. A call that may kill the caller (int $0x80 on a kernel without
 * 32-bit emulation faults; a seccomp filter this process already runs under
 * may kill on another ABI) is made in a forked child, whose death is the
 * answer. Children only make raw syscalls and _exit: safe after fork from a
 * process with threads. */
#include "kernel/kernel-probes.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020 /* Linux 6.3; newer than some headers */
#endif

/* An unprivileged identity for probing as root what an ordinary user may do. */
#define PROBE_NOBODY 65534

static void set_result(KernelFeatureResult *r, KernelFeatureState state, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

static void set_result(KernelFeatureResult *r, KernelFeatureState state, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	r->state = state;
	g_vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
}

/* "ENOSYS" rather than a sentence: the probes name the kernel's answer. */
static const char *errno_name(int e)
{
	const char *name = strerrorname_np(e);
	return name ? name : "an unknown errno";
}

/* Runs fn in a forked child and returns its wait status, or -1 (errno set)
 * if there was no child. */
static int in_child(int (*fn)(void))
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* Die of the fault itself, whatever handler the parent (or a
		 * sanitizer runtime) installed: the death is the answer. */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGILL, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		_exit(fn());
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

static void describe_status(char *buf, gsize len, int status)
{
	if (WIFEXITED(status))
		g_snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	else if (sigabbrev_np(WTERMSIG(status)))
		g_snprintf(buf, len, "was killed by SIG%s", sigabbrev_np(WTERMSIG(status)));
	else
		g_snprintf(buf, len, "was killed by signal %d", WTERMSIG(status));
}

/* ---- other syscall ABIs ------------------------------------------------- */

#if defined(__x86_64__)
/* Exit codes of the ABI probes' children. */
enum { ABI_ANSWERED = 0, ABI_ENOSYS = 1, ABI_OTHER = 2 };

static int abi_verdict(long ret)
{
	if (ret == syscall(SYS_getpid))
		return ABI_ANSWERED;
	return ret == -ENOSYS ? ABI_ENOSYS : ABI_OTHER;
}

/* getpid is 20 in the i386 table. */
static int try_int80(void)
{
	long ret = 20;
	__asm__ volatile("int $0x80" : "+a"(ret) : : "r8", "r9", "r10", "r11", "memory");
	return abi_verdict(ret);
}

/* getpid is 39 in the x32 table too, with __X32_SYSCALL_BIT set. */
static int try_x32(void)
{
	long ret = 0x40000000L | 39;
	__asm__ volatile("syscall" : "+a"(ret) : : "rcx", "r11", "memory");
	return abi_verdict(ret);
}

/* The verdict of an ABI probe's child. fault: what dying of SIGSEGV means
 * (the kernel's way of saying the ABI is not there), or NULL. */
static void abi_result(KernelFeatureResult *r, int status, const char *call, const char *fault)
{
	char how[64];
	if (status < 0) {
		set_result(r, KERNEL_FEATURE_UNKNOWN, "cannot fork a child to try %s: %s", call,
		           g_strerror(errno));
		return;
	}
	describe_status(how, sizeof(how), status);
	if (WIFEXITED(status) && WEXITSTATUS(status) == ABI_ANSWERED)
		set_result(r, KERNEL_FEATURE_PRESENT, "%s reaches the kernel (getpid answered)", call);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == ABI_ENOSYS)
		set_result(r, KERNEL_FEATURE_ABSENT, "%s fails with ENOSYS", call);
	else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		set_result(r, KERNEL_FEATURE_UNKNOWN, "a seccomp filter this process runs under killed "
		           "the child trying %s: the kernel's own answer cannot be seen", call);
	else if (fault && WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV)
		set_result(r, KERNEL_FEATURE_ABSENT, "%s", fault);
	else
		set_result(r, KERNEL_FEATURE_UNKNOWN, "the child trying %s %s", call, how);
}

void kernel_probe_i386(KernelFeatureResult *r)
{
	abi_result(r, in_child(try_int80), "int $0x80",
	           "int $0x80 faults (SIGSEGV): no 32-bit emulation (CONFIG_IA32_EMULATION "
	           "off, or ia32_emulation=0), so it never reaches seccomp");
}

/* Without x32 (CONFIG_X86_X32_ABI off, or disabled) the kernel answers
 * ENOSYS to such numbers. */
void kernel_probe_x32(KernelFeatureResult *r)
{
	abi_result(r, in_child(try_x32), "an x32 syscall number", NULL);
}
#else
void kernel_probe_i386(KernelFeatureResult *r)
{
	set_result(r, KERNEL_FEATURE_ABSENT, "not an x86-64 kernel: there is no int $0x80 ABI");
}

void kernel_probe_x32(KernelFeatureResult *r)
{
	set_result(r, KERNEL_FEATURE_ABSENT, "not an x86-64 kernel: there is no x32 ABI");
}
#endif

/* ---- calls the executor makes, or refuses ------------------------------- */

/* For calls that fail ENOSYS where the kernel lacks them. */
static void enosys_result(KernelFeatureResult *r, int err, const char *call)
{
	if (err == ENOSYS)
		set_result(r, KERNEL_FEATURE_ABSENT, "%s fails with ENOSYS", call);
	else
		set_result(r, KERNEL_FEATURE_UNKNOWN, "%s fails with %s, which says nothing either way",
		           call, errno_name(err));
}

void kernel_probe_clone3(KernelFeatureResult *r)
{
	/* No arguments: a kernel with clone3 refuses the size (EINVAL) before
	 * making anything. */
	if (syscall(SYS_clone3, NULL, 0) < 0 && errno == EINVAL)
		set_result(r, KERNEL_FEATURE_PRESENT, "clone3 answers (EINVAL for an empty call)");
	else
		enosys_result(r, errno, "clone3");
}

void kernel_probe_seccomp_notify(KernelFeatureResult *r)
{
	struct seccomp_notif_sizes sizes;
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0) {
		if (errno == EINVAL)
			set_result(r, KERNEL_FEATURE_ABSENT, "seccomp does not know "
			           "SECCOMP_GET_NOTIF_SIZES (user notification is Linux 5.0+)");
		else
			enosys_result(r, errno, "seccomp(SECCOMP_GET_NOTIF_SIZES)");
		return;
	}
	guint32 action = SECCOMP_RET_USER_NOTIF;
	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) < 0) {
		set_result(r, KERNEL_FEATURE_ABSENT, "SECCOMP_RET_USER_NOTIF is not available: %s",
		           errno_name(errno));
		return;
	}
	set_result(r, KERNEL_FEATURE_PRESENT, "SECCOMP_RET_USER_NOTIF available; a notification "
	           "is %u bytes, a response %u", sizes.seccomp_notif, sizes.seccomp_notif_resp);
}

void kernel_probe_pidfd(KernelFeatureResult *r)
{
	int fd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	if (fd < 0) {
		enosys_result(r, errno, "pidfd_open");
		return;
	}
	int sent = (int)syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0);
	int err = errno;
	close(fd);
	if (sent < 0)
		set_result(r, KERNEL_FEATURE_ABSENT, "pidfd_open answers, pidfd_send_signal fails "
		           "with %s", errno_name(err));
	else
		set_result(r, KERNEL_FEATURE_PRESENT, "pidfd_open and pidfd_send_signal answer");
}

void kernel_probe_close_range(KernelFeatureResult *r)
{
	/* A range above any descriptor: nothing to close. */
	if (syscall(SYS_close_range, ~0U, ~0U, 0) == 0)
		set_result(r, KERNEL_FEATURE_PRESENT, "close_range answers");
	else
		enosys_result(r, errno, "close_range");
}

void kernel_probe_memfd_seals(KernelFeatureResult *r)
{
	static const struct {
		int seal;
		const char *name;
	} seals[] = {
		{ F_SEAL_SHRINK, "shrink" }, { F_SEAL_GROW, "grow" }, { F_SEAL_WRITE, "write" },
		{ F_SEAL_FUTURE_WRITE, "future-write" }, { F_SEAL_EXEC, "exec" },
		{ F_SEAL_SEAL, "seal" }, /* last: it ends adding */
	};
	int fd = memfd_create("expert-exec-probe", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0) {
		enosys_result(r, errno, "memfd_create(MFD_ALLOW_SEALING)");
		return;
	}
	g_autoptr(GString) took = g_string_new(NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(seals); i++)
		if (fcntl(fd, F_ADD_SEALS, seals[i].seal) == 0)
			g_string_append_printf(took, "%s%s", took->len ? ", " : "", seals[i].name);
	int got = fcntl(fd, F_GET_SEALS);
	close(fd);
	/* What the capture and the pool regions are sealed with. */
	const int needed = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL;
	if (got >= 0 && (got & needed) == needed)
		set_result(r, KERNEL_FEATURE_PRESENT, "memfd seals: %s", took->str);
	else
		set_result(r, KERNEL_FEATURE_ABSENT, "memfd_create works but takes only these seals: "
		           "%s", took->len ? took->str : "none");
}

void kernel_probe_landlock(KernelFeatureResult *r)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (abi >= 1) {
		r->version = (int)abi;
		set_result(r, KERNEL_FEATURE_PRESENT, "Landlock ABI %ld", abi);
	} else if (errno == EOPNOTSUPP) {
		set_result(r, KERNEL_FEATURE_ABSENT, "built in but not enabled at boot (lsm= "
		           "does not list landlock)");
	} else {
		enosys_result(r, errno, "landlock_create_ruleset");
	}
}

/* ---- user namespaces ---------------------------------------------------- */

/* What an unprivileged process may unshare: the user namespace, then the
 * others inside it. The child writes one errno (0: it worked) per step. */
static const struct {
	int flag;
	const char *name;
} namespaces[] = {
	{ CLONE_NEWUSER, "user" }, { CLONE_NEWPID, "pid" }, { CLONE_NEWNET, "net" },
	{ CLONE_NEWNS, "mount" }, { CLONE_NEWIPC, "ipc" }, { CLONE_NEWUTS, "uts" },
};
#define N_NAMESPACES G_N_ELEMENTS(namespaces)

static int userns_pipe = -1;

static int try_namespaces(void)
{
	int errs[N_NAMESPACES + 1] = { 0 };
	/* As root anything may be unshared; what matters is an ordinary user. */
	if (geteuid() == 0 &&
	    (setgroups(0, NULL) < 0 || setresgid(PROBE_NOBODY, PROBE_NOBODY, PROBE_NOBODY) < 0 ||
	     setresuid(PROBE_NOBODY, PROBE_NOBODY, PROBE_NOBODY) < 0))
		errs[N_NAMESPACES] = errno;
	for (gsize i = 0; i < N_NAMESPACES && !errs[N_NAMESPACES]; i++) {
		errs[i] = unshare(namespaces[i].flag) < 0 ? errno : 0;
		if (i == 0 && errs[0])
			break;
	}
	return write(userns_pipe, errs, sizeof(errs)) == (ssize_t)sizeof(errs) ? 0 : 1;
}

/* The sysctls that switch unprivileged user namespaces off, where set so. */
static void append_userns_switches(GString *why)
{
	static const struct {
		const char *path, *name, *off;
	} switches[] = {
		{ "/proc/sys/user/max_user_namespaces", "user.max_user_namespaces", "0" },
		{ "/proc/sys/kernel/unprivileged_userns_clone", "kernel.unprivileged_userns_clone", "0" },
		{ "/proc/sys/kernel/apparmor_restrict_unprivileged_userns",
		  "kernel.apparmor_restrict_unprivileged_userns", "1" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(switches); i++) {
		g_autofree char *value = NULL;
		if (g_file_get_contents(switches[i].path, &value, NULL, NULL) &&
		    g_str_equal(g_strstrip(value), switches[i].off))
			g_string_append_printf(why, "; %s = %s", switches[i].name, switches[i].off);
	}
}

void kernel_probe_user_namespaces(KernelFeatureResult *r)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0) {
		set_result(r, KERNEL_FEATURE_UNKNOWN, "pipe2: %s", g_strerror(errno));
		return;
	}
	userns_pipe = fds[1];
	int status = in_child(try_namespaces);
	int fork_errno = errno;
	close(fds[1]);
	int errs[N_NAMESPACES + 1];
	ssize_t n = status < 0 ? -1 : read(fds[0], errs, sizeof(errs));
	close(fds[0]);
	if (status < 0 || n != (ssize_t)sizeof(errs)) {
		char how[64] = "";
		if (status >= 0)
			describe_status(how, sizeof(how), status);
		set_result(r, KERNEL_FEATURE_UNKNOWN, "the probe's child %s",
		           status < 0 ? g_strerror(fork_errno) : how);
		return;
	}
	if (errs[N_NAMESPACES]) {
		set_result(r, KERNEL_FEATURE_UNKNOWN, "cannot drop root to uid %d to try as an "
		           "ordinary user: %s", PROBE_NOBODY, errno_name(errs[N_NAMESPACES]));
		return;
	}
	if (errs[0]) {
		g_autoptr(GString) why = g_string_new(NULL);
		if (errs[0] == EINVAL || errs[0] == ENOSYS)
			g_string_append_printf(why, "unshare(CLONE_NEWUSER) fails with %s: not in this "
			                       "kernel (CONFIG_USER_NS)", errno_name(errs[0]));
		else
			g_string_append_printf(why, "an ordinary user's unshare(CLONE_NEWUSER) fails "
			                       "with %s", errno_name(errs[0]));
		append_userns_switches(why);
		set_result(r, KERNEL_FEATURE_ABSENT, "%s", why->str);
		return;
	}
	g_autoptr(GString) inside = g_string_new(NULL), refused = g_string_new(NULL);
	for (gsize i = 1; i < N_NAMESPACES; i++) {
		if (!errs[i])
			g_string_append_printf(inside, "%s%s", inside->len ? ", " : "", namespaces[i].name);
		else
			g_string_append_printf(refused, "%s%s (%s)", refused->len ? ", " : "",
			                       namespaces[i].name, errno_name(errs[i]));
	}
	set_result(r, KERNEL_FEATURE_PRESENT, "an ordinary user may unshare one; inside it: %s%s%s",
	           inside->len ? inside->str : "nothing else", refused->len ? "; refused: " : "",
	           refused->str);
}
