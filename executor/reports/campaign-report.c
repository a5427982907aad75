/* campaign-report.c — a stress --inject campaign as text and JSON (see
 * campaign-report.h). The child's words in an outcome's detail were escaped
 * when kept; the text report escapes everything else it prints. */
#include "reports/campaign-report.h"

#include "reports/json-kernel.h"
#include "reports/json-out.h"
#include "results/child-text.h"

static void put(GString *out, const char *text)
{
	child_text_append(out, text, -1, 0, 0);
}

static void put_composed(GString *out, const char *text)
{
	child_text_append(out, text, -1, 0, CHILD_TEXT_ESCAPED_PARTS);
}

static char *specs_text(const InjectCampaign *c)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < c->specs->len; i++) {
		g_autofree char *spec = inject_spec_format(g_ptr_array_index(c->specs, i));
		g_string_append_printf(s, "%s%s", i ? ", " : "", spec);
	}
	return g_string_free(s, FALSE);
}

static void text_clean(GString *out, const InjectExpert *e)
{
	g_string_append_printf(out, "   clean     %s", outcome_info(e->clean_outcome)->name);
	if (!e->clean_ok) {
		g_string_append(out, ": ");
		put_composed(out, e->clean_detail);
		g_string_append(out, " (no fault can be swept without a clean run that completes)\n");
		return;
	}
	g_string_append_printf(out, " in %.1f ms: %" G_GUINT64_FORMAT " API calls, %" G_GUINT64_FORMAT
	                       " allocations (the child's counts); %u filter compiles, %u outputs, "
	                       "%u output writes, %" G_GUINT64_FORMAT " frames read\n", e->clean_ms,
	                       e->api_calls, e->allocations, e->filter_requests, e->output_requests,
	                       e->write_offsets->len, e->frames_read);
}

static void text_failure(GString *out, const InjectFailure *f)
{
	g_autofree char *spec = inject_spec_format(f->spec);
	g_string_append_printf(out, "   %-13s %s: ", spec, outcome_info(f->outcome)->name);
	put_composed(out, f->detail);
	g_string_append_c(out, '\n');
	if (f->location) {
		g_string_append(out, "                 location  ");
		put(out, f->location);
		g_string_append(out, " (the child's report)\n");
	}
	g_string_append(out, "                 reproduce ");
	put(out, f->reproduce);
	g_string_append_c(out, '\n');
}

/* Two failures alike: the same ending at the same place (the same bug,
 * met at another N). */
static gboolean alike(const InjectFailure *a, const InjectFailure *b)
{
	return a->outcome == b->outcome &&
	       (a->location || b->location ? g_strcmp0(a->location, b->location) == 0
	                                   : g_strcmp0(a->detail, b->detail) == 0);
}

/* Each way the expert failed once, at its lowest N with its command, then
 * the other N that failed the same way. */
static void text_failures(GString *out, const InjectSweep *s)
{
	guint n = s->failures->len, shown = 0;
	g_autofree gboolean *done = g_new0(gboolean, n);
	for (guint i = 0; i < n && shown < CAMPAIGN_TEXT_FAILURES; i++) {
		if (done[i])
			continue;
		const InjectFailure *f = g_ptr_array_index(s->failures, i);
		text_failure(out, f);
		shown++;
		GString *same = g_string_new(NULL);
		guint count = 0;
		for (guint k = i + 1; k < n; k++) {
			const InjectFailure *g = g_ptr_array_index(s->failures, k);
			if (done[k] || !alike(f, g))
				continue;
			done[k] = TRUE;
			if (count++ < 8) {
				g_autofree char *spec = inject_spec_format(g->spec);
				g_string_append_printf(same, "%s%s", count > 1 ? ", " : "", spec);
			}
		}
		if (count)
			g_string_append_printf(out, "                 the same at %u more: %s%s\n", count,
			                       same->str, count > 8 ? ", ..." : "");
		g_string_free(same, TRUE);
	}
	guint listed = 0;
	for (guint i = 0; i < n; i++)
		listed += done[i];
	guint64 rest = s->n_failures - shown - listed;
	if (rest)
		g_string_append_printf(out, "                 and %" G_GUINT64_FORMAT " more not shown "
		                       "(--json lists the first %u)\n", rest, n);
}

