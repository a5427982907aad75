/* test-pcap-records.c — executor/captures/pcap-records.c, the pcap records
 * read straight from the file, against libpcap's own reading of the same
 * file: pcap files written here in every byte order, timestamp resolution
 * and record layout libpcap 1.10 accepts, with the odd records its rules are
 * about (timestamps with the top bit set, exchanged lengths, frames past the
 * snapshot length or the maximum, cut records). Each is loaded with
 * capture_load and must hold exactly what pcap_next_ex gives, and be
 * partial exactly where libpcap stops with an error; and each must have
 * been read by the reader the file calls for (Capture.reader), so that a
 * quiet fallback to libpcap cannot pass for the direct reader. */
#include "captures/capture.h"

#include "capture-format.h"
#include "temp-dir.h"
#include "protocol/capture-view.h"

#include <glib/gstdio.h>
#include <pcap/pcap.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define TCPDUMP_MAGIC      0xa1b2c3d4u
#define NSEC_TCPDUMP_MAGIC 0xa1b23c4du
#define KUZNETZOV_MAGIC    0xa1b2cd34u

/* ---- writing pcap files ------------------------------------------------------ */

typedef struct {
	guint32 ts_sec, ts_frac; /* as in the file */
	guint32 caplen, len;     /* as in the file, in its version's order */
	guint32 bytes_in_file;   /* how many follow (caplen, unless cut) */
} Rec;

typedef struct {
	const char *name;
	guint32 magic;
	gboolean swapped;
	guint16 major, minor;
	guint32 snaplen, linktype;
	const Rec *recs;
	gsize n;
	gsize cut;               /* if not 0: the file ends this many bytes early */
	const char *reader;      /* CAPTURE_READER_* expected */
} PcapCase;

static void put32(GByteArray *b, guint32 v, gboolean swapped)
{
	if (swapped)
		v = GUINT32_SWAP_LE_BE(v);
	g_byte_array_append(b, (const guint8 *)&v, 4);
}

static void put16(GByteArray *b, guint16 v, gboolean swapped)
{
	if (swapped)
		v = GUINT16_SWAP_LE_BE(v);
	g_byte_array_append(b, (const guint8 *)&v, 2);
}

static GByteArray *pcap_bytes(const PcapCase *c)
{
	GByteArray *b = g_byte_array_new();
	put32(b, c->magic, c->swapped);
	put16(b, c->major, c->swapped);
	put16(b, c->minor, c->swapped);
	put32(b, 0, c->swapped);
	put32(b, 0, c->swapped);
	put32(b, c->snaplen, c->swapped);
	put32(b, c->linktype, c->swapped);
	for (gsize i = 0; i < c->n; i++) {
		const Rec *r = &c->recs[i];
		put32(b, r->ts_sec, c->swapped);
		put32(b, r->ts_frac, c->swapped);
		put32(b, r->caplen, c->swapped);
		put32(b, r->len, c->swapped);
		if (c->magic == KUZNETZOV_MAGIC) /* index, protocol, packet type, pad */
			for (int k = 0; k < 2; k++)
				put32(b, 0, c->swapped);
		for (guint32 k = 0; k < r->bytes_in_file; k++) {
			guint8 v = (guint8)(i * 31 + k * 7);
			g_byte_array_append(b, &v, 1);
		}
	}
	g_assert_cmpuint(c->cut, <, b->len);
	g_byte_array_set_size(b, b->len - (guint)c->cut);
	return b;
}

/* ---- libpcap's reading, and the comparison ---------------------------------- */

/* Instants compared as integers of nanoseconds: libpcap's (tv_sec, tv_usec
 * in ns, which it may leave outside 0..10^9) and a record's, carried. */
__extension__ typedef __int128 Nanoseconds;

static Nanoseconds libpcap_instant(const struct pcap_pkthdr *h)
{
	return (Nanoseconds)h->ts.tv_sec * 1000000000 + h->ts.tv_usec;
}

static Nanoseconds record_instant(const CaptureRecord *r)
{
	return (Nanoseconds)r->ts_sec * 1000000000 + r->ts_nsec;
}

static void check_against_libpcap(const char *path, const Capture *c)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	g_assert_nonnull(p);
	const guint8 *m = capture_view_map(c->fd, c->memfd_size, c->file_fd, c->size);
	g_assert_true(m != MAP_FAILED);
	const CaptureHeader *h = (const CaptureHeader *)m;
	const CaptureRecord *rec = (const CaptureRecord *)(m + h->records_offset);
	struct pcap_pkthdr *ph;
	const u_char *bytes;
	guint64 i = 0;
	int r;
	while ((r = pcap_next_ex(p, &ph, &bytes)) == 1) {
		g_assert_cmpuint(i, <, h->frame_count);
		g_assert_cmpuint(rec[i].cap_len, ==, ph->caplen);
		g_assert_cmpuint(rec[i].orig_len, ==, ph->len);
		g_assert_true(record_instant(&rec[i]) == libpcap_instant(ph));
		g_assert_cmpuint(rec[i].ts_nsec, <, 1000000000u);
		g_assert_cmpmem(m + h->data_offset + rec[i].offset, rec[i].cap_len, bytes, ph->caplen);
		i++;
	}
	g_assert_cmpuint(i, ==, h->frame_count);
	/* Partial exactly where libpcap stops with an error. */
	g_assert_cmpint(c->partial, ==, r != PCAP_ERROR_BREAK);
	if (c->partial) {
		g_autofree char *prefix = g_strdup_printf("stopped after frame %" G_GUINT64_FORMAT ": ", i);
		g_assert_true(g_str_has_prefix(c->partial_reason, prefix));
	}
	munmap((void *)m, c->size);
	pcap_close(p);
}

