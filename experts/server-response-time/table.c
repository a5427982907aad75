/* table.c — open addressing over pool memory (see table.h). */
#include "table.h"

#include <string.h>

#define INITIAL_CAPACITY 256u

/* FNV-1a: keys are short, and the table only needs a spread, not secrecy
 * (a capture crafted to collide costs CPU time, which the profile bounds). */
static uint64_t hash(const void *k, size_t n)
{
	const uint8_t *p = k;
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

void table_init(Table *t, ExpertKey *key, size_t entry_size, size_t key_size)
{
	*t = (Table){ .key = key, .entry_size = entry_size, .key_size = key_size };
}

/* The slot holding k, or the empty slot where it would go. */
static size_t probe(const Table *t, const void *k)
{
	size_t mask = t->capacity - 1;
	size_t i = (size_t)hash(k, t->key_size) & mask;
	while (t->used[i] && memcmp(t->entries + i * t->entry_size, k, t->key_size) != 0)
		i = (i + 1) & mask;
	return i;
}

void *table_find(const Table *t, const void *k)
{
	if (t->capacity == 0)
		return NULL;
	size_t i = probe(t, k);
	return t->used[i] ? t->entries + i * t->entry_size : NULL;
}

static ExpertError grow(Table *t)
{
	size_t capacity = t->capacity ? t->capacity * 2 : INITIAL_CAPACITY;
	if (capacity < t->capacity || capacity > SIZE_MAX / t->entry_size)
		return EXPERT_ERR_NO_MEMORY;
	void *entries, *used;
	ExpertError err = expert_alloc_memory(t->key, capacity * t->entry_size, &entries);
	if (err != EXPERT_OK)
		return err;
	err = expert_alloc_memory(t->key, capacity, &used);
	if (err != EXPERT_OK) {
		expert_free_memory(t->key, entries);
		return err;
	}
	memset(used, 0, capacity);
	Table bigger = *t;
	bigger.entries = entries;
	bigger.used = used;
	bigger.capacity = capacity;
	for (size_t i = 0; i < t->capacity; i++) {
		if (!t->used[i])
			continue;
		const uint8_t *e = t->entries + i * t->entry_size;
		size_t j = probe(&bigger, e);
		memcpy(bigger.entries + j * t->entry_size, e, t->entry_size);
		bigger.used[j] = 1;
	}
	table_free(t);
	*t = bigger;
	return EXPERT_OK;
}

ExpertError table_upsert(Table *t, const void *k, void **entry, bool *added)
{
	*added = false;
	if (t->capacity > 0) {
		size_t i = probe(t, k);
		if (t->used[i]) {
			*entry = t->entries + i * t->entry_size;
			return EXPERT_OK;
		}
	}
	/* At most three quarters full, so probes stay short. */
	if ((t->count + 1) * 4 > t->capacity * 3) {
		ExpertError err = grow(t);
		if (err != EXPERT_OK)
			return err == EXPERT_ERR_OVERFLOW ? EXPERT_ERR_NO_MEMORY : err;
	}
	size_t i = probe(t, k);
	uint8_t *e = t->entries + i * t->entry_size;
	memset(e, 0, t->entry_size);
	memcpy(e, k, t->key_size);
	t->used[i] = 1;
	t->count++;
	*entry = e;
	*added = true;
	return EXPERT_OK;
}

void *table_slot(const Table *t, size_t i)
{
	return i < t->capacity && t->used[i] ? t->entries + i * t->entry_size : NULL;
}

void table_free(Table *t)
{
	expert_free_memory(t->key, t->entries);
	expert_free_memory(t->key, t->used);
	t->entries = t->used = NULL;
	t->capacity = t->count = 0;
}
