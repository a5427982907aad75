/* job-json.c — see job-json.h. */
#include "job-json.h"

const char *job_json_event_detail(JsonObject *job, const char *text, const char *key)
{
	JsonArray *events = json_object_get_array_member(job, "events");
	for (guint i = 0; i < json_array_get_length(events); i++) {
		JsonObject *e = json_array_get_object_element(events, i);
		if (g_str_equal(json_object_get_string_member(e, "text"), text))
			return json_object_get_string_member_with_default(
				json_object_get_object_member(e, "details"), key, NULL);
	}
	return NULL;
}

void job_json_assert_honest(JsonObject *job, gint64 capture_frames)
{
	g_autofree char *frames = g_strdup_printf("%" G_GINT64_FORMAT, capture_frames);
	g_assert_cmpint(json_object_get_int_member(job, "frames_read"), ==, capture_frames);
	g_assert_cmpstr(job_json_event_detail(job, "counted", "frames"), ==, frames);
}