static void text_expert(GString *out, const InjectExpert *e)
{
	g_string_append(out, "\n== ");
	put(out, e->name);
	g_string_append_printf(out, " (profile %s)\n", e->profile->profile->name);
	text_clean(out, e);
	for (guint i = 0; i < e->sweeps->len; i++) {
		const InjectSweep *s = g_ptr_array_index(e->sweeps, i);
		g_autofree char *spec = inject_spec_format(s->sweep);
		g_string_append_printf(out, "   %-15s %-14s %6" G_GUINT64_FORMAT " runs, fault made in %"
		                       G_GUINT64_FORMAT, spec, inject_verdict_name(s->verdict), s->runs,
		                       s->made);
		if (s->n_failures)
			g_string_append_printf(out, ", %" G_GUINT64_FORMAT " not survived", s->n_failures);
		if (s->sweep->kind == INJECT_TERMINATE && s->made)
			g_string_append_printf(out, "; at most %" G_GUINT64_FORMAT " API calls after "
			                       "TERMINATE", s->most_calls_after_terminate);
		if (s->verdict != INJECT_VERDICT_NOT_TESTED && !s->reclaimed)
			g_string_append_printf(out, "; NOT RECLAIMED: descriptors %u -> %u, pool regions %u, "
			                       "%u output file(s) left", s->fds_before, s->fds_after,
			                       s->pool_regions_after, s->outputs_left);
		g_string_append_c(out, '\n');
		text_failures(out, s);
	}
}

char *campaign_report_text(const InjectCampaign *c)
{
	GString *out = g_string_new(NULL);
	g_autofree char *specs = specs_text(c);
	g_autofree char *isolation = isolation_line(&c->isolation);
	g_string_append(out, "inject     ");
	put(out, specs);
	g_string_append(out, " over ");
	put(out, c->capture_path);
	g_string_append_printf(out, " (%" G_GUINT64_FORMAT " frames), %u at a time\n", c->capture_frames,
	                       c->jobs);
	g_string_append_printf(out, "isolation  %s\n", isolation);
	g_string_append_printf(out, "runs       %" G_GUINT64_FORMAT " in %.2f s\n", c->runs, c->seconds);
	for (guint i = 0; i < c->experts->len; i++)
		text_expert(out, g_ptr_array_index(c->experts, i));
	g_string_append_printf(out, "\nverdict    ");
	if (!c->not_robust) {
		g_string_append(out, "every expert survived every fault it was given, and the executor "
		                     "got everything back\n");
		return g_string_free(out, FALSE);
	}
	g_string_append_printf(out, "%u fault(s) not survived:", c->not_robust);
	for (guint i = 0; i < c->experts->len; i++) {
		const InjectExpert *e = g_ptr_array_index(c->experts, i);
		for (guint k = 0; k < e->sweeps->len; k++) {
			const InjectSweep *s = g_ptr_array_index(e->sweeps, k);
			if (s->verdict != INJECT_VERDICT_NOT_ROBUST)
				continue;
			g_autofree char *spec = inject_spec_format(s->sweep);
			g_string_append_c(out, ' ');
			put(out, e->name);
			g_string_append_printf(out, " (%s)", spec);
		}
	}
	g_string_append_c(out, '\n');
	return g_string_free(out, FALSE);
}

/* ---- JSON --------------------------------------------------------------- */

static void json_failure(JsonBuilder *b, const InjectFailure *f)
{
	g_autofree char *spec = inject_spec_format(f->spec);
	json_builder_begin_object(b);
	json_out_string(b, "spec", spec);
	json_out_int(b, "n", (gint64)f->spec->n);
	if (f->spec->p) {
		g_autofree char *seed = g_strdup_printf("%" G_GUINT64_FORMAT, f->spec->seed);
		json_out_string(b, "seed", seed);
	}
	json_out_string(b, "outcome", outcome_info(f->outcome)->name);
	json_out_string(b, "detail", f->detail);
	json_out_string(b, "location", f->location);
	/* The location is from the child's fault report and load addresses. */
	json_out_string(b, "location_reported_by", f->location ? "child" : NULL);
	json_out_string(b, "injection", f->injection);
	json_out_string(b, "reproduce", f->reproduce);
	json_builder_end_object(b);
}

