/* test-pcapng.c — executor/captures/pcapng.c: the hand-made captures of
 * tests/data/multi-interface (make.sh) against figures worked out by hand,
 * the sound ones there against tshark's (F.tshark.tsv), the bundled
 * single-interface pcapng files against libpcap, blocks built here against
 * each rule in both byte orders, and every prefix and random damage against
 * reading outside the bytes given (each input is its own heap block, so the
 * sanitizer build catches any such read). Needs EXPERT_TEST_DATA. */
#include "captures/pcapng.h"

#include <pcap/pcap.h>
#include <string.h>

#define MAX_IFACES 8
#define MULTI      "multi-interface/"

static GBytes *data_bytes(const char *name)
{
	const char *dir = g_getenv("EXPERT_TEST_DATA");
	g_assert_nonnull(dir); /* set by meson; run by hand with EXPERT_TEST_DATA=tests/data */
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error = NULL;
	char *text;
	gsize len;
	if (!g_file_get_contents(path, &text, &len, &error))
		g_error("%s", error->message);
	return g_bytes_new_take(text, len);
}

/* ---- reading a whole buffer ------------------------------------------------ */

typedef struct {
	GArray *packets;      /* PcapngPacket, pointing into the buffer read */
	PcapngStatus status;  /* PCAPNG_END or PCAPNG_BAD */
	guint64 offset;       /* of the bad block */
	char reason[PCAPNG_REASON_SIZE];
} Read;

