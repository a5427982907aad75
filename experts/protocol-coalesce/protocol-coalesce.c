/* protocol-coalesce.c — the Protocol Coalesce expert.
 *
 * Rebuilds the capture with every fragmented IPv4 datagram reassembled into
 * one frame, written through the executor as an output capture. Frames that
 * are not IPv4 fragments are copied as they are, in capture order. Fragments
 * are held (reassembly.c) until their datagram is whole; it is then written
 * as one frame, with the link-layer header of its offset-0 fragment and the
 * timestamp of the fragment that completed it, where that fragment was.
 * Fragments of datagrams that never complete are written as they are at the
 * end (or when the bounds evict them), or dropped with incomplete=drop.
 * Inconsistent fragments (overlaps that disagree) are always written as they
 * are: dropping them would hide what someone may want to see.
 *
 * Only the outermost IP header is considered. IPv6 fragments are left as they
 * are (counted, not reassembled), as are IPv4 fragments inside a tunnel.
 *
 * Configuration:
 *   output         file name in --output-dir (default coalesced.pcap)
 *   format         pcap | pcapng (default pcap)
 *   incomplete     keep | drop (default keep)
 *   max_datagrams  datagrams pending at once, 1 to 65536 (default 1024)
 *   max_bytes      memory for pending datagrams, 64K to 1G (default 16M)
 *
 * Runs under coalesce.profile (strict plus writing granted descriptors): no
 * stdio, memory only from the expert API.
 */
#include "events.h"
#include "packet.h"
#include "progress.h"
#include "refuse.h"
#include "reassembly.h"
#include "settings.h"

#include <expert.h>
#include <string.h>

bool expert_register(ExpertInfo *info)
{
	static const char description[] =
		"Rebuilds the capture with fragmented IPv4 datagrams reassembled into whole "
		"frames, as an output capture (pcap or pcapng). IPv6 fragments are left as they are.";
	_Static_assert(sizeof description <= EXPERT_DESCRIPTION_MAX, "description too long");
	strcpy(info->name, "Protocol Coalesce");
	strcpy(info->vendor, "expert-exec");
	memcpy(info->description, description, sizeof description);
	info->version = EXPERT_VERSION(1, 0);
	info->flags = EXPERT_FLAG_CONFIGURABLE | EXPERT_FLAG_WRITES_OUTPUT;
	return true;
}

/* ---- configuration ------------------------------------------------------ */

#define MAX_DATAGRAMS_LIMIT 65536u
#define MAX_BYTES_MIN (64ull << 10)
#define MAX_BYTES_LIMIT (1ull << 30)

static struct {
	char output[EXPERT_OUTPUT_NAME_MAX + 1];
	ExpertOutputFormat format;
	bool drop_incomplete;
	uint32_t max_datagrams;
	uint64_t max_bytes;
} config = {
	.output = "coalesced.pcap",
	.format = EXPERT_OUTPUT_PCAP,
	.drop_incomplete = false,
	.max_datagrams = 1024,
	.max_bytes = 16ull << 20,
};

/* As the settings name them (settings.h). */
static const char *const format_names[] = {
	[EXPERT_OUTPUT_PCAP] = "pcap", [EXPERT_OUTPUT_PCAPNG] = "pcapng", NULL,
};
static const char *const incomplete_names[] = { "keep", "drop", NULL };

ExpertError expert_configure(ExpertKey *key)
{
	const char *output = expert_config_get(key, "output");
	unsigned format = config.format, drop = config.drop_incomplete;
	uint64_t max_datagrams = config.max_datagrams, max_bytes = config.max_bytes;
	/* The executor's rule for the name, checked here so that a bad name
	 * stops the run before it starts. */
	if (output != NULL && !expert_output_name_valid(output))
		return refuse_setting(key, "output", "a file name of letters, digits, '.', '-' and "
		                                     "'_', not starting with '.', at most 64 bytes");
	if (!settings_choice(expert_config_get(key, "format"), format_names, &format))
		return refuse_setting(key, "format", "pcap or pcapng");
	if (!settings_choice(expert_config_get(key, "incomplete"), incomplete_names, &drop))
		return refuse_setting(key, "incomplete", "keep or drop");
	if (!settings_count(expert_config_get(key, "max_datagrams"), 1, MAX_DATAGRAMS_LIMIT,
	                    &max_datagrams))
		return refuse_setting(key, "max_datagrams", "a count from 1 to 65536");
	if (!settings_size(expert_config_get(key, "max_bytes"), MAX_BYTES_MIN, MAX_BYTES_LIMIT,
	                   &max_bytes))
		return refuse_setting(key, "max_bytes", "a size from 64K to 1G (a number of bytes, "
		                                        "or with K, M or G)");
	if (output != NULL)
		memcpy(config.output, output, strlen(output) + 1);
	config.format = (ExpertOutputFormat)format;
	config.drop_incomplete = drop == 1;
	config.max_datagrams = (uint32_t)max_datagrams;
	config.max_bytes = max_bytes;
	return EXPERT_OK;
}

