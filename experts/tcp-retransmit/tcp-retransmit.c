/* tcp-retransmit.c — the TCP Retransmissions expert.
 *
 * Retransmitted segments per TCP connection, with totals, by tshark's
 * sequence analysis (Wireshark 4.0, epan/dissectors/packet-tcp.c,
 * tcp_analyze_sequence_number): a frame counts when tshark would mark it
 * tcp.analysis.retransmission, fast_retransmission or
 * spurious_retransmission. The state machine is in analysis.c; this file
 * keys connections, keeps the books and talks to the host.
 *
 * A connection is tshark's TCP conversation: the two addresses and ports,
 * with no VLAN (so the same 4-tuple on three VLANs is one conversation, and
 * its copies look like retransmissions), and a new one when a SYN arrives
 * with another initial sequence number (port reuse). The addresses are the
 * innermost IP header's: TCP inside a tunnel (IP in IP, GRE, GTP-U, VXLAN)
 * is analysed, keyed as tshark keys it, without the tunnel's addresses.
 *
 * A TCP header not all there (packet.h's truncation rule: the snaplen cut
 * its options, say) is tshark's too: with its first 16 bytes it opens or
 * continues its connection (a stream number) and goes through the sequence
 * analysis, but it is never called a retransmission (tshark stops before
 * saying so) and is not counted in the connection's frames or tcp_frames
 * (tshark's conversation table leaves it out); tcp_headers_cut counts it.
 * A connection with no frame counted is not one of "connections".
 *
 * Configuration (expert-exec run --config tcp-retransmit:KEY=VALUE):
 *   vlan_aware   no | yes (default no). yes: the VLAN IDs of the frame
 *                (outermost first) are part of the connection key, so a flow
 *                seen on several VLANs (a capture from several SPAN points) is
 *                several connections, and a copy is not a retransmission.
 *   list_frames  no | yes (default no). yes: one event per retransmitted frame
 *                as well, in capture order.
 *   max_listed   0 or more (default 1000): at most this many connection
 *                events, and at most this many frame events; the total,
 *                always sent, counts the ones left out. (A profile bounds
 *                the events of a run; past it the host stops the expert.)
 *
 * Events: one per retransmitted frame if list_frames=yes; then one per
 * connection with retransmissions, in the order the connections started
 * (each list cut at max_listed); then "total".
 *
 * Where it differs from tshark, on purpose or for want of reassembly:
 *  - vlan_aware=yes (not the default) is not tshark's key;
 *  - a TCP segment inside an IP fragment is skipped (tshark analyses the
 *    reassembled segment, on the frame of the last fragment);
 *  - MPTCP's tolerance of duplicate ACKs is not modelled (see analysis.h).
 *
 * Runs under the strict profile: memory only from the host, no stdio.
 */
#include "analysis.h"
#include "events.h"
#include "format.h"
#include "packet.h"
#include "progress.h"
#include "refuse.h"
#include "settings.h"
#include "table.h"

#include <expert.h>
#include <string.h>

bool expert_register(ExpertInfo *info)
{
	static const char description[] =
		"Retransmitted TCP segments per connection, with totals, as tshark's "
		"tcp.analysis flags them (retransmission, fast and spurious). "
		"Settings: vlan_aware=no|yes, list_frames=no|yes, max_listed=N.";
	_Static_assert(sizeof description <= EXPERT_DESCRIPTION_MAX, "description too long");
	strcpy(info->name, "TCP Retransmissions");
	strcpy(info->vendor, "expert-exec");
	memcpy(info->description, description, sizeof description);
	info->version = EXPERT_VERSION(1, 0);
	info->flags = EXPERT_FLAG_CONFIGURABLE;
	return true;
}

/* ---- configuration ---------------------------------------------------- */

/* A profile bounds the events of a run (strict: 10000); past the bound the
 * host stops the expert and the total is lost. So at most this many
 * connection events, and as many frame events, are sent; the total says how
 * many more there were. */
#define MAX_LISTED_DEFAULT 1000u

/* Set by expert_configure, read by expert_run: one run per process. */
static struct {
	bool vlan_aware;
	bool list_frames;
	uint64_t max_listed;
} config = { false, false, MAX_LISTED_DEFAULT };

ExpertError expert_configure(ExpertKey *key)
{
	config.vlan_aware = false;
	config.list_frames = false;
	config.max_listed = MAX_LISTED_DEFAULT;
	if (!settings_yes_no(expert_config_get(key, "vlan_aware"), &config.vlan_aware))
		return refuse_setting(key, "vlan_aware", "yes or no");
	if (!settings_yes_no(expert_config_get(key, "list_frames"), &config.list_frames))
		return refuse_setting(key, "list_frames", "yes or no");
	if (!settings_count(expert_config_get(key, "max_listed"), 0, UINT32_MAX, &config.max_listed))
		return refuse_setting(key, "max_listed", "a count from 0 to 4294967295");
	return EXPERT_OK;
}

