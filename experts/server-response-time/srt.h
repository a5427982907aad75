/* srt.h — what the files of Server Response Time share: its state (the
 * connections, DNS transactions and servers it follows) and the steps of a
 * run. server-response-time.c walks the frames, exchanges.c times the
 * exchanges, report.c reports them.
 */
#ifndef SERVER_RESPONSE_TIME_SRT_H
#define SERVER_RESPONSE_TIME_SRT_H

#include "packet.h"
#include "table.h"

#include <expert.h>
#include <stdbool.h>
#include <stdint.h>

#define DNS_PORT 53
#define DNS_HEADER_LEN 12
#define DNS_RETRANSMISSION_NS 5000000000ll /* tshark's dns.retransmission_timer */
#define NS_PER_US 1000
#define SERVERS_REPORTED_MAX 1000
#define FIRST_FRAGMENTS_MAX 64

typedef enum { PROTO_TCP = 0, PROTO_DNS = 1 } Proto;

typedef struct {
	uint8_t version;
	uint8_t addr[2][16]; /* endpoint 0 sorts before endpoint 1 */
	uint16_t port[2];
} ConnKey;

/* A DNS message over TCP not yet complete in one direction. */
typedef struct {
	uint32_t remaining;  /* bytes of it still to come */
	bool have_header;
	uint16_t id;
	bool response;
} TcpDnsState;

typedef struct {
	ConnKey key;
	uint8_t server;      /* 0 or 1 */
	bool pending;        /* client payload awaits the server's */
	int64_t request_ns;  /* time of the last client payload segment */
	TcpDnsState dns[2];  /* by sending endpoint */
} Conn;

typedef struct {
	uint8_t transport;   /* 6 or 17 */
	uint8_t version;
	uint8_t client[16], server[16];
	uint16_t client_port, server_port;
	uint16_t id;
} DnsKey;

typedef struct {
	DnsKey key;
	bool answered;
	int64_t query_ns;
} DnsTransaction;

typedef struct {
	uint8_t proto;       /* Proto */
	uint8_t version;
	uint16_t port;       /* 0 for DNS: servers by address */
	uint8_t addr[16];
} ServerKey;

typedef struct {
	ServerKey key;
	uint64_t exchanges;
	uint64_t sum_ns;
	uint64_t min_ns, max_ns;
} Server;

/* What a first fragment said about its datagram. */
typedef struct {
	bool used;
	uint8_t version, proto;
	uint8_t src[16], dst[16];
	uint32_t id;
	PacketTransport transport;
	uint16_t src_port, dst_port;
	uint16_t tcp_flags;
	uint32_t transport_header;
	bool dns;            /* UDP: a whole DNS header was in the fragment */
	uint16_t dns_id;
	bool dns_response;
} FirstFragment;

/* One transport segment or datagram, whole. */
typedef struct {
	int64_t ts_ns;
	uint8_t version;
	const uint8_t *src, *dst;
	PacketTransport transport;
	uint16_t src_port, dst_port;
	uint16_t tcp_flags;
	uint32_t payload_len;       /* tcp.len, or the UDP payload */
	const uint8_t *payload;     /* captured bytes of it (NULL if none) */
	uint32_t payload_captured;
	bool dns;                   /* UDP: dns_id, dns_response are set */
	uint16_t dns_id;
	bool dns_response;
} Segment;

typedef struct {
	ExpertKey *key;
	Table conns, dns, servers;
	FirstFragment first[FIRST_FRAGMENTS_MAX];
	unsigned next_first;
	uint64_t tcp_exchanges, dns_exchanges;
	uint64_t dns_unmatched_responses;
	uint64_t untracked;          /* not followed: a table could not grow */
	uint64_t negative;           /* answers time-stamped before their request */
} Srt;

static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* One transport segment or datagram, whole: a TCP exchange, a DNS
 * message, or neither (exchanges.c). */
ExpertError srt_segment(Srt *s, const Segment *seg);

/* One event per server with at least min_exchanges exchanges, by average
 * descending, then the total (report.c). */
ExpertError srt_report(Srt *s, uint32_t min_exchanges);

#endif /* SERVER_RESPONSE_TIME_SRT_H */
