/* frame-sizes.c — an honest expert with the bug fault injection is for: it
 * counts frames per captured length, in a list it grows one bucket per new
 * length, and never checks the allocation of a bucket. Under any ordinary
 * run it completes; `expert-exec stress --inject alloc@all` finds that the
 * 2nd allocation (the first bucket) or any later one refused makes
 * new_bucket write through NULL. Its first allocation, the summary, is
 * checked, so alloc@1 is survived. The README's "Finding the bug before a
 * user does" shows it; tests/inject/test-inject.sh asserts N and the
 * location. */
#include "expert.h"

#include <stdio.h>
#include <string.h>

typedef struct Bucket {
	uint32_t length;
	uint64_t frames;
	struct Bucket *next;
} Bucket;

typedef struct {
	uint64_t frames;
	Bucket *buckets;
} Summary;

bool expert_register(ExpertInfo *info)
{
	strcpy(info->name, "Frame sizes");
	strcpy(info->vendor, "expert-exec tests");
	strcpy(info->description, "Frames per captured length (with an unchecked allocation)");
	info->version = EXPERT_VERSION(1, 0);
	return true;
}

/* The bug: expert_alloc_memory can refuse, and then b is NULL. */
static __attribute__((noinline)) Bucket *new_bucket(ExpertKey *key, uint32_t length, Bucket *next)
{
	Bucket *b = NULL;
	expert_alloc_memory(key, sizeof(*b), (void **)&b);
	b->length = length;
	b->frames = 0;
	b->next = next;
	return b;
}

static Bucket *bucket_for(ExpertKey *key, Summary *s, uint32_t length)
{
	for (Bucket *b = s->buckets; b; b = b->next)
		if (b->length == length)
			return b;
	s->buckets = new_bucket(key, length, s->buckets);
	return s->buckets;
}

int expert_run(ExpertKey *key)
{
	Summary *s;
	if (expert_alloc_memory(key, sizeof(*s), (void **)&s) != EXPERT_OK)
		return expert_fail(key, "no memory for the summary");
	s->frames = 0;
	s->buckets = NULL;
	ExpertFrame frame;
	ExpertError e;
	while ((e = expert_get_next_frame(key, &frame)) == EXPERT_OK) {
		s->frames++;
		bucket_for(key, s, frame.cap_len)->frames++;
	}
	if (e != EXPERT_ERR_END_OF_CAPTURE)
		return (int)e;
	unsigned lengths = 0;
	for (const Bucket *b = s->buckets; b; b = b->next)
		lengths++;
	char count[32];
	snprintf(count, sizeof(count), "%u", lengths);
	ExpertEventDetail detail = { "lengths", count };
	return expert_submit_event(key, EXPERT_SEVERITY_INFO, "distinct frame lengths", &detail, 1);
}
