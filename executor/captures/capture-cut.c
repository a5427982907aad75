/* capture-cut.c — a capture cut short (see capture-cut.h). */
#include "captures/capture-cut.h"

#include "capture-format.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

/* The first frames of the index into l: only their records where the
 * frames stay in the file (data is NULL then), else their bytes too. */
static gboolean add_frames(CaptureLoader *l, const guint8 *base, const CaptureHeader *h,
                           gsize memfd_size, guint64 frames, const guint8 *data, GError **error)
{
	for (guint64 i = 0; i < MIN(frames, h->frame_count); i++) {
		CaptureRecord rec;
		memcpy(&rec, base + h->records_offset + i * sizeof(rec), sizeof(rec));
		if (rec.offset > h->data_size || rec.cap_len > h->data_size - rec.offset ||
		    (data && h->data_offset + rec.offset + rec.cap_len > memfd_size)) {
			g_set_error(error, CAPTURE_ERROR, CAPTURE_ERROR_SYSTEM,
			            "the capture's frame %" G_GUINT64_FORMAT " is outside its data", i + 1);
			return FALSE;
		}
		if (!capture_loader_add_at(l, rec, data ? data + rec.offset : NULL, rec.offset,
		                           rec.cap_len, error))
			return FALSE;
	}
	return TRUE;
}

Capture *capture_cut(const Capture *capture, guint64 frames, const char *reason, GError **error)
{
	/* The run's own memfd, written by this executor and sealed: read
	 * through a private read-only mapping, checked all the same. Only the
	 * memfd: frames left in the file stay there, and the cut capture
	 * takes the same file. */
	gsize memfd_size = capture->memfd_size;
	if (memfd_size < sizeof(CaptureHeader)) {
		g_set_error(error, CAPTURE_ERROR, CAPTURE_ERROR_SYSTEM, "the capture to cut is empty");
		return NULL;
	}
	const guint8 *base = mmap(NULL, memfd_size, PROT_READ, MAP_PRIVATE, capture->fd, 0);
	if (base == MAP_FAILED) {
		g_set_error(error, CAPTURE_ERROR, CAPTURE_ERROR_SYSTEM, "cannot map the capture to cut it: %s",
		            g_strerror(errno));
		return NULL;
	}
	CaptureHeader h;
	memcpy(&h, base, sizeof(h));
	g_auto(CaptureLoader) l = {
		.path = capture->path,
		.max_frames = CAPTURE_MAX_FRAMES,
		.max_total = CAPTURE_MAX_TOTAL_SIZE,
		.link_type = capture->link_type,
	};
	gboolean in_file = capture->file_fd >= 0;
	gboolean ok = h.records_offset <= memfd_size &&
	              h.frame_count <= (memfd_size - h.records_offset) / sizeof(CaptureRecord) &&
	              h.data_offset <= capture->size && h.data_size <= capture->size - h.data_offset &&
	              capture_loader_start(&l, 0, error);
	if (ok && in_file && !capture_loader_map_file(&l, capture->file_fd)) {
		g_set_error(error, CAPTURE_ERROR, CAPTURE_ERROR_SYSTEM,
		            "the capture file no longer maps (truncated to nothing?)");
		ok = FALSE;
	}
	ok = ok && add_frames(&l, base, &h, memfd_size, frames, in_file ? NULL : base + h.data_offset,
	                      error);
	munmap((void *)base, memfd_size);
	if (!ok)
		return NULL;
	return capture_from_loader(&l, capture->path, capture->format, capture->reader,
	                           g_strdup(reason), error);
}
