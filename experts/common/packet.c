/* packet.c — one frame's layers (see packet.h).
 *
 * Every read goes through have(): captures are untrusted and cap_len may end
 * anywhere, including inside the first header. Each parse_* step records its
 * layer only once the layer's whole header is in the capture, then hands the
 * offset of what follows to the next step. Every loop is bounded by a constant
 * (VLAN tags, IP headers, IPv6 extension headers), never by the input.
 */
#include "packet.h"

#include <string.h>

typedef struct {
	const uint8_t *data;
	size_t len; /* cap_len: nothing at or after data[len] is ever read */
	Packet *p;
} Parse;

/* n bytes at off are all in the capture (written to survive off > len). */
static bool have(const Parse *s, size_t off, size_t n)
{
	return off <= s->len && n <= s->len - off;
}

static uint16_t rd16(const Parse *s, size_t off)
{
	return (uint16_t)((unsigned)s->data[off] << 8 | s->data[off + 1]);
}

static uint32_t rd32(const Parse *s, size_t off)
{
	return (uint32_t)s->data[off] << 24 | (uint32_t)s->data[off + 1] << 16 |
	       (uint32_t)s->data[off + 2] << 8 | s->data[off + 3];
}

/* Bytes of [off, off + len) that are in the capture. */
static uint32_t captured(const Parse *s, size_t off, uint32_t len)
{
	if (off >= s->len)
		return 0;
	return s->len - off < len ? (uint32_t)(s->len - off) : len;
}

static void parse_ip4(Parse *s, size_t off);
static void parse_ip6(Parse *s, size_t off);

/* ---- transport -------------------------------------------------------- */

/* payload: the IP payload length, from the IP header(s). */
static void parse_tcp(Parse *s, size_t off, uint32_t payload)
{
	if (!have(s, off, 20))
		return;
	size_t header = (size_t)(s->data[off + 12] >> 4) * 4;
	if (header < 20)
		return; /* tshark: bogus header length, no analysis either */
	PacketTcp *t = &s->p->tcp;
	t->src_port = rd16(s, off);
	t->dst_port = rd16(s, off + 2);
	t->seq = rd32(s, off + 4);
	t->ack = rd32(s, off + 8);
	t->flags = rd16(s, off + 12) & 0x01ff;
	t->window = rd16(s, off + 14);
	t->offset = off;
	t->header_len = header;
	t->payload_offset = off + header;
	if (payload >= header) {
		t->payload_len = payload - (uint32_t)header;
		t->payload_captured = captured(s, t->payload_offset, t->payload_len);
	} else {
		t->short_segment = true;
	}
	s->p->transport = PACKET_TRANSPORT_TCP;
}

static void parse_udp(Parse *s, size_t off, uint32_t payload)
{
	if (!have(s, off, 8))
		return;
	PacketUdp *u = &s->p->udp;
	u->src_port = rd16(s, off);
	u->dst_port = rd16(s, off + 2);
	u->length = rd16(s, off + 4);
	u->offset = off;
	u->payload_offset = off + 8;
	/* The UDP length covers the whole datagram even in a first fragment;
	 * zero means a jumbogram, where only the IP payload length is left. */
	if (u->length >= 8)
		u->payload_len = u->length - 8u;
	else if (u->length == 0 && payload >= 8)
		u->payload_len = payload - 8;
	u->payload_captured = captured(s, u->payload_offset, u->payload_len);
	s->p->transport = PACKET_TRANSPORT_UDP;
}

/* What follows the IP header at ip (already recorded) at off. */
static void parse_ip_payload(Parse *s, const PacketIp *ip, size_t off)
{
	/* A later fragment's bytes start mid-datagram: nothing to parse. */
	if (ip->frag_offset != 0)
		return;
	switch (ip->proto) {
	case 6:
		parse_tcp(s, off, ip->payload_len);
		return;
	case 17:
		parse_udp(s, off, ip->payload_len);
		return;
	case 4:
	case 41: {
		/* The inner datagram of a fragmented tunnel packet is only whole
		 * once reassembled; we do not reassemble. */
		uint8_t n_ip = s->p->n_ip;
		if (!ip->fragment) {
			if (ip->proto == 4)
				parse_ip4(s, off);
			else
				parse_ip6(s, off);
		}
		if (s->p->n_ip == n_ip)
			s->p->transport = PACKET_TRANSPORT_OTHER;
		return; /* else the inner header decided the transport */
	}
	case 59: /* IPv6 "no next header" */
		return;
	}
	/* ICMP and ICMPv6 errors quote another packet's headers: not walked. */
	s->p->transport = PACKET_TRANSPORT_OTHER;
}

