/* cmd-batch.c — see cmd-batch.h. Text: the batch's line, the isolation
 * and each expert's profile, then a line per capture as it ends, then the
 * outcomes per expert. --json: one document at the end (batch-report.h),
 * the same one `merge --json` prints. */
#include "cli/cmd-batch.h"

#include "batch/batch-captures.h"
#include "batch/batch-run.h"
#include "cli/cli-errors.h"
#include "cli/run-start.h"
#include "profiles/profile-digest.h"
#include "profiles/profile.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Everything besides the pair list that shapes a pair's result, for the
 * pairs' digest: each expert's profile (by what it allows, so an edited
 * file counts), its settings, the frame filter and the selected frame. A
 * profile that cannot be loaded is refused here, before anything runs. */
static char *options_text(const RunnerOptions *run, GError **error)
{
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < run->n_experts; i++) {
		const char *spec = run->choices ? run->choices[i]->profile : run->profile;
		g_autoptr(Profile) profile = profile_load(spec, error);
		if (!profile) {
			g_prefix_error(error, "the profile of %s: ", run->experts[i]);
			g_string_free(out, TRUE);
			return NULL;
		}
		g_autofree char *digest = profile_digest(profile);
		g_string_append_printf(out, "expert %u profile %s\n", i, digest);
		const char *const *config = run->configs && i < run->configs->len
			? g_ptr_array_index(run->configs, i) : NULL;
		for (guint k = 0; config && config[k] && config[k + 1]; k += 2)
			g_string_append_printf(out, "expert %u setting %s=%s\n", i, config[k], config[k + 1]);
	}
	g_string_append_printf(out, "filter %s\nselect %" G_GUINT64_FORMAT "\n",
	                       run->frame_filter ? run->frame_filter : "", run->selected_frame);
	return g_string_free(out, FALSE);
}

/* An expert given twice would be two pairs of the same name. */
static gboolean experts_once(const RunnerOptions *run, GError **error)
{
	for (guint i = 0; i < run->n_experts; i++)
		for (guint k = 0; k < i; k++)
			if (g_str_equal(run->experts[i], run->experts[k])) {
				g_set_error(error, G_IO_ERROR, G_IO_ERROR_EXISTS,
				            "%s is given twice: in a batch each expert is given once",
				            run->experts[i]);
				return FALSE;
			}
	return TRUE;
}

int cmd_batch(const BatchCommand *cmd)
{
	const gboolean json = cmd->json;
	g_autoptr(GError) error = NULL;
	BatchShard shard = { 0, 0 };
	if (cmd->shard && !batch_shard_parse(cmd->shard, &shard, &error))
		return cli_usage_error("run", json, "%s", error->message);
	if (cmd->resume && !cmd->results)
		return cli_usage_error("run", json, "--resume needs --results FILE: the file it goes on "
		                                    "from");
	if (!experts_once(cmd->run, &error))
		return cli_usage_error("run", json, "%s", error->message);
	g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) captures = batch_captures_collect(
		(const char *const *)cmd->args->captures->pdata, cmd->args->captures->len,
		cmd->captures_from, skipped, &error);
	if (!captures)
		return cli_usage_error("run", json, "%s", error->message);
	for (guint i = 0; i < skipped->len; i++)
		fprintf(stderr, "expert-exec run: note: %s\n", (char *)g_ptr_array_index(skipped, i));
	g_autofree char *options = options_text(cmd->run, &error);
	if (!options)
		return cli_usage_error("run", json, "%s", error->message);

	int status = CMD_EXIT_USAGE;
	g_autoptr(Zygote) zygote = run_start("run", cmd->run, cmd->user, cmd->require, json, &status);
	if (!zygote)
		return status;
	BatchOptions batch = {
		.run = *cmd->run,
		.captures = captures,
		.output_dir = cmd->run->output_dir,
		.shard = shard,
		.results_path = cmd->results,
		.resume = cmd->resume,
		.options_text = options,
		.text = json ? NULL : stdout,
		.progress = !json && isatty(STDERR_FILENO),
	};
	g_autoptr(BatchReport) report = batch_run(zygote, &batch, &error);
	if (!report)
		return cli_usage_error("run", json, "%s", error->message);
	if (!json)
		putchar('\n');
	gboolean page = batch_report_print(report, json, cmd->html, &error);
	if (!json && cmd->results)
		printf("results  %s\n", cmd->results);
	if (report->stopped)
		fprintf(stderr, "expert-exec run: the batch stopped: %s (--resume goes on from there)\n",
		        report->stopped);
	if (!page) {
		fprintf(stderr, "expert-exec run: %s\n", error->message);
		return CMD_EXIT_USAGE;
	}
	return batch_report_exit_status(report);
}
