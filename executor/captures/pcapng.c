/* pcapng.c — see pcapng.h. Layouts from the pcapng specification
 * (draft-ietf-opsawg-pcapng); where the specification leaves a choice, the
 * choice is libpcap's, so a file both can read reads the same: the same
 * block size limit, IDB option checks, default resolution (µs), seconds
 * wrapping modulo 2^64 with if_tsoffset, an SPB's caplen cut to the snaplen,
 * and any minor version of pcapng 1. Unlike libpcap, each section may have
 * its own byte order.
 *
 * An SHB's section length (-1, or the length of the section) is not held
 * against the blocks: libpcap and Wireshark ignore it, and a wrong one
 * (tests/data/multi-interface/tiny-wrong-seclen.pcapng) must not cost frames
 * they keep.
 */
#include "captures/pcapng.h"

#include <stdarg.h>

#define BT_SHB 0x0A0D0D0Au /* a palindrome: the same in either byte order */
#define BT_IDB 1u
#define BT_PB  2u          /* obsolete, still written by old tools */
#define BT_SPB 3u
#define BT_EPB 6u

#define BYTE_ORDER_MAGIC 0x1A2B3C4Du
#define BLOCK_MIN        12u /* type, length, trailing length */
#define OPT_ENDOFOPT     0u
#define OPT_IF_TSRESOL   9u
#define OPT_IF_TSOFFSET  14u
#define NSEC_PER_SEC     G_GUINT64_CONSTANT(1000000000)

/* The blocks read here, and the fixed part each body must have. */
static const struct {
	guint32 type;
	const char *name;
	gsize fixed;
} known_blocks[] = {
	{ BT_SHB, "Section Header Block", 16 },       /* magic, version, section length */
	{ BT_IDB, "Interface Description Block", 8 }, /* link type, reserved, snaplen */
	{ BT_EPB, "Enhanced Packet Block", 20 },      /* interface, time (2), caplen, len */
	{ BT_PB, "Packet Block", 20 },                /* interface, drops, time (2), caplen, len */
	{ BT_SPB, "Simple Packet Block", 4 },         /* len */
};

static guint16 get16(gboolean be, const guint8 *p)
{
	return be ? (guint16)(p[0] << 8 | p[1]) : (guint16)(p[1] << 8 | p[0]);
}

static guint32 get32(gboolean be, const guint8 *p)
{
	return be ? (guint32)get16(be, p) << 16 | get16(be, p + 2)
	          : (guint32)get16(be, p + 2) << 16 | get16(be, p);
}

static guint64 get64(gboolean be, const guint8 *p)
{
	return be ? (guint64)get32(be, p) << 32 | get32(be, p + 4)
	          : (guint64)get32(be, p + 4) << 32 | get32(be, p);
}

static PcapngStatus bad(PcapngReader *r, const char *format, ...) G_GNUC_PRINTF(2, 3);

static PcapngStatus bad(PcapngReader *r, const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	g_vsnprintf(r->reason, sizeof(r->reason), format, ap);
	va_end(ap);
	r->done = PCAPNG_BAD;
	return PCAPNG_BAD;
}

void pcapng_reader_init(PcapngReader *r, PcapngInterface *interfaces,
                        guint32 max_interfaces)
{
	*r = (PcapngReader){
		.interfaces = interfaces,
		.max_interfaces = max_interfaces,
		.done = PCAPNG_BLOCK, /* still reading */
	};
}

/* ---- a block's header ------------------------------------------------------ */

/* Checks the header of the block at r->offset (n bytes of it at head) and
 * says its length and byte order: an SHB's own, any other its section's. */
static PcapngStatus check_header(PcapngReader *r, const guint8 *head, gsize n,
                                 guint32 *len, gboolean *be)
{
	if (r->done != PCAPNG_BLOCK)
		return r->done;
	if (n == 0) {
		if (!r->in_section)
			return bad(r, "no Section Header Block: the file is empty");
		r->done = PCAPNG_END;
		return PCAPNG_END;
	}
	if (n < PCAPNG_PEEK_SIZE)
		return bad(r, "the file ends %" G_GSIZE_FORMAT " bytes into a block header", n);

	gboolean shb = get32(FALSE, head) == BT_SHB;
	*be = r->big_endian;
	if (shb) {
		guint32 magic = get32(FALSE, head + 8);
		if (magic != BYTE_ORDER_MAGIC && magic != GUINT32_SWAP_LE_BE(BYTE_ORDER_MAGIC))
			return bad(r, "Section Header Block with the byte-order magic 0x%08x, "
			           "not 0x1a2b3c4d in either byte order", magic);
		*be = magic != BYTE_ORDER_MAGIC;
	} else if (!r->in_section) {
		return bad(r, "not a pcapng file: it does not start with a Section Header Block");
	}

	*len = get32(*be, head + 4);
	if (*len < BLOCK_MIN)
		return bad(r, "block length %u is less than the least, %u", *len, BLOCK_MIN);
	if (*len % 4 != 0)
		return bad(r, "block length %u is not a multiple of 4", *len);
	if (*len > PCAPNG_MAX_BLOCK)
		return bad(r, "block length %u is over the limit of %u", *len, PCAPNG_MAX_BLOCK);
	return PCAPNG_BLOCK;
}

