/* html-charts.h — which events the HTML report draws, and how.
 *
 * A chart is chosen by the keys of the events' details, never by the
 * expert's name, so any expert whose events use these keys gets the chart
 * (the README's "Writing an expert" documents the same table). Every event
 * with all of a shape's keys, its numeric ones finite numbers not below 0,
 * is one row of that shape's chart; an expert's events may make several
 * charts. */
#ifndef EXPERT_EXEC_HTML_CHARTS_H
#define EXPERT_EXEC_HTML_CHARTS_H

#include <glib.h>
#include <json-glib/json-glib.h>

#define CHART_KEYS_MAX 6
#define CHART_ROWS_MAX 40 /* rows drawn per chart (per layer for talkers) */

typedef struct {
	const char *name;                      /* "hierarchy" */
	const char *title;                     /* the chart's caption */
	const char *keys[CHART_KEYS_MAX];      /* all required; NULL-terminated */
	const char *numbers[CHART_KEYS_MAX];   /* those of keys that must be numbers */
	const char *optional;                  /* keys also used when present, for the docs */
	const char *draws;                     /* what the chart shows, for the docs */
	void (*draw)(GString *out, GPtrArray *rows, guint *left_out); /* rows: JsonObject* details */
} ChartShape;

const ChartShape *html_chart_shapes(gsize *n);

/* Appends a <figure> per shape that events (an array of event objects as
 * --json writes them) fit; nothing when none does. */
void html_charts(GString *out, JsonArray *events);

#endif /* EXPERT_EXEC_HTML_CHARTS_H */
