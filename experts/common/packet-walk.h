/* packet-walk.h — what the files of the frame parser share: packet.c (the
 * entry point and the link layer), packet-ip.c (IP and what it carries),
 * packet-tunnel.c (GRE, PPP, GTP-U, VXLAN). Not for experts: they include
 * packet.h.
 *
 * Every read goes through walk_have(): captures are untrusted and cap_len
 * may end anywhere, including inside the first header. Each step records its
 * layer only once the layer's whole header is there (the truncation rule in
 * packet.h), else calls walk_cut() and stops; then it hands the offset of
 * what follows to the next step. Every loop is bounded by a constant (VLAN
 * tags, extension headers), never by the input, and so is the recursion:
 * each step records its layer before it hands on, and layer[] is bounded.
 */
#ifndef EXPERTS_COMMON_PACKET_WALK_H
#define EXPERTS_COMMON_PACKET_WALK_H

#include "packet.h"

typedef struct {
	const uint8_t *data;
	/* Where the bytes end: cap_len, and inside an IP datagram no further
	 * than the datagram (its length field). Nothing at or after data[len]
	 * is ever read. */
	size_t len;
	Packet *p;
	/* Walking what a first IP fragment carries past its own transport
	 * header: layers only (see packet.h). */
	bool inside_fragment;
	/* The outermost link layer has said what follows (p->ethertype). */
	bool network_set;
} Walk;

/* n bytes at off are all there (written to survive off > len). */
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

/* The header of proto at off is not all there: the walk ends here. */
void walk_cut(Walk *w, PacketProto proto, size_t off);

/* packet.c: an Ethernet header at off (of the link or inside a tunnel),
 * and what an ethertype at off announces. */
void walk_eth(Walk *w, size_t off);
void walk_ethertype(Walk *w, size_t off, uint16_t type);

/* packet-ip.c: an IPv4 or IPv6 header at off. */
void walk_ip4(Walk *w, size_t off);
void walk_ip6(Walk *w, size_t off);

/* packet-tunnel.c: a GRE header at off; and whether a UDP datagram with
 * these ports, whose payload is at off, is a tunnel (then walked). */
void walk_gre(Walk *w, size_t off);
bool walk_udp_tunnel(Walk *w, uint16_t src_port, uint16_t dst_port, size_t off);

#endif /* EXPERTS_COMMON_PACKET_WALK_H */
