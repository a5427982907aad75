/* html-events.h — an expert's events in the HTML report: each run of events
 * with the same severity and detail keys as one sortable table (a column per
 * key; the text column left out when the details already say all of it, as
 * in the text report), a lone event as one line. */
#ifndef EXPERT_EXEC_HTML_EVENTS_H
#define EXPERT_EXEC_HTML_EVENTS_H

#include <glib.h>
#include <json-glib/json-glib.h>

/* events: an array of event objects as --json writes them. */
void html_events(GString *out, JsonArray *events);

#endif /* EXPERT_EXEC_HTML_EVENTS_H */
