/* events.h — an event's details, listed one per line, then submitted.
 *
 * expert_submit_event takes an array of key/value strings. Most values are
 * counts, and each needs its own buffer that lives until the event is sent;
 * an Event holds those buffers, so an expert adds its details in order
 * (some only when they apply) and submits once.
 *
 * Calls libexpert (expert_submit_event); unit-tested against a fake of it.
 */
#ifndef EXPERTS_COMMON_EVENTS_H
#define EXPERTS_COMMON_EVENTS_H

#include "format.h"

#include <expert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	ExpertEventDetail details[EXPERT_EVENT_DETAILS_MAX];
	char numbers[EXPERT_EVENT_DETAILS_MAX][FORMAT_U64_MAX]; /* the counts' text */
	size_t n;
	bool too_many; /* a detail did not fit: event_submit refuses */
} Event;

/* No details yet. */
void event_init(Event *e);

/* A detail whose value (not copied) must stay valid until event_submit. */
void event_add(Event *e, const char *key, const char *value);

/* A detail whose value is a count, in decimal. */
void event_add_u64(Event *e, const char *key, uint64_t value);

/* Sends the event with its details in the order added. EXPERT_ERR_INVALID_ARGUMENT,
 * sending nothing, if more than EXPERT_EVENT_DETAILS_MAX were added; else
 * what expert_submit_event returns. */
ExpertError event_submit(const Event *e, ExpertKey *key, ExpertSeverity severity,
                         const char *text);

#endif /* EXPERTS_COMMON_EVENTS_H */
