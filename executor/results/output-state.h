/* output-state.h — how the reports name what became of an output capture
 * (JobOutputState, results/job-result.h): one table, read by the text and
 * JSON reports alike. */
#ifndef EXPERT_EXEC_OUTPUT_STATE_H
#define EXPERT_EXEC_OUTPUT_STATE_H

#include "results/job-result.h"

/* "written" (kept under its name), "removed", or "open" (static). */
const char *output_state_name(const JobOutput *output);
/* Why it was removed, in the executor's words; "" when it was kept. */
const char *output_state_why(const JobOutput *output);

#endif /* EXPERT_EXEC_OUTPUT_STATE_H */
