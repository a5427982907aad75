/* top-talkers.c — the Top Talkers expert.
 *
 * Frames and bytes sent and received per address, for MAC, IPv4 and IPv6
 * addresses, as tshark's `-z endpoints,eth|ip|ipv6` count them:
 *
 *  - bytes are frame lengths on the wire (orig_len), for every layer;
 *  - a MAC address counts once per Ethernet header of the frame (source:
 *    sent, destination: received), the ones inside a tunnel (VXLAN, GRE)
 *    included; Linux cooked and raw captures have none of their own;
 *  - an IP address counts once per IP header of the frame: a tunnel (IP in
 *    IP, GRE, GTP-U, VXLAN) counts its outer and inner addresses;
 *  - a header counts only when all of it is there (packet.h's truncation
 *    rule): options and IPv6 extension headers included, as tshark's taps;
 *  - headers quoted inside ICMP errors are not counted (they describe some
 *    other packet), nor is an IPv4 header whose total length is shorter
 *    than the header itself (tshark calls it bogus and skips it too).
 *
 * Reports the top N of each layer, ranked by total bytes (or frames) sent
 * and received, one event per (layer, rank).
 *
 * Where tshark counts more: the headers inside a fragmented tunnel packet,
 * which tshark counts once it has reassembled the datagram (on its last
 * fragment), and those of tunnels the shared parser does not decode
 * (packet.h lists them).
 *
 * Configuration (expert-exec run --config top-talkers:KEY=VALUE):
 *   top     how many addresses per layer, 1 or more (default 10)
 *   by      bytes | frames: what ranks them (default bytes); ties go to
 *           the other measure, then to the lower address
 *   layers  comma-separated subset of mac, ipv4, ipv6 (default all three)
 *
 * Runs under the strict profile: memory only from expert_alloc_memory and
 * expert_realloc_memory, no stdio.
 */
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
		"Top N senders and receivers by frames and bytes, for MAC, IPv4 and IPv6 "
		"addresses, counted as tshark's endpoint tables count them. "
		"Settings: top=N, by=bytes|frames, layers=mac,ipv4,ipv6.";
	_Static_assert(sizeof description <= EXPERT_DESCRIPTION_MAX, "description too long");
	strcpy(info->name, "Top Talkers");
	strcpy(info->vendor, "expert-exec");
	memcpy(info->description, description, sizeof description);
	info->version = EXPERT_VERSION(1, 0);
	info->flags = EXPERT_FLAG_CONFIGURABLE;
	return true;
}

/* ---- configuration ---------------------------------------------------- */

/* The layers, in report order; also the key's first byte. */
typedef enum { LAYER_MAC, LAYER_IPV4, LAYER_IPV6, LAYER_COUNT } Layer;

/* As the "layers" setting and the "layer" detail name them. */
static const char *const layer_names[LAYER_COUNT + 1] = {
	[LAYER_MAC] = "mac", [LAYER_IPV4] = "ipv4", [LAYER_IPV6] = "ipv6", [LAYER_COUNT] = NULL,
};
static const uint8_t layer_addr_len[LAYER_COUNT] = {
	[LAYER_MAC] = 6, [LAYER_IPV4] = 4, [LAYER_IPV6] = 16,
};

typedef enum { BY_BYTES, BY_FRAMES } RankBy;

#define TOP_DEFAULT 10u

/* Set by expert_configure, read by expert_run: one run per process. */
static struct {
	uint64_t top;
	RankBy by;
	unsigned layer_mask; /* 1 << Layer */
} config = { TOP_DEFAULT, BY_BYTES, (1u << LAYER_COUNT) - 1 };

ExpertError expert_configure(ExpertKey *key)
{
	static const char *const by_names[] = { [BY_BYTES] = "bytes", [BY_FRAMES] = "frames", NULL };
	unsigned by = BY_BYTES;
	uint32_t mask = (1u << LAYER_COUNT) - 1;
	config.top = TOP_DEFAULT;
	if (!settings_count(expert_config_get(key, "top"), 1, UINT64_MAX, &config.top))
		return refuse_setting(key, "top", "a count of 1 or more");
	if (!settings_choice(expert_config_get(key, "by"), by_names, &by))
		return refuse_setting(key, "by", "bytes or frames");
	if (!settings_set(expert_config_get(key, "layers"), layer_names, &mask))
		return refuse_setting(key, "layers", "a comma-separated list of mac, ipv4 and ipv6");
	config.by = (RankBy)by;
	config.layer_mask = mask;
	return EXPERT_OK;
}

