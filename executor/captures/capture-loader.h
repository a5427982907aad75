/* capture-loader.h — the memfd of a capture being built, laid out as in
 * capture-format.h. Where the file's own layout serves (a pcap file read by
 * pcap-records.c), the frames stay in the file, mapped read-only by every
 * child right after the memfd, which then holds only the header and the
 * index: the load copies nothing. Otherwise each frame is copied once, to its final 16-byte aligned
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
	/* Set by capture_loader_map_file: the frames stay in the file of
	 * file_fd (the loader's own descriptor, only while in_file), which
	 * children map read-only after the memfd's header and index; only their
	 * records are kept, and data_len is where the last one ends in it. */
	gboolean in_file;
	int file_fd;
} CaptureLoader;

void capture_loader_clear(CaptureLoader *l);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CaptureLoader, capture_loader_clear)
/* Drops every frame (a reader may start again from the file's beginning),
 * and the file of capture_loader_map_file, and reserves index room for a
 * file of file_size bytes. */
gboolean capture_loader_start(CaptureLoader *l, guint64 file_size, GError **error);
/* After capture_loader_start: the frames will be taken where they lie in
 * this file (the loader keeps a duplicate of fd) rather than copied into the
 * memfd; capture_loader_add_at then records where. FALSE, with nothing
 * changed, where the file cannot be mapped (not a regular file, or mmap
 * refuses it): the caller copies instead. */
gboolean capture_loader_map_file(CaptureLoader *l, int fd);
/* Appends a frame: rec (its offset is set here) and rec.cap_len bytes, which
 * need stay valid only during the call. The header's link type is the first
 * frame's. FALSE past the loader's limits, or if the memfd cannot take it. */
gboolean capture_loader_add(CaptureLoader *l, CaptureRecord rec, const guint8 *bytes,
                            GError **error);
/* capture_loader_add of a frame whose bytes lie at file_offset of the file
 * being read, in_file of them (rec.cap_len or more, when the snapshot
 * length cuts it): with capture_loader_map_file only its record is kept. */
gboolean capture_loader_add_at(CaptureLoader *l, CaptureRecord rec, const guint8 *bytes,
                               guint64 file_offset, guint64 in_file, GError **error);
/* Writes what is left, the index and the header, seals the memfd and hands
 * it over (the loader keeps no descriptor); -1 on failure. *out is its
 * header. With capture_loader_map_file, *file_fd is the file's descriptor
 * (taken), and the memfd holds only the header and index: its size is
 * out->data_offset, and the file's first out->data_size bytes follow it in
 * a child's mapping; else *file_fd is -1. */
int capture_loader_finish(CaptureLoader *l, gboolean partial, CaptureHeader *out,
                          int *file_fd, GError **error);

#endif /* EXPERT_EXEC_CAPTURE_LOADER_H */