/* ---- network layer ---------------------------------------------------- */

static PacketIp *ip_push(Parse *s)
{
	if (s->p->n_ip >= PACKET_IP_MAX)
		return NULL;
	PacketIp *ip = &s->p->ip[s->p->n_ip];
	memset(ip, 0, sizeof *ip);
	return ip;
}

static void parse_ip4(Parse *s, size_t off)
{
	if (!have(s, off, 20) || s->data[off] >> 4 != 4)
		return;
	size_t header = (size_t)(s->data[off] & 0x0f) * 4;
	if (header < 20 || !have(s, off, header))
		return;
	uint16_t total = rd16(s, off + 2);
	/* A whole header that says nothing sensible lies inside: tshark calls
	 * it bogus and does not count it either. */
	if (total != 0 && total < header)
		return;
	PacketIp *ip = ip_push(s);
	if (ip == NULL)
		return;
	ip->version = 4;
	ip->addr_len = 4;
	memcpy(ip->src, s->data + off + 12, 4);
	memcpy(ip->dst, s->data + off + 16, 4);
	ip->offset = off;
	ip->header_len = header;
	ip->proto = s->data[off + 9];
	ip->ttl = s->data[off + 8];
	ip->length = total;
	if (total == 0) {
		/* TSO: the NIC fills the length in after the capture point. */
		ip->length_guessed = true;
		ip->payload_len = (uint32_t)(s->len - off - header);
	} else {
		ip->payload_len = total - (uint32_t)header;
	}
	ip->id = rd16(s, off + 4);
	uint16_t frag = rd16(s, off + 6);
	ip->dont_fragment = (frag & 0x4000) != 0;
	ip->more_fragments = (frag & 0x2000) != 0;
	ip->frag_offset = frag & 0x1fff;
	ip->fragment = ip->more_fragments || ip->frag_offset != 0;
	s->p->n_ip++;
	parse_ip_payload(s, ip, off + header);
}

static void parse_ip6(Parse *s, size_t off)
{
	if (!have(s, off, 40) || s->data[off] >> 4 != 6)
		return;
	PacketIp *ip = ip_push(s);
	if (ip == NULL)
		return;
	ip->version = 6;
	ip->addr_len = 16;
	memcpy(ip->src, s->data + off + 8, 16);
	memcpy(ip->dst, s->data + off + 24, 16);
	ip->offset = off;
	ip->ttl = s->data[off + 7];
	ip->length = rd16(s, off + 4);
	uint32_t payload = ip->length;
	if (payload == 0) {
		ip->length_guessed = true; /* jumbogram or TSO */
		payload = (uint32_t)(s->len - off - 40);
	}
	uint8_t next = s->data[off + 6];
	size_t p = off + 40;

	/* Extension headers: each is stepped over only if it is all there; a
	 * cut one ends the chain, and proto then names it. */
	for (unsigned i = 0; i < PACKET_IPV6_EXTENSIONS_MAX; i++) {
		size_t len;
		uint8_t following;
		if (next == 0 || next == 43 || next == 60) {
			/* hop-by-hop, routing, destination options */
			if (!have(s, p, 2))
				break;
			len = ((size_t)s->data[p + 1] + 1) * 8;
			if (!have(s, p, len))
				break;
			following = s->data[p];
		} else if (next == 51) {
			/* AH: its length is in 4-byte units, minus 2 */
			if (!have(s, p, 2))
				break;
			len = ((size_t)s->data[p + 1] + 2) * 4;
			if (!have(s, p, len))
				break;
			following = s->data[p];
		} else if (next == 44) {
			/* fragment; a second one in a chain is nonsense */
			len = 8;
			if (ip->has_fragment_header || !have(s, p, len))
				break;
			following = s->data[p];
			uint16_t field = rd16(s, p + 2);
			ip->has_fragment_header = true;
			ip->frag_offset = field >> 3;
			ip->more_fragments = (field & 1) != 0;
			ip->id = rd32(s, p + 4);
			/* offset 0 and no more: an atomic fragment, a whole datagram */
			ip->fragment = ip->more_fragments || ip->frag_offset != 0;
		} else {
			break;
		}
		next = following;
		p += len;
		payload = payload > len ? payload - (uint32_t)len : 0;
		/* After a later fragment's header the rest is mid-datagram. */
		if (ip->frag_offset != 0)
			break;
	}
	ip->header_len = p - off;
	ip->proto = next;
	ip->payload_len = payload;
	s->p->n_ip++;
	parse_ip_payload(s, ip, p);
}

