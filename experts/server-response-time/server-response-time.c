/* server-response-time.c — the Server Response Time expert.
 *
 * Average, minimum and maximum time servers take to answer, per server, for
 * TCP request/response exchanges and for DNS queries. Times are measured
 * from capture timestamps and reported in microseconds (truncated; the
 * average is the sum over the count, truncated).
 *
 * TCP, per connection (5-tuple). The server is the destination of the SYN
 * (SYN without ACK); for a connection whose SYN is not in the capture, the
 * endpoint with the lower port (the well-known one), and for equal ports the
 * destination of the first segment seen. A later SYN on the same 5-tuple
 * starts the connection afresh. A segment with payload (tcp.len > 0) from the
 * client makes a request pending and sets its time; the next segment with
 * payload from the server ends the exchange: response time = that segment's
 * time - the time of the last client payload segment before it. Further
 * server segments belong to the same response until the client sends
 * payload again. Retransmissions are payload like any other.
 *
 * DNS, over UDP and TCP, port 53 on the server side: a query (QR = 0) is
 * matched with the response (QR = 1) of the same ID on the same 5-tuple;
 * response time = response time stamp - query time stamp. As in tshark, a
 * query repeated less than 5 s after an unanswered one with the same ID is a
 * retransmission and the clock keeps running from the first; only the first
 * response to a query is counted (tshark also times duplicate responses).
 * DNS over TCP is walked message by message (2-byte length prefix); a
 * message is timed at the segment that completes it, as tshark does. DNS
 * over TCP is also a TCP exchange, counted under the server's address:port.
 *
 * IP fragments: a datagram's transport header is in its first fragment and
 * tshark times it at its last; so here, the first fragment's headers are
 * remembered and the datagram is handled at its fragment with MF clear (when
 * that comes after the first; other orders are not timed).
 *
 * Configuration:
 *   min_exchanges  servers with fewer exchanges get no event of their own
 *                  (they still count in the total); 1 to 4294967295, default 1
 *
 * Events: one per server (at most SERVERS_REPORTED_MAX), by average
 * descending, then one "total".
 */
#include "events.h"
#include "format.h"
#include "packet.h"
#include "progress.h"
#include "refuse.h"
#include "settings.h"
#include "table.h"

#include <expert.h>
#include <stddef.h>
#include <string.h>

bool expert_register(ExpertInfo *info)
{
	static const char description[] =
		"Average, minimum and maximum server response time per server, for TCP "
		"request/response exchanges and DNS queries (microseconds).";
	_Static_assert(sizeof description <= EXPERT_DESCRIPTION_MAX, "description too long");
	strcpy(info->name, "Server Response Time");
	strcpy(info->vendor, "expert-exec");
	memcpy(info->description, description, sizeof description);
	info->version = EXPERT_VERSION(1, 0);
	info->flags = EXPERT_FLAG_CONFIGURABLE;
	return true;
}

/* ---- configuration ------------------------------------------------------ */

static struct {
	uint32_t min_exchanges;
} config = { .min_exchanges = 1 };

ExpertError expert_configure(ExpertKey *key)
{
	uint64_t n = config.min_exchanges;
	if (!settings_count(expert_config_get(key, "min_exchanges"), 1, UINT32_MAX, &n))
		return refuse_setting(key, "min_exchanges", "a count from 1 to 4294967295");
	config.min_exchanges = (uint32_t)n;
	return EXPERT_OK;
}

/* ---- state -------------------------------------------------------------- */

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

/* ---- measurements ------------------------------------------------------- */

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Table full: that connection or query is not followed, the rest is. */
static ExpertError tolerate_full(Srt *s, ExpertError err)
{
	if (err == EXPERT_ERR_NO_MEMORY || err == EXPERT_ERR_OVERFLOW) {
		s->untracked++;
		return EXPERT_OK;
	}
	return err;
}

static ExpertError record(Srt *s, Proto proto, uint8_t version, const uint8_t *addr, uint16_t port,
                          int64_t rt_ns)
{
	if (rt_ns < 0) {
		s->negative++;
		return EXPERT_OK;
	}
	ServerKey k;
	memset(&k, 0, sizeof k);
	k.proto = (uint8_t)proto;
	k.version = version;
	k.port = port;
	memcpy(k.addr, addr, version == 4 ? 4 : 16);
	void *entry;
	bool added;
	ExpertError err = table_upsert(&s->servers, &k, &entry, &added);
	if (err != EXPERT_OK)
		return tolerate_full(s, err);
	Server *srv = entry;
	uint64_t rt = (uint64_t)rt_ns;
	if (added || rt < srv->min_ns)
		srv->min_ns = rt;
	if (added || rt > srv->max_ns)
		srv->max_ns = rt;
	srv->exchanges++;
	srv->sum_ns += rt;
	if (proto == PROTO_TCP)
		s->tcp_exchanges++;
	else
		s->dns_exchanges++;
	return EXPERT_OK;
}

