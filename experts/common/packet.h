/* packet.h — the layers of one frame, parsed once, for every expert.
 *
 * Pure code: no libexpert calls, no allocation, no I/O. packet_parse() takes
 * a frame's link type and captured bytes and fills a Packet with the layers it
 * finds, outermost first, and each layer's offset and fields:
 *
 *   link       Ethernet (MACs), Linux cooked v1/v2, BSD loopback, raw IP;
 *              802.2 LLC (SNAP, spanning tree), ARP and RARP, EAPOL, LLDP
 *   VLAN       802.1Q / 802.1ad / 0x9100 tags, stacked, with their IDs
 *   IP         IPv4 and IPv6 (extension headers walked), once per header
 *   transport  TCP and UDP of the innermost IP header; AH walked through;
 *              ICMP, ICMPv6, IGMP, ESP, OSPF, PIM, VRRP, SCTP named but not
 *              looked into
 *   tunnels    what tshark 4.0 decodes by default, each inner header a layer
 *              and counted like an outer one (its MACs, VLAN tags, IP
 *              addresses, transport):
 *                IP in IP: IPv4 and IPv6 in IPv4 and IPv6 (protocols 4, 41)
 *                GRE (protocol 47), versions 0 and 1 (PPTP), carrying IPv4,
 *                  IPv6, Ethernet (0x6558) or PPP (0x880b) with IPv4 or IPv6
 *                GTP-U (UDP port 2152): a GTPv1 T-PDU carrying IPv4 or IPv6
 *                VXLAN (UDP port 4789): Ethernet
 *              A UDP tunnel is decoded when either port is its port (the
 *              lower port first, as tshark tries them).
 *
 * Two views of the same walk:
 *  - layer[]: every protocol found, in tshark's words (the names of its
 *    protocol hierarchy, `tshark -z io,phs`), for the experts that name what a
 *    frame carries;
 *  - the fields: MACs, VLAN tags, ip[], tcp, udp, for the experts that count
 *    addresses and follow connections.
 *
 * Every read is checked against cap_len; nothing at or after data[cap_len] is
 * read. Lengths that belong to an upper layer (IP payload, TCP payload) come
 * from the IP length fields, never from cap_len: a snaplen cut does not change
 * a segment's length, and Ethernet padding does not lengthen it. Payload bytes
 * may therefore lie past the capture; *_captured says how many are there.
 *
 * The truncation rule, one for every expert, as tshark 4.0 behaves (found by
 * cutting real and built frames at every byte and asking tshark):
 *  - A header is a layer, and its fields are filled, only when all of it is
 *    there: captured, and inside its datagram (the IP length fields; Ethernet
 *    padding is not part of a datagram). All of it means options, IPv6
 *    extension headers, GRE's and GTP's optional fields. tshark's endpoint
 *    and conversation tables need exactly that much.
 *  - The first header that is not all there ends the walk; `cut` names it
 *    and cut_captured says how many of its bytes are there (tshark's
 *    protocol hierarchy names such a header from its first few bytes, and
 *    marks the frame _ws.short).
 *  - One exception, tshark's own: a TCP header of which the 16 bytes through
 *    the window are there (ports, sequence and acknowledgment numbers,
 *    flags, window, data offset) opens or continues its connection and goes
 *    through tshark's sequence analysis, though its checksum, urgent pointer
 *    or options are missing. So transport is TCP and tcp is filled, with
 *    tcp.header_cut set (and cut == PACKET_PROTO_TCP): such a segment belongs
 *    to its connection but is not counted in a table of frames, as tshark
 *    leaves it out of its conversation table. With fewer than 16 bytes,
 *    tshark has no connection for it and neither do we.
 *
 * What is deliberately not walked:
 *  - headers quoted inside ICMP and ICMPv6 errors (they describe another
 *    packet, and tshark's endpoint and conversation tables skip them too);
 *  - anything inside an IP fragment other than the first (the transport
 *    header is only in the first; PacketIp.fragment tells the caller). What
 *    a first fragment carries beyond its own transport header (a tunnelled
 *    packet) is in layer[] only: tshark counts those headers once it has
 *    reassembled the datagram, on its last fragment, and we do not
 *    reassemble;
 *  - tunnels tshark does not decode by default, or that this parser does not
 *    know: Teredo, GENEVE, L2TP, MPLS, ERSPAN, GRE with routing, GTP-C, ...
 *    The layer that carries them is the last (with next_unknown set).
 */
#ifndef EXPERTS_COMMON_PACKET_H
#define EXPERTS_COMMON_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The protocols layer[] names: identifier, tshark's name for it. Linux
 * cooked captures v1 and v2 are two headers with one name. */
