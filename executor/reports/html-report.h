/* html-report.h — `run --html` and `stress --html`: the document --json
 * prints, rendered as one self-contained HTML page with charts.
 *
 * The page is drawn from the JSON alone, never from jobs or the storm, so it
 * shows what the JSON shows; members other parts of the program add (a
 * `kernel` object at the top, a `profile` object per job) appear when they
 * are there. */
#ifndef EXPERT_EXEC_HTML_REPORT_H
#define EXPERT_EXEC_HTML_REPORT_H

#include <glib.h>
#include <json-glib/json-glib.h>

/* The page for `run`'s document and for `stress`'s. */
GString *html_report_run(JsonNode *root);
GString *html_report_stress(JsonNode *root);
/* The page for `stress --inject`'s document (html-campaign.c). */
GString *html_report_campaign(JsonNode *root);

/* Renders root with one of the above and writes the page to path, whole or
 * not at all. */
gboolean html_report_write(GString *(*render)(JsonNode *root), JsonNode *root, const char *path,
                           GError **error);

/* Shared by both pages: facts from each member of o ("kernel"), nested
 * objects as "name.member", arrays as lists. */
void html_report_object_facts(GString *out, JsonObject *o, const char *prefix);

#endif /* EXPERT_EXEC_HTML_REPORT_H */
