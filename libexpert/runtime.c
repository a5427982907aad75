/* runtime.c — the one job a child runs: binding it to its region, capture
 * and channel, the START message, talking to the executor, and driving the
 * entry points. The API itself is in memory.c, frames.c, output.c and the
 * status/event calls below.
 *
 * One job per process, so the state is one static ExpertKey. Nothing here
 * allocates from libc or makes a syscall beyond send/recv on the channel:
 * the strict profile allows no more. */
#include "runtime.h"
#include "runtime-internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

ExpertKey runtime_key;

/* START's strings and program live here for the whole run. */
static uint8_t start_buf[WIRE_MAX_LARGE];
static char start_strings[WIRE_MAX_LARGE];
static union {
	struct ExpertFilter filter;
	uint8_t bytes[sizeof(struct ExpertFilter) + WIRE_MAX_BPF * sizeof(BpfInsn)];
} start_filter;

/* Reported faults beyond this many per kind are refused all the same but not
 * sent: a buggy loop must not flood the channel into a protocol violation. */
#define FAULT_REPORTS_MAX 32

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

bool runtime_key_valid(const ExpertKey *key)
{
	return key == &runtime_key && key->heap != NULL;
}

ExpertError runtime_send(ExpertKey *key, WireWriter *w)
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

/* Receives one datagram, with at most one descriptor; flags says whether to
 * wait. Returns its length, 0 when nothing waits, or -1. */
static ssize_t receive(ExpertKey *key, uint8_t *buf, size_t cap, int *fd, int flags)
{
	union {
		char cbuf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { buf, cap };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control.cbuf, .msg_controllen = sizeof(control.cbuf),
	};
	*fd = -1;
	for (;;) {
		ssize_t n = recvmsg(key->channel_fd, &msg, flags | MSG_CMSG_CLOEXEC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(fd, CMSG_DATA(c), sizeof(int));
		return n == 0 ? -1 : n;
	}
}

void runtime_poll(ExpertKey *key)
{
	uint8_t buf[64];
	while (!key->terminate && !key->host_gone) {
		int fd;
		ssize_t n = receive(key, buf, sizeof(buf), &fd, MSG_DONTWAIT);
		if (fd >= 0)
			close(fd);
		if (n <= 0)
			return;
		WireMessage msg;
		const char *error;
		if (wire_decode(buf, (size_t)n, &msg, &error) && msg.type == WIRE_TERMINATE)
			key->terminate = true;
	}
}

ExpertError runtime_request(ExpertKey *key, WireWriter *w, WireType expected, uint8_t *buf,
                            size_t cap, WireMessage *reply, int *fd)
{
	ExpertError e = runtime_send(key, w);
	if (e != EXPERT_OK)
		return e;
	for (;;) {
		ssize_t n = receive(key, buf, cap, fd, 0);
		if (n < 0) {
			key->host_gone = true;
			return EXPERT_ERR_HOST;
		}
		const char *error;
		if (wire_decode(buf, (size_t)n, reply, &error) && reply->type == expected)
			return EXPERT_OK;
		if (*fd >= 0)
			close(*fd);
		if (reply->type == WIRE_TERMINATE) {
			key->terminate = true;
			continue;
		}
		key->host_gone = true; /* the executor never sends anything else */
		return EXPERT_ERR_HOST;
	}
}

void runtime_report_fault(ExpertKey *key, WireMemoryFault kind, size_t size, const void *where)
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
	(void)runtime_send(key, &w);
}

/* Copies a received string into start_strings; returns it NUL-terminated. */
static const char *keep_string(WireString s, size_t *used)
{
	char *out = start_strings + *used;
	memcpy(out, s.ptr, s.len);
	out[s.len] = '\0';
	*used += (size_t)s.len + 1;
	return out;
}

/* START is the job's second message on the channel (after the child
 * protocol's ChildJob, which the setup code takes); reading it here, in
 * trusted setup code, means the expert never parses it. */
