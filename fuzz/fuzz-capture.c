/* fuzz-capture.c — the capture loader (executor/captures/capture.h) on arbitrary
 * files, through libpcap, as `expert-exec run CAPTURE` would meet them.
 *
 * The input goes into a memfd and is loaded by the path /proc/self/fd/N, so
 * libpcap opens it as a file of its own (its own offset), exactly like a
 * capture on disk, without touching the file system. The loader's limits are
 * small so a record claiming gigabytes is refused rather than held.
 *
 * Properties:
 *  1. a failure is a GError of CAPTURE_ERROR with a message; never a crash;
 *  2. a success is a memfd laid out as capture-format.h and capture.c's
 *     header comment say: sealed against writing, growing, shrinking and
 *     resealing; its size the header's total_size and Capture.size; data
 *     right after the header at a multiple of 16, the records after the
 *     data at the next multiple of 16, ending the memfd; every frame inside
 *     the data, at a multiple of 16, in order, not overlapping; the
 *     padding zero; data_size ending at the last frame's last byte; the
 *     sums and counts equal to what Capture reports; ts_nsec below 1e9;
 *     partial iff the header's flag iff there is a reason; all within the
 *     limits it was given;
 *  3. and it holds what libpcap reads from the same file, read here on its
 *     own: each frame libpcap reads, with libpcap's lengths, bytes and
 *     timestamp (the same instant, nanoseconds carried into seconds); as
 *     many frames, partial iff libpcap stops with an error. Except for a
 *     pcapng file libpcap stops reading with an error: capture.c may have
 *     read it again with pcapng.c (fuzz-pcapng compares the two readers),
 *     so there the frames libpcap read are only checked to be there;
 *  4. loaded again with its frames left in the file where they can be,
 *     it is the same capture: the same frames (every field but the offset,
 *     and the bytes, read through the child's view of the memfd and the
 *     file), partial alike, with that layout (the index right after the
 *     header, the file from the page boundary the memfd ends at, frames in
 *     order inside the file's mapped bytes); or it is refused for size
 *     alone, the layouts needing different room.
 */
#include "fuzz.h"

#include "captures/capture.h"
#include "capture-format.h"
#include "protocol/capture-view.h"

#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FRAMES 4096
#define MAX_TOTAL  (G_GUINT64_CONSTANT(16) << 20)
#define SEALS      (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)

/* One memfd for every input, rewritten each time: no descriptor churn. */
static int input_fd = -1;
static char input_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	input_fd = memfd_create("fuzz-capture-input", MFD_CLOEXEC);
	if (input_fd < 0) {
		perror("fuzz-capture: memfd_create");
		abort();
	}
	snprintf(input_path, sizeof(input_path), "/proc/self/fd/%d", input_fd);
	return 0;
}

static void write_input(const uint8_t *data, size_t size)
{
	FUZZ_CHECK(ftruncate(input_fd, 0) == 0, "ftruncate: %s", strerror(errno));
	for (size_t done = 0; done < size;) {
		ssize_t n = pwrite(input_fd, data + done, size - done, (off_t)done);
		FUZZ_CHECK(n > 0 || (n < 0 && errno == EINTR), "pwrite: %s", strerror(errno));
		if (n > 0)
			done += (size_t)n;
	}
}

static gboolean all_zero(const guint8 *p, guint64 n)
{
	for (guint64 i = 0; i < n; i++)
		if (p[i] != 0)
			return FALSE;
	return TRUE;
}

/* How frame k differs from what libpcap gave for it, or NULL. libpcap's
 * timestamp is tv_sec plus tv_usec nanoseconds (the loader asks for
 * nanosecond precision), tv_usec possibly a second or more on a damaged
 * record; the record's must be the same instant. */
