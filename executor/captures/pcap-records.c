/* pcap-records.c — the records of a pcap file, read straight from its
 * descriptor (see pcap-records.h).
 *
 * libpcap reads a record with two freads, through stdio's buffer into its
 * own, and the loader then copied the frame out of that: three copies of
 * every byte before the memfd. Here the file is read a megabyte at a time
 * with pread (never mapped: a file truncated under a mapping would kill the
 * executor with SIGBUS; pread just returns less) and each frame is handed
 * to the loader from where it lies in that buffer, with where it lies in
 * the file: the loader may leave it there (capture-loader.h).
 *
 * What a record means is libpcap 1.10's sf-pcap.c pcap_next_packet, rule by
 * rule: byte order from the magic; microseconds scaled by 1000 (libpcap
 * multiplies in a long, carrying nothing); caplen and len exchanged for
 * versions before 2.3, and for 2.3 when caplen > len; a caplen above the
 * link type's maximum an error; one above the snapshot length cut to it,
 * the rest skipped; any record cut short by the end of the file an error.
 * One thing changed between libpcap releases: whether the 32-bit timestamp
 * fields of a file in this host's byte order are signed (1.10.3; those of
 * the other order come out of its swap unsigned) or unsigned (1.10.5 on).
 * The libpcap this process uses is asked once per byte order, with a record
 * whose fields have the top bit set, and its answer is followed. tests/unit/test-capture.c and the
 * fuzz-capture target compare every frame with libpcap's own reading.
 */
#include "captures/pcap-records.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define FILE_HEADER_SIZE   24u
#define RECORD_HEADER_SIZE 16u
/* libpcap's MAXIMUM_SNAPLEN: the largest caplen of every link type read
 * here (pcap_records_refusal leaves the others to libpcap). */
#define MAX_CAPLEN         262144u
/* Whole records are parsed from the buffer; it is refilled when less than
 * the largest record is left, so every record is in it whole. */
#define READ_CHUNK         (1u << 20)
#define READ_BUFFER        (READ_CHUNK + RECORD_HEADER_SIZE + MAX_CAPLEN)

#define TCPDUMP_MAGIC      0xa1b2c3d4u /* microseconds */
#define NSEC_TCPDUMP_MAGIC 0xa1b23c4du /* nanoseconds */

/* Link types whose records libpcap rewrites after reading them, or whose
 * frames may be larger than MAX_CAPLEN: libpcap reads those itself. */
static const struct {
	int dlt;
	gboolean only_swapped;  /* only in a file of the other byte order */
	const char *why;
} libpcap_link_types[] = {
	{ DLT_PFLOG,             TRUE,  "libpcap swaps its pseudo-header" },
	{ DLT_LINUX_SLL,         TRUE,  "libpcap swaps its pseudo-header" },
	{ DLT_LINUX_SLL2,        TRUE,  "libpcap swaps its pseudo-header" },
	{ DLT_USB_LINUX,         TRUE,  "libpcap swaps its pseudo-header" },
	{ DLT_NFLOG,             TRUE,  "libpcap swaps its pseudo-header" },
	{ DLT_USB_LINUX_MMAPPED, FALSE, "libpcap swaps its pseudo-header and fixes some lengths" },
	{ DLT_DBUS,              FALSE, "its frames may exceed 256 KiB" },
	{ DLT_EBHSCR,            FALSE, "its frames may exceed 256 KiB" },
	{ DLT_USBPCAP,           FALSE, "its frames may exceed 256 KiB" },
};

/* ---- what libpcap does with a timestamp --------------------------------- */

typedef enum { TS_UNKNOWN, TS_SIGNED, TS_UNSIGNED } TsFields;

/* One record with both timestamp fields 0xffffffff, in a file of this
 * host's byte order or the other, read by the libpcap linked here. */
static TsFields probe_timestamp_fields(gboolean swapped)
{
	guint32 words[10] = {
		TCPDUMP_MAGIC, 2u | 4u << 16, 0, 0, 65535, 1,  /* file header, version 2.4 */
		G_MAXUINT32, G_MAXUINT32, 0, 0,                /* a record of no bytes */
	};
	if (swapped) {
		for (gsize i = 0; i < G_N_ELEMENTS(words); i++)
			words[i] = GUINT32_SWAP_LE_BE(words[i]);
		/* The version is two 16-bit fields, each swapped on its own. */
		words[1] = 2u << 8 | 4u << 24;
	}
	FILE *fp = fmemopen(words, sizeof(words), "rb");
	if (!fp)
		return TS_UNKNOWN;
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!p) {
		fclose(fp);
		return TS_UNKNOWN;
	}
	struct pcap_pkthdr *h;
	const u_char *bytes;
	TsFields answer = TS_UNKNOWN;
	if (pcap_next_ex(p, &h, &bytes) == 1) {
		if (h->ts.tv_sec == -1 && h->ts.tv_usec == -1000)
			answer = TS_SIGNED;
		else if (h->ts.tv_sec == (time_t)G_MAXUINT32 &&
		         h->ts.tv_usec == (suseconds_t)G_MAXUINT32 * 1000)
			answer = TS_UNSIGNED;
	}
	pcap_close(p); /* closes fp */
	return answer;
}

