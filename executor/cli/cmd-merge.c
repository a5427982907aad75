/* cmd-merge.c — see cmd-merge.h. The same report as the batch's own: the
 * outcomes per expert as text, or --json's document, or --html's page;
 * the same exit status, and 2 when the files do not make one batch. */
#include "cli/cmd-merge.h"

#include "batch/batch-merge.h"
#include "cli/cli-errors.h"

#include <stdio.h>

int cmd_merge(int argc, char **argv)
{
	const gboolean json_asked = cli_wants_json(argc, argv);
	gboolean json = json_asked;
	g_autofree char *html = NULL;
	GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json,
		  "Print the merged batch as JSON (a refusal too, as a document with an \"error\" "
		  "member)", NULL },
		{ "html", 0, 0, G_OPTION_ARG_FILENAME, &html,
		  "Also write it as one self-contained HTML page", "FILE" },
		G_OPTION_ENTRY_NULL
	};
	g_autoptr(GOptionContext) context =
		g_option_context_new("RESULTS... - one batch's report from its shards' results files");
	g_option_context_add_main_entries(context, entries, NULL);
	g_option_context_set_summary(context,
		"Reads the results files that `run --shard I/N --results FILE` wrote (or any\n"
		"`run --results` file) and reports them as one batch: outcomes per expert across\n"
		"the captures. Every pair of the batch must be in exactly one file: pairs in two\n"
		"(overlaps), pairs in none (gaps) and files of another batch are refused, named.");
	g_option_context_set_description(context,
		"Exit status: as `run` for the whole batch (0, 1 or 3); 2 if the files do not make\n"
		"one batch, or one cannot be read.");
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(context, &argc, &argv, &error))
		return cli_usage_error("merge", json_asked, "%s", error->message);
	if (argc < 2)
		return cli_usage_error("merge", json, "give the results files of a batch's shards "
		                                      "(expert-exec merge --help)");
	g_autoptr(BatchReport) report = batch_merge((const char *const *)&argv[1], (guint)(argc - 1),
	                                            &error);
	if (!report)
		return cli_usage_error("merge", json, "%s", error->message);
	if (!batch_report_print(report, json, html, &error)) {
		fprintf(stderr, "expert-exec merge: %s\n", error->message);
		return CMD_EXIT_USAGE;
	}
	return batch_report_exit_status(report);
}
