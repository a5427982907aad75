/* output-check.c — see output-check.h. */
#include "outputs/output-check.h"

#include "captures/capture.h"

#include <string.h>
#include <sys/statvfs.h>

gboolean output_check_whole(const OutputFile *file, guint64 *frames, char **why)
{
	g_autofree char *path = output_file_read_path(file);
	g_autoptr(GError) error = NULL;
	g_autoptr(Capture) c = capture_check(path, &error);
	if (!c) {
		/* libpcap's words name the path it opened: /proc/self/fd/N means
		 * nothing to anyone, so only its reason is kept. */
		const char *reason = error->message;
		const char *colon = g_str_has_prefix(reason, "Cannot open capture '")
			? strstr(reason, "': ") : NULL;
		*why = g_strdup_printf("not a capture: %s", colon ? colon + 3 : reason);
		return FALSE;
	}
	*frames = c->frame_count;
	if (c->partial) {
		*why = g_strdup_printf("not a whole capture: %s", c->partial_reason);
		return FALSE;
	}
	return TRUE;
}

gboolean output_check_fs_full(const OutputFile *file, guint64 *free_bytes)
{
	struct statvfs sv;
	if (fstatvfs(output_file_fd(file), &sv) < 0)
		return FALSE;
	*free_bytes = (guint64)sv.f_bavail * sv.f_frsize;
	return *free_bytes < OUTPUT_CHECK_FULL_BYTES;
}
