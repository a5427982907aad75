/* exhaust.c — hostile experts that try to take more than their share:
 * memory past the quota by every road libc and the kernel offer, the
 * stack, descriptors, processes, CPU time past a limit it tries to shed,
 * and events past the profile's limit.
 *
 * Not here because tests/experts/misbehave.c has them: the memory API's
 * quota, CPU and wall-clock time, a status flood, fork(). Each run returns 0
 * only if its attack worked (hostile.h). */
#include "hostile.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>

/* Twice the default profile's 64M quota: getting this much is the attack
 * succeeding. */
#define GREED ((size_t)128 << 20)

/* Says how much it got, then returns 0 if that was GREED, 3 if refused. */
static int report_taken(ExpertKey *key, size_t taken, const char *huge)
{
	char num[24];
	ExpertEventDetail d[2] = { { "bytes", hostile_u64(num, taken) }, { "huge", huge } };
	expert_submit_event(key, EXPERT_SEVERITY_INFO, "taken", d, huge ? 2 : 1);
	return taken >= GREED ? 0 : 3;
}

/* Blocks below malloc's mmap threshold come from brk, which the profile
 * allows; RLIMIT_DATA (the quota) must stop it. Every page is touched, so
 * what is taken is really used. */
static int malloc_brk(ExpertKey *key)
{
	size_t taken = 0, block = 64 << 10;
	while (taken < GREED) {
		void *p = malloc(block);
		if (!p)
			break;
		memset(p, 0xA5, block);
		taken += block;
	}
	return report_taken(key, taken, NULL);
}

/* One terabyte of address space, reserving nothing: "granted" or
 * "refused". Address space alone is no memory, so it is only reported. */
static const char *map_huge(int flags)
{
	size_t size = (size_t)1 << 40;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, flags | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return "refused";
	munmap(p, size);
	return "granted";
}

/* Anonymous mappings of 16 MiB, each touched, until refused or GREED. */
static int map_until_refused(ExpertKey *key, int flags)
{
	const char *huge = map_huge(flags);
	size_t taken = 0, chunk = 16 << 20;
	while (taken < GREED) {
		void *p = mmap(NULL, chunk, PROT_READ | PROT_WRITE, flags, -1, 0);
		if (p == MAP_FAILED)
			break;
		memset(p, 0x5A, chunk);
		taken += chunk;
	}
	return report_taken(key, taken, huge);
}

static int mmap_private(ExpertKey *key)
{
	return map_until_refused(key, MAP_PRIVATE | MAP_ANONYMOUS);
}

/* Shared anonymous memory is shmem, not "data": RLIMIT_DATA does not count
 * it (the kernel counts only private writable mappings). */
static int mmap_shared(ExpertKey *key)
{
	return map_until_refused(key, MAP_SHARED | MAP_ANONYMOUS);
}

/* A grows-down mapping is "stack" to the kernel, not "data" either. */
static int mmap_growsdown(ExpertKey *key)
{
	return map_until_refused(key, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN);
}

/* Recursion with a frame the compiler cannot drop, until the stack limit
 * (SIGSEGV). Returns only if the stack grew to GREED. */
static volatile unsigned long depth;

__attribute__((noinline)) static unsigned long recurse(unsigned long n)
{
	volatile char frame[4096];
	frame[0] = (char)n;
	depth = n;
	if (n >= GREED / sizeof(frame)) /* the attack worked */
		return frame[0];
	return recurse(n + 1) + (unsigned long)frame[0];
}

static int stack_recursion(ExpertKey *key)
{
	(void)key;
	(void)recurse(0);
	return 0;
}

/* Descriptors: dup is not allowed at all. */
static int dup_loop(ExpertKey *key)
{
	(void)key;
	for (int i = 0; i < 100000; i++)
		if (dup(0) < 0)
			return 2;
	return 0;
}

/* A fork bomb through the raw clone syscall, bypassing libc's fork. Every
 * child that got through would do the same. */
static int fork_bomb(ExpertKey *key)
{
	(void)key;
	int made = 0;
	for (int i = 0; i < 1000; i++) {
		long pid = syscall(SYS_clone, (long)SIGCHLD, 0L, 0L, 0L, 0L);
		if (pid > 0)
			made++;
	}
	return made ? 0 : 2;
}

/* CPU past the limit by ignoring the soft limit's SIGXCPU: the hard limit,
 * a second later, is SIGKILL, which cannot be ignored. */
static volatile unsigned long spins;

static int ignore_sigxcpu(ExpertKey *key)
{
	(void)key;
	signal(SIGXCPU, SIG_IGN);
	for (;;)
		spins++;
	return 0;
}

/* Or by raising the limit itself (setrlimit is prlimit64 in glibc). */
static int raise_rlimit(ExpertKey *key)
{
	(void)key;
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	return setrlimit(RLIMIT_CPU, &unlimited) == 0 ? 0 : 2;
}

/* Events written raw to the channel, past libexpert's count of the
 * profile's limit: the executor must count them itself. */
static int flood_events(ExpertKey *key)
{
	(void)key;
	for (int i = 0; i < 1000; i++)
		hostile_send_event("flood", "i", "x");
	hostile_wait(5);
	return 0;
}

static const HostileBehaviour behaviours[] = {
	{ "malloc-brk", malloc_brk },
	{ "mmap-private", mmap_private },
	{ "mmap-shared", mmap_shared },
	{ "mmap-growsdown", mmap_growsdown },
	{ "stack-recursion", stack_recursion },
	{ "dup-loop", dup_loop },
	{ "ignore-sigxcpu", ignore_sigxcpu },
	{ "raise-rlimit", raise_rlimit },
	{ "fork-bomb", fork_bomb },
	{ "flood-events", flood_events },
};

HOSTILE_ENTRY_POINTS(behaviours)
