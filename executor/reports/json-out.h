/* json-out.h — writing the --json reports of `run` and `stress`: each
 * member of the object being built in one call, and the finished document
 * as indented text.
 */
#ifndef JSON_OUT_H
#define JSON_OUT_H

#include <json-glib/json-glib.h>

/* A member NAME: VALUE of the object being built. */
void json_out_string(JsonBuilder *b, const char *name, const char *value); /* NULL: null */
void json_out_int(JsonBuilder *b, const char *name, gint64 value);
void json_out_double(JsonBuilder *b, const char *name, double value);
void json_out_bool(JsonBuilder *b, const char *name, gboolean value);

/* A member NAME whose value is an object (an array) built next, up to
 * json_builder_end_object (json_builder_end_array). */
void json_out_begin_object(JsonBuilder *b, const char *name);
void json_out_begin_array(JsonBuilder *b, const char *name);

/* The whole document b built, indented. */
char *json_out_text(JsonBuilder *b);
/* A document, indented. */
char *json_out_node_text(JsonNode *root);

#endif /* JSON_OUT_H */
