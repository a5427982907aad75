/* test-events.c — building an event's details and submitting it
 * (experts/common/events.c), against a fake libexpert. */
#include "events.h"
#include "fake-libexpert.h"

#include <glib.h>

static const FakeEvent *only_event(void)
{
	GPtrArray *events = fake_libexpert_events();
	g_assert_cmpuint(events->len, ==, 1);
	return g_ptr_array_index(events, 0);
}

static const char *detail(const FakeEvent *e, guint i)
{
	g_assert_cmpuint(i, <, e->details->len);
	return g_ptr_array_index(e->details, i);
}

/* Text and counts mixed, in the order added; counts in decimal. */
static void test_details_are_sent_in_order(void)
{
	ExpertKey *key = fake_libexpert_start(0);
	Event e;
	event_init(&e);
	event_add(&e, "protocol", "tcp");
	event_add_u64(&e, "zero", 0);
	event_add_u64(&e, "max", UINT64_MAX);
	event_add(&e, "server", "10.0.0.1");
	g_assert_cmpint(event_submit(&e, key, EXPERT_SEVERITY_WARNING, "a finding"), ==, EXPERT_OK);
	const FakeEvent *got = only_event();
	g_assert_cmpint(got->severity, ==, EXPERT_SEVERITY_WARNING);
	g_assert_cmpstr(got->text, ==, "a finding");
	g_assert_cmpuint(got->details->len, ==, 4);
	g_assert_cmpstr(detail(got, 0), ==, "protocol=tcp");
	g_assert_cmpstr(detail(got, 1), ==, "zero=0");
	g_assert_cmpstr(detail(got, 2), ==, "max=18446744073709551615");
	g_assert_cmpstr(detail(got, 3), ==, "server=10.0.0.1");
}

/* Every count keeps its own text: none is overwritten by the next. */
static void test_each_count_has_its_own_buffer(void)
{
	ExpertKey *key = fake_libexpert_start(0);
	Event e;
	event_init(&e);
	for (uint64_t i = 0; i < EXPERT_EVENT_DETAILS_MAX; i++)
		event_add_u64(&e, "n", i * 1000);
	g_assert_cmpint(event_submit(&e, key, EXPERT_SEVERITY_INFO, "total"), ==, EXPERT_OK);
	const FakeEvent *got = only_event();
	g_assert_cmpuint(got->details->len, ==, EXPERT_EVENT_DETAILS_MAX);
	for (guint i = 0; i < EXPERT_EVENT_DETAILS_MAX; i++) {
		g_autofree char *want = g_strdup_printf("n=%u", i * 1000);
		g_assert_cmpstr(detail(got, i), ==, want);
	}
}

/* No details at all is an event too. */
static void test_event_without_details(void)
{
	ExpertKey *key = fake_libexpert_start(0);
	Event e;
	event_init(&e);
	g_assert_cmpint(event_submit(&e, key, EXPERT_SEVERITY_INFO, "empty"), ==, EXPERT_OK);
	g_assert_cmpuint(only_event()->details->len, ==, 0);
}

/* One detail too many, of either kind: refused whole, nothing sent. */
static void test_too_many_details_are_refused(void)
{
	for (int kind = 0; kind < 2; kind++) {
		ExpertKey *key = fake_libexpert_start(0);
		Event e;
		event_init(&e);
		for (int i = 0; i < EXPERT_EVENT_DETAILS_MAX; i++)
			event_add(&e, "k", "v");
		if (kind == 0)
			event_add(&e, "one", "more");
		else
			event_add_u64(&e, "one", 1);
		g_assert_cmpint(event_submit(&e, key, EXPERT_SEVERITY_INFO, "full"), ==,
		                EXPERT_ERR_INVALID_ARGUMENT);
		g_assert_cmpuint(fake_libexpert_events()->len, ==, 0);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/events/details-are-sent-in-order", test_details_are_sent_in_order);
	g_test_add_func("/events/each-count-has-its-own-buffer", test_each_count_has_its_own_buffer);
	g_test_add_func("/events/event-without-details", test_event_without_details);
	g_test_add_func("/events/too-many-details-are-refused", test_too_many_details_are_refused);
	int rc = g_test_run();
	fake_libexpert_start(0); /* frees what the last test left */
	return rc;
}
