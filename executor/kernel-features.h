/* kernel-features.h — what this kernel offers, found out by trying it.
 *
 * One table of features, each with a probe that asks the kernel itself,
 * outside any sandbox: the syscall ABIs a child could reach the kernel
 * through (the filter must close them), the calls the executor needs, and
 * the isolation layers a later change may use. `expert-exec --version`
 * prints it, `--json` reports carry it, and the tests link this module to
 * decide what to expect on the kernel they run on. Never assumed from a
 * version number: a distribution kernel may lack what its version suggests
 * (no 32-bit emulation, x32 off, Landlock not enabled at boot). */
#ifndef EXPERT_EXEC_KERNEL_FEATURES_H
#define EXPERT_EXEC_KERNEL_FEATURES_H

#include <glib.h>
#include <json-glib/json-glib.h>

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

const KernelFeatureInfo *kernel_feature_table(gsize *n);
const KernelFeatureInfo *kernel_feature_info(KernelFeatureId id);
const char *kernel_feature_state_name(KernelFeatureState state);
const char *kernel_feature_role_name(KernelFeatureRole role);

/* The feature's probe result, probed on first use and kept for the life of
 * the process (the kernel does not change under it). Some probes fork a
 * short-lived child: call from a single thread, as the executor does. */
const KernelFeatureResult *kernel_feature(KernelFeatureId id);

/* Whether this process already runs under a seccomp filter (a container's,
 * a service manager's): then an absent feature may be that filter's
 * answer, not the kernel's. */
gboolean kernel_self_filtered(void);

/* "Linux 6.18.44 x86_64" (static). */
const char *kernel_release(void);

/* One line per feature: "  i386-abi  present  int $0x80 ..." */
char *kernel_features_text(void);

/* Adds member (an object: release, and one object per feature with its
 * state, role and detail) to the object being built. */
void kernel_features_json(JsonBuilder *b, const char *member);

#endif /* EXPERT_EXEC_KERNEL_FEATURES_H */