/* libpcap 1.10.3 reads the fields of a file of this host's byte order as
 * signed, and swaps those of the other order into unsigned ones. */
static TsFields timestamp_fields(gboolean swapped)
{
	static gsize once = 0;
	static TsFields fields[2];
	if (g_once_init_enter(&once)) {
		fields[0] = probe_timestamp_fields(FALSE);
		fields[1] = probe_timestamp_fields(TRUE);
		g_once_init_leave(&once, 1);
	}
	return fields[swapped];
}

/* ---- which files ---------------------------------------------------------- */

void pcap_file_from_open(PcapFile *f, pcap_t *p, guint32 magic, guint32 link_type)
{
	*f = (PcapFile){
		.magic = magic,
		.dlt = pcap_datalink(p),
		.link_type = link_type,
		.snapshot = (guint32)MAX(pcap_snapshot(p), 0),
		.swapped = pcap_is_swapped(p) == 1,
		.version_major = pcap_major_version(p),
		.version_minor = pcap_minor_version(p),
	};
}

static gboolean magic_is_standard(guint32 magic, gboolean swapped)
{
	if (swapped)
		magic = GUINT32_SWAP_LE_BE(magic);
	return magic == TCPDUMP_MAGIC || magic == NSEC_TCPDUMP_MAGIC;
}

const char *pcap_records_refusal(const PcapFile *f)
{
	if (!magic_is_standard(f->magic, f->swapped))
		return "its record headers are not the standard 16 bytes";
	if (!(f->version_major == 2 && f->version_minor <= 4) &&
	    !(f->version_major == 543 && f->version_minor == 0))
		return "a version libpcap 1.10 does not open";
	if (f->snapshot == 0)
		return "no snapshot length";
	for (gsize i = 0; i < G_N_ELEMENTS(libpcap_link_types); i++)
		if (libpcap_link_types[i].dlt == f->dlt &&
		    (f->swapped || !libpcap_link_types[i].only_swapped))
			return libpcap_link_types[i].why;
	TsFields ts = timestamp_fields(f->swapped);
	if (ts != TS_SIGNED && ts != TS_UNSIGNED)
		return "libpcap's reading of timestamps could not be probed";
	return NULL;
}

/* ---- records --------------------------------------------------------------- */

CaptureRecord pcap_record_of_pkthdr(const struct pcap_pkthdr *hdr, guint32 link_type)
{
	/* In nanosecond mode libpcap puts nanoseconds in tv_usec. A damaged
	 * record can claim 2^32-1 microseconds, which libpcap scales without
	 * carrying; carry here so ts_nsec is always below one second. */
	const gint64 nsec_per_sec = G_GINT64_CONSTANT(1000000000);
	gint64 sec = hdr->ts.tv_sec, nsec = hdr->ts.tv_usec;
	if (nsec < 0 || nsec >= nsec_per_sec) {
		sec += nsec / nsec_per_sec;
		nsec %= nsec_per_sec;
		if (nsec < 0) {
			nsec += nsec_per_sec;
			sec--;
		}
	}
	return (CaptureRecord){
		.ts_sec = sec,
		.ts_nsec = (guint32)nsec,
		.link_type = link_type, /* one per pcap file */
		.orig_len = hdr->len,
		.cap_len = hdr->caplen,
	};
}

/* How caplen and len are ordered in a record of this version. */
typedef enum { LENGTHS_AS_IS, LENGTHS_EXCHANGED, LENGTHS_EXCHANGED_IF_CAPLEN_LARGER } Lengths;

static Lengths lengths_of(const PcapFile *f)
{
	if (f->version_major == 543 || (f->version_major == 2 && f->version_minor < 3))
		return LENGTHS_EXCHANGED;
	if (f->version_major == 2 && f->version_minor == 3)
		return LENGTHS_EXCHANGED_IF_CAPLEN_LARGER;
	return LENGTHS_AS_IS;
}

/* A record header at p as libpcap's pcap_next_packet makes it: timestamp
 * (nanoseconds asked), lengths in place; caplen not yet checked or cut. */
