/* packet-walk.h — what the files of the frame parser share (packet.c: the
 * link layer; packet-ip.c: IP and what it carries). Not for experts: they
 * include packet.h.
 *
 * Every read goes through walk_have(): captures are untrusted and cap_len
 * may end anywhere, including inside the first header. Each step records its
 * layer only once the layer's whole header is in the capture, then hands the
 * offset of what follows to the next step. Every loop is bounded by a
 * constant (VLAN tags, IP headers, IPv6 extension headers, layers), never by
 * the input.
 */
#ifndef EXPERTS_COMMON_PACKET_WALK_H
#define EXPERTS_COMMON_PACKET_WALK_H

#include "packet.h"

typedef struct {
	const uint8_t *data;
	size_t len; /* cap_len: nothing at or after data[len] is ever read */
	Packet *p;
	/* Walking what a first IP fragment carries past its own transport
	 * header: layers only (see packet.h). */
	bool inside_fragment;
} Walk;

/* n bytes at off are all in the capture (written to survive off > len). */
static inline bool walk_have(const Walk *w, size_t off, size_t n)
{
	return off <= w->len && n <= w->len - off;
}

static inline uint16_t walk_rd16(const Walk *w, size_t off)
{
	return (uint16_t)((unsigned)w->data[off] << 8 | w->data[off + 1]);
}

static inline uint32_t walk_rd32(const Walk *w, size_t off)
{
	return (uint32_t)w->data[off] << 24 | (uint32_t)w->data[off + 1] << 16 |
	       (uint32_t)w->data[off + 2] << 8 | w->data[off + 3];
}

/* Appends a layer; NULL when layer[] is full, which ends the walk. */
PacketLayer *walk_layer(Walk *w, PacketProto proto, size_t off);

/* What an ethertype at off announces (packet.c). */
void walk_ethertype(Walk *w, size_t off, uint16_t type);

/* An IPv4 or IPv6 header at off (packet-ip.c). */
void walk_ip4(Walk *w, size_t off);
void walk_ip6(Walk *w, size_t off);

#endif /* EXPERTS_COMMON_PACKET_WALK_H */
