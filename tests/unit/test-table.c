/* test-table.c — the experts' hash table in pool memory
 * (experts/common/table.c), against a fake libexpert. */
#include "fake-libexpert.h"
#include "table.h"

#include <glib.h>
#include <string.h>

typedef struct {
	uint32_t id;   /* the key */
	uint32_t hits;
	uint64_t sum;
} Entry;

static Entry *upsert(Table *t, uint32_t id, gboolean *added)
{
	void *entry;
	bool is_new;
	g_assert_cmpint(table_upsert(t, &id, &entry, &is_new), ==, EXPERT_OK);
	if (added)
		*added = is_new;
	return entry;
}

/* Nothing is allocated until the first entry; freeing gives it all back. */
static void test_empty_table_costs_nothing(void)
{
	ExpertKey *key = fake_libexpert_start(0);
	Table t;
	table_init(&t, key, sizeof(Entry), sizeof(uint32_t), 4);
	uint32_t id = 7;
	g_assert_null(table_find(&t, &id));
	g_assert_cmpuint(fake_libexpert_live_blocks(), ==, 0);
	g_assert_cmpint(table_free(&t), ==, EXPERT_OK);
	upsert(&t, 7, NULL);
	g_assert_cmpuint(fake_libexpert_live_blocks(), ==, 2);
	g_assert_cmpint(table_free(&t), ==, EXPERT_OK);
	g_assert_cmpuint(fake_libexpert_live_bytes(), ==, 0);
	g_assert_cmpuint(t.n_entries, ==, 0);
	g_assert_null(table_find(&t, &id));
}

/* A new key's entry is zeroed with its key in place; the same key again
 * finds it, through every growth of both arrays. */
static void test_upsert_adds_once_and_finds_through_growth(void)
{
	ExpertKey *key = fake_libexpert_start(0);
	Table t;
	table_init(&t, key, sizeof(Entry), sizeof(uint32_t), 4);
	for (uint32_t round = 0; round < 3; round++) {
		for (uint32_t id = 0; id < 5000; id++) {
			gboolean added;
			Entry *e = upsert(&t, id * 7919u, &added);
			g_assert_cmpint(added, ==, round == 0);
			g_assert_cmpuint(e->id, ==, id * 7919u);
			g_assert_cmpuint(e->hits, ==, round);
			e->hits++;
			e->sum += id;
		}
	}
	g_assert_cmpuint(t.n_entries, ==, 5000);
	g_assert_cmpuint(t.n_keys, ==, 5000);
	g_assert_cmpuint((uint64_t)t.n_keys * 2, <=, t.slot_capacity);
	for (uint32_t id = 0; id < 5000; id++) {
		uint32_t k = id * 7919u;
		const Entry *e = table_find(&t, &k);
		g_assert_nonnull(e);
		g_assert_cmpuint(e->hits, ==, 3);
		g_assert_cmpuint(e->sum, ==, 3ull * id);
	}
	uint32_t absent = 1;
	g_assert_null(table_find(&t, &absent));
	table_free(&t);
}

/* The entries are in the order they were first added, whatever the hash. */
static void test_entries_keep_insertion_order(void)
{
	ExpertKey *key = fake_libexpert_start(0);
	Table t;
	table_init(&t, key, sizeof(Entry), sizeof(uint32_t), 2);
	static const uint32_t ids[] = { 900, 3, 77, 1u << 31, 0, 12345, 4, 5 };
	for (gsize i = 0; i < G_N_ELEMENTS(ids); i++)
		upsert(&t, ids[i], NULL);
	upsert(&t, 3, NULL); /* already there: not moved */
	g_assert_cmpuint(t.n_entries, ==, G_N_ELEMENTS(ids));
	for (uint32_t i = 0; i < t.n_entries; i++)
		g_assert_cmpuint(((const Entry *)table_entry(&t, i))->id, ==, ids[i]);
	table_free(&t);
}

/* table_add: the key now finds the new entry; the old one stays, in order
 * (a TCP 4-tuple reused by a new connection). */
