/* capture-loader.h — the memfd of a capture being built, laid out as in
 * capture-format.h. Each frame is copied once, to its final 16-byte aligned
 * place in a small staging buffer, and the buffer goes to the memfd in large
 * pwrite calls as it fills: the frames reach the memfd in one pass, and the
 * loader never holds more than the staging buffer and the index. The index
 * (a CaptureRecord per frame, 32 bytes) grows in an anonymous mapping and is
 * written after the frames. The readers (capture.c: libpcap, pcap-records.c,
 * pcapng.c) append; nothing else is kept. */
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
	/* Frames are counted and checked, never stored (capture_check): no
	 * memfd, no index, and max_total does not apply. */
	gboolean count_only;
	/* Both set by capture_loader_start: fd is the memfd being written
	 * only while stage is not NULL, so a zeroed loader owns nothing. */
	int fd;
	guint8 *stage;             /* frames not yet written: the last stage_len of data_len */
	gsize stage_len;
	guint64 data_len;          /* frame bytes so far, with their padding */
	CaptureBuf records;        /* CaptureRecord[], packed */
	guint64 frames;
	guint64 on_wire;
	guint64 captured;
} CaptureLoader;

void capture_loader_clear(CaptureLoader *l);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CaptureLoader, capture_loader_clear)
/* Drops every frame (a reader may start again from the file's beginning)
 * and reserves index room for a file of file_size bytes. */
gboolean capture_loader_start(CaptureLoader *l, guint64 file_size, GError **error);
/* Appends a frame: rec (its offset is set here) and rec.cap_len bytes, which
 * need stay valid only during the call. The header's link type is the first
 * frame's. FALSE past the loader's limits, or if the memfd cannot take it. */
gboolean capture_loader_add(CaptureLoader *l, CaptureRecord rec, const guint8 *bytes,
                            GError **error);
/* Writes what is left, the index and the header, seals the memfd and hands
 * it over (the loader keeps no descriptor); -1 on failure. *out is its
 * header. */
int capture_loader_finish(CaptureLoader *l, gboolean partial, CaptureHeader *out,
                          GError **error);

#endif /* EXPERT_EXEC_CAPTURE_LOADER_H */