/* ---- the run -------------------------------------------------------------- */

typedef struct {
	ExpertKey *key;
	ExpertOutput *out;
	uint32_t link_type;          /* of the output: the capture's first frame */
	Reasm *reasm;
	const ExpertFrame *current;  /* the frame being handled */
	uint64_t frames_read;
	uint64_t frames_written;
	uint64_t reassembled_written;  /* frames that are whole datagrams */
	uint64_t incomplete_fragments; /* released incomplete or evicted */
	uint64_t inconsistent_fragments;
	uint64_t ipv4_fragments_not_held; /* cut short by the snaplen, or malformed */
	uint64_t ipv6_fragments;
	uint64_t other_link_frames;  /* not written: the output has one link type */
} Coalesce;

static ExpertError write_original(Coalesce *c, uint64_t number)
{
	ExpertFrame frame;
	ExpertError err = expert_get_frame(c->key, EXPERT_FRAME_SPECIFIED, number, NULL, &frame);
	if (err == EXPERT_OK)
		err = expert_write_frame(c->key, c->out, &frame);
	if (err == EXPERT_OK)
		c->frames_written++;
	return err;
}

static ExpertError on_complete(void *ctx, const uint8_t *data, size_t len, const uint64_t *frames,
                               size_t n_frames)
{
	(void)frames;
	(void)n_frames;
	Coalesce *c = ctx;
	const ExpertFrame frame = {
		.number = c->current->number,
		.ts_sec = c->current->ts_sec,
		.ts_nsec = c->current->ts_nsec,
		.link_type = c->link_type,
		.orig_len = (uint32_t)len,
		.cap_len = (uint32_t)len,
		.data = data,
	};
	ExpertError err = expert_write_frame(c->key, c->out, &frame);
	if (err == EXPERT_OK) {
		c->frames_written++;
		c->reassembled_written++;
	}
	return err;
}

static ExpertError on_release(void *ctx, ReasmRelease why, const uint64_t *frames, size_t n_frames)
{
	Coalesce *c = ctx;
	if (why == REASM_RELEASE_INCONSISTENT)
		c->inconsistent_fragments += n_frames;
	else
		c->incomplete_fragments += n_frames;
	if (why != REASM_RELEASE_INCONSISTENT && config.drop_incomplete)
		return EXPERT_OK;
	for (size_t i = 0; i < n_frames; i++) {
		ExpertError err = write_original(c, frames[i]);
		if (err != EXPERT_OK)
			return err;
	}
	return EXPERT_OK;
}

static ExpertError pool_realloc(void *ctx, void *block, size_t size, void **out)
{
	return expert_realloc_memory(ctx, block, size, out);
}

/* One frame: to the reassembler if it is an IPv4 fragment it can take,
 * else to the output as it is. */
static ExpertError coalesce_frame(void *ctx, const ExpertFrame *frame)
{
	Coalesce *c = ctx;
	c->frames_read++;
	if (frame->link_type != c->link_type) {
		c->other_link_frames++;
		return EXPERT_OK;
	}
	Packet p;
	packet_parse(&p, frame->link_type, frame->data, frame->cap_len);
	const PacketIp *ip = p.n_ip > 0 ? &p.ip[0] : NULL;
	if (ip && ip->fragment && ip->version == 6)
		c->ipv6_fragments++;
	if (ip && ip->fragment && ip->version == 4) {
		size_t payload_at = ip->offset + ip->header_len;
		if (!ip->length_guessed && payload_at <= frame->cap_len &&
		    ip->payload_len <= frame->cap_len - payload_at) {
			const ReasmFragment fragment = {
				.frame = frame->number,
				.link = frame->data,
				.link_len = ip->offset,
				.ip = frame->data + ip->offset,
				.ip_len = ip->header_len,
				.payload = frame->data + payload_at,
				.payload_len = ip->payload_len,
			};
			ReasmVerdict verdict;
			c->current = frame;
			ExpertError err = reasm_add(c->reasm, &fragment, &verdict);
			c->current = NULL;
			if (err != EXPERT_OK || verdict == REASM_HELD)
				return err;
		}
		c->ipv4_fragments_not_held++;
	}
	ExpertError err = expert_write_frame(c->key, c->out, frame);
	if (err == EXPERT_OK)
		c->frames_written++;
	return err;
}

/* ---- events ------------------------------------------------------------- */

