/* test-capture.c — executor/captures/capture.c against tshark's figures (oracle/
 * summary.tsv, multi-interface/F.tshark.tsv), against libpcap read directly,
 * and against damaged files. Needs EXPERT_TEST_DATA (tests/data). */
#include "captures/capture.h"

#include "capture-format.h"
#include "captures/pcapng.h"
#include "protocol/capture-view.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <pcap/pcap.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PCAPNG_NS_FILE "http_cooper-grill-dvwa.pcapng"
#define PCAP_US_FILE   "wikipedia.pcap"
#define MULTI          "multi-interface/"
#define SEALS          (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)

static char *data_file(const char *name)
{
	const char *dir = g_getenv("EXPERT_TEST_DATA");
	g_assert_nonnull(dir); /* set by meson; run by hand with EXPERT_TEST_DATA=tests/data */
	return g_build_filename(dir, name, NULL);
}

/* ---- the oracle ---------------------------------------------------------- */

typedef struct {
	char *file, *format, *link_type;
	guint64 frames, bytes_on_wire, bytes_captured;
} OracleRow;

/* Oracle link type names (tshark's) to LINKTYPE_* values. */
static const struct {
	const char *name;
	guint32 linktype;
} oracle_link_types[] = {
	{ "ether", 1 },
	{ "linux-sll", 113 },
	{ "linux-sll2", 276 },
};

static guint32 oracle_linktype(const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS(oracle_link_types); i++)
		if (g_str_equal(oracle_link_types[i].name, name))
			return oracle_link_types[i].linktype;
	g_error("oracle link type '%s' is not in oracle_link_types", name);
}

static int column(char **header, const char *name)
{
	for (int i = 0; header[i]; i++)
		if (g_str_equal(header[i], name))
			return i;
	g_error("oracle/summary.tsv has no column '%s'", name);
}

static void oracle_row_free(gpointer p)
{
	OracleRow *r = p;
	g_free(r->file);
	g_free(r->format);
	g_free(r->link_type);
	g_free(r);
}

static GPtrArray *oracle_load(void)
{
	g_autofree char *path = data_file("oracle/summary.tsv");
	g_autofree char *text = NULL;
	g_autoptr(GError) error = NULL;
	if (!g_file_get_contents(path, &text, NULL, &error))
		g_error("%s", error->message);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_auto(GStrv) header = g_strsplit(lines[0], "\t", -1);
	int c_file = column(header, "file"), c_format = column(header, "format"),
	    c_link = column(header, "link_type"), c_frames = column(header, "frames"),
	    c_wire = column(header, "bytes_on_wire"), c_cap = column(header, "bytes_captured");
	guint ncols = g_strv_length(header);

	GPtrArray *rows = g_ptr_array_new_with_free_func(oracle_row_free);
	for (int i = 1; lines[i]; i++) {
		if (!*lines[i])
			continue;
		g_auto(GStrv) f = g_strsplit(lines[i], "\t", -1);
		if (g_strv_length(f) != ncols)
			g_error("oracle/summary.tsv line %d has %u fields, not %u", i + 1,
			        g_strv_length(f), ncols);
		OracleRow *r = g_new0(OracleRow, 1);
		r->file = g_strdup(f[c_file]);
		r->format = g_strdup(f[c_format]);
		r->link_type = g_strdup(f[c_link]);
		r->frames = g_ascii_strtoull(f[c_frames], NULL, 10);
		r->bytes_on_wire = g_ascii_strtoull(f[c_wire], NULL, 10);
		r->bytes_captured = g_ascii_strtoull(f[c_cap], NULL, 10);
		g_ptr_array_add(rows, r);
	}
	g_assert_cmpuint(rows->len, >, 0);
	return rows;
}

/* ---- libpcap read directly, as the reference ------------------------------ */

typedef struct {
	gint64 sec;
	guint32 frac;      /* ns or µs, as asked */
	guint32 len, caplen;
	GBytes *bytes;
	long end;          /* file offset just past the record */
} Direct;

static void direct_clear(gpointer p)
{
	g_bytes_unref(((Direct *)p)->bytes);
}

/* Every frame of a sound file, with where each record ends in the file (for
 * working out what must survive damage at a given offset). *open_end is
 * where libpcap stood once the headers (pcap) or SHB and IDB (pcapng) were
 * read; *eof_end where it stood at the end. */
static GArray *read_direct(const char *path, u_int precision, long *open_end, long *eof_end)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, precision, errbuf);
	if (!p)
		g_error("%s", errbuf);
	if (open_end)
		*open_end = ftell(pcap_file(p));
	GArray *frames = g_array_new(FALSE, TRUE, sizeof(Direct));
	g_array_set_clear_func(frames, direct_clear);
	struct pcap_pkthdr *h;
	const u_char *b;
	int r;
	while ((r = pcap_next_ex(p, &h, &b)) == 1) {
		Direct d = { h->ts.tv_sec, (guint32)h->ts.tv_usec, h->len, h->caplen,
		             g_bytes_new(b, h->caplen), ftell(pcap_file(p)) };
		g_array_append_val(frames, d);
	}
	g_assert_cmpint(r, ==, PCAP_ERROR_BREAK);
	if (eof_end)
		*eof_end = ftell(pcap_file(p));
	pcap_close(p);
	return frames;
}

/* ---- the mapping ----------------------------------------------------------- */

/* As a child maps it: the memfd, and the file after it where the frames
 * stay there. */
static const guint8 *map_capture(const Capture *c)
{
	void *m = capture_view_map(c->fd, c->memfd_size, c->file_fd, c->size);
	g_assert_true(m != MAP_FAILED);
	return m;
}

