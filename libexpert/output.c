/* output.c — output captures written through a descriptor the executor
 * grants (see expert.h). The executor creates the file, so the expert never
 * names a path; this file only formats pcap or pcapng into a buffer from the
 * pool and writes it to the granted descriptor. */
#include "runtime-internal.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define BUFFER_SIZE (64 * 1024)
#define SNAPLEN 262144

static ExpertError flush(ExpertOutput *out)
{
	size_t done = 0;
	while (done < out->len) {
		ssize_t n = write(out->fd, out->buf + done, out->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		/* ENOSPC, EDQUOT, EIO, ...: the file, not the executor, failed. */
		if (n <= 0)
			return EXPERT_ERR_WRITE;
		done += (size_t)n;
	}
	out->len = 0;
	return EXPERT_OK;
}

static ExpertError put(ExpertOutput *out, const void *p, size_t n)
{
	const uint8_t *src = p;
	while (n) {
		if (out->len == BUFFER_SIZE) {
			ExpertError e = flush(out);
			if (e != EXPERT_OK)
				return e;
		}
		size_t k = BUFFER_SIZE - out->len < n ? BUFFER_SIZE - out->len : n;
		memcpy(out->buf + out->len, src, k);
		out->len += k;
		src += k;
		n -= k;
	}
	return EXPERT_OK;
}

/* Host byte order throughout, as both formats allow: readers detect it from
 * the magic numbers. */
static ExpertError put_u32(ExpertOutput *out, uint32_t v) { return put(out, &v, 4); }
static ExpertError put_u16(ExpertOutput *out, uint16_t v) { return put(out, &v, 2); }

static ExpertError write_header(ExpertOutput *out)
{
	ExpertError e = EXPERT_OK;
	if (out->format == EXPERT_OUTPUT_PCAP) {
		/* 0xa1b23c4d: the nanosecond-resolution pcap magic. */
		e = put_u32(out, 0xa1b23c4d);
		if (!e) e = put_u16(out, 2);
		if (!e) e = put_u16(out, 4);
		if (!e) e = put_u32(out, 0);       /* thiszone */
		if (!e) e = put_u32(out, 0);       /* sigfigs */
		if (!e) e = put_u32(out, SNAPLEN);
		if (!e) e = put_u32(out, out->link_type);
		return e;
	}
	/* Section header block, then one interface with if_tsresol = 9 (ns). */
	e = put_u32(out, 0x0A0D0D0A);
	if (!e) e = put_u32(out, 28);
	if (!e) e = put_u32(out, 0x1A2B3C4D);
	if (!e) e = put_u16(out, 1);
	if (!e) e = put_u16(out, 0);
	if (!e) e = put_u32(out, 0xFFFFFFFF); /* section length: unknown */
	if (!e) e = put_u32(out, 0xFFFFFFFF);
	if (!e) e = put_u32(out, 28);
	if (!e) e = put_u32(out, 1);          /* interface description block */
	if (!e) e = put_u32(out, 32);
	if (!e) e = put_u16(out, (uint16_t)out->link_type);
	if (!e) e = put_u16(out, 0);
	if (!e) e = put_u32(out, SNAPLEN);
	if (!e) e = put_u16(out, 9);          /* if_tsresol */
	if (!e) e = put_u16(out, 1);
	if (!e) e = put_u32(out, 9);          /* 10^-9, then 3 bytes of padding */
	if (!e) e = put_u32(out, 0);          /* opt_endofopt */
	if (!e) e = put_u32(out, 32);
	return e;
}

ExpertError expert_create_output(ExpertKey *key, const char *name, ExpertOutputFormat format,
                                 uint32_t link_type, ExpertOutput **output)
{
	runtime_call();
	if (!runtime_key_valid(key) || !name || !output || (unsigned)format > EXPERT_OUTPUT_PCAPNG ||
	    !expert_output_name_valid(name) || (format == EXPERT_OUTPUT_PCAPNG && link_type > 0xFFFF))
		return EXPERT_ERR_INVALID_ARGUMENT;
	*output = NULL;
	if (key->terminate)
		return EXPERT_ERR_TERMINATE;
	ExpertOutput *out = NULL;
	for (size_t i = 0; i < OUTPUTS_MAX && !out; i++)
		if (!key->outputs[i].open)
			out = &key->outputs[i];
	if (!out)
		return EXPERT_ERR_NO_MEMORY;

	uint8_t request[WIRE_MAX_MESSAGE], reply_buf[WIRE_MAX_MESSAGE];
	WireWriter w;
	wire_begin(&w, request, sizeof(request), WIRE_OUTPUT_OPEN);
	wire_put_str(&w, name, EXPERT_OUTPUT_NAME_MAX);
	wire_put_u8(&w, (uint8_t)format);
	WireMessage reply;
	int fd;
	ExpertError e = runtime_request(key, &w, WIRE_OUTPUT_REPLY, reply_buf, sizeof(reply_buf),
	                                &reply, &fd);
	if (e != EXPERT_OK)
		return e;
	if (reply.u.output_reply.error.len || fd < 0) {
		/* The executor refused: a limit of the profile, or the name exists.
		 * (Its descriptor, if any, is left open: profiles need not allow
		 * close(), and the executor closes everything after the job.) */
		return EXPERT_ERR_NO_MEMORY;
	}
	memset(out, 0, sizeof(*out));
	out->fd = fd;
	out->id = reply.u.output_reply.output_id;
	out->format = format;
	out->link_type = link_type;
	e = runtime_alloc(key, BUFFER_SIZE, (void **)&out->buf);
	if (e == EXPERT_OK)
		e = write_header(out);
	if (e != EXPERT_OK) {
		runtime_free(key, out->buf);
		return e;
	}
	out->open = true;
	*output = out;
	return EXPERT_OK;
}

static bool output_valid(const ExpertKey *key, const ExpertOutput *out)
{
	return out >= key->outputs && out < key->outputs + OUTPUTS_MAX && out->open;
}

ExpertError expert_write_frame(ExpertKey *key, ExpertOutput *out, const ExpertFrame *frame)
{
	runtime_call();
	if (!runtime_key_valid(key) || !output_valid(key, out) || !frame ||
	    (frame->cap_len && !frame->data) || frame->cap_len > frame->orig_len ||
	    frame->ts_nsec >= 1000000000u)
		return EXPERT_ERR_INVALID_ARGUMENT;
	ExpertError e;
	if (out->format == EXPERT_OUTPUT_PCAP) {
		if (frame->ts_sec < 0 || frame->ts_sec > UINT32_MAX)
			return EXPERT_ERR_INVALID_ARGUMENT;
		e = put_u32(out, (uint32_t)frame->ts_sec);
		if (!e) e = put_u32(out, frame->ts_nsec);
		if (!e) e = put_u32(out, frame->cap_len);
		if (!e) e = put_u32(out, frame->orig_len);
		if (!e) e = put(out, frame->data, frame->cap_len);
	} else {
		if (frame->ts_sec < 0)
			return EXPERT_ERR_INVALID_ARGUMENT;
		uint64_t ts = (uint64_t)frame->ts_sec * 1000000000u + frame->ts_nsec;
		uint32_t padded = (frame->cap_len + 3u) & ~3u;
		uint32_t total = 32 + padded;
		static const uint8_t zeros[4];
		e = put_u32(out, 6);                  /* enhanced packet block */
		if (!e) e = put_u32(out, total);
		if (!e) e = put_u32(out, 0);          /* interface 0 */
		if (!e) e = put_u32(out, (uint32_t)(ts >> 32));
		if (!e) e = put_u32(out, (uint32_t)ts);
		if (!e) e = put_u32(out, frame->cap_len);
		if (!e) e = put_u32(out, frame->orig_len);
		if (!e) e = put(out, frame->data, frame->cap_len);
		if (!e) e = put(out, zeros, padded - frame->cap_len);
		if (!e) e = put_u32(out, total);
	}
	if (e == EXPERT_OK)
		out->frames++;
	return e;
}

ExpertError expert_close_output(ExpertKey *key, ExpertOutput *out)
{
	runtime_call();
	if (!runtime_key_valid(key) || !output_valid(key, out))
		return EXPERT_ERR_INVALID_ARGUMENT;
	ExpertError e = flush(out);
	/* The executor keeps a file only once told it is complete. */
	if (e == EXPERT_OK) {
		uint8_t buf[64];
		WireWriter w;
		wire_begin(&w, buf, sizeof(buf), WIRE_OUTPUT_CLOSE);
		wire_put_u32(&w, out->id);
		wire_put_u64(&w, out->frames);
		e = runtime_send(key, &w);
	}
	/* The descriptor stays open (see expert_create_output); the slot is
	 * used up, which the profile's output-files limit bounds anyway. */
	runtime_free(key, out->buf);
	out->open = false;
	out->buf = NULL;
	return e;
}
