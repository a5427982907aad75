/* top-talkers.c — the Top Talkers expert.
 *
 * Frames and bytes sent and received per address, for MAC, IPv4 and IPv6
 * addresses, as tshark's `-z endpoints,eth|ip|ipv6` count them:
 *
 *  - bytes are frame lengths on the wire (orig_len), for every layer;
 *  - a MAC address counts once per Ethernet frame (source: sent, destination:
 *    received); Linux cooked and raw captures have none;
 *  - an IP address counts once per IP header of the frame: an IP-in-IP
 *    tunnel counts its outer and inner addresses;
 *  - headers quoted inside ICMP errors are not counted (they describe some
 *    other packet), nor is an IPv4 header whose total length is shorter
 *    than the header itself (tshark calls it bogus and skips it too).
 *
 * Reports the top N of each layer, ranked by total bytes (or frames) sent
 * and received, one event per (layer, rank).
 *
 * Where tshark would count more (none of it occurs in the bundled captures):
 * headers inside tunnels other than IP-in-IP (GRE, Teredo, VXLAN: their
 * inner Ethernet and IP headers), and the inner header of a fragmented
 * IP-in-IP packet, which tshark counts once it has reassembled it.
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
#include "format.h"
#include "packet.h"
#include "settings.h"

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
	if (!settings_count(expert_config_get(key, "top"), 1, UINT64_MAX, &config.top) ||
	    !settings_choice(expert_config_get(key, "by"), by_names, &by) ||
	    !settings_set(expert_config_get(key, "layers"), layer_names, &mask))
		return EXPERT_ERR_INVALID_ARGUMENT;
	config.by = (RankBy)by;
	config.layer_mask = mask;
	return EXPERT_OK;
}

/* ---- the table -------------------------------------------------------- */

/* One address of one layer. The key (layer, addr) is compared whole, so
 * unused address bytes stay zero. */
typedef struct {
	uint8_t layer;
	uint8_t addr[16];
	uint64_t tx_frames;
	uint64_t tx_bytes;
	uint64_t rx_frames;
	uint64_t rx_bytes;
} Endpoint;

/* Entries live densely in insertion order, found through an open-addressing
 * index of slots (linear probing, at most half full). Both arrays grow by
 * expert_realloc_memory; growing the index rebuilds it from the entries. */
typedef struct {
	ExpertKey *key;
	Endpoint *entries;
	uint32_t n_entries;
	uint32_t entry_capacity;
	uint32_t *slots;       /* 0: empty; else entry index + 1 */
	uint32_t slot_capacity; /* a power of two */
} Table;

#define TABLE_INITIAL_ENTRIES 64u
#define TABLE_INITIAL_SLOTS 128u

