/* inject-runner.c — the engine of `stress --inject` (see
 * inject-runner.h).
 *
 * A sweep is as long as the clean run says: one run per allocation, per API
 * call, per frame, per filter compile, per output, per write. Runs go
 * --jobs at a time, each a job of its own with its own copy of the run's
 * context carrying its fault, freed as soon as it ends. A run survives its
 * fault when it ends as the fault allows: `completed`, whatever run
 * returned, or configure refusing with an error (the expert's clean way of
 * saying it cannot start); for kill, the executor's own SIGKILL. Anything
 * else (crashed, protocol-violation, timed-out, ...) is a failure, kept
 * with the command that replays it. After every sweep, with nothing
 * running, the executor's descriptors and pool are read again and the
 * output folder must be empty: what a run's outputs leave is removed when
 * it ends, so anything found there was abandoned and not removed. */
#include "cli/inject-runner.h"

#include "cli/inject-options.h"
#include "jobs/resources.h"
#include "reports/report-inject.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* Failures kept per sweep, with their command lines; the rest are counted. */
#define FAILURES_KEPT 100

typedef struct Campaign Campaign;
typedef void (*ResultFunc)(Campaign *c, const InjectSpec *spec, const Job *job, gpointer data);

struct Campaign {
	RunResult *setup;
	const InjectCampaignOptions *o;
	InjectCampaign *result;
	GHashTable *running;          /* job id -> Job* */
	guint64 last_id;
	/* The batch being run. */
	guint expert;
	GPtrArray *queue;             /* of InjectSpec* */
	guint next, active;
	ResultFunc on_result;
	gpointer result_data;
	GMainLoop *loop;
	ResourceSnapshot baseline;
};

/* One running job: its context, which carries its fault, lives as long
 * as it does. */
typedef struct {
	Campaign *c;
	JobContext ctx;
	const InjectSpec *spec;
} Slot;

static void start_more(Campaign *c);

/* What a finished run leaves in the output folder goes, so that the next
 * run of the same expert starts from an empty one (its outputs would
 * otherwise exist already). Never-finished outputs the executor removed
 * itself; the folder goes once empty. */
static void clear_outputs(const Job *job)
{
	for (guint i = 0; i < job->outputs->len; i++) {
		const JobOutput *o = g_ptr_array_index(job->outputs, i);
		if (o->complete && g_unlink(o->path) < 0 && errno != ENOENT)
			g_warning("%s: %s", o->path, g_strerror(errno));
	}
	if (job->output_folder && job->ctx->output_dir) {
		g_autofree char *folder = g_build_filename(job->ctx->output_dir, job->output_folder, NULL);
		g_rmdir(folder);
	}
}

static void on_done(Job *job, gpointer data)
{
	Slot *slot = data;
	Campaign *c = slot->c;
	c->on_result(c, slot->spec, job, c->result_data);
	c->result->runs++;
	g_hash_table_remove(c->running, &job->id);
	clear_outputs(job);
	job_free(job);
	g_free(slot);
	c->active--;
	start_more(c);
	if (!c->active && c->next >= c->queue->len)
		g_main_loop_quit(c->loop);
}

static void start_more(Campaign *c)
{
	const RunAssignment *a = g_ptr_array_index(c->setup->assignments, c->expert);
	const char *const *config = c->o->configs && c->expert < c->o->configs->len
		? g_ptr_array_index(c->o->configs, c->expert) : NULL;
	while (c->active < c->o->jobs && c->next < c->queue->len) {
		Slot *slot = g_new0(Slot, 1);
		slot->c = c;
		slot->spec = g_ptr_array_index(c->queue, c->next++);
		slot->ctx = *c->setup->ctx;
		slot->ctx.inject = slot->spec;
		c->active++;
		Job *job = job_start(++c->last_id, c->o->experts[c->expert], config, a->profile,
		                     &slot->ctx, on_done, slot);
		job->profile_chosen_by = a->chosen_by;
		g_hash_table_insert(c->running, &job->id, job);
	}
}

/* Runs every spec of queue (taken) for the current expert; on_result sees
 * each run as it ends. */
static void run_batch(Campaign *c, GPtrArray *queue, ResultFunc on_result, gpointer data)
{
	c->queue = queue;
	c->next = 0;
	c->on_result = on_result;
	c->result_data = data;
	if (queue->len) {
		start_more(c);
		g_main_loop_run(c->loop);
	}
	g_ptr_array_unref(queue);
	c->queue = NULL;
}

/* ---- the clean run ------------------------------------------------------ */

static gint compare_u64(gconstpointer a, gconstpointer b)
{
	guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;
	return x < y ? -1 : x > y;
}

