/* html-svg.c — the charts of the HTML report as inline SVG (see
 * html-svg.h). Sizes are in CSS pixels at a 12px font; every number goes
 * through g_ascii_formatd, as SVG wants a '.' whatever the locale. */
#include "reports/html-svg.h"

#include "reports/html-text.h"

#include <math.h>
#include <string.h>

#define ROW 20           /* height of one bar's row */
#define LABEL_X 4
#define CHAR_W 7.0       /* px of a character of a label, about */
#define LABEL_CHARS_MIN 12
#define LABEL_CHARS_MAX 48 /* longer labels are cut, whole in their tooltip */
#define INDENT 2         /* characters per nesting level */
#define BAR_W 360
#define NOTE_W 160
#define HIST_WIDTH 760

/* Where the columns of a chart with labels are: the label column as wide as
 * its longest label, within bounds. */
typedef struct {
	guint label_chars;
	double bar_x, note_x, width;
} Columns;

static Columns columns(guint longest)
{
	Columns c;
	c.label_chars = CLAMP(longest, LABEL_CHARS_MIN, LABEL_CHARS_MAX);
	c.bar_x = LABEL_X + c.label_chars * CHAR_W + 12;
	c.note_x = c.bar_x + BAR_W + 8;
	c.width = c.note_x + NOTE_W;
	return c;
}

static guint chars(const char *s)
{
	g_autofree char *valid = s ? g_utf8_make_valid(s, -1) : NULL;
	return valid ? (guint)g_utf8_strlen(valid, -1) : 0;
}

/* Appends " name=\"v\"" with v to one decimal. */
static void attr(GString *out, const char *name, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	g_string_append_printf(out, " %s=\"%s\"", name, g_ascii_formatd(buf, sizeof buf, "%.1f", v));
}

static void begin_svg(GString *out, double width, double height, const char *what)
{
	g_string_append(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\"");
	attr(out, "width", width);
	attr(out, "height", height);
	g_string_append_printf(out, " viewBox=\"0 0 %d %d\" aria-label=\"", (int)ceil(width),
	                       (int)ceil(height));
	html_text(out, what);
	g_string_append(out, "\">\n");
}

static void rect(GString *out, const char *cls, double x, double y, double w, double h)
{
	g_string_append_printf(out, "<rect class=\"%s\"", cls);
	attr(out, "x", x);
	attr(out, "y", y);
	attr(out, "width", w);
	attr(out, "height", h);
	g_string_append(out, "/>");
}

static void line(GString *out, const char *cls, double x1, double y1, double x2, double y2)
{
	g_string_append_printf(out, "<line class=\"%s\"", cls);
	attr(out, "x1", x1);
	attr(out, "y1", y1);
	attr(out, "x2", x2);
	attr(out, "y2", y2);
	g_string_append(out, "/>");
}

/* A text element; cut to max characters (0: whole), the whole text then in
 * a <title> so it shows on hover. anchor: "start", "middle" or "end". */
static void text(GString *out, const char *cls, double x, double y, const char *anchor,
                 const char *s, guint max)
{
	g_string_append_printf(out, "<text class=\"%s\" text-anchor=\"%s\"", cls, anchor);
	attr(out, "x", x);
	attr(out, "y", y);
	g_string_append_c(out, '>');
	g_autofree char *valid = g_utf8_make_valid(s, -1);
	if (max && g_utf8_strlen(valid, -1) > (glong)max) {
		g_string_append(out, "<title>");
		html_text(out, valid);
		g_string_append(out, "</title>");
	}
	html_text_cut(out, valid, max);
	g_string_append(out, "</text>");
}

static void legend_row(GString *out, const Columns *c, double y, const char *const legend[2])
{
	for (int i = 0; i < 2; i++) {
		double x = c->bar_x + i * 150.0;
		rect(out, i ? "b1" : "b0", x, y + 4, 12, 12);
		text(out, "note", x + 16, y + 14, "start", legend[i], 18);
	}
	g_string_append_c(out, '\n');
}

/* Bar length for v of largest, at least a pixel when v is not 0. */
static double length(double v, double largest)
{
	if (!(v > 0) || !(largest > 0))
		return 0;
	return MAX(1.0, BAR_W * MIN(v / largest, 1.0));
}

