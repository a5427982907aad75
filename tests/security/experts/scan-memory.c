/* scan-memory.c — reads every byte of its own address space and reports
 * which secrets it found there.
 *
 * DESIGN.md: a child's memory holds nothing of the executor's beyond its
 * job — no environment, no other job's data, no command-line secrets. The
 * test (tests/security/test-hostile.c) plants secrets that all begin with
 * XYZZY- and a marker, each followed by random letters the scanner does not
 * know: its own configuration (which it must find, or the scan proves
 * nothing), another job's configuration, the executor's command line and
 * its environment. The scanner reports, per marker, the first whole secret
 * it found; the test compares them with what it planted. It also counts the
 * run's frame filter expression, which only the executor ever had as text.
 *
 * It cannot read /proc/self/maps: after loading, no file is its to open
 * (Landlock, or an empty root). So it finds its mappings the way a hostile
 * expert would, by asking the kernel about ranges of addresses: a range
 * into which a new mapping fits without replacing one (MAP_FIXED_NOREPLACE)
 * holds nothing; one msync() accepts is mapped through; any other is
 * halved. Its profile (tests/security/profiles/scan.profile) allows msync.
 *
 * It also reports the descriptors it holds beyond 0-3 (fstat answers for
 * them) and how many variables its environment has: a child that served
 * another job before, or was handed one's leftovers, would show them. */
#include "hostile.h"

#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>

extern char **environ;

/* Written backwards, so the object's own read-only data does not hold them
 * forwards; turned round at run time into `needles`, which the scan skips. */
static const char *const reversed[] = {
	"-NWO-YZZYX", "-REHTO-YZZYX", "-VGRA-YZZYX", "-VNE-YZZYX", "77.88.99.01 tsoh",
};
static const char *const names[] = { "own", "other", "argv", "env" };
#define N_SECRETS 4
#define FILTER_NEEDLE 4
#define N_NEEDLES 5
#define TAIL_MAX 48

static char needles[N_NEEDLES][32];
static char found[N_SECRETS][64];
static uint64_t filter_hits, mappings, bytes, faults;
static sigjmp_buf on_fault;

static void fault_handler(int sig)
{
	(void)sig;
	siglongjmp(on_fault, 1);
}

static bool is_tail_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Looks for every needle at p (end is the end of readable memory). */
static void match_at(const char *p, const char *end)
{
	for (int n = 0; n < N_NEEDLES; n++) {
		size_t len = strlen(needles[n]);
		if ((size_t)(end - p) < len || memcmp(p, needles[n], len) != 0)
			continue;
		if (n == FILTER_NEEDLE) {
			filter_hits++;
			continue;
		}
		/* A secret is the marker and at least 8 random characters. */
		size_t tail = 0;
		while (p + len + tail < end && tail < TAIL_MAX && is_tail_char(p[len + tail]))
			tail++;
		if (tail >= 8 && !found[n][0])
			memcpy(found[n], p, len + tail);
	}
}

/* Scans one page; a page that faults (a hole past the end of a file, a
 * guard page) is counted and skipped. */
__attribute__((noinline)) static void scan_page(uintptr_t page_arg, uintptr_t end_arg)
{
	/* Volatile: they are read again after a fault's siglongjmp. */
	const char *volatile page = (const char *)page_arg;
	const char *volatile end = (const char *)end_arg;
	if (sigsetjmp(on_fault, 1)) {
		faults++;
		return;
	}
	const char *skip_from = (const char *)needles, *skip_to = skip_from + sizeof(needles);
	for (const char *p = page; p < page + 4096; p++) {
		if ((*p != 'X' && *p != 'h') || (p >= skip_from && p < skip_to))
			continue;
		match_at(p, end);
	}
	bytes += 4096;
}

static void scan(uintptr_t start, uintptr_t end)
{
	for (uintptr_t page = start; page < end; page += 4096)
		scan_page(page, end);
}

