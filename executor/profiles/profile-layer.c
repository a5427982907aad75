/* profile-layer.c — what one profile file means (see profile-layer.h).
 * Loading is two steps per file: parse it alone into a layer (all its
 * errors are found before its parent is even looked up), then apply the
 * layer on top of its parent's resolved Profile, or on top of the built-in
 * defaults (profile.c). The text of a file is profile-source.c's, the rule
 * language profile-rule.c's. */
#include "profiles/profile-layer.h"

#include "profiles/profile-error.h"
#include "profiles/profile-rule.h"
#include "profiles/syscall-groups.h"

#include <seccomp.h>
#include <string.h>

void
profile_layer_free(ProfileLayer *layer)
{
	if (layer->src != NULL)
		profile_source_free(layer->src);
	g_free(layer->description);
	g_free(layer->inherits);
	if (layer->rules != NULL)
		g_hash_table_unref(layer->rules);
	if (layer->acknowledged != NULL)
		g_ptr_array_unref(layer->acknowledged);
	if (layer->written != NULL)
		g_ptr_array_unref(layer->written);
	g_free(layer);
}

/* An error in one entry: ends the reading of the file, or, when collecting,
 * is kept and the reading goes on with the next entry. */
static gboolean
layer_error(ProfileLayer *layer, GError **local, GError **error)
{
	if (layer->errors == NULL) {
		g_propagate_error(error, g_steal_pointer(local));
		return FALSE;
	}
	g_ptr_array_add(layer->errors, g_steal_pointer(local));
	layer->n_errors++;
	return TRUE;
}

/* One [syscalls] entry: a direct rule goes into layer->rules, a group's rule
 * into group_rules, to be expanded once every direct rule is known. When a
 * direct rule has an error but names a real syscall, the name goes into
 * failed, so that a group does not claim the syscall in its place and
 * produce a second, misleading error. */
static gboolean
layer_read_syscall(ProfileLayer *layer, const ProfileEntry *e, GPtrArray *group_rules, GHashTable *failed,
                   GError **error)
{
	ProfileSource *src = layer->src;
	const SyscallGroup *group = NULL;
	int nr = -1;

	if (e->key[0] == '@' && (group = syscall_group_find(e->key)) == NULL) {
		g_autoptr(GPtrArray) names = profile_group_names();
		g_autofree char *hint = seccomp_syscall_resolve_name(e->key + 1) >= 0
			? g_strdup_printf(" (did you mean \"%s\"? only group names start with '@')", e->key + 1)
			: profile_suggest(e->key, (const char *const *)names->pdata);
		return profile_fail(error, PROFILE_ERROR_UNKNOWN, src->path, e->line, "unknown group \"%s\"%s",
		                    e->key, hint);
	}
	if (group == NULL && (nr = profile_resolve_syscall(src->path, e->line, e->key, NULL, error)) < 0)
		return FALSE;
	if (group == NULL)
		g_hash_table_add(failed, e->key); /* until it parses */
	g_autofree char *text = profile_entry_value(src, e, FALSE, error);
	if (text == NULL)
		return FALSE;
	g_autoptr(ProfileRule) rule = g_new0(ProfileRule, 1);
	if (!profile_parse_rule(src->path, e->line, e->key, text, &rule->action, &rule->alternatives, error))
		return FALSE;
	rule->syscall = g_strdup(e->key);
	rule->nr = nr;
	rule->text = g_steal_pointer(&text);
	rule->group = group != NULL ? g_strdup(e->key) : NULL;
	rule->file = g_strdup(src->path);
	rule->line = e->line;
	g_ptr_array_add(layer->written, profile_rule_for(rule, rule->syscall, nr));
	if (group != NULL) {
		g_ptr_array_add(group_rules, g_steal_pointer(&rule));
	} else {
		ProfileRule *direct = g_steal_pointer(&rule);
		g_hash_table_remove(failed, e->key);
		g_hash_table_insert(layer->rules, direct->syscall, direct);
	}
	return TRUE;
}

