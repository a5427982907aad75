/* test-reassembly.c — experts/protocol-coalesce/reassembly.c: IPv4 fragments
 * in every order, overlaps that agree and that do not, the ends and sizes a
 * datagram may not have, the bounds, and the whole frame that comes out.
 *
 * Fragments are cut here from a datagram built byte by byte, so every
 * expected byte is known; the allocator is libc's with a count of live
 * blocks, so leaks show. */
#include "reassembly.h"

#include <glib.h>
#include <string.h>

#define LINK_LEN 14

/* ---- what the sink saw -------------------------------------------------- */

typedef struct {
	gboolean complete;      /* or a release */
	ReasmRelease why;
	GByteArray *frame;      /* complete only */
	GArray *frames;         /* of guint64 */
} Call;

typedef struct {
	GPtrArray *calls;       /* of Call* */
	int live_blocks;
} Fixture;

static void call_free(gpointer p)
{
	Call *c = p;
	if (c->frame)
		g_byte_array_unref(c->frame);
	g_array_unref(c->frames);
	g_free(c);
}

static Call *record(Fixture *fx, gboolean complete, const uint64_t *frames, size_t n)
{
	Call *c = g_new0(Call, 1);
	c->complete = complete;
	c->frames = g_array_new(FALSE, FALSE, sizeof(guint64));
	for (size_t i = 0; i < n; i++) {
		guint64 v = frames[i];
		g_array_append_val(c->frames, v);
	}
	g_ptr_array_add(fx->calls, c);
	return c;
}

static ExpertError sink_complete(void *ctx, const uint8_t *frame, size_t len,
                                 const uint64_t *frames, size_t n)
{
	Call *c = record(ctx, TRUE, frames, n);
	c->frame = g_byte_array_new();
	g_byte_array_append(c->frame, frame, (guint)len);
	return EXPERT_OK;
}

static ExpertError sink_release(void *ctx, ReasmRelease why, const uint64_t *frames, size_t n)
{
	record(ctx, FALSE, frames, n)->why = why;
	return EXPERT_OK;
}

static ExpertError test_realloc(void *ctx, void *block, size_t size, void **out)
{
	Fixture *fx = ctx;
	if (size == 0) {
		if (block)
			fx->live_blocks--;
		g_free(block);
		*out = NULL;
		return EXPERT_OK;
	}
	if (!block)
		fx->live_blocks++;
	*out = g_realloc(block, size);
	return EXPERT_OK;
}

static void fixture_set_up(Fixture *fx, gconstpointer data)
{
	fx->calls = g_ptr_array_new_with_free_func(call_free);
	fx->live_blocks = 0;
}

static void fixture_tear_down(Fixture *fx, gconstpointer data)
{
	g_ptr_array_unref(fx->calls);
}

static void init(Fixture *fx, Reasm *r, uint32_t max_datagrams, uint64_t max_bytes)
{
	reasm_init(r, (ReasmAllocator){ fx, test_realloc },
	           (ReasmSink){ fx, sink_complete, sink_release }, max_datagrams, max_bytes);
}

static const Call *call(const Fixture *fx, guint i)
{
	g_assert_cmpuint(i, <, fx->calls->len);
	return g_ptr_array_index(fx->calls, i);
}

static void assert_frames(const Call *c, const guint64 *want, guint n)
{
	g_assert_cmpuint(c->frames->len, ==, n);
	for (guint i = 0; i < n; i++)
		g_assert_cmpuint(g_array_index(c->frames, guint64, i), ==, want[i]);
}

/* ---- datagrams and their fragments ------------------------------------------ */

typedef struct {
	uint8_t link[LINK_LEN];
	uint8_t header[60];
	size_t header_len;
	uint8_t payload[65536];
	size_t payload_len;
} Datagram;

/* A UDP-ish datagram from 10.0.0.1 to 10.0.0.2 with identification id,
 * payload bytes derived from (id, position) so that any misplaced byte shows. */
