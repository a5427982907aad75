/* profile-limits.c — [limits]: the table, the values read and written
 * back (see profile-limits.h). */
#include "profiles/profile-limits.h"

#include <errno.h>
#include <string.h>

/* ---- limits: one table, the defaults with them ---- */

/* libexpert keeps this many output slots per run (runtime-internal.h). */
#define OUTPUT_FILES_MAX 16

const ProfileLimitInfo profile_limits[PROFILE_N_LIMITS] = {
	[PROFILE_LIMIT_MEMORY] = { "memory", PROFILE_UNIT_BYTES, 64 << 10, G_GUINT64_CONSTANT(1) << 40,
	                           64 << 20, "a size from 64K to 1024G (suffixes K, M, G are 1024-based)" },
	[PROFILE_LIMIT_CPU] = { "cpu-time", PROFILE_UNIT_MS, 1, 7 * 24 * 3600 * 1000ull, 10 * 1000,
	                        "a time above 0 and at most 7 days (suffixes ms, s, m; plain is seconds)" },
	[PROFILE_LIMIT_WALL] = { "wall-time", PROFILE_UNIT_MS, 1, 7 * 24 * 3600 * 1000ull, 30 * 1000,
	                         "a time above 0 and at most 7 days (suffixes ms, s, m; plain is seconds)" },
	[PROFILE_LIMIT_FDS] = { "descriptors", PROFILE_UNIT_COUNT, 4, 1 << 20, 16, "a count from 4 to 1048576" },
	[PROFILE_LIMIT_EVENTS] = { "events", PROFILE_UNIT_COUNT, 0, G_MAXUINT, 10000,
	                           "a count from 0 to 4294967295" },
	/* Output captures the executor creates for the expert: none unless a
	 * profile says so (coalesce.profile). */
	[PROFILE_LIMIT_OUTPUT_FILES] = { "output-files", PROFILE_UNIT_COUNT, 0, OUTPUT_FILES_MAX, 0,
	                                 "a count from 0 to 16" },
	[PROFILE_LIMIT_OUTPUT_BYTES] = { "output-bytes", PROFILE_UNIT_BYTES, 0,
	                                 G_GUINT64_CONSTANT(1) << 40, 0,
	                                 "a size from 0 to 1024G (per file; suffixes K, M, G)" },
	/* What a child may cost the executor. The defaults are far above what
	 * the shipped experts use, and low enough that the executor's own CPU
	 * and memory for one job stay small next to the job's. */
	[PROFILE_LIMIT_EVENT_BYTES] = { "event-bytes", PROFILE_UNIT_BYTES, 0, 1 << 30, 8 << 20,
	                                "a size from 0 to 1G (text, keys and values of all events)" },
	/* The loader alone needs a few dozen. */
	[PROFILE_LIMIT_NOTIFICATIONS] = { "notifications", PROFILE_UNIT_COUNT, 256, G_MAXUINT, 10000,
	                                  "a count from 256 to 4294967295" },
	[PROFILE_LIMIT_NOTIFY_RATE] = { "notifications-per-second", PROFILE_UNIT_COUNT, 256, 1000000,
	                                2000, "a count from 256 to 1000000" },
	[PROFILE_LIMIT_FILTER_COMPILES] = { "filter-compiles", PROFILE_UNIT_COUNT, 0, 4096, 64,
	                                    "a count from 0 to 4096" },
	/* libpcap's compile time grows faster than the expression: 1K of
	 * "portrange" takes 150 ms, 256 bytes 3 ms. The wire carries 1K. */
	[PROFILE_LIMIT_FILTER_BYTES] = { "filter-bytes", PROFILE_UNIT_BYTES, 1, 1024, 256,
	                                 "a size from 1 to 1024 (bytes of one filter expression)" },
	[PROFILE_LIMIT_FILTER_CPU] = { "filter-cpu-time", PROFILE_UNIT_MS, 1, 60 * 1000, 500,
	                               "a time above 0 and at most 1 minute (suffixes ms, s, m)" },
	[PROFILE_LIMIT_OUTPUT_REQUESTS] = { "output-requests", PROFILE_UNIT_COUNT, 0, 65536, 64,
	                                    "a count from 0 to 65536 (refused requests count too)" },
};

void
profile_set_limit(Profile *profile, guint which, guint64 value)
{
	switch (which) {
	case PROFILE_LIMIT_MEMORY: profile->memory_bytes = value; break;
	case PROFILE_LIMIT_CPU: profile->cpu_ms = value; break;
	case PROFILE_LIMIT_WALL: profile->wall_ms = value; break;
	case PROFILE_LIMIT_FDS: profile->max_fds = value; break;
	case PROFILE_LIMIT_EVENTS: profile->max_events = value; break;
	case PROFILE_LIMIT_OUTPUT_FILES: profile->max_outputs = (guint)value; break;
	case PROFILE_LIMIT_OUTPUT_BYTES: profile->max_output_bytes = value; break;
	case PROFILE_LIMIT_EVENT_BYTES: profile->max_event_bytes = value; break;
	case PROFILE_LIMIT_NOTIFICATIONS: profile->max_notifications = (guint)value; break;
	case PROFILE_LIMIT_NOTIFY_RATE: profile->max_notify_rate = (guint)value; break;
	case PROFILE_LIMIT_FILTER_COMPILES: profile->max_filter_compiles = (guint)value; break;
	case PROFILE_LIMIT_FILTER_BYTES: profile->max_filter_bytes = (guint)value; break;
	case PROFILE_LIMIT_FILTER_CPU: profile->filter_cpu_ms = value; break;
	case PROFILE_LIMIT_OUTPUT_REQUESTS: profile->max_output_requests = (guint)value; break;
	}
}