/* A group's rule, for each member no direct rule decides. */
static gboolean
layer_expand_group(ProfileLayer *layer, const ProfileRule *model, GHashTable *grouped, GHashTable *failed,
                   GError **error)
{
	ProfileSource *src = layer->src;
	g_autoptr(GPtrArray) members = g_ptr_array_new();
	const char *bad;

	if (!syscall_group_expand(syscall_group_find(model->group), members, &bad))
		return profile_fail(error, PROFILE_ERROR_CYCLE, src->path, model->line,
		                    "%s: group %s loops or is unknown (a bug in syscall-groups.c)", model->group, bad);
	for (guint j = 0; j < members->len; j++) {
		const char *name = members->pdata[j];
		const ProfileRule *other = g_hash_table_lookup(grouped, name);
		int nr = profile_resolve_syscall(src->path, model->line, name, model->group, error);
		if (nr < 0)
			return FALSE;
		if (g_hash_table_contains(layer->rules, name) || g_hash_table_contains(failed, name))
			continue; /* a direct rule decides */
		if (other != NULL && !profile_rules_same(other, model))
			return profile_fail(error, PROFILE_ERROR_CONFLICT, src->path, model->line,
			                    "%s = %s conflicts with %s = %s (line %u) for syscall %s; "
			                    "add a rule for %s itself to decide", model->group, model->text,
			                    other->group, other->text, other->line, name, name);
		if (other == NULL) {
			ProfileRule *rule = profile_rule_for(model, name, nr);
			g_hash_table_insert(grouped, rule->syscall, rule);
		}
	}
	return TRUE;
}

/* [syscalls]: direct rules go straight in; group rules are expanded after,
 * so that a direct rule overrides them wherever it is in the file, and two
 * groups that disagree about a syscall no direct rule decides conflict. */
static gboolean
layer_read_syscalls(ProfileLayer *layer, GError **error)
{
	ProfileSource *src = layer->src;
	g_autoptr(GPtrArray) group_rules = g_ptr_array_new_with_free_func((GDestroyNotify)profile_rule_free);
	g_autoptr(GHashTable) grouped = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	                                                    (GDestroyNotify)profile_rule_free);
	g_autoptr(GHashTable) failed = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; i < src->entries->len; i++) {
		const ProfileEntry *e = &g_array_index(src->entries, ProfileEntry, i);
		g_autoptr(GError) local = NULL;
		if (e->key == NULL || strcmp(e->group, "syscalls") != 0)
			continue;
		if (!layer_read_syscall(layer, e, group_rules, failed, &local) && !layer_error(layer, &local, error))
			return FALSE;
	}
	for (guint i = 0; i < group_rules->len; i++) {
		g_autoptr(GError) local = NULL;
		if (!layer_expand_group(layer, group_rules->pdata[i], grouped, failed, &local)
		    && !layer_error(layer, &local, error))
			return FALSE;
	}
	GHashTableIter iter;
	gpointer rule;
	g_hash_table_iter_init(&iter, grouped);
	while (g_hash_table_iter_next(&iter, NULL, &rule)) {
		g_hash_table_iter_steal(&iter);
		g_hash_table_insert(layer->rules, ((ProfileRule *)rule)->syscall, rule);
	}
	return TRUE;
}

static const char *const profile_keys[] = {
	"description", "inherits", "default-action", "acknowledge", NULL
};

