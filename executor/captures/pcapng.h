/* pcapng.h — a strict reader of pcapng blocks, for the files libpcap 1.10
 * refuses: those whose interfaces differ in link type or snaplen. capture.c
 * reads everything else with libpcap.
 *
 * Pure: it reads only the bytes it is given, allocates nothing and does no
 * I/O. Its state is a PcapngReader; the interfaces of the current section go
 * in an array the caller owns. Every length in the file is untrusted and
 * checked against the bytes given before it is used.
 *
 * The caller hands it one block at a time, so a large file never needs to be
 * in memory whole:
 *
 *   pcapng_reader_peek()   the first PCAPNG_PEEK_SIZE bytes at r->offset:
 *                          the block's length, checked;
 *   pcapng_reader_block()  the whole block: a packet, or nothing to report.
 *
 * With the file in memory, pcapng_next() does both and returns packet after
 * packet. A malformed block ends the reading (PCAPNG_BAD, sticky): r->offset
 * is the block's offset and r->reason says what is wrong with it, and every
 * packet returned before it came from sound blocks.
 */
#ifndef EXPERT_EXEC_PCAPNG_H
#define EXPERT_EXEC_PCAPNG_H

#include <glib.h>

#define PCAPNG_PEEK_SIZE   12u                /* type, length, SHB byte-order magic */
#define PCAPNG_MAX_BLOCK   (16u << 20)        /* libpcap's limit too */
#define PCAPNG_REASON_SIZE 160

typedef enum {
	PCAPNG_PACKET, /* a packet block: *packet is filled */
	PCAPNG_BLOCK,  /* peek: a block of *block_len bytes comes next;
	                * block: a block that is not a packet, read */
	PCAPNG_END,    /* the data ended after a whole block, as a file may */
	PCAPNG_BAD,    /* malformed at r->offset, for r->reason */
} PcapngStatus;

/* An Interface Description Block, as the packets of its section need it. */
typedef struct {
	guint32 link_type;     /* LINKTYPE_*, as in the file */
	guint32 snaplen;       /* 0: no limit */
	guint64 ticks_per_sec; /* if_tsresol: 10^n or 2^n; 10^6 without it */
	gint64 tsoffset;       /* if_tsoffset, seconds; 0 without it */
} PcapngInterface;

typedef struct {
	guint64 block_offset;  /* of its block in the file */
	guint32 interface_id;  /* within its section */
	guint32 link_type;     /* that interface's */
	gint64 ts_sec;         /* Unix time, from the interface's resolution */
	guint32 ts_nsec;       /* and offset; below 10^9 */
	guint32 cap_len;       /* bytes at data */
	guint32 orig_len;      /* on the wire */
	const guint8 *data;    /* inside the block given, valid as long as it is */
} PcapngPacket;

typedef struct {
	guint64 offset;        /* of the next block; of the bad one after PCAPNG_BAD */
	char reason[PCAPNG_REASON_SIZE]; /* after PCAPNG_BAD */
	/* The rest is private. */
	PcapngInterface *interfaces;
	guint32 max_interfaces;
	guint32 n_interfaces;  /* of the current section */
	gboolean in_section;
	gboolean big_endian;   /* the current section's byte order */
	gint64 last_sec;       /* of the last packet: Simple Packet Blocks */
	guint32 last_nsec;     /* have no time stamp of their own */
	PcapngStatus done;     /* PCAPNG_BLOCK while reading, then END or BAD */
} PcapngReader;

/* A reader at the start of a file. interfaces[max_interfaces] is the
 * caller's; a section with more IDBs than that reads as malformed. */
void pcapng_reader_init(PcapngReader *r, PcapngInterface *interfaces,
                        guint32 max_interfaces);

/* head: n bytes from r->offset, PCAPNG_PEEK_SIZE of them unless the file
 * ends first (more are not looked at). Returns PCAPNG_BLOCK with *block_len, PCAPNG_END or
 * PCAPNG_BAD. */
PcapngStatus pcapng_reader_peek(PcapngReader *r, const guint8 *head, gsize n,
                                guint32 *block_len);

/* block: n bytes from r->offset, at least the block_len peek gave unless
 * the file ends first; it checks the header again and reads no further than
 * the block. Returns
 * PCAPNG_PACKET, PCAPNG_BLOCK or PCAPNG_BAD (PCAPNG_END if n is 0 at a clean
 * end); r->offset moves past the block unless it is bad. */
PcapngStatus pcapng_reader_block(PcapngReader *r, const guint8 *block, gsize n,
                                 PcapngPacket *packet);

/* The next packet of a file held whole in file[0..len): PCAPNG_PACKET,
 * PCAPNG_END or PCAPNG_BAD. */
PcapngStatus pcapng_next(PcapngReader *r, const guint8 *file, gsize len,
                         PcapngPacket *packet);

#endif /* EXPERT_EXEC_PCAPNG_H */
