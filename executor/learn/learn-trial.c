/* learn-trial.c — the learning runs, least first (see learn-trial.h). */
#include "learn/learn-trial.h"

#include "learn/learn-check.h"
#include "profiles/filter.h"
#include "profiles/profile-rule.h"
#include "reports/report-text.h"
#include "results/outcome.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

/* Told every call the base would report, while the child is stopped in it. */
typedef struct {
	LearnLog *log;              /* where calls are recorded, or NULL */
	const char *label;
	const Profile *base;
	GHashTable *refuse;         /* nr -> errno: answered so, in a trial */
	char *escaped;              /* the first call the base kills that got through */
} Observer;

/* What a run of one expert came to: a trial must come to the same. */
typedef struct {
	gboolean completed;         /* completed and returned 0 */
	char *results;              /* SHA-256 of frames read, events and outputs */
	LearnUsage usage;
} RunSummary;

static void summary_clear(RunSummary *s)
{
	g_clear_pointer(&s->results, g_free);
}

/* Called by the job for every call the base would report. learn_check_base()
 * makes sure only notify rules get here; this is the last guard should that
 * ever change. A trial answers the refused syscalls with their errno; the
 * others are let through. Both are recorded: the log is of what happened. */
static int observe(const JobCall *call, gpointer data)
{
	Observer *o = data;
	FilterVerdict v;
	filter_decide(o->base, call->nr, (const uint64_t *)call->args, &v);
	if (v.action.kind != PROFILE_ACTION_NOTIFY && !o->escaped)
		o->escaped = g_strdup_printf("%s reached the learner although %s says %s for it",
		                             call->text, o->base->name, profile_action_name(v.action.kind));
	if (o->log)
		learn_log_add_call(o->log, o->label, call->nr, call->args, call->text);
	return o->refuse ? GPOINTER_TO_INT(g_hash_table_lookup(o->refuse, GINT_TO_POINTER(call->nr))) : 0;
}

/* Everything a trial must not change: frames read, each event, each
 * output capture. Not times or memory, which vary from run to run. */
static char *results_digest(const Job *job)
{
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_autofree char *head = g_strdup_printf("frames %" G_GUINT64_FORMAT "\n", job->frames_read);
	g_checksum_update(sum, (const guchar *)head, -1);
	for (guint i = 0; i < job->events->len; i++) {
		const JobEvent *e = g_ptr_array_index(job->events, i);
		g_autofree char *line = g_strdup_printf("event %d %s", e->severity, e->text);
		g_checksum_update(sum, (const guchar *)line, (gssize)strlen(line) + 1);
		for (guint k = 0; k < e->details->len; k++) {
			const JobDetail *d = &g_array_index(e->details, JobDetail, k);
			g_checksum_update(sum, (const guchar *)d->key, (gssize)strlen(d->key) + 1);
			g_checksum_update(sum, (const guchar *)d->value, (gssize)strlen(d->value) + 1);
		}
	}
	for (guint i = 0; i < job->outputs->len; i++) {
		const JobOutput *o = g_ptr_array_index(job->outputs, i);
		g_autofree char *line = g_strdup_printf("output %s %d %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
		                                        o->name, o->complete, o->frames, o->bytes);
		g_checksum_update(sum, (const guchar *)line, (gssize)strlen(line) + 1);
	}
	return g_strdup(g_checksum_get_string(sum));
}

/* Empties and removes a learning run's output directory. */
static void remove_dir(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	for (const char *name; d && (name = g_dir_read_name(d));) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		g_unlink(path);
	}
	g_rmdir(dir);
}

/* One run of one expert under the base. FALSE only when the run could not
 * happen at all (message printed); whether the expert completed is in
 * *summary. With report set, a run that did not complete is printed. */