static void on_clean(Campaign *c, const InjectSpec *spec, const Job *job, gpointer data)
{
	InjectExpert *e = data;
	(void)c;
	(void)spec;
	const JobInjection *inj = job->injection;
	e->clean_outcome = job->outcome;
	e->clean_detail = g_strdup(job->detail);
	e->clean_ms = (double)(job->end_usec - job->start_usec) / 1000.0;
	e->clean_ok = job->outcome == OUTCOME_COMPLETED && inj && inj->has_calls;
	e->frames_read = job->frames_read;
	e->filter_requests = job->filter_requests;
	e->output_requests = job->output_requests;
	if (!inj)
		return;
	e->api_calls = inj->api_calls;
	e->allocations = inj->allocations;
	/* Each distinct place a write began: failing there is one run. */
	g_autoptr(GArray) offsets = g_array_copy(inj->write_offsets);
	g_array_sort(offsets, compare_u64);
	for (guint i = 0; i < offsets->len; i++) {
		guint64 at = g_array_index(offsets, guint64, i);
		if (!e->write_offsets->len ||
		    g_array_index(e->write_offsets, guint64, e->write_offsets->len - 1) != at)
			g_array_append_val(e->write_offsets, at);
	}
}

/* ---- sweeps ------------------------------------------------------------- */

/* The runs of a sweep, from the clean run's counts. */
static GPtrArray *sweep_runs(const Campaign *c, const InjectSpec *sweep, const InjectExpert *e)
{
	GPtrArray *runs = g_ptr_array_new_with_free_func((GDestroyNotify)inject_spec_free);
	if (sweep->p) {
		for (guint64 i = 0; i < c->o->iterations; i++) {
			InjectSpec *run = inject_spec_copy(sweep);
			run->seed = c->o->seed + i;
			g_ptr_array_add(runs, run);
		}
		return runs;
	}
	guint64 count = 0;
	switch (sweep->kind) {
	case INJECT_ALLOC: count = e->allocations; break;
	case INJECT_TERMINATE:
	case INJECT_KILL: count = e->api_calls; break;
	case INJECT_EOF: count = c->setup->capture->frame_count; break;
	case INJECT_FILTER: count = e->filter_requests; break;
	case INJECT_CREATE: count = e->output_requests; break;
	case INJECT_WRITE:
		for (guint i = 0; i < e->write_offsets->len; i++)
			g_ptr_array_add(runs, inject_spec_at(sweep, g_array_index(e->write_offsets, guint64, i)));
		return runs;
	case INJECT_N_CLASSES: break;
	}
	for (guint64 n = 1; n <= count; n++)
		g_ptr_array_add(runs, inject_spec_at(sweep, n));
	return runs;
}

/* Whether a run ended as its fault allows. */
static gboolean survived(const InjectSpec *spec, const Job *job)
{
	if (spec->kind == INJECT_KILL && job->injection && job->injection->fired)
		return job->outcome == OUTCOME_CRASHED;
	return job->outcome == OUTCOME_COMPLETED || job->configure_refused;
}

/* A program, option or path as one shell word: quoted only when it must
 * be, so the usual command reads as typed. */
static void append_word(GString *out, const char *word)
{
	gboolean plain = *word != '\0';
	for (const char *p = word; *p && plain; p++)
		plain = g_ascii_isalnum(*p) || strchr("@%+=:,./_-", *p);
	g_string_append_c(out, ' ');
	if (plain) {
		g_string_append(out, word);
	} else {
		g_autofree char *quoted = g_shell_quote(word);
		g_string_append(out, quoted);
	}
}

static char *reproduce(const Campaign *c, const InjectSpec *spec)
{
	GString *out = g_string_new(NULL);
	g_autofree char *text = inject_spec_format(spec);
	append_word(out, c->o->program);
	g_string_append(out, " run --inject");
	append_word(out, text);
	if (spec->p) {
		g_autofree char *seed = g_strdup_printf("%" G_GUINT64_FORMAT, spec->seed);
		g_string_append(out, " --seed");
		append_word(out, seed);
	}
	if (c->o->run_options && *c->o->run_options)
		g_string_append_printf(out, " %s", c->o->run_options);
	/* A folder of its own, as the campaign's runs each had. */
	g_string_append(out, " --output-dir \"$(mktemp -d)\"");
	append_word(out, c->o->capture_path);
	append_word(out, c->o->experts[c->expert]);
	g_string_erase(out, 0, 1);
	return g_string_free(out, FALSE);
}

/* Failures in the order of their N (runs end in any order at --jobs 2). */
static gint by_n(gconstpointer a, gconstpointer b)
{
	const InjectSpec *x = (*(InjectFailure *const *)a)->spec, *y = (*(InjectFailure *const *)b)->spec;
	guint64 u = x->p ? x->seed : x->n, v = y->p ? y->seed : y->n;
	return u < v ? -1 : u > v;
}

