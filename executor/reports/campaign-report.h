/* campaign-report.h — what `stress --inject` found, for people and for
 * programs: per expert the clean run and per fault the runs, the verdict,
 * and each failure with its N, outcome, where the child says it crashed
 * and the command that replays it. The HTML page (html-campaign.c) is
 * drawn from the JSON. */
#ifndef EXPERT_EXEC_CAMPAIGN_REPORT_H
#define EXPERT_EXEC_CAMPAIGN_REPORT_H

#include "results/inject-campaign.h"

#include <json-glib/json-glib.h>

/* Failures printed per sweep in the text report; --json has them all
 * (up to what the campaign kept). */
#define CAMPAIGN_TEXT_FAILURES 5

char *campaign_report_text(const InjectCampaign *campaign);
JsonNode *campaign_report_json(const InjectCampaign *campaign);

#endif /* EXPERT_EXEC_CAMPAIGN_REPORT_H */
