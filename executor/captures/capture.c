/* capture.c — a pcap or pcapng file, read once, becomes a sealed memfd laid
 * out as in capture-format.h, in one of two ways:
 *
 *   CaptureHeader | pad to 16 | frame bytes | pad to 16 | CaptureRecord[frame_count]
 *
 * where the frames are copied: every frame's bytes start at a multiple of 16
 * from the start of the mapping (data_offset and each record's offset are
 * multiples of 16). Padding is zero. data_size ends at the last frame's last
 * byte; the index follows at the next multiple of 16 and ends the memfd
 * (total_size). Or, where a pcap file's frames can stay in it,
 *
 *   CaptureHeader | CaptureRecord[frame_count] | pad to a page ] the file
 *
 * and each child maps the file's first data_size bytes, read-only, after
 * the memfd: each record's offset is its bytes' offset in the file. Loading
 * then copies nothing; what it gives up is the seal over the bytes (the
 * index is still sealed): a file rewritten in place after the load shows
 * its new bytes to the jobs that read them after, and one truncated kills
 * a job that reads past its new end with SIGBUS, which the executor then
 * tells apart from the expert's own crash (capture_file_shrank). `run
 * --copy-capture` copies instead.
 *
 * One pass over the file appends every frame to a loader (capture-loader.c),
 * which writes the frames into the memfd as they come, or only notes where
 * they lie, and the index after them. libpcap opens every file and checks
 * its header. The records of a pcap file are then read straight from the
 * descriptor (pcap-records.c), as libpcap would read them but without its
 * copies; those of the pcap files pcap-records.c leaves to libpcap (it says
 * which), and of every pcapng file, are read with pcap_next_ex and copied.
 *
 * libpcap 1.10 gives one link type per file and refuses a pcapng whose
 * interfaces differ in link type or snaplen (mergecap makes such files). When
 * it stops on that refusal, the file is read again from its start with
 * pcapng.c, a block at a time, and every frame carries its own interface's
 * link type. Every reader appends frames through capture_loader_add.
 */
#include "captures/capture.h"

#include "capture-format.h"
#include "captures/capture-loader.h"
#include "captures/pcap-records.h"
#include "captures/pcapng.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC(pcap_t, pcap_close)

/* The Section Header Block type; a palindrome, so it reads the same in either
 * byte order. Any other magic libpcap accepts is one of pcap's. */
#define PCAPNG_SHB_MAGIC 0x0A0D0D0Au

/* Interfaces of one pcapng section that pcapng.c keeps; an IDB past them
 * ends the reading as partial. Capture tools write a few, mergecap one per
 * input file. */
#define PCAPNG_INTERFACES_MAX (1u << 16)

/* What pcap_next_ex says when libpcap 1.10 (sf-pcapng.c, unchanged from
 * 1.10.0 to 1.10.6) meets an IDB whose link type or snaplen differs from the
 * first IDB's: "an interface has a type 1 different from the type of the
 * first interface", "an interface has a snapshot length 65535 different from
 * the snapshot length of the first interface". It compares its DLT with the
 * IDB's LINKTYPE, so it also refuses a second LINKTYPE_RAW (101 vs DLT_RAW
 * 12) interface. pcap_open never does: it reads only up to the first IDB.
 * tests/unit/test-capture.c pins these messages. */
static const char *const libpcap_interface_refusals[] = {
	"an interface has a type ",
	"an interface has a snapshot length ",
};

/* capture-format.h promises LINKTYPE_* values; pcap_datalink() gives DLT_*.
 * On Linux they agree except for these old codes below 104, which libpcap maps
 * when it reads a file (LINKTYPE_RAW 101 comes back as DLT_RAW 12). libpcap's
 * reverse map is not public, so these few are mapped back here. */
static const struct {
	int dlt;
	guint32 linktype;
} dlt_linktypes[] = {
	{ DLT_ATM_RFC1483, 100 },
	{ DLT_RAW,         101 },
	{ DLT_SLIP_BSDOS,  102 },
	{ DLT_PPP_BSDOS,   103 },
	{ DLT_ATM_CLIP,    106 },
};

static guint32 linktype_of_dlt(int dlt)
{
	for (gsize i = 0; i < G_N_ELEMENTS(dlt_linktypes); i++)
		if (dlt_linktypes[i].dlt == dlt)
			return dlt_linktypes[i].linktype;
	return (guint32)dlt;
}

