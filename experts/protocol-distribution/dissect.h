/* dissect.h — which protocols a frame carries, from its headers and ports.
 *
 * Pure code: no libexpert calls, no allocation, no I/O. Given a frame's link
 * type and captured bytes, dissect_frame() writes the frame's protocol path,
 * outermost first (eth, vlan, ip, tcp, http), as a small array of ids. The
 * headers are parsed by the experts' shared parser (experts/common/packet.h),
 * whose layers carry tshark's names already; this adds what a hierarchy needs
 * on top: the application by port, "other" and "data", and fragments.
 *
 * Names are tshark's (`tshark -z io,phs`), so our hierarchy lines up with its
 * rows: an 802.1ad tag is "ieee8021ad", SMB's transport on 139 and 445 is
 * "nbss", LINKTYPE_RAW has a "raw" layer, Linux cooked v2 is "sll", RARP is
 * "arp". Tunnels are walked as tshark 4.0 walks them by default (IP in IP,
 * GRE with PPP, GTP-U on 2152, VXLAN on 4789: eth/ip/udp/gtp/ip/tcp/...).
 * A header the capture cut is named as tshark names it: once tshark has read
 * enough of it (cut_named_from in dissect.c, measured, and checked against
 * tshark by test-dissect-cuts), and nothing after it; a first IP fragment
 * cut short is not held for its last fragment (tshark does not reassemble
 * it either). What we decide differently, on purpose:
 *
 *  - The application layer is chosen by well-known port only (the lower of the
 *    two ports that the table knows), and only when the transport carries
 *    payload by its declared lengths. Payload bytes are never looked at, so
 *    tshark's heuristic and conversation-based dissectors (ftp-data on a
 *    passive port, http on 8000, ...) have no counterpart here. Unknown ports
 *    with payload give "other"; tshark's "data" is what is left after its
 *    heuristics, which is a different set, so we do not borrow its name. A
 *    payload the capture cut still gets its application (tshark's needs some
 *    of the payload to decide).
 *  - A protocol the parser does not walk gives "other" where tshark names it:
 *    ERSPAN, MPLS or WCCP in GRE, Teredo, GENEVE, L2TP, BSD loopback's "null"
 *    link (a loopback capture's frames are one "other" each), ...
 *  - tshark marks a frame whose dissection ran past the captured bytes
 *    "_ws.short" (one more node below the last), and a malformed one
 *    "_ws.malformed"; we have no such nodes. A header whose fields make no
 *    sense (an IPv4 version other than 4 under 0x0800, a TCP data offset
 *    below 5) ends the path; tshark names it and marks it.
 *  - IP fragments: like tshark, a fragment that is not the last one is
 *    ip -> "data". tshark reassembles and puts the whole datagram's path on
 *    the last fragment; we do the same without reassembling, by remembering
 *    the path of each first fragment in a small caller-owned DissectFragments.
 *    A last fragment whose first fragment was not seen is ip -> "data".
 *  - IPv6 extension headers are walked (bounded) but are not path nodes;
 *    tshark's phs does not list them either (AH it lists, and so do we).
 *  - Headers quoted inside ICMP/ICMPv6 errors are not walked (tshark's phs
 *    does not count them).
 *  - TCP is not reassembled: a PDU is counted on every segment that carries
 *    part of it, not on the segment that completes it.
 */
#ifndef DISSECT_H
#define DISSECT_H

#include "packet.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One line per protocol: identifier, name shown to users (tshark's). */
#define DISSECT_PROTOCOLS(X)                                                  \
	/* the headers the parser names (packet.h) */                         \
	PACKET_PROTOCOLS(X)                                                   \
	/* payload we cannot or do not name */                                \
	X(DATA, "data") X(OTHER, "other")                                     \
	/* applications, by port */                                           \
	X(DNS, "dns") X(MDNS, "mdns") X(LLMNR, "llmnr") X(NBNS, "nbns")       \
	X(NBDGM, "nbdgm") X(NBSS, "nbss") X(DHCP, "dhcp")                     \
	X(DHCPV6, "dhcpv6") X(NTP, "ntp") X(HTTP, "http") X(TLS, "tls")       \
	X(QUIC, "quic") X(SSH, "ssh") X(TELNET, "telnet") X(FTP, "ftp")       \
	X(FTP_DATA, "ftp-data") X(SMTP, "smtp") X(IMAP, "imap")               \
	X(POP, "pop") X(LDAP, "ldap") X(CLDAP, "cldap") X(SNMP, "snmp")       \
	X(SYSLOG, "syslog") X(TFTP, "tftp") X(KERBEROS, "kerberos")           \
	X(SSDP, "ssdp") X(SIP, "sip") X(IRC, "irc") X(MYSQL, "mysql")         \
	X(PGSQL, "pgsql") X(BGP, "bgp") X(RADIUS, "radius")                   \
	X(ISAKMP, "isakmp") X(DB_LSP_DISC, "db-lsp-disc")

#define DISSECT_ENUM_ENTRY(id, name) DISSECT_##id,
typedef enum {
	DISSECT_NONE = 0,
	DISSECT_PROTOCOLS(DISSECT_ENUM_ENTRY)
	DISSECT_PROTO_COUNT
} DissectProto;
#undef DISSECT_ENUM_ENTRY

/* Longest path: link, a few VLAN tags, tunnelled IP, transport, application.
 * Deeper frames stop here; the walk is bounded by this, not by the input. */
#define DISSECT_MAX_DEPTH 32

typedef struct {
	uint8_t depth;                    /* number of valid entries in proto[] */
	uint8_t proto[DISSECT_MAX_DEPTH]; /* DissectProto, outermost first */
} DissectPath;

/* Paths of first fragments waiting for their last fragment. A fixed ring:
 * reassembly here is only for naming, so forgetting an old datagram costs
 * one "data" entry, never correctness of anything else. */
#define DISSECT_FRAGMENTS_MAX 32
#define DISSECT_FRAGMENT_TAIL_MAX 12

typedef struct {
	uint64_t key;  /* hash of version, addresses, id, protocol; 0 = free */
	uint8_t n_tail;
	uint8_t tail[DISSECT_FRAGMENT_TAIL_MAX]; /* path below ip/ipv6 */
} DissectFragment;

typedef struct {
	DissectFragment slot[DISSECT_FRAGMENTS_MAX];
	uint32_t next; /* ring position of the next slot to reuse */
} DissectFragments;

void dissect_fragments_init(DissectFragments *fragments);

/* Writes the path of one frame to *path and returns its depth. Never reads
 * data[cap_len] or beyond. fragments may be NULL: then every IP fragment,
 * last ones included, is ip -> "data". An unknown link type gives the
 * one-entry path "other". */
unsigned dissect_frame(DissectFragments *fragments, uint32_t link_type, const uint8_t *data,
                       size_t cap_len, DissectPath *path);

/* The user-visible name of a protocol id ("eth", "ip", ...); "?" if unknown. */
const char *dissect_proto_name(unsigned proto);

#endif /* DISSECT_H */