/* ---- the cases ---------------------------------------------------------------- */

static const Rec ordinary[] = {
	{ 1700000000, 1,       60,   60,   60 },
	{ 1700000000, 999999,  1514, 1514, 1514 },
	{ 1700000001, 0,       0,    64,   0 },    /* nothing captured */
	{ 1700000001, 500000,  100,  1500, 100 },  /* cut by the capturer */
	{ 1700000002, 7,       17,   17,   17 },
};

/* The top bit of each timestamp field set, and fractions of a second and
 * more: libpcap 1.10.3 reads the fields signed, 1.10.5 unsigned. */
static const Rec odd_times[] = {
	{ 0x80000000u, 0,           20, 20, 20 },
	{ 0xffffffffu, 0xffffffffu, 20, 20, 20 },
	{ 12,          1000000,     20, 20, 20 },
	{ 12,          0x80000000u, 20, 20, 20 },
	{ 0,           999999999,   20, 20, 20 },
};

/* In a 2.3 file, lengths are exchanged only where caplen > len. */
static const Rec version_2_3[] = {
	{ 1, 0, 40, 60, 40 },   /* caplen 40 <= len 60: as they are */
	{ 2, 0, 60, 40, 40 },   /* "caplen" 60 > "len" 40: exchanged, 40 in the file */
	{ 3, 0, 50, 50, 50 },
};

/* Before 2.3 (and DG/UX's 543.0), always exchanged: "caplen" is len. */
static const Rec exchanged[] = {
	{ 1, 0, 90, 30, 30 },
	{ 2, 0, 30, 30, 30 },
};

/* Past a snapshot length of 100: libpcap keeps 100 bytes and skips the rest. */
static const Rec past_snaplen[] = {
	{ 1, 0, 100, 100, 100 },
	{ 2, 0, 300, 300, 300 },
	{ 3, 0, 101, 400, 101 },
	{ 4, 0, 10,  10,  10 },
};

/* A caplen above libpcap's maximum (256 KiB) is an error, the frames before kept. */
static const Rec past_maximum[] = {
	{ 1, 0, 60,     60,     60 },
	{ 2, 0, 60,     60,     60 },
	{ 3, 0, 300000, 300000, 0 },
	{ 4, 0, 60,     60,     60 },
};

/* Frames up to the maximum itself are read. */
static const Rec at_maximum[] = {
	{ 1, 0, 262144, 262144, 262144 },
	{ 2, 0, 262144, 262144, 262144 },
	{ 3, 0, 60,     60,     60 },
};

#define CASE(...) { __VA_ARGS__ }
#define RECS(a) a, G_N_ELEMENTS(a)

