/* events.c — building and submitting an event (see events.h). */
#include "events.h"

void event_init(Event *e)
{
	e->n = 0;
	e->too_many = false;
}

void event_add(Event *e, const char *key, const char *value)
{
	if (e->n == EXPERT_EVENT_DETAILS_MAX) {
		e->too_many = true;
		return;
	}
	e->details[e->n++] = (ExpertEventDetail){ key, value };
}

void event_add_u64(Event *e, const char *key, uint64_t value)
{
	/* Formatted into the slot this detail takes, if it takes one. */
	if (e->n == EXPERT_EVENT_DETAILS_MAX) {
		e->too_many = true;
		return;
	}
	event_add(e, key, format_u64(value, e->numbers[e->n]));
}

ExpertError event_submit(const Event *e, ExpertKey *key, ExpertSeverity severity,
                         const char *text)
{
	if (e->too_many)
		return EXPERT_ERR_INVALID_ARGUMENT;
	return expert_submit_event(key, severity, text, e->details, e->n);
}