/* One DNS message from src to dst, complete at ts_ns. */
static ExpertError dns_message(Srt *s, uint8_t transport, uint8_t version, const uint8_t *src,
                               uint16_t src_port, const uint8_t *dst, uint16_t dst_port,
                               uint16_t id, bool response, int64_t ts_ns)
{
	size_t alen = version == 4 ? 4 : 16;
	DnsKey k;
	memset(&k, 0, sizeof k);
	k.transport = transport;
	k.version = version;
	k.id = id;
	if (response) {
		if (src_port != DNS_PORT)
			return EXPERT_OK;
		memcpy(k.client, dst, alen);
		memcpy(k.server, src, alen);
		k.client_port = dst_port;
		k.server_port = src_port;
		DnsTransaction *t = table_find(&s->dns, &k);
		if (t == NULL || t->answered) {
			s->dns_unmatched_responses++;
			return EXPERT_OK;
		}
		t->answered = true;
		return record(s, PROTO_DNS, version, src, 0, ts_ns - t->query_ns);
	}
	if (dst_port != DNS_PORT)
		return EXPERT_OK;
	memcpy(k.client, src, alen);
	memcpy(k.server, dst, alen);
	k.client_port = src_port;
	k.server_port = dst_port;
	void *entry;
	bool added;
	ExpertError err = table_upsert(&s->dns, &k, &entry, &added);
	if (err != EXPERT_OK)
		return tolerate_full(s, err);
	DnsTransaction *t = entry;
	/* A retransmission keeps the first query's time. */
	if (added || t->answered || ts_ns - t->query_ns >= DNS_RETRANSMISSION_NS) {
		t->answered = false;
		t->query_ns = ts_ns;
	}
	return EXPERT_OK;
}

/* DNS over TCP: messages with a 2-byte length prefix, possibly several in a
 * segment or one over several segments. Bytes not captured end the walk. */
static ExpertError tcp_dns(Srt *s, TcpDnsState *st, const Segment *seg)
{
	uint32_t at = 0;
	while (at < seg->payload_len) {
		if (st->remaining > 0) {
			uint32_t n = seg->payload_len - at < st->remaining ? seg->payload_len - at
			                                                   : st->remaining;
			st->remaining -= n;
			at += n;
			if (st->remaining == 0 && st->have_header) {
				st->have_header = false;
				ExpertError err = dns_message(s, 6, seg->version, seg->src, seg->src_port,
				                              seg->dst, seg->dst_port, st->id, st->response,
				                              seg->ts_ns);
				if (err != EXPERT_OK)
					return err;
			}
			continue;
		}
		if (at + 2 + DNS_HEADER_LEN > seg->payload_captured)
			return EXPERT_OK; /* not there to read: lose track until a new one */
		const uint8_t *m = seg->payload + at;
		st->remaining = 2u + be16(m);
		st->have_header = be16(m) >= DNS_HEADER_LEN;
		st->id = be16(m + 2);
		st->response = (m[4] & 0x80) != 0;
	}
	return EXPERT_OK;
}

static int endpoint_cmp(const uint8_t *a, uint16_t a_port, const uint8_t *b, uint16_t b_port)
{
	int c = memcmp(a, b, 16);
	if (c != 0)
		return c;
	return a_port < b_port ? -1 : a_port > b_port;
}

