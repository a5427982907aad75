/* test-inject-plan.c — fault injection's language (executor/inject/
 * inject-plan.c): every class parses as CLASS@N and prints back the same, so
 * a printed command replays what ran; sweeps only where they belong; each
 * refusal says what would be right; and what the child's runtime is told
 * is only ever the faults it makes itself. */
#include "inject/inject-plan.h"

#include <glib.h>
#include <string.h>

static void test_every_class_round_trips(void)
{
	gsize n;
	const InjectClassInfo *table = inject_class_table(&n);
	g_assert_cmpuint(n, ==, INJECT_N_CLASSES);
	for (gsize i = 0; i < n; i++) {
		g_assert_cmpint(table[i].kind, ==, (InjectClass)i);
		g_assert_true(inject_class_info((InjectClass)i) == &table[i]);
		for (gsize k = 0; k < i; k++)
			g_assert_cmpstr(table[k].name, !=, table[i].name);
		static const guint64 ns[] = { 1, 17, G_MAXUINT64 };
		for (gsize j = 0; j < G_N_ELEMENTS(ns); j++) {
			g_autofree char *text = g_strdup_printf("%s@%" G_GUINT64_FORMAT, table[i].name, ns[j]);
			g_autoptr(GError) error = NULL;
			g_autoptr(InjectSpec) spec = inject_spec_parse(text, FALSE, &error);
			g_assert_no_error(error);
			g_assert_cmpint(spec->kind, ==, table[i].kind);
			g_assert_cmpuint(spec->n, ==, ns[j]);
			g_assert_false(spec->all);
			g_autofree char *back = inject_spec_format(spec);
			g_assert_cmpstr(back, ==, text);
			g_autofree char *what = inject_spec_describe(spec);
			g_assert_cmpstr(what, !=, "?");
		}
		g_autofree char *sweep = g_strdup_printf("%s@all", table[i].name);
		g_autoptr(InjectSpec) all = inject_spec_parse(sweep, TRUE, NULL);
		g_assert_true(all->all);
		g_autofree char *back = inject_spec_format(all);
		g_assert_cmpstr(back, ==, sweep);
		g_autoptr(InjectSpec) at = inject_spec_at(all, 5);
		g_assert_false(at->all);
		g_assert_cmpuint(at->n, ==, 5);
	}
	/* write@0: no byte fits; the others count from 1. */
	g_autoptr(InjectSpec) write0 = inject_spec_parse("write@0", FALSE, NULL);
	g_assert_nonnull(write0);
	g_assert_null(inject_spec_parse("alloc@0", FALSE, NULL));
}

static void test_probability_printed_as_given(void)
{
	g_autoptr(InjectSpec) spec = inject_spec_parse("alloc:p=0.010", FALSE, NULL);
	g_assert_nonnull(spec);
	g_assert_cmpuint(spec->p, ==, (guint64)(0.01 * (double)WIRE_INJECT_P_ONE + 0.5));
	g_autofree char *back = inject_spec_format(spec);
	g_assert_cmpstr(back, ==, "alloc:p=0.010");
	g_autoptr(InjectSpec) one = inject_spec_parse("alloc:p=1", FALSE, NULL);
	g_assert_cmpuint(one->p, ==, WIRE_INJECT_P_ONE);
}