static Datagram *datagram_new(uint16_t id, size_t payload_len, size_t options_len)
{
	Datagram *d = g_new0(Datagram, 1);
	for (int i = 0; i < LINK_LEN; i++)
		d->link[i] = (uint8_t)(0xa0 + i);
	d->link[12] = 0x08;
	d->link[13] = 0x00;
	d->header_len = 20 + options_len;
	uint8_t *h = d->header;
	h[0] = (uint8_t)(0x40 | d->header_len / 4);
	h[4] = (uint8_t)(id >> 8);
	h[5] = (uint8_t)id;
	h[8] = 64;
	h[9] = 17;
	memcpy(h + 12, (const uint8_t[]){ 10, 0, 0, 1, 10, 0, 0, 2 }, 8);
	for (size_t i = 20; i < d->header_len; i++)
		h[i] = 1; /* NOP options */
	d->payload_len = payload_len;
	for (size_t i = 0; i < payload_len; i++)
		d->payload[i] = (uint8_t)(i * 7 + id + i / 251);
	return d;
}

/* The bytes of one fragment frame: link header, a header saying offset and
 * MF, the payload slice. Owned by the caller. */
typedef struct {
	uint8_t bytes[LINK_LEN + 60 + 65536];
	ReasmFragment f;
} Fragment;

static Fragment *fragment(const Datagram *d, uint64_t frame, size_t offset, size_t len, gboolean mf)
{
	Fragment *fr = g_new0(Fragment, 1);
	memcpy(fr->bytes, d->link, LINK_LEN);
	uint8_t *h = fr->bytes + LINK_LEN;
	memcpy(h, d->header, d->header_len);
	size_t total = d->header_len + len;
	h[2] = (uint8_t)(total >> 8);
	h[3] = (uint8_t)total;
	uint16_t field = (uint16_t)((mf ? 0x2000 : 0) | (offset / 8));
	h[6] = (uint8_t)(field >> 8);
	h[7] = (uint8_t)field;
	uint8_t *p = h + d->header_len;
	for (size_t i = 0; i < len; i++)
		p[i] = offset + i < d->payload_len ? d->payload[offset + i] : 0xee;
	fr->f = (ReasmFragment){
		.frame = frame,
		.link = fr->bytes,
		.link_len = LINK_LEN,
		.ip = h,
		.ip_len = d->header_len,
		.payload = p,
		.payload_len = len,
	};
	return fr;
}

static ReasmVerdict add(Reasm *r, const Datagram *d, uint64_t frame, size_t offset, size_t len,
                        gboolean mf)
{
	g_autofree Fragment *fr = fragment(d, frame, offset, len, mf);
	ReasmVerdict verdict;
	g_assert_cmpint(reasm_add(r, &fr->f, &verdict), ==, EXPERT_OK);
	return verdict;
}

/* The one frame a complete datagram must come out as. */
static void assert_whole(const Call *c, const Datagram *d)
{
	g_assert_true(c->complete);
	const GByteArray *f = c->frame;
	g_assert_cmpuint(f->len, ==, LINK_LEN + d->header_len + d->payload_len);
	g_assert_cmpmem(f->data, LINK_LEN, d->link, LINK_LEN);
	const uint8_t *h = f->data + LINK_LEN;
	g_assert_cmpuint((guint)(h[2] << 8 | h[3]), ==, d->header_len + d->payload_len);
	g_assert_cmpuint(h[6] & 0x3f, ==, 0); /* MF and the offset cleared */
	g_assert_cmpuint(h[7], ==, 0);
	g_assert_cmpuint(reasm_ipv4_checksum(h, d->header_len), ==, 0);
	/* Everything else is the offset-0 fragment's header. */
	g_assert_cmpmem(h, 2, d->header, 2);
	g_assert_cmpmem(h + 4, 2, d->header + 4, 2);
	g_assert_cmpmem(h + 8, 2, d->header + 8, 2);
	g_assert_cmpmem(h + 12, d->header_len - 12, d->header + 12, d->header_len - 12);
	g_assert_cmpmem(h + d->header_len, d->payload_len, d->payload, d->payload_len);
}

/* ---- tests ---------------------------------------------------------------- */