static ExpertError tcp_segment(Srt *s, const Segment *seg)
{
	uint8_t src[16] = { 0 }, dst[16] = { 0 };
	memcpy(src, seg->src, seg->version == 4 ? 4 : 16);
	memcpy(dst, seg->dst, seg->version == 4 ? 4 : 16);
	ConnKey k;
	memset(&k, 0, sizeof k);
	k.version = seg->version;
	unsigned from = endpoint_cmp(src, seg->src_port, dst, seg->dst_port) <= 0 ? 0 : 1;
	memcpy(k.addr[from], src, 16);
	k.port[from] = seg->src_port;
	memcpy(k.addr[1 - from], dst, 16);
	k.port[1 - from] = seg->dst_port;

	void *entry;
	bool added;
	ExpertError err = table_upsert(&s->conns, &k, &entry, &added);
	if (err != EXPERT_OK)
		return tolerate_full(s, err);
	Conn *c = entry;
	bool syn = (seg->tcp_flags & (PACKET_TCP_SYN | PACKET_TCP_ACK)) == PACKET_TCP_SYN;
	if (syn) {
		memset(&c->server, 0, sizeof *c - offsetof(Conn, server));
		c->server = (uint8_t)(1 - from);
	} else if (added) {
		/* No SYN: the well-known (lower) port serves; a tie, the
		 * destination of what was seen first. */
		c->server = seg->src_port < seg->dst_port ? (uint8_t)from : (uint8_t)(1 - from);
	}
	if (seg->payload_len == 0)
		return EXPERT_OK;
	int64_t request_ns = c->request_ns;
	bool answered = false;
	if (from != c->server) {
		c->pending = true;
		c->request_ns = seg->ts_ns;
	} else if (c->pending) {
		c->pending = false;
		answered = true;
	}
	if (seg->src_port == DNS_PORT || seg->dst_port == DNS_PORT) {
		/* c stays valid: tcp_dns grows the DNS and server tables only. */
		err = tcp_dns(s, &c->dns[from], seg);
		if (err != EXPERT_OK)
			return err;
	}
	if (answered)
		return record(s, PROTO_TCP, seg->version, seg->src, seg->src_port,
		              seg->ts_ns - request_ns);
	return EXPERT_OK;
}

static ExpertError handle_segment(Srt *s, const Segment *seg)
{
	if (seg->transport == PACKET_TRANSPORT_TCP)
		return tcp_segment(s, seg);
	if (seg->transport == PACKET_TRANSPORT_UDP && seg->dns)
		return dns_message(s, 17, seg->version, seg->src, seg->src_port, seg->dst,
		                   seg->dst_port, seg->dns_id, seg->dns_response, seg->ts_ns);
	return EXPERT_OK;
}

/* ---- frames --------------------------------------------------------------- */

static bool first_matches(const FirstFragment *f, const PacketIp *ip)
{
	size_t alen = ip->version == 4 ? 4 : 16;
	return f->used && f->version == ip->version && f->proto == ip->proto && f->id == ip->id &&
	       memcmp(f->src, ip->src, alen) == 0 && memcmp(f->dst, ip->dst, alen) == 0;
}

static void dns_header(Segment *seg, const uint8_t *payload, uint32_t captured)
{
	if (seg->src_port != DNS_PORT && seg->dst_port != DNS_PORT)
		return;
	if (captured < DNS_HEADER_LEN)
		return;
	seg->dns = true;
	seg->dns_id = be16(payload);
	seg->dns_response = (payload[2] & 0x80) != 0;
}

static ExpertError handle_frame(void *ctx, const ExpertFrame *frame)
{
	Srt *s = ctx;
	Packet p;
	packet_parse(&p, frame->link_type, frame->data, frame->cap_len);
	const PacketIp *ip = packet_inner_ip(&p);
	if (ip == NULL)
		return EXPERT_OK;
	Segment seg = {
		.ts_ns = frame->ts_sec * 1000000000ll + frame->ts_nsec,
		.version = ip->version,
		.src = ip->src,
		.dst = ip->dst,
		.transport = p.transport,
	};
	if (p.transport == PACKET_TRANSPORT_TCP) {
		seg.src_port = p.tcp.src_port;
		seg.dst_port = p.tcp.dst_port;
		seg.tcp_flags = p.tcp.flags;
		seg.payload_len = p.tcp.payload_len;
		seg.payload_captured = p.tcp.payload_captured;
		seg.payload = seg.payload_captured ? frame->data + p.tcp.payload_offset : NULL;
	} else if (p.transport == PACKET_TRANSPORT_UDP) {
		seg.src_port = p.udp.src_port;
		seg.dst_port = p.udp.dst_port;
		seg.payload_len = p.udp.payload_len;
		seg.payload_captured = p.udp.payload_captured;
		seg.payload = seg.payload_captured ? frame->data + p.udp.payload_offset : NULL;
		dns_header(&seg, seg.payload, seg.payload_captured);
	} else if (!ip->fragment) {
		return EXPERT_OK;
	}
	if (!ip->fragment)
		return handle_segment(s, &seg);

	if (ip->frag_offset == 0) {
		/* A first fragment: remember what the datagram is. */
		if (seg.transport != PACKET_TRANSPORT_TCP && seg.transport != PACKET_TRANSPORT_UDP)
			return EXPERT_OK;
		FirstFragment *f = &s->first[s->next_first];
		s->next_first = (s->next_first + 1) % FIRST_FRAGMENTS_MAX;
		*f = (FirstFragment){
			.used = true, .version = ip->version, .proto = ip->proto, .id = ip->id,
			.transport = seg.transport, .src_port = seg.src_port, .dst_port = seg.dst_port,
			.tcp_flags = seg.tcp_flags,
			.transport_header = seg.transport == PACKET_TRANSPORT_TCP ? (uint32_t)p.tcp.header_len
			                                                           : 8u,
			.dns = seg.dns, .dns_id = seg.dns_id, .dns_response = seg.dns_response,
		};
		memcpy(f->src, ip->src, sizeof f->src);
		memcpy(f->dst, ip->dst, sizeof f->dst);
		return EXPERT_OK;
	}
	if (ip->more_fragments)
		return EXPERT_OK;
	/* The last fragment: the datagram as its first fragment described it. */
	for (unsigned i = 0; i < FIRST_FRAGMENTS_MAX; i++) {
		FirstFragment *f = &s->first[i];
		if (!first_matches(f, ip))
			continue;
		f->used = false;
		uint32_t datagram = (uint32_t)ip->frag_offset * 8 + ip->payload_len;
		if (datagram < f->transport_header)
			return EXPERT_OK;
		seg.transport = f->transport;
		seg.src_port = f->src_port;
		seg.dst_port = f->dst_port;
		seg.tcp_flags = f->tcp_flags;
		seg.payload_len = datagram - f->transport_header;
		seg.payload = NULL; /* in other frames: DNS over TCP is not walked here */
		seg.payload_captured = 0;
		seg.dns = f->dns;
		seg.dns_id = f->dns_id;
		seg.dns_response = f->dns_response;
		return handle_segment(s, &seg);
	}
	return EXPERT_OK;
}

