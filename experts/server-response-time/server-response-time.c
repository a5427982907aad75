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
 * Tunnels (IP in IP, GRE, GTP-U, VXLAN): the exchange is the innermost IP
 * header's, timed and keyed by its addresses, as tshark's conversations of
 * the inner packet. A TCP header not all there (packet.h's truncation rule)
 * is a segment like any other once its first 16 bytes are: tshark knows its
 * length (tcp.len) from those; with fewer it is not a segment.
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
 *
 * This file walks the frames (fragments included); exchanges.c runs the
 * clocks, report.c sends the events.
 */
#include "progress.h"
#include "refuse.h"
#include "settings.h"
#include "srt.h"

#include <expert.h>
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

/* ---- frames --------------------------------------------------------------- */

static bool first_matches(const FirstFragment *f, const PacketIp *ip)
{
	size_t alen = ip->version == 4 ? 4 : 16;
	return f->used && f->version == ip->version && f->proto == ip->fragment_proto && f->id == ip->id &&
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
		return srt_segment(s, &seg);

	if (ip->frag_offset == 0) {
		/* A first fragment: remember what the datagram is. */
		if (seg.transport != PACKET_TRANSPORT_TCP && seg.transport != PACKET_TRANSPORT_UDP)
			return EXPERT_OK;
		FirstFragment *f = &s->first[s->next_first];
		s->next_first = (s->next_first + 1) % FIRST_FRAGMENTS_MAX;
		*f = (FirstFragment){
			.used = true, .version = ip->version, .proto = ip->fragment_proto, .id = ip->id,
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
		return srt_segment(s, &seg);
	}
	return EXPERT_OK;
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
		err = srt_report(&s, config.min_exchanges);
	table_free(&s.conns);
	table_free(&s.dns);
	table_free(&s.servers);
	return (int)err;
}