static void test_pair_in_order_is_one_frame(Fixture *fx, gconstpointer data)
{
	Reasm r;
	init(fx, &r, 16, 1 << 20);
	g_autofree Datagram *d = datagram_new(0x1234, 1500, 0);
	g_assert_cmpint(add(&r, d, 1, 0, 1480, TRUE), ==, REASM_HELD);
	g_assert_cmpuint(fx->calls->len, ==, 0);
	g_assert_cmpint(add(&r, d, 2, 1480, 20, FALSE), ==, REASM_HELD);
	g_assert_cmpuint(fx->calls->len, ==, 1);
	assert_whole(call(fx, 0), d);
	assert_frames(call(fx, 0), (const guint64[]){ 1, 2 }, 2);
	g_assert_cmpuint(r.stats.completed, ==, 1);
	g_assert_cmpuint(r.stats.fragments_completed, ==, 2);
	g_assert_cmpuint(r.n_datagrams, ==, 0);
	g_assert_cmpint(reasm_finish(&r), ==, EXPERT_OK);
	g_assert_cmpuint(fx->calls->len, ==, 1);
	g_assert_cmpint(fx->live_blocks, ==, 0);
}

/* Four fragments in each of the 24 orders, the header with options. */
static void test_any_order_gives_the_same_frame(Fixture *fx, gconstpointer data)
{
	g_autofree Datagram *d = datagram_new(7, 100, 8);
	const size_t offsets[4] = { 0, 24, 48, 72 }, lens[4] = { 24, 24, 24, 28 };
	int perm[4] = { 0, 1, 2, 3 };
	for (int n = 0; n < 24; n++) {
		/* The n-th permutation, by its factorial digits. */
		int pool[4] = { 0, 1, 2, 3 }, left = 4, k = n;
		for (int i = 0; i < 4; i++) {
			int f = 1;
			for (int j = 2; j < left; j++)
				f *= j;
			int pick = k / f;
			k %= f;
			perm[i] = pool[pick];
			memmove(&pool[pick], &pool[pick + 1], (size_t)(left - pick - 1) * sizeof(int));
			left--;
		}
		g_ptr_array_set_size(fx->calls, 0);
		Reasm r;
		init(fx, &r, 16, 1 << 20);
		for (int i = 0; i < 4; i++) {
			int q = perm[i];
			g_assert_cmpint(add(&r, d, (uint64_t)(10 + i), offsets[q], lens[q], q != 3), ==,
			                REASM_HELD);
			g_assert_cmpuint(fx->calls->len, ==, i == 3 ? 1 : 0);
		}
		assert_whole(call(fx, 0), d);
		assert_frames(call(fx, 0), (const guint64[]){ 10, 11, 12, 13 }, 4);
		g_assert_cmpint(reasm_finish(&r), ==, EXPERT_OK);
		g_assert_cmpint(fx->live_blocks, ==, 0);
	}
}

/* Overlaps and duplicates with equal bytes fill holes like anything else. */
static void test_agreeing_overlaps_are_accepted(Fixture *fx, gconstpointer data)
{
	Reasm r;
	init(fx, &r, 16, 1 << 20);
	g_autofree Datagram *d = datagram_new(9, 70, 0);
	add(&r, d, 1, 8, 16, TRUE);   /* [8, 24) */
	add(&r, d, 2, 8, 16, TRUE);   /* the same again */
	add(&r, d, 3, 0, 32, TRUE);   /* [0, 32): covers it, and more on both sides */
	add(&r, d, 4, 64, 6, FALSE);  /* the end, leaving [32, 64) */
	g_assert_cmpuint(fx->calls->len, ==, 0);
	add(&r, d, 5, 16, 48, TRUE);  /* [16, 64): overlaps [16, 32), fills the rest */
	g_assert_cmpuint(fx->calls->len, ==, 1);
	assert_whole(call(fx, 0), d);
	assert_frames(call(fx, 0), (const guint64[]){ 1, 2, 3, 4, 5 }, 5);
	g_assert_cmpint(reasm_finish(&r), ==, EXPERT_OK);
	g_assert_cmpint(fx->live_blocks, ==, 0);
}

/* One byte of an overlap differs: rejected; later fragments of the same
 * datagram follow the others out, and nothing is left at the end. */