#define PACKET_PROTOCOLS(X)                                                   \
	X(ETH, "eth") X(SLL, "sll") X(SLL2, "sll") X(RAW, "raw")              \
	X(VLAN, "vlan") X(IEEE8021AD, "ieee8021ad")                           \
	X(LLC, "llc") X(STP, "stp") X(ARP, "arp")                             \
	X(LLDP, "lldp") X(EAPOL, "eapol")                                     \
	X(IP, "ip") X(IPV6, "ipv6") X(TCP, "tcp") X(UDP, "udp")               \
	X(ICMP, "icmp") X(ICMPV6, "icmpv6") X(IGMP, "igmp") X(GRE, "gre")     \
	X(ESP, "esp") X(AH, "ah") X(OSPF, "ospf") X(SCTP, "sctp")             \
	X(PIM, "pim") X(VRRP, "vrrp")                                         \
	X(GTP, "gtp") X(VXLAN, "vxlan") X(PPP, "ppp")

#define PACKET_PROTO_ENUM_ENTRY(id, name) PACKET_PROTO_##id,
typedef enum {
	PACKET_PROTO_NONE = 0,
	PACKET_PROTOCOLS(PACKET_PROTO_ENUM_ENTRY)
	PACKET_PROTO_COUNT
} PacketProto;
#undef PACKET_PROTO_ENUM_ENTRY

/* LINKTYPE_* values understood (DLT_RAW 12 is what libpcap reports for
 * LINKTYPE_RAW 101 on Linux). */
enum {
	PACKET_LINKTYPE_NULL = 0,
	PACKET_LINKTYPE_ETHERNET = 1,
	PACKET_LINKTYPE_DLT_RAW = 12,
	PACKET_LINKTYPE_RAW = 101,
	PACKET_LINKTYPE_LOOP = 108,
	PACKET_LINKTYPE_LINUX_SLL = 113,
	PACKET_LINKTYPE_IPV4 = 228,
	PACKET_LINKTYPE_IPV6 = 229,
	PACKET_LINKTYPE_LINUX_SLL2 = 276,
};

typedef enum {
	PACKET_LINK_NONE = 0, /* unknown link type, or its header is not all there */
	PACKET_LINK_ETHERNET,
	PACKET_LINK_SLL,      /* Linux cooked capture v1 */
	PACKET_LINK_SLL2,     /* ... and v2 */
	PACKET_LINK_LOOPBACK, /* BSD loopback (LINKTYPE_NULL, LINKTYPE_LOOP) */
	PACKET_LINK_RAW,      /* no link header: raw IP */
} PacketLink;

/* Bounds of one frame's walk; past any of them the walk ends (no real frame
 * comes close: a tunnel adds an IP header, and tshark's own limit on nested
 * protocols is lower than PACKET_LAYERS_MAX). */
#define PACKET_LAYERS_MAX 32
#define PACKET_ETH_MAX 8
#define PACKET_VLAN_MAX 8
#define PACKET_IP_MAX 8
/* IPv6 extension headers stepped over before giving up on the chain. */
#define PACKET_IPV6_EXTENSIONS_MAX 8

typedef struct {
	uint8_t dst[6];
	uint8_t src[6];
	size_t offset;  /* of the header: 0 on an Ethernet link, else in a tunnel */
} PacketEth;

typedef struct {
	uint16_t tpid; /* 0x8100 (802.1Q), 0x88a8 (802.1ad), 0x9100 */
	uint16_t id;   /* VLAN ID, 12 bits */
	uint8_t pcp;   /* priority, 3 bits */
	bool dei;
	size_t offset; /* of the 4-byte tag (TCI, then the next type) */
} PacketVlan;

typedef struct {
	uint8_t version;     /* 4 or 6 */
	uint8_t addr_len;    /* 4 or 16: bytes of src/dst in use */
	uint8_t src[16];
	uint8_t dst[16];
	size_t offset;       /* of the IP header in the frame */
	size_t header_len;   /* IPv4: IHL * 4; IPv6: 40 + the extension headers walked */
	uint8_t proto;       /* IPv4 protocol; IPv6: next header after the walk */
	uint8_t ttl;         /* IPv4 TTL, IPv6 hop limit */
	uint16_t length;     /* IPv4 total length, IPv6 payload length, as written */
	bool length_guessed; /* length was 0 (TSO, jumbogram): taken from cap_len */
	uint32_t payload_len;/* bytes after header_len, by the length field */
	uint32_t id;         /* IPv4 identification; IPv6 fragment header's */
	bool dont_fragment;  /* IPv4 DF */
	bool has_fragment_header; /* IPv6 */
	uint16_t frag_offset;/* in 8-byte units */
	bool more_fragments;
	bool fragment;       /* part of a fragmented datagram (MF or offset != 0) */
	uint8_t fragment_proto; /* what the fragmented part starts with: IPv4 proto,
	                         * IPv6 the fragment header's next header: the
	                         * same in every fragment of a datagram */
} PacketIp;

