/* reach.c — hostile experts that reach for what is not theirs: files,
 * the network, descriptors they were not given, the shared capture, and
 * other processes through signals.
 *
 * Not here because tests/experts/misbehave.c has them: socket(AF_INET) and
 * opening a file for writing from a constructor. Each run returns 0 only if
 * its attack worked (hostile.h). */
#include "hostile.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>

static int open_path(const char *path, int flags)
{
	return open(path, flags) >= 0 ? 0 : 2;
}

static int open_shadow(ExpertKey *key)
{
	(void)key;
	return open_path("/etc/shadow", O_RDONLY);
}

/* Writing our own memory through /proc ignores page protections: the
 * classic way around a read-only mapping. */
static int open_proc_mem(ExpertKey *key)
{
	(void)key;
	return open_path("/proc/self/mem", O_RDWR);
}

static int open_init_environ(ExpertKey *key)
{
	(void)key;
	return openat(AT_FDCWD, "/proc/1/environ", O_RDONLY) >= 0 ? 0 : 2;
}

static int socket_of(int family, int type)
{
	return socket(family, type, 0) >= 0 ? 0 : 2;
}

static int socket_unix(ExpertKey *key)
{
	(void)key;
	return socket_of(AF_UNIX, SOCK_STREAM);
}

static int socket_netlink(ExpertKey *key)
{
	(void)key;
	return socket_of(AF_NETLINK, SOCK_RAW);
}

static int socket_packet(ExpertKey *key)
{
	(void)key;
	return socket_of(AF_PACKET, SOCK_RAW);
}

/* fstat is allowed (stdio needs it), so it can tell which descriptors
 * exist: only 0-2 (/dev/null) and 3 (the channel) may. Reports what it
 * found; returns 0 if it found anything else, 2 if not. */
static int fd_fstat(ExpertKey *key)
{
	char list[256] = "";
	size_t len = 0;
	int others = 0;
	for (int fd = 0; fd < 1024; fd++) {
		struct stat st;
		if (fstat(fd, &st) != 0)
			continue;
		if (fd > 3)
			others++;
		char num[24];
		hostile_u64(num, (uint64_t)fd);
		if (len + strlen(num) + 2 < sizeof(list)) {
			if (len)
				list[len++] = ',';
			strcpy(list + len, num);
			len += strlen(num);
		}
	}
	ExpertEventDetail d = { "open", list };
	expert_submit_event(key, EXPERT_SEVERITY_INFO, "descriptors", &d, 1);
	return others ? 0 : 2;
}

/* read and write of a descriptor that is not 0-3: refused before the kernel
 * would say whether it exists. */
static int fd_read(ExpertKey *key)
{
	(void)key;
	char buf[16];
	for (int fd = 5; fd <= 64; fd++)
		if (read(fd, buf, sizeof(buf)) >= 0)
			return 0;
	return 2;
}

static int fd_write(ExpertKey *key)
{
	(void)key;
	for (int fd = 5; fd <= 64; fd++)
		if (write(fd, "x", 1) == 1)
			return 0;
	return 2;
}

/* The capture is one mapping shared by every job of the run: a write to it
 * would change what the others read. */
static int write_capture(ExpertKey *key)
{
	ExpertFrame frame;
	if (expert_get_next_frame(key, &frame) != EXPERT_OK)
		return 3;
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)frame.data;
	*p = (uint8_t)(*p ^ 0xFF);
	return 0;
}

/* The filter allows mprotect without PROT_EXEC, so asking for PROT_WRITE on
 * the capture reaches the kernel: the capture is a write-sealed memfd
 * mapped shared and read-only, so the kernel must refuse. Reports the
 * errno; returns 0 only if the page became writable and the write stuck. */
static int mprotect_capture(ExpertKey *key)
{
	ExpertFrame frame;
	if (expert_get_next_frame(key, &frame) != EXPERT_OK)
		return 3;
	uintptr_t page = (uintptr_t)frame.data & ~(uintptr_t)4095;
	void *addr;
	memcpy(&addr, &page, sizeof(addr));
	int r = mprotect(addr, 4096, PROT_READ | PROT_WRITE);
	char num[24];
	ExpertEventDetail d = { "errno", hostile_u64(num, r == 0 ? 0 : (uint64_t)errno) };
	expert_submit_event(key, EXPERT_SEVERITY_INFO, "mprotect", &d, 1);
	if (r != 0)
		return 2;
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)frame.data;
	uint8_t old = *p;
	*p = (uint8_t)(old ^ 0xFF);
	return *p != old ? 0 : 4;
}

/* getppid() is not allowed: the expert does not even learn its parent. */
static int kill_parent(ExpertKey *key)
{
	(void)key;
	return kill(getppid(), SIGKILL) == 0 ? 0 : 2;
}

/* The zygote found another way (hostile_find_zygote), then kill(2). */
static int kill_zygote(ExpertKey *key)
{
	(void)key;
	return kill((pid_t)hostile_find_zygote(), SIGKILL) == 0 ? 0 : 2;
}

/* Every process the child's uid may signal: all the other jobs. */
static int kill_all(ExpertKey *key)
{
	(void)key;
	return kill(-1, SIGKILL) == 0 ? 0 : 2;
}