static void test_disagreeing_overlap_rejects_the_datagram(Fixture *fx, gconstpointer data)
{
	Reasm r;
	init(fx, &r, 16, 1 << 20);
	g_autofree Datagram *d = datagram_new(11, 40, 0);
	add(&r, d, 1, 0, 24, TRUE);
	g_autofree Fragment *evil = fragment(d, 2, 16, 16, TRUE);
	((uint8_t *)evil->f.payload)[3] ^= 0xff; /* byte 19: inside [16, 24) */
	ReasmVerdict v;
	g_assert_cmpint(reasm_add(&r, &evil->f, &v), ==, EXPERT_OK);
	g_assert_cmpint(v, ==, REASM_HELD);
	g_assert_cmpuint(fx->calls->len, ==, 2);
	g_assert_cmpint(call(fx, 0)->why, ==, REASM_RELEASE_INCONSISTENT);
	assert_frames(call(fx, 0), (const guint64[]){ 1 }, 1);
	assert_frames(call(fx, 1), (const guint64[]){ 2 }, 1);
	add(&r, d, 3, 32, 8, FALSE);
	g_assert_cmpuint(fx->calls->len, ==, 3);
	g_assert_cmpint(call(fx, 2)->why, ==, REASM_RELEASE_INCONSISTENT);
	assert_frames(call(fx, 2), (const guint64[]){ 3 }, 1);
	g_assert_cmpuint(r.stats.rejected, ==, 1);
	g_assert_cmpint(reasm_finish(&r), ==, EXPERT_OK);
	g_assert_cmpuint(fx->calls->len, ==, 3);
	g_assert_cmpuint(r.stats.incomplete, ==, 0);
	g_assert_cmpint(fx->live_blocks, ==, 0);
}

/* Two last fragments that end in different places; data past the end; a
 * datagram over 65535 bytes ("ping of death"). */
static void test_impossible_ends_reject_the_datagram(Fixture *fx, gconstpointer data)
{
	g_autofree Datagram *d = datagram_new(12, 64, 0);
	struct {
		size_t off1, len1;
		gboolean mf1;
		size_t off2, len2;
		gboolean mf2;
	} cases[] = {
		{ 32, 32, FALSE, 40, 8, FALSE },  /* ends at 64, then at 48 */
		{ 32, 24, FALSE, 40, 24, TRUE },  /* ends at 56, then data up to 64 */
		{ 48, 24, TRUE, 32, 8, FALSE },   /* data up to 72, then the end at 40 */
		{ 0, 8, TRUE, 65512, 8, FALSE },  /* 20 + 65520 > 65535 */
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_ptr_array_set_size(fx->calls, 0);
		Reasm r;
		init(fx, &r, 16, 1 << 20);
		add(&r, d, 1, cases[i].off1, cases[i].len1, cases[i].mf1);
		g_assert_cmpuint(fx->calls->len, ==, 0);
		add(&r, d, 2, cases[i].off2, cases[i].len2, cases[i].mf2);
		g_assert_cmpuint(r.stats.rejected, ==, 1);
		g_assert_cmpuint(fx->calls->len, ==, 2);
		g_assert_cmpint(call(fx, 1)->why, ==, REASM_RELEASE_INCONSISTENT);
		reasm_finish(&r);
		g_assert_cmpint(fx->live_blocks, ==, 0);
	}
}

/* What the reassembler cannot take is left to the caller, state untouched. */
static void test_unusable_fragments_are_not_held(Fixture *fx, gconstpointer data)
{
	Reasm r;
	init(fx, &r, 16, 1 << 20);
	g_autofree Datagram *d = datagram_new(13, 64, 0);
	g_assert_cmpint(add(&r, d, 1, 0, 64, FALSE), ==, REASM_NOT_HELD); /* not a fragment */
	g_assert_cmpint(add(&r, d, 2, 0, 12, TRUE), ==, REASM_NOT_HELD);  /* not a multiple of 8 */
	g_assert_cmpint(add(&r, d, 3, 8, 0, TRUE), ==, REASM_NOT_HELD);   /* empty */
	g_autofree Fragment *long_link = fragment(d, 4, 0, 8, TRUE);
	long_link->f.link_len = REASM_LINK_HEADER_MAX + 1;
	ReasmVerdict v;
	g_assert_cmpint(reasm_add(&r, &long_link->f, &v), ==, EXPERT_OK);
	g_assert_cmpint(v, ==, REASM_NOT_HELD);
	g_assert_cmpuint(r.n_datagrams, ==, 0);
	g_assert_cmpuint(fx->calls->len, ==, 0);
	reasm_finish(&r);
	g_assert_cmpint(fx->live_blocks, ==, 0);
}

/* Pending datagrams leave as incomplete at the end, oldest first, each with
 * its fragments in arrival order. */
