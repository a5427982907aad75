/* runtime.h — internal to expert-exec: how the child's setup code hands one
 * job to libexpert's runtime. Not installed; experts never see it. */
#ifndef EXPERT_RUNTIME_H
#define EXPERT_RUNTIME_H

#include "expert.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	int channel_fd;            /* the job's SOCK_SEQPACKET end */
	void *region;              /* the job's pool region, mapped read-write */
	size_t region_size;
	const void *capture;       /* the run's capture, mapped read-only */
	size_t capture_size;
	uint32_t max_events;       /* from the profile */
} ExpertRuntimeJob;

typedef struct {
	ExpertRegisterFunc register_fn;
	ExpertConfigureFunc configure_fn; /* may be NULL */
	ExpertRunFunc run_fn;
} ExpertEntryPoints;

/* Binds the runtime to the child's region, capture and channel: lays the
 * heap over the region and checks the capture mapping. Returns NULL (with
 * *error set to a static text) if either is unusable. Nothing of a job is
 * needed yet: a child does this before its job exists. */
ExpertKey *expert_runtime_bind(const ExpertRuntimeJob *job, const char **error);

/* Waits for and reads the job's START (its settings, the capture's name,
 * the frame filter) from the channel. FALSE, with *error set to a static
 * text, if it is missing or malformed. */
bool expert_runtime_start(ExpertKey *key, const char **error);

/* Register, configure and run the expert, sending REGISTERED and FINISHED.
 * Returns when the expert's code has returned. */
void expert_runtime_drive(ExpertKey *key, const ExpertEntryPoints *entry);

/* Sends one pre-built message on the channel (used by the child's setup for
 * HELLO, LOADED and LOAD_FAILED). Returns 0 or a negative errno. */
int expert_runtime_send(int channel_fd, const void *buf, size_t len);

/* Installs the handler that sends FAULT (wire.h) when an instruction
 * faults, on a stack of its own (fault.c). Called by the child's setup
 * before the filter and before any code of the expert's. Returns 0 or a
 * negative errno. */
int expert_runtime_catch_faults(int channel_fd);

/* Sends LOAD_FAILED with reason; best effort. */
void expert_runtime_load_failed(int channel_fd, const char *reason);

#endif /* EXPERT_RUNTIME_H */
