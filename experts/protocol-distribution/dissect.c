/* dissect.c — a frame's protocol path for Protocol Distribution (see
 * dissect.h). The headers are walked by packet_parse(), whose layers carry
 * tshark's names; here they become a path, with the application named by
 * port, "other" where the parser stopped at a protocol it does not walk,
 * and the whole datagram's path moved to the last of its fragments.
 */
#include "dissect.h"

#include <string.h>

_Static_assert(DISSECT_PROTO_COUNT <= UINT8_MAX, "protocol ids must fit DissectPath.proto[]");

#define DISSECT_NAME_ENTRY(id, name) [DISSECT_##id] = name,
static const char *const proto_names[DISSECT_PROTO_COUNT] = {
	DISSECT_PROTOCOLS(DISSECT_NAME_ENTRY)
};
#undef DISSECT_NAME_ENTRY

/* The parser's protocols are ours under the same identifiers. */
#define DISSECT_FROM_PACKET_ENTRY(id, name) [PACKET_PROTO_##id] = DISSECT_##id,
static const uint8_t from_packet[PACKET_PROTO_COUNT] = {
	PACKET_PROTOCOLS(DISSECT_FROM_PACKET_ENTRY)
};
#undef DISSECT_FROM_PACKET_ENTRY

/* tshark names a header the capture cut short once it has read this many
 * bytes of it (tshark 4.0.17, found by cutting real and built frames at
 * every byte; test-dissect asks tshark again when it is installed). An
 * Ethernet header it never names cut; IPv6, ICMPv6, ESP, EAPOL and LLDP it
 * names when their layer below announces them, with none of their bytes. */
static const uint8_t cut_named_from[PACKET_PROTO_COUNT] = {
	[PACKET_PROTO_ETH] = 14, [PACKET_PROTO_SLL] = 4, [PACKET_PROTO_SLL2] = 12,
	[PACKET_PROTO_VLAN] = 2, [PACKET_PROTO_IEEE8021AD] = 2, [PACKET_PROTO_LLC] = 1,
	[PACKET_PROTO_STP] = 27, [PACKET_PROTO_ARP] = 2, [PACKET_PROTO_LLDP] = 0,
	[PACKET_PROTO_EAPOL] = 0, [PACKET_PROTO_IP] = 1, [PACKET_PROTO_IPV6] = 0,
	[PACKET_PROTO_TCP] = 4, [PACKET_PROTO_UDP] = 4, [PACKET_PROTO_ICMP] = 6,
	[PACKET_PROTO_ICMPV6] = 0, [PACKET_PROTO_IGMP] = 1, [PACKET_PROTO_GRE] = 4,
	[PACKET_PROTO_ESP] = 0, [PACKET_PROTO_AH] = 2, [PACKET_PROTO_OSPF] = 4,
	[PACKET_PROTO_SCTP] = 12, [PACKET_PROTO_PIM] = 1, [PACKET_PROTO_VRRP] = 1,
	[PACKET_PROTO_GTP] = 2, [PACKET_PROTO_VXLAN] = 1, [PACKET_PROTO_PPP] = 1,
};

const char *dissect_proto_name(unsigned proto)
{
	if (proto >= DISSECT_PROTO_COUNT || proto_names[proto] == NULL)
		return "?";
	return proto_names[proto];
}

/* ---- well-known ports ------------------------------------------------- */

enum { ON_TCP = 1u << 0, ON_UDP = 1u << 1, ON_BOTH = ON_TCP | ON_UDP };

/* Ports as tshark 4.0 registers them by default, restricted to dissectors it
 * picks by port alone; a port it leaves to heuristics is not listed. */