static char *frame_differs(const guint8 *base, const CaptureHeader *h, guint64 k,
                           const struct pcap_pkthdr *hdr, const u_char *bytes)
{
	CaptureRecord rec;
	gint64 sec;

	memcpy(&rec, base + h->records_offset + k * sizeof(rec), sizeof(rec));
	if (rec.cap_len != hdr->caplen || rec.orig_len != hdr->len)
		return g_strdup_printf("frame %" G_GUINT64_FORMAT ": lengths %u/%u, libpcap's %u/%u", k,
		                       rec.cap_len, rec.orig_len, hdr->caplen, hdr->len);
	if (rec.cap_len > 0 && memcmp(base + h->data_offset + rec.offset, bytes, rec.cap_len) != 0)
		return g_strdup_printf("frame %" G_GUINT64_FORMAT ": other bytes than libpcap's", k);
	gint64 nsec_diff = (gint64)hdr->ts.tv_usec - (gint64)rec.ts_nsec;
	if (nsec_diff % 1000000000 != 0
	    || __builtin_add_overflow((gint64)hdr->ts.tv_sec, nsec_diff / 1000000000, &sec)
	    || sec != rec.ts_sec)
		return g_strdup_printf("frame %" G_GUINT64_FORMAT ": %" G_GINT64_FORMAT ".%09u s, libpcap's %"
		                       G_GINT64_FORMAT " s + %" G_GINT64_FORMAT " ns", k, rec.ts_sec,
		                       rec.ts_nsec, (gint64)hdr->ts.tv_sec, (gint64)hdr->ts.tv_usec);
	return NULL;
}

/* Property 3. */
static void compare_with_libpcap(const Capture *c, const guint8 *base, const CaptureHeader *h)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_open_offline_with_tstamp_precision(input_path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	FUZZ_CHECK(p != NULL, "libpcap cannot open what the loader loaded: %s", errbuf);

	g_autofree char *difference = NULL;
	guint64 i = 0;
	int r;
	struct pcap_pkthdr *hdr;
	const u_char *bytes;
	while ((r = pcap_next_ex(p, &hdr, &bytes)) == 1) {
		FUZZ_CHECK(i < h->frame_count, "libpcap reads more than %" G_GUINT64_FORMAT " frames", h->frame_count);
		if (difference == NULL)
			difference = frame_differs(base, h, i, hdr, bytes);
		i++;
	}
	pcap_close(p);
	/* A pcapng file libpcap stops reading with an error may be one
	 * capture.c read again with pcapng.c, whose frames may differ where
	 * pcapng.h says. */
	if (r != PCAP_ERROR_BREAK && strcmp(c->format, "pcapng") == 0)
		return;
	FUZZ_CHECK(difference == NULL, "%s", difference);
	FUZZ_CHECK(i == h->frame_count, "libpcap reads %" G_GUINT64_FORMAT " frames, the loader %" G_GUINT64_FORMAT,
	           i, h->frame_count);
	FUZZ_CHECK((r != PCAP_ERROR_BREAK) == c->partial, "libpcap ends with %d, the loader %s", r,
	           c->partial ? "partial" : "complete");
}

