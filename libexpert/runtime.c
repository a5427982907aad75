/* runtime.c — the expert API as it runs inside a job's child.
 *
 * One job per process, so the state is one static ExpertKey. Memory comes from
 * the heap laid over the job's pool region, frames are read in place from the
 * capture mapping, status and events go to the executor as channel messages.
 * Nothing here allocates from libc or makes a syscall beyond send/recv on the
 * channel: the strict profile allows no more. */
#include "runtime.h"

#include "capture-format.h"
#include "heap.h"
#include "wire.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct ExpertKey {
	int channel_fd;
	Heap *heap;
	const uint8_t *capture;
	size_t capture_size;
	const CaptureHeader *header;
	const CaptureRecord *records;
	uint64_t next_frame;       /* index of the next frame to give */
	uint64_t frames_read;
	uint32_t events_sent, max_events;
	uint32_t faults_sent[WIRE_FAULT_MAX_];
	bool terminate;            /* the executor asked us to stop */
	bool host_gone;
};

static ExpertKey the_key;

/* Reported faults beyond this many per kind are refused all the same but not
 * sent: a buggy loop must not flood the channel into a protocol violation. */
#define FAULT_REPORTS_MAX 32
/* How often (in frames) to look for a TERMINATE from the executor. */
#define TERMINATE_POLL_FRAMES 4096

int expert_runtime_send(int channel_fd, const void *buf, size_t len)
{
	for (;;) {
		/* MSG_NOSIGNAL: a gone executor is an error to return, not SIGPIPE. */
		ssize_t n = send(channel_fd, buf, len, MSG_NOSIGNAL);
		if (n >= 0)
			return (size_t)n == len ? 0 : -EMSGSIZE;
		if (errno != EINTR)
			return -errno;
	}
}

void expert_runtime_load_failed(int channel_fd, const char *reason)
{
	uint8_t buf[WIRE_MAX_MESSAGE];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_LOAD_FAILED);
	wire_put_str(&w, reason, WIRE_MAX_STRING);
	size_t len = wire_finish(&w);
	if (len)
		(void)expert_runtime_send(channel_fd, buf, len);
}

static ExpertError send_message(ExpertKey *key, WireWriter *w)
{
	size_t len = wire_finish(w);
	if (len == 0)
		return EXPERT_ERR_INVALID_ARGUMENT;
	if (key->host_gone)
		return EXPERT_ERR_HOST;
	if (expert_runtime_send(key->channel_fd, w->buf, len) < 0) {
		key->host_gone = true;
		return EXPERT_ERR_HOST;
	}
	return EXPERT_OK;
}

/* Non-blocking look for executor messages; the only one it sends is TERMINATE. */
static void poll_executor(ExpertKey *key)
{
	uint8_t buf[64];
	while (!key->terminate) {
		ssize_t n = recv(key->channel_fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		WireMessage msg;
		const char *error;
		if (wire_decode(buf, (size_t)n, &msg, &error) && msg.type == WIRE_TERMINATE)
			key->terminate = true;
	}
}

static bool key_valid(const ExpertKey *key)
{
	return key == &the_key && key->heap != NULL;
}

static void report_fault(ExpertKey *key, WireMemoryFault kind, size_t size, const void *where)
{
	if (key->faults_sent[kind] >= FAULT_REPORTS_MAX)
		return;
	key->faults_sent[kind]++;
	/* Offsets, not addresses: the executor has no use for our layout. */
	uintptr_t base = (uintptr_t)key->heap, p = (uintptr_t)where;
	uint64_t offset = p >= base ? (uint64_t)(p - base) : UINT64_MAX;
	uint8_t buf[64];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_MEMORY_FAULT);
	wire_put_u8(&w, (uint8_t)kind);
	wire_put_u64(&w, size);
	wire_put_u64(&w, offset);
	(void)send_message(key, &w);
}

/* Corrupt allocator metadata means our own results can no longer be trusted:
 * say so, then die the way glibc does on a corrupt heap. */
static void heap_corrupted(ExpertKey *key, const void *where)
{
	report_fault(key, WIRE_FAULT_CORRUPTION, 0, where);
	abort();
}

