/* fuzz-pcapng.c — the pcapng reader (executor/captures/pcapng.h) on arbitrary bytes,
 * in memory. capture.c reaches it only for files libpcap refuses; here every
 * input reaches it, instrumented (libpcap is not).
 *
 * Properties:
 *  1. pcapng_next never reads outside the input (the input is its own heap
 *     block), and each packet's bytes lie inside it, after its block's
 *     offset; ts_nsec is below 10^9; block offsets increase; the interface
 *     is one the section described, and the packet has its link type;
 *  2. END and BAD are final: asking again gives the same; after BAD the
 *     reason is a non-empty string and the offset that of the bad block;
 *  3. reading block by block as capture.c does (peek at PCAPNG_PEEK_SIZE
 *     bytes, then the block alone, each in a buffer of exactly that size)
 *     gives the same packets, status, offset and reason as pcapng_next over
 *     the whole input;
 *  4. pcapng.h promises "a file both can read reads the same" as libpcap:
 *     the packets libpcap reads (up to its first error, which may be one of
 *     the refusals pcapng.c exists for) are pcapng.c's first ones, with the
 *     same lengths, bytes and times, except where pcapng.c says it differs:
 *     a Simple Packet Block takes the previous packet's time (libpcap's is
 *     0), and libpcap's own overflow for binary resolutions finer than
 *     2^-34 s. If both read the whole input, they read as many packets.
 */
#include "fuzz.h"

#include "captures/pcapng.h"

#include <pcap/pcap.h>
#include <string.h>

#define MAX_IFACES 64
#define MAX_PACKETS 4096

typedef struct {
	PcapngPacket packets[MAX_PACKETS];
	guint64 ticks_per_sec[MAX_PACKETS]; /* of each packet's interface, as it was
	                                     * then: a later section reuses the slot */
	guint n;
	gboolean truncated;   /* more than MAX_PACKETS: compared no further */
	PcapngStatus status;
	guint64 offset;
	char reason[PCAPNG_REASON_SIZE];
	PcapngInterface interfaces[MAX_IFACES];
} Reading;

static Reading whole, streamed;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

static void keep(Reading *rd, const PcapngPacket *p)
{
	if (rd->n == MAX_PACKETS)
		rd->truncated = TRUE;
	else
		rd->packets[rd->n++] = *p;
}

static void finish(Reading *rd, const PcapngReader *r, PcapngStatus s)
{
	rd->status = s;
	rd->offset = r->offset;
	memcpy(rd->reason, r->reason, sizeof(rd->reason));
}

/* Properties 1 and 2. */
static void read_whole(const uint8_t *data, size_t size)
{
	PcapngReader r;
	PcapngPacket p;
	PcapngStatus s;
	guint64 last_block = 0, count = 0;

	whole.n = 0;
	whole.truncated = FALSE;
	pcapng_reader_init(&r, whole.interfaces, MAX_IFACES);
	while ((s = pcapng_next(&r, data, size, &p)) == PCAPNG_PACKET) {
		FUZZ_CHECK(p.data >= data + p.block_offset && p.cap_len <= size - (size_t)(p.data - data),
		           "packet of block %" G_GUINT64_FORMAT " lies outside the input", p.block_offset);
		FUZZ_CHECK(p.ts_nsec < 1000000000u, "ts_nsec %u", p.ts_nsec);
		FUZZ_CHECK(count++ == 0 || p.block_offset > last_block, "block offsets go back");
		FUZZ_CHECK(p.block_offset < r.offset, "the reader is not past the packet's block");
		FUZZ_CHECK(p.interface_id < r.n_interfaces && p.link_type == whole.interfaces[p.interface_id].link_type,
		           "interface %u of %u", p.interface_id, r.n_interfaces);
		last_block = p.block_offset;
		if (whole.n < MAX_PACKETS)
			whole.ticks_per_sec[whole.n] = whole.interfaces[p.interface_id].ticks_per_sec;
		keep(&whole, &p);
	}
	FUZZ_CHECK(s == PCAPNG_END || s == PCAPNG_BAD, "pcapng_next returned %d", (int)s);
	finish(&whole, &r, s);
	if (s == PCAPNG_BAD)
		FUZZ_CHECK(r.reason[0] != '\0' && memchr(r.reason, '\0', sizeof(r.reason)) != NULL
		           && r.offset <= size, "BAD at %" G_GUINT64_FORMAT " of %zu with reason \"%.*s\"",
		           r.offset, size, (int)sizeof(r.reason), r.reason);
	for (int again = 0; again < 2; again++) {
		guint64 offset = r.offset;
		FUZZ_CHECK(pcapng_next(&r, data, size, &p) == s && r.offset == offset, "status %d is not final", (int)s);
	}
}

/* Property 3: capture.c's way, with exact-size copies so that a read past
 * what was given is a heap overflow. */
