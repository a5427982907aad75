/* packet.c — one frame's layers (see packet.h): the entry point and the
 * link layer; IP and what it carries are in packet-ip.c, the tunnels in
 * packet-tunnel.c. */
#include "packet-walk.h"

#include <string.h>

PacketLayer *walk_layer(Walk *w, PacketProto proto, size_t off)
{
	Packet *p = w->p;
	if (p->n_layers >= PACKET_LAYERS_MAX)
		return NULL;
	PacketLayer *l = &p->layer[p->n_layers++];
	*l = (PacketLayer){ .proto = (uint8_t)proto, .offset = off };
	return l;
}

void walk_cut(Walk *w, PacketProto proto, size_t off)
{
	Packet *p = w->p;
	if (p->cut != PACKET_PROTO_NONE)
		return;
	p->cut = (uint8_t)proto;
	p->cut_offset = off;
	p->cut_captured = off < w->len ? w->len - off : 0;
}

/* ---- link layer ------------------------------------------------------- */

/* Ethertypes named but not looked into, with the length of their fixed
 * header: one cut shorter is not named. */
static const struct {
	uint16_t ethertype;
	uint8_t min_len;
	uint8_t proto;
} ethertype_leaves[] = {
	{ 0x888e, 4, PACKET_PROTO_EAPOL },
	{ 0x88cc, 2, PACKET_PROTO_LLDP },
};

/* ARP and RARP, which tshark both calls arp. */
static void walk_arp(Walk *w, size_t off)
{
	size_t addrs = 0;
	if (walk_have(w, off, 8))
		addrs = 2 * ((size_t)w->data[off + 4] + w->data[off + 5]);
	if (walk_have(w, off, 8 + addrs))
		walk_layer(w, PACKET_PROTO_ARP, off);
	else
		walk_cut(w, PACKET_PROTO_ARP, off);
}

/* IEEE 802.2 LLC, where an 802.3 length field stands in for an ethertype.
 * SNAP with OUI 0 carries an ethertype; SAP 0x42 is spanning tree. */
static void walk_llc(Walk *w, size_t off)
{
	/* U-format control is one byte; I and S formats have two. */
	size_t header = walk_have(w, off, 3) && (w->data[off + 2] & 3) == 3 ? 3 : 4;
	if (!walk_have(w, off, header)) {
		walk_cut(w, PACKET_PROTO_LLC, off);
		return;
	}
	uint8_t dsap = w->data[off], ssap = w->data[off + 1];
	if (walk_layer(w, PACKET_PROTO_LLC, off) == NULL)
		return;
	off += header;
	if (dsap == 0x42 && ssap == 0x42) {
		/* A BPDU's length is its type's: a topology change 4 bytes, a
		 * configuration 35, a rapid (or multiple) spanning tree one 36
		 * and up. */
		size_t bpdu = 36;
		if (walk_have(w, off, 4))
			bpdu = w->data[off + 3] == 0x80 ? 4 : w->data[off + 3] == 0x00 ? 35 : 36;
		if (walk_have(w, off, bpdu))
			walk_layer(w, PACKET_PROTO_STP, off);
		else
			walk_cut(w, PACKET_PROTO_STP, off);
	} else if (dsap == 0xaa && ssap == 0xaa && header == 3) {
		/* SNAP: OUI and type, part of the LLC header for tshark. */
		if (!walk_have(w, off, 5)) {
			walk_cut(w, PACKET_PROTO_LLC, off - header);
			return;
		}
		const uint8_t *oui = w->data + off;
		if (oui[0] == 0 && oui[1] == 0 && oui[2] == 0)
			walk_ethertype(w, off + 5, walk_rd16(w, off + 3));
		else
			w->p->next_unknown = true; /* a vendor's protocol */
	} else {
		w->p->next_unknown = true;
	}
}