/* ---- reporting ---------------------------------------------------------- */

static uint64_t avg_us(const Server *srv)
{
	return srv->sum_ns / srv->exchanges / NS_PER_US;
}

/* Before: a higher average, then more exchanges, then the key. */
static bool server_before(const Server *a, const Server *b)
{
	uint64_t aa = avg_us(a), ab = avg_us(b);
	if (aa != ab)
		return aa > ab;
	if (a->exchanges != b->exchanges)
		return a->exchanges > b->exchanges;
	return memcmp(&a->key, &b->key, sizeof a->key) < 0;
}

/* Heap sort: in place, no recursion, no allocation. */
static void sift_down(const Server **v, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		/* A max-heap of "after": the element sorting last rises. */
		if (child + 1 < n && server_before(v[child], v[child + 1]))
			child++;
		if (!server_before(v[root], v[child]))
			return;
		const Server *t = v[root];
		v[root] = v[child];
		v[child] = t;
		root = child;
	}
}

static void sort_servers(const Server **v, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(v, i, n);
	for (size_t end = n; end-- > 1;) {
		const Server *t = v[0];
		v[0] = v[end];
		v[end] = t;
		sift_down(v, 0, end);
	}
}

#define LABEL_MAX (FORMAT_ADDRESS_MAX + 16)

static ExpertError report_server(ExpertKey *key, const Server *srv)
{
	char addr[FORMAT_ADDRESS_MAX], port[FORMAT_U64_MAX], label[LABEL_MAX];
	format_ip(srv->key.version, srv->key.addr, addr);
	bool tcp = srv->key.proto == PROTO_TCP;
	const char *port_digits = format_u64(srv->key.port, port);
	/* "[2001:db8::1]:443", "10.0.0.1:80" or "dns 10.0.0.53" */
	size_t len = 0;
	label[0] = '\0';
	if (tcp) {
		format_append(label, sizeof label, &len, srv->key.version == 6 ? "[" : "");
		format_append(label, sizeof label, &len, addr);
		format_append(label, sizeof label, &len, srv->key.version == 6 ? "]:" : ":");
		format_append(label, sizeof label, &len, port_digits);
	} else {
		format_append(label, sizeof label, &len, "dns ");
		format_append(label, sizeof label, &len, addr);
	}
	Event ev;
	event_init(&ev);
	event_add(&ev, "protocol", tcp ? "tcp" : "dns");
	event_add(&ev, "server", addr);
	/* DNS servers are counted by address alone. */
	if (tcp)
		event_add(&ev, "port", port_digits);
	event_add_u64(&ev, "exchanges", srv->exchanges);
	event_add_u64(&ev, "avg_us", avg_us(srv));
	event_add_u64(&ev, "min_us", srv->min_ns / NS_PER_US);
	event_add_u64(&ev, "max_us", srv->max_ns / NS_PER_US);
	return event_submit(&ev, key, EXPERT_SEVERITY_INFO, label);
}

