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

#include "kernel/kernel-feature-types.h"

#include <glib.h>

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


#endif /* EXPERT_EXEC_KERNEL_FEATURES_H */