/* ---- connections ------------------------------------------------------ */

/* Direction-free: endpoint 0 is the lower (address, port). Zeroed before
 * filling, so it compares whole with memcmp. */
typedef struct {
	uint8_t version;   /* 4 or 6 */
	uint8_t n_vlans;   /* 0 unless vlan_aware */
	uint16_t port[2];
	uint16_t vlan[PACKET_VLAN_MAX];
	uint8_t addr[2][16];
} ConnKey;

typedef struct {
	ConnKey key;
	TcpConversation tcp;   /* tshark's per-conversation state */
	uint32_t stream;       /* 0, 1, ...: tshark's tcp.stream when keys agree */
	int8_t client;         /* endpoint that sent the SYN; -1 while unknown */
	int8_t first_sender;   /* endpoint that sent the first frame */
	uint64_t frames;
	uint64_t retransmitted_frames;
	uint64_t retransmitted_bytes; /* TCP payload (tcp.len) of those */
	uint64_t fast;         /* of which fast retransmissions */
	uint64_t spurious;     /* of which spurious */
} Conn;

/* Connections live in a table (table.h) in the order they start; a reused
 * 4-tuple starts a new one, which from then on is what the key finds. */
#define TABLE_INITIAL_CONNS 16u

/* A new connection for key. */
static ExpertError conn_start(Table *t, const ConnKey *key, Conn **out)
{
	void *entry;
	ExpertError err = table_add(t, key, &entry);
	if (err != EXPERT_OK)
		return err;
	Conn *c = entry;
	c->stream = t->n_entries - 1;
	c->client = -1;
	tcp_conversation_init(&c->tcp);
	*out = c;
	return EXPERT_OK;
}

/* ---- one frame -------------------------------------------------------- */

/* The key of p's connection and which endpoint of it sent p. */
static unsigned conn_key(const Packet *p, ConnKey *key)
{
	const PacketIp *ip = packet_inner_ip(p);
	memset(key, 0, sizeof *key);
	key->version = ip->version;
	if (config.vlan_aware) {
		key->n_vlans = p->n_vlans;
		for (unsigned i = 0; i < p->n_vlans; i++)
			key->vlan[i] = p->vlan[i].id;
	}
	int order = memcmp(ip->src, ip->dst, ip->addr_len);
	if (order == 0)
		order = p->tcp.src_port < p->tcp.dst_port ? -1 : p->tcp.src_port > p->tcp.dst_port;
	unsigned sender = order <= 0 ? 0 : 1;
	memcpy(key->addr[sender], ip->src, ip->addr_len);
	memcpy(key->addr[!sender], ip->dst, ip->addr_len);
	key->port[sender] = p->tcp.src_port;
	key->port[!sender] = p->tcp.dst_port;
	return sender;
}

typedef struct {
	ExpertKey *key;
	Table table;
	uint64_t tcp_frames;
	uint64_t tcp_headers_cut;     /* analysed, not counted (see above) */
	uint64_t retransmitted_frames;
	uint64_t retransmitted_bytes;
	uint64_t frames_listed;       /* frame events sent */
	uint64_t connections_listed;  /* connection events sent */
} Run;

static const char *kind_name(TcpVerdict v)
{
	switch (v) {
	case TCP_FAST_RETRANSMISSION: return "fast";
	case TCP_SPURIOUS_RETRANSMISSION: return "spurious";
	case TCP_RETRANSMISSION:
	case TCP_NOT_RETRANSMITTED: break;
	}
	return "retransmission";
}

static ExpertError report_frame(Run *run, const ExpertFrame *frame, const Conn *c,
                                const TcpSegment *seg, uint32_t relative_seq, TcpVerdict v)
{
	char number[FORMAT_U64_MAX];
	const char *frame_number = format_u64(frame->number, number);
	Event ev;
	event_init(&ev);
	event_add(&ev, "frame", frame_number);
	event_add_u64(&ev, "stream", c->stream);
	event_add_u64(&ev, "seq", relative_seq);
	event_add_u64(&ev, "len", seg->len);
	event_add(&ev, "kind", kind_name(v));
	/* "retransmission in frame 32" */
	char text[32 + FORMAT_U64_MAX];
	size_t n = 0;
	text[0] = '\0';
	format_append(text, sizeof text, &n, kind_name(v));
	format_append(text, sizeof text, &n, v == TCP_RETRANSMISSION ? " in frame "
	                                                             : " retransmission in frame ");
	format_append(text, sizeof text, &n, frame_number);
	return event_submit(&ev, run->key, EXPERT_SEVERITY_WARNING, text);
}

