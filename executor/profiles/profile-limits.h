/* profile-limits.h — the [limits] of a profile: one table of keys, units,
 * ranges and defaults, and the values read and written back. */
#ifndef EXPERT_EXEC_PROFILE_LIMITS_H
#define EXPERT_EXEC_PROFILE_LIMITS_H

#include "profiles/profile-model.h"

#include <glib.h>

typedef enum { PROFILE_UNIT_BYTES, PROFILE_UNIT_MS, PROFILE_UNIT_COUNT } ProfileLimitUnit;
enum {
	PROFILE_LIMIT_MEMORY, PROFILE_LIMIT_CPU, PROFILE_LIMIT_WALL, PROFILE_LIMIT_FDS,
	PROFILE_LIMIT_EVENTS, PROFILE_LIMIT_OUTPUT_FILES, PROFILE_LIMIT_OUTPUT_BYTES,
	/* What a child may cost the executor (see docs/profiles.md). */
	PROFILE_LIMIT_EVENT_BYTES, PROFILE_LIMIT_NOTIFICATIONS, PROFILE_LIMIT_NOTIFY_RATE,
	PROFILE_LIMIT_FILTER_COMPILES, PROFILE_LIMIT_FILTER_BYTES, PROFILE_LIMIT_FILTER_CPU,
	PROFILE_LIMIT_OUTPUT_REQUESTS, PROFILE_N_LIMITS
};

typedef struct {
	const char *key;
	ProfileLimitUnit kind;
	guint64 min, max, fallback;
	const char *range; /* for errors */
} ProfileLimitInfo;

extern const ProfileLimitInfo profile_limits[PROFILE_N_LIMITS];

void profile_set_limit(Profile *profile, guint which, guint64 value);
guint64 profile_get_limit(const Profile *profile, guint which);
/* FALSE if text is not a number with one of the limit's suffixes; the
 * range is the caller's to check. */
gboolean profile_parse_limit(guint which, const char *text, guint64 *out);

/* The [limits] keys, in the order of the docs (NULL-terminated, static). */
const char *const *profile_limit_keys(void);
/* The value of limit key in profile syntax, in the largest unit it is a
 * whole number of ("64M", "10s", "1500ms", "16"); NULL for an unknown key.
 * Newly allocated. */
char *profile_limit_describe(const Profile *profile, const char *key);

#endif /* EXPERT_EXEC_PROFILE_LIMITS_H */
