/* reassembly.c — IPv4 fragment reassembly with RFC 815 hole lists; see
 * reassembly.h for the contract. */
#include "reassembly.h"

#include <string.h>

/* The hole at the end of a datagram whose end is not known yet. */
#define HOLE_OPEN UINT32_MAX
#define IPV4_MAX 65535u
#define IPV4_HEADER_MIN 20u
#define INITIAL_LIST 4u

typedef struct {
	uint32_t start, end; /* [start, end) of the payload, still missing */
} Hole;

struct ReasmDatagram {
	/* RFC 791's key. */
	uint8_t src[4], dst[4];
	uint16_t id;
	uint8_t proto;
	bool rejected;       /* inconsistent: buffers freed, key kept */
	bool have_first;     /* the offset-0 fragment's headers are in buf */
	bool have_end;       /* a fragment with MF clear was seen */
	uint8_t ip_len;      /* of the offset-0 fragment */
	uint8_t link_len;
	uint32_t end;        /* payload length, once have_end */
	uint32_t extent;     /* highest payload byte seen, plus one */
	uint8_t *buf;        /* REASM_HEADROOM, then the payload */
	size_t buf_cap;
	Hole *holes;         /* sorted, disjoint */
	uint32_t n_holes, holes_cap;
	uint64_t *frames;    /* frame numbers, arrival order */
	uint32_t n_frames, frames_cap;
};

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

