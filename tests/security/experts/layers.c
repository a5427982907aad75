/* layers.c — hostile experts against the layers under the filter: a
 * constructor reading files its uid may read (Landlock, the empty root),
 * expert_run finding host paths with stat (the empty root), looking for
 * other processes by pid (the pid namespace), reaching the network, the
 * host's name, and another job's SysV shared memory (the network, UTS and
 * IPC namespaces). Each reports what it saw as an event, for the test to
 * compare with the layers the run says are in effect
 * (tests/security/test-hostile.c). Run under tests/security/profiles/
 * layers.profile, which lets the calls through so that the layer under the
 * filter is what answers. Each run returns 0 only if its attack worked
 * (hostile.h). */
#include "hostile.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <netinet/in.h>
#include <arpa/inet.h>

/* Shared by ipc-holder and ipc-finder. */
#define IPC_KEY 0x45584543

static void report(ExpertKey *key, const char *text, const char *k, const char *v)
{
	ExpertEventDetail d = { k, v };
	expert_submit_event(key, EXPERT_SEVERITY_INFO, text, &d, 1);
}

static void report_errno(ExpertKey *key, const char *text, int err)
{
	char num[24];
	report(key, text, "errno", hostile_u64(num, (uint64_t)err));
}

/* ---- files, while loading -------------------------------------------------- */

/* errno of the constructor's read (0: it read something), or -1. */
static int ctor_errno __attribute__((unused)) = -1;

static void __attribute__((unused)) read_file(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ctor_errno = errno;
		return;
	}
	ssize_t n = read(fd, buf, sizeof(buf));
	ctor_errno = n > 0 ? 0 : n < 0 ? errno : EIO;
	close(fd);
}

#ifdef BEHAVIOUR_CTOR_READ_PASSWD
/* Readable by every uid: only a layer under the filter refuses it. */
__attribute__((constructor)) static void ctor(void)
{
	read_file("/etc/passwd");
}
#endif
#ifdef BEHAVIOUR_CTOR_READ_SHADOW
__attribute__((constructor)) static void ctor(void)
{
	read_file("/etc/shadow");
}
#endif
#ifdef BEHAVIOUR_CTOR_READ_PROC
/* A file that exists in the job's own root (its /proc): only Landlock,
 * which allows the object and its libraries alone, refuses it. */
__attribute__((constructor)) static void ctor(void)
{
	read_file("/proc/self/status");
}
#endif
#ifdef BEHAVIOUR_CTOR_READ_TMP
__attribute__((constructor)) static void ctor(void)
{
	read_file(HOSTILE_TMP_SECRET);
}
#endif

static int ctor_read(ExpertKey *key)
{
	report_errno(key, "read", ctor_errno);
	return ctor_errno == 0 ? 0 : 2;
}

/* After loading, Landlock allows no file at all: not even its own
 * /proc/self/status, which the empty root still holds. */
static int open_after_load(ExpertKey *key)
{
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	report_errno(key, "open", fd >= 0 ? 0 : errno);
	return fd >= 0 ? 0 : 2;
}

/* ---- host paths, after loading ---------------------------------------------- */

static int stat_host_paths(ExpertKey *key)
{
	static const char *const paths[] = {
		"/etc/passwd", "/etc", "/usr", "/tmp", HOSTILE_TMP_SECRET, "/proc/1/status",
	};
	char found[256] = "";
	size_t len = 0;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct stat st;
		if (stat(paths[i], &st) != 0 || len + strlen(paths[i]) + 2 >= sizeof(found))
			continue;
		if (len)
			found[len++] = ',';
		strcpy(found + len, paths[i]);
		len += strlen(paths[i]);
	}
	report(key, "stat", "found", found);
	return len ? 0 : 2;
}

/* ---- processes ------------------------------------------------------------------ */

/* tgkill with signal 0 tells a process it may not signal (EPERM) from none
 * (ESRCH). Scans the low pids and those around `near`, the test's own
 * (the executor is its child, the zygote the executor's). */
static bool exists(long pid)
{
	return syscall(SYS_tgkill, pid, pid, 0) == 0 || errno == EPERM;
}

static int pid_scan(ExpertKey *key)
{
	const char *near_text = expert_config_get(key, "near");
	long near = near_text ? strtol(near_text, NULL, 10) : 0;
	char found[256] = "";
	size_t len = 0;
	bool other = false;
	long self = (long)getpid();
	for (long pid = 1; pid < near + 4096; pid++) {
		if (pid == 4096 && near > 4096 + 64)
			pid = near - 64;
		if (!exists(pid))
			continue;
		other = other || (pid != self && pid != 1);
		char num[24];
		hostile_u64(num, (uint64_t)pid);
		if (len + strlen(num) + 2 < sizeof(found)) {
			if (len)
				found[len++] = ',';
			strcpy(found + len, num);
			len += strlen(num);
		}
	}
	char num[24];
	ExpertEventDetail d[2] = { { "self", hostile_u64(num, (uint64_t)self) }, { "found", found } };
	expert_submit_event(key, EXPERT_SEVERITY_INFO, "pids", d, 2);
	return other ? 0 : 2;
}

/* ---- network, name, IPC --------------------------------------------------------- */

/* A UDP connect to the loopback only picks a route: it succeeds wherever
 * there is one. */
static int net_probe(ExpertKey *key)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		report_errno(key, "socket", errno);
		return 3;
	}
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(53) };
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int r = connect(fd, (struct sockaddr *)&to, sizeof(to));
	report_errno(key, "connect", r == 0 ? 0 : errno);
	return r == 0 ? 0 : 2;
}

static int uts_name(ExpertKey *key)
{
	struct utsname u;
	if (uname(&u) != 0)
		return 3;
	report(key, "uname", "nodename", u.nodename);
	return 2;
}

/* Makes a segment under a fixed key, keeps it while its sibling looks,
 * then removes it and does honest work. */
static int ipc_holder(ExpertKey *key)
{
	int id = shmget(IPC_KEY, 4096, IPC_CREAT | IPC_EXCL | 0600);
	report_errno(key, "shmget", id >= 0 ? 0 : errno);
	hostile_wait(3);
	if (id >= 0)
		shmctl(id, IPC_RMID, NULL);
	return hostile_count_frames(key);
}

static int ipc_finder(ExpertKey *key)
{
	hostile_wait(1);
	int id = shmget(IPC_KEY, 0, 0);
	int err = id >= 0 ? 0 : errno;
	report_errno(key, "shmget", err);
	/* EACCES: it is there, only not ours to attach. */
	return err == 0 || err == EACCES ? 0 : 2;
}

static const HostileBehaviour behaviours[] = {
	{ "ctor-read-passwd", ctor_read },
	{ "ctor-read-shadow", ctor_read },
	{ "ctor-read-tmp", ctor_read },
	{ "ctor-read-proc", ctor_read },
	{ "open-after-load", open_after_load },
	{ "stat-host-paths", stat_host_paths },
	{ "pid-scan", pid_scan },
	{ "net-probe", net_probe },
	{ "uts-name", uts_name },
	{ "ipc-holder", ipc_holder },
	{ "ipc-finder", ipc_finder },
};

HOSTILE_ENTRY_POINTS(behaviours)
