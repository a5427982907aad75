/* html-events.c — an expert's events as tables and lines (see
 * html-events.h). */
#include "reports/html-events.h"

#include "reports/html-page.h"
#include "reports/html-text.h"
#include "reports/json-read.h"
#include "reports/report-format.h"


/* The event's detail keys, in the order the expert gave them. */
static GList *keys_of(JsonObject *e)
{
	JsonObject *d = json_read_object(e, "details");
	return d ? json_object_get_members(d) : NULL;
}

static gboolean same_shape(JsonObject *a, JsonObject *b)
{
	if (!a || !b || g_strcmp0(json_read_string(a, "severity"), json_read_string(b, "severity")))
		return FALSE;
	g_autoptr(GList) ka = keys_of(a), kb = keys_of(b);
	GList *x = ka, *y = kb;
	for (; x && y; x = x->next, y = y->next)
		if (!g_str_equal(x->data, y->data))
			return FALSE;
	return !x && !y;
}

static const char *severity_class(const char *severity)
{
	if (g_strcmp0(severity, "error") == 0)
		return "bad";
	if (g_strcmp0(severity, "warning") == 0)
		return "warn";
	return "ok";
}

static void severity_badge(GString *out, const char *severity)
{
	g_string_append_printf(out, "<span class=\"badge %s\">", severity_class(severity));
	html_text(out, severity ? severity : "?");
	g_string_append(out, "</span> ");
}

static void lone_event(GString *out, JsonObject *e)
{
	g_string_append(out, "<li>");
	severity_badge(out, json_read_string(e, "severity"));
	html_text(out, json_read_string(e, "text"));
	JsonObject *d = json_read_object(e, "details");
	g_autoptr(GList) keys = keys_of(e);
	if (keys)
		g_string_append(out, " <span class=\"dim mono\">[");
	for (GList *k = keys; k; k = k->next) {
		g_autofree char *v = json_read_text(json_object_get_member(d, k->data));
		html_text(out, k->data);
		g_string_append_c(out, '=');
		html_text(out, v);
		if (k->next)
			g_string_append(out, ", ");
	}
	if (keys)
		g_string_append(out, "]</span>");
	g_string_append(out, "</li>\n");
}

/* Events [first, last) share their keys: one table. */
static void event_table(GString *out, JsonArray *events, guint first, guint last)
{
	g_autoptr(GList) keys = keys_of(json_read_element(events, first));
	guint n_keys = g_list_length(keys);
	g_autofree gboolean *numeric = g_new(gboolean, n_keys);
	for (guint c = 0; c < n_keys; c++)
		numeric[c] = TRUE;
	gboolean show_text = FALSE;
	g_autofree char **values = g_new0(char *, n_keys);
	for (guint i = first; i < last; i++) {
		JsonObject *d = json_read_object(json_read_element(events, i), "details");
		guint c = 0;
		for (GList *k = keys; k; k = k->next, c++) {
			values[c] = json_read_text(json_object_get_member(d, k->data));
			numeric[c] = numeric[c] && report_is_number(values[c]);
		}
		const char *text = json_read_string(json_read_element(events, i), "text");
		if (text && !report_text_redundant(text, (const char *const *)values, n_keys))
			show_text = TRUE;
		for (c = 0; c < n_keys; c++)
			g_clear_pointer(&values[c], g_free);
	}
	const char *severity = json_read_string(json_read_element(events, first), "severity");
	g_autofree char *caption = g_strdup_printf("%s: %u events", severity ? severity : "?",
	                                           last - first);
	html_table_begin(out, caption);
	if (show_text)
		html_table_heading(out, "event", FALSE);
	guint c = 0;
	for (GList *k = keys; k; k = k->next, c++)
		html_table_heading(out, k->data, numeric[c]);
	html_table_body(out);
	for (guint i = first; i < last; i++) {
		JsonObject *e = json_read_element(events, i);
		JsonObject *d = json_read_object(e, "details");
		html_table_row(out);
		if (show_text)
			html_table_cell(out, json_read_string(e, "text"), FALSE);
		c = 0;
		for (GList *k = keys; k; k = k->next, c++) {
			g_autofree char *v = json_read_text(json_object_get_member(d, k->data));
			html_table_cell(out, v, numeric[c]);
		}
	}
	html_table_end(out);
}

void html_events(GString *out, JsonArray *events)
{
	guint n = events ? json_array_get_length(events) : 0;
	gboolean in_list = FALSE;
	for (guint i = 0; i < n;) {
		JsonObject *e = json_read_element(events, i);
		guint last = i + 1;
		while (last < n && same_shape(e, json_read_element(events, last)))
			last++;
		g_autoptr(GList) keys = e ? keys_of(e) : NULL;
		if (last - i >= 2 && keys) {
			if (in_list)
				g_string_append(out, "</ul>\n");
			in_list = FALSE;
			event_table(out, events, i, last);
			i = last;
			continue;
		}
		if (!in_list)
			g_string_append(out, "<ul class=\"events\">\n");
		in_list = TRUE;
		if (e)
			lone_event(out, e);
		i++;
	}
	if (in_list)
		g_string_append(out, "</ul>\n");
}