/* "pcap" or "pcapng", and the file's first four bytes. Read from the
 * descriptor libpcap already opened (pread leaves its stdio position alone),
 * so it is the same file libpcap reads even if the path is replaced
 * meanwhile. */
static const char *detect_format(pcap_t *p, const char *path, guint32 *magic_out,
                                 GError **error)
{
	FILE *fp = pcap_file(p);
	guint32 magic = 0;
	errno = EBADF; /* if libpcap has no FILE */
	ssize_t n = fp ? pread(fileno(fp), &magic, sizeof(magic), 0) : -1;
	if (n != (ssize_t)sizeof(magic)) {
		int e = errno;
		/* A pipe ("-" is stdin to libpcap) cannot be read twice. */
		g_set_error(error, CAPTURE_ERROR, CAPTURE_ERROR_OPEN,
		            "Cannot read the magic number of capture '%s': %s", path,
		            n < 0 ? g_strerror(e) : "the file shrank while being opened");
		return NULL;
	}
	*magic_out = magic;
	return magic == PCAPNG_SHB_MAGIC ? "pcapng" : "pcap";
}

/* ---- with libpcap ---------------------------------------------------------- */

static gboolean is_interface_refusal(const char *message)
{
	for (gsize i = 0; i < G_N_ELEMENTS(libpcap_interface_refusals); i++)
		if (g_str_has_prefix(message, libpcap_interface_refusals[i]))
			return TRUE;
	return FALSE;
}

/* Reads to the end or to the first bad record. Returns FALSE only for the
 * loader's own failures (limits, memory); a bad record sets *partial_reason,
 * and *refused too if it is an IDB libpcap cannot take. */
static gboolean read_with_libpcap(CaptureLoader *l, pcap_t *p, char **partial_reason,
                                  gboolean *refused, GError **error)
{
	guint32 link_type = linktype_of_dlt(pcap_datalink(p));
	for (;;) {
		struct pcap_pkthdr *hdr;
		const u_char *bytes;
		int r = pcap_next_ex(p, &hdr, &bytes);
		if (r == 1) {
			if (!capture_loader_add(l, pcap_record_of_pkthdr(hdr, link_type), bytes, error))
				return FALSE;
			continue;
		}
		if (r == PCAP_ERROR_BREAK) /* end of file */
			return TRUE;
		/* PCAP_ERROR, or anything a savefile should never give. */
		*refused = r == PCAP_ERROR && is_interface_refusal(pcap_geterr(p));
		*partial_reason = g_strdup_printf("stopped after frame %" G_GUINT64_FORMAT
		                                  ": %s", l->frames,
		                                  r == PCAP_ERROR ? pcap_geterr(p)
		                                                  : "unexpected result from pcap_next_ex");
		return TRUE;
	}
}

/* ---- with pcapng.c ----------------------------------------------------------- */

/* The whole file again, from the descriptor libpcap opened, a block at a
 * time (a block is at most PCAPNG_MAX_BLOCK): the file is never held whole.
 * Returns like read_with_libpcap, with the same partial_reason prefix. */
static gboolean read_with_pcapng(CaptureLoader *l, int fd, char **partial_reason, GError **error)
{
	g_autofree PcapngInterface *interfaces = g_new(PcapngInterface, PCAPNG_INTERFACES_MAX);
	PcapngReader r;
	pcapng_reader_init(&r, interfaces, PCAPNG_INTERFACES_MAX);
	g_auto(CaptureBuf) block = { 0 };
	for (;;) {
		guint32 len = 0;
		PcapngPacket packet;
		PcapngStatus s = PCAPNG_BAD;
		int read_errno = 0;
		if (!capture_buf_reserve(&block, PCAPNG_PEEK_SIZE, "pcapng block buffer", l->path, error))
			return FALSE;
		gssize head = pcap_records_pread(fd, block.base, PCAPNG_PEEK_SIZE, r.offset);
		if (head < 0)
			read_errno = errno;
		else
			s = pcapng_reader_peek(&r, block.base, (gsize)head, &len);
		if (s == PCAPNG_BLOCK) {
			/* So head is PCAPNG_PEEK_SIZE, at most len. */
			if (!capture_buf_reserve(&block, len, "pcapng block buffer", l->path, error))
				return FALSE;
			gssize rest = pcap_records_pread(fd, block.base + head, len - (gsize)head,
			                         r.offset + (guint64)head);
			if (rest < 0) {
				read_errno = errno;
				s = PCAPNG_BAD;
			} else {
				s = pcapng_reader_block(&r, block.base, (gsize)(head + rest), &packet);
			}
		}
		if (s == PCAPNG_PACKET) {
			CaptureRecord rec = {
				.ts_sec = packet.ts_sec,
				.ts_nsec = packet.ts_nsec,
				.link_type = packet.link_type,
				.orig_len = packet.orig_len,
				.cap_len = packet.cap_len,
			};
			if (!capture_loader_add(l, rec, packet.data, error))
				return FALSE;
		} else if (s == PCAPNG_END) {
			return TRUE;
		} else if (s == PCAPNG_BAD) {
			*partial_reason = g_strdup_printf("stopped after frame %" G_GUINT64_FORMAT ": %s "
			                                  "at offset %" G_GUINT64_FORMAT ": %s", l->frames,
			                                  read_errno ? "cannot read" : "pcapng block",
			                                  r.offset, read_errno ? g_strerror(read_errno)
			                                                       : r.reason);
			return TRUE;
		}
	}
}

