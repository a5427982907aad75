/* kernel-probes.h — one probe per row of the kernel-feature table
 * (kernel-features.c): each asks the kernel, fills in the result, and never
 * fails; what it could not tell is KERNEL_FEATURE_UNKNOWN with the reason. */
#ifndef EXPERT_EXEC_KERNEL_PROBES_H
#define EXPERT_EXEC_KERNEL_PROBES_H

#include "kernel/kernel-feature-types.h"

void kernel_probe_i386(KernelFeatureResult *r);
void kernel_probe_x32(KernelFeatureResult *r);
void kernel_probe_clone3(KernelFeatureResult *r);
void kernel_probe_seccomp_notify(KernelFeatureResult *r);
void kernel_probe_pidfd(KernelFeatureResult *r);
void kernel_probe_close_range(KernelFeatureResult *r);
void kernel_probe_memfd_seals(KernelFeatureResult *r);
void kernel_probe_landlock(KernelFeatureResult *r);
void kernel_probe_user_namespaces(KernelFeatureResult *r);

#endif /* EXPERT_EXEC_KERNEL_PROBES_H */