static gboolean run_one(const LearnRuns *runs, const char *expert, const char *label,
                        char **config, GHashTable *refuse, LearnLog *log, gboolean report,
                        RunSummary *summary)
{
	g_autoptr(GError) error = NULL;
	/* A directory of its own: outputs are created with O_EXCL, and one run's
	 * must not be the next one's obstacle. */
	g_autofree char *output_dir = g_dir_make_tmp("expert-learn-XXXXXX", &error);
	if (!output_dir) {
		fprintf(stderr, "expert-exec profile learn: %s\n", error->message);
		return FALSE;
	}
	Observer observer = { .log = log, .label = label, .base = runs->base, .refuse = refuse };
	RunnerOptions options = *runs->common;
	options.experts = &expert;
	options.n_experts = 1;
	options.jobs = 1;
	options.output_dir = output_dir;
	options.observe = observe;
	options.observe_data = &observer;
	g_autoptr(GPtrArray) configs = g_ptr_array_new();
	g_ptr_array_add(configs, config);
	options.configs = config ? configs : NULL;
	g_autoptr(RunResult) result = runner_run(runs->zygote, &options, &error);
	g_autofree char *escaped = observer.escaped;
	if (!result) {
		remove_dir(output_dir);
		fprintf(stderr, "expert-exec profile learn: %s\n", error->message);
		return FALSE;
	}
	const Job *job = g_ptr_array_index(result->jobs, 0);
	summary_clear(summary);
	summary->completed = run_result_all_completed(result) && !escaped;
	summary->results = results_digest(job);
	guint64 largest = 0;
	for (guint i = 0; i < job->outputs->len; i++)
		largest = MAX(largest, ((const JobOutput *)g_ptr_array_index(job->outputs, i))->bytes);
	summary->usage = (LearnUsage){
		.peak_pool_bytes = job->peak_pool_bytes,
		.max_rss_bytes = job->max_rss_kib * 1024,
		.cpu_usec = job->cpu_usec,
		.wall_usec = (guint64)MAX(0, job->end_usec - job->start_usec),
		.events = job->events_submitted,
		.outputs = job->outputs->len,
		.output_bytes = largest,
	};
	if (report && !summary->completed) {
		g_autofree char *text = report_text(result);
		fputs(text, stdout);
		if (escaped)
			fprintf(stderr, "expert-exec profile learn: %s: %s; no profile written\n", label, escaped);
		else if (job->outcome == OUTCOME_COMPLETED)
			fprintf(stderr, "expert-exec profile learn: %s returned %d under %s; no profile "
			        "written\n", label, job->return_value, runs->base->name);
		else
			fprintf(stderr, "expert-exec profile learn: %s ended in %s under %s (report above); "
			        "no profile written\n", label, outcome_info(job->outcome)->name,
			        runs->base->name);
	}
	remove_dir(output_dir);
	return TRUE;
}

/* The errno a trial refuses nr with: the parent's, where it refuses every
 * call of nr so already (strict's brk and mmap: ENOMEM), so that a kept
 * refusal needs no rule; else EACCES. */
static int trial_errno(const Profile *parent, int nr)
{
	const ProfileRule *p = profile_find_rule(parent, nr);
	if (p && p->action.kind == PROFILE_ACTION_ERRNO && learn_rule_unconditional(p))
		return p->action.errno_value;
	return EACCES;
}

/* Whether a refusal of s may be tried (see learn-trial.h). */
static gboolean triable(const LearnRuns *runs, const LearnSyscall *s)
{
	if (filter_is_channel_syscall(s->nr))
		return FALSE;
	const ProfileRule *b = profile_find_rule(runs->base, s->nr);
	if (b && b->action.kind != PROFILE_ACTION_NOTIFY)
		return FALSE;
	for (guint k = 0; k < s->samples->len; k++)
		if (!learn_allows(runs->parent, s->nr, g_array_index(s->samples, LearnSample, k).args))
			return TRUE;
	return FALSE;
}

/* Runs the experts that made calls of s with refuse in force: TRUE when each
 * still completes with the results of its observing run. */
