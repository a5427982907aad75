/* fault.c — the child's last word when an instruction faults.
 *
 * The executor sees a dead child only through the kernel's wait status:
 * "killed by SIGSEGV", nothing of where or why, since the registers die with
 * the process. So, before the expert's code runs, the child's setup installs
 * this handler for the signals an instruction raises (SIGSEGV, SIGBUS,
 * SIGILL, SIGFPE). It sends one FAULT message (wire.h) with the signal,
 * si_code, si_addr, the instruction pointer from the ucontext and the bytes
 * of code there, then lets the signal end the process exactly as it would
 * have without a handler. The executor takes the message as the child's
 * claim, never as a fact.
 *
 * Everything here runs in a signal handler, under the seccomp filter: no
 * libc beyond raw calls, and only calls every shipped profile allows
 * (sendmsg on the channel, tgkill and rt_sigreturn of @expert-runtime). */
#include "runtime.h"
#include "wire.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

static const int fault_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE };

static int fault_channel = -1;
static pid_t fault_pid;
/* Its own stack: the fault may be a stack overflow. Far above the kernel's
 * minimum for a signal frame with the largest vector state. */
static uint8_t fault_stack[64 * 1024] __attribute__((aligned(64)));

static uintptr_t instruction_pointer(const void *context)
{
	const ucontext_t *uc = context;
#if defined(__x86_64__)
	return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__i386__)
	return (uintptr_t)uc->uc_mcontext.gregs[REG_EIP];
#elif defined(__aarch64__)
	return (uintptr_t)uc->uc_mcontext.pc;
#else
	(void)uc;
	return 0;
#endif
}

static void on_fault(int sig, siginfo_t *info, void *context)
{
	int saved_errno = errno;
	uintptr_t ip = instruction_pointer(context);
	/* The code bytes are read by the kernel, not by us: sendmsg gathers
	 * them straight from ip and fails with EFAULT where they are not
	 * readable (then they are left out). Up to the end of ip's page, which
	 * is readable if ip's byte is. */
	size_t n = ip ? 4096 - (ip & 4095) : 0;
	if (n > WIRE_FAULT_BYTES)
		n = WIRE_FAULT_BYTES;
	static const uint8_t placeholder[WIRE_FAULT_BYTES];
	for (;;) {
		uint8_t buf[64];
		WireWriter w;
		wire_begin(&w, buf, sizeof(buf), WIRE_FAULT);
		wire_put_u8(&w, (uint8_t)sig);
		wire_put_u32(&w, (uint32_t)info->si_code);
		wire_put_u64(&w, (uint64_t)(uintptr_t)info->si_addr);
		wire_put_u64(&w, ip);
		wire_put_bytes(&w, placeholder, (uint8_t)n);
		size_t len = wire_finish(&w);
		if (len == 0)
			break;
		struct iovec iov[2] = { { buf, len - n }, { (void *)ip, n } };
		struct msghdr msg = { .msg_iov = iov, .msg_iovlen = n ? 2 : 1 };
		/* Never block: a full channel loses the report, not the death. */
		if (sendmsg(fault_channel, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0 || errno != EFAULT ||
		    n == 0)
			break;
		n = 0;
	}
	/* SA_RESETHAND restored the default action. A faulting instruction
	 * would fault again on return, but a signal sent by a process would
	 * not come back: queue it, so it ends the process either way. It is
	 * blocked until this handler returns. */
	syscall(SYS_tgkill, fault_pid, fault_pid, sig);
	errno = saved_errno;
}

int expert_runtime_catch_faults(int channel_fd)
{
	fault_channel = channel_fd;
	fault_pid = getpid(); /* one thread: the pid is the thread's id */
	stack_t stack = { .ss_sp = fault_stack, .ss_size = sizeof(fault_stack), .ss_flags = 0 };
	if (sigaltstack(&stack, NULL) < 0)
		return -errno;
	struct sigaction sa = {
		.sa_sigaction = on_fault,
		.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND,
	};
	/* Nothing interrupts the report. */
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(fault_signals) / sizeof(fault_signals[0]); i++)
		if (sigaction(fault_signals[i], &sa, NULL) < 0)
			return -errno;
	return 0;
}