static void read_clear(Read *r)
{
	g_clear_pointer(&r->packets, g_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Read, read_clear)

/* Everything pcapng.h promises of any input, whatever it holds. */
static Read read_all(const guint8 *buf, gsize len, guint32 max_ifaces)
{
	PcapngInterface ifaces[MAX_IFACES];
	g_assert_cmpuint(max_ifaces, <=, MAX_IFACES);
	PcapngReader r;
	pcapng_reader_init(&r, ifaces, max_ifaces);
	Read out = { .packets = g_array_new(FALSE, FALSE, sizeof(PcapngPacket)) };
	PcapngPacket p;
	while ((out.status = pcapng_next(&r, buf, len, &p)) == PCAPNG_PACKET) {
		g_assert_true(p.data >= buf && p.data <= buf + len);
		g_assert_cmpuint(p.cap_len, <=, (gsize)(buf + len - p.data));
		g_assert_cmpuint(p.block_offset + 12 + p.cap_len, <=, len);
		g_assert_cmpuint(p.ts_nsec, <, 1000000000u);
		g_assert_cmpuint(p.interface_id, <, max_ifaces);
		if (out.packets->len)
			g_assert_cmpuint(p.block_offset, >,
			                 g_array_index(out.packets, PcapngPacket, out.packets->len - 1).block_offset);
		g_array_append_val(out.packets, p);
	}
	g_assert_true(out.status == PCAPNG_END || out.status == PCAPNG_BAD);
	g_assert_cmpuint(r.offset, <=, len);
	if (out.status == PCAPNG_BAD)
		g_assert_cmpuint(strlen(r.reason), >, 0);
	g_assert_cmpint(pcapng_next(&r, buf, len, &p), ==, out.status); /* it stays there */
	out.offset = r.offset;
	memcpy(out.reason, r.reason, sizeof(out.reason));
	return out;
}

static void assert_bad(const Read *r, guint64 offset, const char *reason)
{
	g_assert_cmpint(r->status, ==, PCAPNG_BAD);
	g_assert_cmpuint(r->offset, ==, offset);
	if (!strstr(r->reason, reason)) {
		g_test_message("reason \"%s\" does not say \"%s\"", r->reason, reason);
		g_test_fail();
	}
}

static void assert_same_packet(const PcapngPacket *a, const PcapngPacket *b)
{
	g_assert_cmpuint(a->block_offset, ==, b->block_offset);
	g_assert_cmpuint(a->interface_id, ==, b->interface_id);
	g_assert_cmpuint(a->link_type, ==, b->link_type);
	g_assert_cmpint(a->ts_sec, ==, b->ts_sec);
	g_assert_cmpuint(a->ts_nsec, ==, b->ts_nsec);
	g_assert_cmpuint(a->orig_len, ==, b->orig_len);
	g_assert_cmpmem(a->data, a->cap_len, b->data, b->cap_len);
}

/* ---- tiny.pcapng and its damaged variants ---------------------------------- */

static const struct {
	guint32 iface, link_type;
	gint64 sec;
	guint32 nsec, orig_len;
	const char *data;
} tiny_frames[] = {
	{ 0, 1, 1700000000, 123456000, 60, "ABCDE" },      /* if_tsresol 6, EPB options */
	{ 1, 101, 1700000001, 987654321, 8, "RAWPKT01" },  /* 9 */
	{ 2, 113, 1700000005, 976562, 7, "SLL7BYT" },      /* 2^-10, +1.7e9 s: 1/1024 s rounded down */
	{ 2, 113, 1700000006, 250000000, 100, "x" },       /* cap_len < orig_len */
	{ 0, 1, 1700000006, 250000000, 10, "0123456789" }, /* SPB: the previous packet's time */
	{ 1, 101, 1700000002, 7, 6, "PBDATA" },            /* obsolete Packet Block */
	{ 0, 1, 1599999900, 500000000, 6, "BIGEND" },      /* big-endian section, given
	                                                      length, default µs, -100 s */
};

static void check_tiny_frames(const Read *r, guint n)
{
	g_assert_cmpuint(r->packets->len, ==, n);
	for (guint i = 0; i < n; i++) {
		const PcapngPacket *p = &g_array_index(r->packets, PcapngPacket, i);
		g_assert_cmpuint(p->interface_id, ==, tiny_frames[i].iface);
		g_assert_cmpuint(p->link_type, ==, tiny_frames[i].link_type);
		g_assert_cmpint(p->ts_sec, ==, tiny_frames[i].sec);
		g_assert_cmpuint(p->ts_nsec, ==, tiny_frames[i].nsec);
		g_assert_cmpuint(p->orig_len, ==, tiny_frames[i].orig_len);
		g_assert_cmpmem(p->data, p->cap_len, tiny_frames[i].data, strlen(tiny_frames[i].data));
	}
}

static void test_tiny_frames(void)
{
	g_autoptr(GBytes) b = data_bytes(MULTI "tiny.pcapng");
	g_auto(Read) r = read_all(g_bytes_get_data(b, NULL), g_bytes_get_size(b), MAX_IFACES);
	g_assert_cmpint(r.status, ==, PCAPNG_END);
	check_tiny_frames(&r, G_N_ELEMENTS(tiny_frames));
}

/* The variants differ from tiny.pcapng in one field each (README.md); the
 * bad block is the one of tiny's packet number `at` (0-based). */
static const struct TinyBad {
	const char *file;
	guint at;
	const char *reason;
} tiny_bad[] = {
	{ "tiny-bad-trailer.pcapng", 2, "trailing block length 68 differs from the leading 64" },
	{ "tiny-bad-iface.pcapng", 2, "Enhanced Packet Block on interface 3, but its section has 3" },
	{ "tiny-bad-caplen.pcapng", 1, "captured length of 1000, past its end (room for 32 bytes)" },
	{ "tiny-bad-stale.pcapng", 6, "on interface 1, but its section has 1 interfaces" },
};

static void test_tiny_bad(gconstpointer data)
{
	const struct TinyBad *t = data;
	g_autoptr(GBytes) good = data_bytes(MULTI "tiny.pcapng");
	g_auto(Read) g = read_all(g_bytes_get_data(good, NULL), g_bytes_get_size(good), MAX_IFACES);
	g_autofree char *name = g_strconcat(MULTI, t->file, NULL);
	g_autoptr(GBytes) b = data_bytes(name);
	g_auto(Read) r = read_all(g_bytes_get_data(b, NULL), g_bytes_get_size(b), MAX_IFACES);
	assert_bad(&r, g_array_index(g.packets, PcapngPacket, t->at).block_offset, t->reason);
	check_tiny_frames(&r, t->at);
}

/* Section 2's length 4 short: ignored, as libpcap and Wireshark do. */
static void test_tiny_wrong_section_length(void)
{
	g_autoptr(GBytes) b = data_bytes(MULTI "tiny-wrong-seclen.pcapng");
	g_auto(Read) r = read_all(g_bytes_get_data(b, NULL), g_bytes_get_size(b), MAX_IFACES);
	g_assert_cmpint(r.status, ==, PCAPNG_END);
	check_tiny_frames(&r, G_N_ELEMENTS(tiny_frames));
}

/* ---- against tshark and libpcap -------------------------------------------- */

/* tshark's frame.encap_type (WTAP_ENCAP_*) to LINKTYPE_*. */
static const guint32 wtap_linktypes[][2] = { { 1, 1 }, { 7, 101 }, { 25, 113 } };

/* F.tshark.tsv (make.sh): frames and bytes_on_wire, then number, interface,
 * encap, len and time of each frame. A row with no interface is tshark
 * showing a custom block as a frame (tiny.pcapng has one), not a packet: left
 * out, with its length. A row with no time is a Simple Packet Block, which
 * has none: it gets the previous packet's. */
static void test_matches_tshark(gconstpointer data)
{
	g_autofree char *name = g_strconcat(MULTI, data, NULL);
	g_autofree char *oracle = g_strconcat(name, ".tshark.tsv", NULL);
	g_autoptr(GBytes) b = data_bytes(name);
	g_autoptr(GBytes) o = data_bytes(oracle);
	g_auto(Read) r = read_all(g_bytes_get_data(b, NULL), g_bytes_get_size(b), MAX_IFACES);
	g_assert_cmpint(r.status, ==, PCAPNG_END);

	g_autofree char *text = g_strndup(g_bytes_get_data(o, NULL), g_bytes_get_size(o));
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint64 frames = 0, wire = 0, sum = 0;
	guint i = 0;
	for (char **l = lines; *l; l++) {
		g_auto(GStrv) f = g_strsplit(*l, "\t", -1);
		if (**l == '#' || !**l || g_str_equal(f[0], "frame.number"))
			continue;
		if (g_str_equal(f[0], "frames") || g_str_equal(f[0], "bytes_on_wire")) {
			*(g_str_equal(f[0], "frames") ? &frames : &wire) = g_ascii_strtoull(f[1], NULL, 10);
			continue;
		}
		g_assert_cmpuint(g_strv_length(f), ==, 5);
		if (!*f[1]) {
			frames--;
			wire -= g_ascii_strtoull(f[3], NULL, 10);
			continue;
		}
		g_assert_cmpuint(i, <, r.packets->len);
		const PcapngPacket *p = &g_array_index(r.packets, PcapngPacket, i);
		guint32 link_type = 0;
		for (gsize k = 0; k < G_N_ELEMENTS(wtap_linktypes); k++)
			if (wtap_linktypes[k][0] == g_ascii_strtoull(f[2], NULL, 10))
				link_type = wtap_linktypes[k][1];
		g_autofree char *ts = g_strdup_printf("%" G_GINT64_FORMAT ".%09u", p->ts_sec, p->ts_nsec);
		g_assert_cmpuint(p->interface_id, ==, g_ascii_strtoull(f[1], NULL, 10));
		g_assert_cmpuint(p->link_type, ==, link_type);
		g_assert_cmpuint(p->orig_len, ==, g_ascii_strtoull(f[3], NULL, 10));
		if (*f[4]) {
			g_assert_cmpstr(ts, ==, f[4]);
		} else {
			g_assert_cmpuint(i, >, 0);
			g_assert_cmpint(p->ts_sec, ==, p[-1].ts_sec);
			g_assert_cmpuint(p->ts_nsec, ==, p[-1].ts_nsec);
		}
		sum += p->orig_len;
		i++;
	}
	g_assert_cmpuint(i, ==, r.packets->len);
	g_assert_cmpuint(frames, ==, r.packets->len);
	g_assert_cmpuint(wire, ==, sum);
}

/* A file libpcap reads reads the same here, bytes included. */
static void test_agrees_with_libpcap(gconstpointer data)
{
	const char *name = data;
	g_autoptr(GBytes) b = data_bytes(name);
	g_auto(Read) r = read_all(g_bytes_get_data(b, NULL), g_bytes_get_size(b), MAX_IFACES);
	g_assert_cmpint(r.status, ==, PCAPNG_END);
	g_autofree char *path = g_build_filename(g_getenv("EXPERT_TEST_DATA"), name, NULL);
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	g_assert_nonnull(pc);
	struct pcap_pkthdr *h;
	const u_char *bytes;
	guint i = 0;
	for (; pcap_next_ex(pc, &h, &bytes) == 1; i++) {
		g_assert_cmpuint(i, <, r.packets->len);
		const PcapngPacket *p = &g_array_index(r.packets, PcapngPacket, i);
		g_assert_cmpuint(p->link_type, ==, (guint32)pcap_datalink(pc));
		g_assert_cmpint(p->ts_sec, ==, h->ts.tv_sec);
		g_assert_cmpuint(p->ts_nsec, ==, (guint32)h->ts.tv_usec);
		g_assert_cmpuint(p->orig_len, ==, h->len);
		g_assert_cmpmem(p->data, p->cap_len, bytes, h->caplen);
	}
	g_assert_cmpuint(i, ==, r.packets->len);
	pcap_close(pc);
}

/* ---- blocks built here ----------------------------------------------------- */

typedef struct {
	GByteArray *b;
	gboolean be;
	guint start;  /* of the open block */
	guint bad_at; /* where a case's bad block starts */
} Build;

static void put(Build *w, guint64 v, guint size)
{
	g_assert_cmpuint(size, <=, 8);
	for (guint i = 0; i < size; i++) {
		guint shift = 8 * (w->be ? size - 1 - i : i);
		guint8 byte = (guint8)(v >> shift);
		g_byte_array_append(w->b, &byte, 1);
	}
}

static void pad4(Build *w)
{
	while (w->b->len % 4)
		put(w, 0, 1);
}

static void put_data(Build *w, const char *s)
{
	g_byte_array_append(w->b, (const guint8 *)s, (guint)strlen(s));
	pad4(w);
}

static void begin(Build *w, guint32 type)
{
	w->start = w->b->len;
	put(w, type, 4);
	put(w, 0, 4); /* set by end() */
}

static void end(Build *w)
{
	put(w, w->b->len - w->start + 4, 4); /* the trailing length, then the leading */
	memcpy(w->b->data + w->start + 4, w->b->data + w->b->len - 4, 4);
}

static void shb(Build *w, gint64 section_length)
{
	begin(w, 0x0A0D0D0A);
	put(w, 0x1A2B3C4D, 4);
	put(w, 1, 2);
	put(w, 0, 2);
	put(w, (guint64)section_length, 8);
	end(w);
}

static void idb_open(Build *w, guint16 link_type, guint32 snaplen)
{
	begin(w, 1);
	put(w, link_type, 2);
	put(w, 0, 2);
	put(w, snaplen, 4);
}

static void option(Build *w, guint16 code, guint16 len, guint64 v)
{
	put(w, code, 2);
	put(w, len, 2);
	put(w, v, MIN(len, 8));
	for (guint i = 8; i < len; i++)
		put(w, 0, 1);
	pad4(w);
}

static void idb(Build *w, guint16 link_type, guint32 snaplen, int tsresol, gint64 tsoffset)
{
	idb_open(w, link_type, snaplen);
	if (tsresol >= 0)
		option(w, 9, 1, (guint64)tsresol);
	if (tsoffset)
		option(w, 14, 8, (guint64)tsoffset);
	option(w, 0, 0, 0);
	end(w);
}

static void epb(Build *w, guint32 iface, guint64 ticks, const char *data, guint32 cap_len)
{
	begin(w, 6);
	put(w, iface, 4);
	put(w, ticks >> 32, 4);
	put(w, ticks & 0xFFFFFFFF, 4);
	put(w, cap_len, 4);
	put(w, strlen(data), 4);
	put_data(w, data);
	end(w);
}

static void spb(Build *w, guint32 orig_len, const char *data)
{
	begin(w, 3);
	put(w, orig_len, 4);
	put_data(w, data);
	end(w);
}

/* Section, Ethernet interface, one packet: what every bad case starts with. */
static void start(Build *w)
{
	shb(w, -1);
	idb(w, 1, 0, -1, 0);
	epb(w, 0, 1, "good", 4);
}

static void mark(Build *w) { w->bad_at = w->b->len; }

static void raw_block(Build *w, guint32 type, guint32 len, guint body)
{
	put(w, type, 4);
	put(w, len, 4);
	for (guint i = 0; i < body; i++)
		put(w, 0, 1);
}

static void b_empty(Build *w) { mark(w); }
static void b_no_shb(Build *w) { mark(w); idb(w, 1, 0, -1, 0); }
static void b_magic(Build *w) { start(w); mark(w); shb(w, -1); w->b->data[w->bad_at + 8] ^= 0xFF; }
static void b_version(Build *w) { start(w); mark(w); shb(w, -1); w->b->data[w->bad_at + 12 + w->be] = 2; }
static void b_len_short(Build *w) { start(w); mark(w); raw_block(w, 4, 8, 4); }
static void b_len_odd(Build *w) { start(w); mark(w); raw_block(w, 4, 14, 8); }
static void b_len_huge(Build *w) { start(w); mark(w); raw_block(w, 4, (16u << 20) + 4, 8); }
static void b_past_file(Build *w) { start(w); mark(w); raw_block(w, 4, 64, 12); }
static void b_header_cut(Build *w) { start(w); mark(w); put(w, 6, 4); put(w, 0, 1); }
static void b_before_idb(Build *w) { shb(w, -1); mark(w); epb(w, 0, 1, "x", 1); }
static void b_spb_no_iface(Build *w) { shb(w, -1); mark(w); spb(w, 1, "x"); }
static void b_spb_past(Build *w) { start(w); mark(w); spb(w, 100, "abcd"); }
static void b_epb_short(Build *w) { start(w); mark(w); begin(w, 6); put(w, 0, 8); put(w, 0, 8); end(w); }
static void b_too_many(Build *w) { start(w); idb(w, 1, 0, -1, 0); mark(w); idb(w, 1, 0, -1, 0); }
/* An IDB with an option `times` times. */
static void bad_option(Build *w, guint16 code, guint16 len, int times)
{
	start(w);
	mark(w);
	idb_open(w, 1, 0);
	for (int i = 0; i < times; i++)
		option(w, code, len, 6);
	end(w);
}
static void b_tsresol_long(Build *w) { bad_option(w, 9, 2, 1); }
static void b_tsresol_twice(Build *w) { bad_option(w, 9, 1, 2); }
static void b_tsresol_dec(Build *w) { start(w); mark(w); idb(w, 1, 0, 20, 0); }
static void b_tsresol_bin(Build *w) { start(w); mark(w); idb(w, 1, 0, 0x80 | 64, 0); }
static void b_tsoffset_short(Build *w) { bad_option(w, 14, 4, 1); }
static void b_endofopt_long(Build *w) { bad_option(w, 0, 4, 1); }
static void b_option_past(Build *w) /* its 8 bytes said to be 12 */
{
	bad_option(w, 2, 8, 1);
	w->b->data[w->bad_at + 18 + w->be] = 12;
}

/* Each one rule of pcapng.c's; `max_ifaces` 2 unless it says. */
static const struct BadCase {
	const char *name;
	void (*build)(Build *w);
	const char *reason;
} bad_cases[] = {
	{ "empty", b_empty, "the file is empty" },
	{ "no-shb-first", b_no_shb, "does not start with a Section Header Block" },
	{ "shb-byte-order-magic", b_magic, "byte-order magic" },
	{ "shb-major-version", b_version, "pcapng version 2.0; only 1.x is read" },
	{ "length-below-12", b_len_short, "block length 8 is less than the least, 12" },
	{ "length-not-multiple-of-4", b_len_odd, "block length 14 is not a multiple of 4" },
	{ "length-over-16MiB", b_len_huge, "block length 16777220 is over the limit" },
	{ "length-past-file", b_past_file, "the file ends 20 bytes into a block of 64" },
	{ "header-cut", b_header_cut, "the file ends 5 bytes into a block header" },
	{ "packet-before-idb", b_before_idb, "on interface 0, but its section has 0" },
	{ "spb-without-interface", b_spb_no_iface, "Simple Packet Block on interface 0" },
	{ "spb-past-block", b_spb_past, "captured length of 100, past its end (room for 4" },
	{ "epb-too-short", b_epb_short, "too short for its 20 fixed bytes" },
	{ "interfaces-over-limit", b_too_many, "more than 2 Interface Description Blocks" },
	{ "tsresol-not-1-byte", b_tsresol_long, "if_tsresol of 2 bytes, not 1" },
	{ "tsresol-twice", b_tsresol_twice, "a second if_tsresol" },
	{ "tsresol-10^-20", b_tsresol_dec, "if_tsresol 0x14" },
	{ "tsresol-2^-64", b_tsresol_bin, "if_tsresol 0xc0" },
	{ "tsoffset-not-8-bytes", b_tsoffset_short, "if_tsoffset of 4 bytes, not 8" },
	{ "option-past-block", b_option_past, "option 2 of 12 bytes runs past the block" },
	{ "endofopt-with-length", b_endofopt_long, "opt_endofopt of 4 bytes" },
};

static void test_bad_case(gconstpointer data)
{
	const struct BadCase *c = data;
	for (int be = 0; be <= 1; be++) {
		Build w = { g_byte_array_new(), be, 0, 0 };
		c->build(&w);
		/* Its own heap block of exactly its size. */
		g_autofree guint8 *buf = g_memdup2(w.b->data, w.b->len);
		g_auto(Read) r = read_all(buf, w.b->len, 2);
		assert_bad(&r, w.bad_at, c->reason);
		for (guint i = 0; i < r.packets->len; i++) /* only start()'s packet */
			g_assert_cmpmem(g_array_index(r.packets, PcapngPacket, i).data, 4, "good", 4);
		g_byte_array_unref(w.b);
	}
}

/* One packet of ticks at a resolution and offset, in both byte orders. */
static const struct TsCase {
	int tsresol; /* -1: none, 10^-6 */
	gint64 tsoffset;
	guint64 ticks;
	gint64 sec;
	guint32 nsec;
} ts_cases[] = {
	{ -1, 0, G_GUINT64_CONSTANT(1700000000123456), 1700000000, 123456000 },
	{ 6, -100, G_GUINT64_CONSTANT(1600000000500000), 1599999900, 500000000 },
	{ 9, 0, G_GUINT64_CONSTANT(1700000001987654321), 1700000001, 987654321 },
	{ 0, 0, 5, 5, 0 },
	{ 3, 0, 1234567, 1234, 567000000 },
	{ 12, 0, G_GUINT64_CONSTANT(1234567890123), 1, 234567890 },
	{ 19, 0, G_MAXUINT64, 1, 844674407 },
	{ 0x80 | 0, 0, 7, 7, 0 },
	{ 0x80 | 9, 0, 512 + 256, 1, 500000000 },
	{ 0x80 | 10, 1700000000, 5 * 1024 + 1, 1700000005, 976562 },
	{ 0x80 | 31, 0, (G_GUINT64_CONSTANT(3) << 31) | (1u << 30) | 1, 3, 500000000 },
	{ 0x80 | 32, 0, (G_GUINT64_CONSTANT(2) << 32) | 0xFFFFFFFFu, 2, 999999999 },
	{ 0x80 | 40, 0, (G_GUINT64_CONSTANT(7) << 39) | 1, 3, 500000000 },
	{ 0x80 | 63, 0, G_MAXUINT64, 1, 999999999 },
	{ 0, G_MININT64, 1, G_MININT64 + 1, 0 }, /* wraps as in libpcap, never traps */
};

static void test_timestamps(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(ts_cases); i++) {
		for (int be = 0; be <= 1; be++) {
			const struct TsCase *t = &ts_cases[i];
			Build w = { g_byte_array_new(), be, 0, 0 };
			shb(&w, -1);
			idb(&w, 1, 0, t->tsresol, t->tsoffset);
			epb(&w, 0, t->ticks, "p", 1);
			g_auto(Read) r = read_all(w.b->data, w.b->len, 2);
			g_assert_cmpint(r.status, ==, PCAPNG_END);
			g_assert_cmpuint(r.packets->len, ==, 1);
			const PcapngPacket *p = &g_array_index(r.packets, PcapngPacket, 0);
			if (p->ts_sec != t->sec || p->ts_nsec != t->nsec)
				g_error("ts_cases[%" G_GSIZE_FORMAT "], %s-endian: %" G_GINT64_FORMAT
				        ".%09u, not %" G_GINT64_FORMAT ".%09u", i, be ? "big" : "little",
				        p->ts_sec, p->ts_nsec, t->sec, t->nsec);
			g_byte_array_unref(w.b);
		}
	}
}

