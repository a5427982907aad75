/* packet-tunnel.c — the tunnels tshark 4.0 decodes by default (see packet.h
 * and packet-walk.h): GRE (RFC 2784, 2890; version 1 as PPTP's, RFC 2637)
 * and the PPP it carries, GTP-U (3GPP TS 29.281) and VXLAN (RFC 7348).
 * IP in IP is in packet-ip.c. */
#include "packet-walk.h"

/* What walks the packet a tunnel carries, by the type its header names (an
 * ethertype for GRE, a PPP protocol number). */
typedef void (*WalkCarried)(Walk *w, size_t off);

/* ---- PPP ---------------------------------------------------------------- */

static const struct {
	uint16_t protocol;
	WalkCarried walk;
} ppp_protocols[] = {
	{ 0x0021, walk_ip4 },
	{ 0x0057, walk_ip6 },
};

/* PPP as PPTP's GRE carries it (RFC 1661): the address and control bytes
 * (0xff 0x03) may be left out, and the protocol may be one byte (odd). */
static void walk_ppp(Walk *w, size_t off)
{
	size_t p = off;
	if (walk_have(w, p, 1) && w->data[p] == 0xff)
		p += 2; /* no protocol starts 0xff: the address, then control */
	size_t len = walk_have(w, p, 1) && (w->data[p] & 1) ? 1 : 2;
	if (!walk_have(w, p, len)) {
		walk_cut(w, PACKET_PROTO_PPP, off);
		return;
	}
	uint16_t protocol = len == 1 ? w->data[p] : walk_rd16(w, p);
	if (walk_layer(w, PACKET_PROTO_PPP, off) == NULL)
		return;
	for (size_t i = 0; i < sizeof ppp_protocols / sizeof ppp_protocols[0]; i++)
		if (ppp_protocols[i].protocol == protocol) {
			ppp_protocols[i].walk(w, p + len);
			return;
		}
	w->p->next_unknown = true; /* LCP, IPCP, CHAP, compressed, ... */
}

/* ---- GRE ---------------------------------------------------------------- */

enum {
	GRE_CHECKSUM = 0x8000,
	GRE_ROUTING = 0x4000,
	GRE_KEY = 0x2000,
	GRE_SEQUENCE = 0x1000,
	GRE_ACK = 0x0080, /* version 1 */
};

static const struct {
	uint16_t type;
	WalkCarried walk;
} gre_types[] = {
	{ 0x0800, walk_ip4 },
	{ 0x86dd, walk_ip6 },
	{ 0x6558, walk_eth }, /* transparent Ethernet bridging */
	{ 0x880b, walk_ppp }, /* PPTP */
};

void walk_gre(Walk *w, size_t off)
{
	if (!walk_have(w, off, 4)) {
		walk_cut(w, PACKET_PROTO_GRE, off);
		return;
	}
	uint16_t flags = walk_rd16(w, off), type = walk_rd16(w, off + 2);
	unsigned version = flags & 7;
	size_t len = 4;
	if (version == 0) {
		/* checksum and offset are there if either bit is */
		len += (flags & (GRE_CHECKSUM | GRE_ROUTING)) ? 4 : 0;
		len += (flags & GRE_KEY) ? 4 : 0;
		len += (flags & GRE_SEQUENCE) ? 4 : 0;
	} else if (version == 1) {
		len += 4; /* payload length and call ID */
		len += (flags & GRE_SEQUENCE) ? 4 : 0;
		len += (flags & GRE_ACK) ? 4 : 0;
	}
	if (!walk_have(w, off, len)) {
		walk_cut(w, PACKET_PROTO_GRE, off);
		return;
	}
	if (walk_layer(w, PACKET_PROTO_GRE, off) == NULL)
		return;
	/* Source routes (RFC 1701) and other versions are not walked. */
	if (version > 1 || (version == 0 && (flags & GRE_ROUTING))) {
		w->p->next_unknown = true;
		return;
	}
	for (size_t i = 0; i < sizeof gre_types / sizeof gre_types[0]; i++)
		if (gre_types[i].type == type) {
			gre_types[i].walk(w, off + len);
			return;
		}
	w->p->next_unknown = true; /* ERSPAN, MPLS, WCCP, keep-alives, ... */
}

/* ---- UDP tunnels -------------------------------------------------------- */

