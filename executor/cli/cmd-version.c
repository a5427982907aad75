/* cmd-version.c — see cmd-version.h. */
#include "cli/cmd-version.h"

#include "cli/cmd-run.h"
#include "kernel/kernel-features.h"

#include <glib.h>
#include <stdio.h>

#ifndef EXPERT_EXEC_VERSION
#define EXPERT_EXEC_VERSION "unknown"
#endif

int cmd_version(void)
{
	g_autofree char *kernel = kernel_features_text();
	printf("expert-exec %s\n%s", EXPERT_EXEC_VERSION, kernel);
	return CMD_EXIT_ALL_COMPLETED;
}