static ExpertError map_heap_result(ExpertKey *key, HeapResult r, size_t size, const void *ptr)
{
	switch (r) {
	case HEAP_OK:
		return EXPERT_OK;
	case HEAP_NO_MEMORY:
		report_fault(key, WIRE_FAULT_QUOTA, size, NULL);
		return EXPERT_ERR_NO_MEMORY;
	case HEAP_OVERFLOW:
		report_fault(key, WIRE_FAULT_QUOTA, size, NULL);
		return EXPERT_ERR_OVERFLOW;
	case HEAP_INVALID_POINTER:
		report_fault(key, WIRE_FAULT_INVALID_POINTER, size, ptr);
		return EXPERT_ERR_INVALID_POINTER;
	case HEAP_CORRUPT:
		heap_corrupted(key, ptr);
	}
	return EXPERT_ERR_INVALID_ARGUMENT;
}

ExpertKey *expert_runtime_bind(const ExpertRuntimeJob *job, const char **error)
{
	ExpertKey *key = &the_key;
	memset(key, 0, sizeof(*key));
	key->channel_fd = job->channel_fd;
	key->max_events = job->max_events;

	key->heap = heap_init(job->region, job->region_size);
	if (!key->heap) {
		*error = "the pool region is too small for the allocator";
		return NULL;
	}

	/* The executor wrote the capture, but check it all the same: a bug there
	 * must not become a read outside the mapping here. */
	const CaptureHeader *h = job->capture;
	if (job->capture_size < sizeof(*h) || h->magic != CAPTURE_MAGIC ||
	    h->version != CAPTURE_VERSION || h->total_size != job->capture_size ||
	    h->records_offset > job->capture_size ||
	    h->frame_count > (job->capture_size - h->records_offset) / sizeof(CaptureRecord) ||
	    h->data_offset > job->capture_size ||
	    h->data_size > job->capture_size - h->data_offset) {
		*error = "the capture mapping is not a valid capture";
		return NULL;
	}
	key->capture = job->capture;
	key->capture_size = job->capture_size;
	key->header = h;
	key->records = (const CaptureRecord *)(key->capture + h->records_offset);
	return key;
}

/* ---- the public API ----------------------------------------------------- */

ExpertError expert_alloc_memory(ExpertKey *key, size_t size, void **out)
{
	if (!key_valid(key) || !out)
		return EXPERT_ERR_INVALID_ARGUMENT;
	*out = NULL;
	if (key->terminate)
		return EXPERT_ERR_TERMINATE;
	return map_heap_result(key, heap_alloc(key->heap, size, out), size, NULL);
}

ExpertError expert_realloc_memory(ExpertKey *key, void *block, size_t size, void **out)
{
	if (!key_valid(key) || !out)
		return EXPERT_ERR_INVALID_ARGUMENT;
	*out = NULL;
	if (key->terminate && size != 0)
		return EXPERT_ERR_TERMINATE;
	return map_heap_result(key, heap_realloc(key->heap, block, size, out), size, block);
}

ExpertError expert_free_memory(ExpertKey *key, void *block)
{
	if (!key_valid(key))
		return EXPERT_ERR_INVALID_ARGUMENT;
	return map_heap_result(key, heap_free(key->heap, block), 0, block);
}

size_t expert_memory_size(ExpertKey *key, const void *block)
{
	if (!key_valid(key) || !block)
		return 0;
	return heap_block_size(key->heap, block);
}

const char *expert_config_get(ExpertKey *key, const char *name)
{
	(void)key;
	(void)name;
	return NULL;
}

ExpertError expert_get_capture_info(ExpertKey *key, ExpertCaptureInfo *info)
{
	if (!key_valid(key) || !info)
		return EXPERT_ERR_INVALID_ARGUMENT;
	info->frame_count = key->header->frame_count;
	info->link_type = key->header->link_type;
	info->partial = (key->header->flags & CAPTURE_FLAG_PARTIAL) != 0;
	return EXPERT_OK;
}

ExpertError expert_get_next_frame(ExpertKey *key, ExpertFrame *frame)
{
	if (!key_valid(key) || !frame)
		return EXPERT_ERR_INVALID_ARGUMENT;
	if (key->next_frame % TERMINATE_POLL_FRAMES == TERMINATE_POLL_FRAMES - 1)
		poll_executor(key);
	if (key->terminate)
		return EXPERT_ERR_TERMINATE;
	if (key->next_frame >= key->header->frame_count)
		return EXPERT_ERR_END_OF_CAPTURE;

	const CaptureRecord *rec = &key->records[key->next_frame];
	const CaptureHeader *h = key->header;
	if (rec->offset > h->data_size || rec->cap_len > h->data_size - rec->offset)
		return EXPERT_ERR_END_OF_CAPTURE;

	frame->number = ++key->next_frame;
	frame->ts_sec = rec->ts_sec;
	frame->ts_nsec = rec->ts_nsec;
	frame->link_type = rec->link_type;
	frame->orig_len = rec->orig_len;
	frame->cap_len = rec->cap_len;
	frame->data = key->capture + h->data_offset + rec->offset;
	key->frames_read++;
	return EXPERT_OK;
}