static const PcapCase cases[] = {
	CASE("native-us", TCPDUMP_MAGIC, FALSE, 2, 4, 65535, 1, RECS(ordinary), 0, CAPTURE_READER_DIRECT),
	CASE("swapped-us", TCPDUMP_MAGIC, TRUE, 2, 4, 65535, 1, RECS(ordinary), 0, CAPTURE_READER_DIRECT),
	CASE("native-ns", NSEC_TCPDUMP_MAGIC, FALSE, 2, 4, 65535, 1, RECS(ordinary), 0, CAPTURE_READER_DIRECT),
	CASE("swapped-ns", NSEC_TCPDUMP_MAGIC, TRUE, 2, 4, 65535, 1, RECS(ordinary), 0, CAPTURE_READER_DIRECT),
	CASE("odd-times-us", TCPDUMP_MAGIC, FALSE, 2, 4, 65535, 1, RECS(odd_times), 0, CAPTURE_READER_DIRECT),
	CASE("odd-times-ns", NSEC_TCPDUMP_MAGIC, FALSE, 2, 4, 65535, 1, RECS(odd_times), 0, CAPTURE_READER_DIRECT),
	CASE("odd-times-swapped", TCPDUMP_MAGIC, TRUE, 2, 4, 65535, 1, RECS(odd_times), 0, CAPTURE_READER_DIRECT),
	CASE("version-2.3", TCPDUMP_MAGIC, FALSE, 2, 3, 65535, 1, RECS(version_2_3), 0, CAPTURE_READER_DIRECT),
	CASE("version-2.2", TCPDUMP_MAGIC, FALSE, 2, 2, 65535, 1, RECS(exchanged), 0, CAPTURE_READER_DIRECT),
	CASE("version-543.0", TCPDUMP_MAGIC, TRUE, 543, 0, 65535, 1, RECS(exchanged), 0, CAPTURE_READER_DIRECT),
	CASE("past-snaplen", TCPDUMP_MAGIC, FALSE, 2, 4, 100, 1, RECS(past_snaplen), 0, CAPTURE_READER_DIRECT),
	CASE("snaplen-0", TCPDUMP_MAGIC, FALSE, 2, 4, 0, 1, RECS(past_snaplen), 0, CAPTURE_READER_DIRECT),
	CASE("past-maximum", TCPDUMP_MAGIC, FALSE, 2, 4, 65535, 1, RECS(past_maximum), 0, CAPTURE_READER_DIRECT),
	CASE("past-maximum-and-snaplen", TCPDUMP_MAGIC, FALSE, 2, 4, 400000, 1, RECS(past_maximum), 0, CAPTURE_READER_DIRECT),
	CASE("at-maximum", TCPDUMP_MAGIC, TRUE, 2, 4, 262144, 1, RECS(at_maximum), 0, CAPTURE_READER_DIRECT),
	CASE("cut-in-frame", TCPDUMP_MAGIC, TRUE, 2, 4, 65535, 1, RECS(ordinary), 5, CAPTURE_READER_DIRECT),
	CASE("cut-in-header", TCPDUMP_MAGIC, FALSE, 2, 4, 65535, 1, RECS(ordinary), 17 + 9, CAPTURE_READER_DIRECT),
	CASE("cut-past-snaplen", TCPDUMP_MAGIC, FALSE, 2, 4, 100, 1, RECS(past_snaplen), 10 + 16 + 250, CAPTURE_READER_DIRECT),
	/* Link types libpcap rewrites, or whose frames may be larger, stay libpcap's. */
	CASE("sll-native", TCPDUMP_MAGIC, FALSE, 2, 4, 65535, 113, RECS(ordinary), 0, CAPTURE_READER_DIRECT),
	CASE("sll-swapped", TCPDUMP_MAGIC, TRUE, 2, 4, 65535, 113, RECS(ordinary), 0, CAPTURE_READER_LIBPCAP),
	CASE("nflog-swapped", TCPDUMP_MAGIC, TRUE, 2, 4, 65535, 239, RECS(ordinary), 0, CAPTURE_READER_LIBPCAP),
	CASE("usb-mmapped", TCPDUMP_MAGIC, FALSE, 2, 4, 65535, 220, RECS(ordinary), 0, CAPTURE_READER_LIBPCAP),
	CASE("dbus", TCPDUMP_MAGIC, FALSE, 2, 4, 65535, 231, RECS(ordinary), 0, CAPTURE_READER_LIBPCAP),
	/* A patched libpcap's records: 24-byte headers. */
	CASE("kuznetzov", KUZNETZOV_MAGIC, FALSE, 2, 4, 65535, 1, RECS(ordinary), 0, CAPTURE_READER_LIBPCAP),
};

static char *tmp_dir;

static void test_case(gconstpointer data)
{
	const PcapCase *pc = data;
	g_autoptr(GByteArray) bytes = pcap_bytes(pc);
	g_autofree char *name = g_strconcat(pc->name, ".pcap", NULL);
	g_autofree char *path = g_build_filename(tmp_dir, name, NULL);
	g_assert_true(g_file_set_contents(path, (const char *)bytes->data, bytes->len, NULL));
	g_autoptr(GError) error = NULL;
	g_autoptr(Capture) c = capture_load(path, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(c->format, ==, "pcap");
	g_assert_cmpstr(c->reader, ==, pc->reader);
	g_assert_cmpuint(c->link_type, ==, pc->linktype);
	check_against_libpcap(path, c);
	g_unlink(path);
}

/* The bundled captures go the way their format says. */
static void test_bundled_readers(void)
{
	const struct {
		const char *file, *reader;
	} bundled[] = {
		{ "wikipedia.pcap", CAPTURE_READER_DIRECT },
		{ "http_cooper-grill-dvwa.pcapng", CAPTURE_READER_LIBPCAP },
		{ "multi-interface/merged.pcapng", CAPTURE_READER_PCAPNG },
	};
	const char *dir = g_getenv("EXPERT_TEST_DATA");
	g_assert_nonnull(dir);
	for (gsize i = 0; i < G_N_ELEMENTS(bundled); i++) {
		g_autofree char *path = g_build_filename(dir, bundled[i].file, NULL);
		g_autoptr(GError) error = NULL;
		g_autoptr(Capture) c = capture_load(path, &error);
		g_assert_no_error(error);
		g_assert_cmpstr(c->reader, ==, bundled[i].reader);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	tmp_dir = temp_dir_new("test-pcap-records-XXXXXX");
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *p = g_strdup_printf("/pcap-records/vs-libpcap/%s", cases[i].name);
		g_test_add_data_func(p, &cases[i], test_case);
	}
	g_test_add_func("/pcap-records/bundled-captures-take-their-reader", test_bundled_readers);
	int r = g_test_run();
	temp_dir_remove(tmp_dir);
	g_free(tmp_dir);
	return r;
}