uint16_t reasm_ipv4_checksum(const uint8_t *header, size_t len)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get_be16(header + i);
	if (len & 1)
		sum += (uint32_t)header[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

void reasm_init(Reasm *r, ReasmAllocator alloc, ReasmSink sink, uint32_t max_datagrams,
                uint64_t max_bytes)
{
	*r = (Reasm){ .alloc = alloc, .sink = sink, .max_datagrams = max_datagrams ? max_datagrams : 1,
	              .max_bytes = max_bytes };
}

/* ---- one datagram's memory -------------------------------------------- */

static uint64_t datagram_bytes(const ReasmDatagram *d)
{
	return d->buf_cap + (uint64_t)d->holes_cap * sizeof(Hole) +
	       (uint64_t)d->frames_cap * sizeof(uint64_t);
}

static void datagram_free(Reasm *r, ReasmDatagram *d)
{
	void *unused;
	r->bytes -= datagram_bytes(d);
	/* Freeing cannot fail for blocks we own; the result carries no news. */
	r->alloc.realloc(r->alloc.ctx, d->buf, 0, &unused);
	r->alloc.realloc(r->alloc.ctx, d->holes, 0, &unused);
	r->alloc.realloc(r->alloc.ctx, d->frames, 0, &unused);
	d->buf = NULL;
	d->holes = NULL;
	d->frames = NULL;
	d->buf_cap = 0;
	d->holes_cap = d->frames_cap = 0;
}

/* Removes datagram i, keeping the others oldest first. */
static void datagram_remove(Reasm *r, uint32_t i)
{
	datagram_free(r, &r->datagrams[i]);
	memmove(&r->datagrams[i], &r->datagrams[i + 1],
	        (size_t)(r->n_datagrams - i - 1) * sizeof(ReasmDatagram));
	r->n_datagrams--;
}

/* Releases datagram i's fragments (unless it was rejected, whose fragments
 * are gone already) and removes it. */
static ExpertError datagram_release(Reasm *r, uint32_t i, ReasmRelease why)
{
	ReasmDatagram *d = &r->datagrams[i];
	ExpertError err = EXPERT_OK;
	if (!d->rejected) {
		if (why == REASM_RELEASE_EVICTED)
			r->stats.evicted++;
		else
			r->stats.incomplete++;
		if (d->n_frames > 0)
			err = r->sink.release(r->sink.ctx, why, d->frames, d->n_frames);
	}
	datagram_remove(r, i);
	return err;
}

/* Inconsistent: what it held leaves now, with the fragment that showed it;
 * the key stays, so later fragments follow. */
static ExpertError datagram_reject(Reasm *r, ReasmDatagram *d, uint64_t frame)
{
	ExpertError err = EXPERT_OK;
	r->stats.rejected++;
	if (d->n_frames > 0)
		err = r->sink.release(r->sink.ctx, REASM_RELEASE_INCONSISTENT, d->frames, d->n_frames);
	if (err == EXPERT_OK)
		err = r->sink.release(r->sink.ctx, REASM_RELEASE_INCONSISTENT, &frame, 1);
	datagram_free(r, d);
	d->rejected = true;
	d->n_holes = d->n_frames = 0;
	return err;
}

/* ---- holes -------------------------------------------------------------- */

/* Whether the bytes of [a, b) that are already filled equal the new ones. */
static bool overlap_consistent(const ReasmDatagram *d, uint32_t a, uint32_t b,
                               const uint8_t *payload)
{
	const uint8_t *have = d->buf + REASM_HEADROOM;
	uint32_t at = a;
	for (uint32_t k = 0; k < d->n_holes && at < b; k++) {
		const Hole *h = &d->holes[k];
		if (h->end <= at)
			continue;
		if (h->start > at) {
			uint32_t to = h->start < b ? h->start : b;
			if (memcmp(have + at, payload + (at - a), to - at) != 0)
				return false;
		}
		at = h->end;
	}
	/* Past the last hole everything is filled (the end is then known). */
	if (at < b && memcmp(have + at, payload + (at - a), b - at) != 0)
		return false;
	return true;
}

/* Removes [a, b) from the holes; there is room for one more hole. */
static void holes_fill(ReasmDatagram *d, uint32_t a, uint32_t b)
{
	for (uint32_t k = 0; k < d->n_holes; k++) {
		Hole h = d->holes[k];
		if (h.start < a && h.end > b) {
			/* Strictly inside one hole: it splits, and no other hole
			 * meets [a, b). */
			memmove(&d->holes[k + 2], &d->holes[k + 1], (d->n_holes - k - 1) * sizeof(Hole));
			d->holes[k] = (Hole){ h.start, a };
			d->holes[k + 1] = (Hole){ b, h.end };
			d->n_holes++;
			return;
		}
	}
	uint32_t out = 0;
	for (uint32_t k = 0; k < d->n_holes; k++) {
		Hole h = d->holes[k];
		if (h.end <= a || h.start >= b)
			d->holes[out++] = h;
		else if (h.start < a)
			d->holes[out++] = (Hole){ h.start, a };
		else if (h.end > b)
			d->holes[out++] = (Hole){ b, h.end };
	}
	d->n_holes = out;
}

/* The end is known: nothing is missing past it. */
static void holes_close(ReasmDatagram *d, uint32_t end)
{
	uint32_t out = 0;
	for (uint32_t k = 0; k < d->n_holes; k++) {
		Hole h = d->holes[k];
		if (h.start >= end)
			continue;
		if (h.end > end)
			h.end = end;
		d->holes[out++] = h;
	}
	d->n_holes = out;
}

/* ---- bounds ------------------------------------------------------------- */

static size_t grown(size_t cap, size_t need, size_t initial, size_t most)
{
	if (need <= cap)
		return cap;
	size_t c = cap ? cap : initial;
	while (c < need && c < most)
		c = c > most / 2 ? most : c * 2;
	return c < need ? need : c;
}

/* Evicts the oldest pending datagrams other than *keep until `more` bytes
 * fit under max_bytes; *keep follows its datagram. *fits is false if they
 * cannot fit even with every other datagram gone. */
static ExpertError make_room(Reasm *r, uint32_t *keep, uint64_t more, bool *fits)
{
	uint32_t i = 0;
	while (r->bytes + more > r->max_bytes && i < r->n_datagrams) {
		if (i == *keep || r->datagrams[i].rejected) {
			i++;
			continue;
		}
		ExpertError err = datagram_release(r, i, REASM_RELEASE_EVICTED);
		if (i < *keep)
			(*keep)--;
		if (err != EXPERT_OK)
			return err;
	}
	*fits = r->bytes + more <= r->max_bytes;
	return EXPERT_OK;
}

static ExpertError grow_block(Reasm *r, void **block, size_t old_bytes, size_t new_bytes)
{
	if (new_bytes == old_bytes)
		return EXPERT_OK;
	void *out;
	ExpertError err = r->alloc.realloc(r->alloc.ctx, *block, new_bytes, &out);
	if (err != EXPERT_OK)
		return err;
	*block = out;
	r->bytes += new_bytes - old_bytes;
	return EXPERT_OK;
}

/* A new pending datagram for this key, oldest evicted if the slots are
 * full. Its index is *index. */
static ExpertError datagram_new(Reasm *r, const uint8_t *ip, uint32_t *index)
{
	if (r->n_datagrams >= r->max_datagrams) {
		ExpertError err = datagram_release(r, 0, REASM_RELEASE_EVICTED);
		if (err != EXPERT_OK)
			return err;
	}
	if (r->n_datagrams == r->capacity) {
		size_t cap = grown(r->capacity, (size_t)r->capacity + 1, 16, r->max_datagrams);
		void *block = r->datagrams;
		ExpertError err = r->alloc.realloc(r->alloc.ctx, block, cap * sizeof(ReasmDatagram),
		                                   &block);
		if (err != EXPERT_OK)
			return err;
		r->datagrams = block;
		r->capacity = (uint32_t)cap;
	}
	ReasmDatagram *d = &r->datagrams[r->n_datagrams];
	*d = (ReasmDatagram){ .id = get_be16(ip + 4), .proto = ip[9] };
	memcpy(d->src, ip + 12, 4);
	memcpy(d->dst, ip + 16, 4);
	*index = r->n_datagrams++;
	return EXPERT_OK;
}

static bool datagram_matches(const ReasmDatagram *d, const uint8_t *ip)
{
	return d->id == get_be16(ip + 4) && d->proto == ip[9] && memcmp(d->src, ip + 12, 4) == 0 &&
	       memcmp(d->dst, ip + 16, 4) == 0;
}

/* ---- adding ------------------------------------------------------------- */

/* The datagram is whole: headers fixed, one frame to the sink. */
static ExpertError datagram_complete(Reasm *r, uint32_t i)
{
	ReasmDatagram *d = &r->datagrams[i];
	uint8_t *ip = d->buf + REASM_HEADROOM - d->ip_len;
	put_be16(ip + 2, (uint16_t)(d->ip_len + d->end));
	/* Keep the reserved and DF bits; MF and the offset go. */
	put_be16(ip + 6, get_be16(ip + 6) & 0xc000);
	put_be16(ip + 10, 0);
	put_be16(ip + 10, reasm_ipv4_checksum(ip, d->ip_len));
	const uint8_t *frame = ip - d->link_len;
	r->stats.completed++;
	r->stats.fragments_completed += d->n_frames;
	ExpertError err = r->sink.complete(r->sink.ctx, frame, (size_t)d->link_len + d->ip_len + d->end,
	                                   d->frames, d->n_frames);
	datagram_remove(r, i);
	return err;
}

ExpertError reasm_add(Reasm *r, const ReasmFragment *f, ReasmVerdict *verdict)
{
	*verdict = REASM_NOT_HELD;
	const uint8_t *ip = f->ip;
	if (f->ip_len < IPV4_HEADER_MIN || f->ip_len > REASM_IPV4_HEADER_MAX || (ip[0] >> 4) != 4 ||
	    (size_t)(ip[0] & 0x0f) * 4 != f->ip_len)
		return EXPERT_OK;
	uint16_t field = get_be16(ip + 6);
	bool more = field & 0x2000;
	uint32_t a = (uint32_t)(field & 0x1fff) * 8;
	if (!more && a == 0)
		return EXPERT_OK;
	if (f->payload_len > IPV4_MAX || (more && (f->payload_len == 0 || f->payload_len % 8 != 0)))
		return EXPERT_OK;
	if (a == 0 && f->link_len > REASM_LINK_HEADER_MAX)
		return EXPERT_OK;
	uint32_t b = a + (uint32_t)f->payload_len;
	*verdict = REASM_HELD;

	uint32_t i = 0;
	while (i < r->n_datagrams && !datagram_matches(&r->datagrams[i], ip))
		i++;
	ExpertError err;
	if (i == r->n_datagrams) {
		err = datagram_new(r, ip, &i);
		if (err != EXPERT_OK)
			return err;
	}
	ReasmDatagram *d = &r->datagrams[i];
	if (d->rejected)
		return r->sink.release(r->sink.ctx, REASM_RELEASE_INCONSISTENT, &f->frame, 1);

	uint32_t header = a == 0 ? (uint32_t)f->ip_len : d->have_first ? d->ip_len : IPV4_HEADER_MIN;
	uint32_t extent = d->extent > b ? d->extent : b;
	bool consistent = header + extent <= IPV4_MAX &&
	                  !(d->have_end && (b > d->end || (!more && b != d->end))) &&
	                  !(!more && d->extent > b);
	if (consistent && d->buf)
		consistent = overlap_consistent(d, a, b, f->payload);
	if (!consistent)
		return datagram_reject(r, d, f->frame);

	/* Room first, growth after: making room may move this datagram. */
	size_t buf_cap = d->buf_cap, holes_cap = d->holes_cap, frames_cap = d->frames_cap;
	size_t new_buf = grown(buf_cap, REASM_HEADROOM + (size_t)b, REASM_HEADROOM + 1024,
	                       REASM_HEADROOM + IPV4_MAX);
	size_t new_holes = grown(holes_cap, d->holes ? (size_t)d->n_holes + 1 : 2, INITIAL_LIST,
	                         SIZE_MAX / sizeof(Hole));
	size_t new_frames = grown(frames_cap, (size_t)d->n_frames + 1, INITIAL_LIST,
	                          SIZE_MAX / sizeof(uint64_t));
	uint64_t more_bytes = (new_buf - buf_cap) + (new_holes - holes_cap) * sizeof(Hole) +
	                      (new_frames - frames_cap) * sizeof(uint64_t);
	/* Too big even alone: give it up without pushing the others out. */
	bool fits = datagram_bytes(d) + more_bytes <= r->max_bytes;
	if (fits) {
		err = make_room(r, &i, more_bytes, &fits);
		if (err != EXPERT_OK)
			return err;
		d = &r->datagrams[i];
	}
	if (!fits) {
		err = datagram_release(r, i, REASM_RELEASE_EVICTED);
		if (err == EXPERT_OK)
			err = r->sink.release(r->sink.ctx, REASM_RELEASE_EVICTED, &f->frame, 1);
		return err;
	}
	void *block = d->buf;
	err = grow_block(r, &block, buf_cap, new_buf);
	d->buf = block;
	d->buf_cap = err == EXPERT_OK ? new_buf : buf_cap;
	if (err == EXPERT_OK) {
		block = d->holes;
		err = grow_block(r, &block, holes_cap * sizeof(Hole), new_holes * sizeof(Hole));
		d->holes = block;
		d->holes_cap = (uint32_t)(err == EXPERT_OK ? new_holes : holes_cap);
	}
	if (err == EXPERT_OK) {
		block = d->frames;
		err = grow_block(r, &block, frames_cap * sizeof(uint64_t), new_frames * sizeof(uint64_t));
		d->frames = block;
		d->frames_cap = (uint32_t)(err == EXPERT_OK ? new_frames : frames_cap);
	}
	if (err != EXPERT_OK)
		return err;

	if (d->n_frames == 0)
		d->holes[d->n_holes++] = (Hole){ 0, HOLE_OPEN };
	memcpy(d->buf + REASM_HEADROOM + a, f->payload, f->payload_len);
	if (a == 0 && !d->have_first) {
		d->have_first = true;
		d->ip_len = (uint8_t)f->ip_len;
		d->link_len = (uint8_t)f->link_len;
		uint8_t *at = d->buf + REASM_HEADROOM - f->ip_len;
		memcpy(at, f->ip, f->ip_len);
		memcpy(at - f->link_len, f->link, f->link_len);
	}
	holes_fill(d, a, b);
	d->extent = extent;
	if (!more && !d->have_end) {
		d->have_end = true;
		d->end = b;
		holes_close(d, b);
	}
	d->frames[d->n_frames++] = f->frame;
	if (d->have_end && d->n_holes == 0)
		return datagram_complete(r, i);
	return EXPERT_OK;
}

ExpertError reasm_finish(Reasm *r)
{
	ExpertError err = EXPERT_OK;
	while (r->n_datagrams > 0) {
		ExpertError e = datagram_release(r, 0, REASM_RELEASE_INCOMPLETE);
		if (err == EXPERT_OK)
			err = e;
	}
	reasm_discard(r);
	return err;
}

void reasm_discard(Reasm *r)
{
	while (r->n_datagrams > 0)
		datagram_remove(r, r->n_datagrams - 1);
	void *unused;
	r->alloc.realloc(r->alloc.ctx, r->datagrams, 0, &unused);
	r->datagrams = NULL;
	r->capacity = 0;
	r->bytes = 0;
}