static const CaptureRecord *records_of(const guint8 *m)
{
	return (const CaptureRecord *)(m + ((const CaptureHeader *)m)->records_offset);
}

/* Everything capture-format.h promises, and what capture.c's comment adds:
 * copied, 16-byte aligned frames, in order, not overlapping, the records
 * after them ending the memfd; left in the file, the records right after
 * the header, the file's bytes from the page boundary the memfd ends at,
 * frames in order, not overlapping, inside them. */
static void check_layout(const Capture *c, const guint8 *m)
{
	const CaptureHeader *h = (const CaptureHeader *)m;
	gboolean in_file = c->file_fd >= 0;
	g_assert_cmphex(h->magic, ==, CAPTURE_MAGIC);
	g_assert_cmpuint(h->version, ==, CAPTURE_VERSION);
	g_assert_cmpuint(h->frame_count, ==, c->frame_count);
	g_assert_cmpuint(h->total_size, ==, c->size);
	g_assert_cmpuint(h->link_type, ==, c->link_type);
	g_assert_cmpuint(h->flags, ==, (c->partial ? CAPTURE_FLAG_PARTIAL : 0) |
	                               (in_file ? CAPTURE_FLAG_IN_FILE : 0));
	struct stat st;
	g_assert_cmpint(fstat(c->fd, &st), ==, 0);
	g_assert_cmpuint((guint64)st.st_size, ==, c->memfd_size);
	if (in_file) {
		g_assert_cmpuint(h->records_offset, ==, 64);
		g_assert_cmpuint(h->data_offset % (guint64)sysconf(_SC_PAGESIZE), ==, 0);
		g_assert_cmpuint(h->data_offset, >=, h->records_offset + h->frame_count * sizeof(CaptureRecord));
		g_assert_cmpuint(h->data_offset, ==, c->memfd_size);
		g_assert_cmpuint(h->data_offset + h->data_size, ==, h->total_size);
		g_assert_cmpuint(h->data_size, ==, c->file_bytes);
		g_assert_cmpint(fstat(c->file_fd, &st), ==, 0);
		g_assert_cmpuint(h->data_size, <=, (guint64)st.st_size);
	} else {
		/* The frames after the header, the records after the frames,
		 * ending the memfd. */
		g_assert_cmpuint(c->memfd_size, ==, c->size);
		g_assert_cmpuint(h->data_offset, >=, sizeof(CaptureHeader));
		g_assert_cmpuint(h->data_offset % 16, ==, 0);
		g_assert_cmpuint(h->records_offset, >=, h->data_offset + h->data_size);
		g_assert_cmpuint(h->records_offset % 8, ==, 0);
		g_assert_cmpuint(h->records_offset + h->frame_count * sizeof(CaptureRecord), ==,
		                 h->total_size);
	}

	const CaptureRecord *rec = records_of(m);
	guint64 prev_end = 0, wire = 0, cap = 0;
	for (guint64 i = 0; i < h->frame_count; i++) {
		if (!in_file)
			g_assert_cmpuint(rec[i].offset % 16, ==, 0);
		g_assert_cmpuint(rec[i].offset, >=, prev_end);
		g_assert_cmpuint(rec[i].offset, <=, h->data_size);
		g_assert_cmpuint(rec[i].cap_len, <=, h->data_size - rec[i].offset);
		g_assert_cmpuint(rec[i].ts_nsec, <, 1000000000u);
		if (i == 0) /* the header's is the first frame's; a frame's own may differ */
			g_assert_cmpuint(rec[i].link_type, ==, h->link_type);
		prev_end = rec[i].offset + rec[i].cap_len;
		wire += rec[i].orig_len;
		cap += rec[i].cap_len;
	}
	g_assert_cmpuint(wire, ==, c->bytes_on_wire);
	g_assert_cmpuint(cap, ==, c->bytes_captured);
}

/* The first n records equal libpcap's nanosecond reading, bytes included,
 * and have its one link type. */
static void check_frames(const guint8 *m, GArray *direct, guint64 n)
{
	const CaptureHeader *h = (const CaptureHeader *)m;
	const CaptureRecord *rec = records_of(m);
	g_assert_cmpuint(n, <=, direct->len);
	for (guint64 i = 0; i < n; i++) {
		const Direct *d = &g_array_index(direct, Direct, i);
		g_assert_cmpuint(rec[i].link_type, ==, h->link_type);
		g_assert_cmpint(rec[i].ts_sec, ==, d->sec);
		g_assert_cmpuint(rec[i].ts_nsec, ==, d->frac);
		g_assert_cmpuint(rec[i].orig_len, ==, d->len);
		g_assert_cmpuint(rec[i].cap_len, ==, d->caplen);
		gsize size;
		const void *want = g_bytes_get_data(d->bytes, &size);
		g_assert_cmpmem(m + h->data_offset + rec[i].offset, rec[i].cap_len, want, size);
	}
}

static Capture *load_ok_as(const char *path, CaptureFrames frames)
{
	g_autoptr(GError) error = NULL;
	Capture *c = capture_load_as(path, frames, &error);
	g_assert_no_error(error);
	g_assert_nonnull(c);
	return c;
}

static Capture *load_ok(const char *path)
{
	return load_ok_as(path, CAPTURE_FRAMES_IN_FILE_IF_ABLE);
}

/* ---- bundled captures ------------------------------------------------------ */

static void test_matches_oracle(gconstpointer data)
{
	const OracleRow *row = data;
	g_autofree char *path = data_file(row->file);
	g_autoptr(Capture) c = load_ok(path);
	g_assert_cmpstr(c->path, ==, path);
	g_assert_cmpstr(c->format, ==, row->format);
	g_assert_cmpuint(c->frame_count, ==, row->frames);
	g_assert_cmpuint(c->bytes_on_wire, ==, row->bytes_on_wire);
	g_assert_cmpuint(c->bytes_captured, ==, row->bytes_captured);
	g_assert_cmpuint(c->link_type, ==, oracle_linktype(row->link_type));
	g_assert_false(c->partial);
	g_assert_null(c->partial_reason);
}

