/* profile.c — sandbox profiles: what a file means (a Layer), group
 * expansion, inheritance, and finding a profile by name. The text of a file
 * is profile-source.c's, the rule language profile-rule.c's (see
 * profile-internal.h).
 *
 * Loading is two steps per file: parse it alone into a Layer (all its errors
 * are found before its parent is even looked up), then apply the layer on top
 * of its parent's resolved Profile, or on top of the built-in defaults. */
#include "profiles/profile-internal.h"

#include "profiles/syscall-groups.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#ifndef EXPERT_EXEC_SOURCE_PROFILES_DIR
#define EXPERT_EXEC_SOURCE_PROFILES_DIR "" /* direct builds: none */
#endif
#ifndef EXPERT_EXEC_PROFILES_DIR
#define EXPERT_EXEC_PROFILES_DIR "/usr/local/share/expert-exec/sandbox-profiles"
#endif

#define PROFILE_MAX_INHERITS 16

/* ---- one file on its own ---- */

enum { SET_DESCRIPTION = 1 << 0, SET_DEFAULT_ACTION = 1 << 1, SET_LIMIT0 = 1 << 2 };

typedef struct {
	ProfileSource *src;
	guint set;                   /* SET_*; SET_LIMIT0 << PROFILE_LIMIT_* for limits */
	char *description;
	guint description_line;
	char *inherits;
	guint inherits_line;
	ProfileAction default_action;
	guint default_action_line;
	guint64 limit[PROFILE_N_LIMITS];
	GHashTable *rules;           /* syscall name -> ProfileRule*, this file's */
	GPtrArray *acknowledged;     /* of ProfileAcknowledgement* */
	GPtrArray *written;          /* of ProfileRule*, as written, in line order */
	/* When collecting (profile_load_all_errors), where an entry's error
	 * goes so the reading can go on; NULL: the first error ends it. */
	GPtrArray *errors;
	guint n_errors;              /* this file's, in errors */
} Layer;

static void
layer_free(Layer *layer)
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
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Layer, layer_free)

/* An error in one entry: ends the reading of the file, or, when collecting,
 * is kept and the reading goes on with the next entry. */
