/* refuse.c — see refuse.h. */
#include "refuse.h"

#include "format.h"

#include <string.h>

/* Bytes of a rejected value quoted back: enough to recognise it. */
#define VALUE_SHOWN_MAX 64

ExpertError refuse_setting(ExpertKey *key, const char *name, const char *expected)
{
	char text[EXPERT_TEXT_MAX], value[VALUE_SHOWN_MAX + 1];
	size_t len = 0;
	const char *given = expert_config_get(key, name);
	size_t n = given != NULL ? strlen(given) : 0;
	/* Cut on a character boundary: the executor takes only valid UTF-8. */
	if (n > VALUE_SHOWN_MAX) {
		n = VALUE_SHOWN_MAX;
		while (n > 0 && ((unsigned char)given[n] & 0xC0) == 0x80)
			n--;
	}
	if (n > 0)
		memcpy(value, given, n);
	value[n] = '\0';
	text[0] = '\0';
	format_append(text, sizeof text, &len, name);
	format_append(text, sizeof text, &len, ": expected ");
	format_append(text, sizeof text, &len, expected);
	format_append(text, sizeof text, &len, ", not \"");
	format_append(text, sizeof text, &len, value);
	format_append(text, sizeof text, &len, given != NULL && strlen(given) > n ? "\"..." : "\"");
	return expert_fail(key, text);
}

ExpertError refuse_because(ExpertKey *key, const char *what, const char *why)
{
	char text[EXPERT_TEXT_MAX];
	size_t len = 0;
	text[0] = '\0';
	format_append(text, sizeof text, &len, what);
	format_append(text, sizeof text, &len, ": ");
	format_append(text, sizeof text, &len, why);
	return expert_fail(key, text);
}
