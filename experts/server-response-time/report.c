/* report.c — Server Response Time's events: one per server, by average
 * response time descending (at most SERVERS_REPORTED_MAX), then a total. */
#include "srt.h"

#include "events.h"
#include "format.h"

#include <string.h>

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

ExpertError srt_report(Srt *s, uint32_t min_exchanges)
{
	size_t n = 0;
	for (uint32_t i = 0; i < s->servers.n_entries; i++) {
		const Server *srv = table_entry(&s->servers, i);
		n += srv->exchanges >= min_exchanges;
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
		if (srv->exchanges >= min_exchanges)
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

