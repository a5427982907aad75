/* fake-libexpert.h — the libexpert calls the experts' shared code makes
 * (experts/common: memory, frames, status, events, settings, failures), done in-process for
 * its unit tests: memory from malloc under a quota, frames numbered 1 to
 * N with no data, and every status and event recorded for the test to
 * read. One fake run at a time.
 */
#ifndef FAKE_LIBEXPERT_H
#define FAKE_LIBEXPERT_H

#include <expert.h>
#include <glib.h>

typedef struct {
	ExpertState state;
	int percent;
	char *text;
} FakeStatus;

typedef struct {
	ExpertSeverity severity;
	char *text;
	GPtrArray *details; /* "key=value" strings, in order */
} FakeEvent;

/* Starts a fresh run over n_frames frames, with no memory in use, nothing
 * recorded and no quota; returns the key to pass. */
ExpertKey *fake_libexpert_start(uint64_t n_frames);

/* Allocations that would take the live total above bytes are refused with
 * EXPERT_ERR_NO_MEMORY. */
void fake_libexpert_set_quota(size_t bytes);

/* From the n-th status on (1 for the first), expert_indicate_status
 * returns error, as the real one does when the host asks the expert to
 * stop; 0 never. */
void fake_libexpert_fail_status_from(guint n, ExpertError error);

/* What the run did so far. */
size_t fake_libexpert_live_bytes(void);
guint fake_libexpert_live_blocks(void);
uint64_t fake_libexpert_frames_read(void);
GPtrArray *fake_libexpert_statuses(void); /* of FakeStatus */
GPtrArray *fake_libexpert_events(void);   /* of FakeEvent */
/* What expert_config_get answers for name (NULL: not given). */
void fake_libexpert_set_config(const char *name, const char *value);
/* Every text given to expert_fail, in order (char*). */
GPtrArray *fake_libexpert_failures(void);

#endif /* FAKE_LIBEXPERT_H */