/* tgkill-sibling and its victim find each other with SIGURG, whose default
 * action is to do nothing: the attacker sends it to every pid it may signal
 * below its own (the victim was forked before it), the victim
 * answers its sender the same way, and only then does the attacker send
 * SIGKILL, to the one pid that answered. So the attack reaches the victim
 * and nothing else the uid may signal (a concurrent test's jobs, or, when
 * the executor is not root, the user's own processes). */
static volatile pid_t urg_from;

static void on_urg(int sig, siginfo_t *info, void *context)
{
	(void)sig;
	(void)context;
	if (!urg_from)
		urg_from = info->si_pid;
}

static void catch_urg(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_urg;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGURG, &sa, NULL);
}

/* Waits up to 20 s for a SIGURG, doing something else every 100 ms. */
static void await_urg(void (*each)(void))
{
	for (int i = 0; i < 200 && !urg_from; i++) {
		if (each)
			each();
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

/* Says its pid, answers the first SIGURG, then stays a few seconds more
 * before doing honest work. */
static int victim(ExpertKey *key)
{
	catch_urg();
	char num[24];
	ExpertEventDetail d = { "pid", hostile_u64(num, (uint64_t)getpid()) };
	expert_submit_event(key, EXPERT_SEVERITY_INFO, "victim", &d, 1);
	await_urg(NULL);
	if (urg_from)
		syscall(SYS_tgkill, (long)urg_from, (long)urg_from, SIGURG);
	hostile_wait(5);
	return hostile_count_frames(key);
}

/* Every pid below our own that we may signal gets a SIGURG. The window is
 * wide because other processes on the machine (a concurrent test forking
 * thousands of jobs) may take pids between the victim's fork and ours.
 * Signal 0 asks first: every call that sends a real signal is one the
 * executor decides, within the profile's notifications limits. */
static void probe_below(void)
{
	long self = (long)getpid();
	for (long pid = self - 1; pid > 1 && pid > self - 4096; pid--)
		if (syscall(SYS_tgkill, pid, pid, 0) == 0)
			syscall(SYS_tgkill, pid, pid, SIGURG);
}

/* The known gap (docs/architecture.md, "What is not promised (yet)"): every
 * job runs as the same uid and tgkill is allowed because abort() needs it,
 * so a job can kill another. Reports the pid it killed; 0 if the kill went
 * through, 3 if no sibling answered. */
static int tgkill_sibling(ExpertKey *key)
{
	catch_urg();
	/* Until the victim is up and answers (it may start later on a busy
	 * machine). */
	await_urg(probe_below);
	if (!urg_from)
		return 3;
	char num[24];
	ExpertEventDetail d = { "pid", hostile_u64(num, (uint64_t)urg_from) };
	expert_submit_event(key, EXPERT_SEVERITY_INFO, "sibling", &d, 1);
	return syscall(SYS_tgkill, (long)urg_from, (long)urg_from, SIGKILL) == 0 ? 0 : 2;
}

/* An honest expert with a secret in its configuration, which the scanner
 * (scan-memory.c) runs beside: the secret is put in its pool memory and its
 * libc heap as well, and it stays a while so the two run together. */
/* Its secret in its pool memory, its libc heap, its stack, its static
 * memory and its environment, while a scan runs beside it (two jobs at
 * once) or after it (the next job, in a child forked meanwhile). */
static char kept[128];

static int secret_holder(ExpertKey *key)
{
	const char *secret = expert_config_get(key, "secret");
	if (!secret)
		return 3;
	size_t n = strlen(secret) + 1;
	if (n > sizeof(kept))
		return 3;
	char *pooled, *heaped = malloc(n);
	volatile char stacked[128];
	if (expert_alloc_memory(key, n, (void **)&pooled) != EXPERT_OK || !heaped ||
	    setenv("EXPERT_HOSTILE_PLANTED", secret, 1) != 0)
		return 4;
	memcpy(pooled, secret, n);
	memcpy(heaped, secret, n);
	memcpy(kept, secret, n);
	for (size_t i = 0; i < n; i++)
		stacked[i] = secret[i];
	hostile_wait(2);
	int r = hostile_count_frames(key);
	return strcmp(pooled, heaped) == 0 && stacked[0] == secret[0] ? r : 5;
}

static const HostileBehaviour behaviours[] = {
	{ "secret-holder", secret_holder },
	{ "open-shadow", open_shadow },
	{ "open-proc-mem", open_proc_mem },
	{ "open-init-environ", open_init_environ },
	{ "socket-unix", socket_unix },
	{ "socket-netlink", socket_netlink },
	{ "socket-packet", socket_packet },
	{ "fd-fstat", fd_fstat },
	{ "fd-read", fd_read },
	{ "fd-write", fd_write },
	{ "write-capture", write_capture },
	{ "mprotect-capture", mprotect_capture },
	{ "kill-parent", kill_parent },
	{ "kill-zygote", kill_zygote },
	{ "kill-all", kill_all },
	{ "victim", victim },
	{ "tgkill-sibling", tgkill_sibling },
	{ "well-behaved", NULL },
};

HOSTILE_ENTRY_POINTS(behaviours)