static gboolean
layer_read_entry(ProfileLayer *layer, const ProfileEntry *e, GError **error)
{
	ProfileSource *src = layer->src;
	g_autofree char *value = NULL;
	guint which;

	if (strcmp(e->group, "profile") == 0) {
		if (!g_strv_contains(profile_keys, e->key)) {
			g_autofree char *hint = profile_suggest(e->key, profile_keys);
			return profile_fail(error, PROFILE_ERROR_UNKNOWN, src->path, e->line,
			                    "unknown key \"%s\" in [profile]%s", e->key, hint);
		}
		if ((value = profile_entry_value(src, e, TRUE, error)) == NULL)
			return FALSE;
		if (strcmp(e->key, "description") == 0) {
			layer->description = g_steal_pointer(&value);
			layer->description_line = e->line;
			layer->set |= PROFILE_LAYER_SET_DESCRIPTION;
		} else if (strcmp(e->key, "acknowledge") == 0) {
			return profile_parse_acknowledge(src->path, e->line, value, layer->acknowledged, error);
		} else if (strcmp(e->key, "inherits") == 0) {
			if (*value == '\0' || !g_ascii_isalnum(*value)
			    || value[strspn(value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")])
				return profile_fail(error, PROFILE_ERROR_SYNTAX, src->path, e->line, "inherits = \"%s\": "
				                    "expected a profile name (letters, digits, '.', '_', '-'), not a path", value);
			layer->inherits = g_steal_pointer(&value);
			layer->inherits_line = e->line;
		} else {
			g_autoptr(GArray) alts = NULL;
			if (!profile_parse_rule(src->path, e->line, e->key, value, &layer->default_action, &alts, error))
				return FALSE;
			if (alts->len > 0)
				return profile_fail(error, PROFILE_ERROR_SYNTAX, src->path, e->line,
				                    "default-action takes an action without conditions");
			layer->default_action_line = e->line;
			layer->set |= PROFILE_LAYER_SET_DEFAULT_ACTION;
		}
		return TRUE;
	}
	/* [limits] */
	for (which = 0; which < PROFILE_N_LIMITS && strcmp(e->key, profile_limits[which].key) != 0; which++)
		;
	if (which == PROFILE_N_LIMITS) {
		const char *keys[PROFILE_N_LIMITS + 1] = { NULL };
		for (guint i = 0; i < PROFILE_N_LIMITS; i++)
			keys[i] = profile_limits[i].key;
		g_autofree char *hint = profile_suggest(e->key, keys);
		return profile_fail(error, PROFILE_ERROR_UNKNOWN, src->path, e->line,
		                    "unknown key \"%s\" in [limits]%s", e->key, hint);
	}
	if ((value = profile_entry_value(src, e, FALSE, error)) == NULL)
		return FALSE;
	if (!profile_parse_limit(which, value, &layer->limit[which]) || layer->limit[which] < profile_limits[which].min
	    || layer->limit[which] > profile_limits[which].max)
		return profile_fail(error, PROFILE_ERROR_SYNTAX, src->path, e->line, "%s = \"%s\": expected %s",
		                    e->key, value, profile_limits[which].range);
	layer->set |= PROFILE_LAYER_SET_LIMIT0 << which;
	return TRUE;
}

ProfileLayer *
profile_layer_read(const char *path, GPtrArray *errors, GError **error)
{
	static const char *const groups[] = { "profile", "limits", "syscalls", NULL };
	g_autoptr(ProfileLayer) layer = g_new0(ProfileLayer, 1);
	guint first_error = errors != NULL ? errors->len : 0;

	layer->rules = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)profile_rule_free);
	layer->acknowledged = g_ptr_array_new_with_free_func((GDestroyNotify)profile_acknowledgement_free);
	layer->written = g_ptr_array_new_with_free_func((GDestroyNotify)profile_rule_free);
	layer->errors = errors;
	if ((layer->src = profile_source_open(path, error)) == NULL)
		return NULL;
	for (guint i = 0; i < layer->src->entries->len; i++) {
		const ProfileEntry *e = &g_array_index(layer->src->entries, ProfileEntry, i);
		g_autoptr(GError) local = NULL;
		if (!g_strv_contains(groups, e->group)) {
			if (e->key != NULL)
				continue; /* in a group already reported */
			const char *best = profile_closest(e->group, groups);
			g_autofree char *hint = best != NULL ? g_strdup_printf(" (did you mean [%s]?)", best)
				: g_strdup("; groups are [profile], [limits] and [syscalls]");
			profile_fail(&local, PROFILE_ERROR_UNKNOWN, path, e->line, "unknown group [%s]%s", e->group, hint);
			if (!layer_error(layer, &local, error))
				return NULL;
			continue;
		}
		if (e->key != NULL && strcmp(e->group, "syscalls") != 0 && !layer_read_entry(layer, e, &local)
		    && !layer_error(layer, &local, error))
			return NULL;
	}
	if (!layer_read_syscalls(layer, error))
		return NULL;
	if (layer->n_errors > 0) {
		/* [syscalls] is read last: put the file's errors in line order. */
		for (guint i = first_error + 1; i < errors->len; i++)
			for (guint j = i; j > first_error
			     && profile_error_line(errors->pdata[j - 1]) > profile_error_line(errors->pdata[j]); j--) {
				gpointer swap = errors->pdata[j];
				errors->pdata[j] = errors->pdata[j - 1];
				errors->pdata[j - 1] = swap;
			}
		g_propagate_error(error, g_error_copy(errors->pdata[first_error]));
		return NULL;
	}
	return g_steal_pointer(&layer);
}

static int
rule_compare(gconstpointer a, gconstpointer b)
{
	const ProfileRule *x = *(ProfileRule *const *)a, *y = *(ProfileRule *const *)b;
	return strcmp(x->syscall, y->syscall);
}

/* Moves every element of from to the end of to (both owning them). */
static void
move_all(GPtrArray *to, GPtrArray *from)
{
	for (guint i = 0; i < from->len; i++)
		g_ptr_array_add(to, g_ptr_array_steal_index(from, i--));
}

void
profile_layer_apply(ProfileLayer *layer, Profile *base)
{
	g_free(base->name);
	base->name = g_strdup(layer->src->name);
	g_free(base->path);
	base->path = g_strdup(layer->src->path);
	g_free(base->parent);
	base->parent = g_steal_pointer(&layer->inherits);
	if (layer->set & PROFILE_LAYER_SET_DESCRIPTION) {
		g_free(base->description);
		base->description = g_steal_pointer(&layer->description);
		g_free(base->description_file);
		base->description_file = g_strdup(layer->src->path);
		base->description_line = layer->description_line;
	}
	if (layer->set & PROFILE_LAYER_SET_DEFAULT_ACTION) {
		base->default_action = layer->default_action;
		g_free(base->default_action_file);
		base->default_action_file = g_strdup(layer->src->path);
		base->default_action_line = layer->default_action_line;
	}
	for (guint i = 0; i < PROFILE_N_LIMITS; i++)
		if (layer->set & (PROFILE_LAYER_SET_LIMIT0 << i))
			profile_set_limit(base, i, layer->limit[i]);

	/* The child's rule for a syscall replaces the parent's. */
	for (guint i = base->rules->len; i-- > 0;) {
		const ProfileRule *rule = base->rules->pdata[i];
		if (g_hash_table_contains(layer->rules, rule->syscall))
			g_ptr_array_remove_index_fast(base->rules, i);
	}
	GHashTableIter iter;
	gpointer rule;
	g_hash_table_iter_init(&iter, layer->rules);
	while (g_hash_table_iter_next(&iter, NULL, &rule)) {
		g_hash_table_iter_steal(&iter);
		g_ptr_array_add(base->rules, rule);
	}
	g_ptr_array_sort(base->rules, rule_compare);

	/* Acknowledgements add up, like the rules they are about. */
	move_all(base->acknowledged, layer->acknowledged);
	move_all(base->written, layer->written);
	g_ptr_array_insert(base->files, 0, g_strdup(layer->src->path));
}
