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
 * with another initial sequence number (port reuse).
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
#include "format.h"
#include "packet.h"
#include "settings.h"

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
	if (!settings_yes_no(expert_config_get(key, "vlan_aware"), &config.vlan_aware) ||
	    !settings_yes_no(expert_config_get(key, "list_frames"), &config.list_frames) ||
	    !settings_count(expert_config_get(key, "max_listed"), 0, UINT32_MAX,
	                    &config.max_listed))
		return EXPERT_ERR_INVALID_ARGUMENT;
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

/* Connections live densely in the order they start (a reused 4-tuple starts
 * a new one); an open-addressing index maps a key to its newest connection.
 * Both arrays grow by expert_realloc_memory; growing the index rebuilds it. */
typedef struct {
	ExpertKey *key;
	Conn *conns;
	uint32_t n_conns;
	uint32_t conn_capacity;
	uint32_t *slots;        /* 0: empty; else connection index + 1 */
	uint32_t slot_capacity; /* a power of two */
	uint32_t n_keys;        /* occupied slots */
} Table;

#define TABLE_INITIAL_CONNS 16u
#define TABLE_INITIAL_SLOTS 32u

static uint64_t hash_key(const ConnKey *k)
{
	const uint8_t *p = (const uint8_t *)k;
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < sizeof *k; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return h;
}

static ExpertError table_init(Table *t, ExpertKey *key)
{
	*t = (Table){ .key = key };
	void *conns, *slots;
	ExpertError err = expert_alloc_memory(key, TABLE_INITIAL_CONNS * sizeof(Conn), &conns);
	if (err != EXPERT_OK)
		return err;
	t->conns = conns;
	t->conn_capacity = TABLE_INITIAL_CONNS;
	if ((err = expert_alloc_memory(key, TABLE_INITIAL_SLOTS * sizeof(uint32_t), &slots)) !=
	    EXPERT_OK)
		return err;
	t->slots = slots;
	t->slot_capacity = TABLE_INITIAL_SLOTS;
	memset(t->slots, 0, TABLE_INITIAL_SLOTS * sizeof(uint32_t));
	return EXPERT_OK;
}

static ExpertError table_free(Table *t)
{
	ExpertError err = expert_free_memory(t->key, t->conns);
	ExpertError err2 = expert_free_memory(t->key, t->slots);
	t->conns = NULL;
	t->slots = NULL;
	return err != EXPERT_OK ? err : err2;
}

/* The slot holding key, or the empty slot where it would go. */
static uint32_t table_probe(const Table *t, const ConnKey *key)
{
	uint32_t mask = t->slot_capacity - 1;
	uint32_t i = (uint32_t)hash_key(key) & mask;
	while (t->slots[i] != 0 && memcmp(&t->conns[t->slots[i] - 1].key, key, sizeof *key) != 0)
		i = (i + 1) & mask;
	return i;
}

static ExpertError table_grow_slots(Table *t)
{
	if (t->slot_capacity > UINT32_MAX / 2)
		return EXPERT_ERR_OVERFLOW;
	uint32_t capacity = t->slot_capacity * 2;
	void *block;
	ExpertError err = expert_realloc_memory(t->key, t->slots,
	                                        (size_t)capacity * sizeof(uint32_t), &block);
	if (err != EXPERT_OK)
		return err;
	t->slots = block;
	t->slot_capacity = capacity;
	memset(t->slots, 0, (size_t)capacity * sizeof(uint32_t));
	/* Later connections of a reused key win: they are what the key means. */
	for (uint32_t n = 0; n < t->n_conns; n++)
		t->slots[table_probe(t, &t->conns[n].key)] = n + 1;
	return EXPERT_OK;
}

