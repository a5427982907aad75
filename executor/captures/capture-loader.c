/* capture-loader.c — the memfd of a capture being built (see
 * capture-loader.h).
 *
 * The memfd is written with pwrite, never through a mapping of it. Measured
 * on a 300 MB capture (bench/bench-memfd.c prints the comparison on each
 * machine; docs/architecture.md has this one's figures), a write lets the
 * kernel allocate each page of the memfd inside the write: no page fault,
 * and no zeroing of a page about to be overwritten. Through a writable
 * mapping each page costs a fault, and fallocate first zeroes every page
 * and populating the mapping still maps them one at a time: about twice
 * the time either way. Huge pages would cut the per-page costs, where the
 * kernel offers them for shared memory (shmem_enabled "always" or
 * "within_size" apply to writes as well). sendfile from the file would copy
 * in the kernel too, but only the file's bytes as they are, and frames must
 * start 16-byte aligned. Written pages are also "up to date", so a child's
 * read faults map them sixteen at a time.
 *
 * The index is only complete at the end, so it goes after the frames; the
 * header, written last, says where each part is. Nothing maps the memfd
 * writable, so F_SEAL_WRITE cannot fail with EBUSY. */
#include "captures/capture-loader.h"

#include "captures/capture-error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define FRAME_ALIGN     16
#define GROW_MIN        (gsize)(1u << 20)
/* Small enough to stay in the CPU's cache between the copy into it and the
 * kernel's copy out of it, large enough that a write costs little more
 * than the pages it fills. */
#define STAGE_SIZE      (gsize)(256u << 10)
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

/* Makes room for at least `need` bytes in all. */
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

/* ---- the layout ---------------------------------------------------------- */

/* The header, then the frames at a multiple of 16, then the index. */
#define DATA_OFFSET align_up(sizeof(CaptureHeader), FRAME_ALIGN)

static guint64 records_offset_for(guint64 data_len)
{
	return align_up(DATA_OFFSET + data_len, FRAME_ALIGN);
}

static guint64 total_for(guint64 frames, guint64 data_len)
{
	return records_offset_for(data_len) + frames * sizeof(CaptureRecord);
}

/* Frames left in their file: the header, the index at once after it, and
 * the file from the next page boundary on, where a child maps it. */
static guint64 page_size(void)
{
	return (guint64)sysconf(_SC_PAGESIZE);
}

static guint64 in_file_data_offset(guint64 frames)
{
	return align_up(DATA_OFFSET + frames * sizeof(CaptureRecord), page_size());
}

/* ---- writing ------------------------------------------------------------- */

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

/* The staged bytes are the last stage_len of the data. */
static gboolean stage_flush(CaptureLoader *l, GError **error)
{
	if (l->stage_len == 0)
		return TRUE;
	if (!pwrite_all(l->fd, l->stage, l->stage_len, DATA_OFFSET + l->data_len - l->stage_len,
	                l->path, error))
		return FALSE;
	l->stage_len = 0;
	return TRUE;
}

/* Puts len bytes at data offset at (>= data_len, less than 16 past it). */
static gboolean stage_put(CaptureLoader *l, guint64 at, const guint8 *bytes, gsize len,
                          GError **error)
{
	gsize pad = (gsize)(at - l->data_len);
	if (l->stage_len + pad + len > STAGE_SIZE && !stage_flush(l, error))
		return FALSE;
	if (pad + len > STAGE_SIZE) {
		/* A frame larger than the stage goes straight in; the padding
		 * before it is never written, so it reads as zero. */
		if (!pwrite_all(l->fd, bytes, len, DATA_OFFSET + at, l->path, error))
			return FALSE;
	} else {
		/* The stage is reused: its padding must be zeroed each time. */
		memset(l->stage + l->stage_len, 0, pad);
		memcpy(l->stage + l->stage_len + pad, bytes, len);
		l->stage_len += pad + len;
	}
	l->data_len = at + len;
	return TRUE;
}

/* ---- the API ------------------------------------------------------------- */

static void drop_file(CaptureLoader *l)
{
	if (l->in_file)
		close(l->file_fd);
	l->in_file = FALSE;
	l->file_fd = -1;
}

