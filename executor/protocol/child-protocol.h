/* child-protocol.h — what the executor and its children agree on, in one
 * place: the messages between the executor and its fork server, the first
 * message of a job on its channel, the order of the descriptors each
 * carries, the fixed descriptor numbers inside a child, and how descriptors
 * are passed over a socket.
 *
 * Plain C over libc: the zygote (child/) links only libc and libexpert, and
 * the executor's jobs/, profiles/ (the filter names the channel and the
 * loader's descriptor by number) and violations/ (a descriptor named by
 * what it is) read it too.
 *
 * The executor starts `expert-zygote` (a fresh exec with an empty
 * environment) before any job exists. For each child it wants, ahead of any
 * job (pre-forking), it sends one ZygoteRequest with the descriptors every
 * job of one profile shares attached (SCM_RIGHTS, in ZygoteFd order): the
 * child's end of its channel, the capture, an empty pool region, the
 * profile's filter. The zygote forks, answers STARTED with a pidfd of the
 * child attached, and later EXITED with the wait status and resource usage.
 * The child sets itself up as far as no job is needed, filter included, and
 * waits on its channel; a job is then one ChildJob message there, with the
 * object and its libraries attached, and START. Both ends are ours, but the
 * zygote and the child still check sizes and descriptor counts.
 */
#ifndef EXPERT_EXEC_CHILD_PROTOCOL_H
#define EXPERT_EXEC_CHILD_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define ZYGOTE_PROTOCOL_VERSION 4
/* The zygote finds its socket here, as nsjail and Sandbox2 fix their fds. */
#define ZYGOTE_SOCKET_FD 3

/* The descriptors a child request carries, in this order. */
typedef enum {
	ZYGOTE_FD_CHANNEL = 0, /* child end of the child's SOCK_SEQPACKET pair */
	ZYGOTE_FD_CAPTURE,     /* the run's sealed capture memfd */
	ZYGOTE_FD_REGION,      /* the pool region memfd the child's job will use */
	ZYGOTE_FD_FILTER,      /* memfd holding the compiled BPF program */
	/* The capture file, read-only, with ZYGOTE_REQUEST_CAPTURE_IN_FILE;
	 * else the capture memfd again (every slot holds a descriptor). */
	ZYGOTE_FD_CAPTURE_FILE,
	ZYGOTE_N_FDS,
} ZygoteFd;

/* Libraries an object may need beyond those the zygote has loaded (libc,
 * libexpert): each opened O_RDONLY by the executor, passed with the job
 * and loaded by the child from its descriptor before the object. */
#define ZYGOTE_MAX_LIBS 16

/* ---- descriptor numbers inside a child -------------------------------------
 *
 * The filter names the channel, and the descriptor the loader opens each
 * object at, by number, so both are fixed. */
#define CHILD_FD_CHANNEL 3
#define CHILD_FD_EXPERT  4 /* the object: open only until it is loaded */
/* Landlock's rulesets, made before the job (the filter then allows adding
 * rules to the first and applying either): the loading domain's, which
 * gets the job's object and libraries, and the one applied after loading. */
#define CHILD_FD_LOADING_RULES 5
#define CHILD_FD_LOADED_RULES  6
/* The lowest number a descriptor the executor grants (an output capture)
 * can have in a child: every other is closed by then, the object and the
 * libraries too. */
#define CHILD_FD_FIRST_GRANTED 4

/* The loader's descriptor. While the object loads, every number below it
 * is taken (by the above, and by /dev/null placeholders), so the loader's
 * openat of each object returns it: the filter can then decide the loader's
 * read, fstat, pread, mmap and close of that descriptor in the kernel,
 * without a round trip to the executor. It is at least the profile's
 * descriptor limit, which the child lowers its RLIMIT_NOFILE to before it
 * says LOADED (the executor checks): from then on no descriptor of that
 * number can exist again, so the rules can never apply to anything but the
 * loader's files. Above CHILD_LOADER_FD_MAX descriptors the placeholders
 * would cost more than they save: the loader's calls are then notified, as
 * anything else's. The libraries of a job are received just above it. */
#define CHILD_LOADER_FD_MIN 7
#define CHILD_LOADER_FD_MAX 256
static inline unsigned child_loader_fd(unsigned max_fds)
{
	if (max_fds > CHILD_LOADER_FD_MAX)
		return CHILD_LOADER_FD_MIN;
	return max_fds > CHILD_LOADER_FD_MIN ? max_fds : CHILD_LOADER_FD_MIN;
}
/* Whether the filter decides the loader's calls on it in the kernel. */
static inline bool child_loader_fd_in_kernel(unsigned max_fds)
{
	return child_loader_fd(max_fds) >= max_fds;
}
/* RLIMIT_NOFILE while the object loads: room for the loader's descriptor
 * and every library above it; after loading, the profile's limit. */
static inline unsigned child_loading_nofile(unsigned max_fds)
{
	unsigned need = child_loader_fd(max_fds) + 2 + ZYGOTE_MAX_LIBS;
	return max_fds > need ? max_fds : need;
}

/* A 64-bit tag of a profile (the first bytes of its digest): the child is
 * told its profile's when it is forked, and every job's, and refuses a job
 * of another profile than the one its filter was compiled from. */
typedef uint64_t ProfileTag;

