/* runtime-internal.h — the state of the one job a child runs, shared by the
 * files of libexpert's runtime (runtime.c, memory.c, frames.c, output.c).
 * Never installed. */
#ifndef EXPERT_RUNTIME_INTERNAL_H
#define EXPERT_RUNTIME_INTERNAL_H

#include "bpf-vm.h"
#include "capture-format.h"
#include "expert.h"
#include "heap.h"
#include "wire.h"

#define OUTPUTS_MAX 16

struct ExpertOutput {
	bool open;
	uint32_t id;               /* the executor's */
	int fd;
	ExpertOutputFormat format;
	uint32_t link_type;
	uint64_t frames;
	uint8_t *buf;              /* from the pool */
	size_t len;
};

struct ExpertFilter {
	uint32_t n;
	BpfInsn insns[];
};

struct ExpertKey {
	int channel_fd;
	Heap *heap;
	const uint8_t *capture;
	size_t capture_size;
	const CaptureHeader *header;
	const CaptureRecord *records;
	uint64_t next_frame;       /* index of the next frame for get_next_frame */
	uint64_t frames_read;      /* delivered by get_next_frame (expert.h) */
	uint32_t events_sent, max_events;
	uint32_t faults_sent[WIRE_FAULT_MAX_];
	bool terminate;            /* the executor asked us to stop */
	bool host_gone;
	bool register_only;
	bool no_outputs;           /* START: the job may create no output captures */
	bool fail_sent;            /* expert_fail() spoke already */
	/* Fault injection (inject.c): the executor's plan, from START, and
	 * the expert's API calls and allocations counted under it. */
	bool inject_on;
	WireInjectPlan inject;
	uint64_t api_calls, allocations;
	uint32_t injected_sent;
	/* From START. */
	const char *capture_name;
	uint64_t selected_frame;
	size_t n_config;
	const char *config_keys[WIRE_MAX_CONFIG], *config_values[WIRE_MAX_CONFIG];
	const ExpertFilter *run_filter; /* NULL: none */
	struct ExpertOutput outputs[OUTPUTS_MAX];
};

extern ExpertKey runtime_key;

bool runtime_key_valid(const ExpertKey *key);
ExpertError runtime_send(ExpertKey *key, WireWriter *w);
/* Looks for a TERMINATE without blocking. */
void runtime_poll(ExpertKey *key);
/* Sends request (already built in w) and waits for the reply of type
 * expected, which is decoded into *reply (strings point into buf); a
 * descriptor attached to it is returned in *fd (or -1). TERMINATE seen while
 * waiting is remembered. */
ExpertError runtime_request(ExpertKey *key, WireWriter *w, WireType expected, uint8_t *buf,
                            size_t cap, WireMessage *reply, int *fd);
void runtime_report_fault(ExpertKey *key, WireMemoryFault kind, size_t size, const void *where);

/* The memory API without counting a call (memory.c): for what libexpert
 * allocates on the expert's behalf inside another call (an output's
 * buffer, a filter), which is part of that call. */
ExpertError runtime_alloc(ExpertKey *key, size_t size, void **out);
ExpertError runtime_free(ExpertKey *key, void *block);

/* Fault injection (inject.c; expert.h, "API calls"). Every public function
 * that takes a key calls runtime_call() first, whatever its arguments:
 * it counts the call and, under a plan, makes that call's fault
 * (terminate: the terminate flag set from call n on; kill: after call n,
 * the runtime stops for the executor's SIGKILL). Counting costs a branch
 * when no plan was sent. */
void runtime_call(void);
/* An allocation reaching the allocator: counts it; true if the plan
 * refuses this one (the caller then returns EXPERT_ERR_NO_MEMORY, changing
 * nothing, and reports no quota fault: the quota was not reached). */
bool runtime_allocation_refused(ExpertKey *key);
/* Before FINISHED of configure or run: a kill planned after the last call
 * happens here, then the counts go to the executor (CALLS). */
void runtime_calls_done(ExpertKey *key);
/* A frame record to an ExpertFrame; false if the record is unusable. */
bool runtime_frame(const ExpertKey *key, uint64_t index, ExpertFrame *frame);

#endif /* EXPERT_RUNTIME_INTERNAL_H */
