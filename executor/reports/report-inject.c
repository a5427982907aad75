/* report-inject.c — a job's injected fault in words (see report-inject.h). */
#include "reports/report-inject.h"

#include "reports/json-out.h"

/* Whose word that the fault was made is, and where. */
static char *made(const JobInjection *inj)
{
	if (!inj->fired) {
		if (inj->spec->p)
			return g_strdup("none of its allocations was drawn");
		return g_strdup("not made: the job ended before it got there");
	}
	if (!inj->fired_by_child)
		return g_strdup("made by the executor");
	if (inj->spec->p)
		return g_strdup_printf("made %u time(s), first at API call %" G_GUINT64_FORMAT
		                       " (allocation %" G_GUINT64_FORMAT "), as the child reports",
		                       inj->fired_count, inj->fired_at_call, inj->fired_at_allocation);
	if (inj->spec->kind == INJECT_ALLOC)
		return g_strdup_printf("made at API call %" G_GUINT64_FORMAT " (allocation %" G_GUINT64_FORMAT
		                       "), as the child reports", inj->fired_at_call,
		                       inj->fired_at_allocation);
	return g_strdup_printf("made at API call %" G_GUINT64_FORMAT ", as the child reports",
	                       inj->fired_at_call);
}

char *report_injection_text(const Job *job)
{
	const JobInjection *inj = job->injection;
	g_autofree char *spec = inject_spec_format(inj->spec);
	g_autofree char *what = inject_spec_describe(inj->spec);
	g_autofree char *how = made(inj);
	GString *out = g_string_new(NULL);
	g_string_append_printf(out, "%s: %s; %s", spec, what, how);
	if (inj->has_calls)
		g_string_append_printf(out, " (as the child counts: API calls %" G_GUINT64_FORMAT
		                       ", allocations %" G_GUINT64_FORMAT ")", inj->api_calls,
		                       inj->allocations);
	return g_string_free(out, FALSE);
}

void report_injection_json(JsonBuilder *b, const Job *job)
{
	const JobInjection *inj = job->injection;
	g_autofree char *spec = inject_spec_format(inj->spec);
	g_autofree char *what = inject_spec_describe(inj->spec);
	json_out_begin_object(b, "injection");
	json_out_string(b, "spec", spec);
	json_out_string(b, "class", inject_class_info(inj->spec->kind)->name);
	json_out_string(b, "what", what);
	if (inj->spec->p) {
		/* A string: JSON numbers lose 64-bit seeds in many readers. */
		g_autofree char *seed = g_strdup_printf("%" G_GUINT64_FORMAT, inj->spec->seed);
		json_out_string(b, "seed", seed);
	}
	json_out_bool(b, "made", inj->fired);
	json_out_string(b, "made_by", !inj->fired ? NULL : inj->fired_by_child ? "child" : "executor");
	json_out_int(b, "times", inj->fired_count);
	if (inj->fired_by_child) {
		json_out_int(b, "at_api_call", (gint64)inj->fired_at_call);
		json_out_int(b, "at_allocation", (gint64)inj->fired_at_allocation);
	}
	if (inj->has_calls) {
		/* The child's counts (expert.h, "API calls"): claims. */
		json_out_begin_object(b, "counted_by_child");
		json_out_int(b, "api_calls", (gint64)inj->api_calls);
		json_out_int(b, "allocations", (gint64)inj->allocations);
		json_builder_end_object(b);
	}
	json_out_int(b, "output_writes", inj->write_offsets->len);
	json_builder_end_object(b);
}

char *report_fault_location_text(const FaultClaim *fault)
{
	if (!fault || !fault->location)
		return NULL;
	return g_strdup_printf("%s (the child's report: its instruction pointer, at the load address "
	                       "it reports)", fault->location);
}