/* An SPB: interface 0's packet up to its snaplen, the previous time (0 first). */
static void test_simple_packet_block(void)
{
	Build w = { g_byte_array_new(), TRUE, 0, 0 };
	shb(&w, -1);
	idb(&w, 113, 4, 9, 0);
	spb(&w, 10, "abcd");
	epb(&w, 0, G_GUINT64_CONSTANT(3000000001), "e", 1);
	spb(&w, 3, "xyz");
	g_auto(Read) r = read_all(w.b->data, w.b->len, 2);
	g_assert_cmpint(r.status, ==, PCAPNG_END);
	g_assert_cmpuint(r.packets->len, ==, 3);
	const PcapngPacket *p = (const PcapngPacket *)r.packets->data;
	g_assert_cmpint(p[0].ts_sec, ==, 0);
	g_assert_cmpuint(p[0].ts_nsec, ==, 0);
	g_assert_cmpuint(p[0].link_type, ==, 113);
	g_assert_cmpmem(p[0].data, p[0].cap_len, "abcd", 4);
	g_assert_cmpuint(p[0].orig_len, ==, 10);
	g_assert_cmpint(p[2].ts_sec, ==, 3);
	g_assert_cmpuint(p[2].ts_nsec, ==, 1);
	g_assert_cmpmem(p[2].data, p[2].cap_len, "xyz", 3);
	g_byte_array_unref(w.b);
}

