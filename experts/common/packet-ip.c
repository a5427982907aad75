/* packet-ip.c — IPv4, IPv6 and what they carry (see packet.h and
 * packet-walk.h). */
#include "packet-walk.h"

#include <string.h>

/* Bytes of [off, off + len) that are in the capture. */
static uint32_t captured(const Walk *w, size_t off, uint32_t len)
{
	if (off >= w->len)
		return 0;
	return w->len - off < len ? (uint32_t)(w->len - off) : len;
}

/* IP protocols named but not looked into, with the length of their fixed
 * header: one cut shorter is not named. */
static const struct {
	uint8_t ip_proto;
	uint8_t min_len;
	uint8_t proto;
} ip_leaves[] = {
	{ 1, 8, PACKET_PROTO_ICMP },
	{ 2, 8, PACKET_PROTO_IGMP },
	{ 47, 4, PACKET_PROTO_GRE },
	{ 50, 8, PACKET_PROTO_ESP },
	{ 51, 12, PACKET_PROTO_AH },
	{ 58, 4, PACKET_PROTO_ICMPV6 },
	{ 89, 24, PACKET_PROTO_OSPF },
	{ 103, 4, PACKET_PROTO_PIM },
	{ 112, 8, PACKET_PROTO_VRRP },
	{ 132, 12, PACKET_PROTO_SCTP },
};

/* ---- transport -------------------------------------------------------- */

static void walk_tcp(Walk *w, const PacketIp *ip, size_t off)
{
	if (!walk_have(w, off, 20))
		return;
	size_t header = (size_t)(w->data[off + 12] >> 4) * 4;
	if (header < 20)
		return; /* tshark: bogus header length, no analysis either */
	uint32_t payload_len = ip->payload_len >= header ? ip->payload_len - (uint32_t)header : 0;
	if (walk_have(w, off, header)) {
		PacketLayer *l = walk_layer(w, PACKET_PROTO_TCP, off);
		if (l == NULL)
			return;
		l->src_port = walk_rd16(w, off);
		l->dst_port = walk_rd16(w, off + 2);
		l->payload_len = payload_len;
	}
	if (w->inside_fragment)
		return;
	PacketTcp *t = &w->p->tcp;
	t->src_port = walk_rd16(w, off);
	t->dst_port = walk_rd16(w, off + 2);
	t->seq = walk_rd32(w, off + 4);
	t->ack = walk_rd32(w, off + 8);
	t->flags = walk_rd16(w, off + 12) & 0x01ff;
	t->window = walk_rd16(w, off + 14);
	t->offset = off;
	t->header_len = header;
	t->payload_offset = off + header;
	t->payload_len = payload_len;
	t->payload_captured = captured(w, t->payload_offset, payload_len);
	t->short_segment = ip->payload_len < header;
	w->p->transport = PACKET_TRANSPORT_TCP;
}

static void walk_udp(Walk *w, const PacketIp *ip, size_t off)
{
	if (!walk_have(w, off, 8))
		return;
	uint16_t length = walk_rd16(w, off + 4);
	/* The UDP length covers the whole datagram even in a first fragment;
	 * zero means a jumbogram, where only the IP payload length is left. */
	uint32_t payload_len = 0;
	if (length >= 8)
		payload_len = length - 8u;
	else if (length == 0 && ip->payload_len >= 8)
		payload_len = ip->payload_len - 8;
	PacketLayer *l = walk_layer(w, PACKET_PROTO_UDP, off);
	if (l == NULL)
		return;
	l->src_port = walk_rd16(w, off);
	l->dst_port = walk_rd16(w, off + 2);
	l->payload_len = payload_len;
	if (w->inside_fragment)
		return;
	PacketUdp *u = &w->p->udp;
	u->src_port = l->src_port;
	u->dst_port = l->dst_port;
	u->length = length;
	u->offset = off;
	u->payload_offset = off + 8;
	u->payload_len = payload_len;
	u->payload_captured = captured(w, u->payload_offset, payload_len);
	w->p->transport = PACKET_TRANSPORT_UDP;
}

/* The payload of an IP header is something other than TCP or UDP. */
static void other_transport(Walk *w)
{
	if (!w->inside_fragment)
		w->p->transport = PACKET_TRANSPORT_OTHER;
}

/* What follows the IP header ip (already recorded) at off. */
static void walk_ip_payload(Walk *w, const PacketIp *ip, size_t off)
{
	/* A later fragment's bytes start mid-datagram: nothing to parse. */
	if (ip->frag_offset != 0)
		return;
	switch (ip->proto) {
	case 6:
		walk_tcp(w, ip, off);
		return;
	case 17:
		walk_udp(w, ip, off);
		return;
	case 4:
	case 41: {
		/* The inner datagram of a fragmented tunnel packet is only whole
		 * once reassembled; we do not reassemble, so it is named but
		 * not counted (see packet.h). */
		bool inside = w->inside_fragment;
		uint8_t n_ip = w->p->n_ip;
		w->inside_fragment = inside || ip->fragment;
		if (ip->proto == 4)
			walk_ip4(w, off);
		else
			walk_ip6(w, off);
		w->inside_fragment = inside;
		if (w->p->n_ip == n_ip)
			other_transport(w);
		return; /* else the inner header decided the transport */
	}
	case 59: /* IPv6 "no next header" */
		return;
	}
	other_transport(w);
	for (size_t i = 0; i < sizeof ip_leaves / sizeof ip_leaves[0]; i++) {
		if (ip_leaves[i].ip_proto == ip->proto) {
			/* ICMP errors quote another packet's headers: not walked. */
			if (walk_have(w, off, ip_leaves[i].min_len))
				walk_layer(w, ip_leaves[i].proto, off);
			return;
		}
	}
	w->p->next_unknown = true;
}

