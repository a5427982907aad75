/* misbehave.c — test experts that fail in one way each.
 *
 * Built once per behaviour (tests/experts/meson.build passes
 * -DBEHAVIOUR="name"); the module runs that behaviour from its run entry
 * point, or from a constructor for the "ctor-" ones, which must be caught by
 * the filter installed before dlopen. Each is what a buggy or hostile expert
 * would really do; the integration test asserts the outcome of each. */
#include "expert.h"
#include "wire.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef BEHAVIOUR
#error "build with -DBEHAVIOUR=\"name\""
#endif

#define CHANNEL_FD 3

static volatile int sink;

/* ---- behaviours --------------------------------------------------------- */

static int well_behaved(ExpertKey *key)
{
	ExpertFrame frame;
	uint64_t n = 0;
	while (expert_get_next_frame(key, &frame) == EXPERT_OK)
		n++;
	char text[32];
	int len = 0;
	for (uint64_t v = n; len == 0 || v; v /= 10)
		text[len++] = (char)('0' + v % 10);
	for (int i = 0; i < len / 2; i++) {
		char c = text[i];
		text[i] = text[len - 1 - i];
		text[len - 1 - i] = c;
	}
	text[len] = '\0';
	ExpertEventDetail d = { "frames", text };
	return expert_submit_event(key, EXPERT_SEVERITY_INFO, "counted", &d, 1) == EXPERT_OK ? 0 : 1;
}

static int segfault(ExpertKey *key)
{
	(void)key;
	volatile int *volatile p = NULL;
	*p = 1;
	return 0;
}

static int call_abort(ExpertKey *key)
{
	(void)key;
	abort();
}

static int open_socket(ExpertKey *key)
{
	(void)key;
	return socket(AF_INET, SOCK_STREAM, 0) >= 0 ? 0 : 2;
}

/* The same call without libc's socket wrapper: the filter sees the same
 * number, whoever makes the call. */
static int syscall_socket(ExpertKey *key)
{
	(void)key;
	return syscall(SYS_socket, AF_INET, SOCK_STREAM, 0) >= 0 ? 0 : 2;
}

/* The syscall instruction in the expert's own code: the violation's location
 * must then name this object and function. */
__attribute__((noinline)) static int asm_socket(ExpertKey *key)
{
	(void)key;
	long ret = SYS_socket;
	__asm__ volatile("syscall"
	                 : "+a"(ret)
	                 : "D"((long)AF_INET), "S"((long)SOCK_STREAM), "d"(0L)
	                 : "rcx", "r11", "memory");
	return ret >= 0 ? 0 : 2;
}

/* The x32 ABI: the same socket(2), number 41 with __X32_SYSCALL_BIT set.
 * Returns 0 only if the kernel made the socket, i.e. the filter let an x32
 * call through. */
static int x32_socket(ExpertKey *key)
{
	(void)key;
	long ret = 0x40000000L | SYS_socket;
	__asm__ volatile("syscall"
	                 : "+a"(ret)
	                 : "D"((long)AF_INET), "S"((long)SOCK_STREAM), "d"(0L)
	                 : "rcx", "r11", "memory");
	return ret >= 0 ? 0 : 2;
}

/* The i386 ABI through int $0x80 (available to 64-bit processes when the
 * kernel has IA32 emulation): number is i386's, arguments in ebx, ecx, edx.
 * Returns what the call returned, or 2 for an error. */
static int int80(long number, long a, long b, long c)
{
	long ret = number;
	__asm__ volatile("int $0x80"
	                 : "+a"(ret)
	                 : "b"(a), "c"(b), "d"(c)
	                 : "r8", "r9", "r10", "r11", "memory");
	return ret >= 0 ? 0 : 2;
}

/* i386 socket is 359: 0 if the socket was made (the filter was bypassed). */
static int int80_socket(ExpertKey *key)
{
	(void)key;
	return int80(359, AF_INET, SOCK_STREAM, 0);
}

/* i386 getpid is 20, a call the profile allows natively: the whole i386 ABI
 * must be refused, not only what the native rules forbid. */
static int int80_getpid(ExpertKey *key)
{
	(void)key;
	return int80(20, 0, 0, 0);
}

/* A software interrupt no kernel gives user code: a general protection
 * fault, SIGSEGV with si_code SI_KERNEL, at the int instruction. The same
 * path int $0x80 takes on a kernel without 32-bit emulation, so the report
 * of that case (the runtime's FAULT message, the executor's detail) runs
 * for real on every kernel. */