/* Sections in either byte order, of any minor version and any length said,
 * each with interfaces of its own. */
static void test_sections(void)
{
	Build w = { g_byte_array_new(), FALSE, 0, 0 };
	shb(&w, 12345);
	w.b->data[14] = 7; /* version 1.7 */
	idb(&w, 1, 0, -1, 0);
	idb(&w, 113, 0, -1, 0);
	epb(&w, 1, 1, "le", 2);
	w.be = TRUE;
	shb(&w, -1);
	idb(&w, 101, 0, 9, 0);
	epb(&w, 0, 2, "be", 2);
	g_auto(Read) r = read_all(w.b->data, w.b->len, 2);
	g_assert_cmpint(r.status, ==, PCAPNG_END);
	g_assert_cmpuint(r.packets->len, ==, 2);
	const PcapngPacket *p = (const PcapngPacket *)r.packets->data;
	g_assert_cmpuint(p[0].link_type, ==, 113);
	g_assert_cmpuint(p[0].ts_nsec, ==, 1000);
	g_assert_cmpuint(p[1].interface_id, ==, 0);
	g_assert_cmpuint(p[1].link_type, ==, 101);
	g_assert_cmpuint(p[1].ts_nsec, ==, 2);
	g_assert_cmpmem(p[1].data, p[1].cap_len, "be", 2);
	g_byte_array_unref(w.b);
}

