/* json-read.c — members of a JSON document read without trusting its shape
 * (see json-read.h). */
#include "reports/json-read.h"

static JsonNode *member(JsonObject *o, const char *name, JsonNodeType type)
{
	JsonNode *n = o ? json_object_get_member(o, name) : NULL;
	return n && JSON_NODE_TYPE(n) == type ? n : NULL;
}

JsonObject *json_read_object(JsonObject *o, const char *name)
{
	JsonNode *n = member(o, name, JSON_NODE_OBJECT);
	return n ? json_node_get_object(n) : NULL;
}

JsonArray *json_read_array(JsonObject *o, const char *name)
{
	JsonNode *n = member(o, name, JSON_NODE_ARRAY);
	return n ? json_node_get_array(n) : NULL;
}

const char *json_read_string(JsonObject *o, const char *name)
{
	JsonNode *n = member(o, name, JSON_NODE_VALUE);
	return n && json_node_get_value_type(n) == G_TYPE_STRING ? json_node_get_string(n) : NULL;
}

JsonObject *json_read_element(JsonArray *a, guint i)
{
	JsonNode *n = a && i < json_array_get_length(a) ? json_array_get_element(a, i) : NULL;
	return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

gboolean json_read_number(JsonObject *o, const char *name, double *out)
{
	JsonNode *n = member(o, name, JSON_NODE_VALUE);
	if (!n)
		return FALSE;
	GType t = json_node_get_value_type(n);
	if (t == G_TYPE_INT64)
		*out = (double)json_node_get_int(n);
	else if (t == G_TYPE_DOUBLE)
		*out = json_node_get_double(n);
	else
		return FALSE;
	return TRUE;
}

double json_read_double(JsonObject *o, const char *name, double fallback)
{
	double v;
	return json_read_number(o, name, &v) ? v : fallback;
}

char *json_read_text(JsonNode *node)
{
	if (!node || JSON_NODE_TYPE(node) != JSON_NODE_VALUE)
		return NULL;
	GType t = json_node_get_value_type(node);
	if (t == G_TYPE_STRING)
		return g_strdup(json_node_get_string(node));
	if (t == G_TYPE_INT64)
		return g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(node));
	if (t == G_TYPE_DOUBLE) {
		char buf[G_ASCII_DTOSTR_BUF_SIZE];
		return g_strdup(g_ascii_formatd(buf, sizeof buf, "%.6g", json_node_get_double(node)));
	}
	if (t == G_TYPE_BOOLEAN)
		return g_strdup(json_node_get_boolean(node) ? "yes" : "no");
	return NULL;
}