/* ---- link layer ------------------------------------------------------- */

/* What comes after the link header(s): ethertype at off. VLAN tags are
 * peeled here, so that every link type gets them. */
static void parse_ethertype(Parse *s, size_t off, uint16_t type);

/* IEEE 802.2 LLC; SNAP with OUI 0 carries an ethertype. */
static void parse_llc(Parse *s, size_t off)
{
	if (!have(s, off, 8))
		return;
	const uint8_t *h = s->data + off;
	if (h[0] == 0xaa && h[1] == 0xaa && h[2] == 0x03 && h[3] == 0 && h[4] == 0 && h[5] == 0)
		parse_ethertype(s, off + 8, rd16(s, off + 6));
}

static void parse_ethertype(Parse *s, size_t off, uint16_t type)
{
	Packet *p = s->p;
	while (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
		if (p->n_vlans >= PACKET_VLAN_MAX || !have(s, off, 4))
			return;
		uint16_t tci = rd16(s, off);
		p->vlan[p->n_vlans++] = (PacketVlan){
			.tpid = type, .id = tci & 0x0fff, .pcp = (uint8_t)(tci >> 13),
			.dei = (tci & 0x1000) != 0, .offset = off,
		};
		type = rd16(s, off + 2);
		off += 4;
		if (type <= 1500) {
			parse_llc(s, off);
			return;
		}
	}
	p->ethertype = type;
	p->network_offset = off;
	if (type == 0x0800)
		parse_ip4(s, off);
	else if (type == 0x86dd)
		parse_ip6(s, off);
}

static void parse_eth(Parse *s)
{
	if (!have(s, 0, 14))
		return;
	Packet *p = s->p;
	p->link = PACKET_LINK_ETHERNET;
	memcpy(p->eth_dst, s->data, 6);
	memcpy(p->eth_src, s->data + 6, 6);
	uint16_t type = rd16(s, 12);
	if (type <= 1500)
		parse_llc(s, 14);
	else if (type >= 0x0600)
		parse_ethertype(s, 14, type);
	/* 1501..1535: neither a length nor an ethertype */
}

#define ARPHRD_NETLINK 824

/* Linux cooked capture: v1 and v2 hold the same fields in other places. */
typedef struct {
	PacketLink link;
	size_t header;
	size_t pkttype_at, pkttype_len;
	size_t hatype_at;
	size_t halen_at, halen_len;
	size_t addr_at;
	size_t protocol_at;
} SllLayout;

static const SllLayout sll_v1 = {
	/* pkttype(2) hatype(2) halen(2) addr(8) protocol(2) */
	.link = PACKET_LINK_SLL, .header = 16, .pkttype_at = 0, .pkttype_len = 2,
	.hatype_at = 2, .halen_at = 4, .halen_len = 2, .addr_at = 6, .protocol_at = 14,
};
static const SllLayout sll_v2 = {
	/* protocol(2) reserved(2) ifindex(4) hatype(2) pkttype(1) halen(1) addr(8) */
	.link = PACKET_LINK_SLL2, .header = 20, .pkttype_at = 10, .pkttype_len = 1,
	.hatype_at = 8, .halen_at = 11, .halen_len = 1, .addr_at = 12, .protocol_at = 0,
};

