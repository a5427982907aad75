/* profile-model.c — freeing and querying the resolved model (see
 * profile-model.h). */
#include "profiles/profile-model.h"

const ProfileRule *
profile_find_rule(const Profile *profile, int nr)
{
	if (profile->rules == NULL)
		return NULL;
	for (guint i = 0; i < profile->rules->len; i++) {
		const ProfileRule *rule = profile->rules->pdata[i];
		if (rule->nr == nr)
			return rule;
	}
	return NULL;
}

void
profile_rule_free(ProfileRule *rule)
{
	if (rule == NULL)
		return;
	g_free(rule->syscall);
	if (rule->alternatives != NULL)
		g_array_unref(rule->alternatives);
	g_free(rule->text);
	g_free(rule->group);
	g_free(rule->file);
	g_free(rule);
}

void
profile_acknowledgement_free(ProfileAcknowledgement *ack)
{
	if (ack == NULL)
		return;
	g_free(ack->syscall);
	g_free(ack->file);
	g_free(ack);
}

void
profile_free(Profile *profile)
{
	if (profile == NULL)
		return;
	g_free(profile->name);
	g_free(profile->path);
	g_free(profile->description);
	g_free(profile->parent);
	g_free(profile->default_action_file);
	if (profile->rules != NULL)
		g_ptr_array_unref(profile->rules);
	g_free(profile->description_file);
	if (profile->acknowledged != NULL)
		g_ptr_array_unref(profile->acknowledged);
	if (profile->files != NULL)
		g_ptr_array_unref(profile->files);
	if (profile->written != NULL)
		g_ptr_array_unref(profile->written);
	g_free(profile);
}
