/* settings.c — reading an expert's settings (see settings.h). */
#include "settings.h"

#include <stddef.h>
#include <string.h>

bool settings_count(const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
	if (text == NULL)
		return true;
	if (*text == '\0')
		return false;
	uint64_t v = 0;
	for (const char *p = text; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return false;
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool settings_yes_no(const char *text, bool *out)
{
	static const char *const names[] = { "no", "yes", NULL };
	unsigned i = 0;
	if (text == NULL)
		return true;
	if (!settings_choice(text, names, &i))
		return false;
	*out = i == 1;
	return true;
}

/* The index of the name equal to the n bytes at p, or -1. */
static int find_name(const char *p, size_t n, const char *const *names)
{
	for (int i = 0; names[i] != NULL; i++)
		if (strlen(names[i]) == n && memcmp(names[i], p, n) == 0)
			return i;
	return -1;
}

bool settings_choice(const char *text, const char *const *names, unsigned *out)
{
	if (text == NULL)
		return true;
	int i = find_name(text, strlen(text), names);
	if (i < 0)
		return false;
	*out = (unsigned)i;
	return true;
}

bool settings_set(const char *text, const char *const *names, uint32_t *out)
{
	if (text == NULL)
		return true;
	uint32_t set = 0;
	const char *p = text;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
		int i = find_name(p, n, names);
		if (i < 0 || i >= 32)
			return false;
		set |= (uint32_t)1 << i;
		if (end == NULL)
			break;
		p = end + 1;
	}
	*out = set;
	return true;
}