/* A new connection for key, which from now on is what key finds. */
static ExpertError table_start(Table *t, const ConnKey *key, uint32_t slot, Conn **out)
{
	ExpertError err;
	if (t->n_conns == t->conn_capacity) {
		if (t->conn_capacity > UINT32_MAX / 4)
			return EXPERT_ERR_OVERFLOW;
		uint32_t capacity = t->conn_capacity * 2;
		void *block;
		err = expert_realloc_memory(t->key, t->conns, (size_t)capacity * sizeof(Conn), &block);
		if (err != EXPERT_OK)
			return err;
		t->conns = block;
		t->conn_capacity = capacity;
	}
	if (t->slots[slot] == 0) {
		if ((uint64_t)(t->n_keys + 1) * 2 > t->slot_capacity) {
			if ((err = table_grow_slots(t)) != EXPERT_OK)
				return err;
			slot = table_probe(t, key);
		}
		t->n_keys++;
	}
	Conn *c = &t->conns[t->n_conns];
	memset(c, 0, sizeof *c);
	c->key = *key;
	c->stream = t->n_conns;
	c->client = -1;
	tcp_conversation_init(&c->tcp);
	t->slots[slot] = ++t->n_conns;
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
	char number[FORMAT_U64_MAX], stream[FORMAT_U64_MAX], seq[FORMAT_U64_MAX],
		len[FORMAT_U64_MAX];
	const ExpertEventDetail details[] = {
		{ "frame", format_u64(frame->number, number) },
		{ "stream", format_u64(c->stream, stream) },
		{ "seq", format_u64(relative_seq, seq) },
		{ "len", format_u64(seg->len, len) },
		{ "kind", kind_name(v) },
	};
	/* "retransmission in frame 32" */
	char text[32 + FORMAT_U64_MAX];
	size_t n = 0;
	text[0] = '\0';
	format_append(text, sizeof text, &n, kind_name(v));
	format_append(text, sizeof text, &n, v == TCP_RETRANSMISSION ? " in frame "
	                                                             : " retransmission in frame ");
	format_append(text, sizeof text, &n, details[0].value);
	return expert_submit_event(run->key, EXPERT_SEVERITY_WARNING, text, details,
	                           sizeof details / sizeof details[0]);
}

static ExpertError analyse_frame(Run *run, const ExpertFrame *frame)
{
	Packet p;
	packet_parse(&p, frame->link_type, frame->data, frame->cap_len);
	/* A segment inside an IP fragment is only whole once reassembled,
	 * which we do not do (tshark analyses the reassembled one). */
	const PacketIp *ip = packet_inner_ip(&p);
	if (p.transport != PACKET_TRANSPORT_TCP || ip->fragment)
		return EXPERT_OK;
	run->tcp_frames++;

	ConnKey key;
	unsigned sender = conn_key(&p, &key);
	uint32_t slot = table_probe(&run->table, &key);
	Conn *c = NULL;
	ExpertError err;
	if (run->table.slots[slot] != 0)
		c = &run->table.conns[run->table.slots[slot] - 1];

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
		if ((err = table_start(&run->table, &key, slot, &c)) != EXPERT_OK)
			return err;
		c->first_sender = (int8_t)sender;
	}
	c->frames++;
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
	if (v == TCP_NOT_RETRANSMITTED)
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
	char stream[FORMAT_U64_MAX], client_port[FORMAT_U64_MAX], server_port[FORMAT_U64_MAX],
		frames[FORMAT_U64_MAX], retx[FORMAT_U64_MAX], bytes[FORMAT_U64_MAX],
		fast[FORMAT_U64_MAX], spurious[FORMAT_U64_MAX];
	conn_text(c, client, text, sizeof text, client_addr, server_addr);
	vlan_text(&c->key, vlans, sizeof vlans);
	if (config.vlan_aware) {
		/* The same 4-tuple on other VLANs is another connection. */
		size_t n = strlen(text);
		format_append(text, sizeof text, &n, " vlan ");
		format_append(text, sizeof text, &n, vlans);
	}
	ExpertEventDetail details[] = {
		{ "stream", format_u64(c->stream, stream) },
		{ "client", client_addr },
		{ "client_port", format_u64(c->key.port[client], client_port) },
		{ "server", server_addr },
		{ "server_port", format_u64(c->key.port[!client], server_port) },
		{ "frames", format_u64(c->frames, frames) },
		{ "retransmitted_frames", format_u64(c->retransmitted_frames, retx) },
		{ "retransmitted_bytes", format_u64(c->retransmitted_bytes, bytes) },
		{ "fast", format_u64(c->fast, fast) },
		{ "spurious", format_u64(c->spurious, spurious) },
		{ "vlan", vlans },
	};
	size_t n_details = sizeof details / sizeof details[0];
	if (!config.vlan_aware)
		n_details--; /* not part of the key: the frames may have had any */
	return expert_submit_event(run->key, EXPERT_SEVERITY_WARNING, text, details, n_details);
}