static void read_streamed(const uint8_t *data, size_t size)
{
	PcapngReader r;
	PcapngPacket p;
	PcapngStatus s;

	streamed.n = 0;
	streamed.truncated = FALSE;
	pcapng_reader_init(&r, streamed.interfaces, MAX_IFACES);
	for (;;) {
		guint32 len = 0;
		size_t at = r.offset < size ? (size_t)r.offset : size;
		size_t head = MIN(size - at, (size_t)PCAPNG_PEEK_SIZE);
		g_autofree guint8 *peek = g_memdup2(data + at, head);
		s = pcapng_reader_peek(&r, peek, head, &len);
		if (s != PCAPNG_BLOCK)
			break;
		FUZZ_CHECK(len >= PCAPNG_PEEK_SIZE && len <= PCAPNG_MAX_BLOCK, "peek gave a block of %u", len);
		size_t n = MIN(size - at, (size_t)len);
		g_autofree guint8 *block = g_memdup2(data + at, n);
		s = pcapng_reader_block(&r, block, n, &p);
		if (s == PCAPNG_PACKET) {
			FUZZ_CHECK(p.data >= block && p.cap_len <= n - (size_t)(p.data - block),
			           "packet outside its block");
			/* Into the input's terms, to compare with read_whole's. */
			p.data = data + at + (p.data - block);
			keep(&streamed, &p);
		} else if (s != PCAPNG_BLOCK) {
			break;
		}
	}
	finish(&streamed, &r, s);

	FUZZ_CHECK(streamed.status == whole.status && streamed.offset == whole.offset
	           && strcmp(streamed.reason, whole.reason) == 0,
	           "streamed: %d at %" G_GUINT64_FORMAT " (%s); whole: %d at %" G_GUINT64_FORMAT " (%s)",
	           (int)streamed.status, streamed.offset, streamed.reason, (int)whole.status, whole.offset,
	           whole.reason);
	FUZZ_CHECK(streamed.n == whole.n, "streamed: %u packets; whole: %u", streamed.n, whole.n);
	for (guint i = 0; i < whole.n; i++) {
		const PcapngPacket *a = &streamed.packets[i], *b = &whole.packets[i];
		FUZZ_CHECK(a->block_offset == b->block_offset && a->interface_id == b->interface_id
		           && a->link_type == b->link_type && a->ts_sec == b->ts_sec && a->ts_nsec == b->ts_nsec
		           && a->cap_len == b->cap_len && a->orig_len == b->orig_len && a->data == b->data,
		           "packet %u differs streamed", i);
	}
}

static gboolean is_spb(const uint8_t *data, guint64 offset)
{
	static const uint8_t le[4] = { 3, 0, 0, 0 }, be[4] = { 0, 0, 0, 3 };
	return memcmp(data + offset, le, 4) == 0 || memcmp(data + offset, be, 4) == 0;
}

/* Property 4. */
static void compare_with_libpcap(const uint8_t *data, size_t size)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	if (size == 0)
		return;
	FILE *f = fmemopen((void *)data, size, "rb");
	FUZZ_CHECK(f != NULL, "fmemopen failed");
	pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (pc == NULL) {
		fclose(f);
		return;
	}
	struct pcap_pkthdr *h;
	const u_char *bytes;
	guint i = 0;
	int r;
	while ((r = pcap_next_ex(pc, &h, &bytes)) == 1 && i < whole.n) {
		const PcapngPacket *p = &whole.packets[i];
		FUZZ_CHECK(p->cap_len == h->caplen && p->orig_len == h->len,
		           "packet %u: lengths %u/%u, libpcap's %u/%u", i, p->cap_len, p->orig_len, h->caplen, h->len);
		FUZZ_CHECK(memcmp(p->data, bytes, p->cap_len) == 0, "packet %u: other bytes than libpcap's", i);
		guint64 ticks = whole.ticks_per_sec[i];
		gboolean libpcap_overflows = (ticks & (ticks - 1)) == 0 && ticks > (G_GUINT64_CONSTANT(1) << 34);
		if (!is_spb(data, p->block_offset))
			FUZZ_CHECK((guint64)p->ts_sec == (guint64)h->ts.tv_sec
			           && (libpcap_overflows || p->ts_nsec == (guint64)h->ts.tv_usec),
			           "packet %u: %" G_GINT64_FORMAT ".%09u s, libpcap's %" G_GINT64_FORMAT " s + %"
			           G_GINT64_FORMAT " ns", i, p->ts_sec, p->ts_nsec, (gint64)h->ts.tv_sec,
			           (gint64)h->ts.tv_usec);
		i++;
	}
	/* libpcap may stop sooner (its refusals), not later, unless pcapng.c
	 * refuses what libpcap takes: a section length the SHB gives, or a
	 * section in the other byte order. */
	if (r == 1 && !whole.truncated)
		FUZZ_CHECK(whole.status == PCAPNG_BAD, "libpcap reads a packet %u past pcapng.c's end", i);
	if (r == PCAP_ERROR_BREAK && whole.status == PCAPNG_END && !whole.truncated)
		FUZZ_CHECK(i == whole.n, "both read the whole input: libpcap %u packets, pcapng.c %u", i, whole.n);
	pcap_close(pc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	read_whole(data, size);
	read_streamed(data, size);
	compare_with_libpcap(data, size);
	return 0;
}
