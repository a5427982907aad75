/* html-svg.h — the charts of the HTML report, drawn as inline SVG.
 *
 * Each takes plain figures and labels and appends one <svg> element whose
 * size follows from the data; colours come from the page's stylesheet
 * (classes b0, b1, mark, ...), so the charts follow it. Labels are hostile
 * text and are escaped (html-text.h); a cut label keeps its whole text in a
 * <title> tooltip. Numbers are written in the C locale. */
#ifndef EXPERT_EXEC_HTML_SVG_H
#define EXPERT_EXEC_HTML_SVG_H

#include <glib.h>

/* One row of a bar chart. */
typedef struct {
	const char *group;  /* a heading row before this bar when it differs from the last; or NULL */
	const char *label;
	guint indent;       /* nesting level of the label and bar (hierarchies) */
	double value[2];    /* the bar's one or two parts */
	const char *note;   /* text right of the bar */
} SvgBar;

typedef enum {
	SVG_BARS_STACKED, /* value[0] then value[1] in one bar (sent, received) */
	SVG_BARS_PAIRED,  /* two thin bars, each against its own largest (frames, bytes) */
} SvgBarsKind;

/* legend: the names of value[0] and value[1] (NULL: one part, no legend). */
void svg_bars(GString *out, const SvgBar *bars, guint n, SvgBarsKind kind,
              const char *const legend[2]);

/* One row of a range chart: a line from min to max with a dot at avg. */
typedef struct {
	const char *label;
	double min, avg, max; /* microseconds */
	const char *note;
} SvgRange;

/* Times on a logarithmic axis with ticks at each power of ten. */
void svg_ranges(GString *out, const SvgRange *rows, guint n);

typedef struct {
	double from, to;    /* milliseconds */
	double count;
} SvgBucket;

typedef struct {
	const char *name;   /* "p50" */
	double at;          /* milliseconds */
} SvgMark;

/* Buckets as columns over a logarithmic time axis, each mark a labelled
 * vertical line. */
void svg_histogram(GString *out, const SvgBucket *buckets, guint n, const SvgMark *marks,
                   guint n_marks);

/* A small horizontal gauge: used of total (e.g. a pool's peak of its quota). */
void svg_meter(GString *out, double used, double total);

/* "351.5 ms", "2.7 µs", "1.2 s": a duration in microseconds. */
char *svg_duration(double usec);

#endif /* EXPERT_EXEC_HTML_SVG_H */