static int int81(ExpertKey *key)
{
	(void)key;
	long ret = 0;
	__asm__ volatile("int $0x81" : "+a"(ret) : : "memory");
	return 0;
}

/* SIGILL from the instruction made to be undefined. */
static int ud2(ExpertKey *key)
{
	(void)key;
	__asm__ volatile("ud2" : : : "memory");
	return 0;
}

/* clone3 passes its flags in memory the filter cannot read, so profiles
 * answer it ENOSYS (libc then falls back to clone). 0 if it did, 2 if it
 * returned anything else; a child it made by mistake leaves at once. */
static int call_clone3(ExpertKey *key)
{
	(void)key;
	uint64_t args[11] = { 0 };
	args[4] = SIGCHLD; /* struct clone_args: exit_signal */
	errno = 0;
	long ret = syscall(SYS_clone3, args, sizeof(args));
	if (ret == 0)
		_exit(3);
	return ret < 0 && errno == ENOSYS ? 0 : 2;
}

static int call_execve(ExpertKey *key)
{
	(void)key;
	char *argv[] = { "/bin/sh", "-c", "echo escaped", NULL };
	char *envp[] = { NULL };
	execve("/bin/sh", argv, envp);
	return 2;
}

static int call_fork(ExpertKey *key)
{
	(void)key;
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	return pid > 0 ? 0 : 2;
}

static int loop_forever(ExpertKey *key)
{
	(void)key;
	for (;;)
		sink++;
	return 0;
}

static int sleep_forever(ExpertKey *key)
{
	(void)key;
	for (;;) {
		struct timespec ts = { 3600, 0 };
		nanosleep(&ts, NULL);
	}
	return 0;
}

/* Allocates until refused; a careful expert then gives up with an error. */
static int exhaust_quota(ExpertKey *key)
{
	void *p;
	for (int i = 0; i < 1000000; i++) {
		ExpertError e = expert_alloc_memory(key, 64 * 1024, &p);
		if (e == EXPERT_ERR_NO_MEMORY)
			return 3;
		if (e != EXPERT_OK)
			return 4;
		memset(p, 0xA5, 64 * 1024);
	}
	return 0; /* never reached under any shipped quota */
}

/* Writes past the end of a block over its neighbour's header, then frees the
 * neighbour: the heap must notice rather than follow the forged metadata. */
static int overflow_block(ExpertKey *key)
{
	char *a, *b;
	if (expert_alloc_memory(key, 48, (void **)&a) || expert_alloc_memory(key, 48, (void **)&b))
		return 4;
	memset(a, 0x41, (size_t)(b - a) + 16);
	expert_free_memory(key, b);
	return 0;
}

/* Frees pointers that are no live block: each must be refused, not obeyed. */
static int bogus_free(ExpertKey *key)
{
	char *a;
	int local;
	if (expert_alloc_memory(key, 100, (void **)&a))
		return 4;
	if (expert_free_memory(key, &local) != EXPERT_ERR_INVALID_POINTER)
		return 5;
	if (expert_free_memory(key, a + 16) != EXPERT_ERR_INVALID_POINTER)
		return 6;
	if (expert_free_memory(key, a) != EXPERT_OK)
		return 7;
	if (expert_free_memory(key, a) != EXPERT_ERR_INVALID_POINTER)
		return 8; /* double free */
	return 0;
}

static int garbage_message(ExpertKey *key)
{
	(void)key;
	static const char junk[] = "\x01\x00\x05\x00\xff\xff\xff\xffnot a message";
	(void)!write(CHANNEL_FD, junk, sizeof(junk));
	struct timespec ts = { 5, 0 };
	nanosleep(&ts, NULL);
	return 0;
}

static int oversized_message(ExpertKey *key)
{
	(void)key;
	static char big[3 * WIRE_MAX_MESSAGE];
	memset(big, 'x', sizeof(big));
	(void)!write(CHANNEL_FD, big, sizeof(big));
	struct timespec ts = { 5, 0 };
	nanosleep(&ts, NULL);
	return 0;
}

static int close_channel(ExpertKey *key)
{
	(void)key;
	close(CHANNEL_FD);
	struct timespec ts = { 5, 0 };
	nanosleep(&ts, NULL);
	return 0;
}

static int flood_status(ExpertKey *key)
{
	for (int i = 0; i < 1000000; i++)
		if (expert_indicate_status(key, EXPERT_STATE_RUNNING, 1, "busy") != EXPERT_OK)
			return 3;
	return 0;
}

