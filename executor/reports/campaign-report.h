/* campaign-report.h — what `stress --inject` found, for people and for
 * programs: per expert the clean run and per fault the runs, the verdict,
 * and each failure with its N, outcome, where the child says it crashed
 * and the command that replays it. The HTML page (html-campaign.c) is
 * drawn from the JSON. */
#ifndef EXPERT_EXEC_CAMPAIGN_REPORT_H
#define EXPERT_EXEC_CAMPAIGN_REPORT_H

#include "results/inject-campaign.h"

#include <json-glib/json-glib.h>

/* Ways of failing printed per sweep in the text report, each at its lowest
 * N with its command, the other N alike listed after it; --json has every
 * failure the campaign kept. */
#define CAMPAIGN_TEXT_FAILURES 5

char *campaign_report_text(const InjectCampaign *campaign);
JsonNode *campaign_report_json(const InjectCampaign *campaign);

#endif /* EXPERT_EXEC_CAMPAIGN_REPORT_H */