static ExpertError report_total(Run *run)
{
	uint64_t with_retransmissions = 0;
	for (uint32_t i = 0; i < run->table.n_conns; i++)
		with_retransmissions += run->table.conns[i].retransmitted_frames > 0;
	char conns[FORMAT_U64_MAX], with[FORMAT_U64_MAX], tcp[FORMAT_U64_MAX],
		frames[FORMAT_U64_MAX], bytes[FORMAT_U64_MAX], conns_left[FORMAT_U64_MAX],
		frames_left[FORMAT_U64_MAX];
	const ExpertEventDetail details[] = {
		{ "connections", format_u64(run->table.n_conns, conns) },
		{ "connections_with_retransmissions", format_u64(with_retransmissions, with) },
		{ "tcp_frames", format_u64(run->tcp_frames, tcp) },
		{ "retransmitted_frames", format_u64(run->retransmitted_frames, frames) },
		{ "retransmitted_bytes", format_u64(run->retransmitted_bytes, bytes) },
		{ "connections_not_listed",
		  format_u64(with_retransmissions - run->connections_listed, conns_left) },
		{ "frames_not_listed",
		  format_u64(run->retransmitted_frames - run->frames_listed, frames_left) },
	};
	size_t n_details = sizeof details / sizeof details[0];
	if (!config.list_frames)
		n_details--; /* none were to be listed */
	return expert_submit_event(run->key, EXPERT_SEVERITY_INFO, "total", details, n_details);
}

static ExpertError report(Run *run)
{
	for (uint32_t i = 0; i < run->table.n_conns && run->connections_listed < config.max_listed;
	     i++) {
		const Conn *c = &run->table.conns[i];
		if (c->retransmitted_frames == 0)
			continue;
		ExpertError err = report_conn(run, c);
		if (err != EXPERT_OK)
			return err;
		run->connections_listed++;
	}
	return report_total(run);
}

/* "frame N of M" */
static ExpertError report_progress(ExpertKey *key, int percent, uint64_t n, uint64_t of)
{
	char text[64], digits[FORMAT_U64_MAX];
	size_t len = 0;
	text[0] = '\0';
	format_append(text, sizeof text, &len, "frame ");
	format_append(text, sizeof text, &len, format_u64(n, digits));
	format_append(text, sizeof text, &len, " of ");
	format_append(text, sizeof text, &len, format_u64(of, digits));
	return expert_indicate_status(key, EXPERT_STATE_RUNNING, percent, text);
}

/* ---- run -------------------------------------------------------------- */

static ExpertError analyse_frames(Run *run)
{
	ExpertCaptureInfo info;
	ExpertError err = expert_get_capture_info(run->key, &info);
	if (err != EXPERT_OK)
		return err;
	if ((err = report_progress(run->key, 0, 0, info.frame_count)) != EXPERT_OK)
		return err;
	uint64_t n = 0;
	int reported = 0;
	for (;;) {
		ExpertFrame frame;
		err = expert_get_next_frame(run->key, &frame);
		if (err == EXPERT_ERR_END_OF_CAPTURE)
			return EXPERT_OK;
		if (err != EXPERT_OK)
			return err;
		if ((err = analyse_frame(run, &frame)) != EXPERT_OK)
			return err;
		n++;
		/* About every 1%, not every frame: each status is a message. */
		if (info.frame_count > 0) {
			int percent = n >= info.frame_count ? 100 : (int)(n * 100 / info.frame_count);
			if (percent > reported) {
				reported = percent;
				err = report_progress(run->key, percent, n, info.frame_count);
				if (err != EXPERT_OK)
					return err;
			}
		}
	}
}

int expert_run(ExpertKey *key)
{
	Run run = { .key = key };
	ExpertError err = table_init(&run.table, key);
	if (err == EXPERT_OK)
		err = analyse_frames(&run);
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