static gboolean trial(const LearnRuns *runs, char **experts, char **labels,
                      char **const *configs, const LearnLog *seen,
                      const LearnSyscall *s, GHashTable *refuse, const RunSummary *baseline,
                      gboolean *fatal)
{
	for (guint k = 0; k < s->seen_by->len; k++) {
		guint e = g_array_index(s->seen_by, LearnSeenBy, k).expert;
		const char *name = learn_log_expert_name(seen, e);
		guint i = 0;
		while (strcmp(labels[i], name) != 0)
			i++;
		RunSummary got = { 0 };
		if (!run_one(runs, experts[i], labels[i], configs ? configs[i] : NULL, refuse, NULL, FALSE,
		             &got)) {
			*fatal = TRUE;
			return FALSE;
		}
		gboolean same = got.completed && strcmp(got.results, baseline[i].results) == 0;
		summary_clear(&got);
		if (!same)
			return FALSE;
	}
	return TRUE;
}

gboolean learn_trial_run(const LearnRuns *runs, char **experts, char **labels,
                         char **const *configs, guint n, LearnLog *log, gboolean *fatal)
{
	g_autoptr(LearnLog) seen = learn_log_new();
	RunSummary *baseline = g_new0(RunSummary, n);
	gboolean ok = TRUE;
	*fatal = FALSE;

	/* 1. Observe. */
	for (guint i = 0; i < n && !*fatal; i++) {
		if (!run_one(runs, experts[i], labels[i], configs ? configs[i] : NULL, NULL, seen, TRUE,
		             &baseline[i]))
			*fatal = TRUE;
		else if (!baseline[i].completed)
			ok = FALSE;
		else
			printf("%-32s completed; %" G_GUINT64_FORMAT " call%s refused by %s, let through "
			       "and recorded\n", labels[i], learn_log_n_calls(seen, labels[i]),
			       learn_log_n_calls(seen, labels[i]) == 1 ? "" : "s", runs->base->name);
	}

	/* 2. Try each syscall as a refusal, keeping those the experts do without. */
	g_autoptr(GHashTable) refuse = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_autoptr(GPtrArray) sorted = learn_log_sorted_syscalls(seen);
	for (guint k = 0; ok && !*fatal && k < sorted->len; k++) {
		const LearnSyscall *s = sorted->pdata[k];
		if (!triable(runs, s))
			continue;
		int e = trial_errno(runs->parent, s->nr);
		g_hash_table_insert(refuse, GINT_TO_POINTER(s->nr), GINT_TO_POINTER(e));
		gboolean kept = trial(runs, experts, labels, configs, seen, s, refuse, baseline, fatal);
		if (!kept)
			g_hash_table_remove(refuse, GINT_TO_POINTER(s->nr));
		g_autofree char *action = profile_action_describe(&(ProfileAction){ PROFILE_ACTION_ERRNO, e });
		if (kept)
			printf("  trial: %-24s refused (%s): every expert did without it\n", s->name, action);
		else if (!*fatal)
			printf("  trial: %-24s needed: allowed\n", s->name);
	}

	/* 3. Confirm, and record what the profile is written from. */
	for (guint i = 0; ok && !*fatal && i < n; i++) {
		RunSummary got = { 0 };
		if (!run_one(runs, experts[i], labels[i], configs ? configs[i] : NULL, refuse, log, TRUE,
		             &got)) {
			*fatal = TRUE;
		} else if (!got.completed || strcmp(got.results, baseline[i].results) != 0) {
			fprintf(stderr, "expert-exec profile learn: %s did not run the same with every "
			        "refusal kept: is it deterministic?\n", labels[i]);
			ok = FALSE;
		} else {
			learn_log_add_expert(log, labels[i], &got.usage);
		}
		summary_clear(&got);
	}
	GHashTableIter iter;
	gpointer nr, e;
	g_hash_table_iter_init(&iter, refuse);
	while (g_hash_table_iter_next(&iter, &nr, &e))
		learn_log_set_refused(log, GPOINTER_TO_INT(nr), GPOINTER_TO_INT(e));

	for (guint i = 0; i < n; i++)
		summary_clear(&baseline[i]);
	g_free(baseline);
	return ok && !*fatal;
}