ExpertError expert_indicate_status(ExpertKey *key, ExpertState state, int percent_done,
                                   const char *text)
{
	if (!key_valid(key) || (unsigned)state > EXPERT_STATE_FINISHING ||
	    percent_done < -1 || percent_done > 100)
		return EXPERT_ERR_INVALID_ARGUMENT;
	poll_executor(key);
	if (key->terminate)
		return EXPERT_ERR_TERMINATE;
	uint8_t buf[WIRE_MAX_MESSAGE];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_STATUS);
	wire_put_u8(&w, (uint8_t)state);
	wire_put_u8(&w, (uint8_t)(int8_t)percent_done);
	wire_put_str(&w, text, EXPERT_TEXT_MAX);
	return send_message(key, &w);
}

ExpertError expert_submit_event(ExpertKey *key, ExpertSeverity severity, const char *text,
                                const ExpertEventDetail *details, size_t n_details)
{
	if (!key_valid(key) || (unsigned)severity > EXPERT_SEVERITY_ERROR ||
	    n_details > EXPERT_EVENT_DETAILS_MAX || (n_details && !details))
		return EXPERT_ERR_INVALID_ARGUMENT;
	for (size_t i = 0; i < n_details; i++)
		if (!details[i].key || !details[i].key[0])
			return EXPERT_ERR_INVALID_ARGUMENT;
	if (key->terminate)
		return EXPERT_ERR_TERMINATE;
	if (key->events_sent >= key->max_events)
		return EXPERT_ERR_TERMINATE;

	uint8_t buf[WIRE_MAX_MESSAGE];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_EVENT);
	wire_put_u8(&w, (uint8_t)severity);
	wire_put_str(&w, text, EXPERT_TEXT_MAX);
	wire_put_u8(&w, (uint8_t)n_details);
	for (size_t i = 0; i < n_details; i++) {
		wire_put_str(&w, details[i].key, WIRE_MAX_STRING);
		wire_put_str(&w, details[i].value, WIRE_MAX_STRING);
	}
	ExpertError e = send_message(key, &w);
	if (e == EXPERT_OK)
		key->events_sent++;
	return e;
}

/* ---- driving the entry points ------------------------------------------ */

static void send_finished(ExpertKey *key, WireStage stage, int32_t result)
{
	uint8_t buf[64];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_FINISHED);
	wire_put_u8(&w, (uint8_t)stage);
	wire_put_u32(&w, (uint32_t)result);
	wire_put_u64(&w, key->frames_read);
	(void)send_message(key, &w);
}

void expert_runtime_drive(ExpertKey *key, const ExpertEntryPoints *entry)
{
	ExpertInfo info;
	memset(&info, 0, sizeof(info));
	bool ok = entry->register_fn(&info);

	/* The expert filled fixed arrays; never trust that it terminated them. */
	info.name[sizeof(info.name) - 1] = '\0';
	info.vendor[sizeof(info.vendor) - 1] = '\0';
	info.description[sizeof(info.description) - 1] = '\0';
	uint8_t buf[WIRE_MAX_MESSAGE];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_REGISTERED);
	wire_put_str(&w, info.name, sizeof(info.name));
	wire_put_str(&w, info.vendor, sizeof(info.vendor));
	wire_put_str(&w, info.description, sizeof(info.description));
	wire_put_u32(&w, info.version);
	wire_put_u32(&w, info.flags);
	(void)send_message(key, &w);
	if (!ok) {
		send_finished(key, WIRE_STAGE_REGISTER, 0);
		return;
	}

	if (entry->configure_fn) {
		ExpertError e = entry->configure_fn(key);
		if (e != EXPERT_OK) {
			send_finished(key, WIRE_STAGE_CONFIGURE, (int32_t)e);
			return;
		}
	}

	int result = entry->run_fn(key);
	send_finished(key, WIRE_STAGE_RUN, result);
}