/* ---- as capture.c calls it: peek at 12 bytes, then the block alone ---------- */

static void test_block_at_a_time(void)
{
	g_autoptr(GBytes) b = data_bytes(MULTI "tiny.pcapng");
	gsize len;
	const guint8 *file = g_bytes_get_data(b, &len);
	g_auto(Read) whole = read_all(file, len, MAX_IFACES);
	PcapngInterface ifaces[MAX_IFACES];
	PcapngReader r;
	pcapng_reader_init(&r, ifaces, MAX_IFACES);
	guint n = 0;
	for (;;) {
		gsize rest = len - r.offset;
		g_autofree guint8 *head = g_memdup2(file + r.offset, MIN(rest, PCAPNG_PEEK_SIZE));
		guint32 block_len;
		PcapngStatus s = pcapng_reader_peek(&r, head, MIN(rest, PCAPNG_PEEK_SIZE), &block_len);
		if (s == PCAPNG_END)
			break;
		g_assert_cmpint(s, ==, PCAPNG_BLOCK);
		g_autofree guint8 *block = g_memdup2(file + r.offset, block_len);
		PcapngPacket p;
		s = pcapng_reader_block(&r, block, block_len, &p);
		if (s == PCAPNG_PACKET)
			assert_same_packet(&p, &g_array_index(whole.packets, PcapngPacket, n++));
		else
			g_assert_cmpint(s, ==, PCAPNG_BLOCK);
	}
	g_assert_cmpuint(n, ==, whole.packets->len);
}

