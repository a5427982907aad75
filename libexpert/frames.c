/* frames.c — frames and frame filters (see expert.h). Frames are read in
 * place from the read-only capture mapping; filters run in bpf-vm.c.
 * frames_read counts what the forward walk delivers, nothing else (see
 * expert.h: look-ups by number or direction are not reads). */
#include "runtime-internal.h"

#include <string.h>

/* How often (in frames) get_next_frame looks for a TERMINATE. */
#define TERMINATE_POLL_FRAMES 4096

bool runtime_frame(const ExpertKey *key, uint64_t index, ExpertFrame *frame)
{
	const CaptureHeader *h = key->header;
	if (index >= h->frame_count)
		return false;
	const CaptureRecord *rec = &key->records[index];
	if (rec->offset > h->data_size || rec->cap_len > h->data_size - rec->offset)
		return false;
	frame->number = index + 1;
	frame->ts_sec = rec->ts_sec;
	frame->ts_nsec = rec->ts_nsec;
	frame->link_type = rec->link_type;
	frame->orig_len = rec->orig_len;
	frame->cap_len = rec->cap_len;
	frame->data = key->capture + h->data_offset + rec->offset;
	return true;
}

/* Filters are compiled for the capture's link type (the first frame's); in
 * a pcapng with several interfaces, a frame of another link type would be
 * read at the wrong offsets, so it never matches. */
static bool matches(const ExpertKey *key, const ExpertFilter *filter, const ExpertFrame *frame)
{
	if (!filter)
		return true;
	if (frame->link_type != key->header->link_type)
		return false;
	return bpf_vm_run(filter->insns, frame->data, frame->cap_len, frame->orig_len) != 0;
}

ExpertError expert_get_capture_info(ExpertKey *key, ExpertCaptureInfo *info)
{
	runtime_call();
	if (!runtime_key_valid(key) || !info)
		return EXPERT_ERR_INVALID_ARGUMENT;
	memset(info, 0, sizeof(*info));
	info->file_name = key->capture_name;
	info->frame_count = key->header->frame_count;
	info->link_type = key->header->link_type;
	info->partial = (key->header->flags & CAPTURE_FLAG_PARTIAL) != 0;
	info->selected_frame = key->selected_frame;
	ExpertFrame first;
	if (runtime_frame(key, 0, &first)) {
		info->start_sec = first.ts_sec;
		info->start_nsec = first.ts_nsec;
	}
	return EXPERT_OK;
}

ExpertError expert_get_next_frame(ExpertKey *key, ExpertFrame *frame)
{
	runtime_call();
	if (!runtime_key_valid(key) || !frame)
		return EXPERT_ERR_INVALID_ARGUMENT;
	for (;;) {
		if (key->next_frame % TERMINATE_POLL_FRAMES == TERMINATE_POLL_FRAMES - 1)
			runtime_poll(key);
		if (key->terminate)
			return EXPERT_ERR_TERMINATE;
		if (!runtime_frame(key, key->next_frame, frame))
			return EXPERT_ERR_END_OF_CAPTURE;
		key->next_frame++;
		if (matches(key, key->run_filter, frame)) {
			key->frames_read++;
			return EXPERT_OK;
		}
	}
}

ExpertError expert_get_frame(ExpertKey *key, ExpertFrameDirection direction, uint64_t number,
                             const ExpertFilter *filter, ExpertFrame *frame)
{
	runtime_call();
	if (!runtime_key_valid(key) || !frame || (unsigned)direction > EXPERT_FRAME_NEXT_BACKWARD)
		return EXPERT_ERR_INVALID_ARGUMENT;
	if (key->terminate)
		return EXPERT_ERR_TERMINATE;
	uint64_t count = key->header->frame_count;
	switch (direction) {
	case EXPERT_FRAME_SPECIFIED:
		if (number == 0 || !runtime_frame(key, number - 1, frame))
			return EXPERT_ERR_END_OF_CAPTURE;
		return EXPERT_OK;
	case EXPERT_FRAME_NEXT_FORWARD:
		/* Frame number n is index n - 1, so "after n" starts at index n. */
		for (uint64_t i = number; i < count; i++)
			if (runtime_frame(key, i, frame) && matches(key, filter, frame))
				return EXPERT_OK;
		return EXPERT_ERR_END_OF_CAPTURE;
	case EXPERT_FRAME_NEXT_BACKWARD:
		for (uint64_t i = (number == 0 || number > count) ? count : number - 1; i-- > 0;)
			if (runtime_frame(key, i, frame) && matches(key, filter, frame))
				return EXPERT_OK;
		return EXPERT_ERR_END_OF_CAPTURE;
	}
	return EXPERT_ERR_INVALID_ARGUMENT;
}

ExpertError expert_compile_filter(ExpertKey *key, const char *expression, ExpertFilter **out)
{
	runtime_call();
	if (!runtime_key_valid(key) || !expression || !out)
		return EXPERT_ERR_INVALID_ARGUMENT;
	*out = NULL;
	static uint8_t buf[WIRE_MAX_LARGE];
	uint8_t request[WIRE_MAX_MESSAGE];
	WireWriter w;
	wire_begin(&w, request, sizeof(request), WIRE_FILTER_REQUEST);
	wire_put_str(&w, expression, WIRE_MAX_STRING);
	if (strlen(expression) > WIRE_MAX_STRING)
		return EXPERT_ERR_INVALID_ARGUMENT;
	WireMessage reply;
	int fd;
	ExpertError e = runtime_request(key, &w, WIRE_FILTER_REPLY, buf, sizeof(buf), &reply, &fd);
	if (e != EXPERT_OK)
		return e;
	const WireBpf *bpf = &reply.u.filter_reply.program;
	if (reply.u.filter_reply.error.len || bpf->n_insns == 0)
		return EXPERT_ERR_INVALID_ARGUMENT;
	ExpertFilter *f;
	e = runtime_alloc(key, sizeof(*f) + bpf->n_insns * sizeof(BpfInsn), (void **)&f);
	if (e != EXPERT_OK)
		return e;
	f->n = bpf->n_insns;
	for (uint32_t i = 0; i < f->n; i++)
		wire_bpf_insn(bpf, i, &f->insns[i].code, &f->insns[i].jt, &f->insns[i].jf, &f->insns[i].k);
	if (!bpf_vm_validate(f->insns, f->n)) {
		runtime_free(key, f);
		return EXPERT_ERR_HOST;
	}
	*out = f;
	return EXPERT_OK;
}

ExpertError expert_free_filter(ExpertKey *key, ExpertFilter *filter)
{
	runtime_call();
	if (!runtime_key_valid(key))
		return EXPERT_ERR_INVALID_ARGUMENT;
	return runtime_free(key, filter);
}
