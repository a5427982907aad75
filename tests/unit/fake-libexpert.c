/* fake-libexpert.c — libexpert's calls, faked in-process (see
 * fake-libexpert.h). Argument checks follow libexpert/runtime.c and
 * memory.c, so code that passes here passes there. */
#include "fake-libexpert.h"

#include <stdlib.h>
#include <string.h>

/* Only its address is used: one fake run at a time. */
struct ExpertKey {
	int unused;
};

static struct {
	ExpertKey key;
	GHashTable *blocks; /* pointer -> size */
	size_t live;
	size_t quota;       /* 0: none */
	uint64_t n_frames, next_frame;
	guint fail_status_from;
	ExpertError status_error;
	GPtrArray *statuses, *events;
	GHashTable *settings;   /* name -> value */
	GPtrArray *failures;    /* what expert_fail was given, in order */
} fake;

static void status_free(gpointer p)
{
	FakeStatus *s = p;
	g_free(s->text);
	g_free(s);
}

static void event_free(gpointer p)
{
	FakeEvent *e = p;
	g_free(e->text);
	g_ptr_array_unref(e->details);
	g_free(e);
}

ExpertKey *fake_libexpert_start(uint64_t n_frames)
{
	/* Blocks the code under test did not free are its leak, not ours. */
	if (fake.blocks) {
		GHashTableIter it;
		gpointer block;
		g_hash_table_iter_init(&it, fake.blocks);
		while (g_hash_table_iter_next(&it, &block, NULL))
			free(block);
		g_hash_table_unref(fake.blocks);
	}
	g_clear_pointer(&fake.statuses, g_ptr_array_unref);
	g_clear_pointer(&fake.events, g_ptr_array_unref);
	g_clear_pointer(&fake.settings, g_hash_table_unref);
	g_clear_pointer(&fake.failures, g_ptr_array_unref);
	memset(&fake, 0, sizeof fake);
	fake.settings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	fake.failures = g_ptr_array_new_with_free_func(g_free);
	fake.blocks = g_hash_table_new(g_direct_hash, g_direct_equal);
	fake.statuses = g_ptr_array_new_with_free_func(status_free);
	fake.events = g_ptr_array_new_with_free_func(event_free);
	fake.n_frames = n_frames;
	return &fake.key;
}

void fake_libexpert_set_quota(size_t bytes)
{
	fake.quota = bytes;
}

void fake_libexpert_fail_status_from(guint n, ExpertError error)
{
	fake.fail_status_from = n;
	fake.status_error = error;
}

size_t fake_libexpert_live_bytes(void)
{
	return fake.live;
}

guint fake_libexpert_live_blocks(void)
{
	return g_hash_table_size(fake.blocks);
}

uint64_t fake_libexpert_frames_read(void)
{
	return fake.next_frame;
}

GPtrArray *fake_libexpert_statuses(void)
{
	return fake.statuses;
}

GPtrArray *fake_libexpert_events(void)
{
	return fake.events;
}

void fake_libexpert_set_config(const char *name, const char *value)
{
	g_hash_table_insert(fake.settings, g_strdup(name), g_strdup(value));
}

GPtrArray *fake_libexpert_failures(void)
{
	return fake.failures;
}

/* ---- the API ------------------------------------------------------------- */

ExpertError expert_realloc_memory(ExpertKey *key, void *block, size_t size, void **out)
{
	if (key != &fake.key || out == NULL)
		return EXPERT_ERR_INVALID_ARGUMENT;
	*out = NULL;
	gpointer old_size;
	if (block != NULL && !g_hash_table_lookup_extended(fake.blocks, block, NULL, &old_size))
		return EXPERT_ERR_INVALID_POINTER;
	size_t old = block ? GPOINTER_TO_SIZE(old_size) : 0;
	if (size == 0) {
		g_hash_table_remove(fake.blocks, block);
		fake.live -= old;
		free(block);
		*out = NULL;
		return EXPERT_OK;
	}
	if (fake.quota && fake.live - old + size > fake.quota)
		return EXPERT_ERR_NO_MEMORY;
	if (block != NULL)
		g_hash_table_remove(fake.blocks, block);
	void *p = realloc(block, size);
	g_assert_nonnull(p);
	g_hash_table_insert(fake.blocks, p, GSIZE_TO_POINTER(size));
	fake.live = fake.live - old + size;
	*out = p;
	return EXPERT_OK;
}

ExpertError expert_alloc_memory(ExpertKey *key, size_t size, void **out)
{
	return expert_realloc_memory(key, NULL, size ? size : 1, out);
}

ExpertError expert_free_memory(ExpertKey *key, void *block)
{
	void *out;
	return block ? expert_realloc_memory(key, block, 0, &out) : EXPERT_OK;
}

ExpertError expert_get_next_frame(ExpertKey *key, ExpertFrame *frame)
{
	if (key != &fake.key || frame == NULL)
		return EXPERT_ERR_INVALID_ARGUMENT;
	if (fake.next_frame == fake.n_frames)
		return EXPERT_ERR_END_OF_CAPTURE;
	*frame = (ExpertFrame){ .number = ++fake.next_frame, .link_type = 1 };
	return EXPERT_OK;
}

ExpertError expert_indicate_status(ExpertKey *key, ExpertState state, int percent_done,
                                   const char *text)
{
	if (key != &fake.key || (unsigned)state > EXPERT_STATE_FINISHING || percent_done < -1 ||
	    percent_done > 100)
		return EXPERT_ERR_INVALID_ARGUMENT;
	FakeStatus *s = g_new0(FakeStatus, 1);
	*s = (FakeStatus){ state, percent_done, g_strdup(text) };
	g_ptr_array_add(fake.statuses, s);
	if (fake.fail_status_from && fake.statuses->len >= fake.fail_status_from)
		return fake.status_error;
	return EXPERT_OK;
}

ExpertError expert_submit_event(ExpertKey *key, ExpertSeverity severity, const char *text,
                                const ExpertEventDetail *details, size_t n_details)
{
	if (key != &fake.key || (unsigned)severity > EXPERT_SEVERITY_ERROR ||
	    n_details > EXPERT_EVENT_DETAILS_MAX || (n_details && !details))
		return EXPERT_ERR_INVALID_ARGUMENT;
	for (size_t i = 0; i < n_details; i++)
		if (!details[i].key || !details[i].key[0])
			return EXPERT_ERR_INVALID_ARGUMENT;
	FakeEvent *e = g_new0(FakeEvent, 1);
	e->severity = severity;
	e->text = g_strdup(text);
	e->details = g_ptr_array_new_with_free_func(g_free);
	for (size_t i = 0; i < n_details; i++)
		g_ptr_array_add(e->details, g_strdup_printf("%s=%s", details[i].key, details[i].value));
	g_ptr_array_add(fake.events, e);
	return EXPERT_OK;
}

const char *expert_config_get(ExpertKey *key, const char *name)
{
	if (key != &fake.key || !name)
		return NULL;
	return g_hash_table_lookup(fake.settings, name);
}

/* As libexpert's: every call recorded here, so a test sees a second one. */
ExpertError expert_fail(ExpertKey *key, const char *reason)
{
	if (key != &fake.key)
		return EXPERT_ERR_INVALID_ARGUMENT;
	g_ptr_array_add(fake.failures, g_strdup(reason ? reason : ""));
	return EXPERT_ERR_FAILED;
}
