/* expert-report.c — run one expert, read its JSON report (see expert-report.h). */
#include "expert-report.h"

#include "temp-dir.h"

#include <string.h>
#include <sys/wait.h>

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

static const char *string_member(JsonObject *object, const char *name, const char *where)
{
	JsonNode *node = member(object, name, where);
	if (json_node_get_value_type(node) != G_TYPE_STRING)
		g_error("\"%s\" in %s is not a string", name, where);
	return json_node_get_string(node);
}

static gint64 int_member(JsonObject *object, const char *name, const char *where)
{
	JsonNode *node = member(object, name, where);
	if (json_node_get_value_type(node) != G_TYPE_INT64)
		g_error("\"%s\" in %s is not an integer", name, where);
	return json_node_get_int(node);
}

ExpertReport *expert_report_run_with(const char *expert, const char *capture,
                                     const ExpertReportOptions *options)
{
	const char *exec = g_getenv("EXPERT_EXEC");
	if (exec == NULL)
		g_error("EXPERT_EXEC must name the expert-exec binary");
	g_autoptr(ExpertReport) r = g_new0(ExpertReport, 1);
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_ptr_array_add(argv, (char *)exec);
	g_ptr_array_add(argv, "run");
	g_ptr_array_add(argv, "--json");
	g_ptr_array_add(argv, "--profile");
	g_ptr_array_add(argv, (char *)(options->profile ? options->profile : "strict"));
	if (options->output_dir) {
		r->output_dir = temp_dir_new("test-expert-output-XXXXXX");
		g_ptr_array_add(argv, "--output-dir");
		g_ptr_array_add(argv, r->output_dir);
	}
	if (options->filter) {
		g_ptr_array_add(argv, "--filter");
		g_ptr_array_add(argv, (char *)options->filter);
	}
	for (size_t i = 0; options->settings != NULL && options->settings[i] != NULL; i++) {
		g_ptr_array_add(argv, "--config");
		g_ptr_array_add(argv, (char *)options->settings[i]);
	}
	g_ptr_array_add(argv, (char *)capture);
	g_ptr_array_add(argv, (char *)expert);
	g_ptr_array_add(argv, NULL);

	g_autofree char *out = NULL;
	int status;
	g_autoptr(GError) error = NULL;
	if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
	                  &r->stderr_text, &status, &error))
		g_error("cannot run %s: %s", exec, error->message);
	if (WIFEXITED(status))
		r->exit_status = WEXITSTATUS(status);
	else
		g_error("%s run ... %s %s died (wait status %d)\n%s", exec, capture, expert, status,
		        r->stderr_text);
	if (r->exit_status == 2)
		g_error("%s refused the command line:\n%s", exec, r->stderr_text);

	r->parser = json_parser_new();
	if (!json_parser_load_from_data(r->parser, out, -1, &error))
		g_error("the report of %s on %s is not JSON: %s\n%s", expert, capture, error->message,
		        out);
	JsonNode *root = json_parser_get_root(r->parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
		g_error("the report of %s on %s is not a JSON object", expert, capture);
	r->report = json_node_get_object(root);
	JsonArray *jobs = array_member(r->report, "jobs", "the report");
	if (json_array_get_length(jobs) != 1)
		g_error("the report has %u jobs, not 1", json_array_get_length(jobs));
	JsonNode *job = json_array_get_element(jobs, 0);
	if (!JSON_NODE_HOLDS_OBJECT(job))
		g_error("jobs[0] is not an object");
	r->job = json_node_get_object(job);
	r->events = array_member(r->job, "events", "the job");
	return g_steal_pointer(&r);
}

ExpertReport *expert_report_run(const char *expert, const char *capture,
                                const char *const *settings)
{
	const ExpertReportOptions options = { .settings = settings };
	return expert_report_run_with(expert, capture, &options);
}

void expert_report_free(ExpertReport *r)
{
	if (r == NULL)
		return;
	if (r->output_dir) {
		temp_dir_remove(r->output_dir);
		g_free(r->output_dir);
	}
	g_clear_object(&r->parser);
	g_free(r->stderr_text);
	g_free(r);
}