/* Both ways of loading: a pcap file's frames left in it (pcapng's are
 * copied all the same), and copied. */
static void test_frames_equal_libpcap(gconstpointer data)
{
	const OracleRow *row = data;
	g_autofree char *path = data_file(row->file);
	g_autoptr(GArray) direct = read_direct(path, PCAP_TSTAMP_PRECISION_NANO, NULL, NULL);
	static const CaptureFrames ways[] = { CAPTURE_FRAMES_IN_FILE_IF_ABLE, CAPTURE_FRAMES_COPIED };
	for (gsize i = 0; i < G_N_ELEMENTS(ways); i++) {
		g_autoptr(Capture) c = load_ok_as(path, ways[i]);
		g_assert_cmpint(c->file_fd >= 0, ==, ways[i] == CAPTURE_FRAMES_IN_FILE_IF_ABLE &&
		                                     g_str_equal(c->format, "pcap"));
		const guint8 *m = map_capture(c);
		check_layout(c, m);
		g_assert_cmpuint(c->frame_count, ==, direct->len);
		check_frames(m, direct, direct->len);
		munmap((void *)m, c->size);
	}
}

static void test_pcapng_keeps_nanoseconds(void)
{
	g_autofree char *path = data_file(PCAPNG_NS_FILE);
	g_autoptr(Capture) c = load_ok(path);
	const guint8 *m = map_capture(c);
	g_autoptr(GArray) direct = read_direct(path, PCAP_TSTAMP_PRECISION_NANO, NULL, NULL);
	check_frames(m, direct, direct->len);
	/* Equal to libpcap is not enough if both dropped to µs: this file has
	 * if_tsresol=9, so some timestamps must have digits below the µs. */
	gboolean sub_us = FALSE;
	for (guint64 i = 0; i < c->frame_count; i++)
		sub_us |= records_of(m)[i].ts_nsec % 1000 != 0;
	g_assert_true(sub_us);
	munmap((void *)m, c->size);
}

static void test_pcap_microseconds_scaled(void)
{
	g_autofree char *path = data_file(PCAP_US_FILE);
	g_autoptr(Capture) c = load_ok(path);
	const guint8 *m = map_capture(c);
	g_autoptr(GArray) us = read_direct(path, PCAP_TSTAMP_PRECISION_MICRO, NULL, NULL);
	g_assert_cmpuint(c->frame_count, ==, us->len);
	const CaptureRecord *rec = records_of(m);
	for (guint i = 0; i < us->len; i++) {
		const Direct *d = &g_array_index(us, Direct, i);
		g_assert_cmpint(rec[i].ts_sec, ==, d->sec);
		g_assert_cmpuint(rec[i].ts_nsec, ==, (guint64)d->frac * 1000);
	}
	munmap((void *)m, c->size);
}

/* ---- the memfd is sealed --------------------------------------------------- */

static Capture *load_sealed_example(void)
{
	g_autofree char *path = data_file(PCAP_US_FILE);
	return load_ok(path);
}

static void test_memfd_sealed(void)
{
	g_autoptr(Capture) c = load_sealed_example();
	int seals = fcntl(c->fd, F_GET_SEALS);
	g_assert_cmpint(seals, >=, 0);
	g_assert_cmphex(seals & SEALS, ==, SEALS);
	/* F_SEAL_SEAL: the set cannot change any more (asked with a seal every
	 * kernel with seals knows, so EPERM can only be F_SEAL_SEAL's). */
	g_assert_cmpint(fcntl(c->fd, F_ADD_SEALS, F_SEAL_WRITE), ==, -1);
	g_assert_cmpint(errno, ==, EPERM);
}

