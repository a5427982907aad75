/* test-protocol-distribution.c — the Protocol Distribution expert, run by the
 * real executor under the strict profile, against tshark's figures.
 *
 * For every capture in tests/data/oracle/summary.tsv:
 *   expert-exec run --json --profile strict CAPTURE protocol-distribution.so
 * then the JSON report must show one completed job that read every frame,
 * a "total" event equal to tshark's frame count and bytes on the wire, and
 * hierarchy events equal to tshark's io,phs for the layers whose meaning we
 * share with it (the dissector's unit test covers the rest and says why the
 * other nodes differ).
 *
 * Environment: EXPERT_EXEC (the expert-exec binary), EXPERT_PD (the .so),
 * EXPERT_TEST_DATA (tests/data). Without them the tests are skipped.
 */
#include "oracle.h"

#include <glib.h>
#include <json-glib/json-glib.h>
#include <string.h>

/* Decided from headers alone, by us and by tshark. */
static const char *const compared_layers[] = {
	"eth", "sll", "raw", "vlan", "ieee8021ad", "ip", "ipv6", "arp", "tcp", "udp", NULL,
};

typedef struct {
	guint64 frames;
	guint64 bytes;
} Count;

static JsonNode *member(JsonObject *object, const char *name, const char *where)
{
	JsonNode *node = json_object_get_member(object, name);
	if (node == NULL)
		g_error("the report has no \"%s\" in %s", name, where);
	return node;
}

static JsonObject *object_member(JsonObject *object, const char *name, const char *where)
{
	JsonNode *node = member(object, name, where);
	if (!JSON_NODE_HOLDS_OBJECT(node))
		g_error("\"%s\" in %s is not an object", name, where);
	return json_node_get_object(node);
}

static JsonArray *array_member(JsonObject *object, const char *name, const char *where)
{
	JsonNode *node = member(object, name, where);
	if (!JSON_NODE_HOLDS_ARRAY(node))
		g_error("\"%s\" in %s is not an array", name, where);
	return json_node_get_array(node);
}

static gint64 int_member(JsonObject *object, const char *name, const char *where)
{
	JsonNode *node = member(object, name, where);
	if (json_node_get_value_type(node) != G_TYPE_INT64)
		g_error("\"%s\" in %s is not an integer", name, where);
	return json_node_get_int(node);
}

static const char *string_member(JsonObject *object, const char *name, const char *where)
{
	JsonNode *node = member(object, name, where);
	if (json_node_get_value_type(node) != G_TYPE_STRING)
		g_error("\"%s\" in %s is not a string", name, where);
	return json_node_get_string(node);
}

/* Event details are strings; the counts in them are decimal. */
static guint64 count_detail(JsonObject *details, const char *name, const char *event)
{
	const char *text = string_member(details, name, event);
	guint64 value;
	if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, &value, NULL))
		g_error("detail \"%s\" of event %s is \"%s\", not a count", name, event, text);
	return value;
}

/* Runs the executor; returns its stdout, failing the test on anything else. */
static char *run_expert(const char *capture_path)
{
	const char *argv[] = {
		g_getenv("EXPERT_EXEC"), "run", "--json", "--profile", "strict",
		capture_path, g_getenv("EXPERT_PD"), NULL,
	};
	g_autofree char *out = NULL, *err = NULL;
	int status;
	g_autoptr(GError) error = NULL;
	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
	                  &status, &error))
		g_error("cannot run %s: %s", argv[0], error->message);
	if (!g_spawn_check_wait_status(status, &error)) {
		g_test_message("expert-exec stderr:\n%s", err);
		g_error("%s run ... %s: %s", argv[0], capture_path, error->message);
	}
	return g_steal_pointer(&out);
}