static ExpertError report(const Coalesce *c, const ReasmStats *s)
{
	ExpertKey *key = c->key;
	Event ev;
	event_init(&ev);
	event_add_u64(&ev, "count", s->completed);
	event_add_u64(&ev, "fragments", s->fragments_completed);
	ExpertError err = event_submit(&ev, key, EXPERT_SEVERITY_INFO, "datagrams reassembled");
	if (err == EXPERT_OK) {
		event_init(&ev);
		event_add_u64(&ev, "count", s->fragments_completed);
		err = event_submit(&ev, key, EXPERT_SEVERITY_INFO, "fragments consumed");
	}
	if (err == EXPERT_OK) {
		event_init(&ev);
		event_add_u64(&ev, "count", c->frames_written);
		event_add_u64(&ev, "reassembled", c->reassembled_written);
		event_add_u64(&ev, "frames_read", c->frames_read);
		event_add(&ev, "output", config.output);
		event_add(&ev, "format", format_names[config.format]);
		err = event_submit(&ev, key, EXPERT_SEVERITY_INFO, "frames written");
	}
	if (err == EXPERT_OK) {
		uint64_t incomplete = s->incomplete + s->evicted;
		event_init(&ev);
		event_add_u64(&ev, "count", incomplete);
		event_add_u64(&ev, "evicted", s->evicted);
		event_add_u64(&ev, "fragments", c->incomplete_fragments);
		event_add(&ev, "action", config.drop_incomplete ? "dropped" : "kept as they are");
		err = event_submit(&ev, key, incomplete ? EXPERT_SEVERITY_WARNING : EXPERT_SEVERITY_INFO,
		                   "incomplete datagrams");
	}
	if (err == EXPERT_OK && s->rejected) {
		event_init(&ev);
		event_add_u64(&ev, "count", s->rejected);
		event_add_u64(&ev, "fragments", c->inconsistent_fragments);
		event_add(&ev, "action", "kept as they are");
		err = event_submit(&ev, key, EXPERT_SEVERITY_WARNING,
		                   "inconsistent datagrams: overlapping fragments disagree");
	}
	if (err == EXPERT_OK && c->ipv4_fragments_not_held) {
		event_init(&ev);
		event_add_u64(&ev, "count", c->ipv4_fragments_not_held);
		err = event_submit(&ev, key, EXPERT_SEVERITY_WARNING,
		                   "IPv4 fragments not reassembled (cut short or malformed)");
	}
	if (err == EXPERT_OK && c->ipv6_fragments) {
		event_init(&ev);
		event_add_u64(&ev, "count", c->ipv6_fragments);
		err = event_submit(&ev, key, EXPERT_SEVERITY_INFO,
		                   "IPv6 fragments left as they are (not reassembled)");
	}
	if (err == EXPERT_OK && c->other_link_frames) {
		event_init(&ev);
		event_add_u64(&ev, "count", c->other_link_frames);
		err = event_submit(&ev, key, EXPERT_SEVERITY_WARNING,
		                   "frames of another link type not written (the output has one)");
	}
	return err;
}

int expert_run(ExpertKey *key)
{
	ExpertCaptureInfo info;
	ExpertError err = expert_get_capture_info(key, &info);
	if (err != EXPERT_OK)
		return (int)err;
	Coalesce c = { .key = key, .link_type = info.link_type };
	err = expert_create_output(key, config.output, config.format, info.link_type, &c.out);
	/* Asked to stop before it began: nothing failed that needs saying. */
	if (err == EXPERT_ERR_TERMINATE)
		return (int)err;
	if (err != EXPERT_OK) {
		/* The executor refuses with EXPERT_ERR_NO_MEMORY (a file of that
		 * name exists, the profile's output-files limit), as the pool does
		 * for the output's buffer; anything else is said as it is. */
		refuse_because(key, config.output,
		               err == EXPERT_ERR_NO_MEMORY
		               ? "cannot create this output capture: the executor refused it (a file of "
		                 "that name exists, or the profile's output-files limit), or the memory "
		                 "quota is reached"
		               : err == EXPERT_ERR_HOST
		               ? "cannot create this output capture: the executor cannot be reached"
		               : "cannot create this output capture: libexpert refused the request");
		return (int)err;
	}
	Reasm reasm;
	reasm_init(&reasm, (ReasmAllocator){ key, pool_realloc },
	           (ReasmSink){ &c, on_complete, on_release }, config.max_datagrams,
	           config.max_bytes);
	c.reasm = &reasm;
	err = progress_each_frame(key, info.frame_count, coalesce_frame, &c);
	if (err == EXPERT_OK)
		err = expert_indicate_status(key, EXPERT_STATE_FINISHING, 100,
		                             "writing incomplete datagrams");
	ReasmStats stats = reasm.stats;
	if (err == EXPERT_OK) {
		err = reasm_finish(&reasm);
		stats = reasm.stats;
	} else {
		reasm_discard(&reasm);
	}
	/* Not closed on failure: the executor then removes the partial file. */
	if (err == EXPERT_OK)
		err = expert_close_output(key, c.out);
	if (err == EXPERT_OK)
		err = report(&c, &stats);
	return (int)err;
}
