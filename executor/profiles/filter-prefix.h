/* filter-prefix.h — the executor's own first instructions of every filter:
 * a call that sends a signal (syscalls/signal-calls.h: kill, tgkill, ... with
 * a signal other than 0, fcntl F_SETSIG, a sigevent) reaches the executor
 * by user notification whatever the profile says; every other call goes on
 * to libseccomp's program, the profile's. The executor then applies the
 * profile to it (filter_decide) and records what the child sent, so that a
 * death by SIGXCPU, SIGSYS or SIGXFSZ the child raised itself is never read
 * as the kernel's limit or kill rule.
 *
 * Why not a libseccomp rule: the profile may already have a rule for
 * tgkill, and libseccomp does not say which of two overlapping rules of one
 * syscall wins; a prefix decides first, and the executor applies the
 * profile's rule itself. Only the native ABI is looked at here: any other
 * falls through to libseccomp's bad-arch action.
 *
 * Then the child's own calls while it takes its job and loads it, on
 * descriptor numbers that are fixed (protocol/child-protocol.h): the
 * loader's reads, mappings and closes of the object's descriptor, adding
 * rules to Landlock's loading ruleset, closing everything above 3, lowering
 * its descriptor limit; and, where Landlock follows loading, the loader's
 * openat. These are allowed in the kernel, with no round trip to the
 * executor; filter-prefix.c says why each is safe after loading too. */
#ifndef EXPERT_EXEC_FILTER_PREFIX_H
#define EXPERT_EXEC_FILTER_PREFIX_H

#include <glib.h>
#include <linux/filter.h>

/* What of the child's own calls the prefix lets through. */
typedef struct {
	int loader_fd;           /* the loader's descriptor, or -1: its calls are notified */
	gboolean loader_opens;   /* the loader's openat too (Landlock follows loading) */
	/* A run with a fault injected (inject/inject-plan.h): a write to a
	 * descriptor from CHILD_FD_FIRST_GRANTED up, where output captures are,
	 * reaches the executor too, which lets it through or fails it with
	 * ENOSPC. Ordinary runs never pay for it. */
	gboolean watch_output_writes;
} FilterChildCalls;

/* The instructions, ending where libseccomp's program begins (every jump
 * out of the prefix lands on the instruction right after it). Newly
 * allocated; *n set to their count. */
struct sock_filter *filter_prefix_build(const FilterChildCalls *options, guint *n);

/* The same, in the style of libseccomp's pseudo-code, for `profile show
 * --bpf` (newly allocated). */
char *filter_prefix_describe(const FilterChildCalls *options);

/* The calls that write to a descriptor, which watch_output_writes hands
 * over: bytes_arg is the argument holding the byte count, or -1 for the
 * vector forms (whose count is in the child's memory). */
typedef struct {
	int nr;
	const char *name;
	int bytes_arg;
} OutputWriteCall;

/* The call's entry if nr writes to a descriptor of a granted output (fd,
 * args[0], at least CHILD_FD_FIRST_GRANTED), else NULL. */
const OutputWriteCall *filter_output_write_call(int nr, const guint64 args[6]);

#endif /* EXPERT_EXEC_FILTER_PREFIX_H */