static gboolean
layer_error(Layer *layer, GError **local, GError **error)
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
layer_read_syscall(Layer *layer, const ProfileEntry *e, GPtrArray *group_rules, GHashTable *failed,
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
layer_expand_group(Layer *layer, const ProfileRule *model, GHashTable *grouped, GHashTable *failed,
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
layer_read_syscalls(Layer *layer, GError **error)
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
layer_read_entry(Layer *layer, const ProfileEntry *e, GError **error)
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
			layer->set |= SET_DESCRIPTION;
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
			layer->set |= SET_DEFAULT_ACTION;
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
	layer->set |= SET_LIMIT0 << which;
	return TRUE;
}

/* Reads one file into a layer. With errors (collecting), every entry is read
 * even after one failed; the layer is then NULL and *error a copy of the
 * file's first error. */
static Layer *
layer_read(const char *path, GPtrArray *errors, GError **error)
{
	static const char *const groups[] = { "profile", "limits", "syscalls", NULL };
	g_autoptr(Layer) layer = g_new0(Layer, 1);
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

/* ---- finding profiles ---- */

/* True when this program runs from a Meson build directory (the source
 * tree's profiles are then the ones being worked on). */
static gboolean
running_from_build_dir(void)
{
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
	g_autofree char *dir = exe != NULL ? g_path_get_dirname(exe) : NULL;

	for (int up = 0; dir != NULL && up < 4; up++) {
		g_autofree char *marker = g_build_filename(dir, "meson-private", NULL);
		if (g_file_test(marker, G_FILE_TEST_IS_DIR))
			return TRUE;
		char *parent = g_path_get_dirname(dir);
		g_free(dir);
		dir = parent;
	}
	return FALSE;
}

static void
add_dir(GPtrArray *dirs, const char *dir)
{
	if (dir != NULL && *dir != '\0' && !g_ptr_array_find_with_equal_func(dirs, dir, g_str_equal, NULL))
		g_ptr_array_add(dirs, g_strdup(dir));
}

const char *const *
profile_search_dirs(void)
{
	/* Every list handed out stays alive (a caller may hold one); a new one
	 * is made only when the environment changed, which tests do. */
	static GMutex lock;
	static GPtrArray *lists;
	static char *lists_env;
	const char *path_env = g_getenv("EXPERT_EXEC_PROFILE_PATH");
	const char *source_env = g_getenv("EXPERT_EXEC_SOURCE_PROFILES");
	g_autofree char *env = g_strdup_printf("%s\n%s", path_env ? path_env : "", source_env ? source_env : "");
	const char *const *result;

	g_mutex_lock(&lock);
	if (lists == NULL || strcmp(env, lists_env) != 0) {
		GPtrArray *dirs = g_ptr_array_new();
		g_auto(GStrv) parts = g_strsplit(path_env ? path_env : "", ":", -1);
		for (char **p = parts; *p != NULL; p++)
			add_dir(dirs, *p);
		add_dir(dirs, source_env);
		if (running_from_build_dir())
			add_dir(dirs, EXPERT_EXEC_SOURCE_PROFILES_DIR);
		/* An install moved elsewhere (or staged with DESTDIR) still finds
		 * its own profiles, beside its bin/. */
		g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
		if (self != NULL) {
			g_autofree char *bin = g_path_get_dirname(self);
			g_autofree char *beside = g_build_filename(bin, "..", "share", "expert-exec",
			                                           "sandbox-profiles", NULL);
			add_dir(dirs, beside);
		}
		add_dir(dirs, EXPERT_EXEC_PROFILES_DIR);
		g_ptr_array_add(dirs, NULL);
		if (lists == NULL)
			lists = g_ptr_array_new();
		g_ptr_array_add(lists, g_ptr_array_free(dirs, FALSE));
		g_free(lists_env);
		lists_env = g_steal_pointer(&env);
	}
	result = lists->pdata[lists->len - 1];
	g_mutex_unlock(&lock);
	return result;
}

/* The file of profile name: in first_dir (the inheriting file's own), then
 * in the search directories. */
static char *
find_profile(const char *name, const char *first_dir, GError **error)
{
	g_autoptr(GPtrArray) dirs = g_ptr_array_new();
	g_autoptr(GPtrArray) known = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *file = g_strconcat(name, ".profile", NULL);

	if (first_dir != NULL)
		g_ptr_array_add(dirs, (gpointer)first_dir);
	for (const char *const *d = profile_search_dirs(); *d != NULL; d++)
		g_ptr_array_add(dirs, (gpointer)*d);
	for (guint i = 0; i < dirs->len; i++) {
		char *path = g_build_filename(dirs->pdata[i], file, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
			return path;
		g_free(path);
	}
	/* For the hint: the profiles that do exist. */
	for (guint i = 0; i < dirs->len; i++) {
		g_autoptr(GDir) dir = g_dir_open(dirs->pdata[i], 0, NULL);
		for (const char *f; dir != NULL && (f = g_dir_read_name(dir)) != NULL;)
			if (g_str_has_suffix(f, ".profile"))
				g_ptr_array_add(known, g_strndup(f, strlen(f) - strlen(".profile")));
	}
	g_ptr_array_add(known, NULL);
	g_ptr_array_add(dirs, NULL);
	g_autofree char *where = g_strjoinv(", ", (char **)dirs->pdata);
	g_autofree char *hint = profile_suggest(name, (const char *const *)known->pdata);
	g_set_error(error, PROFILE_ERROR, PROFILE_ERROR_NOT_FOUND,
	            "no profile \"%s\" in %s%s; give a path to use a file elsewhere", name, where, hint);
	return NULL;
}

/* ---- inheritance ---- */

static int
rule_compare(gconstpointer a, gconstpointer b)
{
	const ProfileRule *x = *(ProfileRule *const *)a, *y = *(ProfileRule *const *)b;
	return strcmp(x->syscall, y->syscall);
}

static Profile *
profile_new_default(void)
{
	Profile *profile = g_new0(Profile, 1);
	profile->default_action.kind = PROFILE_ACTION_NOTIFY;
	for (guint i = 0; i < PROFILE_N_LIMITS; i++)
		profile_set_limit(profile, i, profile_limits[i].fallback);
	profile->rules = g_ptr_array_new_with_free_func((GDestroyNotify)profile_rule_free);
	profile->acknowledged = g_ptr_array_new_with_free_func((GDestroyNotify)profile_acknowledgement_free);
	profile->files = g_ptr_array_new_with_free_func(g_free);
	profile->written = g_ptr_array_new_with_free_func((GDestroyNotify)profile_rule_free);
	return profile;
}

/* Moves every element of from to the end of to (both owning them). */
static void
move_all(GPtrArray *to, GPtrArray *from)
{
	for (guint i = 0; i < from->len; i++)
		g_ptr_array_add(to, g_ptr_array_steal_index(from, i--));
}

/* Puts what layer sets on top of base (its parent's profile, or defaults). */
static void
layer_apply(Layer *layer, Profile *base)
{
	g_free(base->name);
	base->name = g_strdup(layer->src->name);
	g_free(base->path);
	base->path = g_strdup(layer->src->path);
	g_free(base->parent);
	base->parent = g_steal_pointer(&layer->inherits);
	if (layer->set & SET_DESCRIPTION) {
		g_free(base->description);
		base->description = g_steal_pointer(&layer->description);
		g_free(base->description_file);
		base->description_file = g_strdup(layer->src->path);
		base->description_line = layer->description_line;
	}
	if (layer->set & SET_DEFAULT_ACTION) {
		base->default_action = layer->default_action;
		g_free(base->default_action_file);
		base->default_action_file = g_strdup(layer->src->path);
		base->default_action_line = layer->default_action_line;
	}
	for (guint i = 0; i < PROFILE_N_LIMITS; i++)
		if (layer->set & (SET_LIMIT0 << i))
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

/* The path with symbolic links and ".." resolved, to recognise a file again. */
static char *
canonical_path(const char *path)
{
	char *real = realpath(path, NULL);
	char *copy = g_strdup(real != NULL ? real : path);
	free(real);
	return copy;
}

typedef struct {
	GPtrArray *paths;  /* canonical, to recognise a file again */
	GPtrArray *names;  /* for messages */
	GPtrArray *errors; /* collecting: see layer_read() */
} Chain;

static Profile *
load_chain(const char *path, Chain *chain, GError **error)
{
	g_autoptr(Layer) layer = layer_read(path, chain->errors, error);
	g_autoptr(GError) local = NULL;
	Profile *profile;

	if (layer == NULL)
		return NULL;
	if (layer->inherits == NULL)
		profile = profile_new_default();
	else {
		const char *file = layer->src->path;
		guint line = layer->inherits_line;
		g_autofree char *dir = g_path_get_dirname(file);
		g_autofree char *parent = find_profile(layer->inherits, dir, &local);
		if (parent == NULL) {
			profile_fail(error, PROFILE_ERROR_NOT_FOUND, file, line, "inherits: %s", local->message);
			return NULL;
		}
		char *canonical = canonical_path(parent);
		g_ptr_array_add(chain->names, g_strdup(layer->inherits));
		g_ptr_array_add(chain->names, NULL);
		g_autofree char *names = g_strjoinv(" -> ", (char **)chain->names->pdata);
		g_ptr_array_remove_index(chain->names, chain->names->len - 1);
		gboolean seen = g_ptr_array_find_with_equal_func(chain->paths, canonical, g_str_equal, NULL);
		g_ptr_array_add(chain->paths, canonical);
		if (seen) {
			profile_fail(error, PROFILE_ERROR_CYCLE, file, line, "inherits \"%s\" makes a cycle: %s",
			             layer->inherits, names);
			return NULL;
		}
		if (chain->paths->len > PROFILE_MAX_INHERITS + 1) {
			profile_fail(error, PROFILE_ERROR_CYCLE, file, line, "inheritance deeper than %d levels: %s",
			             PROFILE_MAX_INHERITS, names);
			return NULL;
		}
		profile = load_chain(parent, chain, error);
		if (profile == NULL)
			return NULL;
	}
	layer_apply(layer, profile);
	return profile;
}

static Profile *
load(const char *name_or_path, GPtrArray *errors, GError **error)
{
	g_autofree char *path = NULL;
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	Chain chain = { paths, names, errors };

	if (strchr(name_or_path, '/') != NULL || g_str_has_suffix(name_or_path, ".profile"))
		path = g_strdup(name_or_path);
	else if ((path = find_profile(name_or_path, NULL, error)) == NULL)
		return NULL;
	g_ptr_array_add(paths, canonical_path(path));
	g_ptr_array_add(names, profile_name_of(path));
	return load_chain(path, &chain, error);
}

Profile *
profile_load(const char *name_or_path, GError **error)
{
	g_return_val_if_fail(name_or_path != NULL, NULL);
	return load(name_or_path, NULL, error);
}

Profile *
profile_load_all_errors(const char *name_or_path, GPtrArray *errors)
{
	g_autoptr(GError) error = NULL;
	guint before;

	g_return_val_if_fail(name_or_path != NULL && errors != NULL, NULL);
	before = errors->len;
	Profile *profile = load(name_or_path, errors, &error);
	/* When a file's errors were collected, error is a copy of its first. */
	if (profile == NULL && errors->len == before)
		g_ptr_array_add(errors, g_steal_pointer(&error));
	return profile;
}

/* ---- the resolved model ---- */

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
