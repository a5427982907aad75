/* packet-ip.c — IPv4, IPv6 and what they carry (see packet.h and
 * packet-walk.h). */
#include "packet-walk.h"

#include <string.h>

/* Bytes of [off, off + len) that are there. */
static uint32_t captured(const Walk *w, size_t off, uint32_t len)
{
	if (off >= w->len)
		return 0;
	return w->len - off < len ? (uint32_t)(w->len - off) : len;
}

/* IP protocols named but not looked into, with the length of their fixed
 * header: one cut shorter is not a layer. */
static const struct {
	uint8_t ip_proto;
	uint8_t min_len;
	uint8_t proto;
} ip_leaves[] = {
	{ 1, 8, PACKET_PROTO_ICMP },
	{ 2, 8, PACKET_PROTO_IGMP },
	{ 50, 8, PACKET_PROTO_ESP },
	{ 58, 4, PACKET_PROTO_ICMPV6 },
	{ 89, 24, PACKET_PROTO_OSPF },
	{ 103, 4, PACKET_PROTO_PIM },
	{ 112, 8, PACKET_PROTO_VRRP },
	{ 132, 12, PACKET_PROTO_SCTP },
};

/* TCP's first 16 bytes: ports, sequence and acknowledgment numbers, data
 * offset, flags, window. With these tshark has its connection and runs its
 * sequence analysis (see the truncation rule in packet.h). */
#define TCP_FIELDS_LEN 16

/* ---- transport -------------------------------------------------------- */