void svg_bars(GString *out, const SvgBar *bars, guint n, SvgBarsKind kind,
              const char *const legend[2])
{
	double largest[2] = { 0, 0 };
	guint groups = 0;
	for (guint i = 0; i < n; i++) {
		if (kind == SVG_BARS_STACKED)
			largest[0] = MAX(largest[0], bars[i].value[0] + bars[i].value[1]);
		else
			for (int k = 0; k < 2; k++)
				largest[k] = MAX(largest[k], bars[i].value[k]);
		if (bars[i].group && (i == 0 || g_strcmp0(bars[i].group, bars[i - 1].group)))
			groups++;
	}
	guint longest = 0;
	for (guint i = 0; i < n; i++)
		longest = MAX(longest, chars(bars[i].label) + MIN(bars[i].indent, 12u) * INDENT);
	Columns c = columns(longest);
	double y = 0;
	begin_svg(out, c.width, (legend ? ROW : 0) + (double)(n + groups) * ROW + 4, "bar chart");
	if (legend) {
		legend_row(out, &c, y, legend);
		y += ROW;
	}
	for (guint i = 0; i < n; i++) {
		const SvgBar *b = &bars[i];
		if (b->group && (i == 0 || g_strcmp0(b->group, bars[i - 1].group))) {
			text(out, "grp", LABEL_X, y + 15, "start", b->group, c.label_chars);
			line(out, "axis", LABEL_X, y + ROW - 1, c.note_x - 8, y + ROW - 1);
			y += ROW;
		}
		guint indent = MIN(b->indent, 12u) * INDENT;
		guint max = c.label_chars > indent + 4 ? c.label_chars - indent : 4;
		text(out, "lbl", LABEL_X + indent * CHAR_W, y + 14, "start", b->label, max);
		if (kind == SVG_BARS_STACKED) {
			double w0 = length(b->value[0], largest[0]);
			double w1 = length(b->value[0] + b->value[1], largest[0]) - w0;
			rect(out, "b0", c.bar_x, y + 3, w0, 14);
			if (w1 > 0)
				rect(out, "b1", c.bar_x + w0, y + 3, w1, 14);
		} else {
			rect(out, "b0", c.bar_x, y + 2, length(b->value[0], largest[0]), 7);
			rect(out, "b1", c.bar_x, y + 10, length(b->value[1], largest[1]), 7);
		}
		if (b->note)
			text(out, "note", c.note_x, y + 14, "start", b->note, 22);
		g_string_append_c(out, '\n');
		y += ROW;
	}
	g_string_append(out, "</svg>\n");
}

char *svg_duration(double usec)
{
	static const struct { double scale; const char *unit; } units[] = {
		{ 1e6, "s" }, { 1e3, "ms" }, { 1, "µs" },
	};
	gsize i = 0;
	while (i + 1 < G_N_ELEMENTS(units) && fabs(usec) < units[i].scale)
		i++;
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	g_ascii_formatd(buf, sizeof buf, "%.1f", usec / units[i].scale);
	if (g_str_has_suffix(buf, ".0"))
		buf[strlen(buf) - 2] = '\0';
	return g_strdup_printf("%s %s", buf, units[i].unit);
}

/* A logarithmic axis from lo to hi (powers of ten) onto [x0, x0 + w]. */
typedef struct {
	double lo, hi, x0, w;
} LogAxis;

static LogAxis log_axis(double smallest, double largest, double x0, double w)
{
	if (!(smallest > 0))
		smallest = 1;
	if (!(largest > smallest))
		largest = smallest;
	LogAxis a = { pow(10, floor(log10(smallest))), pow(10, ceil(log10(largest))), x0, w };
	if (a.hi <= a.lo)
		a.hi = a.lo * 10;
	return a;
}

static double log_x(const LogAxis *a, double v)
{
	if (!(v > a->lo))
		return a->x0;
	return a->x0 + a->w * MIN(1.0, log10(v / a->lo) / log10(a->hi / a->lo));
}

/* Grid lines and labels at each power of ten, from y_top to y_bottom;
 * values are microseconds times unit_usec. */
static void log_ticks(GString *out, const LogAxis *a, double y_top, double y_bottom,
                      double label_y, double unit_usec)
{
	for (double v = a->lo; v <= a->hi * 1.0001; v *= 10) {
		double x = log_x(a, v);
		line(out, "grid", x, y_top, x, y_bottom);
		g_autofree char *t = svg_duration(v * unit_usec);
		text(out, "tick", x, label_y, "middle", t, 0);
	}
	g_string_append_c(out, '\n');
}