/* VLAN tags are peeled here, so that every link type gets them. */
void walk_ethertype(Walk *w, size_t off, uint16_t type)
{
	Packet *p = w->p;
	while (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
		/* tshark calls an 802.1ad service tag ieee8021ad, and the
		 * pre-standard QinQ 0x9100 a vlan. */
		PacketProto proto = type == 0x88a8 ? PACKET_PROTO_IEEE8021AD : PACKET_PROTO_VLAN;
		if (!walk_have(w, off, 4)) {
			walk_cut(w, proto, off);
			return;
		}
		if (p->n_vlans >= PACKET_VLAN_MAX || walk_layer(w, proto, off) == NULL)
			return;
		uint16_t tci = walk_rd16(w, off);
		if (!w->inside_fragment)
			p->vlan[p->n_vlans++] = (PacketVlan){
				.tpid = type, .id = tci & 0x0fff, .pcp = (uint8_t)(tci >> 13),
				.dei = (tci & 0x1000) != 0, .offset = off,
			};
		type = walk_rd16(w, off + 2);
		off += 4;
		if (type <= 1500) {
			walk_llc(w, off);
			return;
		}
	}
	if (!w->network_set) {
		w->network_set = true;
		p->ethertype = type;
		p->network_offset = off;
	}
	switch (type) {
	case 0x0800:
		walk_ip4(w, off);
		return;
	case 0x86dd:
		walk_ip6(w, off);
		return;
	case 0x0806: /* ARP */
	case 0x8035: /* RARP */
		walk_arp(w, off);
		return;
	}
	for (size_t i = 0; i < sizeof ethertype_leaves / sizeof ethertype_leaves[0]; i++) {
		if (ethertype_leaves[i].ethertype == type) {
			if (walk_have(w, off, ethertype_leaves[i].min_len))
				walk_layer(w, ethertype_leaves[i].proto, off);
			else
				walk_cut(w, ethertype_leaves[i].proto, off);
			return;
		}
	}
	p->next_unknown = true;
}

void walk_eth(Walk *w, size_t off)
{
	Packet *p = w->p;
	if (!walk_have(w, off, 14)) {
		walk_cut(w, PACKET_PROTO_ETH, off);
		return;
	}
	if (p->n_eth >= PACKET_ETH_MAX || walk_layer(w, PACKET_PROTO_ETH, off) == NULL)
		return;
	if (!w->inside_fragment) {
		PacketEth *e = &p->eth[p->n_eth++];
		memcpy(e->dst, w->data + off, 6);
		memcpy(e->src, w->data + off + 6, 6);
		e->offset = off;
	}
	uint16_t type = walk_rd16(w, off + 12);
	if (type <= 1500)
		walk_llc(w, off + 14);
	else if (type >= 0x0600)
		walk_ethertype(w, off + 14, type);
	else
		p->next_unknown = true; /* 1501..1535: neither a length nor an ethertype */
}

#define ARPHRD_NETLINK 824

/* Linux cooked capture: v1 and v2 hold the same fields in other places. */
typedef struct {
	PacketLink link;
	PacketProto proto;
	size_t header;
	size_t pkttype_at, pkttype_len;
	size_t hatype_at;
	size_t halen_at, halen_len;
	size_t addr_at;
	size_t protocol_at;
} SllLayout;

static const SllLayout sll_v1 = {
	/* pkttype(2) hatype(2) halen(2) addr(8) protocol(2) */
	.link = PACKET_LINK_SLL, .proto = PACKET_PROTO_SLL, .header = 16, .pkttype_at = 0, .pkttype_len = 2,
	.hatype_at = 2, .halen_at = 4, .halen_len = 2, .addr_at = 6, .protocol_at = 14,
};
static const SllLayout sll_v2 = {
	/* protocol(2) reserved(2) ifindex(4) hatype(2) pkttype(1) halen(1) addr(8) */
	.link = PACKET_LINK_SLL2, .proto = PACKET_PROTO_SLL2, .header = 20, .pkttype_at = 10, .pkttype_len = 1,
	.hatype_at = 8, .halen_at = 11, .halen_len = 1, .addr_at = 12, .protocol_at = 0,
};

