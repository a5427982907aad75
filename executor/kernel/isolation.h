/* isolation.h — the isolation layers in effect for a run: for each layer of
 * the kernel-feature table (role KERNEL_FEATURE_LAYER), whether the zygote
 * set it up around every job, and if not, why. Printed as one line at the
 * start of a run's report, a member of its JSON, and what `run --require`
 * checks. The seccomp filter and the executor's W^X supervision of the
 * loader hold on every kernel expert-exec runs on, and are not listed. */
#ifndef EXPERT_EXEC_ISOLATION_H
#define EXPERT_EXEC_ISOLATION_H

#include "kernel/kernel-features.h"

#include <glib.h>

typedef enum {
	ISOLATION_MISSING = 0,   /* the kernel (or this user) does not allow it: detail says why */
	ISOLATION_ACTIVE,
	ISOLATION_NOT_NEEDED,    /* user namespaces, when expert-exec runs as root */
} IsolationState;

typedef struct {
	IsolationState state[KERNEL_FEATURE_N];   /* only for LAYER features */
	char detail[KERNEL_FEATURE_N][160];
	guint landlock_abi;
} Isolation;

/* Every layer missing, "not set up" (until the zygote says). */
void isolation_init(Isolation *iso);
void isolation_set(Isolation *iso, KernelFeatureId layer, IsolationState state,
                   const char *fmt, ...) G_GNUC_PRINTF(4, 5);
const char *isolation_state_name(IsolationState state);

/* "mdwe, landlock (ABI 7), userns, pidns, ...; missing: none" */
char *isolation_line(const Isolation *iso);

#define ISOLATION_ERROR (isolation_error_quark())
GQuark isolation_error_quark(void);
typedef enum {
	ISOLATION_ERROR_UNKNOWN_LAYER,
	ISOLATION_ERROR_MISSING,
} IsolationError;

/* --require: a comma-separated list of layer names. FALSE, naming the first
 * layer missing (and why) or a name that is no layer, when not all are in
 * effect; a layer not needed counts as in effect. */
gboolean isolation_require(const Isolation *iso, const char *names, GError **error);

/* The names --require takes, comma-separated (for --help). */
char *isolation_layer_names(void);

#endif /* EXPERT_EXEC_ISOLATION_H */