PcapngStatus pcapng_reader_peek(PcapngReader *r, const guint8 *head, gsize n,
                                guint32 *block_len)
{
	gboolean be;
	return check_header(r, head, MIN(n, PCAPNG_PEEK_SIZE), block_len, &be);
}

/* ---- block bodies ---------------------------------------------------------- */

static PcapngStatus read_shb(PcapngReader *r, gboolean be, const guint8 *body)
{
	/* A new minor version keeps the format readable; a new major does not. */
	guint16 major = get16(be, body + 4), minor = get16(be, body + 6);
	if (major != 1)
		return bad(r, "pcapng version %u.%u; only 1.x is read", major, minor);
	r->in_section = TRUE;
	r->big_endian = be;
	r->n_interfaces = 0; /* each section numbers its interfaces afresh */
	return PCAPNG_BLOCK;
}

/* if_tsresol: bit 7 clear, a negative power of 10; set, of 2. */
static gboolean ticks_of_tsresol(guint8 tsresol, guint64 *ticks)
{
	guint8 exponent = tsresol & 0x7F;
	if (tsresol & 0x80) {
		if (exponent > 63)
			return FALSE;
		*ticks = G_GUINT64_CONSTANT(1) << exponent;
		return TRUE;
	}
	if (exponent > 19) /* 10^19 is the largest power of 10 below 2^64 */
		return FALSE;
	*ticks = 1;
	for (guint8 i = 0; i < exponent; i++)
		*ticks *= 10;
	return TRUE;
}

static PcapngStatus read_idb(PcapngReader *r, gboolean be, const guint8 *body,
                             gsize body_len)
{
	if (r->n_interfaces >= r->max_interfaces)
		return bad(r, "more than %u Interface Description Blocks in one section",
		           r->max_interfaces);
	PcapngInterface iface = {
		.link_type = get16(be, body),
		.snaplen = get32(be, body + 4),
		.ticks_per_sec = 1000000,
	};
	gboolean saw_tsresol = FALSE, saw_tsoffset = FALSE;
	const guint8 *opt = body + 8;
	gsize left = body_len - 8;
	while (left > 0) {
		/* Bodies are multiples of 4, so a header (4 bytes) always fits. */
		guint16 code = get16(be, opt), opt_len = get16(be, opt + 2);
		gsize padded = ((gsize)opt_len + 3) & ~(gsize)3;
		if (padded > left - 4)
			return bad(r, "Interface Description Block option %u of %u bytes runs past "
			           "the block", code, opt_len);
		const guint8 *value = opt + 4;
		if (code == OPT_ENDOFOPT) {
			if (opt_len != 0)
				return bad(r, "Interface Description Block opt_endofopt of %u bytes, "
				           "not 0", opt_len);
			break;
		} else if (code == OPT_IF_TSRESOL) {
			if (saw_tsresol)
				return bad(r, "Interface Description Block with a second if_tsresol");
			if (opt_len != 1)
				return bad(r, "Interface Description Block if_tsresol of %u bytes, not 1",
				           opt_len);
			if (!ticks_of_tsresol(value[0], &iface.ticks_per_sec))
				return bad(r, "Interface Description Block if_tsresol 0x%02x: finer "
				           "than 64 bits can count", value[0]);
			saw_tsresol = TRUE;
		} else if (code == OPT_IF_TSOFFSET) {
			if (saw_tsoffset)
				return bad(r, "Interface Description Block with a second if_tsoffset");
			if (opt_len != 8)
				return bad(r, "Interface Description Block if_tsoffset of %u bytes, not 8",
				           opt_len);
			iface.tsoffset = (gint64)get64(be, value);
			saw_tsoffset = TRUE;
		}
		opt += 4 + padded;
		left -= 4 + padded;
	}
	r->interfaces[r->n_interfaces++] = iface;
	return PCAPNG_BLOCK;
}

/* frac ticks of 1/ticks s (frac < ticks), in whole ns, rounded down as
 * libpcap does, without overflow for any tick a resolution allows. */
static guint32 nsec_of_ticks(guint64 frac, guint64 ticks)
{
	if (NSEC_PER_SEC % ticks == 0)
		return (guint32)(frac * (NSEC_PER_SEC / ticks));
	if (ticks % NSEC_PER_SEC == 0)
		return (guint32)(frac / (ticks / NSEC_PER_SEC));
	/* Else ticks is 2^k with 9 < k <= 63. frac * 10^9 needs up to 93 bits:
	 * split frac = a * 2^32 + b, and frac * 10^9 = m * 2^32 + (y mod 2^32)
	 * with y = b * 10^9 < 2^62 and m = a * 10^9 + y / 2^32 < 2^62. */
	int k = __builtin_ctzll(ticks);
	if (k < 32)
		return (guint32)((frac * NSEC_PER_SEC) >> k); /* below 2^(32+30) */
	guint64 y = (frac & 0xFFFFFFFFu) * NSEC_PER_SEC;
	guint64 m = (frac >> 32) * NSEC_PER_SEC + (y >> 32);
	return (guint32)(m >> (k - 32));
}

