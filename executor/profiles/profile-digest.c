/* profile-digest.c — see profile-digest.h. */
#include "profiles/profile-digest.h"

#include "profiles/profile-limits.h"
#include "profiles/profile-rule.h"

#include <string.h>

static gint
by_syscall(gconstpointer a, gconstpointer b)
{
	return strcmp((*(ProfileRule *const *)a)->syscall, (*(ProfileRule *const *)b)->syscall);
}

char *
profile_digest_text(const Profile *profile)
{
	GString *out = g_string_new(NULL);
	g_autofree char *action = profile_action_describe(&profile->default_action);
	g_string_append_printf(out, "default-action = %s\n", action);
	for (const char *const *key = profile_limit_keys(); *key != NULL; key++) {
		g_autofree char *value = profile_limit_describe(profile, *key);
		g_string_append_printf(out, "%s = %s\n", *key, value);
	}
	/* profile_load() keeps rules sorted already; a Profile built by hand
	 * need not be, and must digest the same. */
	g_autoptr(GPtrArray) rules = g_ptr_array_new();
	for (guint i = 0; i < profile->rules->len; i++)
		g_ptr_array_add(rules, profile->rules->pdata[i]);
	g_ptr_array_sort(rules, by_syscall);
	for (guint i = 0; i < rules->len; i++) {
		const ProfileRule *rule = rules->pdata[i];
		g_autofree char *described = profile_rule_describe(rule);
		g_string_append_printf(out, "%s = %s\n", rule->syscall, described);
	}
	return g_string_free(out, FALSE);
}

char *
profile_digest(const Profile *profile)
{
	g_autofree char *text = profile_digest_text(profile);
	return g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);
}