/* Property 4, against the copied load c, mapped at cbase. */
static void check_in_file(const Capture *c, const guint8 *cbase, const CaptureHeader *ch)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(Capture) m = capture_load_with_limits(input_path, CAPTURE_FRAMES_IN_FILE_IF_ABLE,
	                                                MAX_FRAMES, MAX_TOTAL, &error);
	if (!m) {
		FUZZ_CHECK(error && error->domain == CAPTURE_ERROR && error->code == CAPTURE_ERROR_TOO_LARGE,
		           "loaded copied, not in the file: %s", error ? error->message : "(no error)");
		return;
	}
	FUZZ_CHECK(m->frame_count == c->frame_count && m->partial == c->partial &&
	           g_strcmp0(m->partial_reason, c->partial_reason) == 0 &&
	           m->bytes_on_wire == c->bytes_on_wire && m->bytes_captured == c->bytes_captured &&
	           m->link_type == c->link_type && g_strcmp0(m->reader, c->reader) == 0,
	           "in the file: %" G_GUINT64_FORMAT " frames (%s), copied: %" G_GUINT64_FORMAT " (%s)",
	           m->frame_count, m->partial_reason ? m->partial_reason : "whole", c->frame_count,
	           c->partial_reason ? c->partial_reason : "whole");
	if (m->file_fd < 0)
		return; /* copied too: what check_layout checked */
	struct stat st;
	FUZZ_CHECK(fstat(m->fd, &st) == 0 && (guint64)st.st_size == m->memfd_size,
	           "the memfd is not memfd_size long");
	guint8 *base = capture_view_map(m->fd, m->memfd_size, m->file_fd, m->size);
	FUZZ_CHECK(base != MAP_FAILED, "capture_view_map: %s", strerror(errno));
	CaptureHeader h;
	memcpy(&h, base, sizeof(h));
	guint64 n = h.frame_count, page = (guint64)sysconf(_SC_PAGESIZE);
	FUZZ_CHECK(h.magic == CAPTURE_MAGIC && n == c->frame_count &&
	           h.flags == (CAPTURE_FLAG_IN_FILE | (c->partial ? CAPTURE_FLAG_PARTIAL : 0)),
	           "in-file header: flags 0x%x", h.flags);
	FUZZ_CHECK(h.records_offset == 64 && h.data_offset % page == 0 &&
	           h.data_offset >= h.records_offset + n * sizeof(CaptureRecord) &&
	           h.data_offset - (h.records_offset + n * sizeof(CaptureRecord)) < page &&
	           h.data_offset == m->memfd_size && h.total_size == m->size &&
	           h.total_size == h.data_offset + h.data_size && h.data_size == m->file_bytes,
	           "in-file layout: records %" G_GUINT64_FORMAT ", data %" G_GUINT64_FORMAT "+%"
	           G_GUINT64_FORMAT ", total %" G_GUINT64_FORMAT, h.records_offset, h.data_offset,
	           h.data_size, h.total_size);
	guint64 end = 0;
	for (guint64 i = 0; i < n; i++) {
		CaptureRecord r, cr;
		memcpy(&r, base + h.records_offset + i * sizeof(r), sizeof(r));
		memcpy(&cr, cbase + ch->records_offset + i * sizeof(cr), sizeof(cr));
		FUZZ_CHECK(r.offset >= end && r.offset <= h.data_size && r.cap_len <= h.data_size - r.offset,
		           "in-file frame %" G_GUINT64_FORMAT " at %" G_GUINT64_FORMAT, i, r.offset);
		FUZZ_CHECK(r.ts_sec == cr.ts_sec && r.ts_nsec == cr.ts_nsec && r.link_type == cr.link_type &&
		           r.orig_len == cr.orig_len && r.cap_len == cr.cap_len &&
		           memcmp(base + h.data_offset + r.offset, cbase + ch->data_offset + cr.offset,
		                  r.cap_len) == 0,
		           "in-file frame %" G_GUINT64_FORMAT " differs from the copied one", i);
		end = r.offset + r.cap_len;
	}
	munmap(base, m->size);
}