static void parse_sll(Parse *s, const SllLayout *l)
{
	if (!have(s, 0, l->header))
		return;
	Packet *p = s->p;
	p->link = l->link;
	p->sll_pkttype = l->pkttype_len == 2 ? rd16(s, l->pkttype_at) : s->data[l->pkttype_at];
	p->sll_hatype = rd16(s, l->hatype_at);
	unsigned halen = l->halen_len == 2 ? rd16(s, l->halen_at) : s->data[l->halen_at];
	p->sll_addr_len = halen > 255 ? 255 : (uint8_t)halen;
	memcpy(p->sll_addr, s->data + l->addr_at, 8);
	uint16_t protocol = rd16(s, l->protocol_at);
	if (p->sll_hatype == ARPHRD_NETLINK)
		return; /* the protocol field is a netlink family */
	if (protocol == 0x0004) /* LINUX_SLL_P_802_2 */
		parse_llc(s, l->header);
	else if (protocol >= 0x0600) /* lower values are other LINUX_SLL_P_* */
		parse_ethertype(s, l->header, protocol);
}

enum { RAW_IPV4 = 1u << 4, RAW_IPV6 = 1u << 6, RAW_ANY = RAW_IPV4 | RAW_IPV6 };

/* versions: which IP versions the link type allows (bit 4, bit 6). */
static void parse_raw(Parse *s, size_t off, unsigned versions)
{
	if (!have(s, off, 1) || !(versions & (1u << (s->data[off] >> 4))))
		return;
	switch (s->data[off] >> 4) {
	case 4:
		s->p->ethertype = 0x0800;
		break;
	case 6:
		s->p->ethertype = 0x86dd;
		break;
	default:
		return;
	}
	s->p->network_offset = off;
	if (s->p->ethertype == 0x0800)
		parse_ip4(s, off);
	else
		parse_ip6(s, off);
}

/* BSD loopback: a 4-byte address family, in the capturing host's byte order
 * for LINKTYPE_NULL and big-endian for LINKTYPE_LOOP; the families are small,
 * so whichever reading is small is the right one. */
static void parse_loopback(Parse *s)
{
	if (!have(s, 0, 4))
		return;
	s->p->link = PACKET_LINK_LOOPBACK;
	uint32_t be = rd32(s, 0);
	uint32_t le = (uint32_t)s->data[3] << 24 | (uint32_t)s->data[2] << 16 |
	              (uint32_t)s->data[1] << 8 | s->data[0];
	uint32_t family = be < 256 ? be : le;
	if (family == 2 || family == 10 || family == 24 || family == 28 || family == 30)
		parse_raw(s, 4, RAW_ANY); /* AF_INET, then AF_INET6 on Linux and the BSDs */
}

bool packet_parse(Packet *p, uint32_t link_type, const uint8_t *data, size_t cap_len)
{
	memset(p, 0, sizeof *p);
	p->link_type = link_type;
	p->cap_len = cap_len;
	Parse s = { .data = data, .len = data != NULL ? cap_len : 0, .p = p };

	switch (link_type) {
	case PACKET_LINKTYPE_ETHERNET:
		parse_eth(&s);
		break;
	case PACKET_LINKTYPE_LINUX_SLL:
		parse_sll(&s, &sll_v1);
		break;
	case PACKET_LINKTYPE_LINUX_SLL2:
		parse_sll(&s, &sll_v2);
		break;
	case PACKET_LINKTYPE_NULL:
	case PACKET_LINKTYPE_LOOP:
		parse_loopback(&s);
		break;
	case PACKET_LINKTYPE_RAW:
	case PACKET_LINKTYPE_DLT_RAW:
	case PACKET_LINKTYPE_IPV4:
	case PACKET_LINKTYPE_IPV6:
		if (s.len > 0)
			p->link = PACKET_LINK_RAW;
		parse_raw(&s, 0, link_type == PACKET_LINKTYPE_IPV4 ? RAW_IPV4
		               : link_type == PACKET_LINKTYPE_IPV6 ? RAW_IPV6 : RAW_ANY);
		break;
	}
	return p->link != PACKET_LINK_NONE;
}
