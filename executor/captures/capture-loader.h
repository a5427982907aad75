/* capture-loader.h — the memfd of a capture being built: frames appended
 * one at a time into two growable anonymous mappings (records, bytes), then
 * written once into a sealed memfd laid out as in capture-format.h. The
 * readers (capture.c: libpcap, pcapng.c) append; nothing else is kept. */
#ifndef EXPERT_EXEC_CAPTURE_LOADER_H
#define EXPERT_EXEC_CAPTURE_LOADER_H

#include "capture-format.h"

#include <glib.h>

/* A growable anonymous mapping, grown with mremap (which moves page tables
 * rather than copying). */
typedef struct {
	guint8 *base;
	gsize len;
	gsize cap;
} CaptureBuf;

void capture_buf_clear(CaptureBuf *b);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CaptureBuf, capture_buf_clear)
/* Makes room for at least need bytes in all; what and path name it in
 * errors. */
gboolean capture_buf_reserve(CaptureBuf *b, guint64 need, const char *what, const char *path,
                             GError **error);

typedef struct {
	const char *path;
	guint64 max_frames;
	guint64 max_total;
	guint32 link_type;
	CaptureBuf records;        /* CaptureRecord[], packed */
	CaptureBuf data;           /* frame bytes, each at a FRAME_ALIGN boundary */
	guint64 frames;
	guint64 on_wire;
	guint64 captured;
} CaptureLoader;

void capture_loader_clear(CaptureLoader *l);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CaptureLoader, capture_loader_clear)
/* Drops every frame and reserves room for a file of file_size bytes. */
gboolean capture_loader_start(CaptureLoader *l, guint64 file_size, GError **error);
/* Appends a frame: rec (its offset is set here) and rec.cap_len bytes. The
 * header's link type is the first frame's. FALSE past the loader's limits. */
gboolean capture_loader_add(CaptureLoader *l, CaptureRecord rec, const guint8 *bytes,
                            GError **error);
/* Returns the sealed memfd, or -1; *out is its header. Releases each of the
 * loader's buffers as soon as it is written. */
int capture_loader_write_memfd(CaptureLoader *l, gboolean partial, CaptureHeader *out,
                               GError **error);

#endif /* EXPERT_EXEC_CAPTURE_LOADER_H */