/* ---- network layer ---------------------------------------------------- */

/* Where a new IP header's fields go: the next ip[] entry, or scratch when
 * inside a fragment (layers only). NULL when ip[] is full: the walk ends. */
static PacketIp *ip_slot(Walk *w, PacketIp *scratch)
{
	if (w->inside_fragment)
		return scratch;
	if (w->p->n_ip >= PACKET_IP_MAX)
		return NULL;
	return &w->p->ip[w->p->n_ip];
}

/* ip, filled, is kept: counted in ip[] unless inside a fragment. */
static void ip_keep(Walk *w, const PacketIp *ip)
{
	if (!w->inside_fragment && ip == &w->p->ip[w->p->n_ip])
		w->p->n_ip++;
}

void walk_ip4(Walk *w, size_t off)
{
	if (!walk_have(w, off, 20) || w->data[off] >> 4 != 4)
		return;
	size_t header = (size_t)(w->data[off] & 0x0f) * 4;
	if (header < 20 || !walk_have(w, off, header))
		return;
	PacketIp scratch, *ip = ip_slot(w, &scratch);
	if (ip == NULL || walk_layer(w, PACKET_PROTO_IP, off) == NULL)
		return;
	uint16_t total = walk_rd16(w, off + 2);
	/* A whole header that says nothing sensible lies inside: tshark names
	 * it, calls it bogus and counts it nowhere else. */
	if (total != 0 && total < header)
		return;
	memset(ip, 0, sizeof *ip);
	ip->version = 4;
	ip->addr_len = 4;
	memcpy(ip->src, w->data + off + 12, 4);
	memcpy(ip->dst, w->data + off + 16, 4);
	ip->offset = off;
	ip->header_len = header;
	ip->proto = w->data[off + 9];
	ip->fragment_proto = ip->proto;
	ip->ttl = w->data[off + 8];
	ip->length = total;
	if (total == 0) {
		/* TSO: the NIC fills the length in after the capture point. */
		ip->length_guessed = true;
		ip->payload_len = (uint32_t)(w->len - off - header);
	} else {
		ip->payload_len = total - (uint32_t)header;
	}
	ip->id = walk_rd16(w, off + 4);
	uint16_t frag = walk_rd16(w, off + 6);
	ip->dont_fragment = (frag & 0x4000) != 0;
	ip->more_fragments = (frag & 0x2000) != 0;
	ip->frag_offset = frag & 0x1fff;
	ip->fragment = ip->more_fragments || ip->frag_offset != 0;
	ip_keep(w, ip);
	walk_ip_payload(w, ip, off + header);
}

void walk_ip6(Walk *w, size_t off)
{
	if (!walk_have(w, off, 40) || w->data[off] >> 4 != 6)
		return;
	PacketIp scratch, *ip = ip_slot(w, &scratch);
	if (ip == NULL || walk_layer(w, PACKET_PROTO_IPV6, off) == NULL)
		return;
	memset(ip, 0, sizeof *ip);
	ip->version = 6;
	ip->addr_len = 16;
	memcpy(ip->src, w->data + off + 8, 16);
	memcpy(ip->dst, w->data + off + 24, 16);
	ip->offset = off;
	ip->ttl = w->data[off + 7];
	ip->length = walk_rd16(w, off + 4);
	uint32_t payload = ip->length;
	if (payload == 0) {
		ip->length_guessed = true; /* jumbogram or TSO */
		payload = (uint32_t)(w->len - off - 40);
	}
	uint8_t next = w->data[off + 6];
	size_t p = off + 40;

	/* Extension headers: each is stepped over only if it is all there. A
	 * cut one, a second fragment header or a chain longer than the bound
	 * ends the walk at this header (nothing after it is named). */
	bool ended = true;
	for (unsigned i = 0; i < PACKET_IPV6_EXTENSIONS_MAX; i++) {
		size_t len;
		uint8_t following;
		if (next == 0 || next == 43 || next == 60) {
			/* hop-by-hop, routing, destination options */
			if (!walk_have(w, p, 2))
				break;
			len = ((size_t)w->data[p + 1] + 1) * 8;
			if (!walk_have(w, p, len))
				break;
			following = w->data[p];
		} else if (next == 51) {
			/* AH: its length is in 4-byte units, minus 2. tshark names
			 * it, then what it protects. */
			if (!walk_have(w, p, 2))
				break;
			len = ((size_t)w->data[p + 1] + 2) * 4;
			if (!walk_have(w, p, len) || walk_layer(w, PACKET_PROTO_AH, p) == NULL)
				break;
			following = w->data[p];
		} else if (next == 44) {
			/* fragment; a second one in a chain is nonsense */
			len = 8;
			if (ip->has_fragment_header || !walk_have(w, p, len))
				break;
			following = w->data[p];
			uint16_t field = walk_rd16(w, p + 2);
			ip->has_fragment_header = true;
			ip->frag_offset = field >> 3;
			ip->more_fragments = (field & 1) != 0;
			ip->id = walk_rd32(w, p + 4);
			ip->fragment_proto = following;
			/* offset 0 and no more: an atomic fragment, a whole datagram */
			ip->fragment = ip->more_fragments || ip->frag_offset != 0;
		} else {
			ended = false;
			break;
		}
		next = following;
		p += len;
		payload = payload > len ? payload - (uint32_t)len : 0;
		/* After a later fragment's header the rest is mid-datagram. */
		if (ip->frag_offset != 0) {
			ended = false;
			break;
		}
	}
	ip->header_len = p - off;
	ip->proto = next;
	ip->payload_len = payload;
	ip_keep(w, ip);
	if (!ended)
		walk_ip_payload(w, ip, p);
}