static ExpertError report_total(const Srt *s, uint64_t servers, uint64_t reported)
{
	uint64_t exchanges = 0, sum = 0, min = UINT64_MAX, max = 0;
	for (uint32_t i = 0; i < s->servers.n_entries; i++) {
		const Server *srv = table_entry(&s->servers, i);
		exchanges += srv->exchanges;
		sum += srv->sum_ns;
		min = srv->min_ns < min ? srv->min_ns : min;
		max = srv->max_ns > max ? srv->max_ns : max;
	}
	uint64_t unanswered = 0;
	for (uint32_t i = 0; i < s->dns.n_entries; i++) {
		const DnsTransaction *t = table_entry(&s->dns, i);
		unanswered += !t->answered;
	}
	Event ev;
	event_init(&ev);
	event_add_u64(&ev, "servers", servers);
	event_add_u64(&ev, "servers_reported", reported);
	event_add_u64(&ev, "exchanges", exchanges);
	event_add_u64(&ev, "tcp_exchanges", s->tcp_exchanges);
	event_add_u64(&ev, "dns_exchanges", s->dns_exchanges);
	event_add_u64(&ev, "avg_us", exchanges ? sum / exchanges / NS_PER_US : 0);
	event_add_u64(&ev, "min_us", exchanges ? min / NS_PER_US : 0);
	event_add_u64(&ev, "max_us", max / NS_PER_US);
	event_add_u64(&ev, "dns_unanswered_queries", unanswered);
	event_add_u64(&ev, "dns_unmatched_responses", s->dns_unmatched_responses);
	event_add_u64(&ev, "negative_times_skipped", s->negative);
	event_add_u64(&ev, "untracked", s->untracked);
	return event_submit(&ev, s->key,
	                    s->untracked ? EXPERT_SEVERITY_WARNING : EXPERT_SEVERITY_INFO, "total");
}

static ExpertError report(Srt *s)
{
	size_t n = 0;
	for (uint32_t i = 0; i < s->servers.n_entries; i++) {
		const Server *srv = table_entry(&s->servers, i);
		n += srv->exchanges >= config.min_exchanges;
	}
	const Server **order = NULL;
	if (n > 0) {
		void *block;
		ExpertError err = expert_alloc_memory(s->key, n * sizeof *order, &block);
		if (err != EXPERT_OK)
			return err;
		order = block;
	}
	size_t k = 0;
	for (uint32_t i = 0; i < s->servers.n_entries; i++) {
		const Server *srv = table_entry(&s->servers, i);
		if (srv->exchanges >= config.min_exchanges)
			order[k++] = srv;
	}
	sort_servers(order, n);
	size_t reported = n < SERVERS_REPORTED_MAX ? n : SERVERS_REPORTED_MAX;
	ExpertError err = EXPERT_OK;
	for (size_t i = 0; i < reported && err == EXPERT_OK; i++)
		err = report_server(s->key, order[i]);
	expert_free_memory(s->key, order);
	if (err == EXPERT_OK)
		err = report_total(s, s->servers.n_entries, reported);
	return err;
}

/* ---- run -------------------------------------------------------------- */

/* Room for this many entries at first, in each of the three tables. */
#define TABLE_INITIAL_ENTRIES 128u

int expert_run(ExpertKey *key)
{
	/* A few KiB of first fragments: on the stack, which the sandbox leaves
	 * alone. */
	Srt s = { .key = key };
	table_init(&s.conns, key, sizeof(Conn), sizeof(ConnKey), TABLE_INITIAL_ENTRIES);
	table_init(&s.dns, key, sizeof(DnsTransaction), sizeof(DnsKey), TABLE_INITIAL_ENTRIES);
	table_init(&s.servers, key, sizeof(Server), sizeof(ServerKey), TABLE_INITIAL_ENTRIES);
	ExpertCaptureInfo info;
	ExpertError err = expert_get_capture_info(key, &info);
	if (err == EXPERT_OK)
		err = progress_each_frame(key, info.frame_count, handle_frame, &s);
	if (err == EXPERT_OK)
		err = expert_indicate_status(key, EXPERT_STATE_FINISHING, 100, "reporting");
	if (err == EXPERT_OK)
		err = report(&s);
	table_free(&s.conns);
	table_free(&s.dns);
	table_free(&s.servers);
	return (int)err;
}
