/* kernel-feature-types.h — the types of the kernel-feature table
 * (kernel-features.h), apart so the probes (kernel-probes.h) can fill a
 * result without including the table that lists them. */
#ifndef EXPERT_EXEC_KERNEL_FEATURE_TYPES_H
#define EXPERT_EXEC_KERNEL_FEATURE_TYPES_H

#include <glib.h>

typedef enum {
	KERNEL_FEATURE_I386 = 0,      /* int $0x80 from a 64-bit process */
	KERNEL_FEATURE_X32,           /* syscall numbers with __X32_SYSCALL_BIT */
	KERNEL_FEATURE_CLONE3,
	KERNEL_FEATURE_SECCOMP_NOTIFY,
	KERNEL_FEATURE_PIDFD,
	KERNEL_FEATURE_CLOSE_RANGE,
	KERNEL_FEATURE_MEMFD_SEALS,
	KERNEL_FEATURE_LANDLOCK,
	KERNEL_FEATURE_USER_NAMESPACES,
	KERNEL_FEATURE_N,
} KernelFeatureId;

typedef enum {
	KERNEL_FEATURE_UNKNOWN = 0,   /* the probe could not tell (detail says why) */
	KERNEL_FEATURE_PRESENT,
	KERNEL_FEATURE_ABSENT,
} KernelFeatureState;

/* What expert-exec does with a feature. */
typedef enum {
	KERNEL_FEATURE_NEEDED,        /* the child's setup or the executor calls it */
	KERNEL_FEATURE_REFUSED,       /* a route into the kernel the filter must close */
	KERNEL_FEATURE_UNUSED,        /* an isolation layer not used yet */
} KernelFeatureRole;

typedef struct {
	KernelFeatureState state;
	int version;                  /* Landlock's ABI version; 0 for the others */
	char detail[192];             /* what the probe saw, for people */
} KernelFeatureResult;

typedef struct KernelFeatureInfo {
	KernelFeatureId id;
	const char *name;             /* "i386-abi": in --version and JSON */
	const char *what;             /* one line: what it is */
	KernelFeatureRole role;
	void (*probe)(KernelFeatureResult *result);
} KernelFeatureInfo;

#endif /* EXPERT_EXEC_KERNEL_FEATURE_TYPES_H */
