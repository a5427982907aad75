/* dissect.c — frame classification for Protocol Distribution (see dissect.h).
 *
 * Every read goes through have(): captures are untrusted and cap_len may end
 * anywhere. Each walk_* function pushes its protocol only once its whole
 * header is in the capture, so a truncated frame ends at the last complete
 * layer. Recursion (VLAN in VLAN, IP in IP) always pushes first, so it is
 * bounded by DISSECT_MAX_DEPTH.
 */
#include "dissect.h"

#include <string.h>

_Static_assert(DISSECT_PROTO_COUNT <= UINT8_MAX, "protocol ids must fit DissectPath.proto[]");

#define DISSECT_NAME_ENTRY(id, name) [DISSECT_##id] = name,
static const char *const proto_names[DISSECT_PROTO_COUNT] = {
	DISSECT_PROTOCOLS(DISSECT_NAME_ENTRY)
};
#undef DISSECT_NAME_ENTRY

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

/* IP protocols we name but do not look inside, with the length of their
 * fixed header, so that a truncated one is not counted. */
static const struct {
	uint8_t ip_proto;
	uint8_t min_len;
	uint8_t proto;
} ip_leaves[] = {
	{ 2, 8, DISSECT_IGMP },
	{ 47, 4, DISSECT_GRE },
	{ 50, 8, DISSECT_ESP },
	{ 51, 12, DISSECT_AH },
	{ 89, 24, DISSECT_OSPF },
	{ 103, 4, DISSECT_PIM },
	{ 112, 8, DISSECT_VRRP },
	{ 132, 12, DISSECT_SCTP },
};

/* Ethertypes we name but do not look inside, likewise. */
static const struct {
	uint16_t ethertype;
	uint8_t min_len;
	uint8_t proto;
} ethertype_leaves[] = {
	{ 0x888e, 4, DISSECT_EAPOL },
	{ 0x88cc, 2, DISSECT_LLDP },
};

/* ---- the walk --------------------------------------------------------- */

typedef struct {
	const uint8_t *data;
	size_t len; /* cap_len: nothing at or after data[len] is ever read */
	DissectPath *path;
	DissectFragments *fragments;
} Walk;

/* n bytes at off are all in the capture (written to survive off > len). */
static bool have(const Walk *w, size_t off, size_t n)
{
	return off <= w->len && n <= w->len - off;
}

static uint16_t rd16(const Walk *w, size_t off)
{
	return (uint16_t)((unsigned)w->data[off] << 8 | w->data[off + 1]);
}

static bool push(Walk *w, unsigned proto)
{
	if (w->path->depth >= DISSECT_MAX_DEPTH)
		return false;
	w->path->proto[w->path->depth++] = (uint8_t)proto;
	return true;
}

static void walk_ethertype(Walk *w, size_t off, uint16_t type);
static void walk_ip4(Walk *w, size_t off);
static void walk_ip6(Walk *w, size_t off);

static void walk_app(Walk *w, unsigned transport, uint16_t a, uint16_t b)
{
	/* tshark tries the lower port first: a client on 5353 asking a DNS
	 * server is dns, not mdns. */
	uint16_t lo = a < b ? a : b, hi = a < b ? b : a;
	unsigned proto = app_for_port(lo, transport);
	if (proto == DISSECT_NONE)
		proto = app_for_port(hi, transport);
	push(w, proto != DISSECT_NONE ? proto : DISSECT_OTHER);
}

/* payload: bytes after the IP header(s), from the IP length fields. */
static void walk_tcp(Walk *w, size_t off, size_t payload)
{
	if (!have(w, off, 20))
		return;
	size_t header = (size_t)(w->data[off + 12] >> 4) * 4;
	if (header < 20 || !have(w, off, header) || !push(w, DISSECT_TCP))
		return;
	/* A bare ACK or SYN belongs to no application (tshark agrees). */
	if (payload > header)
		walk_app(w, ON_TCP, rd16(w, off), rd16(w, off + 2));
}

static void walk_udp(Walk *w, size_t off, size_t payload)
{
	if (!have(w, off, 8) || !push(w, DISSECT_UDP))
		return;
	/* The UDP length covers the whole datagram even in a first fragment;
	 * zero means a jumbogram, where only the IP payload length is left. */
	size_t udp_len = rd16(w, off + 4);
	if (udp_len == 0)
		udp_len = payload;
	if (udp_len > 8)
		walk_app(w, ON_UDP, rd16(w, off), rd16(w, off + 2));
}

/* What an IP header says follows it. ICMP errors quote an IP header and
 * part of the next one; those are deliberately not walked. */