static void walk_sll(Walk *w, const SllLayout *l)
{
	if (!walk_have(w, 0, l->header)) {
		walk_cut(w, l->proto, 0);
		return;
	}
	Packet *p = w->p;
	p->link = l->link;
	p->sll_pkttype = l->pkttype_len == 2 ? walk_rd16(w, l->pkttype_at) : w->data[l->pkttype_at];
	p->sll_hatype = walk_rd16(w, l->hatype_at);
	unsigned halen = l->halen_len == 2 ? walk_rd16(w, l->halen_at) : w->data[l->halen_at];
	p->sll_addr_len = halen > 255 ? 255 : (uint8_t)halen;
	memcpy(p->sll_addr, w->data + l->addr_at, 8);
	if (walk_layer(w, l->proto, 0) == NULL)
		return;
	uint16_t protocol = walk_rd16(w, l->protocol_at);
	if (p->sll_hatype == ARPHRD_NETLINK)
		p->next_unknown = true; /* the protocol field is a netlink family */
	else if (protocol == 0x0004) /* LINUX_SLL_P_802_2 */
		walk_llc(w, l->header);
	else if (protocol >= 0x0600)
		walk_ethertype(w, l->header, protocol);
	else
		p->next_unknown = true; /* other LINUX_SLL_P_* pseudo-types */
}

enum { RAW_IPV4 = 1u << 4, RAW_IPV6 = 1u << 6, RAW_ANY = RAW_IPV4 | RAW_IPV6 };

/* versions: which IP versions the link type allows (bit 4, bit 6). */
static void walk_raw(Walk *w, size_t off, unsigned versions)
{
	if (!walk_have(w, off, 1))
		return; /* which version would it have been? */
	unsigned version = w->data[off] >> 4;
	if (version != 4 && version != 6) {
		/* A link type that names one version says nothing more. */
		if (versions == RAW_ANY)
			w->p->next_unknown = true;
		return;
	}
	if (!(versions & (1u << version)))
		return;
	w->network_set = true;
	w->p->ethertype = version == 4 ? 0x0800 : 0x86dd;
	w->p->network_offset = off;
	if (version == 4)
		walk_ip4(w, off);
	else
		walk_ip6(w, off);
}

/* BSD loopback: a 4-byte address family, in the capturing host's byte order
 * for LINKTYPE_NULL and big-endian for LINKTYPE_LOOP; the families are small,
 * so whichever reading is small is the right one. */
static void walk_loopback(Walk *w)
{
	if (!walk_have(w, 0, 4))
		return;
	w->p->link = PACKET_LINK_LOOPBACK;
	uint32_t be = walk_rd32(w, 0);
	uint32_t le = (uint32_t)w->data[3] << 24 | (uint32_t)w->data[2] << 16 |
	              (uint32_t)w->data[1] << 8 | w->data[0];
	uint32_t family = be < 256 ? be : le;
	if (family == 2 || family == 10 || family == 24 || family == 28 || family == 30)
		walk_raw(w, 4, RAW_ANY); /* AF_INET, then AF_INET6 on Linux and the BSDs */
	else
		w->p->next_unknown = true;
}

bool packet_parse(Packet *p, uint32_t link_type, const uint8_t *data, size_t cap_len)
{
	memset(p, 0, sizeof *p);
	p->link_type = link_type;
	p->cap_len = cap_len;
	Walk w = { .data = data, .len = data != NULL ? cap_len : 0, .p = p };

	switch (link_type) {
	case PACKET_LINKTYPE_ETHERNET:
		walk_eth(&w, 0);
		if (p->n_eth > 0)
			p->link = PACKET_LINK_ETHERNET;
		break;
	case PACKET_LINKTYPE_LINUX_SLL:
		walk_sll(&w, &sll_v1);
		break;
	case PACKET_LINKTYPE_LINUX_SLL2:
		walk_sll(&w, &sll_v2);
		break;
	case PACKET_LINKTYPE_NULL:
	case PACKET_LINKTYPE_LOOP:
		walk_loopback(&w);
		break;
	case PACKET_LINKTYPE_RAW:
	case PACKET_LINKTYPE_DLT_RAW:
		/* tshark shows a "raw" layer for these, and none for the two
		 * below. */
		if (w.len == 0)
			break;
		p->link = PACKET_LINK_RAW;
		if (walk_layer(&w, PACKET_PROTO_RAW, 0) != NULL)
			walk_raw(&w, 0, RAW_ANY);
		break;
	case PACKET_LINKTYPE_IPV4:
	case PACKET_LINKTYPE_IPV6:
		if (w.len > 0)
			p->link = PACKET_LINK_RAW;
		walk_raw(&w, 0, link_type == PACKET_LINKTYPE_IPV4 ? RAW_IPV4 : RAW_IPV6);
		break;
	default:
		p->next_unknown = true;
		break;
	}
	return p->link != PACKET_LINK_NONE;
}
