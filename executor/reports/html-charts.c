/* html-charts.c — the event shapes the HTML report draws (see
 * html-charts.h): one table, each entry the detail keys that make it and the
 * function that draws it. */
#include "reports/html-charts.h"

#include "reports/html-svg.h"
#include "reports/html-text.h"
#include "reports/json-read.h"
#include "reports/report-format.h"

#include <math.h>
#include <string.h>

/* A detail as a number; 0 when it is not one (draw functions only see rows
 * whose required numbers were checked). */
static double number(JsonObject *details, const char *key)
{
	const char *s = json_read_string(details, key);
	if (!s || !report_is_number(s))
		return 0;
	double v = g_ascii_strtod(s, NULL);
	return isfinite(v) && v >= 0 ? v : 0;
}

static gboolean is_count(JsonObject *details, const char *key)
{
	const char *s = json_read_string(details, key);
	if (!s || !report_is_number(s))
		return FALSE;
	double v = g_ascii_strtod(s, NULL);
	return isfinite(v) && v >= 0;
}

/* "host:port", "[v6]:port", or host alone without a port. */
static char *endpoint(JsonObject *details, const char *host_key, const char *port_key)
{
	const char *host = json_read_string(details, host_key);
	const char *port = json_read_string(details, port_key);
	if (!port)
		return g_strdup(host);
	return g_strdup_printf(strchr(host, ':') ? "[%s]:%s" : "%s:%s", host, port);
}

static char *size_and_count(double bytes, double count, const char *what)
{
	g_autofree char *size = report_size((guint64)bytes);
	return g_strdup_printf("%s, %.0f %s", size, count, what);
}

/* Sorting rows (JsonObject* details) by one numeric key, largest first;
 * g_ptr_array_sort is stable, so ties keep the expert's order. */
static const char *sort_key;

static gint by_key_descending(gconstpointer a, gconstpointer b)
{
	double x = number(*(JsonObject *const *)a, sort_key);
	double y = number(*(JsonObject *const *)b, sort_key);
	return x < y ? 1 : x > y ? -1 : 0;
}

static void sort_rows(GPtrArray *rows, const char *key)
{
	sort_key = key;
	g_ptr_array_sort(rows, by_key_descending);
	sort_key = NULL;
}

/* ---- the shapes --------------------------------------------------------- */

static void draw_hierarchy(GString *out, GPtrArray *rows, guint *left_out)
{
	guint n = MIN(rows->len, CHART_ROWS_MAX);
	g_autofree SvgBar *bars = g_new0(SvgBar, n);
	g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < n; i++) {
		JsonObject *d = g_ptr_array_index(rows, i);
		const char *path = json_read_string(d, "path");
		const char *slash = strrchr(path, '/');
		const char *protocol = json_read_string(d, "protocol");
		double depth = number(d, "depth");
		char *note = size_and_count(number(d, "bytes"), number(d, "frames"), "frames");
		g_ptr_array_add(notes, note);
		bars[i] = (SvgBar){
			.label = protocol ? protocol : slash ? slash + 1 : path,
			.indent = depth < 64 ? (guint)depth : 64,
			.value = { number(d, "frames"), number(d, "bytes") },
			.note = note,
		};
	}
	static const char *const legend[2] = { "frames", "bytes" };
	svg_bars(out, bars, n, SVG_BARS_PAIRED, legend);
	*left_out = rows->len - n;
}

static void draw_talkers(GString *out, GPtrArray *rows, guint *left_out)
{
	/* One group per layer, in the order layers first appear. */
	g_autoptr(GPtrArray) layers = g_ptr_array_new();
	for (guint i = 0; i < rows->len; i++) {
		const char *layer = json_read_string(g_ptr_array_index(rows, i), "layer");
		if (!g_ptr_array_find_with_equal_func(layers, layer, g_str_equal, NULL))
			g_ptr_array_add(layers, (gpointer)layer);
	}
	gboolean split = TRUE;
	for (guint i = 0; i < rows->len && split; i++)
		split = is_count(g_ptr_array_index(rows, i), "tx_bytes") &&
		        is_count(g_ptr_array_index(rows, i), "rx_bytes");
	g_autoptr(GArray) bars = g_array_new(FALSE, TRUE, sizeof(SvgBar));
	g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
	*left_out = 0;
	for (guint l = 0; l < layers->len; l++) {
		g_autoptr(GPtrArray) mine = g_ptr_array_new();
		for (guint i = 0; i < rows->len; i++)
			if (g_str_equal(json_read_string(g_ptr_array_index(rows, i), "layer"),
			                g_ptr_array_index(layers, l)))
				g_ptr_array_add(mine, g_ptr_array_index(rows, i));
		sort_rows(mine, "bytes");
		for (guint i = 0; i < mine->len && i < CHART_ROWS_MAX; i++) {
			JsonObject *d = g_ptr_array_index(mine, i);
			char *note = is_count(d, "frames")
				? size_and_count(number(d, "bytes"), number(d, "frames"), "frames")
				: report_size((guint64)number(d, "bytes"));
			g_ptr_array_add(notes, note);
			SvgBar bar = {
				.group = g_ptr_array_index(layers, l),
				.label = json_read_string(d, "address"),
				.value = { split ? number(d, "tx_bytes") : number(d, "bytes"),
				           split ? number(d, "rx_bytes") : 0 },
				.note = note,
			};
			g_array_append_val(bars, bar);
		}
		*left_out += mine->len > CHART_ROWS_MAX ? mine->len - CHART_ROWS_MAX : 0;
	}
	static const char *const legend[2] = { "bytes sent", "bytes received" };
	svg_bars(out, (SvgBar *)bars->data, bars->len, SVG_BARS_STACKED, split ? legend : NULL);
}

