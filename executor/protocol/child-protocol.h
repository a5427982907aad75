/* child-protocol.h — what the executor and its children agree on, in one
 * place: the messages between the executor and its fork server, the order of
 * the descriptors a job request carries, the fixed descriptor numbers inside
 * a job's child, and how descriptors are passed over a socket.
 *
 * Plain C over libc: the zygote (child/) links only libc and libexpert, and
 * the executor's jobs/, profiles/ (the filter names the channel by number)
 * and violations/ (a descriptor named by what it is) read it too.
 *
 * The executor starts `expert-zygote` (a fresh exec with an empty
 * environment) before any job exists. For each job it sends one
 * ZygoteRequest with the job's descriptors attached (SCM_RIGHTS, in ZygoteFd
 * order); the zygote forks, answers STARTED with a pidfd of the child
 * attached, and later EXITED with the wait status and resource usage. Both
 * ends are ours, but the zygote still checks sizes and descriptor counts.
 */
#ifndef EXPERT_EXEC_CHILD_PROTOCOL_H
#define EXPERT_EXEC_CHILD_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define ZYGOTE_PROTOCOL_VERSION 2
/* The zygote finds its socket here, as nsjail and Sandbox2 fix their fds. */
#define ZYGOTE_SOCKET_FD 3

/* The descriptors a job request carries, in this order. */
typedef enum {
	ZYGOTE_FD_CHANNEL = 0, /* child end of the job's SOCK_SEQPACKET pair */
	ZYGOTE_FD_CAPTURE,     /* the run's sealed capture memfd */
	ZYGOTE_FD_REGION,      /* the job's pool region memfd */
	ZYGOTE_FD_EXPERT,      /* the expert object, opened O_RDONLY by the executor */
	ZYGOTE_FD_FILTER,      /* memfd holding the compiled BPF program */
	ZYGOTE_N_FDS,          /* then n_libs libraries the object needs, in load order */
} ZygoteFd;

/* Libraries an object may need beyond those the zygote has loaded (libc,
 * libexpert): each opened O_RDONLY by the executor, loaded by the child
 * from its descriptor before the object. */
#define ZYGOTE_MAX_LIBS 16
#define ZYGOTE_MAX_FDS (ZYGOTE_N_FDS + ZYGOTE_MAX_LIBS)

/* Descriptor numbers inside the child once its setup is done. The filter
 * names the channel by number, so it is fixed. */
#define CHILD_FD_CHANNEL 3
#define CHILD_FD_EXPERT  4 /* open only until the object is loaded */
#define CHILD_FD_LIBS    8 /* the first needed library, likewise; the rest follow */
/* The lowest number a descriptor the executor grants (an output capture)
 * can have in a child: every other is closed by then, the object and the
 * libraries too. */
#define CHILD_FD_FIRST_GRANTED 4

typedef struct {
	uint32_t version;
	uint32_t flags;            /* ZYGOTE_REQUEST_* */
	uint64_t job_id;
	uint64_t region_size;      /* bytes to map of the region memfd */
	uint64_t capture_size;     /* bytes to map of the capture memfd */
	uint64_t filter_size;      /* bytes of BPF in the filter memfd */
	uint64_t data_limit;       /* RLIMIT_DATA: libc heap outside the pool */
	uint64_t output_bytes;     /* RLIMIT_FSIZE: bytes per granted output file */
	uint32_t cpu_seconds;      /* RLIMIT_CPU soft limit; hard is one more */
	uint32_t max_fds;          /* RLIMIT_NOFILE */
	uint32_t max_events;
	uint32_t uid, gid;         /* taken when ZYGOTE_REQUEST_DROP_PRIVILEGES */
	uint32_t n_libs;           /* descriptors after the ZYGOTE_N_FDS fixed ones */
	uint32_t landlock_abi;     /* the Landlock ABI the child restricts itself with; 0: none */
	uint32_t reserved_;        /* zero: no implicit padding goes over the socket */
} ZygoteRequest;

#define ZYGOTE_REQUEST_DROP_PRIVILEGES (1u << 0)

typedef enum {
	ZYGOTE_REPLY_STARTED = 1, /* pidfd attached */
	ZYGOTE_REPLY_READY,       /* a ZygoteReady, once, before any request is read */
	ZYGOTE_REPLY_FAILED,      /* fork failed: error is an errno */
	ZYGOTE_REPLY_EXITED,      /* the child was reaped */
} ZygoteReplyKind;

typedef struct {
	uint32_t kind;             /* ZygoteReplyKind */
	int32_t error;
	uint64_t job_id;
	int32_t pid;               /* in the zygote's pid namespace: the executor reads the pidfd's */
	int32_t wait_code;         /* CLD_EXITED, CLD_KILLED, CLD_DUMPED */
	int32_t wait_status;       /* exit status or signal number */
	int32_t pad_;
	uint64_t user_usec, system_usec;
	uint64_t max_rss_kib;
} ZygoteReply;

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