/* ---- the API ------------------------------------------------------------ */

/* Every frame of path, appended to l (which the caller set up: limits, or
 * count_only); *format and *reader say what the file was and which reader
 * took it. A bad record sets *partial_reason; FALSE only for a file that is
 * no capture at all, or the loader's own failures. */
static gboolean read_frames(const char *path, CaptureLoader *l, CaptureFrames frames,
                            const char **format_out, const char **reader_out,
                            char **partial_reason, GError **error)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	/* Nanosecond precision makes libpcap scale microsecond pcap files by
	 * 1000 and hand pcapng timestamps over at full resolution. */
	g_autoptr(pcap_t) p = pcap_open_offline_with_tstamp_precision(
		path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!p) {
		g_set_error(error, CAPTURE_ERROR, CAPTURE_ERROR_OPEN,
		            "Cannot open capture '%s': %s", path, errbuf);
		return FALSE;
	}
	guint32 magic = 0;
	const char *format = detect_format(p, path, &magic, error);
	if (!format)
		return FALSE;
	/* The first IDB's, for a file of no frames; else capture_loader_add
	 * makes it the first frame's. */
	l->link_type = linktype_of_dlt(pcap_datalink(p));

	/* detect_format read from it, so pcap_file(p) has a descriptor. */
	int fd = fileno(pcap_file(p));
	struct stat st;
	guint64 file_size = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0
	                    ? (guint64)st.st_size : 0;
	gboolean refused = FALSE;
	PcapFile pcap_file_info;
	pcap_file_from_open(&pcap_file_info, p, magic, l->link_type);
	gboolean direct = g_str_equal(format, "pcap") && !pcap_records_refusal(&pcap_file_info);
	const char *reader = direct ? CAPTURE_READER_DIRECT : CAPTURE_READER_LIBPCAP;
	if (!capture_loader_start(l, file_size, error))
		return FALSE;
	/* pcap-records.c takes every frame's bytes as they lie in the file:
	 * they can stay there. */
	if (direct && frames == CAPTURE_FRAMES_IN_FILE_IF_ABLE && !l->count_only)
		(void)capture_loader_map_file(l, fd);
	if (direct
	    ? !pcap_records_read(l, fd, &pcap_file_info, partial_reason, error)
	    : !read_with_libpcap(l, p, partial_reason, &refused, error))
		return FALSE;
	if (refused && g_str_equal(format, "pcapng")) {
		reader = CAPTURE_READER_PCAPNG;
		/* Whatever libpcap read before its refusal, pcapng.c reads again. */
		guint64 libpcap_frames = l->frames;
		g_autofree char *libpcap_reason = g_steal_pointer(partial_reason);
		if (!capture_loader_start(l, file_size, error) ||
		    !read_with_pcapng(l, fd, partial_reason, error))
			return FALSE;
		/* pcapng.c is stricter than libpcap in a few places (a section
		 * header's trailing length, a later section's version or magic);
		 * where that makes it stop before what libpcap had read, libpcap's
		 * frames are kept, so the fallback never costs a frame. */
		if (l->frames < libpcap_frames) {
			g_autoptr(pcap_t) again = pcap_open_offline_with_tstamp_precision(
				path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
			if (!again) {
				g_set_error(error, CAPTURE_ERROR, CAPTURE_ERROR_OPEN,
				            "Cannot reopen capture '%s': %s", path, errbuf);
				return FALSE;
			}
			g_clear_pointer(partial_reason, g_free);
			reader = CAPTURE_READER_LIBPCAP;
			if (!capture_loader_start(l, file_size, error) ||
			    !read_with_libpcap(l, again, partial_reason, &refused, error))
				return FALSE;
			if (!*partial_reason)
				*partial_reason = g_steal_pointer(&libpcap_reason);
		}
	}
	*format_out = format;
	*reader_out = reader;
	return TRUE;
}