static void test_memfd_refuses_writable_mapping(void)
{
	g_autoptr(Capture) c = load_sealed_example();
	void *m = mmap(NULL, c->size, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
	g_assert_true(m == MAP_FAILED);
	g_assert_cmpint(errno, ==, EPERM);
	m = mmap(NULL, c->size, PROT_WRITE, MAP_SHARED, c->fd, 0);
	g_assert_true(m == MAP_FAILED);
}

static void test_memfd_refuses_write(void)
{
	g_autoptr(Capture) c = load_sealed_example();
	g_assert_cmpint(write(c->fd, "x", 1), ==, -1);
	g_assert_cmpint(errno, ==, EPERM);
	g_assert_cmpint(pwrite(c->fd, "x", 1, 0), ==, -1);
	g_assert_cmpint(pwrite(c->fd, "x", 1, (off_t)c->size), ==, -1);
}

static void test_memfd_refuses_resize(void)
{
	g_autoptr(Capture) c = load_sealed_example();
	g_assert_cmpint(ftruncate(c->fd, 0), ==, -1);
	g_assert_cmpint(errno, ==, EPERM);
	g_assert_cmpint(ftruncate(c->fd, (off_t)c->size + 4096), ==, -1);
	g_assert_cmpint(errno, ==, EPERM);
	g_assert_cmpint(lseek(c->fd, 0, SEEK_END), ==, (off_t)c->memfd_size);
}

/* A child may map it private and scribble; no other job may see that. */
static void test_memfd_private_writes_stay_private(void)
{
	g_autoptr(Capture) c = load_sealed_example();
	guint8 *priv = mmap(NULL, c->memfd_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, c->fd, 0);
	g_assert_true(priv != MAP_FAILED);
	memset(priv, 0xAA, c->memfd_size);
	const guint8 *m = map_capture(c);
	check_layout(c, m);
	munmap((void *)m, c->size);
	munmap(priv, c->memfd_size);
}

/* ---- frames left in the file ------------------------------------------------ */

/* The file is mapped from a read-only descriptor: no view of it can be
 * made writable, shared, or punched, by a child or anyone holding the
 * mapping. */
static void test_in_file_read_only(void)
{
	g_autoptr(Capture) c = load_sealed_example();
	g_assert_cmpint(c->file_fd, >=, 0);
	guint8 *m = (guint8 *)map_capture(c);
	g_assert_cmpint(mprotect(m + c->memfd_size, c->size - c->memfd_size, PROT_READ | PROT_WRITE),
	                ==, -1);
	g_assert_cmpint(errno, ==, EACCES);
	g_assert_true(mmap(NULL, c->size - c->memfd_size, PROT_READ | PROT_WRITE, MAP_SHARED,
	                   c->file_fd, 0) == MAP_FAILED);
	/* Nor can a hole be punched in the file through the view. */
	gsize page = (gsize)sysconf(_SC_PAGESIZE);
	g_assert_cmpint(madvise(m + c->memfd_size, page, MADV_REMOVE), ==, -1);
	g_assert_cmpint(errno, ==, EACCES);
	munmap(m, c->size);
}

/* A file truncated after the load is told from the capture's own figures,
 * which is how a job's SIGBUS is put down to it rather than the expert. */
static void test_in_file_shrank(void)
{
	g_autofree char *src = data_file(PCAP_US_FILE);
	g_autofree char *bytes = NULL;
	gsize len = 0;
	g_assert_true(g_file_get_contents(src, &bytes, &len, NULL));
	g_autofree char *dir = g_dir_make_tmp("capture-shrank-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "copy.pcap", NULL);
	g_assert_true(g_file_set_contents(path, bytes, (gssize)len, NULL));
	g_autoptr(Capture) c = load_ok(path);
	g_assert_cmpint(c->file_fd, >=, 0);
	guint64 now = 1;
	g_assert_false(capture_file_shrank(c, &now));
	g_assert_cmpint(truncate(path, (off_t)len / 2), ==, 0);
	g_assert_true(capture_file_shrank(c, &now));
	g_assert_cmpuint(now, ==, len / 2);
	g_autoptr(Capture) copied = load_ok_as(src, CAPTURE_FRAMES_COPIED);
	g_assert_false(capture_file_shrank(copied, &now));
	g_unlink(path);
	g_rmdir(dir);
}

/* ---- errors and limits ----------------------------------------------------- */

static void assert_open_error(const char *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(Capture) c = capture_load(path, &error);
	g_assert_null(c);
	g_assert_error(error, CAPTURE_ERROR, CAPTURE_ERROR_OPEN);
	if (!strstr(error->message, path))
		g_error("message does not name %s: %s", path, error->message);
}

static void test_missing_file_names_path(void)
{
	g_autofree char *path = data_file("no-such-capture.pcap");
	assert_open_error(path);
}

static void test_directory_names_path(void)
{
	g_autofree char *path = data_file("oracle");
	assert_open_error(path);
}

static void test_too_many_frames(void)
{
	g_autofree char *path = data_file(PCAP_US_FILE);
	g_autoptr(Capture) full = load_ok(path);
	g_autoptr(GError) error = NULL;
	/* Exactly at the limit loads; one under refuses. */
	g_autoptr(Capture) at = capture_load_with_limits(path, CAPTURE_FRAMES_IN_FILE_IF_ABLE, full->frame_count,
	                                                 CAPTURE_MAX_TOTAL_SIZE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(at->frame_count, ==, full->frame_count);
	g_autoptr(Capture) under = capture_load_with_limits(path, CAPTURE_FRAMES_IN_FILE_IF_ABLE, full->frame_count - 1,
	                                                    CAPTURE_MAX_TOTAL_SIZE, &error);
	g_assert_null(under);
	g_assert_error(error, CAPTURE_ERROR, CAPTURE_ERROR_TOO_LARGE);
	g_assert_nonnull(strstr(error->message, path));
}

static void test_too_large_total(void)
{
	g_autofree char *path = data_file(PCAP_US_FILE);
	g_autoptr(Capture) full = load_ok(path);
	g_autoptr(GError) error = NULL;
	g_autoptr(Capture) at = capture_load_with_limits(path, CAPTURE_FRAMES_IN_FILE_IF_ABLE, CAPTURE_MAX_FRAMES,
	                                                 full->size, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(at->size, ==, full->size);
	g_autoptr(Capture) under = capture_load_with_limits(path, CAPTURE_FRAMES_IN_FILE_IF_ABLE, CAPTURE_MAX_FRAMES,
	                                                    full->size - 1, &error);
	g_assert_null(under);
	g_assert_error(error, CAPTURE_ERROR, CAPTURE_ERROR_TOO_LARGE);
	g_assert_nonnull(strstr(error->message, path));
}

/* ---- damaged captures ------------------------------------------------------ */

typedef enum { EXPECT_OPEN_ERROR, EXPECT_PARTIAL, EXPECT_COMPLETE } Expect;

/* tests/data/truncated/README.md says how each was made. */
static const struct Damaged {
	const char *file;
	const char *good;   /* the sound capture it was made from */
	Expect expect;
} damaged[] = {
	{ "empty.pcap",                       NULL,           EXPECT_OPEN_ERROR },
	{ "not-a-capture.pcap",               NULL,           EXPECT_OPEN_ERROR },
	{ "pcap-header-short.pcap",           PCAP_US_FILE,   EXPECT_OPEN_ERROR },
	{ "pcap-header-only.pcap",            PCAP_US_FILE,   EXPECT_COMPLETE },
	{ "pcap-cut-in-record-header.pcap",   PCAP_US_FILE,   EXPECT_PARTIAL },
	{ "pcap-cut-in-frame-data.pcap",      PCAP_US_FILE,   EXPECT_PARTIAL },
	{ "pcap-huge-caplen.pcap",            PCAP_US_FILE,   EXPECT_PARTIAL },
	{ "pcapng-cut-in-shb.pcapng",         PCAPNG_NS_FILE, EXPECT_OPEN_ERROR },
	{ "pcapng-no-idb.pcapng",             PCAPNG_NS_FILE, EXPECT_OPEN_ERROR },
	{ "pcapng-cut-in-block.pcapng",       PCAPNG_NS_FILE, EXPECT_PARTIAL },
	{ "pcapng-block-length-short.pcapng", PCAPNG_NS_FILE, EXPECT_PARTIAL },
	{ "pcapng-block-length-huge.pcapng",  PCAPNG_NS_FILE, EXPECT_PARTIAL },
};

/* Frames of `direct` whose records end at or before `offset`: the ones
 * damage at `offset` leaves whole. */
static guint64 frames_before(GArray *direct, long offset)
{
	guint64 n = 0;
	while (n < direct->len && g_array_index(direct, Direct, n).end <= offset)
		n++;
	return n;
}

/* Checks a load of a damaged file made from `good`, damaged first at
 * byte `damage_at`; `clean_end` says whether the damage is a clean cut at a
 * record boundary (then nothing is partial). */
static void check_damaged_load(const Capture *c, GArray *good, long damage_at,
                               gboolean clean_end)
{
	guint64 want = frames_before(good, damage_at);
	g_assert_cmpuint(c->frame_count, ==, want);
	g_assert_cmpint(c->partial, ==, !clean_end);
	if (c->partial) {
		g_autofree char *prefix = g_strdup_printf("stopped after frame %" G_GUINT64_FORMAT ": ", want);
		g_assert_nonnull(c->partial_reason);
		g_assert_true(g_str_has_prefix(c->partial_reason, prefix));
		g_assert_cmpuint(strlen(c->partial_reason), >, strlen(prefix));
	} else {
		g_assert_null(c->partial_reason);
	}
	const guint8 *m = map_capture(c);
	check_layout(c, m);
	check_frames(m, good, want);
	munmap((void *)m, c->size);
}

static void test_damaged(gconstpointer data)
{
	const struct Damaged *d = data;
	g_autofree char *rel = g_build_filename("truncated", d->file, NULL);
	g_autofree char *path = data_file(rel);
	if (d->expect == EXPECT_OPEN_ERROR) {
		assert_open_error(path);
		return;
	}
	g_autofree char *good_path = data_file(d->good);
	g_autoptr(GArray) good = read_direct(good_path, PCAP_TSTAMP_PRECISION_NANO, NULL, NULL);

	/* Damage starts at the first byte that differs from the good file, or
	 * where the damaged file stops. */
	g_autofree char *a = NULL, *b = NULL;
	gsize alen, blen;
	g_assert_true(g_file_get_contents(path, &a, &alen, NULL));
	g_assert_true(g_file_get_contents(good_path, &b, &blen, NULL));
	gsize at = 0;
	while (at < alen && at < blen && a[at] == b[at])
		at++;
	g_assert_cmpuint(at, <, blen); /* it is damaged */

	g_autoptr(GError) error = NULL;
	g_autoptr(Capture) c = capture_load(path, &error);
	g_assert_no_error(error);
	check_damaged_load(c, good, (long)at, d->expect == EXPECT_COMPLETE);
	if (d->expect == EXPECT_PARTIAL)
		g_assert_cmpuint(c->frame_count, <, good->len);
}

/* A file added to tests/data/truncated without an entry above would go
 * untested. */
static void test_damaged_all_listed(void)
{
	g_autofree char *dir_path = data_file("truncated");
	g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
	g_assert_nonnull(dir);
	const char *name;
	while ((name = g_dir_read_name(dir))) {
		if (g_str_equal(name, "README.md") || g_str_equal(name, "make.sh"))
			continue;
		gboolean listed = FALSE;
		for (gsize i = 0; i < G_N_ELEMENTS(damaged); i++)
			listed |= g_str_equal(damaged[i].file, name);
		if (!listed)
			g_error("truncated/%s has no entry in damaged[]", name);
	}
}

/* No fsync: these are scratch files rewritten thousands of times. */
static gboolean write_file(const char *path, const char *bytes, gsize len)
{
	return g_file_set_contents_full(path, bytes, (gssize)len, G_FILE_SET_CONTENTS_NONE,
	                                0644, NULL);
}

/* Every prefix of a capture (every `step`th, and all of the first 1 KiB):
 * an error before the headers are complete, else the whole records before the
 * cut, partial unless the cut falls between blocks. */
static void check_every_prefix(const char *name, gsize step)
{
	g_autofree char *good_path = data_file(name);
	long open_end, eof_end;
	g_autoptr(GArray) good = read_direct(good_path, PCAP_TSTAMP_PRECISION_NANO,
	                                     &open_end, &eof_end);
	g_autofree char *bytes = NULL;
	gsize len;
	g_assert_true(g_file_get_contents(good_path, &bytes, &len, NULL));
	g_assert_cmpint(eof_end, ==, (long)len);
	g_autofree char *tmp = g_dir_make_tmp("test-capture-XXXXXX", NULL);
	g_assert_nonnull(tmp);
	g_autofree char *cut = g_build_filename(tmp, name, NULL);

	for (gsize n = 0; n < len; n += n < 1024 ? 1 : step) {
		g_assert_true(write_file(cut, bytes, n));
		g_autoptr(GError) error = NULL;
		g_autoptr(Capture) c = capture_load(cut, &error);
		if ((long)n < open_end) {
			g_assert_null(c);
			g_assert_error(error, CAPTURE_ERROR, CAPTURE_ERROR_OPEN);
			continue;
		}
		g_assert_no_error(error);
		gboolean at_boundary = (long)n == open_end;
		for (guint i = 0; i < good->len; i++)
			at_boundary |= g_array_index(good, Direct, i).end == (long)n;
		check_damaged_load(c, good, (long)n, at_boundary);
	}
	g_unlink(cut);
	g_rmdir(tmp);
}

static void test_every_prefix_pcap(void)
{
	check_every_prefix("tls_irc-starttls.pcap", 1);
}

static void test_every_prefix_pcapng(void)
{
	check_every_prefix(PCAPNG_NS_FILE, 7);
}

/* Bytes overwritten at random (fixed seed): whatever libpcap makes of them,
 * the loader either refuses to open or gives a consistent mapping. */
static void test_random_damage_never_breaks_layout(void)
{
	const char *names[] = { "tls_irc-starttls.pcap", PCAPNG_NS_FILE, MULTI "merged.pcapng",
	                        MULTI "tiny.pcapng" };
	g_autofree char *tmp = g_dir_make_tmp("test-capture-XXXXXX", NULL);
	g_assert_nonnull(tmp);
	g_autoptr(GRand) rand = g_rand_new_with_seed(20240601);
	for (gsize f = 0; f < G_N_ELEMENTS(names); f++) {
		g_autofree char *good_path = data_file(names[f]);
		g_autofree char *bytes = NULL;
		gsize len;
		g_assert_true(g_file_get_contents(good_path, &bytes, &len, NULL));
		g_autofree char *base = g_path_get_basename(names[f]);
		g_autofree char *path = g_build_filename(tmp, base, NULL);
		for (int round = 0; round < 400; round++) {
			g_autofree char *copy = g_memdup2(bytes, len);
			for (int k = 0; k < 4; k++)
				copy[g_rand_int_range(rand, 0, (gint32)len)] = (char)g_rand_int(rand);
			g_assert_true(write_file(path, copy, len));
			g_autoptr(GError) error = NULL;
			g_autoptr(Capture) c = capture_load(path, &error);
			if (!c) {
				g_assert_error(error, CAPTURE_ERROR, CAPTURE_ERROR_OPEN);
				continue;
			}
			g_assert_cmpint(c->partial, ==, c->partial_reason != NULL);
			const guint8 *m = map_capture(c);
			check_layout(c, m);
			munmap((void *)m, c->size);
		}
		g_unlink(path);
	}
	g_rmdir(tmp);
}

/* ---- pcapng whose interfaces libpcap refuses ------------------------------ */

/* tests/data/multi-interface/README.md says how each was made. libpcap opens
 * each, reads `frames` and fails with `refusal` (capture.c takes it from
 * there); the loader gives tshark's figures. */
static const struct Multi {
	const char *file;
	guint frames;
	const char *refusal;
} multi[] = {
	{ "merged.pcapng", 0,
	  "an interface has a type 1 different from the type of the first interface" },
	{ "tiny.pcapng", 1,
	  "an interface has a type 101 different from the type of the first interface" },
	{ "snaplen-differs.pcapng", 1, "an interface has a snapshot length 262144 different "
	  "from the snapshot length of the first interface" },
	{ "same-raw.pcapng", 0, /* both LINKTYPE_RAW: libpcap compares its DLT_RAW */
	  "an interface has a type 101 different from the type of the first interface" },
};

static void test_multi_libpcap_refuses(gconstpointer data)
{
	const struct Multi *t = data;
	g_autofree char *name = g_strconcat(MULTI, t->file, NULL);
	g_autofree char *path = data_file(name);
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	g_assert_nonnull(p);
	struct pcap_pkthdr *h;
	const u_char *b;
	int r;
	guint n = 0;
	while ((r = pcap_next_ex(p, &h, &b)) == 1)
		n++;
	g_assert_cmpint(r, ==, PCAP_ERROR);
	g_assert_cmpstr(pcap_geterr(p), ==, t->refusal);
	g_assert_cmpuint(n, ==, t->frames);
	pcap_close(p);
}

/* tshark's WTAP_ENCAP_* (frame.encap_type) to LINKTYPE_*. */
static const guint32 wtap_linktypes[][2] = { { 1, 1 }, { 7, 101 }, { 25, 113 } };

typedef struct {
	guint32 link_type, len;
	gboolean timed;
	gint64 sec;
	guint32 nsec;
} TsharkFrame;

/* F.tshark.tsv: frames and bytes_on_wire, then number, interface, encap, len
 * and time of each frame. A row with no interface is tshark showing a custom
 * block as a frame (tiny.pcapng has one): not a packet, so left out here with
 * its length. A row with no time is a Simple Packet Block, which has none. */
static GArray *tshark_load(const char *file, guint64 *frames, guint64 *bytes_on_wire)
{
	g_autofree char *name = g_strconcat(MULTI, file, ".tshark.tsv", NULL);
	g_autofree char *path = data_file(name);
	g_autofree char *text = NULL;
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	GArray *rows = g_array_new(FALSE, FALSE, sizeof(TsharkFrame));
	for (char **l = lines; *l; l++) {
		g_auto(GStrv) f = g_strsplit(*l, "\t", -1);
		if (**l == '#' || !**l || g_str_equal(f[0], "frame.number"))
			continue;
		if (g_str_equal(f[0], "frames") || g_str_equal(f[0], "bytes_on_wire")) {
			*(g_str_equal(f[0], "frames") ? frames : bytes_on_wire) = g_ascii_strtoull(f[1], NULL, 10);
			continue;
		}
		g_assert_cmpuint(g_strv_length(f), ==, 5);
		if (!*f[1]) {
			(*frames)--;
			*bytes_on_wire -= g_ascii_strtoull(f[3], NULL, 10);
			continue;
		}
		TsharkFrame row = {
			.len = (guint32)g_ascii_strtoull(f[3], NULL, 10),
			.timed = *f[4] != '\0',
		};
		for (gsize i = 0; i < G_N_ELEMENTS(wtap_linktypes); i++)
			if (wtap_linktypes[i][0] == g_ascii_strtoull(f[2], NULL, 10))
				row.link_type = wtap_linktypes[i][1];
		g_assert_cmpuint(row.link_type, !=, 0);
		if (row.timed) {
			char *dot = strchr(f[4], '.');
			g_assert_true(dot && strlen(dot + 1) == 9);
			row.sec = g_ascii_strtoll(f[4], NULL, 10);
			row.nsec = (guint32)g_ascii_strtoull(dot + 1, NULL, 10);
		}
		g_array_append_val(rows, row);
	}
	return rows;
}

static void test_multi_matches_tshark(gconstpointer data)
{
	const struct Multi *t = data;
	guint64 frames = 0, wire = 0;
	g_autoptr(GArray) rows = tshark_load(t->file, &frames, &wire);
	g_autofree char *name = g_strconcat(MULTI, t->file, NULL);
	g_autofree char *path = data_file(name);
	g_autoptr(Capture) c = load_ok(path);
	g_assert_cmpstr(c->format, ==, "pcapng");
	g_assert_false(c->partial);
	g_assert_null(c->partial_reason);
	g_assert_cmpuint(c->frame_count, ==, frames);
	g_assert_cmpuint(c->frame_count, ==, rows->len);
	g_assert_cmpuint(c->bytes_on_wire, ==, wire);
	g_assert_cmpuint(c->link_type, ==, g_array_index(rows, TsharkFrame, 0).link_type);
	const guint8 *m = map_capture(c);
	check_layout(c, m);
	const CaptureRecord *rec = records_of(m);
	for (guint i = 0; i < rows->len; i++) {
		const TsharkFrame *row = &g_array_index(rows, TsharkFrame, i);
		/* A CaptureRecord has no interface id, only its interface's link
		 * type (test-pcapng.c compares the ids with tshark's). */
		g_assert_cmpuint(rec[i].link_type, ==, row->link_type);
		g_assert_cmpuint(rec[i].orig_len, ==, row->len);
		g_assert_true(row->timed || i > 0); /* an SPB takes the previous packet's time */
		g_assert_cmpint(rec[i].ts_sec, ==, row->timed ? row->sec : rec[i - 1].ts_sec);
		g_assert_cmpuint(rec[i].ts_nsec, ==, row->timed ? row->nsec : rec[i - 1].ts_nsec);
	}
	munmap((void *)m, c->size);
}

/* The records and bytes of a and b agree up to frame n. */
static void check_same_frames(const Capture *a, const Capture *b, guint64 n)
{
	const guint8 *ma = map_capture(a), *mb = map_capture(b);
	const CaptureRecord *ra = records_of(ma), *rb = records_of(mb);
	for (guint64 i = 0; i < n; i++) {
		g_assert_cmpint(ra[i].ts_sec, ==, rb[i].ts_sec);
		g_assert_cmpuint(ra[i].ts_nsec, ==, rb[i].ts_nsec);
		g_assert_cmpuint(ra[i].link_type, ==, rb[i].link_type);
		g_assert_cmpuint(ra[i].orig_len, ==, rb[i].orig_len);
		g_assert_cmpmem(ma + ((const CaptureHeader *)ma)->data_offset + ra[i].offset, ra[i].cap_len,
		                mb + ((const CaptureHeader *)mb)->data_offset + rb[i].offset, rb[i].cap_len);
	}
	munmap((void *)ma, a->size);
	munmap((void *)mb, b->size);
}

/* One damaged field each (README.md): partial at that block, with the frames
 * before it; tests/unit/test-pcapng.c checks the offsets and reasons. A wrong
 * section length is no damage (pcapng.c's header says why). */
static const struct {
	const char *file;
	guint frames;
	const char *reason;
} multi_damaged[] = {
	{ "tiny-bad-trailer.pcapng", 2, "trailing block length" },
	{ "tiny-bad-iface.pcapng", 2, "on interface 3" },
	{ "tiny-bad-caplen.pcapng", 1, "captured length of 1000" },
	{ "tiny-bad-stale.pcapng", 6, "on interface 1" },
	{ "tiny-wrong-seclen.pcapng", 7, NULL },
};

static void test_multi_damaged(void)
{
	g_autofree char *good_path = data_file(MULTI "tiny.pcapng");
	g_autoptr(Capture) good = load_ok(good_path);
	for (gsize i = 0; i < G_N_ELEMENTS(multi_damaged); i++) {
		g_autofree char *name = g_strconcat(MULTI, multi_damaged[i].file, NULL);
		g_autofree char *path = data_file(name);
		g_autoptr(Capture) c = load_ok(path);
		g_autofree char *prefix = g_strdup_printf("stopped after frame %u: pcapng block at offset ",
		                                          multi_damaged[i].frames);
		g_assert_cmpint(c->partial, ==, multi_damaged[i].reason != NULL);
		g_assert_cmpuint(c->frame_count, ==, multi_damaged[i].frames);
		if (c->partial && (!g_str_has_prefix(c->partial_reason, prefix) ||
		                   !strstr(c->partial_reason, multi_damaged[i].reason)))
			g_error("%s: partial reason \"%s\"", name, c->partial_reason);
		const guint8 *m = map_capture(c);
		check_layout(c, m);
		munmap((void *)m, c->size);
		check_same_frames(c, good, c->frame_count);
	}
}

/* Every prefix of tiny.pcapng, whose second IDB libpcap refuses after one
 * frame: before its first IDB is whole libpcap cannot open it; after, the
 * load is what pcapng.c reads of the prefix, whether libpcap or pcapng.c
 * read it (libpcap meets a cut in the second IDB as a truncation). */
static void test_multi_every_prefix(void)
{
	g_autofree char *good_path = data_file(MULTI "tiny.pcapng");
	g_autoptr(Capture) good = load_ok(good_path);
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(good_path, errbuf);
	g_assert_nonnull(p);
	long open_end = ftell(pcap_file(p));
	pcap_close(p);
	g_autofree char *bytes = NULL;
	gsize len;
	g_assert_true(g_file_get_contents(good_path, &bytes, &len, NULL));
	g_autofree char *tmp = g_dir_make_tmp("test-capture-XXXXXX", NULL);
	g_autofree char *cut = g_build_filename(tmp, "tiny.pcapng", NULL);
	for (gsize n = 0; n <= len; n++) {
		g_assert_true(write_file(cut, bytes, n));
		g_autoptr(GError) error = NULL;
		g_autoptr(Capture) c = capture_load(cut, &error);
		if ((long)n < open_end) {
			g_assert_error(error, CAPTURE_ERROR, CAPTURE_ERROR_OPEN);
			continue;
		}
		g_assert_no_error(error);
		PcapngInterface ifaces[8];
		PcapngReader r;
		pcapng_reader_init(&r, ifaces, G_N_ELEMENTS(ifaces));
		PcapngPacket packet;
		PcapngStatus s;
		guint64 want = 0;
		while ((s = pcapng_next(&r, (const guint8 *)bytes, n, &packet)) == PCAPNG_PACKET)
			want++;
		g_assert_cmpuint(c->frame_count, ==, want);
		g_assert_cmpint(c->partial, ==, s == PCAPNG_BAD);
		g_autofree char *prefix = g_strdup_printf("stopped after frame %" G_GUINT64_FORMAT ": ", want);
		g_assert_true(!c->partial || g_str_has_prefix(c->partial_reason, prefix));
		check_same_frames(c, good, want);
	}
	g_unlink(cut);
	g_rmdir(tmp);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	/* One test per bundled capture, so a failure names the file. */
	g_autoptr(GPtrArray) rows = oracle_load();
	for (guint i = 0; i < rows->len; i++) {
		const OracleRow *r = g_ptr_array_index(rows, i);
		g_autofree char *p1 = g_strdup_printf("/capture/load/matches-oracle/%s", r->file);
		g_autofree char *p2 = g_strdup_printf("/capture/load/frames-equal-libpcap/%s", r->file);
		g_test_add_data_func(p1, r, test_matches_oracle);
		g_test_add_data_func(p2, r, test_frames_equal_libpcap);
	}
	g_test_add_func("/capture/load/pcapng-keeps-nanoseconds", test_pcapng_keeps_nanoseconds);
	g_test_add_func("/capture/load/pcap-microseconds-scaled", test_pcap_microseconds_scaled);

	g_test_add_func("/capture/memfd/sealed", test_memfd_sealed);
	g_test_add_func("/capture/memfd/refuses-writable-mapping", test_memfd_refuses_writable_mapping);
	g_test_add_func("/capture/memfd/refuses-write", test_memfd_refuses_write);
	g_test_add_func("/capture/memfd/refuses-resize", test_memfd_refuses_resize);
	g_test_add_func("/capture/memfd/private-writes-stay-private",
	                test_memfd_private_writes_stay_private);

	g_test_add_func("/capture/in-file/read-only", test_in_file_read_only);
	g_test_add_func("/capture/in-file/shrank", test_in_file_shrank);
	g_test_add_func("/capture/open/missing-file-names-path", test_missing_file_names_path);
	g_test_add_func("/capture/open/directory-names-path", test_directory_names_path);
	g_test_add_func("/capture/limits/too-many-frames", test_too_many_frames);
	g_test_add_func("/capture/limits/too-large-total", test_too_large_total);

	for (gsize i = 0; i < G_N_ELEMENTS(damaged); i++) {
		g_autofree char *p = g_strdup_printf("/capture/damaged/%s", damaged[i].file);
		g_test_add_data_func(p, &damaged[i], test_damaged);
	}
	g_test_add_func("/capture/damaged/all-listed", test_damaged_all_listed);
	g_test_add_func("/capture/damaged/every-prefix-pcap", test_every_prefix_pcap);
	g_test_add_func("/capture/damaged/every-prefix-pcapng", test_every_prefix_pcapng);
	g_test_add_func("/capture/damaged/random-bytes-keep-layout",
	                test_random_damage_never_breaks_layout);

	for (gsize i = 0; i < G_N_ELEMENTS(multi); i++) {
		g_autofree char *p1 = g_strdup_printf("/capture/multi-interface/libpcap-refuses/%s",
		                                      multi[i].file);
		g_autofree char *p2 = g_strdup_printf("/capture/multi-interface/matches-tshark/%s",
		                                      multi[i].file);
		g_test_add_data_func(p1, &multi[i], test_multi_libpcap_refuses);
		g_test_add_data_func(p2, &multi[i], test_multi_matches_tshark);
	}
	g_test_add_func("/capture/multi-interface/damaged-keep-frames-before", test_multi_damaged);
	g_test_add_func("/capture/multi-interface/every-prefix", test_multi_every_prefix);
	return g_test_run();
}