static bool read_start(ExpertKey *key, const char **error)
{
	int fd;
	ssize_t n = receive(key, start_buf, sizeof(start_buf), &fd, 0);
	if (fd >= 0)
		close(fd);
	WireMessage msg;
	const char *why;
	if (n <= 0 || !wire_decode(start_buf, (size_t)n, &msg, &why) || msg.type != WIRE_START) {
		*error = "the executor's START message is missing or malformed";
		return false;
	}
	/* Every string fits: together they are smaller than the message. */
	size_t used = 0;
	key->register_only = (msg.u.start.flags & WIRE_START_REGISTER_ONLY) != 0;
	key->no_outputs = (msg.u.start.flags & WIRE_START_NO_OUTPUTS) != 0;
	key->inject_on = (msg.u.start.flags & WIRE_START_INJECT) != 0;
	key->inject = msg.u.start.inject;
	key->capture_name = keep_string(msg.u.start.capture_name, &used);
	key->selected_frame = msg.u.start.selected_frame;
	key->n_config = msg.u.start.n_config;
	for (size_t i = 0; i < key->n_config; i++) {
		key->config_keys[i] = keep_string(msg.u.start.config[i].key, &used);
		key->config_values[i] = keep_string(msg.u.start.config[i].value, &used);
	}
	const WireBpf *bpf = &msg.u.start.filter;
	if (bpf->n_insns) {
		struct ExpertFilter *f = &start_filter.filter;
		f->n = bpf->n_insns;
		for (uint32_t i = 0; i < bpf->n_insns; i++)
			wire_bpf_insn(bpf, i, &f->insns[i].code, &f->insns[i].jt, &f->insns[i].jf,
			              &f->insns[i].k);
		if (!bpf_vm_validate(f->insns, f->n)) {
			*error = "the executor's frame filter is not a valid program";
			return false;
		}
		key->run_filter = f;
	}
	return true;
}

ExpertKey *expert_runtime_bind(const ExpertRuntimeJob *job, const char **error)
{
	ExpertKey *key = &runtime_key;
	memset(key, 0, sizeof(*key));
	key->channel_fd = job->channel_fd;
	key->max_events = job->max_events;
	for (size_t i = 0; i < OUTPUTS_MAX; i++)
		key->outputs[i].fd = -1;

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

bool expert_runtime_start(ExpertKey *key, const char **error)
{
	return read_start(key, error);
}

/* ---- status, events, configuration -------------------------------------- */

const char *expert_config_get(ExpertKey *key, const char *name)
{
	runtime_call();
	if (!runtime_key_valid(key) || !name)
		return NULL;
	/* The last setting of a name wins, as on a command line. */
	for (size_t i = key->n_config; i-- > 0;)
		if (strcmp(key->config_keys[i], name) == 0)
			return key->config_values[i];
	return NULL;
}

ExpertError expert_indicate_status(ExpertKey *key, ExpertState state, int percent_done,
                                   const char *text)
{
	runtime_call();
	if (!runtime_key_valid(key) || (unsigned)state > EXPERT_STATE_FINISHING ||
	    percent_done < -1 || percent_done > 100)
		return EXPERT_ERR_INVALID_ARGUMENT;
	runtime_poll(key);
	if (key->terminate)
		return EXPERT_ERR_TERMINATE;
	uint8_t buf[WIRE_MAX_MESSAGE];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_STATUS);
	wire_put_u8(&w, (uint8_t)state);
	wire_put_u8(&w, (uint8_t)(int8_t)percent_done);
	wire_put_str(&w, text, EXPERT_TEXT_MAX);
	return runtime_send(key, &w);
}

ExpertError expert_submit_event(ExpertKey *key, ExpertSeverity severity, const char *text,
                                const ExpertEventDetail *details, size_t n_details)
{
	runtime_call();
	if (!runtime_key_valid(key) || (unsigned)severity > EXPERT_SEVERITY_ERROR ||
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
	ExpertError e = runtime_send(key, &w);
	if (e == EXPERT_OK)
		key->events_sent++;
	return e;
}

ExpertError expert_fail(ExpertKey *key, const char *reason)
{
	runtime_call();
	if (!runtime_key_valid(key))
		return EXPERT_ERR_INVALID_ARGUMENT;
	/* The first reason is the one that matters: it is what went wrong. */
	if (key->fail_sent)
		return EXPERT_ERR_FAILED;
	key->fail_sent = true;
	uint8_t buf[WIRE_MAX_MESSAGE];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_FAIL);
	wire_put_str(&w, reason, EXPERT_TEXT_MAX);
	(void)runtime_send(key, &w);
	return EXPERT_ERR_FAILED;
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
	(void)runtime_send(key, &w);
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
	(void)runtime_send(key, &w);
	if (!ok || key->register_only) {
		send_finished(key, WIRE_STAGE_REGISTER, ok);
		return;
	}
	/* The executor refuses this job on REGISTERED (and ends it): start
	 * nothing it cannot finish. */
	if ((info.flags & EXPERT_FLAG_WRITES_OUTPUT) && key->no_outputs)
		return;

	if (entry->configure_fn) {
		ExpertError e = entry->configure_fn(key);
		if (e != EXPERT_OK) {
			runtime_calls_done(key);
			send_finished(key, WIRE_STAGE_CONFIGURE, (int32_t)e);
			return;
		}
	}

	int result = entry->run_fn(key);
	runtime_calls_done(key);
	send_finished(key, WIRE_STAGE_RUN, result);
}
