/* kernel-features.c — the feature table, its cache, and how it is shown
 * (see kernel-features.h). The probes themselves are in kernel-probes.c. */
#include "kernel/kernel-features.h"

#include "kernel/kernel-probes.h"

#include <string.h>
#include <sys/utsname.h>

/* ---- the table ---------------------------------------------------------- */

static const KernelFeatureInfo features[] = {
	{ KERNEL_FEATURE_I386, "i386-abi", "32-bit syscalls (int $0x80) from a 64-bit process",
	  KERNEL_FEATURE_REFUSED, kernel_probe_i386 },
	{ KERNEL_FEATURE_X32, "x32-abi", "x32 syscall numbers (__X32_SYSCALL_BIT)",
	  KERNEL_FEATURE_REFUSED, kernel_probe_x32 },
	{ KERNEL_FEATURE_CLONE3, "clone3", "clone3(2), whose flags seccomp cannot read",
	  KERNEL_FEATURE_REFUSED, kernel_probe_clone3 },
	{ KERNEL_FEATURE_SECCOMP_NOTIFY, "seccomp-notify", "seccomp user notification",
	  KERNEL_FEATURE_NEEDED, kernel_probe_seccomp_notify },
	{ KERNEL_FEATURE_PIDFD, "pidfd", "process descriptors (pidfd_open, pidfd_send_signal)",
	  KERNEL_FEATURE_NEEDED, kernel_probe_pidfd },
	{ KERNEL_FEATURE_CLOSE_RANGE, "close-range", "close_range(2)",
	  KERNEL_FEATURE_NEEDED, kernel_probe_close_range },
	{ KERNEL_FEATURE_MEMFD_SEALS, "memfd-seals", "sealed memfds (the capture, pool regions)",
	  KERNEL_FEATURE_NEEDED, kernel_probe_memfd_seals },
	{ KERNEL_FEATURE_LANDLOCK, "landlock", "Landlock file-system sandboxing",
	  KERNEL_FEATURE_UNUSED, kernel_probe_landlock },
	{ KERNEL_FEATURE_USER_NAMESPACES, "user-namespaces",
	  "unprivileged user namespaces, and pid/net/mount/ipc/uts namespaces in one",
	  KERNEL_FEATURE_UNUSED, kernel_probe_user_namespaces },
};
G_STATIC_ASSERT(G_N_ELEMENTS(features) == KERNEL_FEATURE_N);

const KernelFeatureInfo *kernel_feature_table(gsize *n)
{
	*n = G_N_ELEMENTS(features);
	return features;
}

const KernelFeatureInfo *kernel_feature_info(KernelFeatureId id)
{
	g_return_val_if_fail((guint)id < KERNEL_FEATURE_N, NULL);
	return &features[id];
}

const char *kernel_feature_state_name(KernelFeatureState state)
{
	switch (state) {
	case KERNEL_FEATURE_PRESENT: return "present";
	case KERNEL_FEATURE_ABSENT: return "absent";
	case KERNEL_FEATURE_UNKNOWN: break;
	}
	return "unknown";
}

const char *kernel_feature_role_name(KernelFeatureRole role)
{
	switch (role) {
	case KERNEL_FEATURE_NEEDED: return "needed";
	case KERNEL_FEATURE_REFUSED: return "refused";
	case KERNEL_FEATURE_UNUSED: break;
	}
	return "unused";
}

/* What each role means, said after the detail in --version. */
static const char *role_note(KernelFeatureRole role)
{
	switch (role) {
	case KERNEL_FEATURE_NEEDED: return "expert-exec needs it";
	case KERNEL_FEATURE_REFUSED: return "refused in the sandbox";
	case KERNEL_FEATURE_UNUSED: break;
	}
	return "not used yet";
}

static KernelFeatureResult results[KERNEL_FEATURE_N];
static gboolean probed[KERNEL_FEATURE_N];

const KernelFeatureResult *kernel_feature(KernelFeatureId id)
{
	g_return_val_if_fail((guint)id < KERNEL_FEATURE_N, NULL);
	if (!probed[id]) {
		features[id].probe(&results[id]);
		probed[id] = TRUE;
	}
	return &results[id];
}

const char *kernel_release(void)
{
	static char text[sizeof(struct utsname)];
	struct utsname u;
	if (!text[0]) {
		if (uname(&u) == 0)
			g_snprintf(text, sizeof(text), "%s %s %s", u.sysname, u.release, u.machine);
		else
			g_strlcpy(text, "unknown (uname failed)", sizeof(text));
	}
	return text;
}

/* A filter this process already runs under answers before the kernel
 * does: then "absent" may be that filter's answer (a container's, a
 * service manager's). */
gboolean kernel_self_filtered(void)
{
	g_autofree char *status = NULL;
	if (!g_file_get_contents("/proc/self/status", &status, NULL, NULL))
		return FALSE;
	const char *line = strstr(status, "\nSeccomp:");
	return line && g_ascii_strtoll(line + strlen("\nSeccomp:"), NULL, 10) != 0;
}

char *kernel_features_text(void)
{
	GString *out = g_string_new(NULL);
	g_string_append_printf(out, "kernel %s, as probed now:\n", kernel_release());
	for (gsize i = 0; i < G_N_ELEMENTS(features); i++) {
		const KernelFeatureResult *r = kernel_feature(features[i].id);
		g_string_append_printf(out, "  %-16s %-8s %s [%s]\n", features[i].name,
		                       kernel_feature_state_name(r->state), r->detail,
		                       role_note(features[i].role));
	}
	if (kernel_self_filtered())
		g_string_append(out, "  (this process runs under a seccomp filter already: an "
		                     "absent feature may be that filter's answer, not the kernel's)\n");
	return g_string_free(out, FALSE);
}