static void test_add_makes_the_newest_entry_what_the_key_finds(void)
{
	ExpertKey *key = fake_libexpert_start(0);
	Table t;
	table_init(&t, key, sizeof(Entry), sizeof(uint32_t), 2);
	for (uint32_t generation = 0; generation < 4; generation++) {
		for (uint32_t id = 0; id < 100; id++) {
			void *entry;
			g_assert_cmpint(table_add(&t, &id, &entry), ==, EXPERT_OK);
			Entry *e = entry;
			g_assert_cmpuint(e->id, ==, id);
			g_assert_cmpuint(e->hits, ==, 0);
			e->hits = generation;
		}
	}
	g_assert_cmpuint(t.n_entries, ==, 400);
	g_assert_cmpuint(t.n_keys, ==, 100);
	for (uint32_t id = 0; id < 100; id++) {
		const Entry *e = table_find(&t, &id);
		g_assert_cmpuint(e->hits, ==, 3);
		gboolean added;
		g_assert_true(upsert(&t, id, &added) == e);
		g_assert_false(added);
	}
	for (uint32_t i = 0; i < t.n_entries; i++) {
		const Entry *e = table_entry(&t, i);
		g_assert_cmpuint(e->id, ==, i % 100);
		g_assert_cmpuint(e->hits, ==, i / 100);
	}
	table_free(&t);
}

/* Keys are their bytes: structs zeroed before filling compare whole. */
static void test_keys_compare_as_bytes(void)
{
	typedef struct {
		uint8_t layer;
		uint8_t addr[16];
	} Key;
	typedef struct {
		Key key;
		uint64_t count;
	} Counted;
	ExpertKey *k = fake_libexpert_start(0);
	Table t;
	table_init(&t, k, sizeof(Counted), sizeof(Key), 4);
	Key a = { 0 }, b = { 0 };
	a.layer = 1;
	memcpy(a.addr, "\x0a\x00\x00\x01", 4);
	b.layer = 2; /* same address, other layer: another key */
	memcpy(b.addr, "\x0a\x00\x00\x01", 4);
	void *ea, *eb, *again;
	bool added;
	g_assert_cmpint(table_upsert(&t, &a, &ea, &added), ==, EXPERT_OK);
	g_assert_cmpint(table_upsert(&t, &b, &eb, &added), ==, EXPERT_OK);
	g_assert_true(added);
	g_assert_true(ea != eb);
	Key a2 = { 0 };
	a2.layer = 1;
	memcpy(a2.addr, "\x0a\x00\x00\x01", 4);
	g_assert_cmpint(table_upsert(&t, &a2, &again, &added), ==, EXPERT_OK);
	g_assert_false(added);
	g_assert_true(again == ea);
	table_free(&t);
}

/* When the quota refuses a growth, the add fails and the table is as it
 * was; with more room the same add succeeds. */
static void test_refused_growth_leaves_the_table_as_it_was(void)
{
	ExpertKey *key = fake_libexpert_start(0);
	Table t;
	table_init(&t, key, sizeof(Entry), sizeof(uint32_t), 4);
	fake_libexpert_set_quota(4 * sizeof(Entry) + 8 * sizeof(uint32_t));
	for (uint32_t id = 0; id < 4; id++)
		upsert(&t, id, NULL);
	/* The fifth needs room for more entries and a larger index. */
	uint32_t id = 4;
	void *entry;
	bool added = true;
	g_assert_cmpint(table_upsert(&t, &id, &entry, &added), ==, EXPERT_ERR_NO_MEMORY);
	g_assert_false(added);
	g_assert_cmpint(table_add(&t, &id, &entry), ==, EXPERT_ERR_NO_MEMORY);
	g_assert_cmpuint(t.n_entries, ==, 4);
	g_assert_null(table_find(&t, &id));
	for (uint32_t k = 0; k < 4; k++)
		g_assert_cmpuint(((const Entry *)table_find(&t, &k))->id, ==, k);
	fake_libexpert_set_quota(0);
	g_assert_cmpint(table_upsert(&t, &id, &entry, &added), ==, EXPERT_OK);
	g_assert_true(added);
	g_assert_cmpuint(t.n_entries, ==, 5);
	table_free(&t);
	g_assert_cmpuint(fake_libexpert_live_bytes(), ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/table/empty-table-costs-nothing", test_empty_table_costs_nothing);
	g_test_add_func("/table/upsert-adds-once-and-finds-through-growth",
	                test_upsert_adds_once_and_finds_through_growth);
	g_test_add_func("/table/entries-keep-insertion-order", test_entries_keep_insertion_order);
	g_test_add_func("/table/add-makes-the-newest-entry-what-the-key-finds",
	                test_add_makes_the_newest_entry_what_the_key_finds);
	g_test_add_func("/table/keys-compare-as-bytes", test_keys_compare_as_bytes);
	g_test_add_func("/table/refused-growth-leaves-the-table-as-it-was",
	                test_refused_growth_leaves_the_table_as_it_was);
	int rc = g_test_run();
	fake_libexpert_start(0); /* frees what the last test left */
	return rc;
}
