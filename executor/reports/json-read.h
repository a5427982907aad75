/* json-read.h — members of a JSON document read without trusting its shape.
 *
 * The HTML report renders the document `--json` prints, which other parts of
 * the program extend; a member that is missing or of another type reads as
 * absent (NULL, FALSE), never as a GLib critical or a crash. */
#ifndef EXPERT_EXEC_JSON_READ_H
#define EXPERT_EXEC_JSON_READ_H

#include <json-glib/json-glib.h>

/* NULL unless o has a member name of that type. o may be NULL. */
JsonObject *json_read_object(JsonObject *o, const char *name);
JsonArray *json_read_array(JsonObject *o, const char *name);
const char *json_read_string(JsonObject *o, const char *name);

/* Element i of a as an object; NULL if it is not one (or a is NULL). */
JsonObject *json_read_element(JsonArray *a, guint i);

/* A number (integer or double) into *out; FALSE if there is none. */
gboolean json_read_number(JsonObject *o, const char *name, double *out);
/* The number, or fallback. */
double json_read_double(JsonObject *o, const char *name, double fallback);

/* The value of a member (string, number, boolean) as text, or NULL for an
 * object, an array or null. Caller frees. */
char *json_read_text(JsonNode *node);

#endif /* EXPERT_EXEC_JSON_READ_H */
