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
#include "format.h"
#include "packet.h"
#include "reassembly.h"

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

/* Decimal, with an optional K, M or G (1024-based) when sizes are allowed. */
static bool parse_number(const char *text, bool size_suffix, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = text;
	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	unsigned shift = 0;
	if (size_suffix && *p != '\0') {
		switch (*p++) {
		case 'K': shift = 10; break;
		case 'M': shift = 20; break;
		case 'G': shift = 30; break;
		default: return false;
		}
	}
	if (*p != '\0' || v > UINT64_MAX >> shift)
		return false;
	*out = v << shift;
	return true;
}

/* The executor's rule for output names (expert.h), checked here so that a
 * bad name stops the run before it starts. */
static bool output_name_valid(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > EXPERT_OUTPUT_NAME_MAX || name[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == '_'))
			return false;
	}
	return true;
}

ExpertError expert_configure(ExpertKey *key)
{
	const char *v;
	uint64_t n;
	if ((v = expert_config_get(key, "output")) != NULL) {
		if (!output_name_valid(v))
			return EXPERT_ERR_INVALID_ARGUMENT;
		memcpy(config.output, v, strlen(v) + 1);
	}
	if ((v = expert_config_get(key, "format")) != NULL) {
		if (strcmp(v, "pcap") == 0)
			config.format = EXPERT_OUTPUT_PCAP;
		else if (strcmp(v, "pcapng") == 0)
			config.format = EXPERT_OUTPUT_PCAPNG;
		else
			return EXPERT_ERR_INVALID_ARGUMENT;
	}
	if ((v = expert_config_get(key, "incomplete")) != NULL) {
		if (strcmp(v, "keep") == 0)
			config.drop_incomplete = false;
		else if (strcmp(v, "drop") == 0)
			config.drop_incomplete = true;
		else
			return EXPERT_ERR_INVALID_ARGUMENT;
	}
	if ((v = expert_config_get(key, "max_datagrams")) != NULL) {
		if (!parse_number(v, false, &n) || n < 1 || n > MAX_DATAGRAMS_LIMIT)
			return EXPERT_ERR_INVALID_ARGUMENT;
		config.max_datagrams = (uint32_t)n;
	}
	if ((v = expert_config_get(key, "max_bytes")) != NULL) {
		if (!parse_number(v, true, &n) || n < MAX_BYTES_MIN || n > MAX_BYTES_LIMIT)
			return EXPERT_ERR_INVALID_ARGUMENT;
		config.max_bytes = n;
	}
	return EXPERT_OK;
}

/* ---- the run -------------------------------------------------------------- */