static Capture *capture_of(const char *path, const CaptureLoader *l, const char *format,
                           const char *reader, char *partial_reason)
{
	Capture *c = g_new0(Capture, 1);
	c->path = g_strdup(path);
	c->format = g_strdup(format);
	c->reader = reader;
	c->fd = -1;
	c->file_fd = -1;
	c->frame_count = l->frames;
	c->bytes_on_wire = l->on_wire;
	c->bytes_captured = l->captured;
	c->link_type = l->link_type;
	c->partial = partial_reason != NULL;
	c->partial_reason = partial_reason;
	return c;
}

Capture *capture_load_with_limits(const char *path, CaptureFrames frames, guint64 max_frames,
                                  guint64 max_total_size, GError **error)
{
	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	g_auto(CaptureLoader) l = {
		.path = path,
		.max_frames = MIN(max_frames, CAPTURE_MAX_FRAMES),
		.max_total = MIN(max_total_size, CAPTURE_MAX_TOTAL_SIZE),
	};
	const char *format = NULL, *reader = NULL;
	g_autofree char *partial_reason = NULL;
	if (!read_frames(path, &l, frames, &format, &reader, &partial_reason, error))
		return NULL;
	return capture_from_loader(&l, path, format, reader, g_steal_pointer(&partial_reason), error);
}

Capture *capture_from_loader(CaptureLoader *l, const char *path, const char *format,
                             const char *reader, char *partial_reason, GError **error)
{
	CaptureHeader h;
	int file_fd = -1;
	int memfd = capture_loader_finish(l, partial_reason != NULL, &h, &file_fd, error);
	if (memfd < 0) {
		g_free(partial_reason);
		return NULL;
	}
	Capture *c = capture_of(path, l, format, reader, partial_reason);
	c->fd = memfd;
	c->size = h.total_size;
	c->memfd_size = file_fd >= 0 ? h.data_offset : h.total_size;
	c->file_fd = file_fd;
	c->file_bytes = file_fd >= 0 ? h.data_size : 0;
	return c;
}

Capture *capture_check(const char *path, GError **error)
{
	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	g_auto(CaptureLoader) l = {
		.path = path,
		.max_frames = G_MAXUINT64,
		.max_total = G_MAXUINT64,
		.count_only = TRUE,
	};
	const char *format = NULL, *reader = NULL;
	char *partial_reason = NULL;
	if (!read_frames(path, &l, CAPTURE_FRAMES_COPIED, &format, &reader, &partial_reason, error))
		return NULL;
	return capture_of(path, &l, format, reader, partial_reason);
}

Capture *capture_new_empty(GError **error)
{
	g_auto(CaptureLoader) l = { .path = "(no capture)", .link_type = 1 };
	return capture_from_loader(&l, "", "none", CAPTURE_READER_NONE, NULL, error);
}

Capture *capture_load_as(const char *path, CaptureFrames frames, GError **error)
{
	return capture_load_with_limits(path, frames, CAPTURE_MAX_FRAMES, CAPTURE_MAX_TOTAL_SIZE,
	                                error);
}

Capture *capture_load(const char *path, GError **error)
{
	return capture_load_as(path, CAPTURE_FRAMES_IN_FILE_IF_ABLE, error);
}

gboolean capture_file_shrank(const Capture *capture, guint64 *now)
{
	struct stat st;
	if (capture->file_fd < 0 || fstat(capture->file_fd, &st) < 0 ||
	    (guint64)st.st_size >= capture->file_bytes)
		return FALSE;
	*now = (guint64)st.st_size;
	return TRUE;
}

void capture_free(Capture *capture)
{
	if (!capture)
		return;
	if (capture->fd >= 0)
		close(capture->fd);
	if (capture->file_fd >= 0)
		close(capture->file_fd);
	g_free(capture->path);
	g_free(capture->format);
	g_free(capture->partial_reason);
	g_free(capture);
}