/* ---- the table -------------------------------------------------------- */

/* One address of one layer; compared whole, so unused address bytes stay
 * zero. */
typedef struct {
	uint8_t layer;
	uint8_t addr[16];
} EndpointKey;

/* In the table (table.h), its key first. */
typedef struct {
	EndpointKey key;
	uint64_t tx_frames;
	uint64_t tx_bytes;
	uint64_t rx_frames;
	uint64_t rx_bytes;
} Endpoint;

#define TABLE_INITIAL_ENTRIES 64u

/* The endpoint (layer, addr), created with zero counts if new. */
static ExpertError endpoint_get(Table *t, Layer layer, const uint8_t *addr, Endpoint **out)
{
	EndpointKey key = { .layer = (uint8_t)layer };
	memcpy(key.addr, addr, layer_addr_len[layer]);
	void *entry;
	bool added;
	ExpertError err = table_upsert(t, &key, &entry, &added);
	if (err == EXPERT_OK)
		*out = entry;
	return err;
}

/* One frame of length bytes from src to dst at this layer. */
static ExpertError count(Table *t, Layer layer, const uint8_t *src, const uint8_t *dst,
                         uint32_t bytes)
{
	if (!(config.layer_mask & (1u << layer)))
		return EXPERT_OK;
	Endpoint *e;
	ExpertError err = endpoint_get(t, layer, src, &e);
	if (err != EXPERT_OK)
		return err;
	e->tx_frames++;
	e->tx_bytes += bytes;
	/* src == dst is one endpoint that both sent and received the frame, as
	 * in tshark. e is not kept across the second lookup, which may grow
	 * (move) the entries. */
	if ((err = endpoint_get(t, layer, dst, &e)) != EXPERT_OK)
		return err;
	e->rx_frames++;
	e->rx_bytes += bytes;
	return EXPERT_OK;
}

static ExpertError count_frame(void *table, const ExpertFrame *frame)
{
	Table *t = table;
	Packet p;
	packet_parse(&p, frame->link_type, frame->data, frame->cap_len);
	ExpertError err = EXPERT_OK;
	for (unsigned i = 0; err == EXPERT_OK && i < p.n_eth; i++)
		err = count(t, LAYER_MAC, p.eth[i].src, p.eth[i].dst, frame->orig_len);
	for (unsigned i = 0; err == EXPERT_OK && i < p.n_ip; i++)
		err = count(t, p.ip[i].version == 4 ? LAYER_IPV4 : LAYER_IPV6, p.ip[i].src,
		            p.ip[i].dst, frame->orig_len);
	return err;
}

/* ---- ranking ---------------------------------------------------------- */

static uint64_t measure(const Endpoint *e, RankBy by)
{
	return by == BY_BYTES ? e->tx_bytes + e->rx_bytes : e->tx_frames + e->rx_frames;
}

/* Whether a comes before b: layer in report order, then the configured
 * measure descending, the other measure descending, the address ascending
 * (so the order is total and the report deterministic). */
static bool ranks_before(const Endpoint *a, const Endpoint *b)
{
	if (a->key.layer != b->key.layer)
		return a->key.layer < b->key.layer;
	RankBy other = config.by == BY_BYTES ? BY_FRAMES : BY_BYTES;
	uint64_t ma = measure(a, config.by), mb = measure(b, config.by);
	if (ma != mb)
		return ma > mb;
	ma = measure(a, other), mb = measure(b, other);
	if (ma != mb)
		return ma > mb;
	return memcmp(a->key.addr, b->key.addr, 16) < 0;
}

static void swap(Endpoint *a, Endpoint *b)
{
	Endpoint tmp = *a;
	*a = *b;
	*b = tmp;
}

static void sift_down(Endpoint *v, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		/* A max-heap in "ranks later" order, so the result ascends. */
		if (child + 1 < n && ranks_before(&v[child], &v[child + 1]))
			child++;
		if (!ranks_before(&v[root], &v[child]))
			return;
		swap(&v[root], &v[child]);
		root = child;
	}
}