static void on_swept(Campaign *c, const InjectSpec *spec, const Job *job, gpointer data)
{
	InjectSweep *s = data;
	s->runs++;
	s->by_outcome[job->outcome]++;
	const JobInjection *inj = job->injection;
	if (inj && inj->fired)
		s->made++;
	if (spec->kind == INJECT_TERMINATE && inj && inj->fired && inj->has_calls &&
	    inj->api_calls >= inj->fired_at_call)
		s->most_calls_after_terminate = MAX(s->most_calls_after_terminate,
		                                    inj->api_calls - inj->fired_at_call);
	if (survived(spec, job))
		return;
	s->n_failures++;
	/* The lowest N are kept, whatever order the runs end in. */
	guint replace = s->failures->len;
	if (replace >= FAILURES_KEPT) {
		g_ptr_array_sort(s->failures, by_n);
		InjectFailure probe = { .spec = (InjectSpec *)spec };
		InjectFailure *p = &probe, *last = g_ptr_array_index(s->failures, replace - 1);
		if (by_n(&p, &last) >= 0)
			return;
		replace--;
	}
	InjectFailure *f = g_new0(InjectFailure, 1);
	f->spec = inject_spec_copy(spec);
	f->outcome = job->outcome;
	f->detail = g_strdup(job->detail);
	f->location = job->fault && job->fault->location ? g_strdup(job->fault->location) : NULL;
	f->injection = job->injection ? report_injection_text(job) : NULL;
	f->reproduce = reproduce(c, spec);
	if (replace < s->failures->len) {
		inject_failure_free(g_ptr_array_index(s->failures, replace));
		g_ptr_array_index(s->failures, replace) = f;
	} else {
		g_ptr_array_add(s->failures, f);
	}
}

/* Entries left under dir, folders and files, recursively. */
static guint entries_left(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	guint n = 0;
	for (const char *name; d && (name = g_dir_read_name(d));) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		n++;
		if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
			n += entries_left(path);
	}
	return n;
}

static void account(Campaign *c, InjectSweep *s)
{
	g_ptr_array_sort(s->failures, by_n);
	ResourceSnapshot now;
	resources_snapshot(c->setup->pool, &now);
	s->fds_before = c->baseline.open_fds;
	s->fds_after = now.open_fds;
	s->pool_regions_after = now.pool_regions;
	s->pool_bytes_after = now.pool_bytes;
	s->outputs_left = entries_left(c->o->output_dir);
	s->reclaimed = s->fds_after <= s->fds_before && !s->pool_regions_after &&
	               !s->pool_bytes_after && !s->outputs_left;
	/* No run made its fault (alloc:p=P over an expert that allocates
	 * nothing): nothing was tested. */
	if (s->runs == 0 || s->made == 0)
		s->verdict = INJECT_VERDICT_NOT_EXERCISED;
	else if (s->n_failures || !s->reclaimed)
		s->verdict = INJECT_VERDICT_NOT_ROBUST;
	else
		s->verdict = INJECT_VERDICT_ROBUST;
}

/* ---- the campaign ------------------------------------------------------- */

InjectCampaign *inject_campaign_run(RunResult *setup, const InjectCampaignOptions *o)
{
	g_autoptr(InjectCampaign) result = inject_campaign_new();
	result->capture_path = g_strdup(o->capture_path);
	result->capture_frames = setup->capture->frame_count;
	result->seed = o->seed;
	result->iterations = o->iterations;
	result->jobs = o->jobs;
	result->isolation = setup->isolation;
	for (guint i = 0; i < o->specs->len; i++)
		g_ptr_array_add(result->specs, inject_spec_copy(g_ptr_array_index(o->specs, i)));

	Campaign c = {
		.setup = setup,
		.o = o,
		.result = result,
		.running = g_hash_table_new(g_int64_hash, g_int64_equal),
		.loop = g_main_loop_new(NULL, FALSE),
	};
	gint64 start = g_get_monotonic_time();
	/* The clean run counts and injects nothing (a sweep's own plan). */
	InjectSpec counting = { .kind = INJECT_ALLOC, .all = TRUE };
	for (guint i = 0; i < o->n_experts; i++) {
		c.expert = i;
		InjectExpert *e = inject_expert_new(o->experts[i]);
		const RunAssignment *a = g_ptr_array_index(setup->assignments, i);
		e->profile = a->profile;
		e->profile_chosen_by = a->chosen_by;
		g_ptr_array_add(result->experts, e);
		GPtrArray *clean = g_ptr_array_new_with_free_func((GDestroyNotify)inject_spec_free);
		g_ptr_array_add(clean, inject_spec_copy(&counting));
		run_batch(&c, clean, on_clean, e);
		/* What the executor holds with nothing running, once warmed up by
		 * a run: every sweep must leave it no higher. */
		if (i == 0)
			resources_snapshot(setup->pool, &c.baseline);
		for (guint k = 0; k < o->specs->len; k++) {
			const InjectSpec *spec = g_ptr_array_index(o->specs, k);
			InjectSweep *s = inject_sweep_new(spec);
			g_ptr_array_add(e->sweeps, s);
			if (!e->clean_ok) {
				s->verdict = INJECT_VERDICT_NOT_TESTED;
				continue;
			}
			run_batch(&c, sweep_runs(&c, spec, e), on_swept, s);
			account(&c, s);
			if (s->verdict == INJECT_VERDICT_NOT_ROBUST)
				result->not_robust++;
		}
	}
	result->seconds = (double)(g_get_monotonic_time() - start) / 1e6;
	g_hash_table_unref(c.running);
	g_main_loop_unref(c.loop);
	return g_steal_pointer(&result);
}