/* payload: the IP payload length, from the IP header(s). */
static void walk_tcp(Walk *w, size_t off, uint32_t payload)
{
	if (!walk_have(w, off, TCP_FIELDS_LEN)) {
		walk_cut(w, PACKET_PROTO_TCP, off);
		return;
	}
	size_t header = (size_t)(w->data[off + 12] >> 4) * 4;
	if (header < 20)
		return; /* tshark: bogus header length, no analysis either */
	uint32_t payload_len = payload >= header ? payload - (uint32_t)header : 0;
	bool whole = walk_have(w, off, header);
	if (whole) {
		PacketLayer *l = walk_layer(w, PACKET_PROTO_TCP, off);
		if (l == NULL)
			return;
		l->src_port = walk_rd16(w, off);
		l->dst_port = walk_rd16(w, off + 2);
		l->payload_len = payload_len;
	} else {
		walk_cut(w, PACKET_PROTO_TCP, off);
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
	t->header_cut = !whole;
	t->payload_offset = off + header;
	t->payload_len = payload_len;
	t->payload_captured = captured(w, t->payload_offset, payload_len);
	t->short_segment = payload < header;
	w->p->transport = PACKET_TRANSPORT_TCP;
}

/* fragment: the datagram is fragmented, so what a tunnel carries is
 * walked for layer[] only. */
static void walk_udp(Walk *w, size_t off, uint32_t payload, bool fragment)
{
	if (!walk_have(w, off, 8)) {
		walk_cut(w, PACKET_PROTO_UDP, off);
		return;
	}
	uint16_t length = walk_rd16(w, off + 4);
	/* The UDP length covers the whole datagram even in a first fragment;
	 * zero means a jumbogram, where only the IP payload length is left. */
	uint32_t payload_len = 0;
	if (length >= 8)
		payload_len = length - 8u;
	else if (length == 0 && payload >= 8)
		payload_len = payload - 8;
	PacketLayer *l = walk_layer(w, PACKET_PROTO_UDP, off);
	if (l == NULL)
		return;
	l->src_port = walk_rd16(w, off);
	l->dst_port = walk_rd16(w, off + 2);
	l->payload_len = payload_len;
	if (!w->inside_fragment) {
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
	/* A tunnel's packet is inside the datagram, whose length may be less
	 * than the IP payload's. */
	if (payload_len == 0)
		return;
	bool inside = w->inside_fragment;
	size_t len = w->len;
	if (length >= 8 && off + length < w->len)
		w->len = off + length;
	w->inside_fragment = inside || fragment;
	walk_udp_tunnel(w, l->src_port, l->dst_port, off + 8);
	w->inside_fragment = inside;
	w->len = len;
}

/* The payload of an IP header is something other than TCP or UDP. */
static void other_transport(Walk *w)
{
	if (!w->inside_fragment)
		w->p->transport = PACKET_TRANSPORT_OTHER;
}

/* What follows the IP header ip (already recorded): proto at off, payload
 * bytes long by the length fields. */
static void walk_ip_payload(Walk *w, const PacketIp *ip, uint8_t proto, size_t off,
                            uint32_t payload)
{
	/* A later fragment's bytes start mid-datagram: nothing to parse. */
	if (ip->frag_offset != 0)
		return;
	bool inside = w->inside_fragment;
	switch (proto) {
	case 6:
		walk_tcp(w, off, payload);
		return;
	case 17:
		walk_udp(w, off, payload, ip->fragment);
		return;
	case 51: {
		/* IPv4's AH (IPv6 walks it among its extension headers): its
		 * length is in 4-byte units, minus 2; tshark names it, then
		 * what it protects. */
		size_t len = walk_have(w, off, 2) ? ((size_t)w->data[off + 1] + 2) * 4 : 12;
		if (!walk_have(w, off, len)) {
			walk_cut(w, PACKET_PROTO_AH, off);
			other_transport(w);
			return;
		}
		if (walk_layer(w, PACKET_PROTO_AH, off) == NULL)
			return;
		other_transport(w);
		walk_ip_payload(w, ip, w->data[off], off + len,
		                payload > len ? payload - (uint32_t)len : 0);
		return;
	}
	case 4:
	case 41:
	case 47:
		/* Tunnels. The inner packet of a fragmented datagram is only
		 * whole once reassembled; we do not reassemble, so it is named
		 * but not counted (see packet.h). Until an inner IP header is
		 * recorded, the transport is this header's tunnel. */
		other_transport(w);
		w->inside_fragment = inside || ip->fragment;
		if (proto == 4)
			walk_ip4(w, off);
		else if (proto == 41)
			walk_ip6(w, off);
		else
			walk_gre(w, off);
		w->inside_fragment = inside;
		return;
	case 59: /* IPv6 "no next header" */
		return;
	}
	other_transport(w);
	for (size_t i = 0; i < sizeof ip_leaves / sizeof ip_leaves[0]; i++) {
		if (ip_leaves[i].ip_proto == proto) {
			/* ICMP errors quote another packet's headers: not walked. */
			if (walk_have(w, off, ip_leaves[i].min_len))
				walk_layer(w, ip_leaves[i].proto, off);
			else
				walk_cut(w, ip_leaves[i].proto, off);
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

/* ip, filled, is kept: counted in ip[] unless inside a fragment. Its
 * transport, not an outer header's, is the frame's from now on. */
static void ip_keep(Walk *w, const PacketIp *ip)
{
	if (!w->inside_fragment && ip == &w->p->ip[w->p->n_ip]) {
		w->p->n_ip++;
		w->p->transport = PACKET_TRANSPORT_NONE;
	}
}

/* Inside the datagram that starts at off, the bytes end where its length
 * field says it does (Ethernet padding is not part of it). */
static void limit_to_datagram(Walk *w, const PacketIp *ip)
{
	if (ip->length_guessed)
		return;
	size_t end = ip->offset + ip->header_len + ip->payload_len;
	if (end < w->len)
		w->len = end;
}

void walk_ip4(Walk *w, size_t off)
{
	if (!walk_have(w, off, 1)) {
		walk_cut(w, PACKET_PROTO_IP, off);
		return;
	}
	if (w->data[off] >> 4 != 4)
		return;
	size_t header = (size_t)(w->data[off] & 0x0f) * 4;
	if (header < 20)
		return; /* not an IPv4 header, whatever is there */
	if (!walk_have(w, off, header)) {
		walk_cut(w, PACKET_PROTO_IP, off);
		return;
	}
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
	size_t len = w->len;
	limit_to_datagram(w, ip);
	walk_ip_payload(w, ip, ip->proto, off + header, ip->payload_len);
	w->len = len;
}

typedef enum {
	CHAIN_UPPER, /* the upper-layer header follows */
	CHAIN_ENDED, /* nothing is walked after it: a second fragment header,
	              * more headers than the bound */
	CHAIN_CUT,   /* a header not all there */
} ChainEnd;

/* IPv6 extension headers from *p, stepped over (AH's among them, its
 * offsets in ah[]); *p, *next and *payload end past them. */
static ChainEnd ip6_extensions(Walk *w, PacketIp *ip, size_t *p, uint8_t *next, uint32_t *payload,
                               size_t ah[PACKET_IPV6_EXTENSIONS_MAX], unsigned *n_ah)
{
	for (unsigned i = 0; i < PACKET_IPV6_EXTENSIONS_MAX; i++) {
		size_t at = *p, len;
		if (*next == 0 || *next == 43 || *next == 60) {
			/* hop-by-hop, routing, destination options */
			len = walk_have(w, at, 2) ? ((size_t)w->data[at + 1] + 1) * 8 : 8;
		} else if (*next == 51) {
			/* AH: its length is in 4-byte units, minus 2. tshark names
			 * it, then what it protects. */
			len = walk_have(w, at, 2) ? ((size_t)w->data[at + 1] + 2) * 4 : 12;
		} else if (*next == 44) {
			len = 8; /* fragment; a second one in a chain is nonsense */
			if (ip->has_fragment_header)
				return CHAIN_ENDED;
		} else {
			return CHAIN_UPPER;
		}
		if (!walk_have(w, at, len))
			return CHAIN_CUT;
		if (*next == 51)
			ah[(*n_ah)++] = at;
		if (*next == 44) {
			uint16_t field = walk_rd16(w, at + 2);
			ip->has_fragment_header = true;
			ip->frag_offset = field >> 3;
			ip->more_fragments = (field & 1) != 0;
			ip->id = walk_rd32(w, at + 4);
			ip->fragment_proto = w->data[at];
			/* offset 0 and no more: an atomic fragment, a whole datagram */
			ip->fragment = ip->more_fragments || ip->frag_offset != 0;
		}
		*next = w->data[at];
		*p = at + len;
		*payload = *payload > len ? *payload - (uint32_t)len : 0;
		/* After a later fragment's header the rest is mid-datagram. */
		if (ip->frag_offset != 0)
			return CHAIN_UPPER;
	}
	return CHAIN_ENDED;
}

void walk_ip6(Walk *w, size_t off)
{
	if (!walk_have(w, off, 40)) {
		if (!walk_have(w, off, 1) || w->data[off] >> 4 == 6)
			walk_cut(w, PACKET_PROTO_IPV6, off);
		return;
	}
	if (w->data[off] >> 4 != 6)
		return;
	PacketIp scratch, *ip = ip_slot(w, &scratch);
	if (ip == NULL)
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
	size_t len = w->len;
	if (payload == 0) {
		ip->length_guessed = true; /* jumbogram or TSO */
		payload = (uint32_t)(w->len - off - 40);
	} else if (off + 40 + payload < w->len) {
		w->len = off + 40 + payload; /* the datagram ends here */
	}
	uint8_t next = w->data[off + 6];
	size_t upper = off + 40, ah[PACKET_IPV6_EXTENSIONS_MAX];
	unsigned n_ah = 0;
	ChainEnd end = ip6_extensions(w, ip, &upper, &next, &payload, ah, &n_ah);
	/* tshark's tables count an IPv6 header once its extension headers are
	 * all there too: a cut one is the IPv6 header cut. */
	if (end == CHAIN_CUT)
		walk_cut(w, PACKET_PROTO_IPV6, off);
	bool layers = end != CHAIN_CUT && walk_layer(w, PACKET_PROTO_IPV6, off) != NULL;
	for (unsigned i = 0; layers && i < n_ah; i++)
		layers = walk_layer(w, PACKET_PROTO_AH, ah[i]) != NULL;
	if (layers) {
		ip->header_len = upper - off;
		ip->proto = next;
		ip->payload_len = payload;
		ip_keep(w, ip);
		if (end == CHAIN_UPPER)
			walk_ip_payload(w, ip, next, upper, payload);
	}
	w->len = len;
}
