/* capture-loader.c — the memfd of a capture being built (see
 * capture-loader.h).
 *
 * The record count is only known at the end, and the records come first in
 * the layout, so the bytes are written once into the memfd with pwrite, a
 * chunk at a time, each chunk dropped from the buffer once written: the peak
 * stays near one copy of the frames. Nothing maps the memfd writable, so
 * F_SEAL_WRITE cannot fail with EBUSY. */
#include "captures/capture-loader.h"

#include "captures/capture-error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FRAME_ALIGN     16
#define GROW_MIN        (gsize)(1u << 20)
/* Frames go to the memfd in chunks of this, each released once written, so
 * the loader never holds two full copies of a large capture. */
#define WRITE_CHUNK     (gsize)(64u << 20)
#define SEALS           (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)

static inline guint64 align_up(guint64 v, guint64 a)
{
	return (v + a - 1) & ~(a - 1);
}

/* ---- growable anonymous buffer ------------------------------------------ */

void capture_buf_clear(CaptureBuf *b)
{
	if (b->base)
		munmap(b->base, b->cap);
	*b = (CaptureBuf){ 0 };
}

/* Makes room for at least `need` bytes in all. Fresh pages are zero, which is
 * what keeps the alignment padding zero. */
gboolean capture_buf_reserve(CaptureBuf *b, guint64 need, const char *what,
                             const char *path, GError **error)
{
	if (need <= b->cap)
		return TRUE;
	guint64 cap = MAX(MAX(need, (guint64)b->cap * 2), GROW_MIN);
	cap = align_up(cap, (guint64)sysconf(_SC_PAGESIZE));
	if (cap > G_MAXSIZE / 2) {
		g_set_error(error, CAPTURE_ERROR, CAPTURE_ERROR_TOO_LARGE,
		            "Cannot load capture '%s': the %s would need %" G_GUINT64_FORMAT
		            " bytes", path, what, cap);
		return FALSE;
	}
	void *p = b->base ? mremap(b->base, b->cap, cap, MREMAP_MAYMOVE)
	                  : mmap(NULL, cap, PROT_READ | PROT_WRITE,
	                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		int e = errno;
		g_set_error(error, CAPTURE_ERROR, CAPTURE_ERROR_SYSTEM,
		            "Cannot grow the %s of capture '%s' to %" G_GUINT64_FORMAT
		            " bytes: %s", what, path, cap, g_strerror(e));
		return FALSE;
	}
	b->base = p;
	b->cap = cap;
	return TRUE;
}

void capture_loader_clear(CaptureLoader *l)
{
	capture_buf_clear(&l->records);
	capture_buf_clear(&l->data);
}

/* Where the frame bytes start when there are n records. */
static guint64 data_offset_for(guint64 n)
{
	return align_up(sizeof(CaptureHeader) + n * sizeof(CaptureRecord), FRAME_ALIGN);
}

/* Drops every frame and reserves room for a file of file_size bytes. The
 * frames take about the file's size and the index a record per 128 bytes of
 * file (32 of its 128): starting there, a typical capture needs no growing.
 * Untouched pages of the reservation cost nothing. */
gboolean capture_loader_start(CaptureLoader *l, guint64 file_size, GError **error)
{
	capture_buf_clear(&l->records);
	capture_buf_clear(&l->data);
	l->frames = l->on_wire = l->captured = 0;
	guint64 hint = MIN(file_size, l->max_total);
	return hint == 0 ||
	       (capture_buf_reserve(&l->data, hint, "frame buffer", l->path, error) &&
	        capture_buf_reserve(&l->records, hint / 4, "frame index", l->path, error));
}

/* Appends a frame: rec (its offset is set here) and rec.cap_len bytes. The
 * header's link type is the first frame's. */