void capture_loader_clear(CaptureLoader *l)
{
	drop_file(l);
	if (l->stage) {
		close(l->fd);
		g_free(l->stage);
		l->stage = NULL;
	}
	capture_buf_clear(&l->records);
}

/* The index takes a record per frame; a typical capture has a frame per
 * 128 bytes of file or more, so reserving a quarter of the file's size
 * needs no growing. Untouched pages of the reservation cost nothing. */
gboolean capture_loader_start(CaptureLoader *l, guint64 file_size, GError **error)
{
	drop_file(l);
	if (l->count_only) {
		l->data_len = l->frames = l->on_wire = l->captured = 0;
		return TRUE;
	}
	if (!l->stage) {
		int fd = memfd_create("expert-capture", MFD_CLOEXEC | MFD_ALLOW_SEALING);
		if (fd < 0)
			return set_system_error(error, "create the memfd", l->path);
		l->fd = fd;
		l->stage = g_malloc(STAGE_SIZE);
	} else if (ftruncate(l->fd, 0) < 0) {
		return set_system_error(error, "empty the memfd", l->path);
	}
	capture_buf_clear(&l->records);
	l->stage_len = 0;
	l->data_len = l->frames = l->on_wire = l->captured = 0;
	guint64 hint = MIN(file_size, l->max_total) / 4;
	return hint == 0 || capture_buf_reserve(&l->records, hint, "frame index", l->path, error);
}

/* Only a regular file is sure to map and to keep its length unless someone
 * truncates it; a trial mapping asks its filesystem. */
gboolean capture_loader_map_file(CaptureLoader *l, int fd)
{
	g_return_val_if_fail(l->stage != NULL && l->frames == 0, FALSE);
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0)
		return FALSE;
	void *trial = mmap(NULL, (size_t)page_size(), PROT_READ, MAP_SHARED, fd, 0);
	if (trial == MAP_FAILED)
		return FALSE;
	munmap(trial, (size_t)page_size());
	int own = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (own < 0)
		return FALSE;
	drop_file(l);
	l->in_file = TRUE;
	l->file_fd = own;
	return TRUE;
}

static gboolean too_many_frames(const CaptureLoader *l, GError **error)
{
	if (l->frames < l->max_frames)
		return FALSE;
	g_set_error(error, CAPTURE_ERROR, CAPTURE_ERROR_TOO_LARGE,
	            "Capture '%s' has more than %" G_GUINT64_FORMAT " frames, the most "
	            "one run loads; split it (editcap -c) and run each part",
	            l->path, l->max_frames);
	return TRUE;
}

static gboolean too_large(const CaptureLoader *l, guint64 total, GError **error)
{
	if (total <= l->max_total)
		return FALSE;
	g_set_error(error, CAPTURE_ERROR, CAPTURE_ERROR_TOO_LARGE,
	            "Capture '%s' needs more than %" G_GUINT64_FORMAT " bytes once "
	            "loaded (stopped at frame %" G_GUINT64_FORMAT "); split it "
	            "(editcap -c) and run each part",
	            l->path, l->max_total, l->frames + 1);
	return TRUE;
}

static gboolean append_record(CaptureLoader *l, const CaptureRecord *rec, GError **error)
{
	if (!capture_buf_reserve(&l->records, l->records.len + sizeof(CaptureRecord),
	                         "frame index", l->path, error))
		return FALSE;
	memcpy(l->records.base + l->records.len, rec, sizeof(*rec));
	l->records.len += sizeof(*rec);
	return TRUE;
}

static void count(CaptureLoader *l, const CaptureRecord *rec)
{
	if (l->frames == 0)
		l->link_type = rec->link_type;
	l->frames++;
	l->on_wire += rec->orig_len;
	l->captured += rec->cap_len;
}

/* A frame's bytes into the memfd and its record into the index, within
 * the loader's limits. caplen is below 2^32 and the rest below max_total
 * (at most 64 GiB), so none of this can wrap. */