static void test_matches_tshark(gconstpointer data)
{
	const OracleCapture *capture = data;
	if (g_getenv("EXPERT_EXEC") == NULL || g_getenv("EXPERT_PD") == NULL) {
		g_test_skip("EXPERT_EXEC and EXPERT_PD must name expert-exec and the expert");
		return;
	}
	const char *dir = oracle_data_dir();
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) phs = oracle_load_phs(dir, capture->file, &error);
	g_assert_no_error(error);

	g_autofree char *capture_path = g_build_filename(dir, capture->file, NULL);
	g_autofree char *out = run_expert(capture_path);
	g_autoptr(JsonParser) parser = json_parser_new();
	if (!json_parser_load_from_data(parser, out, -1, &error))
		g_error("the report of %s is not JSON: %s\n%s", capture->file, error->message, out);
	JsonNode *root_node = json_parser_get_root(parser);
	g_assert_true(JSON_NODE_HOLDS_OBJECT(root_node));
	JsonObject *report = json_node_get_object(root_node);

	JsonObject *cap = object_member(report, "capture", "the report");
	g_assert_cmpint(int_member(cap, "frames", "capture"), ==, (gint64)capture->frames);
	g_assert_cmpint(int_member(cap, "bytes_on_wire", "capture"), ==,
	                (gint64)capture->bytes_on_wire);

	JsonArray *jobs = array_member(report, "jobs", "the report");
	g_assert_cmpuint(json_array_get_length(jobs), ==, 1);
	JsonObject *job = json_array_get_object_element(jobs, 0);
	g_assert_nonnull(job);
	JsonObject *expert = object_member(job, "expert", "the job");
	g_assert_cmpstr(string_member(expert, "name", "expert"), ==, "Protocol Distribution");
	const char *outcome = string_member(job, "outcome", "the job");
	if (strcmp(outcome, "completed") != 0)
		g_test_message("job detail: %s", json_object_get_string_member_with_default(
		                                         job, "detail", "(none)"));
	g_assert_cmpstr(outcome, ==, "completed");
	g_assert_cmpint(int_member(job, "return_value", "the job"), ==, 0);
	g_assert_cmpint(int_member(job, "frames_read", "the job"), ==, (gint64)capture->frames);

	/* Hierarchy events come depth first, so each one's parent is already
	 * known; "total" comes last. */
	g_autoptr(GHashTable) ours = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	JsonArray *events = array_member(job, "events", "the job");
	guint n_events = json_array_get_length(events);
	g_assert_cmpuint(n_events, >=, 2);
	guint64 link_frames = 0;
	for (guint i = 0; i + 1 < n_events; i++) {
		JsonObject *event = json_array_get_object_element(events, i);
		const char *text = string_member(event, "text", "an event");
		g_assert_cmpstr(string_member(event, "severity", text), ==, "info");
		JsonObject *details = object_member(event, "details", text);
		g_assert_cmpstr(string_member(details, "path", text), ==, text);
		g_assert_cmpstr(string_member(details, "protocol", text), ==, oracle_path_leaf(text));
		const char *slash = strrchr(text, '/');
		if (slash != NULL) {
			g_autofree char *parent = g_strndup(text, (gsize)(slash - text));
			g_assert_true(g_hash_table_contains(ours, parent));
		}
		g_assert_false(g_hash_table_contains(ours, text));
		Count *c = g_new0(Count, 1);
		c->frames = count_detail(details, "frames", text);
		c->bytes = count_detail(details, "bytes", text);
		if (slash == NULL)
			link_frames += c->frames;
		g_hash_table_insert(ours, g_strdup(text), c);
	}
	JsonObject *total = json_array_get_object_element(events, n_events - 1);
	g_assert_cmpstr(string_member(total, "text", "the last event"), ==, "total");
	JsonObject *total_details = object_member(total, "details", "total");
	g_assert_cmpuint(count_detail(total_details, "frames", "total"), ==, capture->frames);
	g_assert_cmpuint(count_detail(total_details, "bytes", "total"), ==, capture->bytes_on_wire);
	/* Every frame of these captures has a whole link-layer header. */
	g_assert_cmpuint(link_frames, ==, capture->frames);

	/* Both directions: a node only one side has must have no frames. */
	g_autoptr(GHashTable) paths = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < phs->len; i++)
		g_hash_table_add(paths, ((OraclePhsNode *)g_ptr_array_index(phs, i))->path);
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, ours);
	while (g_hash_table_iter_next(&it, &key, NULL))
		g_hash_table_add(paths, key);
	g_hash_table_iter_init(&it, paths);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		if (!oracle_path_within(key, compared_layers))
			continue;
		const OraclePhsNode *want = oracle_phs_find(phs, key);
		const Count *got = g_hash_table_lookup(ours, key);
		g_test_message("%s %s: tshark %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
		               ", expert %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " frames/bytes",
		               capture->file, (const char *)key, want ? want->frames : 0,
		               want ? want->bytes : 0, got ? got->frames : 0, got ? got->bytes : 0);
		g_assert_cmpuint(got ? got->frames : 0, ==, want ? want->frames : 0);
		g_assert_cmpuint(got ? got->bytes : 0, ==, want ? want->bytes : 0);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	const char *dir = oracle_data_dir();
	if (dir == NULL) {
		g_printerr("EXPERT_TEST_DATA is not set: point it at tests/data\n");
		return 77; /* skipped, in meson's and automake's terms */
	}
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) captures = oracle_load_summary(dir, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < captures->len; i++) {
		const OracleCapture *c = g_ptr_array_index(captures, i);
		g_autofree char *name = g_strconcat("/protocol-distribution/matches-tshark/", c->file,
		                                    NULL);
		g_test_add_data_func(name, c, test_matches_tshark);
	}
	return g_test_run();
}
