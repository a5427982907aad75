/* output-state.c — see output-state.h. */
#include "results/output-state.h"

static const struct {
	JobOutputState state;
	const char *name;
	const char *why;     /* NULL: the output's own */
} states[] = {
	{ JOB_OUTPUT_OPEN, "open", "its job has not ended" },
	{ JOB_OUTPUT_KEPT, "written", "" },
	{ JOB_OUTPUT_UNFINISHED, "removed", "the expert did not finish it" },
	{ JOB_OUTPUT_JOB_FAILED, "removed", "closed, but its job did not complete" },
	{ JOB_OUTPUT_REFUSED, "removed", NULL },
};

static guint index_of(const JobOutput *o)
{
	for (guint i = 0; i < G_N_ELEMENTS(states); i++)
		if (states[i].state == o->state)
			return i;
	return 0;
}

const char *output_state_name(const JobOutput *o)
{
	return states[index_of(o)].name;
}

const char *output_state_why(const JobOutput *o)
{
	/* The executor's own finding (no space, not whole, ...) over the
	 * state's general words. */
	if (o->why && o->state != JOB_OUTPUT_KEPT)
		return o->why;
	const char *why = states[index_of(o)].why;
	return why ? why : "";
}