typedef struct {
	ExpertKey *key;
	ExpertOutput *out;
	uint32_t link_type;          /* of the output: the capture's first frame */
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
static ExpertError coalesce_frame(Coalesce *c, Reasm *reasm, const ExpertFrame *frame)
{
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
			ExpertError err = reasm_add(reasm, &fragment, &verdict);
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

static ExpertError coalesce_all(Coalesce *c, Reasm *reasm, uint64_t frame_count)
{
	ExpertError err = report_progress(c->key, 0, 0, frame_count);
	int reported = 0;
	while (err == EXPERT_OK) {
		ExpertFrame frame;
		err = expert_get_next_frame(c->key, &frame);
		if (err == EXPERT_ERR_END_OF_CAPTURE)
			return EXPERT_OK;
		if (err == EXPERT_OK)
			err = coalesce_frame(c, reasm, &frame);
		c->frames_read++;
		/* About every 1%: each status is a message. */
		if (err == EXPERT_OK && frame_count > 0) {
			uint64_t n = c->frames_read;
			int percent = n >= frame_count ? 100 : (int)(n * 100 / frame_count);
			if (percent > reported) {
				reported = percent;
				err = report_progress(c->key, percent, n, frame_count);
			}
		}
	}
	return err;
}

/* ---- events ------------------------------------------------------------- */

typedef struct {
	const char *key;
	uint64_t value;
} Count;

static ExpertError submit_counts(ExpertKey *key, ExpertSeverity severity, const char *text,
                                 const Count *counts, size_t n, const ExpertEventDetail *extra,
                                 size_t n_extra)
{
	ExpertEventDetail details[EXPERT_EVENT_DETAILS_MAX];
	char digits[EXPERT_EVENT_DETAILS_MAX][FORMAT_U64_MAX];
	size_t k = 0;
	for (size_t i = 0; i < n && k < EXPERT_EVENT_DETAILS_MAX; i++, k++)
		details[k] = (ExpertEventDetail){ counts[i].key, format_u64(counts[i].value, digits[k]) };
	for (size_t i = 0; i < n_extra && k < EXPERT_EVENT_DETAILS_MAX; i++, k++)
		details[k] = extra[i];
	return expert_submit_event(key, severity, text, details, k);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static ExpertError report(const Coalesce *c, const ReasmStats *s)
{
	ExpertKey *key = c->key;
	const Count reassembled[] = {
		{ "count", s->completed },
		{ "fragments", s->fragments_completed },
	};
	ExpertError err = submit_counts(key, EXPERT_SEVERITY_INFO, "datagrams reassembled",
	                                reassembled, N(reassembled), NULL, 0);
	const Count consumed[] = { { "count", s->fragments_completed } };
	if (err == EXPERT_OK)
		err = submit_counts(key, EXPERT_SEVERITY_INFO, "fragments consumed", consumed,
		                    N(consumed), NULL, 0);
	const Count written[] = {
		{ "count", c->frames_written },
		{ "reassembled", c->reassembled_written },
		{ "frames_read", c->frames_read },
	};
	const ExpertEventDetail where[] = {
		{ "output", config.output },
		{ "format", config.format == EXPERT_OUTPUT_PCAPNG ? "pcapng" : "pcap" },
	};
	if (err == EXPERT_OK)
		err = submit_counts(key, EXPERT_SEVERITY_INFO, "frames written", written, N(written),
		                    where, N(where));
	const Count incomplete[] = {
		{ "count", s->incomplete + s->evicted },
		{ "evicted", s->evicted },
		{ "fragments", c->incomplete_fragments },
	};
	const ExpertEventDetail action[] = {
		{ "action", config.drop_incomplete ? "dropped" : "kept as they are" },
	};
	if (err == EXPERT_OK)
		err = submit_counts(key,
		                    s->incomplete + s->evicted ? EXPERT_SEVERITY_WARNING
		                                               : EXPERT_SEVERITY_INFO,
		                    "incomplete datagrams", incomplete, N(incomplete), action, N(action));
	if (err == EXPERT_OK && s->rejected) {
		const Count inconsistent[] = {
			{ "count", s->rejected },
			{ "fragments", c->inconsistent_fragments },
		};
		const ExpertEventDetail kept[] = { { "action", "kept as they are" } };
		err = submit_counts(key, EXPERT_SEVERITY_WARNING,
		                    "inconsistent datagrams: overlapping fragments disagree",
		                    inconsistent, N(inconsistent), kept, N(kept));
	}
	if (err == EXPERT_OK && c->ipv4_fragments_not_held) {
		const Count cut[] = { { "count", c->ipv4_fragments_not_held } };
		err = submit_counts(key, EXPERT_SEVERITY_WARNING,
		                    "IPv4 fragments not reassembled (cut short or malformed)", cut,
		                    N(cut), NULL, 0);
	}
	if (err == EXPERT_OK && c->ipv6_fragments) {
		const Count v6[] = { { "count", c->ipv6_fragments } };
		err = submit_counts(key, EXPERT_SEVERITY_INFO,
		                    "IPv6 fragments left as they are (not reassembled)", v6, N(v6),
		                    NULL, 0);
	}
	if (err == EXPERT_OK && c->other_link_frames) {
		const Count other[] = { { "count", c->other_link_frames } };
		err = submit_counts(key, EXPERT_SEVERITY_WARNING,
		                    "frames of another link type not written (the output has one)",
		                    other, N(other), NULL, 0);
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
	if (err != EXPERT_OK) {
		expert_indicate_status(key, EXPERT_STATE_RUNNING, 0, "cannot create the output capture");
		return (int)err;
	}
	Reasm reasm;
	reasm_init(&reasm, (ReasmAllocator){ key, pool_realloc },
	           (ReasmSink){ &c, on_complete, on_release }, config.max_datagrams,
	           config.max_bytes);
	err = coalesce_all(&c, &reasm, info.frame_count);
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
