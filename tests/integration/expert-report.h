/* expert-report.h — run one expert through the real executor and read its
 * JSON report, for the experts' integration tests.
 *
 *   expert-exec run --json --profile PROFILE [--output-dir TMP]
 *       [--filter EXPR] [--config SETTING]... CAPTURE EXPERT.so
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
	char *output_dir;    /* the --output-dir, or NULL; removed with the report */
} ExpertReport;

/* How to run it; { 0 } is the strict profile and nothing else. */
typedef struct {
	const char *profile;          /* --profile NAME|FILE; NULL: strict */
	const char *const *settings;  /* --config "NAME:KEY=VALUE", NULL-terminated; or NULL */
	const char *filter;           /* --filter EXPR, or NULL */
	gboolean output_dir;          /* --output-dir, a fresh directory of its own */
} ExpertReportOptions;

/* Runs the executor named by $EXPERT_EXEC with these options. */
ExpertReport *expert_report_run_with(const char *expert, const char *capture,
                                     const ExpertReportOptions *options);
/* The same under the strict profile with these settings (or NULL). */
ExpertReport *expert_report_run(const char *expert, const char *capture,
                                const char *const *settings);
void expert_report_free(ExpertReport *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ExpertReport, expert_report_free)

const char *expert_report_outcome(const ExpertReport *r);
/* The job's detail line ("run returned 0", "configure failed: ..."). */
const char *expert_report_detail(const ExpertReport *r);
gint64 expert_report_job_int(const ExpertReport *r, const char *name);
/* The job's "expert" object: what it registered as. */
const char *expert_report_expert_name(const ExpertReport *r);
/* A count of the report's "capture" object ("frames", "bytes_on_wire"). */
gint64 expert_report_capture_int(const ExpertReport *r, const char *name);

/* Asserts the job completed and returned 0. */
void expert_report_assert_completed(const ExpertReport *r);

/* Asserts the expert refused setting ("EXPERT:KEY=VALUE") in its configure
 * step, in its own words (expert_fail): failed-to-load, the detail naming
 * the key and quoting the value, marked as the expert's, and the same text
 * as the job's "reason", reported_by "expert". */
void expert_report_assert_refused_setting(const ExpertReport *r, const char *setting);

guint expert_report_n_events(const ExpertReport *r);
const char *expert_report_event_text(const ExpertReport *r, guint i);
const char *expert_report_event_severity(const ExpertReport *r, guint i);
JsonObject *expert_report_event_details(const ExpertReport *r, guint i);

/* A detail that must be there, as text or as a decimal count. */
const char *expert_report_detail_str(JsonObject *details, const char *name);
guint64 expert_report_detail_u64(JsonObject *details, const char *name);

#endif /* EXPERT_REPORT_H */