static ExpertError analyse_frame(void *ctx, const ExpertFrame *frame)
{
	Run *run = ctx;
	Packet p;
	packet_parse(&p, frame->link_type, frame->data, frame->cap_len);
	/* A segment inside an IP fragment is only whole once reassembled,
	 * which we do not do (tshark analyses the reassembled one). */
	const PacketIp *ip = packet_inner_ip(&p);
	if (p.transport != PACKET_TRANSPORT_TCP || ip->fragment)
		return EXPERT_OK;
	bool counted = !p.tcp.header_cut;
	if (counted)
		run->tcp_frames++;
	else
		run->tcp_headers_cut++;

	ConnKey key;
	unsigned sender = conn_key(&p, &key);
	Conn *c = table_find(&run->table, &key);
	ExpertError err;

	TcpSegment seg = {
		.seq = p.tcp.seq, .ack = p.tcp.ack, .len = p.tcp.payload_len,
		.flags = p.tcp.flags, .window = p.tcp.window,
		/* Unsigned: a hostile timestamp wraps instead of overflowing. */
		.ts_ns = (int64_t)((uint64_t)frame->ts_sec * 1000000000u + frame->ts_nsec),
	};
	/* A SYN with another initial sequence number starts a new conversation
	 * on the same ports (tshark: "TCP Port numbers reused"). */
	if (c != NULL && tcp_conversation_is_reused(&c->tcp, sender, &seg))
		c = NULL;
	if (c == NULL) {
		if ((err = conn_start(&run->table, &key, &c)) != EXPERT_OK)
			return err;
		c->first_sender = (int8_t)sender;
	}
	c->frames += counted;
	if ((seg.flags & (PACKET_TCP_SYN | PACKET_TCP_ACK)) == PACKET_TCP_SYN && c->client < 0)
		c->client = (int8_t)sender;
	else if ((seg.flags & (PACKET_TCP_SYN | PACKET_TCP_ACK)) ==
	         (PACKET_TCP_SYN | PACKET_TCP_ACK) && c->client < 0)
		c->client = (int8_t)!sender;

	/* A segment shorter than its own header has no length: tshark keeps
	 * the connection's books but does not analyse it. */
	uint32_t relative_seq;
	TcpVerdict v = tcp_conversation_segment(&c->tcp, sender, &seg, !p.tcp.short_segment,
	                                        &relative_seq);
	if (v == TCP_NOT_RETRANSMITTED || !counted)
		return EXPERT_OK;
	c->retransmitted_frames++;
	c->retransmitted_bytes += seg.len;
	c->fast += v == TCP_FAST_RETRANSMISSION;
	c->spurious += v == TCP_SPURIOUS_RETRANSMISSION;
	run->retransmitted_frames++;
	run->retransmitted_bytes += seg.len;
	if (config.list_frames && run->frames_listed < config.max_listed) {
		run->frames_listed++;
		return report_frame(run, frame, c, &seg, relative_seq, v);
	}
	return EXPERT_OK;
}

/* ---- reporting -------------------------------------------------------- */

/* "10.10.1.4:1470 -> 74.53.140.153:25" (IPv6 addresses in brackets). */
static void conn_text(const Conn *c, unsigned client, char *buf, size_t cap,
                      char client_addr[FORMAT_ADDRESS_MAX], char server_addr[FORMAT_ADDRESS_MAX])
{
	format_ip(c->key.version, c->key.addr[client], client_addr);
	format_ip(c->key.version, c->key.addr[!client], server_addr);
	char port[FORMAT_U64_MAX];
	size_t n = 0;
	buf[0] = '\0';
	const char *open = c->key.version == 6 ? "[" : "", *close = c->key.version == 6 ? "]" : "";
	format_append(buf, cap, &n, open);
	format_append(buf, cap, &n, client_addr);
	format_append(buf, cap, &n, close);
	format_append(buf, cap, &n, ":");
	format_append(buf, cap, &n, format_u64(c->key.port[client], port));
	format_append(buf, cap, &n, " -> ");
	format_append(buf, cap, &n, open);
	format_append(buf, cap, &n, server_addr);
	format_append(buf, cap, &n, close);
	format_append(buf, cap, &n, ":");
	format_append(buf, cap, &n, format_u64(c->key.port[!client], port));
}

/* "none", or the IDs outermost first: "10.20". */
static void vlan_text(const ConnKey *key, char *buf, size_t cap)
{
	char id[FORMAT_U64_MAX];
	size_t n = 0;
	buf[0] = '\0';
	if (key->n_vlans == 0)
		format_append(buf, cap, &n, "none");
	for (unsigned i = 0; i < key->n_vlans; i++) {
		if (i > 0)
			format_append(buf, cap, &n, ".");
		format_append(buf, cap, &n, format_u64(key->vlan[i], id));
	}
}

