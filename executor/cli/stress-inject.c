/* stress-inject.c — `expert-exec stress --inject` (see stress-inject.h). */
#include "cli/stress-inject.h"

#include "cli/cli-errors.h"
#include "cli/inject-runner.h"
#include "cli/profile-options.h"
#include "jobs/expert-settings.h"
#include "profiles/profile-map.h"
#include "reports/campaign-report.h"
#include "reports/html-report.h"
#include "reports/json-out.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

/* Runs of an alloc:p=P sweep when --iterations is not given. */
#define DEFAULT_RANDOM_RUNS 100

/* The options of the campaign that change a run, as `run` takes them, for
 * the command that replays a failure. */
static char *run_options(const StressInjectArgs *a)
{
	GString *out = g_string_new(NULL);
	if (a->profile) {
		g_autofree char *q = g_shell_quote(a->profile);
		g_string_append_printf(out, " --profile %s", q);
	}
	for (guint i = 0; a->settings && a->settings[i]; i++) {
		g_autofree char *q = g_shell_quote(a->settings[i]);
		g_string_append_printf(out, " --config %s", q);
	}
	if (a->user) {
		g_autofree char *q = g_shell_quote(a->user);
		g_string_append_printf(out, " --user %s", q);
	}
	if (out->len)
		g_string_erase(out, 0, 1);
	return g_string_free(out, FALSE);
}

/* The program running now, by its path, so that the printed command runs
 * this very build. */
static char *program_path(void)
{
	g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
	return self ? g_steal_pointer(&self) : g_strdup("expert-exec");
}

int stress_inject_command(const StressInjectArgs *a)
{
	const char *cmd = "stress";
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) specs = inject_spec_parse_list(a->inject, &error);
	if (!specs)
		return cli_usage_error(cmd, a->json, "%s", error->message);
	if (!a->capture)
		return cli_usage_error(cmd, a->json, "--inject needs --capture: the capture the experts "
		                                      "read while faults are injected");
	if (a->n_experts == 0)
		return cli_usage_error(cmd, a->json, "--inject needs the experts to test "
		                                      "(expert-exec stress --inject SPEC --capture FILE "
		                                      "EXPERT.so...)");
	gboolean writes = FALSE;
	for (guint i = 0; i < specs->len; i++) {
		InjectSpec *spec = g_ptr_array_index(specs, i);
		if (!spec->all && !spec->p) {
			g_autofree char *text = inject_spec_format(spec);
			return cli_usage_error(cmd, a->json, "--inject %s: stress sweeps, as CLASS@all or "
			                       "alloc:p=P; one run with one fault is `expert-exec run "
			                       "--inject %s`", text, text);
		}
		writes |= spec->kind == INJECT_WRITE;
	}
	g_autoptr(GPtrArray) configs = expert_settings_parse(a->settings, NULL, a->experts,
	                                                     a->n_experts, &error);
	if (!configs)
		return cli_usage_error(cmd, a->json, "%s", error->message);
	char *values[] = { (char *)a->profile, NULL };
	g_autoptr(GPtrArray) choices = profile_options_choose(a->profile ? values : NULL, NULL,
	                                                      a->experts, a->n_experts, &error);
	if (!choices)
		return cli_usage_error(cmd, a->json, "%s", error->message);
	g_autoptr(GPtrArray) plain = g_ptr_array_new();
	for (guint i = 0; i < configs->len; i++)
		g_ptr_array_add(plain, ((GPtrArray *)g_ptr_array_index(configs, i))->pdata);

	/* Outputs go to a folder of the campaign's own, emptied after every
	 * run and checked empty after every sweep. */
	g_autofree char *output_dir = g_dir_make_tmp("expert-inject-XXXXXX", &error);
	if (!output_dir)
		return cli_usage_error(cmd, a->json, "%s", error->message);
	RunnerOptions ro = {
		.capture_path = a->capture,
		.profile = PROFILE_MAP_FALLBACK,
		.choices = (ProfileChoice *const *)choices->pdata,
		.experts = a->experts,
		.n_experts = a->n_experts,
		.jobs = a->jobs,
		.pool_budget = 4ull << 30,
		.configs = plain,
		.output_dir = output_dir,
		.reuse_output_folders = TRUE,
		.watch_output_writes = writes,
	};
	g_autoptr(Zygote) zygote = NULL;
	g_autoptr(RunResult) setup = NULL;
	if (runner_set_identity(&ro, a->user, &error) && (zygote = zygote_start(&error)))
		setup = runner_prepare(zygote, &ro, &error);
	if (!setup) {
		g_rmdir(output_dir);
		return cli_usage_error(cmd, a->json, "%s", error->message);
	}
	g_autofree char *program = program_path();
	g_autofree char *options = run_options(a);
	InjectCampaignOptions co = {
		.specs = specs,
		.experts = a->experts,
		.n_experts = a->n_experts,
		.configs = plain,
		.jobs = a->jobs,
		.iterations = a->iterations ? a->iterations : DEFAULT_RANDOM_RUNS,
		.seed = a->seed,
		.output_dir = output_dir,
		.program = program,
		.run_options = options,
		.capture_path = a->capture,
	};
	g_autoptr(InjectCampaign) campaign = inject_campaign_run(setup, &co);
	if (g_rmdir(output_dir) < 0)
		g_warning("%s: not removed (something was left in it)", output_dir);

	g_autoptr(JsonNode) doc = campaign_report_json(campaign);
	gboolean html_written = !a->html || html_report_write(html_report_campaign, doc, a->html, &error);
	if (a->json) {
		g_autofree char *out = json_out_node_text(doc);
		puts(out);
	} else {
		g_autofree char *out = campaign_report_text(campaign);
		fputs(out, stdout);
	}
	if (!html_written) {
		fprintf(stderr, "expert-exec stress: %s\n", error->message);
		return CMD_EXIT_USAGE;
	}
	return campaign->not_robust ? CMD_EXIT_SOME_FAILED : CMD_EXIT_ALL_COMPLETED;
}