/* Claims success on the channel, then crashes: the kernel's word wins. */
static int forge_finished(ExpertKey *key)
{
	(void)key;
	uint8_t buf[64];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_FINISHED);
	wire_put_u8(&w, WIRE_STAGE_RUN);
	wire_put_u32(&w, 0);
	wire_put_u64(&w, 999);
	size_t len = wire_finish(&w);
	(void)!write(CHANNEL_FD, buf, len);
	return segfault(key);
}

/* Says why it failed (expert_fail) twice, which libexpert never sends:
 * the second is a protocol violation. */
static int fail_twice(ExpertKey *key)
{
	expert_fail(key, "the first reason");
	uint8_t buf[64];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_FAIL);
	wire_put_str(&w, "a second reason", WIRE_MAX_STRING);
	size_t len = wire_finish(&w);
	(void)!write(CHANNEL_FD, buf, len);
	return 1;
}

/* Starts an output capture, writes some frames, then crashes: the executor
 * must remove the half-written file. */
static int abandon_output(ExpertKey *key)
{
	/* Named by pid: a storm runs several of these at once into one output
	 * directory, and the executor never replaces an existing file. */
	char name[48];
	snprintf(name, sizeof(name), "abandoned-%d.pcap", (int)getpid());
	ExpertOutput *out = NULL;
	if (expert_create_output(key, name, EXPERT_OUTPUT_PCAP, 1, &out) != EXPERT_OK)
		return 2;
	ExpertFrame frame;
	for (int i = 0; i < 20 && expert_get_next_frame(key, &frame) == EXPERT_OK; i++)
		expert_write_frame(key, out, &frame);
	return segfault(key);
}

/* ---- table and entry points --------------------------------------------- */

static const struct {
	const char *name;
	int (*run)(ExpertKey *key);
} behaviours[] = {
	{ "well-behaved", well_behaved },
	{ "segfault", segfault },
	{ "abort", call_abort },
	{ "socket", open_socket },
	{ "execve", call_execve },
	{ "fork", call_fork },
	{ "loop-forever", loop_forever },
	{ "sleep-forever", sleep_forever },
	{ "exhaust-quota", exhaust_quota },
	{ "overflow-block", overflow_block },
	{ "bogus-free", bogus_free },
	{ "garbage-message", garbage_message },
	{ "oversized-message", oversized_message },
	{ "close-channel", close_channel },
	{ "flood-status", flood_status },
	{ "forge-finished", forge_finished },
	{ "fail-twice", fail_twice },
	{ "syscall-socket", syscall_socket },
	{ "asm-socket", asm_socket },
	{ "x32-socket", x32_socket },
	{ "int80-socket", int80_socket },
	{ "int80-getpid", int80_getpid },
	{ "clone3", call_clone3 },
	{ "int81", int81 },
	{ "ud2", ud2 },
	{ "abandon-output", abandon_output },
	{ "ctor-socket", open_socket },
	{ "ctor-open-write", NULL },
	{ "register-refuses", NULL },
	{ "register-hangs", NULL },
};

static int (*find(const char *name))(ExpertKey *)
{
	for (size_t i = 0; i < sizeof(behaviours) / sizeof(behaviours[0]); i++)
		if (strcmp(behaviours[i].name, name) == 0)
			return behaviours[i].run;
	return NULL;
}

/* Runs during dlopen, before any entry point: the sandbox must already hold. */
__attribute__((constructor)) static void misbehave_early(void)
{
	if (strcmp(BEHAVIOUR, "ctor-socket") == 0)
		sink = open_socket(NULL);
	if (strcmp(BEHAVIOUR, "ctor-open-write") == 0)
		sink = open("/tmp/expert-escaped", O_WRONLY | O_CREAT, 0644);
}

bool expert_register(ExpertInfo *info)
{
	strcpy(info->name, "misbehave: " BEHAVIOUR);
	strcpy(info->vendor, "expert-exec tests");
	strcpy(info->description, "A test expert that fails in one way: " BEHAVIOUR);
	info->version = EXPERT_VERSION(1, 0);
	if (strcmp(BEHAVIOUR, "register-refuses") == 0)
		return false;
	if (strcmp(BEHAVIOUR, "register-hangs") == 0)
		sleep_forever(NULL);
	return true;
}

int expert_run(ExpertKey *key)
{
	int (*run)(ExpertKey *) = find(BEHAVIOUR);
	return run ? run(key) : well_behaved(key);
}
