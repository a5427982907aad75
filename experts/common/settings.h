/* settings.h — reading an expert's settings (expert_config_get's strings).
 *
 * Strict on purpose: a value is accepted only in its one plain spelling, so
 * a typo stops the run at configure time (failed-to-load) instead of
 * silently meaning the default. Pure code: no libexpert calls, no
 * allocation.
 */
#ifndef EXPERTS_COMMON_SETTINGS_H
#define EXPERTS_COMMON_SETTINGS_H

#include <stdbool.h>
#include <stdint.h>

/* A decimal count in [min, max]: digits only, no sign, no spaces, no
 * suffix. text NULL (the setting was not given) leaves *out alone and is
 * accepted. */
bool settings_count(const char *text, uint64_t min, uint64_t max, uint64_t *out);

/* A size in bytes in [min, max]: decimal digits, then optionally K, M or G
 * (1024-based), nothing else. NULL leaves *out alone and is accepted. */
bool settings_size(const char *text, uint64_t min, uint64_t max, uint64_t *out);

/* "yes" or "no"; NULL leaves *out alone and is accepted. */
bool settings_yes_no(const char *text, bool *out);

/* One of the NULL-terminated names: its index in *out. NULL leaves *out
 * alone and is accepted. */
bool settings_choice(const char *text, const char *const *names, unsigned *out);

/* A comma-separated, non-empty list of the NULL-terminated names (repeats
 * allowed, no empty items, no spaces): bit i of *out set for names[i]. At
 * most 32 names. NULL leaves *out alone and is accepted. */
bool settings_set(const char *text, const char *const *names, uint32_t *out);

#endif /* EXPERTS_COMMON_SETTINGS_H */