guint64
profile_get_limit(const Profile *profile, guint which)
{
	switch (which) {
	case PROFILE_LIMIT_MEMORY: return profile->memory_bytes;
	case PROFILE_LIMIT_CPU: return profile->cpu_ms;
	case PROFILE_LIMIT_WALL: return profile->wall_ms;
	case PROFILE_LIMIT_FDS: return profile->max_fds;
	case PROFILE_LIMIT_EVENTS: return profile->max_events;
	case PROFILE_LIMIT_OUTPUT_FILES: return profile->max_outputs;
	case PROFILE_LIMIT_OUTPUT_BYTES: return profile->max_output_bytes;
	case PROFILE_LIMIT_EVENT_BYTES: return profile->max_event_bytes;
	case PROFILE_LIMIT_NOTIFICATIONS: return profile->max_notifications;
	case PROFILE_LIMIT_NOTIFY_RATE: return profile->max_notify_rate;
	case PROFILE_LIMIT_FILTER_COMPILES: return profile->max_filter_compiles;
	case PROFILE_LIMIT_FILTER_BYTES: return profile->max_filter_bytes;
	case PROFILE_LIMIT_FILTER_CPU: return profile->filter_cpu_ms;
	case PROFILE_LIMIT_OUTPUT_REQUESTS: return profile->max_output_requests;
	}
	return 0;
}

gboolean
profile_parse_limit(guint which, const char *text, guint64 *out)
{
	static const struct { ProfileLimitUnit kind; const char *suffix; guint64 scale; } units[] = {
		{ PROFILE_UNIT_BYTES, "", 1 }, { PROFILE_UNIT_BYTES, "K", 1 << 10 }, { PROFILE_UNIT_BYTES, "M", 1 << 20 },
		{ PROFILE_UNIT_BYTES, "G", 1 << 30 }, { PROFILE_UNIT_MS, "", 1000 }, { PROFILE_UNIT_MS, "ms", 1 },
		{ PROFILE_UNIT_MS, "s", 1000 }, { PROFILE_UNIT_MS, "m", 60 * 1000 }, { PROFILE_UNIT_COUNT, "", 1 },
	};
	char *end;
	guint64 v;

	if (!g_ascii_isdigit(*text))
		return FALSE;
	errno = 0;
	v = g_ascii_strtoull(text, &end, 10);
	if (errno != 0)
		return FALSE;
	while (g_ascii_isspace(*end))
		end++;
	for (gsize i = 0; i < G_N_ELEMENTS(units); i++) {
		if (units[i].kind == profile_limits[which].kind && strcmp(end, units[i].suffix) == 0) {
			/* past the maximum is out of range, overflow or not */
			*out = v > G_MAXUINT64 / units[i].scale ? G_MAXUINT64 : v * units[i].scale;
			return TRUE;
		}
	}
	return FALSE;
}

const char *const *
profile_limit_keys(void)
{
	static const char *const *keys;

	if (g_once_init_enter(&keys)) {
		static const char *table[PROFILE_N_LIMITS + 1];
		for (guint i = 0; i < PROFILE_N_LIMITS; i++)
			table[i] = profile_limits[i].key;
		g_once_init_leave(&keys, table);
	}
	return keys;
}

char *
profile_limit_describe(const Profile *profile, const char *key)
{
	/* Largest first: the first unit the value is a whole number of wins. */
	static const struct { ProfileLimitUnit kind; const char *suffix; guint64 scale; } units[] = {
		{ PROFILE_UNIT_BYTES, "G", 1 << 30 }, { PROFILE_UNIT_BYTES, "M", 1 << 20 },
		{ PROFILE_UNIT_BYTES, "K", 1 << 10 }, { PROFILE_UNIT_MS, "m", 60 * 1000 },
		{ PROFILE_UNIT_MS, "s", 1000 }, { PROFILE_UNIT_MS, "ms", 1 },
	};

	for (guint which = 0; which < PROFILE_N_LIMITS; which++) {
		if (strcmp(key, profile_limits[which].key) != 0)
			continue;
		guint64 v = profile_get_limit(profile, which);
		for (gsize i = 0; i < G_N_ELEMENTS(units); i++)
			if (units[i].kind == profile_limits[which].kind && v != 0 && v % units[i].scale == 0)
				return g_strdup_printf("%" G_GUINT64_FORMAT "%s", v / units[i].scale, units[i].suffix);
		return g_strdup_printf("%" G_GUINT64_FORMAT "%s", v,
		                       profile_limits[which].kind == PROFILE_UNIT_MS ? "ms" : "");
	}
	return NULL;
}