static void test_finish_releases_what_is_pending(Fixture *fx, gconstpointer data)
{
	Reasm r;
	init(fx, &r, 16, 1 << 20);
	g_autofree Datagram *a = datagram_new(20, 64, 0);
	g_autofree Datagram *b = datagram_new(21, 64, 0);
	add(&r, a, 1, 32, 32, FALSE);
	add(&r, b, 2, 0, 16, TRUE);
	add(&r, a, 3, 8, 8, TRUE);
	g_assert_cmpint(reasm_finish(&r), ==, EXPERT_OK);
	g_assert_cmpuint(fx->calls->len, ==, 2);
	g_assert_cmpint(call(fx, 0)->why, ==, REASM_RELEASE_INCOMPLETE);
	assert_frames(call(fx, 0), (const guint64[]){ 1, 3 }, 2);
	assert_frames(call(fx, 1), (const guint64[]){ 2 }, 1);
	g_assert_cmpuint(r.stats.incomplete, ==, 2);
	g_assert_cmpint(fx->live_blocks, ==, 0);
}

/* max_datagrams: a third datagram evicts the oldest; the others complete. */
static void test_max_datagrams_evicts_the_oldest(Fixture *fx, gconstpointer data)
{
	Reasm r;
	init(fx, &r, 2, 1 << 20);
	g_autofree Datagram *a = datagram_new(30, 16, 0);
	g_autofree Datagram *b = datagram_new(31, 16, 0);
	g_autofree Datagram *c = datagram_new(32, 16, 0);
	add(&r, a, 1, 0, 8, TRUE);
	add(&r, b, 2, 0, 8, TRUE);
	add(&r, c, 3, 0, 8, TRUE);
	g_assert_cmpuint(fx->calls->len, ==, 1);
	g_assert_cmpint(call(fx, 0)->why, ==, REASM_RELEASE_EVICTED);
	assert_frames(call(fx, 0), (const guint64[]){ 1 }, 1);
	add(&r, b, 4, 8, 8, FALSE);
	add(&r, c, 5, 8, 8, FALSE);
	g_assert_cmpuint(fx->calls->len, ==, 3);
	assert_whole(call(fx, 1), b);
	assert_whole(call(fx, 2), c);
	g_assert_cmpuint(r.stats.evicted, ==, 1);
	g_assert_cmpuint(r.stats.completed, ==, 2);
	reasm_finish(&r);
	g_assert_cmpint(fx->live_blocks, ==, 0);
}

/* max_bytes: a datagram that needs room pushes out the oldest; one that
 * cannot fit even alone leaves itself, with the fragment that asked. */
static void test_max_bytes_evicts_and_bounds(Fixture *fx, gconstpointer data)
{
	Reasm r;
	/* A first fragment takes 1344 bytes: a 1280-byte buffer (headroom and
	 * 1 KiB), four holes and four frame numbers. */
	init(fx, &r, 16, 2000);
	g_autofree Datagram *a = datagram_new(40, 2048, 0);
	g_autofree Datagram *b = datagram_new(41, 2048, 0);
	add(&r, a, 1, 0, 1024, TRUE);
	g_assert_cmpuint(r.bytes, <=, 2000);
	add(&r, b, 2, 0, 1024, TRUE);
	g_assert_cmpuint(r.bytes, <=, 2000);
	g_assert_cmpuint(fx->calls->len, ==, 1);
	g_assert_cmpint(call(fx, 0)->why, ==, REASM_RELEASE_EVICTED);
	assert_frames(call(fx, 0), (const guint64[]){ 1 }, 1);
	/* b's next piece needs its buffer doubled: more than 2000 bytes. */
	add(&r, b, 3, 1024, 1024, FALSE);
	g_assert_cmpuint(fx->calls->len, ==, 3);
	g_assert_cmpint(call(fx, 1)->why, ==, REASM_RELEASE_EVICTED);
	assert_frames(call(fx, 1), (const guint64[]){ 2 }, 1);
	assert_frames(call(fx, 2), (const guint64[]){ 3 }, 1);
	g_assert_cmpuint(r.stats.evicted, ==, 2);
	g_assert_cmpuint(r.bytes, ==, 0);
	reasm_finish(&r);
	g_assert_cmpint(fx->live_blocks, ==, 0);
}

/* A datagram that could not fit even alone gives itself up and leaves the
 * others pending. */