static void test_refusals_say_what_is_right(void)
{
	static const struct { const char *text; gboolean allow_all; const char *says; } cases[] = {
		{ "oom@3", TRUE, "no fault class \"oom\" (one of: alloc, terminate, kill, eof, filter, "
		                 "create, write)" },
		{ "alloc@all", FALSE, "@all is a sweep of many runs" },
		{ "alloc", TRUE, "expected alloc@N or alloc@all" },
		{ "alloc@", FALSE, "expected alloc@N" },
		{ "alloc@x", FALSE, "N must be a whole number, 1 or more" },
		{ "alloc@-1", FALSE, "N must be a whole number, 1 or more" },
		{ "alloc@18446744073709551616", FALSE, "N must be a whole number" },
		{ "kill:p=0.5", FALSE, "only alloc takes a probability" },
		{ "alloc:q=0.5", FALSE, "only alloc takes a probability" },
		{ "alloc:p=0", FALSE, "above 0 and at most 1" },
		{ "alloc:p=1.5", FALSE, "above 0 and at most 1" },
		{ "alloc:p=nan", FALSE, "above 0 and at most 1" },
		{ "alloc:p=1e-12", FALSE, "too small to be drawn" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(InjectSpec) spec = inject_spec_parse(cases[i].text, cases[i].allow_all, &error);
		g_test_message("%s: %s", cases[i].text, error ? error->message : "accepted");
		g_assert_null(spec);
		g_assert_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
		g_assert_true(g_str_has_prefix(error->message, "--inject "));
		g_assert_nonnull(strstr(error->message, cases[i].says));
	}
}

static void test_lists(void)
{
	g_autoptr(GPtrArray) all = inject_spec_parse_list("all", NULL);
	g_assert_cmpuint(all->len, ==, INJECT_N_CLASSES);
	for (guint i = 0; i < all->len; i++)
		g_assert_true(((InjectSpec *)g_ptr_array_index(all, i))->all);
	g_autoptr(GPtrArray) two = inject_spec_parse_list("alloc@all,alloc:p=0.5", NULL);
	g_assert_cmpuint(two->len, ==, 2);
	g_autoptr(GError) error = NULL;
	g_assert_null(inject_spec_parse_list("alloc@all,,kill@all", &error));
	g_assert_nonnull(error);
}

/* The child is told only the faults it makes: a sweep's clean run and the
 * executor's own faults count and inject nothing. */
static void test_wire_plan(void)
{
	static const struct { const char *text; gboolean all; WireInject inject; } cases[] = {
		{ "alloc@3", FALSE, WIRE_INJECT_ALLOC },
		{ "terminate@9", FALSE, WIRE_INJECT_TERMINATE },
		{ "kill@2", FALSE, WIRE_INJECT_KILL },
		{ "eof@4", FALSE, WIRE_INJECT_NONE },
		{ "filter@1", FALSE, WIRE_INJECT_NONE },
		{ "create@1", FALSE, WIRE_INJECT_NONE },
		{ "write@100", FALSE, WIRE_INJECT_NONE },
		{ "alloc@all", TRUE, WIRE_INJECT_NONE },
		{ "kill@all", TRUE, WIRE_INJECT_NONE },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(InjectSpec) spec = inject_spec_parse(cases[i].text, cases[i].all, NULL);
		WireInjectPlan plan;
		inject_spec_wire(spec, &plan);
		g_assert_cmpuint(plan.inject, ==, cases[i].inject);
		g_assert_cmpuint(plan.n, ==, cases[i].inject ? spec->n : 0);
		g_assert_cmpuint(plan.p, ==, 0);
	}
	g_autoptr(InjectSpec) p = inject_spec_parse("alloc:p=0.25", FALSE, NULL);
	p->seed = 99;
	WireInjectPlan plan;
	inject_spec_wire(p, &plan);
	g_assert_cmpuint(plan.inject, ==, WIRE_INJECT_ALLOC);
	g_assert_cmpuint(plan.p, ==, WIRE_INJECT_P_ONE / 4);
	g_assert_cmpuint(plan.seed, ==, 99);
}

static void test_describe_counts_in_words(void)
{
	static const struct { const char *text; const char *says; } cases[] = {
		{ "alloc@1", "the 1st allocation refused" },
		{ "alloc@2", "the 2nd allocation refused" },
		{ "alloc@3", "the 3rd allocation refused" },
		{ "alloc@11", "the 11th allocation refused" },
		{ "alloc@112", "the 112th allocation refused" },
		{ "alloc@121", "the 121st allocation refused" },
		{ "filter@22", "the 22nd filter compile refused" },
		{ "eof@7", "the capture ends early at frame 7" },
		{ "write@0", "output writes fail with ENOSPC past 0 bytes" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(InjectSpec) spec = inject_spec_parse(cases[i].text, FALSE, NULL);
		g_autofree char *what = inject_spec_describe(spec);
		g_assert_cmpstr(what, ==, cases[i].says);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/inject-plan/every-class-round-trips", test_every_class_round_trips);
	g_test_add_func("/inject-plan/probability-printed-as-given", test_probability_printed_as_given);
	g_test_add_func("/inject-plan/refusals-say-what-is-right", test_refusals_say_what_is_right);
	g_test_add_func("/inject-plan/lists", test_lists);
	g_test_add_func("/inject-plan/child-told-only-its-own-faults", test_wire_plan);
	g_test_add_func("/inject-plan/describe-counts-in-words", test_describe_counts_in_words);
	return g_test_run();
}