static PcapngStatus read_packet(PcapngReader *r, guint32 type, gboolean be,
                                const guint8 *body, gsize body_len, const char *name,
                                gsize fixed, PcapngPacket *packet)
{
	guint32 iface_id = 0, cap_len = 0, orig_len;
	guint64 ticks = 0;
	gboolean timed = type != BT_SPB;
	if (type == BT_SPB) {
		orig_len = get32(be, body);
	} else {
		iface_id = type == BT_PB ? get16(be, body) : get32(be, body);
		ticks = (guint64)get32(be, body + 4) << 32 | get32(be, body + 8);
		cap_len = get32(be, body + 12);
		orig_len = get32(be, body + 16);
	}
	if (iface_id >= r->n_interfaces)
		return bad(r, "%s on interface %u, but its section has %u interfaces so far",
		           name, iface_id, r->n_interfaces);
	const PcapngInterface *iface = &r->interfaces[iface_id];
	if (type == BT_SPB) /* it holds the packet up to the snaplen */
		cap_len = iface->snaplen != 0 ? MIN(orig_len, iface->snaplen) : orig_len;
	if (cap_len > body_len - fixed)
		return bad(r, "%s with a captured length of %u, past its end (room for %"
		           G_GSIZE_FORMAT " bytes)", name, cap_len, body_len - fixed);

	if (timed) {
		/* Seconds wrap modulo 2^64 as in libpcap, so a file both can read
		 * reads the same. */
		guint64 ticks_per_sec = iface->ticks_per_sec;
		r->last_sec = (gint64)(ticks / ticks_per_sec + (guint64)iface->tsoffset);
		r->last_nsec = nsec_of_ticks(ticks % ticks_per_sec, ticks_per_sec);
	}
	/* Else a Simple Packet Block, which has no time stamp: it takes the
	 * previous packet's (0 if it is the first), so that time never goes
	 * backwards for an expert. libpcap gives 0; Wireshark gives none. */
	*packet = (PcapngPacket){
		.block_offset = r->offset,
		.interface_id = iface_id,
		.link_type = iface->link_type,
		.ts_sec = r->last_sec,
		.ts_nsec = r->last_nsec,
		.cap_len = cap_len,
		.orig_len = orig_len,
		.data = body + fixed,
	};
	return PCAPNG_PACKET;
}

PcapngStatus pcapng_reader_block(PcapngReader *r, const guint8 *block, gsize n,
                                 PcapngPacket *packet)
{
	guint32 len = 0;
	gboolean be = FALSE;
	PcapngStatus s = check_header(r, block, MIN(n, PCAPNG_PEEK_SIZE), &len, &be);
	if (s != PCAPNG_BLOCK)
		return s;
	if (n < len)
		return bad(r, "the file ends %" G_GSIZE_FORMAT " bytes into a block of %u", n, len);
	if (get32(be, block + len - 4) != len)
		return bad(r, "trailing block length %u differs from the leading %u",
		           get32(be, block + len - 4), len);

	guint32 type = get32(be, block);
	const guint8 *body = block + 8;
	gsize body_len = len - BLOCK_MIN;
	for (gsize i = 0; i < G_N_ELEMENTS(known_blocks); i++) {
		if (known_blocks[i].type != type)
			continue;
		const char *name = known_blocks[i].name;
		gsize fixed = known_blocks[i].fixed;
		if (body_len < fixed)
			return bad(r, "%s of %u bytes, too short for its %" G_GSIZE_FORMAT
			           " fixed bytes", name, len, fixed);
		if (type == BT_SHB)
			s = read_shb(r, be, body);
		else if (type == BT_IDB)
			s = read_idb(r, be, body, body_len);
		else
			s = read_packet(r, type, be, body, body_len, name, fixed, packet);
		break;
	}
	/* Every other block (NRB, ISB, DSB, custom, unknown) says nothing about
	 * the packets: skipped whole. */
	if (s != PCAPNG_BAD)
		r->offset += len;
	return s;
}

PcapngStatus pcapng_next(PcapngReader *r, const guint8 *file, gsize len,
                         PcapngPacket *packet)
{
	for (;;) {
		gsize n = r->offset < len ? len - (gsize)r->offset : 0;
		PcapngStatus s = pcapng_reader_block(r, n ? file + r->offset : file, n, packet);
		if (s != PCAPNG_BLOCK)
			return s;
	}
}
