/* run-args.c — see run-args.h. */
#include "cli/run-args.h"

#include "batch/batch-captures.h"

#include <gio/gio.h>

void run_args_clear(RunArgs *args)
{
	g_clear_pointer(&args->captures, g_ptr_array_unref);
	g_clear_pointer(&args->experts, g_ptr_array_unref);
}

int run_args_separator(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (g_str_equal(argv[i], "--"))
			return i;
	return -1;
}

gboolean run_args_split(int argc, char **argv, const char *const *after, gboolean from_list,
                        RunArgs *args, GError **error)
{
	args->captures = g_ptr_array_new_with_free_func(g_free);
	args->experts = g_ptr_array_new_with_free_func(g_free);
	if (after) {
		for (int i = 1; i < argc; i++)
			g_ptr_array_add(args->captures, g_strdup(argv[i]));
		for (guint i = 0; after[i]; i++)
			g_ptr_array_add(args->experts, g_strdup(after[i]));
	} else {
		/* Without --captures-from, the first is the capture, as ever. */
		int first_expert = from_list ? 1 : 2;
		if (!from_list && argc > 1)
			g_ptr_array_add(args->captures, g_strdup(argv[1]));
		for (int i = first_expert; i < argc; i++)
			g_ptr_array_add(args->experts, g_strdup(argv[i]));
	}
	if (!from_list && args->captures->len == 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
		            "give a capture and at least one expert (expert-exec run --help)");
		return FALSE;
	}
	if (args->experts->len == 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "give at least one expert%s",
		            after ? " after the --" : " (expert-exec run --help)");
		return FALSE;
	}
	for (guint i = 0; i < args->experts->len; i++) {
		const char *e = g_ptr_array_index(args->experts, i);
		if (batch_captures_is_capture(e)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
			            "%s is a capture, not an expert: several captures take a -- before the "
			            "experts (run a.pcap b.pcap -- EXPERT.so...)", e);
			return FALSE;
		}
	}
	return TRUE;
}