static const struct {
	uint16_t port;
	uint8_t transports;
	uint8_t proto;
} app_ports[] = {
	{ 20, ON_TCP, DISSECT_FTP_DATA },
	{ 21, ON_TCP, DISSECT_FTP },
	{ 22, ON_TCP, DISSECT_SSH },
	{ 23, ON_TCP, DISSECT_TELNET },
	{ 25, ON_TCP, DISSECT_SMTP },
	{ 53, ON_BOTH, DISSECT_DNS },
	{ 67, ON_UDP, DISSECT_DHCP },
	{ 68, ON_UDP, DISSECT_DHCP },
	{ 69, ON_UDP, DISSECT_TFTP },
	{ 80, ON_TCP, DISSECT_HTTP },
	{ 88, ON_BOTH, DISSECT_KERBEROS },
	{ 110, ON_TCP, DISSECT_POP },
	{ 123, ON_UDP, DISSECT_NTP },
	{ 137, ON_UDP, DISSECT_NBNS },
	{ 138, ON_UDP, DISSECT_NBDGM },
	/* tshark names SMB's transport on both ports nbss, with smb/smb2 below. */
	{ 139, ON_TCP, DISSECT_NBSS },
	{ 143, ON_TCP, DISSECT_IMAP },
	{ 161, ON_UDP, DISSECT_SNMP },
	{ 162, ON_UDP, DISSECT_SNMP },
	{ 179, ON_TCP, DISSECT_BGP },
	{ 389, ON_TCP, DISSECT_LDAP },
	{ 389, ON_UDP, DISSECT_CLDAP },
	{ 443, ON_TCP, DISSECT_TLS },
	{ 443, ON_UDP, DISSECT_QUIC },
	{ 445, ON_TCP, DISSECT_NBSS },
	{ 465, ON_TCP, DISSECT_TLS },
	{ 500, ON_UDP, DISSECT_ISAKMP },
	{ 514, ON_UDP, DISSECT_SYSLOG },
	{ 546, ON_UDP, DISSECT_DHCPV6 },
	{ 547, ON_UDP, DISSECT_DHCPV6 },
	{ 587, ON_TCP, DISSECT_SMTP },
	{ 636, ON_TCP, DISSECT_TLS },
	{ 853, ON_TCP, DISSECT_TLS },
	{ 993, ON_TCP, DISSECT_TLS },
	{ 995, ON_TCP, DISSECT_TLS },
	{ 1812, ON_UDP, DISSECT_RADIUS },
	{ 1813, ON_UDP, DISSECT_RADIUS },
	{ 1900, ON_UDP, DISSECT_SSDP },
	{ 3128, ON_TCP, DISSECT_HTTP },
	{ 3306, ON_TCP, DISSECT_MYSQL },
	{ 5060, ON_BOTH, DISSECT_SIP },
	{ 5353, ON_UDP, DISSECT_MDNS },
	{ 5355, ON_UDP, DISSECT_LLMNR },
	{ 5432, ON_TCP, DISSECT_PGSQL },
	{ 6667, ON_TCP, DISSECT_IRC },
	{ 8080, ON_TCP, DISSECT_HTTP },
	{ 8088, ON_TCP, DISSECT_HTTP },
	{ 17500, ON_UDP, DISSECT_DB_LSP_DISC },
};

static unsigned app_for_port(uint16_t port, unsigned transport)
{
	for (size_t i = 0; i < sizeof app_ports / sizeof app_ports[0]; i++)
		if (app_ports[i].port == port && (app_ports[i].transports & transport))
			return app_ports[i].proto;
	return DISSECT_NONE;
}

/* ---- the path --------------------------------------------------------- */

typedef struct {
	DissectPath *path;
	DissectFragments *fragments;
} Walk;

static bool push(Walk *w, unsigned proto)
{
	if (w->path->depth >= DISSECT_MAX_DEPTH)
		return false;
	w->path->proto[w->path->depth++] = (uint8_t)proto;
	return true;
}

