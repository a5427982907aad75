/* job-json.h — reading one job of `expert-exec run --json`, as both
 * security suites (test-hostile.c, test-believe-nothing.c) check it. */
#ifndef EXPERT_SECURITY_JOB_JSON_H
#define EXPERT_SECURITY_JOB_JSON_H

#include <glib.h>
#include <json-glib/json-glib.h>

/* The value of detail key of the job's first event with this text, or
 * NULL. */
const char *job_json_event_detail(JsonObject *job, const char *text, const char *key);

/* Asserts an honest job's figures: every one of the capture's frames read,
 * and the event ("counted", frames=N) that says how many. */
void job_json_assert_honest(JsonObject *job, gint64 capture_frames);

#endif /* EXPERT_SECURITY_JOB_JSON_H */
