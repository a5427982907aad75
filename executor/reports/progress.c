/* progress.c — see progress.h. Plain ANSI cursor movement: up N lines and
 * clear each, which every terminal emulator understands. */
#include "reports/progress.h"

#include "reports/report-text.h"
#include "results/child-text.h"
#include "results/outcome.h"

#include <string.h>

/* Redraws at most this often, so a chatty expert costs the executor nothing. */
#define REDRAW_USEC (100 * 1000)

struct Progress {
	FILE *out;
	GPtrArray *jobs;     /* const Job*, in the order first seen */
	guint lines_drawn;
	gint64 last_draw;
	char *title;         /* a line above the jobs' (a batch's progress), or NULL */
};

Progress *progress_new(FILE *terminal)
{
	Progress *p = g_new0(Progress, 1);
	p->out = terminal;
	p->jobs = g_ptr_array_new();
	return p;
}

static void draw(Progress *p)
{
	if (p->lines_drawn)
		fprintf(p->out, "\033[%uA", p->lines_drawn);
	if (p->title)
		fprintf(p->out, "\033[K%s\n", p->title);
	for (guint i = 0; i < p->jobs->len; i++) {
		const Job *job = g_ptr_array_index(p->jobs, i);
		/* The file's name, and the child's status text escaped: nothing
		 * the child says reaches the terminal as a control sequence. */
		g_autofree char *label = report_job_label(job);
		g_autofree char *name = child_text(label, 28, 0);
		g_autofree char *status = child_text(job->status_text, 60, 0);
		const char *state = job->end_usec ? outcome_info(job->outcome)->name : "running";
		char percent[8] = "    ";
		if (job->status_percent >= 0 && job->status_percent <= 100)
			g_snprintf(percent, sizeof(percent), "%3d%%", job->status_percent);
		int width = 28 + (int)(strlen(name) - (gsize)g_utf8_strlen(name, -1));
		fprintf(p->out, "\033[K%-*s %s %-18s %s\n", width, name, percent, state, status);
	}
	p->lines_drawn = p->jobs->len + (p->title != NULL);
	fflush(p->out);
	p->last_draw = g_get_monotonic_time();
}

void progress_update(const Job *job, gpointer data)
{
	Progress *p = data;
	gboolean known = g_ptr_array_find(p->jobs, job, NULL);
	if (!known)
		g_ptr_array_add(p->jobs, (gpointer)job);
	if (known && !job->end_usec && g_get_monotonic_time() - p->last_draw < REDRAW_USEC)
		return;
	draw(p);
}

void progress_clear(Progress *p)
{
	if (p->lines_drawn) {
		fprintf(p->out, "\033[%uA", p->lines_drawn);
		for (guint i = 0; i < p->lines_drawn; i++)
			fputs("\033[K\n", p->out);
		fprintf(p->out, "\033[%uA", p->lines_drawn);
		fflush(p->out);
	}
	p->lines_drawn = 0;
	g_ptr_array_set_size(p->jobs, 0);
}

void progress_set_title(Progress *p, const char *title)
{
	g_free(p->title);
	p->title = g_strdup(title);
	draw(p);
}

void progress_free(Progress *p)
{
	if (!p)
		return;
	g_free(p->title);
	g_ptr_array_unref(p->jobs);
	g_free(p);
}