/* Heapsort: in place and O(n log n) with no memory at all. (libc's qsort
 * may allocate, and asks the kernel how much memory the machine has, which
 * the strict profile does not allow.) */
static void sort_endpoints(Endpoint *v, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(v, i, n);
	for (size_t end = n; end-- > 1;) {
		swap(&v[0], &v[end]);
		sift_down(v, 0, end);
	}
}

/* ---- reporting -------------------------------------------------------- */

static void address_text(const Endpoint *e, char buf[FORMAT_ADDRESS_MAX])
{
	switch ((Layer)e->key.layer) {
	case LAYER_MAC:
		format_mac(e->key.addr, buf);
		return;
	case LAYER_IPV4:
		format_ipv4(e->key.addr, buf);
		return;
	case LAYER_IPV6:
	case LAYER_COUNT:
		break;
	}
	format_ipv6(e->key.addr, buf);
}

static ExpertError report_endpoint(ExpertKey *key, const Endpoint *e, uint64_t rank)
{
	char address[FORMAT_ADDRESS_MAX], rank_text[FORMAT_U64_MAX];
	address_text(e, address);
	const char *layer = layer_names[e->key.layer];
	const char *rank_digits = format_u64(rank, rank_text);
	Event ev;
	event_init(&ev);
	event_add(&ev, "layer", layer);
	event_add(&ev, "rank", rank_digits);
	event_add(&ev, "address", address);
	event_add_u64(&ev, "tx_frames", e->tx_frames);
	event_add_u64(&ev, "tx_bytes", e->tx_bytes);
	event_add_u64(&ev, "rx_frames", e->rx_frames);
	event_add_u64(&ev, "rx_bytes", e->rx_bytes);
	event_add_u64(&ev, "frames", e->tx_frames + e->rx_frames);
	event_add_u64(&ev, "bytes", e->tx_bytes + e->rx_bytes);
	/* "ipv4 #1 141.142.220.118" */
	char text[8 + FORMAT_U64_MAX + FORMAT_ADDRESS_MAX];
	size_t len = 0;
	text[0] = '\0';
	format_append(text, sizeof text, &len, layer);
	format_append(text, sizeof text, &len, " #");
	format_append(text, sizeof text, &len, rank_digits);
	format_append(text, sizeof text, &len, " ");
	format_append(text, sizeof text, &len, address);
	return event_submit(&ev, key, EXPERT_SEVERITY_INFO, text);
}

/* Sorted entries: the first config.top of each configured layer. */
static ExpertError report(const Table *t)
{
	uint64_t rank = 0;
	uint8_t layer = LAYER_COUNT;
	for (uint32_t i = 0; i < t->n_entries; i++) {
		const Endpoint *e = table_entry(t, i);
		rank = e->key.layer == layer ? rank + 1 : 1;
		layer = e->key.layer;
		if (rank > config.top)
			continue;
		ExpertError err = report_endpoint(t->key, e, rank);
		if (err != EXPERT_OK)
			return err;
	}
	return EXPERT_OK;
}

/* ---- run -------------------------------------------------------------- */

int expert_run(ExpertKey *key)
{
	Table table;
	table_init(&table, key, sizeof(Endpoint), sizeof(EndpointKey), TABLE_INITIAL_ENTRIES);
	ExpertCaptureInfo info;
	ExpertError err = expert_get_capture_info(key, &info);
	if (err == EXPERT_OK)
		err = progress_each_frame(key, info.frame_count, count_frame, &table);
	if (err == EXPERT_OK)
		err = expert_indicate_status(key, EXPERT_STATE_FINISHING, 100, "ranking");
	if (err == EXPERT_OK) {
		/* The index is not needed past this point: sorting moves entries
		 * (laid out as an array of Endpoint, table.h). */
		sort_endpoints((Endpoint *)table.entries, table.n_entries);
		err = report(&table);
	}
	ExpertError free_err = table_free(&table);
	if (err == EXPERT_OK)
		err = free_err;
	/* Any failure, EXPERT_ERR_TERMINATE included, is the run's own result:
	 * the error code is what the user sees as the expert's return value. */
	return (int)err;
}