enum {
	GTP_VERSION_1 = 1,
	GTP_PT = 0x10,      /* GTP, not GTP' */
	GTP_E = 0x04,       /* extension headers follow */
	GTP_OPTIONAL = 0x07, /* E, S or PN: the 4 optional bytes are there */
	GTP_T_PDU = 0xff,
};

/* GTPv1-U: 8 bytes, 4 more if any of E, S, PN is set, then the extension
 * headers (length in 4-byte units, the next type in their last byte). A
 * T-PDU carries a user packet, IPv4 or IPv6 by its first nibble, as tshark
 * decides by default; other messages (echo, error indication, end marker)
 * carry none. */
static void walk_gtp(Walk *w, size_t off)
{
	size_t len = 8;
	unsigned version = 0;
	if (walk_have(w, off, 1)) {
		version = w->data[off] >> 5;
		if (version == GTP_VERSION_1 && (w->data[off] & GTP_OPTIONAL))
			len = 12;
	}
	if (!walk_have(w, off, len)) {
		walk_cut(w, PACKET_PROTO_GTP, off);
		return;
	}
	uint8_t flags = w->data[off], message = w->data[off + 1];
	if (version == GTP_VERSION_1 && (flags & GTP_E)) {
		uint8_t next = w->data[off + 11];
		/* Each extension is at least 4 bytes: at most this many fit. */
		for (unsigned i = 0; next != 0; i++) {
			if (i == PACKET_IPV6_EXTENSIONS_MAX || !walk_have(w, off + len, 1)) {
				walk_cut(w, PACKET_PROTO_GTP, off);
				return;
			}
			size_t ext = (size_t)w->data[off + len] * 4;
			if (ext == 0)
				break; /* malformed: the user packet cannot be found */
			if (!walk_have(w, off + len, ext)) {
				walk_cut(w, PACKET_PROTO_GTP, off);
				return;
			}
			next = w->data[off + len + ext - 1];
			len += ext;
		}
		if (next != 0) {
			walk_layer(w, PACKET_PROTO_GTP, off);
			return;
		}
	}
	if (walk_layer(w, PACKET_PROTO_GTP, off) == NULL)
		return;
	if (version != GTP_VERSION_1 || !(flags & GTP_PT) || message != GTP_T_PDU)
		return;
	/* Which IP version the user packet is needs its first byte: without
	 * it, what is cut is the T-PDU, part of the GTP message. */
	if (!walk_have(w, off + len, 1)) {
		walk_cut(w, PACKET_PROTO_GTP, off);
		return;
	}
	unsigned nibble = w->data[off + len] >> 4;
	if (nibble == 4)
		walk_ip4(w, off + len);
	else if (nibble == 6)
		walk_ip6(w, off + len);
}

/* VXLAN: flags, reserved, the 24-bit network identifier, reserved; then
 * Ethernet, which tshark decodes whatever the flags say. */
static void walk_vxlan(Walk *w, size_t off)
{
	if (!walk_have(w, off, 8)) {
		walk_cut(w, PACKET_PROTO_VXLAN, off);
		return;
	}
	if (walk_layer(w, PACKET_PROTO_VXLAN, off) != NULL)
		walk_eth(w, off + 8);
}

/* tshark's default ports for the UDP tunnels it decodes. */
static const struct {
	uint16_t port;
	WalkCarried walk;
} udp_tunnels[] = {
	{ 2152, walk_gtp },
	{ 4789, walk_vxlan },
};

static WalkCarried udp_tunnel_at(uint16_t port)
{
	for (size_t i = 0; i < sizeof udp_tunnels / sizeof udp_tunnels[0]; i++)
		if (udp_tunnels[i].port == port)
			return udp_tunnels[i].walk;
	return NULL;
}

bool walk_udp_tunnel(Walk *w, uint16_t src_port, uint16_t dst_port, size_t off)
{
	/* tshark tries the lower port first. */
	uint16_t lo = src_port < dst_port ? src_port : dst_port;
	uint16_t hi = src_port < dst_port ? dst_port : src_port;
	WalkCarried walk = udp_tunnel_at(lo);
	if (walk == NULL)
		walk = udp_tunnel_at(hi);
	if (walk == NULL)
		return false;
	walk(w, off);
	return true;
}
