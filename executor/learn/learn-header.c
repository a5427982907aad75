/* learn-header.c — what a learned profile says before its rules (see
 * learn-header.h): the header comment, and the [limits] the learning runs
 * call for. Pure. */
#include "learn/learn-header.h"

/* Text from outside (paths, the command line) made safe for a comment line:
 * valid UTF-8, and no control characters, which would end the comment or
 * make the file one profile_load() refuses. */
char *learn_comment_safe(const char *text)
{
	char *s = g_utf8_make_valid(text, -1);
	for (char *p = s; *p; p++)
		if ((guchar)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return s;
}

/* "20.0 KiB" with a plain space: g_format_size() puts a no-break space. */
static void append_size(GString *out, guint64 bytes)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes;
	guint u = 0;
	while (v >= 1024 && u + 1 < G_N_ELEMENTS(units)) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		g_string_append_printf(out, "%" G_GUINT64_FORMAT " bytes", bytes);
	else
		g_string_append_printf(out, "%.1f %s", v, units[u]);
}

/* The largest use of any expert, for the header and the limits. */
static LearnUsage peak_usage(const LearnLog *log)
{
	LearnUsage peak = { 0 };
	for (guint i = 0; i < log->experts->len; i++) {
		const LearnUsage *u = &g_array_index(log->experts, LearnExpert, i).usage;
		peak.peak_pool_bytes = MAX(peak.peak_pool_bytes, u->peak_pool_bytes);
		peak.max_rss_bytes = MAX(peak.max_rss_bytes, u->max_rss_bytes);
		peak.cpu_usec = MAX(peak.cpu_usec, u->cpu_usec);
		peak.wall_usec = MAX(peak.wall_usec, u->wall_usec);
		peak.events = MAX(peak.events, u->events);
		peak.outputs = MAX(peak.outputs, u->outputs);
		peak.output_bytes = MAX(peak.output_bytes, u->output_bytes);
	}
	return peak;
}

/* A [limits] group only where parent's limit is not twice what the
 * learning run used; strict's limits serve everything else. */
void learn_limits_write(GString *out, const LearnLog *log, const Profile *parent)
{
	const guint64 max_ms = 7ull * 24 * 3600 * 1000, max_bytes = 1ull << 40;
	LearnUsage peak = peak_usage(log);
	g_autoptr(GString) keys = g_string_new(NULL);
	guint64 memory = MAX(peak.peak_pool_bytes, peak.max_rss_bytes) * 2;
	if (memory > parent->memory_bytes) {
		guint64 mib = MIN(memory, max_bytes) + (1 << 20) - 1;
		g_string_append_printf(keys, "# twice the learning run's peak (pool or RSS, the larger)\n"
		                             "memory = %" G_GUINT64_FORMAT "M\n", mib >> 20);
	}
	guint64 cpu_ms = peak.cpu_usec * 2 / 1000;
	if (cpu_ms > parent->cpu_ms)
		g_string_append_printf(keys, "# the learning run's CPU time, twice over\n"
		                             "cpu-time = %" G_GUINT64_FORMAT "s\n",
		                       (MIN(cpu_ms, max_ms) + 999) / 1000);
	guint64 wall_ms = peak.wall_usec * 2 / 1000;
	if (wall_ms > parent->wall_ms)
		g_string_append_printf(keys, "# the learning run's wall-clock time (slowed by learning), twice over\n"
		                             "wall-time = %" G_GUINT64_FORMAT "s\n",
		                       (MIN(wall_ms, max_ms) + 999) / 1000);
	if (peak.outputs > parent->max_outputs)
		g_string_append_printf(keys, "# the output captures created\noutput-files = %u\n",
		                       MIN(peak.outputs, 16u));
	guint64 out_bytes = MIN(peak.output_bytes * 2, max_bytes);
	if (peak.outputs && out_bytes > parent->max_output_bytes)
		g_string_append_printf(keys, "# twice the largest output capture\noutput-bytes = %" G_GUINT64_FORMAT
		                       "M\n", MAX((out_bytes + (1 << 20) - 1) >> 20, 1));
	if (peak.events > parent->max_events)
		g_string_append_printf(keys, "# the events submitted, twice over\nevents = %" G_GUINT64_FORMAT "\n",
		                       MIN((guint64)peak.events * 2, G_MAXUINT));
	if (keys->len)
		g_string_append_printf(out, "[limits]\n%s\n", keys->str);
}

void learn_header_write(GString *out, const LearnLog *log, const LearnHeader *h,
                        const Profile *parent)
{
	g_autofree char *command = learn_comment_safe(h->command_line ? h->command_line : "?");
	g_autofree char *capture = learn_comment_safe(h->capture ? h->capture : "?");
	g_string_append(out, "# Learned by `expert-exec profile learn`: the smallest profile found under which\n"
	                     "# these experts completed over this capture. Edit freely.\n#\n");
	g_string_append_printf(out, "# command  %s\n# date     %s\n# capture  %s\n", command,
	                       h->date ? h->date : "?", capture);
	if (h->base) {
		g_autofree char *path = learn_comment_safe(h->base->path);
		g_string_append_printf(out, "# base     %s (%s): the learning run's limits and kill rules\n",
		                       h->base->name, path);
	}
	for (guint i = 0; i < log->experts->len; i++) {
		const LearnExpert *e = &g_array_index(log->experts, LearnExpert, i);
		g_autofree char *name = learn_comment_safe(e->name);
		g_string_append_printf(out, "# %-8s %s: %" G_GUINT64_FORMAT " refused call%s", i ? "" : "experts",
		                       name, e->calls, e->calls == 1 ? "" : "s");
		if (e->ran) {
			g_string_append(out, "; pool ");
			append_size(out, e->usage.peak_pool_bytes);
			g_string_append(out, ", RSS ");
			append_size(out, e->usage.max_rss_bytes);
			g_string_append_printf(out, ", CPU %" G_GUINT64_FORMAT " ms, wall %" G_GUINT64_FORMAT " ms",
			                       e->usage.cpu_usec / 1000, e->usage.wall_usec / 1000);
		}
		g_string_append_c(out, '\n');
	}
	g_string_append_printf(out,
		"#\n"
		"# It inherits %s rather than standing alone: %s already allows what\n"
		"# libexpert needs and kills the classic escapes, so this file holds only what\n"
		"# the experts did beyond it, and the kill rules stay maintained in one place.\n"
		"# A rule here replaces %s's rule for the same syscall. Each syscall was first\n"
		"# tried as a refusal (errno): what every expert did without, with the same\n"
		"# results, is refused. What they needed is allowed, narrowed on the values seen\n"
		"# of the argument that says what the call does (descriptors, open's access mode,\n"
		"# PROT_EXEC, ...; at most %d), nothing else (pointers and sizes would fit this\n"
		"# capture only).\n\n",
		parent->name, parent->name, parent->name, LEARN_MAX_VALUES);
}
