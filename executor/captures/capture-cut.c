/* capture-cut.c — a capture cut short (see capture-cut.h). */
#include "captures/capture-cut.h"

#include "capture-format.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

Capture *capture_cut(const Capture *capture, guint64 frames, const char *reason, GError **error)
{
	/* The run's own memfd, written by this executor and sealed: read
	 * through a private read-only mapping, checked all the same. */
	if (capture->size < sizeof(CaptureHeader)) {
		g_set_error(error, CAPTURE_ERROR, CAPTURE_ERROR_SYSTEM, "the capture to cut is empty");
		return NULL;
	}
	const guint8 *base = mmap(NULL, capture->size, PROT_READ, MAP_PRIVATE, capture->fd, 0);
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
	gboolean ok = h.records_offset <= capture->size &&
	              h.frame_count <= (capture->size - h.records_offset) / sizeof(CaptureRecord) &&
	              h.data_offset <= capture->size && h.data_size <= capture->size - h.data_offset &&
	              capture_loader_start(&l, 0, error);
	for (guint64 i = 0; ok && i < MIN(frames, h.frame_count); i++) {
		CaptureRecord rec;
		memcpy(&rec, base + h.records_offset + i * sizeof(rec), sizeof(rec));
		if (rec.offset > h.data_size || rec.cap_len > h.data_size - rec.offset) {
			g_set_error(error, CAPTURE_ERROR, CAPTURE_ERROR_SYSTEM,
			            "the capture's frame %" G_GUINT64_FORMAT " is outside its data", i + 1);
			ok = FALSE;
			break;
		}
		ok = capture_loader_add(&l, rec, base + h.data_offset + rec.offset, error);
	}
	munmap((void *)base, capture->size);
	if (!ok)
		return NULL;
	return capture_from_loader(&l, capture->path, capture->format, capture->reader,
	                           g_strdup(reason), error);
}