/* ---- every prefix, random damage ---------------------------------------------- */

typedef struct {
	guint64 start, end;
} Span;

/* The blocks of a sound file, walked here without pcapng.c. */
static GArray *walk_blocks(const guint8 *f, gsize len)
{
	GArray *spans = g_array_new(FALSE, FALSE, sizeof(Span));
	gboolean be = FALSE;
	for (guint64 off = 0; off < len;) {
		if (f[off] == 0x0A && f[off + 1] == 0x0D) /* an SHB: its byte order */
			be = f[off + 8] == 0x1A;
		guint32 blen;
		memcpy(&blen, f + off + 4, 4);
		blen = be ? GUINT32_FROM_BE(blen) : GUINT32_FROM_LE(blen);
		Span s = { off, off + blen };
		g_array_append_val(spans, s);
		off = s.end;
	}
	return spans;
}

/* Every prefix: the packets whose blocks it holds whole, equal to the full
 * reading's; the end where a block ends, else bad at the block the cut falls
 * in. */
static void test_every_prefix(gconstpointer data)
{
	g_autofree char *name = g_strconcat(MULTI, data, NULL);
	g_autoptr(GBytes) b = data_bytes(name);
	gsize len;
	const guint8 *file = g_bytes_get_data(b, &len);
	g_auto(Read) whole = read_all(file, len, MAX_IFACES);
	g_assert_cmpint(whole.status, ==, PCAPNG_END);
	g_autoptr(GArray) spans = walk_blocks(file, len);
	g_autoptr(GArray) packet_ends = g_array_new(FALSE, FALSE, sizeof(guint64));
	for (guint i = 0, j = 0; i < whole.packets->len; i++) {
		guint64 start = g_array_index(whole.packets, PcapngPacket, i).block_offset;
		while (g_array_index(spans, Span, j).start != start)
			j++;
		g_array_append_val(packet_ends, g_array_index(spans, Span, j).end);
	}
	for (gsize n = 0; n <= len; n++) {
		g_autofree guint8 *cut = g_memdup2(file, n);
		g_auto(Read) r = read_all(cut, n, MAX_IFACES);
		guint want = 0;
		while (want < packet_ends->len && g_array_index(packet_ends, guint64, want) <= n)
			want++;
		g_assert_cmpuint(r.packets->len, ==, want);
		for (guint i = 0; i < want; i++)
			assert_same_packet(&g_array_index(r.packets, PcapngPacket, i),
			                   &g_array_index(whole.packets, PcapngPacket, i));
		gboolean clean = FALSE;
		guint64 last_start = 0;
		for (guint i = 0; i < spans->len; i++) {
			const Span *s = &g_array_index(spans, Span, i);
			clean |= n > 0 && s->end == n;
			if (s->start <= n)
				last_start = s->start;
		}
		if (clean) {
			g_assert_cmpint(r.status, ==, PCAPNG_END);
		} else {
			g_assert_cmpint(r.status, ==, PCAPNG_BAD);
			g_assert_cmpuint(r.offset, ==, last_start);
		}
	}
}