gboolean capture_loader_add(CaptureLoader *l, CaptureRecord rec, const guint8 *bytes,
                            GError **error)
{
	if (l->frames >= l->max_frames) {
		g_set_error(error, CAPTURE_ERROR, CAPTURE_ERROR_TOO_LARGE,
		            "Capture '%s' has more than %" G_GUINT64_FORMAT " frames, the most "
		            "one run loads; split it (editcap -c) and run each part",
		            l->path, l->max_frames);
		return FALSE;
	}
	/* caplen is below 2^32 and the rest below max_total (at most 64 GiB),
	 * so none of this can wrap. */
	guint64 at = align_up(l->data.len, FRAME_ALIGN);
	guint64 total = data_offset_for(l->frames + 1) + at + rec.cap_len;
	if (total > l->max_total) {
		g_set_error(error, CAPTURE_ERROR, CAPTURE_ERROR_TOO_LARGE,
		            "Capture '%s' needs more than %" G_GUINT64_FORMAT " bytes once "
		            "loaded (stopped at frame %" G_GUINT64_FORMAT "); split it "
		            "(editcap -c) and run each part",
		            l->path, l->max_total, l->frames + 1);
		return FALSE;
	}
	if (!capture_buf_reserve(&l->records, l->records.len + sizeof(CaptureRecord),
	                     "frame index", l->path, error) ||
	    !capture_buf_reserve(&l->data, at + rec.cap_len, "frame buffer", l->path, error))
		return FALSE;

	rec.offset = at;
	memcpy(l->records.base + l->records.len, &rec, sizeof(rec));
	l->records.len += sizeof(rec);
	if (rec.cap_len > 0)
		memcpy(l->data.base + at, bytes, rec.cap_len);
	l->data.len = at + rec.cap_len;

	if (l->frames == 0)
		l->link_type = rec.link_type;
	l->frames++;
	l->on_wire += rec.orig_len;
	l->captured += rec.cap_len;
	return TRUE;
}

/* ---- writing the memfd -------------------------------------------------- */

static gboolean set_system_error(GError **error, const char *doing, const char *path)
{
	int e = errno;
	g_set_error(error, CAPTURE_ERROR, CAPTURE_ERROR_SYSTEM,
	            "Cannot %s for capture '%s': %s", doing, path, g_strerror(e));
	return FALSE;
}

static gboolean pwrite_all(int fd, const void *buf, gsize len, guint64 off,
                           const char *path, GError **error)
{
	const guint8 *p = buf;
	while (len > 0) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return set_system_error(error, "write the memfd", path);
		if (n == 0) {
			errno = EIO;
			return set_system_error(error, "write the memfd (no progress)", path);
		}
		p += n;
		len -= (gsize)n;
		off += (guint64)n;
	}
	return TRUE;
}

/* Returns the sealed memfd, or -1. Releases each of the loader's buffers as
 * soon as it is written. */
int capture_loader_write_memfd(CaptureLoader *l, gboolean partial, CaptureHeader *out,
                               GError **error)
{
	CaptureHeader h = {
		.magic = CAPTURE_MAGIC,
		.version = CAPTURE_VERSION,
		.frame_count = l->frames,
		.records_offset = sizeof(CaptureHeader),
		.data_offset = data_offset_for(l->frames),
		.data_size = l->data.len,
		.link_type = l->link_type,
		.flags = partial ? CAPTURE_FLAG_PARTIAL : 0,
	};
	h.total_size = h.data_offset + h.data_size;

	int fd = memfd_create("expert-capture", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0) {
		set_system_error(error, "create the memfd", l->path);
		return -1;
	}
	/* The size first: the gap after the records reads as zeros, and a lack
	 * of memory shows up here, before any copying. */
	if (ftruncate(fd, (off_t)h.total_size) < 0) {
		set_system_error(error, "size the memfd", l->path);
		goto fail;
	}
	if (!pwrite_all(fd, &h, sizeof(h), 0, l->path, error) ||
	    !pwrite_all(fd, l->records.base, l->records.len, h.records_offset, l->path, error))
		goto fail;
	capture_buf_clear(&l->records);

	for (gsize done = 0; done < l->data.len;) {
		gsize n = MIN(WRITE_CHUNK, l->data.len - done);
		if (!pwrite_all(fd, l->data.base + done, n, h.data_offset + done, l->path, error))
			goto fail;
		/* Give the written chunk back now rather than at the end. */
		if (madvise(l->data.base + done, n, MADV_DONTNEED) < 0) {
			set_system_error(error, "release the frame buffer", l->path);
			goto fail;
		}
		done += n;
	}
	capture_buf_clear(&l->data);

	if (fcntl(fd, F_ADD_SEALS, SEALS) < 0) {
		set_system_error(error, "seal the memfd", l->path);
		goto fail;
	}
	*out = h;
	return fd;

fail:
	close(fd);
	return -1;
}
