/* expert-report.h — run one expert through the real executor and read its
 * JSON report, for the experts' integration tests.
 *
 *   expert-exec run --json --profile strict [--config SETTING]... CAPTURE EXPERT.so
 *
 * Every accessor fails the test (g_error) with what was missing or of the
 * wrong type, so a test reads as the facts it checks.
 */
#ifndef EXPERT_REPORT_H
#define EXPERT_REPORT_H

#include <glib.h>
#include <json-glib/json-glib.h>

typedef struct {
	JsonParser *parser;
	JsonObject *report;  /* the whole document */
	JsonObject *job;     /* jobs[0]: the one expert run */
	JsonArray *events;   /* its events, in order */
	int exit_status;     /* of expert-exec: 0 if the expert completed and returned 0 */
	char *stderr_text;
} ExpertReport;

/* Runs the executor named by $EXPERT_EXEC. settings: "NAME:KEY=VALUE"
 * strings for --config, NULL-terminated, or NULL. */
ExpertReport *expert_report_run(const char *expert, const char *capture,
                                const char *const *settings);
void expert_report_free(ExpertReport *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ExpertReport, expert_report_free)

const char *expert_report_outcome(const ExpertReport *r);
/* The job's detail line ("run returned 0", "configure failed: ..."). */
const char *expert_report_detail(const ExpertReport *r);
gint64 expert_report_job_int(const ExpertReport *r, const char *name);

/* Asserts the job completed and returned 0. */
void expert_report_assert_completed(const ExpertReport *r);

guint expert_report_n_events(const ExpertReport *r);
const char *expert_report_event_text(const ExpertReport *r, guint i);
const char *expert_report_event_severity(const ExpertReport *r, guint i);
JsonObject *expert_report_event_details(const ExpertReport *r, guint i);

/* A detail that must be there, as text or as a decimal count. */
const char *expert_report_detail_str(JsonObject *details, const char *name);
guint64 expert_report_detail_u64(JsonObject *details, const char *name);

#endif /* EXPERT_REPORT_H */