const char *expert_report_outcome(const ExpertReport *r)
{
	return string_member(r->job, "outcome", "the job");
}

const char *expert_report_detail(const ExpertReport *r)
{
	return string_member(r->job, "detail", "the job");
}

gint64 expert_report_job_int(const ExpertReport *r, const char *name)
{
	return int_member(r->job, name, "the job");
}

const char *expert_report_expert_name(const ExpertReport *r)
{
	return string_member(object_member(r->job, "expert", "the job"), "name", "the expert");
}

gint64 expert_report_capture_int(const ExpertReport *r, const char *name)
{
	return int_member(object_member(r->report, "capture", "the report"), name, "the capture");
}

void expert_report_assert_completed(const ExpertReport *r)
{
	const char *outcome = expert_report_outcome(r);
	if (strcmp(outcome, "completed") != 0)
		g_test_message("job detail: %s; expert-exec stderr:\n%s", expert_report_detail(r),
		               r->stderr_text);
	g_assert_cmpstr(outcome, ==, "completed");
	g_assert_cmpint(expert_report_job_int(r, "return_value"), ==, 0);
	g_assert_cmpint(r->exit_status, ==, 0);
}

void expert_report_assert_refused_setting(const ExpertReport *r, const char *setting)
{
	const char *colon = strchr(setting, ':'), *eq = strchr(setting, '=');
	g_assert_nonnull(colon);
	g_assert_nonnull(eq);
	g_autofree char *key = g_strndup(colon + 1, (gsize)(eq - colon - 1));
	const char *detail = expert_report_detail(r);
	g_test_message("%s: %s", setting, detail);
	g_assert_cmpstr(expert_report_outcome(r), ==, "failed-to-load");
	g_autofree char *head = g_strdup_printf("configure refused: %s: expected ", key);
	g_autofree char *value = g_strdup_printf(", not \"%s\"", eq + 1);
	g_assert_true(g_str_has_prefix(detail, head));
	g_assert_nonnull(strstr(detail, value));
	g_assert_true(g_str_has_suffix(detail, " (the expert's words)"));
	/* Apart, in JSON: the expert's words, marked as such. */
	JsonObject *reason = object_member(r->job, "reason", "the job");
	g_assert_cmpstr(string_member(reason, "reported_by", "the reason"), ==, "expert");
	const char *text = string_member(reason, "text", "the reason");
	g_assert_true(g_str_has_prefix(text, head + strlen("configure refused: ")));
	g_assert_nonnull(strstr(detail, text));
	g_assert_cmpint(r->exit_status, ==, 1);
}

guint expert_report_n_events(const ExpertReport *r)
{
	return json_array_get_length(r->events);
}

static JsonObject *event(const ExpertReport *r, guint i)
{
	g_assert_cmpuint(i, <, json_array_get_length(r->events));
	JsonNode *node = json_array_get_element(r->events, i);
	if (!JSON_NODE_HOLDS_OBJECT(node))
		g_error("event %u is not an object", i);
	return json_node_get_object(node);
}

const char *expert_report_event_text(const ExpertReport *r, guint i)
{
	return string_member(event(r, i), "text", "an event");
}

const char *expert_report_event_severity(const ExpertReport *r, guint i)
{
	return string_member(event(r, i), "severity", expert_report_event_text(r, i));
}

JsonObject *expert_report_event_details(const ExpertReport *r, guint i)
{
	return object_member(event(r, i), "details", expert_report_event_text(r, i));
}

const char *expert_report_detail_str(JsonObject *details, const char *name)
{
	return string_member(details, name, "the event's details");
}

guint64 expert_report_detail_u64(JsonObject *details, const char *name)
{
	const char *text = expert_report_detail_str(details, name);
	guint64 value;
	if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, &value, NULL))
		g_error("detail \"%s\" is \"%s\", not a count", name, text);
	return value;
}
