/* inject-campaign.c — a stress --inject campaign's results (see
 * inject-campaign.h). */
#include "results/inject-campaign.h"

#include <string.h>

void inject_failure_free(InjectFailure *f)
{
	if (!f)
		return;
	inject_spec_free(f->spec);
	g_free(f->detail);
	g_free(f->location);
	g_free(f->injection);
	g_free(f->reproduce);
	g_free(f);
}

static void sweep_free(gpointer p)
{
	InjectSweep *s = p;
	inject_spec_free(s->sweep);
	g_ptr_array_unref(s->failures);
	g_free(s);
}

InjectSweep *inject_sweep_new(const InjectSpec *sweep)
{
	InjectSweep *s = g_new0(InjectSweep, 1);
	s->sweep = inject_spec_copy(sweep);
	s->failures = g_ptr_array_new_with_free_func((GDestroyNotify)inject_failure_free);
	return s;
}

static void expert_free(gpointer p)
{
	InjectExpert *e = p;
	g_free(e->path);
	g_free(e->name);
	g_free(e->clean_detail);
	g_array_unref(e->write_offsets);
	g_ptr_array_unref(e->sweeps);
	g_free(e);
}

InjectExpert *inject_expert_new(const char *path)
{
	InjectExpert *e = g_new0(InjectExpert, 1);
	e->path = g_strdup(path);
	e->name = g_path_get_basename(path);
	if (g_str_has_suffix(e->name, ".so") && strlen(e->name) > 3)
		e->name[strlen(e->name) - 3] = '\0';
	e->write_offsets = g_array_new(FALSE, FALSE, sizeof(guint64));
	e->sweeps = g_ptr_array_new_with_free_func(sweep_free);
	return e;
}

InjectCampaign *inject_campaign_new(void)
{
	InjectCampaign *c = g_new0(InjectCampaign, 1);
	c->specs = g_ptr_array_new_with_free_func((GDestroyNotify)inject_spec_free);
	c->experts = g_ptr_array_new_with_free_func(expert_free);
	return c;
}

void inject_campaign_free(InjectCampaign *c)
{
	if (!c)
		return;
	g_free(c->capture_path);
	g_ptr_array_unref(c->specs);
	g_ptr_array_unref(c->experts);
	g_free(c);
}

const char *inject_verdict_name(InjectVerdict verdict)
{
	static const char *const names[] = {
		[INJECT_VERDICT_ROBUST] = "robust",
		[INJECT_VERDICT_NOT_ROBUST] = "not robust",
		[INJECT_VERDICT_NOT_EXERCISED] = "not exercised",
		[INJECT_VERDICT_NOT_TESTED] = "not tested",
	};
	return (guint)verdict < G_N_ELEMENTS(names) ? names[verdict] : "?";
}