void svg_ranges(GString *out, const SvgRange *rows, guint n)
{
	double smallest = G_MAXDOUBLE, largest = 0;
	guint longest = 0;
	for (guint i = 0; i < n; i++) {
		if (rows[i].min > 0)
			smallest = MIN(smallest, rows[i].min);
		largest = MAX(largest, rows[i].max);
		longest = MAX(longest, chars(rows[i].label));
	}
	Columns c = columns(longest);
	LogAxis a = log_axis(smallest, largest, c.bar_x, BAR_W);
	double top = ROW, height = top + n * ROW + 6;
	begin_svg(out, c.width, height, "range chart");
	log_ticks(out, &a, top - 4, height - 2, 13, 1);
	for (guint i = 0; i < n; i++) {
		const SvgRange *r = &rows[i];
		double y = top + i * ROW, mid = y + 10;
		text(out, "lbl", LABEL_X, y + 14, "start", r->label, c.label_chars);
		double x1 = log_x(&a, r->min), x2 = log_x(&a, r->max);
		line(out, "range", x1, mid, x2, mid);
		line(out, "range", x1, mid - 5, x1, mid + 5);
		line(out, "range", x2, mid - 5, x2, mid + 5);
		g_string_append(out, "<circle class=\"b0\" r=\"4\"");
		attr(out, "cx", log_x(&a, r->avg));
		attr(out, "cy", mid);
		g_string_append(out, "/>");
		if (r->note)
			text(out, "note", c.note_x, y + 14, "start", r->note, 22);
		g_string_append_c(out, '\n');
	}
	g_string_append(out, "</svg>\n");
}

#define HIST_TOP 34
#define HIST_H 150
#define HIST_X 60
#define HIST_W (HIST_WIDTH - HIST_X - 20)

void svg_histogram(GString *out, const SvgBucket *buckets, guint n, const SvgMark *marks,
                   guint n_marks)
{
	double peak = 0, smallest = G_MAXDOUBLE, largest = 0;
	for (guint i = 0; i < n; i++) {
		peak = MAX(peak, buckets[i].count);
		smallest = MIN(smallest, buckets[i].from);
		largest = MAX(largest, buckets[i].to);
	}
	LogAxis a = log_axis(n ? smallest : 1, largest, HIST_X, HIST_W);
	double base = HIST_TOP + HIST_H;
	begin_svg(out, HIST_WIDTH, base + 24, "histogram");
	/* Ticks in milliseconds: svg_duration takes microseconds. */
	log_ticks(out, &a, HIST_TOP, base, base + 16, 1000);
	line(out, "axis", HIST_X, base, HIST_X + HIST_W, base);
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	text(out, "tick", HIST_X - 6, HIST_TOP + 4, "end", g_ascii_formatd(buf, sizeof buf, "%.0f", peak), 0);
	text(out, "tick", HIST_X - 6, base, "end", "0", 0);
	for (guint i = 0; i < n; i++) {
		double x1 = log_x(&a, buckets[i].from), x2 = log_x(&a, buckets[i].to);
		double h = peak > 0 ? HIST_H * buckets[i].count / peak : 0;
		if (buckets[i].count > 0)
			h = MAX(h, 1.0);
		rect(out, "b0", x1, base - h, MAX(x2 - x1 - 1, 1.0), h);
	}
	g_string_append_c(out, '\n');
	for (guint i = 0; i < n_marks; i++) {
		double x = log_x(&a, marks[i].at);
		line(out, "mark", x, HIST_TOP - 4, x, base);
		/* Alternate heights, so that close marks stay legible. */
		double y = i % 2 ? HIST_TOP - 20 : HIST_TOP - 8;
		g_autofree char *t = svg_duration(marks[i].at * 1000);
		g_autofree char *label = g_strdup_printf("%s %s", marks[i].name, t);
		text(out, "marktext", x, y, "middle", label, 0);
	}
	g_string_append(out, "\n</svg>\n");
}

void svg_meter(GString *out, double used, double total)
{
	g_string_append(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"meter\" width=\"160\" "
	                     "height=\"10\" viewBox=\"0 0 160 10\" role=\"img\" aria-label=\"meter\">");
	rect(out, "track", 0, 0, 160, 10);
	double w = total > 0 && used > 0 ? MAX(1.0, 160 * MIN(used / total, 1.0)) : 0;
	rect(out, "b0", 0, 0, w, 10);
	g_string_append(out, "</svg>");
}