static void json_sweep(JsonBuilder *b, const InjectSweep *s)
{
	g_autofree char *spec = inject_spec_format(s->sweep);
	g_autofree char *what = inject_spec_describe(s->sweep);
	json_builder_begin_object(b);
	json_out_string(b, "spec", spec);
	json_out_string(b, "class", inject_class_info(s->sweep->kind)->name);
	json_out_string(b, "what", what);
	json_out_string(b, "verdict", inject_verdict_name(s->verdict));
	json_out_bool(b, "robust", s->verdict == INJECT_VERDICT_ROBUST);
	json_out_int(b, "runs", (gint64)s->runs);
	json_out_int(b, "made", (gint64)s->made);
	json_out_begin_object(b, "outcomes");
	for (int k = 0; k < OUTCOME_N_KINDS; k++)
		if (s->by_outcome[k])
			json_out_int(b, outcome_info(k)->name, (gint64)s->by_outcome[k]);
	json_builder_end_object(b);
	json_out_int(b, "failures_total", (gint64)s->n_failures);
	if (s->sweep->kind == INJECT_TERMINATE)
		json_out_int(b, "most_calls_after_terminate", (gint64)s->most_calls_after_terminate);
	json_out_begin_array(b, "failures");
	for (guint i = 0; i < s->failures->len; i++)
		json_failure(b, g_ptr_array_index(s->failures, i));
	json_builder_end_array(b);
	if (s->verdict != INJECT_VERDICT_NOT_TESTED) {
		json_out_begin_object(b, "executor");
		json_out_int(b, "descriptors_before", s->fds_before);
		json_out_int(b, "descriptors_after", s->fds_after);
		json_out_int(b, "pool_regions_after", s->pool_regions_after);
		json_out_int(b, "pool_bytes_after", (gint64)s->pool_bytes_after);
		json_out_int(b, "output_files_left", s->outputs_left);
		json_out_bool(b, "reclaimed", s->reclaimed);
		json_builder_end_object(b);
	}
	json_builder_end_object(b);
}

static void json_expert(JsonBuilder *b, const InjectExpert *e)
{
	json_builder_begin_object(b);
	json_out_string(b, "name", e->name);
	json_out_string(b, "path", e->path);
	json_out_begin_object(b, "profile");
	json_out_string(b, "name", e->profile->profile->name);
	json_out_string(b, "path", e->profile->profile->path);
	json_out_string(b, "sha256", e->profile->sha256);
	json_out_string(b, "chosen_by", e->profile_chosen_by);
	json_builder_end_object(b);
	json_out_begin_object(b, "clean_run");
	json_out_string(b, "outcome", outcome_info(e->clean_outcome)->name);
	json_out_string(b, "detail", e->clean_detail);
	json_out_bool(b, "usable", e->clean_ok);
	json_out_double(b, "duration_ms", e->clean_ms);
	/* The child's counts (claims): they size the sweeps, nothing more. */
	json_out_int(b, "api_calls", (gint64)e->api_calls);
	json_out_int(b, "allocations", (gint64)e->allocations);
	json_out_int(b, "frames_read", (gint64)e->frames_read);
	json_out_int(b, "filter_compiles", e->filter_requests);
	json_out_int(b, "output_creates", e->output_requests);
	json_out_begin_array(b, "output_write_offsets");
	for (guint i = 0; i < e->write_offsets->len; i++)
		json_builder_add_int_value(b, (gint64)g_array_index(e->write_offsets, guint64, i));
	json_builder_end_array(b);
	json_builder_end_object(b);
	json_out_begin_array(b, "faults");
	for (guint i = 0; i < e->sweeps->len; i++)
		json_sweep(b, g_ptr_array_index(e->sweeps, i));
	json_builder_end_array(b);
	json_builder_end_object(b);
}

JsonNode *campaign_report_json(const InjectCampaign *c)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	json_out_string(b, "command", "stress --inject");
	json_out_begin_object(b, "capture");
	json_out_string(b, "path", c->capture_path);
	json_out_int(b, "frames", (gint64)c->capture_frames);
	json_builder_end_object(b);
	json_out_begin_array(b, "inject");
	for (guint i = 0; i < c->specs->len; i++) {
		g_autofree char *spec = inject_spec_format(g_ptr_array_index(c->specs, i));
		json_builder_add_string_value(b, spec);
	}
	json_builder_end_array(b);
	g_autofree char *seed = g_strdup_printf("%" G_GUINT64_FORMAT, c->seed);
	json_out_string(b, "seed", seed);
	json_out_int(b, "iterations", (gint64)c->iterations);
	json_out_int(b, "jobs", c->jobs);
	json_out_int(b, "runs", (gint64)c->runs);
	json_out_double(b, "seconds", c->seconds);
	json_out_begin_array(b, "experts");
	for (guint i = 0; i < c->experts->len; i++)
		json_expert(b, g_ptr_array_index(c->experts, i));
	json_builder_end_array(b);
	json_out_int(b, "not_robust", c->not_robust);
	json_out_bool(b, "robust", c->not_robust == 0);
	kernel_features_json(b, "kernel");
	isolation_json(b, "isolation", &c->isolation);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}
