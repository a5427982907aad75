/* exchanges.c — Server Response Time's clocks (see server-response-time.c
 * for the definitions): TCP exchanges per connection, DNS queries matched
 * with their responses, and the per-server figures they add to. */
#include "srt.h"

#include <stddef.h>
#include <string.h>

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

ExpertError srt_segment(Srt *s, const Segment *seg)
{
	if (seg->transport == PACKET_TRANSPORT_TCP)
		return tcp_segment(s, seg);
	if (seg->transport == PACKET_TRANSPORT_UDP && seg->dns)
		return dns_message(s, 17, seg->version, seg->src, seg->src_port, seg->dst,
		                   seg->dst_port, seg->dns_id, seg->dns_response, seg->ts_ns);
	return EXPERT_OK;
}

