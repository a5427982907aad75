/* settings.c — reading an expert's settings (see settings.h). */
#include "settings.h"

#include <stddef.h>
#include <string.h>

/* The decimal digits at the start of text, in *v: where they end, or NULL
 * when there are none or they do not fit in 64 bits. */
static const char *decimal(const char *text, uint64_t *v)
{
	const char *p = text;
	*v = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (*v > (UINT64_MAX - d) / 10)
			return NULL;
		*v = *v * 10 + d;
	}
	return p == text ? NULL : p;
}

bool settings_count(const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
	if (text == NULL)
		return true;
	uint64_t v;
	const char *end = decimal(text, &v);
	if (end == NULL || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool settings_size(const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
	if (text == NULL)
		return true;
	uint64_t v;
	const char *end = decimal(text, &v);
	if (end == NULL)
		return false;
	unsigned shift = 0;
	switch (*end) {
	case '\0': break;
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	default: return false;
	}
	if (*end != '\0' || v > UINT64_MAX >> shift)
		return false;
	v <<= shift;
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
