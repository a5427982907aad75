/* table.h — a hash table of fixed-size entries in pool memory.
 *
 * Open addressing with linear probing; entries never leave (the experts that
 * use it keep what they learn until the end of the run). An entry is
 * entry_size bytes whose first key_size bytes are its key, compared with
 * memcmp: callers zero their key structs before filling them, so padding
 * compares equal. Growing moves the entries: a pointer from table_find or
 * table_upsert is valid only until the next table_upsert.
 */
#ifndef SRT_TABLE_H
#define SRT_TABLE_H

#include <expert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	ExpertKey *key;
	size_t entry_size;
	size_t key_size;
	uint8_t *entries;  /* capacity * entry_size */
	uint8_t *used;     /* capacity flags */
	size_t capacity;   /* 0 or a power of two */
	size_t count;
} Table;

void table_init(Table *t, ExpertKey *key, size_t entry_size, size_t key_size);

/* The entry with this key, or NULL. */
void *table_find(const Table *t, const void *k);

/* The entry with this key, added (zeroed, then the key copied in) if absent;
 * *added says which. EXPERT_ERR_NO_MEMORY when the table is full and cannot
 * grow: the table is unchanged. */
ExpertError table_upsert(Table *t, const void *k, void **entry, bool *added);

/* Slot i (0 <= i < capacity): its entry, or NULL if the slot is empty. */
void *table_slot(const Table *t, size_t i);

void table_free(Table *t);

#endif /* SRT_TABLE_H */