static void test_too_big_alone_leaves_the_others(Fixture *fx, gconstpointer data)
{
	Reasm r;
	init(fx, &r, 16, 3000);
	g_autofree Datagram *a = datagram_new(42, 16, 0);
	g_autofree Datagram *big = datagram_new(43, 8192, 0);
	add(&r, a, 1, 0, 8, TRUE);
	add(&r, big, 2, 0, 4096, TRUE);
	/* Only the fragment that asked leaves; a stays. */
	g_assert_cmpuint(fx->calls->len, ==, 1);
	g_assert_cmpint(call(fx, 0)->why, ==, REASM_RELEASE_EVICTED);
	assert_frames(call(fx, 0), (const guint64[]){ 2 }, 1);
	g_assert_cmpuint(r.n_datagrams, ==, 1);
	add(&r, a, 3, 8, 8, FALSE);
	g_assert_cmpuint(fx->calls->len, ==, 2);
	assert_whole(call(fx, 1), a);
	g_assert_cmpuint(r.stats.evicted, ==, 1);
	reasm_finish(&r);
	g_assert_cmpint(fx->live_blocks, ==, 0);
}

/* The link-layer and IPv4 headers are the offset-0 fragment's, whenever it
 * comes; another fragment's differ (TTL, link header) and are not used. */
static void test_headers_come_from_the_first_fragment(Fixture *fx, gconstpointer data)
{
	Reasm r;
	init(fx, &r, 16, 1 << 20);
	g_autofree Datagram *d = datagram_new(50, 40, 12);
	g_autofree Fragment *last = fragment(d, 1, 24, 16, FALSE);
	last->bytes[0] = 0x00;                      /* another link header */
	((uint8_t *)last->f.ip)[8] = 3;             /* another TTL */
	ReasmVerdict v;
	g_assert_cmpint(reasm_add(&r, &last->f, &v), ==, EXPERT_OK);
	add(&r, d, 2, 0, 24, TRUE);
	g_assert_cmpuint(fx->calls->len, ==, 1);
	assert_whole(call(fx, 0), d);
	assert_frames(call(fx, 0), (const guint64[]){ 1, 2 }, 2);
	reasm_finish(&r);
	g_assert_cmpint(fx->live_blocks, ==, 0);
}

/* The largest datagram there is, in 8-byte pieces, last piece first. */
static void test_largest_datagram_in_smallest_pieces(Fixture *fx, gconstpointer data)
{
	Reasm r;
	init(fx, &r, 16, 1 << 20);
	g_autofree Datagram *d = datagram_new(60, 65515, 0);
	uint64_t frame = 1;
	add(&r, d, frame++, 65512, 3, FALSE);
	for (size_t off = 0; off < 65512; off += 8)
		add(&r, d, frame++, off, 8, TRUE);
	g_assert_cmpuint(fx->calls->len, ==, 1);
	assert_whole(call(fx, 0), d);
	g_assert_cmpuint(call(fx, 0)->frames->len, ==, 65512 / 8 + 1);
	reasm_finish(&r);
	g_assert_cmpint(fx->live_blocks, ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add("/reassembly/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
	ADD("pair-in-order-is-one-frame", test_pair_in_order_is_one_frame);
	ADD("any-order-gives-the-same-frame", test_any_order_gives_the_same_frame);
	ADD("agreeing-overlaps-are-accepted", test_agreeing_overlaps_are_accepted);
	ADD("disagreeing-overlap-rejects-the-datagram", test_disagreeing_overlap_rejects_the_datagram);
	ADD("impossible-ends-reject-the-datagram", test_impossible_ends_reject_the_datagram);
	ADD("unusable-fragments-are-not-held", test_unusable_fragments_are_not_held);
	ADD("finish-releases-what-is-pending", test_finish_releases_what_is_pending);
	ADD("max-datagrams-evicts-the-oldest", test_max_datagrams_evicts_the_oldest);
	ADD("max-bytes-evicts-and-bounds", test_max_bytes_evicts_and_bounds);
	ADD("too-big-alone-leaves-the-others", test_too_big_alone_leaves_the_others);
	ADD("headers-come-from-the-first-fragment", test_headers_come_from_the_first_fragment);
	ADD("largest-datagram-in-smallest-pieces", test_largest_datagram_in_smallest_pieces);
#undef ADD
	return g_test_run();
}