static void walk_ip_payload(Walk *w, uint8_t ip_proto, size_t off, size_t payload)
{
	switch (ip_proto) {
	case 6:
		walk_tcp(w, off, payload);
		return;
	case 17:
		walk_udp(w, off, payload);
		return;
	case 1:
		if (have(w, off, 8))
			push(w, DISSECT_ICMP);
		return;
	case 58:
		if (have(w, off, 4))
			push(w, DISSECT_ICMPV6);
		return;
	case 4: /* IPv4 in IP: tshark counts every IP header of a tunnel */
		walk_ip4(w, off);
		return;
	case 41:
		walk_ip6(w, off);
		return;
	case 59: /* IPv6 "no next header" */
		return;
	}
	for (size_t i = 0; i < sizeof ip_leaves / sizeof ip_leaves[0]; i++) {
		if (ip_leaves[i].ip_proto == ip_proto) {
			if (have(w, off, ip_leaves[i].min_len))
				push(w, ip_leaves[i].proto);
			return;
		}
	}
	push(w, DISSECT_OTHER);
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

/* ---- network layer ---------------------------------------------------- */

static void walk_ip4(Walk *w, size_t off)
{
	if (!have(w, off, 20) || w->data[off] >> 4 != 4)
		return;
	size_t header = (size_t)(w->data[off] & 0x0f) * 4;
	if (header < 20 || !have(w, off, header) || !push(w, DISSECT_IP))
		return;
	size_t total = rd16(w, off + 2), payload;
	if (total == 0)
		payload = w->len - off - header; /* TSO: the NIC fills the length in */
	else if (total < header)
		return; /* the header is whole but says nothing sensible lies inside */
	else
		payload = total - header;

	const uint8_t *h = w->data + off;
	uint16_t frag = rd16(w, off + 6);
	bool more = (frag & 0x2000) != 0;
	uint16_t frag_offset = frag & 0x1fff;
	if (!more && frag_offset == 0) {
		walk_ip_payload(w, h[9], off + header, payload);
		return;
	}
	uint64_t key = fragment_key(4, h + 12, 8, h + 4, 2, h[9]);
	if (frag_offset != 0) {
		fragment_later(w, key, !more);
		return;
	}
	uint8_t mark = w->path->depth;
	walk_ip_payload(w, h[9], off + header, payload);
	fragment_first_done(w, key, mark);
}

/* Headers after the fixed IPv6 header that we step over; more than this
 * many ends the path at ipv6 (no legitimate packet comes close). */
#define IPV6_EXTENSION_HEADERS_MAX 8

static void walk_ip6(Walk *w, size_t off)
{
	if (!have(w, off, 40) || w->data[off] >> 4 != 6 || !push(w, DISSECT_IPV6))
		return;
	const uint8_t *h = w->data + off;
	size_t payload = rd16(w, off + 4);
	if (payload == 0)
		payload = w->len - off - 40; /* jumbogram or TSO */
	uint8_t next = h[6];
	size_t p = off + 40;
	/* Set by the fragment header of a first fragment: the rest of the chain
	 * is walked, then traded for "data". */
	bool first_fragment = false;
	uint64_t key = 0;
	uint8_t mark = 0;

	for (unsigned i = 0; i < IPV6_EXTENSION_HEADERS_MAX; i++) {
		size_t len;
		switch (next) {
		case 0:  /* hop-by-hop options */
		case 43: /* routing */
		case 60: /* destination options */
			if (!have(w, p, 2))
				goto done;
			len = ((size_t)w->data[p + 1] + 1) * 8;
			if (!have(w, p, len))
				goto done;
			next = w->data[p];
			break;
		case 44: { /* fragment */
			len = 8;
			if (first_fragment || !have(w, p, len))
				goto done;
			uint16_t field = rd16(w, p + 2);
			uint16_t frag_offset = field >> 3;
			bool more = (field & 1) != 0;
			next = w->data[p];
			if (!more && frag_offset == 0)
				break; /* an atomic fragment: the datagram is whole */
			key = fragment_key(6, h + 8, 32, w->data + p + 4, 4, next);
			if (frag_offset != 0) {
				fragment_later(w, key, !more);
				return;
			}
			first_fragment = true;
			mark = w->path->depth;
			break;
		}
		default:
			walk_ip_payload(w, next, p, payload);
			goto done;
		}
		p += len;
		payload = payload > len ? payload - len : 0;
	}
done:
	if (first_fragment)
		fragment_first_done(w, key, mark);
}

/* ---- link layer ------------------------------------------------------- */

static void walk_arp(Walk *w, size_t off)
{
	if (!have(w, off, 8))
		return;
	size_t addrs = 2 * ((size_t)w->data[off + 4] + w->data[off + 5]);
	if (have(w, off, 8 + addrs))
		push(w, DISSECT_ARP);
}

/* IEEE 802.2 LLC, where an 802.3 length field stands in for an ethertype. */
static void walk_llc(Walk *w, size_t off)
{
	if (!have(w, off, 3))
		return;
	uint8_t dsap = w->data[off], ssap = w->data[off + 1];
	/* U-format control is one byte; I and S formats have two. */
	size_t header = (w->data[off + 2] & 3) == 3 ? 3 : 4;
	if (!have(w, off, header) || !push(w, DISSECT_LLC))
		return;
	off += header;
	if (dsap == 0x42 && ssap == 0x42) {
		if (have(w, off, 4)) /* the shortest BPDU, a topology change */
			push(w, DISSECT_STP);
	} else if (dsap == 0xaa && ssap == 0xaa && header == 3) {
		/* SNAP: OUI 0 carries an ethertype, others are vendor protocols. */
		if (!have(w, off, 5))
			return;
		const uint8_t *oui = w->data + off;
		if (oui[0] == 0 && oui[1] == 0 && oui[2] == 0)
			walk_ethertype(w, off + 5, rd16(w, off + 3));
		else
			push(w, DISSECT_OTHER);
	} else {
		push(w, DISSECT_OTHER);
	}
}

/* An 802.1Q/802.1ad tag: TCI, then the next type or length. */
static void walk_vlan(Walk *w, size_t off, unsigned proto)
{
	if (!have(w, off, 4) || !push(w, proto))
		return;
	uint16_t type = rd16(w, off + 2);
	if (type <= 1500)
		walk_llc(w, off + 4);
	else
		walk_ethertype(w, off + 4, type);
}

static void walk_ethertype(Walk *w, size_t off, uint16_t type)
{
	switch (type) {
	case 0x0800:
		walk_ip4(w, off);
		return;
	case 0x86dd:
		walk_ip6(w, off);
		return;
	case 0x0806:
		walk_arp(w, off);
		return;
	case 0x8100: /* 802.1Q */
	case 0x9100: /* pre-standard QinQ, which tshark also calls vlan */
		walk_vlan(w, off, DISSECT_VLAN);
		return;
	case 0x88a8: /* 802.1ad service tag: tshark's name is ieee8021ad */
		walk_vlan(w, off, DISSECT_IEEE8021AD);
		return;
	}
	for (size_t i = 0; i < sizeof ethertype_leaves / sizeof ethertype_leaves[0]; i++) {
		if (ethertype_leaves[i].ethertype == type) {
			if (have(w, off, ethertype_leaves[i].min_len))
				push(w, ethertype_leaves[i].proto);
			return;
		}
	}
	push(w, DISSECT_OTHER);
}

static void walk_eth(Walk *w)
{
	if (!have(w, 0, 14) || !push(w, DISSECT_ETH))
		return;
	uint16_t type = rd16(w, 12);
	if (type <= 1500)
		walk_llc(w, 14);
	else if (type < 0x0600)
		push(w, DISSECT_OTHER); /* neither a length nor an ethertype */
	else
		walk_ethertype(w, 14, type);
}

#define ARPHRD_NETLINK 824

/* Linux cooked capture: v1 and v2 differ only in where fields sit. */
static void walk_sll(Walk *w, size_t header, size_t hatype_at, size_t protocol_at)
{
	if (!have(w, 0, header) || !push(w, DISSECT_SLL))
		return;
	uint16_t hatype = rd16(w, hatype_at), protocol = rd16(w, protocol_at);
	if (hatype == ARPHRD_NETLINK)
		push(w, DISSECT_OTHER); /* the protocol field is a netlink family */
	else if (protocol == 0x0004) /* LINUX_SLL_P_802_2 */
		walk_llc(w, header);
	else if (protocol < 0x0600) /* other LINUX_SLL_P_* pseudo-types */
		push(w, DISSECT_OTHER);
	else
		walk_ethertype(w, header, protocol);
}

static void walk_raw(Walk *w)
{
	if (!have(w, 0, 1) || !push(w, DISSECT_RAW))
		return;
	switch (w->data[0] >> 4) {
	case 4:
		walk_ip4(w, 0);
		return;
	case 6:
		walk_ip6(w, 0);
		return;
	}
	push(w, DISSECT_OTHER);
}

unsigned dissect_frame(DissectFragments *fragments, uint32_t link_type, const uint8_t *data,
                       size_t cap_len, DissectPath *path)
{
	Walk w = { .data = data, .len = data != NULL ? cap_len : 0, .path = path,
	           .fragments = fragments };
	path->depth = 0;

	switch (link_type) {
	case DISSECT_LINKTYPE_ETHERNET:
		walk_eth(&w);
		break;
	case DISSECT_LINKTYPE_LINUX_SLL:
		walk_sll(&w, 16, 2, 14);
		break;
	case DISSECT_LINKTYPE_LINUX_SLL2:
		walk_sll(&w, 20, 8, 0);
		break;
	case DISSECT_LINKTYPE_RAW:
	case DISSECT_LINKTYPE_DLT_RAW:
		walk_raw(&w); /* tshark shows a "raw" layer for these ... */
		break;
	case DISSECT_LINKTYPE_IPV4:
		walk_ip4(&w, 0); /* ... and none for these */
		break;
	case DISSECT_LINKTYPE_IPV6:
		walk_ip6(&w, 0);
		break;
	default:
		push(&w, DISSECT_OTHER);
		break;
	}
	return path->depth;
}
