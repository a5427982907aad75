/* storm.c — the engine of `expert-exec stress` (see storm.h): jobs drawn
 * from the entries, started up to --jobs at a time and freed as each ends,
 * and the executor's resources sampled from /proc along the way. */
#include "cli/storm.h"

#include "jobs/prefork.h"
#include "jobs/resources.h"

#include <stdio.h>
#include <string.h>

/* Executor memory is compared after this many runs, not before the first:
 * one-time allocations (libraries' caches, the main loop) are not leaks. */
#define WARMUP_RUNS 200
/* How often (in runs) the executor's resources are sampled for the largest
 * excursion; reading /proc costs tens of microseconds. */
#define SAMPLE_EVERY 64

void storm_entry_free(gpointer p)
{
	Entry *e = p;
	g_free(e->path);
	g_free(e->first_unexpected);
	g_free(e);
}

/* The zygote's children and zombies, from /proc: any left at the end of a
 * storm were never reaped. */
static void count_children(Zygote *zygote, guint *children, guint *zombies)
{
	*children = *zombies = 0;
	pid_t z = zygote_pid(zygote);
	g_autofree char *path = g_strdup_printf("/proc/%d/task/%d/children", z, z);
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return;
	g_auto(GStrv) pids = g_strsplit(g_strstrip(text), " ", -1);
	for (guint i = 0; pids[i]; i++) {
		if (!pids[i][0])
			continue;
		(*children)++;
		g_autofree char *stat_path = g_strdup_printf("/proc/%s/stat", pids[i]);
		g_autofree char *stat = NULL;
		if (g_file_get_contents(stat_path, &stat, NULL, NULL)) {
			const char *paren = strrchr(stat, ')');
			if (paren && paren[1] == ' ' && paren[2] == 'Z')
				(*zombies)++;
		}
	}
}

void storm_sample(Storm *s, Sample *out)
{
	resources_snapshot(s->setup->pool, &out->snap);
	count_children(s->zygote, &out->children, &out->zombies);
}

void storm_keep_peak(Storm *s, const Sample *now)
{
	Sample *p = &s->peak;
	p->snap.open_fds = MAX(p->snap.open_fds, now->snap.open_fds);
	p->snap.rss_bytes = MAX(p->snap.rss_bytes, now->snap.rss_bytes);
	p->snap.pool_regions = MAX(p->snap.pool_regions, now->snap.pool_regions);
	p->snap.pool_bytes = MAX(p->snap.pool_bytes, now->snap.pool_bytes);
	p->children = MAX(p->children, now->children);
	p->zombies = MAX(p->zombies, now->zombies);
}

static gboolean more_to_start(const Storm *s)
{
	if (s->target)
		return s->started < s->target;
	return g_get_monotonic_time() < s->deadline;
}

void storm_start_jobs(Storm *s);

void storm_progress_line(Storm *s, gboolean force)
{
	if (!s->tty)
		return;
	gint64 now = g_get_monotonic_time();
	if (!force && now - s->last_progress < 200000)
		return;
	s->last_progress = now;
	double secs = (double)(now - s->setup->start_usec) / 1e6;
	fprintf(stderr, "\r\033[K%" G_GUINT64_FORMAT " runs, %.0f/s, %u running, %" G_GUINT64_FORMAT
	        " unexpected", s->finished, secs > 0 ? (double)s->finished / secs : 0.0, s->running,
	        s->by_outcome[OUTCOME_NOT_STARTED]);
	fflush(stderr);
}

/* The baseline, once no child of the storm's is left: none running, and
 * none of the pre-fork pool's (ended when the draining began) still
 * waiting to be reported gone. Polled from the main loop, which is what
 * reports them. */
static gboolean take_baseline(gpointer data)
{
	Storm *s = data;
	if (prefork_busy(s->setup->prefork))
		return G_SOURCE_CONTINUE;
	storm_sample(s, &s->start);
	s->peak = s->start;
	s->have_start = TRUE;
	s->draining = FALSE;
	storm_start_jobs(s);
	if (!s->running && !more_to_start(s))
		g_main_loop_quit(s->loop);
	return G_SOURCE_REMOVE;
}

static void on_done(Job *job, gpointer data)
{
	Storm *s = data;
	Entry *e = g_ptr_array_index(s->entries, (guint)(job->id >> 40));
	float ms = (float)((g_get_monotonic_time() - job->start_usec) / 1000.0);
	g_array_append_val(s->latency_ms, ms);
	e->runs++;
	e->by_outcome[job->outcome]++;
	s->by_outcome[job->outcome]++;
	if (e->corpus && job->outcome != e->corpus->expected) {
		if (!e->unexpected++)
			e->first_unexpected = g_strdup_printf("%s: %s", outcome_info(job->outcome)->name,
			                                      job->detail ? job->detail : "");
	}
	g_hash_table_remove(s->running_jobs, &job->id);
	job_free(job);
	s->running--;
	s->finished++;
	/* The baseline is taken once warmed up and with no child running, so it
	 * is comparable with the end, when none runs either. */
	if (!s->have_start && (s->finished >= WARMUP_RUNS || !more_to_start(s)))
		s->draining = TRUE;
	if (s->draining && !s->running) {
		prefork_release(s->setup->prefork);
		g_timeout_add(1, take_baseline, s);
		return;
	} else if (s->have_start && s->finished % SAMPLE_EVERY == 0) {
		Sample now;
		storm_sample(s, &now);
		storm_keep_peak(s, &now);
	}
	storm_progress_line(s, FALSE);
	storm_start_jobs(s);
	if (!s->running && !more_to_start(s))
		g_main_loop_quit(s->loop);
}

static Entry *draw(Storm *s)
{
	guint r = (guint)g_rand_int_range(s->rand, 0, (gint32)s->total_weight);
	for (guint i = 0; i < s->entries->len; i++) {
		Entry *e = g_ptr_array_index(s->entries, i);
		if (r < e->weight)
			return e;
		r -= e->weight;
	}
	return g_ptr_array_index(s->entries, s->entries->len - 1);
}

/* Children ready for the runs still to start, as many as the pool holds. */
static void want_children(Storm *s)
{
	guint64 left = s->target ? s->target - s->started : G_MAXUINT64;
	guint size = s->setup->prefork_figures.size;
	prefork_want(s->setup->prefork, g_ptr_array_index(s->setup->profiles, 0),
	             s->draining ? 0 : (guint)MIN(left, (guint64)size));
}

void storm_start_jobs(Storm *s)
{
	while (!s->draining && s->running < s->jobs && more_to_start(s)) {
		Entry *e = draw(s);
		guint index;
		g_ptr_array_find(s->entries, e, &index);
		/* The entry's index rides in the job id's high bits. */
		guint64 id = ((guint64)index << 40) | (++s->started & ((1ull << 40) - 1));
		s->running++;
		/* Every storm job runs under the one profile of --profile. */
		Job *job = job_start(id, e->path, NULL, g_ptr_array_index(s->setup->profiles, 0),
		                     s->setup->ctx, on_done, s);
		g_hash_table_insert(s->running_jobs, &job->id, job);
	}
	want_children(s);
}