static gboolean store(CaptureLoader *l, CaptureRecord rec, const guint8 *bytes, GError **error)
{
	guint64 at = align_up(l->data_len, FRAME_ALIGN);
	if (too_many_frames(l, error) || too_large(l, total_for(l->frames + 1, at + rec.cap_len), error) ||
	    !stage_put(l, at, bytes, rec.cap_len, error))
		return FALSE;
	rec.offset = at;
	return append_record(l, &rec, error);
}

gboolean capture_loader_add(CaptureLoader *l, CaptureRecord rec, const guint8 *bytes,
                            GError **error)
{
	g_return_val_if_fail(l->stage != NULL || l->count_only, FALSE);
	g_return_val_if_fail(!l->in_file, FALSE);
	if (!l->count_only && !store(l, rec, bytes, error))
		return FALSE;
	count(l, &rec);
	return TRUE;
}

/* Offsets are below the file's size, at most 2^63, and records come in
 * the file's order: no sum here wraps. */
gboolean capture_loader_add_at(CaptureLoader *l, CaptureRecord rec, const guint8 *bytes,
                               guint64 file_offset, guint64 in_file, GError **error)
{
	if (!l->in_file)
		return capture_loader_add(l, rec, bytes, error);
	g_return_val_if_fail(in_file >= rec.cap_len && file_offset >= l->data_len, FALSE);
	if (too_many_frames(l, error) ||
	    too_large(l, in_file_data_offset(l->frames + 1) + file_offset + in_file, error))
		return FALSE;
	rec.offset = file_offset;
	if (!append_record(l, &rec, error))
		return FALSE;
	l->data_len = file_offset + in_file;
	count(l, &rec);
	return TRUE;
}

/* Seals what was written, and hands the memfd over. */
static int seal_and_take(CaptureLoader *l, const CaptureHeader *h, guint64 size, GError **error)
{
	if (!pwrite_all(l->fd, l->records.base, l->records.len, h->records_offset, l->path, error) ||
	    !pwrite_all(l->fd, h, sizeof(*h), 0, l->path, error))
		return -1;
	capture_buf_clear(&l->records);
	/* ftruncate sets the exact size, also when the index is empty. */
	if (ftruncate(l->fd, (off_t)size) < 0) {
		set_system_error(error, "size the memfd", l->path);
		return -1;
	}
	if (fcntl(l->fd, F_ADD_SEALS, SEALS) < 0) {
		set_system_error(error, "seal the memfd", l->path);
		return -1;
	}
	int fd = l->fd;
	g_clear_pointer(&l->stage, g_free);
	return fd;
}

int capture_loader_finish(CaptureLoader *l, gboolean partial, CaptureHeader *out,
                          int *file_fd, GError **error)
{
	*file_fd = -1;
	if (!l->stage && !capture_loader_start(l, 0, error))
		return -1;
	CaptureHeader h = {
		.magic = CAPTURE_MAGIC,
		.version = CAPTURE_VERSION,
		.frame_count = l->frames,
		.link_type = l->link_type,
		.flags = partial ? CAPTURE_FLAG_PARTIAL : 0,
	};
	if (l->in_file) {
		/* The file's first data_len bytes follow the index, from the
		 * page boundary the memfd ends at. */
		h.records_offset = DATA_OFFSET;
		h.data_offset = in_file_data_offset(l->frames);
		h.data_size = l->data_len;
		h.total_size = h.data_offset + l->data_len;
		h.flags |= CAPTURE_FLAG_IN_FILE;
		int fd = seal_and_take(l, &h, h.data_offset, error);
		if (fd < 0)
			return -1;
		*file_fd = l->file_fd;
		l->in_file = FALSE;
		l->file_fd = -1;
		*out = h;
		return fd;
	}
	h.records_offset = records_offset_for(l->data_len);
	h.data_offset = DATA_OFFSET;
	h.data_size = l->data_len;
	h.total_size = total_for(l->frames, l->data_len);
	/* The gaps (after the header, after the last frame) were never
	 * written: they read as zeros. */
	if (!stage_flush(l, error))
		return -1;
	int fd = seal_and_take(l, &h, h.total_size, error);
	if (fd >= 0)
		*out = h;
	return fd;
}
