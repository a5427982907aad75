/* filter.h — compiling a profile into the seccomp filter a child installs,
 * and deciding calls the filter hands to the executor.
 *
 * The filter is built once per profile with libseccomp and kept as raw BPF in
 * a sealed memfd that every child of the run reads. Beyond the profile's
 * rules it holds the executor's own: the channel (fd 3) is always usable, and
 * the syscalls the dynamic loader needs are sent to the executor (seccomp
 * user notification), which lets them through only while the expert's object
 * is being loaded, where the kernel cannot decide them itself. Other ABIs
 * (i386, x32) are killed outright. Before all of it, the executor's prefix
 * (filter-prefix.h) hands it every call that sends a signal, so that it
 * knows which deaths the child caused itself, and lets through the child's
 * own calls on its fixed descriptors while it takes its job and loads it. */
#ifndef EXPERT_EXEC_FILTER_H
#define EXPERT_EXEC_FILTER_H

#include "profiles/filter-wx.h"
#include "profiles/profile.h"

#include <glib.h>
#include <stdint.h>

#define FILTER_ERROR (filter_error_quark())
GQuark filter_error_quark(void);
typedef enum {
	FILTER_ERROR_UNSUPPORTED, /* a rule the compiler cannot express */
	FILTER_ERROR_CONFLICT,    /* a rule that would cut the channel */
	FILTER_ERROR_LIBSECCOMP,
} FilterErrorCode;

typedef struct {
	int fd;          /* sealed memfd with the struct sock_filter array */
	guint64 size;    /* bytes */
	guint n_insns;
} Filter;

/* landlock: whether the children that install it follow loading with a
 * Landlock domain that allows no file; the loader's openat is then decided
 * in the kernel (filter-prefix.h). */
Filter *filter_compile(const Profile *profile, gboolean landlock, GError **error);
/* With watch_output_writes, the prefix also hands over writes to granted
 * outputs (filter-prefix.h): for runs with a fault injected. */
Filter *filter_compile_full(const Profile *profile, gboolean landlock, gboolean watch_output_writes,
                            GError **error);
/* The same filter as filter_compile() builds, written to fd in libseccomp's
 * readable pseudo-filter code ("if ($syscall == 59) action KILL_PROCESS;"),
 * for `expert-exec profile show --bpf`. */
gboolean filter_export_pfc(const Profile *profile, gboolean landlock, int fd, GError **error);
void filter_free(Filter *filter);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Filter, filter_free)

/* True for the syscalls of the channel (read, write, send*, recv*): a profile
 * may allow them, never refuse them, since the executor needs them on
 * descriptor 3 (a refusing rule is a compile error). */
gboolean filter_is_channel_syscall(int nr);

/* True if the dynamic loader may make this call while an object loads. */
gboolean filter_is_loader_call(int nr, const uint64_t args[6]);

/* What the profile decides for one call, as the filter would; rule is NULL
 * when the default action decided, channel TRUE when the executor's channel
 * rule allowed it, wx set (to filter_wx_refusal's reason, with a kill) when
 * W^X refused what the profile would have let through. */
typedef struct {
	ProfileAction action;
	const ProfileRule *rule;
	gboolean channel;
	const char *wx;
} FilterVerdict;

void filter_decide(const Profile *profile, int nr, const uint64_t args[6], FilterVerdict *verdict);

#endif /* EXPERT_EXEC_FILTER_H */