static void check_layout(const Capture *c)
{
	struct stat st;
	FUZZ_CHECK(fstat(c->fd, &st) == 0, "fstat: %s", strerror(errno));
	FUZZ_CHECK((guint64)st.st_size == c->size, "memfd is %jd bytes, Capture.size %" G_GSIZE_FORMAT,
	           (intmax_t)st.st_size, c->size);
	int seals = fcntl(c->fd, F_GET_SEALS);
	FUZZ_CHECK(seals >= 0 && (seals & SEALS) == SEALS, "seals 0x%x", seals);
	FUZZ_CHECK(c->size >= sizeof(CaptureHeader) && c->size <= MAX_TOTAL, "size %" G_GSIZE_FORMAT, c->size);
	FUZZ_CHECK(c->frame_count <= MAX_FRAMES, "%" G_GUINT64_FORMAT " frames", c->frame_count);
	FUZZ_CHECK(c->format && (strcmp(c->format, "pcap") == 0 || strcmp(c->format, "pcapng") == 0),
	           "format %s", c->format ? c->format : "(null)");
	FUZZ_CHECK(!c->partial == !c->partial_reason, "partial %d with reason %s", c->partial,
	           c->partial_reason ? c->partial_reason : "(null)");

	guint8 *base = mmap(NULL, c->size, PROT_READ, MAP_SHARED, c->fd, 0);
	FUZZ_CHECK(base != MAP_FAILED, "mmap: %s", strerror(errno));

	CaptureHeader h;
	memcpy(&h, base, sizeof(h));
	guint64 n = h.frame_count;
	FUZZ_CHECK(h.magic == CAPTURE_MAGIC && h.version == CAPTURE_VERSION, "magic 0x%x version %u",
	           h.magic, h.version);
	FUZZ_CHECK(n == c->frame_count, "header says %" G_GUINT64_FORMAT " frames", n);
	guint64 header_end = sizeof(CaptureHeader), data_end = h.data_offset + h.data_size;
	FUZZ_CHECK(h.data_offset % 16 == 0 && h.data_offset >= header_end && h.data_offset < header_end + 16,
	           "data at %" G_GUINT64_FORMAT, h.data_offset);
	FUZZ_CHECK(h.data_size <= c->size && h.data_offset <= c->size - h.data_size,
	           "data %" G_GUINT64_FORMAT "+%" G_GUINT64_FORMAT " past the memfd", h.data_offset,
	           h.data_size);
	FUZZ_CHECK(h.records_offset % 16 == 0 && h.records_offset >= data_end &&
	           h.records_offset < data_end + 16,
	           "records at %" G_GUINT64_FORMAT " for data ending at %" G_GUINT64_FORMAT,
	           h.records_offset, data_end);
	FUZZ_CHECK(h.total_size == c->size && h.records_offset <= h.total_size &&
	           h.total_size - h.records_offset == n * sizeof(CaptureRecord),
	           "total %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT " records at %" G_GUINT64_FORMAT,
	           h.total_size, n, h.records_offset);
	FUZZ_CHECK(h.link_type == c->link_type, "link type %u vs %u", h.link_type, c->link_type);
	FUZZ_CHECK(!(h.flags & CAPTURE_FLAG_PARTIAL) == !c->partial && !(h.flags & ~CAPTURE_FLAG_PARTIAL),
	           "flags 0x%x, partial %d", h.flags, c->partial);
	FUZZ_CHECK(all_zero(base + header_end, h.data_offset - header_end), "padding after the header");
	FUZZ_CHECK(all_zero(base + data_end, h.records_offset - data_end), "padding before the records");

	const guint8 *data = base + h.data_offset;
	guint64 end = 0, on_wire = 0, captured = 0;
	for (guint64 i = 0; i < n; i++) {
		CaptureRecord r;
		memcpy(&r, base + h.records_offset + i * sizeof(r), sizeof(r));
		FUZZ_CHECK(r.offset % 16 == 0 && r.offset >= end && r.offset - end < 16,
		           "frame %" G_GUINT64_FORMAT " at %" G_GUINT64_FORMAT ", previous ends at %" G_GUINT64_FORMAT,
		           i, r.offset, end);
		FUZZ_CHECK(r.offset <= h.data_size && r.cap_len <= h.data_size - r.offset, "frame %" G_GUINT64_FORMAT " runs past the data", i);
		FUZZ_CHECK(r.ts_nsec < 1000000000u, "frame %" G_GUINT64_FORMAT ": ts_nsec %u", i, r.ts_nsec);
		FUZZ_CHECK(i > 0 || r.link_type == h.link_type, "the first frame's link type %u is not the header's %u",
		           r.link_type, h.link_type);
		FUZZ_CHECK(all_zero(data + end, r.offset - end), "padding before frame %" G_GUINT64_FORMAT, i);
		end = r.offset + r.cap_len;
		on_wire += r.orig_len;
		captured += r.cap_len;
	}
	FUZZ_CHECK(end == h.data_size, "data ends at %" G_GUINT64_FORMAT ", last frame at %" G_GUINT64_FORMAT,
	           h.data_size, end);
	FUZZ_CHECK(on_wire == c->bytes_on_wire && captured == c->bytes_captured,
	           "sums %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " vs %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT,
	           on_wire, captured, c->bytes_on_wire, c->bytes_captured);
	compare_with_libpcap(c, base, &h);
	check_in_file(c, base, &h);
	munmap(base, c->size);

	/* Sealed means sealed: no writing by any route. */
	guint8 byte = 0;
	FUZZ_CHECK(pwrite(c->fd, &byte, 1, 0) < 0, "a sealed capture took a write");
	FUZZ_CHECK(ftruncate(c->fd, (off_t)c->size + 1) < 0, "a sealed capture grew");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;

	write_input(data, size);
	g_autoptr(Capture) c = capture_load_with_limits(input_path, CAPTURE_FRAMES_COPIED, MAX_FRAMES,
	                                                MAX_TOTAL, &error);
	if (c == NULL) {
		FUZZ_CHECK(error != NULL && error->domain == CAPTURE_ERROR && error->message[0] != '\0',
		           "a failed load without a CAPTURE_ERROR");
		return 0;
	}
	FUZZ_CHECK(error == NULL, "a loaded capture with an error set");
	check_layout(c);
	return 0;
}