/* The endpoint that sent the SYN (or received the SYN/ACK). Without the
 * handshake in the capture: the one with the higher port (servers listen on
 * the lower), and with equal ports the sender of the first frame. */
static unsigned conn_client(const Conn *c)
{
	if (c->client >= 0)
		return (unsigned)c->client;
	if (c->key.port[0] != c->key.port[1])
		return c->key.port[0] > c->key.port[1] ? 0 : 1;
	return (unsigned)c->first_sender;
}

static ExpertError report_conn(Run *run, const Conn *c)
{
	unsigned client = conn_client(c);
	char text[2 * FORMAT_ADDRESS_MAX + 64], client_addr[FORMAT_ADDRESS_MAX],
		server_addr[FORMAT_ADDRESS_MAX], vlans[PACKET_VLAN_MAX * 5 + 8];
	conn_text(c, client, text, sizeof text, client_addr, server_addr);
	vlan_text(&c->key, vlans, sizeof vlans);
	if (config.vlan_aware) {
		/* The same 4-tuple on other VLANs is another connection. */
		size_t n = strlen(text);
		format_append(text, sizeof text, &n, " vlan ");
		format_append(text, sizeof text, &n, vlans);
	}
	Event ev;
	event_init(&ev);
	event_add_u64(&ev, "stream", c->stream);
	event_add(&ev, "client", client_addr);
	event_add_u64(&ev, "client_port", c->key.port[client]);
	event_add(&ev, "server", server_addr);
	event_add_u64(&ev, "server_port", c->key.port[!client]);
	event_add_u64(&ev, "frames", c->frames);
	event_add_u64(&ev, "retransmitted_frames", c->retransmitted_frames);
	event_add_u64(&ev, "retransmitted_bytes", c->retransmitted_bytes);
	event_add_u64(&ev, "fast", c->fast);
	event_add_u64(&ev, "spurious", c->spurious);
	/* Only when part of the key: else the frames may have had any. */
	if (config.vlan_aware)
		event_add(&ev, "vlan", vlans);
	return event_submit(&ev, run->key, EXPERT_SEVERITY_WARNING, text);
}

static ExpertError report_total(Run *run)
{
	uint64_t with_retransmissions = 0, connections = 0;
	for (uint32_t i = 0; i < run->table.n_entries; i++) {
		const Conn *c = table_entry(&run->table, i);
		with_retransmissions += c->retransmitted_frames > 0;
		connections += c->frames > 0;
	}
	Event ev;
	event_init(&ev);
	event_add_u64(&ev, "connections", connections);
	event_add_u64(&ev, "connections_with_retransmissions", with_retransmissions);
	event_add_u64(&ev, "tcp_frames", run->tcp_frames);
	event_add_u64(&ev, "tcp_headers_cut", run->tcp_headers_cut);
	event_add_u64(&ev, "retransmitted_frames", run->retransmitted_frames);
	event_add_u64(&ev, "retransmitted_bytes", run->retransmitted_bytes);
	event_add_u64(&ev, "connections_not_listed", with_retransmissions - run->connections_listed);
	/* Only when frames were to be listed. */
	if (config.list_frames)
		event_add_u64(&ev, "frames_not_listed", run->retransmitted_frames - run->frames_listed);
	return event_submit(&ev, run->key, EXPERT_SEVERITY_INFO, "total");
}

static ExpertError report(Run *run)
{
	for (uint32_t i = 0; i < run->table.n_entries && run->connections_listed < config.max_listed;
	     i++) {
		const Conn *c = table_entry(&run->table, i);
		if (c->retransmitted_frames == 0)
			continue;
		ExpertError err = report_conn(run, c);
		if (err != EXPERT_OK)
			return err;
		run->connections_listed++;
	}
	return report_total(run);
}

/* ---- run -------------------------------------------------------------- */

int expert_run(ExpertKey *key)
{
	Run run = { .key = key };
	table_init(&run.table, key, sizeof(Conn), sizeof(ConnKey), TABLE_INITIAL_CONNS);
	ExpertCaptureInfo info;
	ExpertError err = expert_get_capture_info(key, &info);
	if (err == EXPERT_OK)
		err = progress_each_frame(key, info.frame_count, analyse_frame, &run);
	if (err == EXPERT_OK)
		err = expert_indicate_status(key, EXPERT_STATE_FINISHING, 100, "reporting");
	if (err == EXPERT_OK)
		err = report(&run);
	ExpertError free_err = table_free(&run.table);
	if (err == EXPERT_OK)
		err = free_err;
	/* Any failure, EXPERT_ERR_TERMINATE included, is the run's own result:
	 * the error code is what the user sees as the expert's return value. */
	return (int)err;
}
