/* table.h — a hash table of fixed-size entries in the expert's pool memory.
 *
 * Entries live densely in the order they were added, so a report can walk
 * them in that order; an open-addressing index (linear probing, at most
 * half full) maps a key to its entry. Both arrays grow by
 * expert_realloc_memory, so they count against the job's quota; nothing is
 * allocated until the first entry. Entries never leave: the experts keep
 * what they learn until the end of the run.
 *
 * An entry is entry_size bytes whose first key_size bytes are its key,
 * hashed and compared as bytes: callers zero their key structs before
 * filling them, so padding compares equal. Adding may move the entries: a
 * pointer from table_find, table_upsert or table_add is valid only until
 * the next table_upsert or table_add. A caller done with lookups may
 * reorder the entries in place (to sort them for its report); the index
 * is then stale and the table only fit for table_entry and table_free.
 *
 * Calls libexpert (memory); unit-tested against a fake of it.
 */
#ifndef EXPERTS_COMMON_TABLE_H
#define EXPERTS_COMMON_TABLE_H

#include <expert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	ExpertKey *key;
	size_t entry_size;
	size_t key_size;
	uint32_t initial_entries; /* room the first add makes */
	uint8_t *entries;         /* n_entries of entry_size bytes, in the order added */
	uint32_t n_entries;
	uint32_t entry_capacity;
	uint32_t *slots;          /* 0: empty; else the index of the key's newest entry + 1 */
	uint32_t slot_capacity;   /* 0, or a power of two */
	uint32_t n_keys;          /* occupied slots */
} Table;

/* An empty table. initial_entries is a power of two: the first add makes
 * room for that many entries and an index of twice as many slots. */
void table_init(Table *t, ExpertKey *key, size_t entry_size, size_t key_size,
                uint32_t initial_entries);

/* The newest entry with this key, or NULL. */
void *table_find(const Table *t, const void *k);

/* The newest entry with this key; if there is none, a new one (zeroed, then
 * the key copied in), and *added says which. On an error the table is as
 * it was: EXPERT_ERR_NO_MEMORY (the quota) or EXPERT_ERR_OVERFLOW (over
 * 2^30 entries). */
ExpertError table_upsert(Table *t, const void *k, void **entry, bool *added);

/* A new entry for this key (zeroed, then the key copied in) even if it has
 * some already: from now on it is what the key finds, and the earlier ones
 * stay where they are in the order. Errors as table_upsert's. */
ExpertError table_add(Table *t, const void *k, void **entry);

/* Entry i, 0 <= i < n_entries, in the order added. */
void *table_entry(const Table *t, uint32_t i);

/* Frees both arrays; the table is empty again. */
ExpertError table_free(Table *t);

#endif /* EXPERTS_COMMON_TABLE_H */