/* TCP flag bits as in the header's 9 low bits of bytes 12..13. */
enum {
	PACKET_TCP_FIN = 0x001,
	PACKET_TCP_SYN = 0x002,
	PACKET_TCP_RST = 0x004,
	PACKET_TCP_PSH = 0x008,
	PACKET_TCP_ACK = 0x010,
	PACKET_TCP_URG = 0x020,
	PACKET_TCP_ECE = 0x040,
	PACKET_TCP_CWR = 0x080,
	PACKET_TCP_NS = 0x100,
};

typedef struct {
	uint16_t src_port;
	uint16_t dst_port;
	uint32_t seq;
	uint32_t ack;
	uint16_t flags;          /* PACKET_TCP_* */
	uint16_t window;         /* as written (not scaled) */
	size_t offset;           /* of the TCP header */
	size_t header_len;       /* data offset * 4, at least 20 */
	bool header_cut;         /* not all of it is there: see the truncation rule */
	size_t payload_offset;   /* offset + header_len: may be past cap_len */
	uint32_t payload_len;    /* tcp.len: IP payload length - header_len */
	uint32_t payload_captured; /* of those, bytes in the capture */
	bool short_segment;      /* the IP payload is shorter than header_len */
} PacketTcp;

typedef struct {
	uint16_t src_port;
	uint16_t dst_port;
	uint16_t length;         /* as written; 0 in an IPv6 jumbogram */
	size_t offset;
	size_t payload_offset;   /* offset + 8 */
	uint32_t payload_len;    /* from the UDP length, else from the IP payload length */
	uint32_t payload_captured;
} PacketUdp;

/* One entry of layer[]. */
typedef struct {
	uint8_t proto;         /* PacketProto */
	size_t offset;         /* of its header in the frame */
	/* TCP and UDP: the ports and the payload length (by the IP and UDP
	 * length fields), to name what they carry; also inside a fragment,
	 * where p->tcp and p->udp are not filled. */
	uint16_t src_port, dst_port;
	uint32_t payload_len;
} PacketLayer;

typedef enum {
	PACKET_TRANSPORT_NONE = 0, /* no IP, a later fragment, or a header not all there */
	PACKET_TRANSPORT_TCP,
	PACKET_TRANSPORT_UDP,
	PACKET_TRANSPORT_OTHER,    /* ICMP, ESP, a tunnel whose inner header is
	                            * not there, ...: ip[n_ip - 1].proto says which */
} PacketTransport;

typedef struct {
	uint32_t link_type;        /* as given */
	size_t cap_len;            /* as given */
	PacketLink link;

	/* Ethernet headers: the link's, then any inside tunnels (VXLAN, GRE). */
	uint8_t n_eth;
	PacketEth eth[PACKET_ETH_MAX];
	/* PACKET_LINK_SLL, PACKET_LINK_SLL2 */
	uint16_t sll_pkttype;
	uint16_t sll_hatype;
	uint8_t sll_addr_len;      /* as written; at most 8 bytes are in sll_addr */
	uint8_t sll_addr[8];

	uint8_t n_vlans;
	PacketVlan vlan[PACKET_VLAN_MAX]; /* outermost first, tunnels' included */

	/* What the link layer (after VLAN tags and LLC/SNAP) says comes next;
	 * 0 when it does not name an ethertype (an 802.2 frame that is not SNAP,
	 * a netlink capture). For raw and loopback links, 0x0800 or 0x86dd.
	 * The outermost only: a tunnel's inner Ethernet does not change it. */
	uint16_t ethertype;
	size_t network_offset;     /* where that next layer starts */

	uint8_t n_ip;
	PacketIp ip[PACKET_IP_MAX];/* outermost first */

	uint8_t n_layers;
	PacketLayer layer[PACKET_LAYERS_MAX]; /* outermost first */
	/* The last layer (or the link type) says what follows, and it is a
	 * protocol this parser does not walk (an unknown ethertype, IP protocol,
	 * LLC SAP, tunnel, ...): there is more, unnamed. False when nothing
	 * follows, the next header was cut, or a fragment's data follows. */
	bool next_unknown;
	/* The header that was not all there (see the truncation rule), or
	 * PACKET_PROTO_NONE: where it starts and how many of its bytes are. */
	uint8_t cut;
	size_t cut_offset;
	size_t cut_captured;

	PacketTransport transport; /* of ip[n_ip - 1] */
	PacketTcp tcp;             /* if transport is PACKET_TRANSPORT_TCP */
	PacketUdp udp;             /* if transport is PACKET_TRANSPORT_UDP */
} Packet;

/* Fills *p (wholly overwritten) from one frame. data may be NULL when cap_len
 * is 0. Never reads data[cap_len] or beyond. Returns p->link != NONE. */
bool packet_parse(Packet *p, uint32_t link_type, const uint8_t *data, size_t cap_len);

/* The innermost IP header, or NULL. */
static inline const PacketIp *packet_inner_ip(const Packet *p)
{
	return p->n_ip > 0 ? &p->ip[p->n_ip - 1] : NULL;
}

#endif /* EXPERTS_COMMON_PACKET_H */