/* Bytes overwritten at random (fixed seed), some files cut short too: each
 * reading keeps to the bytes given and to pcapng.h's promises. */
static void test_random_damage(gconstpointer data)
{
	g_autofree char *name = g_strconcat(MULTI, data, NULL);
	g_autoptr(GBytes) b = data_bytes(name);
	gsize len;
	const guint8 *file = g_bytes_get_data(b, &len);
	g_autoptr(GRand) rand = g_rand_new_with_seed(20250101);
	for (int round = 0; round < 3000; round++) {
		gsize n = g_rand_int_range(rand, 0, 4) ? len : (gsize)g_rand_int_range(rand, 0, (gint32)len);
		g_autofree guint8 *copy = g_memdup2(file, len);
		int edits = g_rand_int_range(rand, 1, 9);
		for (int k = 0; k < edits && n > 0; k++) {
			gsize at = (gsize)g_rand_int_range(rand, 0, (gint32)n);
			if (g_rand_boolean(rand) && at + 4 <= n) { /* a whole field: lengths, ids */
				guint32 v = g_rand_boolean(rand) ? g_rand_int(rand)
				                                 : (guint32)g_rand_int_range(rand, 0, 4096);
				memcpy(copy + (at & ~(gsize)3), &v, MIN(4, n - (at & ~(gsize)3)));
			} else {
				copy[at] = (guint8)g_rand_int(rand);
			}
		}
		g_autofree guint8 *exact = g_memdup2(copy, n);
		Read r = read_all(exact, n, 2 + (guint32)(round % 3));
		read_clear(&r);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pcapng/tiny/frames", test_tiny_frames);
	g_test_add_func("/pcapng/tiny/wrong-section-length-ignored", test_tiny_wrong_section_length);
	for (gsize i = 0; i < G_N_ELEMENTS(tiny_bad); i++) {
		g_autofree char *p = g_strdup_printf("/pcapng/tiny/damaged/%s", tiny_bad[i].file);
		g_test_add_data_func(p, &tiny_bad[i], test_tiny_bad);
	}
	static const char *const oracled[] = { "merged.pcapng", "tiny.pcapng",
	                                       "snaplen-differs.pcapng", "same-raw.pcapng" };
	for (gsize i = 0; i < G_N_ELEMENTS(oracled); i++) {
		g_autofree char *p = g_strdup_printf("/pcapng/matches-tshark/%s", oracled[i]);
		g_test_add_data_func(p, oracled[i], test_matches_tshark);
	}
	static const char *const single[] = { "http_cooper-grill-dvwa.pcapng",
	                                      "redis_django-cloud.pcapng" };
	for (gsize i = 0; i < G_N_ELEMENTS(single); i++) {
		g_autofree char *p = g_strdup_printf("/pcapng/agrees-with-libpcap/%s", single[i]);
		g_test_add_data_func(p, single[i], test_agrees_with_libpcap);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
		g_autofree char *p = g_strdup_printf("/pcapng/bad/%s", bad_cases[i].name);
		g_test_add_data_func(p, &bad_cases[i], test_bad_case);
	}
	g_test_add_func("/pcapng/timestamps/resolutions-and-offsets", test_timestamps);
	g_test_add_func("/pcapng/sections/byte-orders-versions-lengths", test_sections);
	g_test_add_func("/pcapng/simple-packet-block/snaplen-and-previous-time",
	                test_simple_packet_block);
	g_test_add_func("/pcapng/reader/block-at-a-time", test_block_at_a_time);
	static const char *const damaged[] = { "merged.pcapng", "tiny.pcapng" };
	for (gsize i = 0; i < G_N_ELEMENTS(damaged); i++) {
		g_autofree char *p1 = g_strdup_printf("/pcapng/every-prefix/%s", damaged[i]);
		g_autofree char *p2 = g_strdup_printf("/pcapng/random-damage/%s", damaged[i]);
		g_test_add_data_func(p1, damaged[i], test_every_prefix);
		g_test_add_data_func(p2, damaged[i], test_random_damage);
	}
	return g_test_run();
}
