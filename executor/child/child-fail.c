/* child-fail.c — a child's setup giving up (see child-fail.h). */
#include "child/child-fail.h"

#include "runtime.h"
#include "protocol/child-protocol.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static bool channel_ready;

void child_fail_channel_ready(void)
{
	channel_ready = true;
}

_Noreturn void child_fail(const char *step, int err)
{
	char reason[256];
	snprintf(reason, sizeof(reason), "sandbox setup failed: %s: %s", step, strerror(err));
	if (channel_ready)
		expert_runtime_load_failed(CHILD_FD_CHANNEL, reason);
	_exit(127);
}