static void push_app(Walk *w, unsigned transport, uint16_t a, uint16_t b)
{
	/* tshark tries the lower port first: a client on 5353 asking a DNS
	 * server is dns, not mdns. */
	uint16_t lo = a < b ? a : b, hi = a < b ? b : a;
	unsigned proto = app_for_port(lo, transport);
	if (proto == DISSECT_NONE)
		proto = app_for_port(hi, transport);
	push(w, proto != DISSECT_NONE ? proto : DISSECT_OTHER);
}

/* ---- fragments -------------------------------------------------------- */

/* FNV-1a: the key only has to tell datagrams apart, not resist an attacker;
 * a collision names one datagram's last fragment after another's. */
static uint64_t hash_bytes(uint64_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static uint64_t fragment_key(uint8_t version, const uint8_t *addrs, size_t addrs_len,
                             const uint8_t *id, size_t id_len, uint8_t ip_proto)
{
	uint64_t h = hash_bytes(0xcbf29ce484222325ull, &version, 1);
	h = hash_bytes(h, addrs, addrs_len);
	h = hash_bytes(h, id, id_len);
	h = hash_bytes(h, &ip_proto, 1);
	return h != 0 ? h : 1; /* 0 marks a free slot */
}

void dissect_fragments_init(DissectFragments *fragments)
{
	memset(fragments, 0, sizeof *fragments);
}

static void fragments_store(DissectFragments *f, uint64_t key, const uint8_t *tail, size_t n)
{
	DissectFragment *slot = NULL;
	for (size_t i = 0; i < DISSECT_FRAGMENTS_MAX && slot == NULL; i++)
		if (f->slot[i].key == key)
			slot = &f->slot[i]; /* a retransmitted first fragment */
	if (slot == NULL) {
		slot = &f->slot[f->next % DISSECT_FRAGMENTS_MAX];
		f->next = (f->next + 1) % DISSECT_FRAGMENTS_MAX;
	}
	if (n > DISSECT_FRAGMENT_TAIL_MAX)
		n = DISSECT_FRAGMENT_TAIL_MAX;
	slot->key = key;
	slot->n_tail = (uint8_t)n;
	memcpy(slot->tail, tail, n);
}

static DissectFragment *fragments_find(DissectFragments *f, uint64_t key)
{
	for (size_t i = 0; i < DISSECT_FRAGMENTS_MAX; i++)
		if (f->slot[i].key == key)
			return &f->slot[i];
	return NULL;
}

/* As in tshark, the path of the whole datagram goes on its last fragment
 * and every other fragment is "data". The first fragment is walked as
 * usual; then fragment_first_done() files what was found below ip/ipv6
 * (from depth mark on) under the datagram's key and puts "data" in its
 * place. */
static void fragment_first_done(Walk *w, uint64_t key, uint8_t mark)
{
	/* Nothing learnt (a truncated header): the last fragment will be data. */
	if (w->fragments != NULL && w->path->depth > mark)
		fragments_store(w->fragments, key, &w->path->proto[mark],
		                (size_t)(w->path->depth - mark));
	w->path->depth = mark;
	push(w, DISSECT_DATA);
}

/* A fragment after the first: its bytes cannot be dissected on their own.
 * A middle fragment leaves the entry for the last one. */
static void fragment_later(Walk *w, uint64_t key, bool last)
{
	DissectFragment *entry = NULL;
	if (last && w->fragments != NULL)
		entry = fragments_find(w->fragments, key);
	if (entry == NULL) {
		push(w, DISSECT_DATA);
		return;
	}
	for (size_t i = 0; i < entry->n_tail; i++)
		push(w, entry->tail[i]);
	entry->key = 0;
}

/* ---- one frame -------------------------------------------------------- */

/* Link types named here; any other is one "other" (the parser also knows
 * BSD loopback, whose layer tshark calls "null": not named yet). */
static bool link_type_named(uint32_t link_type)
{
	switch (link_type) {
	case PACKET_LINKTYPE_ETHERNET:
	case PACKET_LINKTYPE_DLT_RAW:
	case PACKET_LINKTYPE_RAW:
	case PACKET_LINKTYPE_LINUX_SLL:
	case PACKET_LINKTYPE_IPV4:
	case PACKET_LINKTYPE_IPV6:
	case PACKET_LINKTYPE_LINUX_SLL2:
		return true;
	}
	return false;
}

/* The first IP header of p that is part of a fragmented datagram and the
 * index of its layer, or NULL. A first fragment the capture cut is not one:
 * tshark does not hold it for reassembly but dissects what is there. */
static const PacketIp *fragmented_ip(const Packet *p, unsigned *layer)
{
	for (unsigned i = 0; i < p->n_ip; i++) {
		const PacketIp *ip = &p->ip[i];
		if (!ip->fragment)
			continue;
		if (ip->frag_offset == 0 &&
		    ip->offset + ip->header_len + ip->payload_len > p->cap_len)
			return NULL;
		for (unsigned l = 0; l < p->n_layers; l++) {
			if (p->layer[l].offset == p->ip[i].offset &&
			    (p->layer[l].proto == PACKET_PROTO_IP || p->layer[l].proto == PACKET_PROTO_IPV6)) {
				*layer = l;
				return ip;
			}
		}
	}
	return NULL;
}

static uint64_t ip_fragment_key(const PacketIp *ip)
{
	uint8_t addrs[32], id[4] = {
		(uint8_t)(ip->id >> 24), (uint8_t)(ip->id >> 16), (uint8_t)(ip->id >> 8), (uint8_t)ip->id,
	};
	memcpy(addrs, ip->src, ip->addr_len);
	memcpy(addrs + ip->addr_len, ip->dst, ip->addr_len);
	return fragment_key(ip->version, addrs, 2u * ip->addr_len, id, sizeof id, ip->fragment_proto);
}

unsigned dissect_frame(DissectFragments *fragments, uint32_t link_type, const uint8_t *data,
                       size_t cap_len, DissectPath *path)
{
	Walk w = { .path = path, .fragments = fragments };
	path->depth = 0;
	if (!link_type_named(link_type)) {
		push(&w, DISSECT_OTHER);
		return path->depth;
	}
	Packet p;
	packet_parse(&p, link_type, data, cap_len);

	unsigned frag_layer = PACKET_LAYERS_MAX;
	const PacketIp *frag = fragmented_ip(&p, &frag_layer);
	uint64_t key = frag != NULL ? ip_fragment_key(frag) : 0;
	uint8_t mark = 0;
	for (unsigned i = 0; i < p.n_layers; i++) {
		if (!push(&w, from_packet[p.layer[i].proto]))
			return path->depth;
		if (i != frag_layer)
			continue;
		/* A later fragment's bytes cannot be dissected on their own; a
		 * first fragment is walked as usual, then traded for "data". */
		if (frag->frag_offset != 0) {
			fragment_later(&w, key, !frag->more_fragments);
			return path->depth;
		}
		mark = path->depth;
	}

	const PacketLayer *last = p.n_layers > 0 ? &p.layer[p.n_layers - 1] : NULL;
	if (p.next_unknown) {
		push(&w, DISSECT_OTHER);
	} else if (last != NULL && last->payload_len > 0 &&
	           (last->proto == PACKET_PROTO_TCP || last->proto == PACKET_PROTO_UDP)) {
		/* A bare ACK or SYN, or an empty datagram, belongs to no
		 * application (tshark agrees). */
		push_app(&w, last->proto == PACKET_PROTO_TCP ? ON_TCP : ON_UDP, last->src_port,
		         last->dst_port);
	}
	/* The header the capture cut, as tshark names it (unless it is part of
	 * the last layer, as SNAP is of LLC); nothing after it. */
	if (p.cut != PACKET_PROTO_NONE && p.cut_captured >= cut_named_from[p.cut] &&
	    (last == NULL || p.cut_offset > last->offset))
		push(&w, from_packet[p.cut]);
	if (frag != NULL)
		fragment_first_done(&w, key, mark);
	return path->depth;
}
