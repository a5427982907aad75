/* signal-name.c — see signal-name.h. */
#include "results/signal-name.h"

#include <glib.h>
#include <string.h>

const char *outcome_signal_name(int sig)
{
	char buf[32];
	const char *abbrev = sigabbrev_np(sig);
	if (abbrev)
		g_snprintf(buf, sizeof(buf), "SIG%s", abbrev);
	else
		g_snprintf(buf, sizeof(buf), "signal %d", sig);
	return g_intern_string(buf);
}
