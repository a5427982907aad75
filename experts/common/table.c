/* table.c — entries in insertion order, found through an open-addressing
 * index (see table.h). */
#include "table.h"

#include <string.h>

/* FNV-1a, then a final mix so that the low bits (the slot) depend on every
 * byte. Keys are short, and the index only needs a spread, not secrecy: a
 * capture crafted to collide costs CPU time, which the profile bounds. */
static uint64_t hash(const void *k, size_t n)
{
	const uint8_t *p = k;
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return h;
}

void table_init(Table *t, ExpertKey *key, size_t entry_size, size_t key_size,
                uint32_t initial_entries)
{
	*t = (Table){ .key = key, .entry_size = entry_size, .key_size = key_size,
	              .initial_entries = initial_entries };
}

void *table_entry(const Table *t, uint32_t i)
{
	return t->entries + (size_t)i * t->entry_size;
}

/* The slot holding k, or the empty slot where it would go. */
static uint32_t probe(const Table *t, const void *k)
{
	uint32_t mask = t->slot_capacity - 1;
	uint32_t i = (uint32_t)hash(k, t->key_size) & mask;
	while (t->slots[i] != 0 && memcmp(table_entry(t, t->slots[i] - 1), k, t->key_size) != 0)
		i = (i + 1) & mask;
	return i;
}

void *table_find(const Table *t, const void *k)
{
	if (t->slot_capacity == 0)
		return NULL;
	uint32_t s = t->slots[probe(t, k)];
	return s != 0 ? table_entry(t, s - 1) : NULL;
}

/* Doubles the index, or makes the first one, and fills it from the entries
 * in order, so a key's later entries win: they are what the key means. */
static ExpertError grow_slots(Table *t)
{
	if (t->slot_capacity > UINT32_MAX / 2)
		return EXPERT_ERR_OVERFLOW;
	uint32_t capacity = t->slot_capacity ? t->slot_capacity * 2 : t->initial_entries * 2;
	void *block;
	ExpertError err = expert_realloc_memory(t->key, t->slots, (size_t)capacity * sizeof(uint32_t),
	                                        &block);
	if (err != EXPERT_OK)
		return err;
	t->slots = block;
	t->slot_capacity = capacity;
	memset(t->slots, 0, (size_t)capacity * sizeof(uint32_t));
	for (uint32_t n = 0; n < t->n_entries; n++)
		t->slots[probe(t, table_entry(t, n))] = n + 1;
	return EXPERT_OK;
}

static ExpertError grow_entries(Table *t)
{
	/* slot_capacity, twice as large, must stay representable. */
	if (t->entry_capacity > UINT32_MAX / 4)
		return EXPERT_ERR_OVERFLOW;
	uint32_t capacity = t->entry_capacity ? t->entry_capacity * 2 : t->initial_entries;
	void *block;
	ExpertError err = expert_realloc_memory(t->key, t->entries, (size_t)capacity * t->entry_size,
	                                        &block);
	if (err != EXPERT_OK)
		return err;
	t->entries = block;
	t->entry_capacity = capacity;
	return EXPERT_OK;
}

/* Appends an entry for k and points slot (k's, from probe) at it. */
static ExpertError add_at(Table *t, const void *k, uint32_t slot, void **entry)
{
	ExpertError err;
	if (t->n_entries == t->entry_capacity && (err = grow_entries(t)) != EXPERT_OK)
		return err;
	if (t->slots[slot] == 0) {
		if ((uint64_t)(t->n_keys + 1) * 2 > t->slot_capacity) {
			if ((err = grow_slots(t)) != EXPERT_OK)
				return err;
			slot = probe(t, k);
		}
		t->n_keys++;
	}
	uint8_t *e = table_entry(t, t->n_entries);
	memset(e, 0, t->entry_size);
	memcpy(e, k, t->key_size);
	t->slots[slot] = ++t->n_entries;
	*entry = e;
	return EXPERT_OK;
}

/* The first add makes the index: a table that stays empty costs nothing. */
static ExpertError ensure_index(Table *t)
{
	return t->slot_capacity == 0 ? grow_slots(t) : EXPERT_OK;
}

ExpertError table_upsert(Table *t, const void *k, void **entry, bool *added)
{
	*added = false;
	ExpertError err = ensure_index(t);
	if (err != EXPERT_OK)
		return err;
	uint32_t slot = probe(t, k);
	if (t->slots[slot] != 0) {
		*entry = table_entry(t, t->slots[slot] - 1);
		return EXPERT_OK;
	}
	err = add_at(t, k, slot, entry);
	*added = err == EXPERT_OK;
	return err;
}

ExpertError table_add(Table *t, const void *k, void **entry)
{
	ExpertError err = ensure_index(t);
	if (err != EXPERT_OK)
		return err;
	return add_at(t, k, probe(t, k), entry);
}

ExpertError table_free(Table *t)
{
	ExpertError err = expert_free_memory(t->key, t->entries);
	ExpertError err2 = expert_free_memory(t->key, t->slots);
	table_init(t, t->key, t->entry_size, t->key_size, t->initial_entries);
	return err != EXPERT_OK ? err : err2;
}