/* The user address space of x86-64 with 4-level page tables. */
#define SPACE_START ((uintptr_t)0x10000)
#define SPACE_END ((uintptr_t)1 << 47)
#define PAGE ((uintptr_t)4096)

static bool range_free(uintptr_t start, uintptr_t end)
{
	void *want;
	memcpy(&want, &start, sizeof(want));
	void *got = mmap(want, end - start, PROT_NONE,
	                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);
	if (got == MAP_FAILED)
		return false;      /* EEXIST: something is there; ENOMEM: too big to try */
	munmap(got, end - start);
	return got == want;
}

static bool range_mapped(uintptr_t start, uintptr_t end)
{
	void *addr;
	memcpy(&addr, &start, sizeof(addr));
	return msync(addr, end - start, MS_ASYNC) == 0;
}

/* Scans what is mapped in [start, end), both page-aligned. */
static void scan_mapped(uintptr_t start, uintptr_t end)
{
	if (range_free(start, end))
		return;
	if (range_mapped(start, end)) {
		mappings++;
		scan(start, end);
		return;
	}
	if (end - start == PAGE)
		return;
	uintptr_t mid = start + ((end - start) / PAGE / 2) * PAGE;
	scan_mapped(start, mid);
	scan_mapped(mid, end);
}

static int scan_memory(ExpertKey *key)
{
	for (int n = 0; n < N_NEEDLES; n++) {
		size_t len = strlen(reversed[n]);
		for (size_t i = 0; i < len; i++)
			needles[n][i] = reversed[n][len - 1 - i];
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fault_handler;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);

	/* Pages that cannot be read (guards, holes past a file's end, the
	 * kernel's vvar) fault, and are counted and skipped. "mappings" counts
	 * mapped runs as found, which may split one mapping in several. */
	scan_mapped(SPACE_START, SPACE_END);

	/* Descriptors: every number its limit allows. */
	char fds[128] = "";
	size_t fds_len = 0;
	struct rlimit rl;
	rlim_t limit = getrlimit(RLIMIT_NOFILE, &rl) == 0 ? rl.rlim_cur : 1024;
	for (int fd = 4; fd < (int)limit && fd < 4096; fd++) {
		struct stat st;
		if (fstat(fd, &st) != 0 || fds_len + 24 >= sizeof(fds))
			continue;
		char one[24];
		const char *text = hostile_u64(one, (uint64_t)fd);
		if (fds_len)
			fds[fds_len++] = ',';
		memcpy(fds + fds_len, text, strlen(text) + 1);
		fds_len += strlen(text);
	}
	uint64_t env_count = 0;
	for (char **e = environ; e && *e; e++)
		env_count++;

	char num[5][24];
	ExpertEventDetail d[N_SECRETS + 6];
	for (int n = 0; n < N_SECRETS; n++)
		d[n] = (ExpertEventDetail){ names[n], found[n] };
	d[N_SECRETS] = (ExpertEventDetail){ "filter", hostile_u64(num[0], filter_hits) };
	d[N_SECRETS + 1] = (ExpertEventDetail){ "mappings", hostile_u64(num[1], mappings) };
	d[N_SECRETS + 2] = (ExpertEventDetail){ "bytes", hostile_u64(num[2], bytes) };
	d[N_SECRETS + 3] = (ExpertEventDetail){ "faults", hostile_u64(num[3], faults) };
	d[N_SECRETS + 4] = (ExpertEventDetail){ "descriptors", fds };
	d[N_SECRETS + 5] = (ExpertEventDetail){ "environ", hostile_u64(num[4], env_count) };
	expert_submit_event(key, EXPERT_SEVERITY_INFO, "scanned", d, N_SECRETS + 6);
	/* The attack worked if anything not its own turned up. */
	for (int n = 1; n < N_SECRETS; n++)
		if (found[n][0])
			return 0;
	return filter_hits || fds_len || env_count ? 0 : 2;
}

static const HostileBehaviour behaviours[] = {
	{ "scan-memory", scan_memory },
};

HOSTILE_ENTRY_POINTS(behaviours)