static struct pcap_pkthdr record_header(const guint8 *p, const PcapFile *f, gboolean nsec,
                                        Lengths lengths, gboolean ts_signed)
{
	guint32 w[4];
	memcpy(w, p, sizeof(w));
	if (f->swapped)
		for (int i = 0; i < 4; i++)
			w[i] = GUINT32_SWAP_LE_BE(w[i]);
	struct pcap_pkthdr h = {
		.ts.tv_sec = ts_signed ? (time_t)(gint32)w[0] : (time_t)w[0],
		.ts.tv_usec = ts_signed ? (suseconds_t)(gint32)w[1] : (suseconds_t)w[1],
		.caplen = w[2],
		.len = w[3],
	};
	if (!nsec)
		h.ts.tv_usec *= 1000;
	if (lengths == LENGTHS_EXCHANGED ||
	    (lengths == LENGTHS_EXCHANGED_IF_CAPLEN_LARGER && h.caplen > h.len)) {
		guint32 t = h.caplen;
		h.caplen = h.len;
		h.len = t;
	}
	return h;
}

gssize pcap_records_pread(int fd, guint8 *buf, gsize len, guint64 off)
{
	gsize done = 0;
	while (done < len) {
		ssize_t n = pread(fd, buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += (gsize)n;
	}
	return (gssize)done;
}

gboolean pcap_records_read(CaptureLoader *l, int fd, const PcapFile *f, char **partial_reason,
                           GError **error)
{
	g_return_val_if_fail(pcap_records_refusal(f) == NULL, FALSE);
	gboolean nsec = (f->swapped ? GUINT32_SWAP_LE_BE(f->magic) : f->magic) == NSEC_TCPDUMP_MAGIC;
	gboolean ts_signed = timestamp_fields(f->swapped) == TS_SIGNED;
	Lengths lengths = lengths_of(f);
	g_autofree guint8 *buf = g_malloc(READ_BUFFER);
	gsize pos = 0, have = 0;        /* buf[pos, have) is unparsed */
	guint64 next = FILE_HEADER_SIZE; /* file offset of buf[have] */
	gboolean eof = FALSE;
	for (;;) {
		if (!eof && have - pos < RECORD_HEADER_SIZE + MAX_CAPLEN) {
			memmove(buf, buf + pos, have - pos);
			have -= pos;
			pos = 0;
			gsize want = READ_BUFFER - have;
			gssize n = pcap_records_pread(fd, buf + have, want, next);
			if (n < 0) {
				int e = errno;
				*partial_reason = g_strdup_printf("stopped after frame %" G_GUINT64_FORMAT
				                                  ": cannot read at offset %" G_GUINT64_FORMAT
				                                  ": %s", l->frames, next, g_strerror(e));
				return TRUE;
			}
			have += (gsize)n;
			next += (guint64)n;
			eof = (gsize)n < want;
		}
		gsize avail = have - pos;
		guint64 at = next - avail; /* this record's offset in the file */
		if (avail == 0)
			return TRUE; /* the end, between records */
		if (avail < RECORD_HEADER_SIZE) {
			*partial_reason = g_strdup_printf("stopped after frame %" G_GUINT64_FORMAT
			                                  ": the record header at offset %" G_GUINT64_FORMAT
			                                  " is cut short (%zu of %u bytes)", l->frames,
			                                  at, avail, RECORD_HEADER_SIZE);
			return TRUE;
		}
		struct pcap_pkthdr h = record_header(buf + pos, f, nsec, lengths, ts_signed);
		if (h.caplen > MAX_CAPLEN) {
			gboolean over_snaplen = h.caplen > f->snapshot;
			*partial_reason = g_strdup_printf("stopped after frame %" G_GUINT64_FORMAT
			                                  ": the record at offset %" G_GUINT64_FORMAT
			                                  " has an invalid capture length %u, bigger "
			                                  "than the %s of %u", l->frames, at, h.caplen,
			                                  over_snaplen ? "snapshot length" : "maximum",
			                                  over_snaplen ? f->snapshot : MAX_CAPLEN);
			return TRUE;
		}
		if (avail - RECORD_HEADER_SIZE < h.caplen) {
			*partial_reason = g_strdup_printf("stopped after frame %" G_GUINT64_FORMAT
			                                  ": the record at offset %" G_GUINT64_FORMAT
			                                  " is cut short (%zu of %u captured bytes)",
			                                  l->frames, at, avail - RECORD_HEADER_SIZE,
			                                  h.caplen);
			return TRUE;
		}
		guint32 in_file = h.caplen;
		/* libpcap keeps the snapshot length's worth and skips the rest. */
		h.caplen = MIN(h.caplen, f->snapshot);
		if (!capture_loader_add_at(l, pcap_record_of_pkthdr(&h, f->link_type),
		                           buf + pos + RECORD_HEADER_SIZE, at + RECORD_HEADER_SIZE,
		                           in_file, error))
			return FALSE;
		pos += RECORD_HEADER_SIZE + in_file;
	}
}