typedef struct {
	uint32_t version;
	uint32_t flags;            /* ZYGOTE_REQUEST_* */
	uint64_t child_id;         /* the executor's name for the child, in replies */
	ProfileTag profile_tag;    /* the profile the filter was compiled from */
	uint64_t region_size;      /* bytes to map of the region memfd */
	uint64_t capture_size;     /* bytes to map of the capture: memfd and file */
	uint64_t capture_memfd_size; /* with ZYGOTE_REQUEST_CAPTURE_IN_FILE: the memfd's part */
	uint64_t filter_size;      /* bytes of BPF in the filter memfd */
	uint64_t data_limit;       /* RLIMIT_DATA: libc heap outside the pool */
	uint64_t output_bytes;     /* RLIMIT_FSIZE: bytes per granted output file */
	uint32_t cpu_seconds;      /* RLIMIT_CPU soft limit; hard is one more */
	uint32_t max_fds;          /* RLIMIT_NOFILE once loaded */
	uint32_t max_events;
	uint32_t uid, gid;         /* taken when ZYGOTE_REQUEST_DROP_PRIVILEGES */
	uint32_t landlock_abi;     /* the Landlock ABI the child restricts itself with; 0: none */
} ZygoteRequest;

#define ZYGOTE_REQUEST_DROP_PRIVILEGES (1u << 0)
/* The frames are in the capture file, mapped after the memfd
 * (protocol/capture-view.h). */
#define ZYGOTE_REQUEST_CAPTURE_IN_FILE (1u << 1)

typedef enum {
	ZYGOTE_REPLY_STARTED = 1, /* pidfd attached */
	ZYGOTE_REPLY_READY,       /* a ZygoteReady, once, before any request is read */
	ZYGOTE_REPLY_FAILED,      /* fork failed: error is an errno */
	ZYGOTE_REPLY_EXITED,      /* the child was reaped */
} ZygoteReplyKind;

typedef struct {
	uint32_t kind;             /* ZygoteReplyKind */
	int32_t error;
	uint64_t child_id;
	int32_t pid;               /* in the zygote's pid namespace: the executor reads the pidfd's */
	int32_t wait_code;         /* CLD_EXITED, CLD_KILLED, CLD_DUMPED */
	int32_t wait_status;       /* exit status or signal number */
	int32_t pad_;
	uint64_t user_usec, system_usec;
	uint64_t max_rss_kib;
	uint64_t fork_nsec;        /* STARTED: the zygote's time for the fork (namespace and init included) */
} ZygoteReply;

/* The first message of a job on a waiting child's channel, from the
 * executor: the object's descriptor and then n_libs libraries' in load
 * order are attached. The child receives them at CHILD_FD_EXPERT and just
 * above its loader descriptor, the only numbers free. */
#define CHILD_JOB_MAGIC 0x4a6f6221u /* "Job!" */
typedef struct {
	uint32_t magic;
	uint32_t n_libs;
	ProfileTag profile_tag;    /* must be the child's own */
} ChildJob;

/* The isolation layers the zygote sets up for every child, and says it did
 * (ZygoteReady). Landlock is applied by each child; the zygote says which
 * ABI it found. */
typedef enum {
	ZYGOTE_LAYER_USERNS = 0, /* a user namespace owning the others (not needed as root) */
	ZYGOTE_LAYER_PIDNS,      /* a pid namespace per job, under the zygote's own */
	ZYGOTE_LAYER_MOUNTNS,    /* an empty, read-only root, shared by the jobs */
	ZYGOTE_LAYER_NETNS,      /* an empty network namespace, shared by the jobs */
	ZYGOTE_LAYER_IPCNS,      /* an IPC namespace per job */
	ZYGOTE_LAYER_UTSNS,      /* a UTS namespace with a neutral host name, shared */
	ZYGOTE_LAYER_MDWE,       /* the kernel's memory-deny-write-execute (PR_SET_MDWE) */
	ZYGOTE_LAYER_LANDLOCK,   /* Landlock, applied by each child */
	ZYGOTE_LAYER_N,
} ZygoteLayer;

/* layer_errno values besides 0 (in effect) and a positive errno. */
#define ZYGOTE_LAYER_NOT_NEEDED (-1) /* the user namespace, when the zygote is root */

#define ZYGOTE_STEP_MAX 64

/* The zygote's first message: the fork server's pid as the executor sees
 * it, and what it set up. A layer not in effect says the step that failed
 * and its errno, so that nothing is skipped silently. */
typedef struct {
	uint32_t kind;             /* ZYGOTE_REPLY_READY */
	uint32_t version;          /* ZYGOTE_PROTOCOL_VERSION */
	int32_t pid;               /* the process that forks the jobs, in the executor's pid namespace */
	uint32_t landlock_abi;     /* 0: none */
	int32_t layer_errno[ZYGOTE_LAYER_N];
	char layer_step[ZYGOTE_LAYER_N][ZYGOTE_STEP_MAX];
} ZygoteReady;

/* ---- passing descriptors (SCM_RIGHTS) -------------------------------------
 *
 * Attached to a message being sent, and taken from one received so that
 * none is left behind. Shared by the executor's end of a job channel and
 * both ends of the zygote's socket. */

/* Bytes of control buffer that pass n descriptors; the buffer must be
 * aligned for struct cmsghdr (a union with one). */
#define PASSED_FDS_SPACE(n) CMSG_SPACE(sizeof(int) * (n))

/* Makes msg pass the n descriptors at fds, with control (zeroed here) as
 * its control buffer; with n == 0 it passes none and control is unused. */
void passed_fds_attach(struct msghdr *msg, void *control, const int *fds, size_t n);

/* The descriptors of a received message, taken so that none is left
 * behind: puts up to max of them in fds, in order, and closes the rest;
 * returns how many it put there. *closed (unless NULL) says whether any
 * were closed for want of room. */
size_t passed_fds_take(struct msghdr *msg, int *fds, size_t max, bool *closed);

#endif /* EXPERT_EXEC_CHILD_PROTOCOL_H */