static uint64_t hash_key(uint8_t layer, const uint8_t addr[16])
{
	/* FNV-1a, then a final mix so the low bits (the slot) depend on all. */
	uint64_t h = 0xcbf29ce484222325ull;
	h = (h ^ layer) * 0x100000001b3ull;
	for (int i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 0x100000001b3ull;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return h;
}

static ExpertError table_init(Table *t, ExpertKey *key)
{
	*t = (Table){ .key = key };
	void *entries, *slots;
	ExpertError err = expert_alloc_memory(key, TABLE_INITIAL_ENTRIES * sizeof(Endpoint),
	                                      &entries);
	if (err != EXPERT_OK)
		return err;
	t->entries = entries;
	t->entry_capacity = TABLE_INITIAL_ENTRIES;
	err = expert_alloc_memory(key, TABLE_INITIAL_SLOTS * sizeof(uint32_t), &slots);
	if (err != EXPERT_OK)
		return err;
	t->slots = slots;
	t->slot_capacity = TABLE_INITIAL_SLOTS;
	memset(t->slots, 0, TABLE_INITIAL_SLOTS * sizeof(uint32_t));
	return EXPERT_OK;
}

static ExpertError table_free(Table *t)
{
	ExpertError err = expert_free_memory(t->key, t->entries);
	ExpertError err2 = expert_free_memory(t->key, t->slots);
	t->entries = NULL;
	t->slots = NULL;
	return err != EXPERT_OK ? err : err2;
}

/* The slot where (layer, addr) is, or the empty slot where it would go. */
static uint32_t table_probe(const Table *t, uint8_t layer, const uint8_t addr[16])
{
	uint32_t mask = t->slot_capacity - 1;
	uint32_t i = (uint32_t)hash_key(layer, addr) & mask;
	for (;;) {
		uint32_t s = t->slots[i];
		if (s == 0)
			return i;
		const Endpoint *e = &t->entries[s - 1];
		if (e->layer == layer && memcmp(e->addr, addr, 16) == 0)
			return i;
		i = (i + 1) & mask;
	}
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
	for (uint32_t n = 0; n < t->n_entries; n++) {
		const Endpoint *e = &t->entries[n];
		t->slots[table_probe(t, e->layer, e->addr)] = n + 1;
	}
	return EXPERT_OK;
}

static ExpertError table_grow_entries(Table *t)
{
	if (t->entry_capacity > UINT32_MAX / 4)
		return EXPERT_ERR_OVERFLOW; /* slot_capacity must stay representable */
	uint32_t capacity = t->entry_capacity * 2;
	void *block;
	ExpertError err = expert_realloc_memory(t->key, t->entries,
	                                        (size_t)capacity * sizeof(Endpoint), &block);
	if (err != EXPERT_OK)
		return err;
	t->entries = block;
	t->entry_capacity = capacity;
	return EXPERT_OK;
}

/* The entry for (layer, addr), created with zero counts if new. */
static ExpertError table_get(Table *t, Layer layer, const uint8_t *addr, Endpoint **out)
{
	uint8_t key[16] = { 0 };
	memcpy(key, addr, layer_addr_len[layer]);
	uint32_t slot = table_probe(t, (uint8_t)layer, key);
	if (t->slots[slot] != 0) {
		*out = &t->entries[t->slots[slot] - 1];
		return EXPERT_OK;
	}
	ExpertError err;
	if (t->n_entries == t->entry_capacity && (err = table_grow_entries(t)) != EXPERT_OK)
		return err;
	if ((uint64_t)(t->n_entries + 1) * 2 > t->slot_capacity) {
		if ((err = table_grow_slots(t)) != EXPERT_OK)
			return err;
		slot = table_probe(t, (uint8_t)layer, key);
	}
	Endpoint *e = &t->entries[t->n_entries];
	*e = (Endpoint){ .layer = (uint8_t)layer };
	memcpy(e->addr, key, 16);
	t->slots[slot] = ++t->n_entries;
	*out = e;
	return EXPERT_OK;
}

/* One frame of length bytes from src to dst at this layer. */
static ExpertError count(Table *t, Layer layer, const uint8_t *src, const uint8_t *dst,
                         uint32_t bytes)
{
	if (!(config.layer_mask & (1u << layer)))
		return EXPERT_OK;
	Endpoint *e;
	ExpertError err = table_get(t, layer, src, &e);
	if (err != EXPERT_OK)
		return err;
	e->tx_frames++;
	e->tx_bytes += bytes;
	/* src == dst is one endpoint that both sent and received the frame, as
	 * in tshark. e is not kept across the second lookup, which may grow
	 * (move) the entries. */
	if ((err = table_get(t, layer, dst, &e)) != EXPERT_OK)
		return err;
	e->rx_frames++;
	e->rx_bytes += bytes;
	return EXPERT_OK;
}

static ExpertError count_frame(Table *t, const ExpertFrame *frame)
{
	Packet p;
	packet_parse(&p, frame->link_type, frame->data, frame->cap_len);
	ExpertError err = EXPERT_OK;
	if (p.link == PACKET_LINK_ETHERNET)
		err = count(t, LAYER_MAC, p.eth_src, p.eth_dst, frame->orig_len);
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
	if (a->layer != b->layer)
		return a->layer < b->layer;
	RankBy other = config.by == BY_BYTES ? BY_FRAMES : BY_BYTES;
	uint64_t ma = measure(a, config.by), mb = measure(b, config.by);
	if (ma != mb)
		return ma > mb;
	ma = measure(a, other), mb = measure(b, other);
	if (ma != mb)
		return ma > mb;
	return memcmp(a->addr, b->addr, 16) < 0;
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
	switch ((Layer)e->layer) {
	case LAYER_MAC:
		format_mac(e->addr, buf);
		return;
	case LAYER_IPV4:
		format_ipv4(e->addr, buf);
		return;
	case LAYER_IPV6:
	case LAYER_COUNT:
		break;
	}
	format_ipv6(e->addr, buf);
}

static ExpertError report_endpoint(ExpertKey *key, const Endpoint *e, uint64_t rank)
{
	char address[FORMAT_ADDRESS_MAX], rank_text[FORMAT_U64_MAX], tx_frames[FORMAT_U64_MAX],
		tx_bytes[FORMAT_U64_MAX], rx_frames[FORMAT_U64_MAX], rx_bytes[FORMAT_U64_MAX],
		frames[FORMAT_U64_MAX], bytes[FORMAT_U64_MAX];
	address_text(e, address);
	const char *layer = layer_names[e->layer];
	const ExpertEventDetail details[] = {
		{ "layer", layer },
		{ "rank", format_u64(rank, rank_text) },
		{ "address", address },
		{ "tx_frames", format_u64(e->tx_frames, tx_frames) },
		{ "tx_bytes", format_u64(e->tx_bytes, tx_bytes) },
		{ "rx_frames", format_u64(e->rx_frames, rx_frames) },
		{ "rx_bytes", format_u64(e->rx_bytes, rx_bytes) },
		{ "frames", format_u64(e->tx_frames + e->rx_frames, frames) },
		{ "bytes", format_u64(e->tx_bytes + e->rx_bytes, bytes) },
	};
	/* "ipv4 #1 141.142.220.118" */
	char text[8 + FORMAT_U64_MAX + FORMAT_ADDRESS_MAX];
	size_t len = 0;
	text[0] = '\0';
	format_append(text, sizeof text, &len, layer);
	format_append(text, sizeof text, &len, " #");
	format_append(text, sizeof text, &len, details[1].value);
	format_append(text, sizeof text, &len, " ");
	format_append(text, sizeof text, &len, address);
	return expert_submit_event(key, EXPERT_SEVERITY_INFO, text, details,
	                           sizeof details / sizeof details[0]);
}

/* Sorted entries: the first config.top of each configured layer. */
static ExpertError report(const Table *t)
{
	uint64_t rank = 0;
	uint8_t layer = LAYER_COUNT;
	for (uint32_t i = 0; i < t->n_entries; i++) {
		const Endpoint *e = &t->entries[i];
		rank = e->layer == layer ? rank + 1 : 1;
		layer = e->layer;
		if (rank > config.top)
			continue;
		ExpertError err = report_endpoint(t->key, e, rank);
		if (err != EXPERT_OK)
			return err;
	}
	return EXPERT_OK;
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

static ExpertError count_frames(ExpertKey *key, Table *table)
{
	ExpertCaptureInfo info;
	ExpertError err = expert_get_capture_info(key, &info);
	if (err != EXPERT_OK)
		return err;
	if ((err = report_progress(key, 0, 0, info.frame_count)) != EXPERT_OK)
		return err;
	uint64_t n = 0;
	int reported = 0;
	for (;;) {
		ExpertFrame frame;
		err = expert_get_next_frame(key, &frame);
		if (err == EXPERT_ERR_END_OF_CAPTURE)
			return EXPERT_OK;
		if (err != EXPERT_OK)
			return err;
		if ((err = count_frame(table, &frame)) != EXPERT_OK)
			return err;
		n++;
		/* About every 1%, not every frame: each status is a message. */
		if (info.frame_count > 0) {
			int percent = n >= info.frame_count ? 100 : (int)(n * 100 / info.frame_count);
			if (percent > reported) {
				reported = percent;
				if ((err = report_progress(key, percent, n, info.frame_count)) != EXPERT_OK)
					return err;
			}
		}
	}
}

int expert_run(ExpertKey *key)
{
	Table table;
	ExpertError err = table_init(&table, key);
	if (err == EXPERT_OK)
		err = count_frames(key, &table);
	if (err == EXPERT_OK)
		err = expert_indicate_status(key, EXPERT_STATE_FINISHING, 100, "ranking");
	if (err == EXPERT_OK) {
		/* The index is not needed past this point: sorting moves entries. */
		sort_endpoints(table.entries, table.n_entries);
		err = report(&table);
	}
	ExpertError free_err = table_free(&table);
	if (err == EXPERT_OK)
		err = free_err;
	/* Any failure, EXPERT_ERR_TERMINATE included, is the run's own result:
	 * the error code is what the user sees as the expert's return value. */
	return (int)err;
}