static void draw_response_times(GString *out, GPtrArray *rows, guint *left_out)
{
	sort_rows(rows, "avg_us");
	guint n = MIN(rows->len, CHART_ROWS_MAX);
	g_autofree SvgRange *ranges = g_new0(SvgRange, n);
	g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < n; i++) {
		JsonObject *d = g_ptr_array_index(rows, i);
		g_autofree char *server = endpoint(d, "server", "port");
		const char *protocol = json_read_string(d, "protocol");
		char *label = protocol ? g_strdup_printf("%s %s", protocol, server) : g_strdup(server);
		g_autofree char *avg = svg_duration(number(d, "avg_us"));
		char *note = is_count(d, "exchanges")
			? g_strdup_printf("avg %s, %.0f×", avg, number(d, "exchanges"))
			: g_strdup_printf("avg %s", avg);
		g_ptr_array_add(texts, label);
		g_ptr_array_add(texts, note);
		ranges[i] = (SvgRange){
			.label = label,
			.min = number(d, "min_us"),
			.avg = number(d, "avg_us"),
			.max = number(d, "max_us"),
			.note = note,
		};
	}
	svg_ranges(out, ranges, n);
	*left_out = rows->len - n;
}

static void draw_retransmissions(GString *out, GPtrArray *rows, guint *left_out)
{
	sort_rows(rows, "retransmitted_frames");
	guint n = MIN(rows->len, CHART_ROWS_MAX);
	g_autofree SvgBar *bars = g_new0(SvgBar, n);
	g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < n; i++) {
		JsonObject *d = g_ptr_array_index(rows, i);
		g_autofree char *client = endpoint(d, "client", "client_port");
		g_autofree char *server = endpoint(d, "server", "server_port");
		char *label = g_strdup_printf("%s → %s", client, server);
		double frames = number(d, "retransmitted_frames");
		char *note = is_count(d, "retransmitted_bytes")
			? size_and_count(number(d, "retransmitted_bytes"), frames, "frames")
			: g_strdup_printf("%.0f frames", frames);
		g_ptr_array_add(texts, label);
		g_ptr_array_add(texts, note);
		bars[i] = (SvgBar){ .label = label, .value = { frames, 0 }, .note = note };
	}
	svg_bars(out, bars, n, SVG_BARS_STACKED, NULL);
	*left_out = rows->len - n;
}

static const ChartShape shapes[] = {
	{ "hierarchy", "Protocol hierarchy: frames and bytes, nested by depth",
	  { "path", "depth", "frames", "bytes" }, { "depth", "frames", "bytes" },
	  "protocol (the label; else the path's last part)",
	  "one row per event in the order given, indented by depth; a bar for frames and one for "
	  "bytes, each against the largest", draw_hierarchy },
	{ "talkers", "Top talkers: bytes per address, by layer",
	  { "layer", "address", "bytes" }, { "bytes" },
	  "tx_bytes and rx_bytes (the bar split into sent and received), frames",
	  "one group of bars per layer, largest first", draw_talkers },
	{ "response-times", "Response times per server: minimum to maximum, dot at the average",
	  { "server", "min_us", "avg_us", "max_us" }, { "min_us", "avg_us", "max_us" },
	  "port, protocol, exchanges",
	  "a line from min to max with a dot at the average, on a logarithmic time axis, "
	  "slowest average first", draw_response_times },
	{ "retransmissions", "Retransmissions per connection",
	  { "client", "server", "retransmitted_frames" }, { "retransmitted_frames" },
	  "client_port, server_port, retransmitted_bytes",
	  "a bar of retransmitted frames per connection, most first", draw_retransmissions },
};

const ChartShape *html_chart_shapes(gsize *n)
{
	*n = G_N_ELEMENTS(shapes);
	return shapes;
}

static gboolean fits(const ChartShape *s, JsonObject *details)
{
	for (int k = 0; k < CHART_KEYS_MAX && s->keys[k]; k++)
		if (!json_read_string(details, s->keys[k]))
			return FALSE;
	for (int k = 0; k < CHART_KEYS_MAX && s->numbers[k]; k++)
		if (!is_count(details, s->numbers[k]))
			return FALSE;
	return TRUE;
}

void html_charts(GString *out, JsonArray *events)
{
	guint n_events = events ? json_array_get_length(events) : 0;
	for (gsize s = 0; s < G_N_ELEMENTS(shapes); s++) {
		g_autoptr(GPtrArray) rows = g_ptr_array_new();
		for (guint i = 0; i < n_events; i++) {
			JsonObject *details = json_read_object(json_read_element(events, i), "details");
			if (details && fits(&shapes[s], details))
				g_ptr_array_add(rows, details);
		}
		if (!rows->len)
			continue;
		GString *svg = g_string_new(NULL);
		guint left_out = 0;
		shapes[s].draw(svg, rows, &left_out);
		g_string_append_printf(out, "<figure class=\"chart\" data-shape=\"%s\"><figcaption>%s",
		                       shapes[s].name, shapes[s].title);
		if (left_out)
			g_string_append_printf(out, " <span class=\"dim\">(%u more not drawn; all are in "
			                       "the tables below)</span>", left_out);
		g_string_append(out, "</figcaption>\n");
		g_string_append_len(out, svg->str, (gssize)svg->len);
		g_string_append(out, "</figure>\n");
		g_string_free(svg, TRUE);
	}
}
