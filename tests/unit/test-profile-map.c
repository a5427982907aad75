/* test-profile-map.c — which profile each expert gets
 * (executor/profiles/profile-map.c): mapping files read strictly, errors at
 * their line, --profile values split, and the order of the choice: the
 * command line's EXPERT=PROFILE, the mapping in force, a plain --profile,
 * default; an installed mapping only for the experts under its directory. */
#include "profiles/profile-error.h"
#include "profiles/profile-map.h"
#include "temp-dir.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct {
	char *dir;
} Fixture;

static void setup(Fixture *fx, gconstpointer data)
{
	(void)data;
	fx->dir = temp_dir_new("test-profile-map-XXXXXX");
}

static void teardown(Fixture *fx, gconstpointer data)
{
	(void)data;
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", fx->dir);
	g_assert_cmpint(system(cmd), ==, 0);
	g_free(fx->dir);
}

static char *write_file(Fixture *fx, const char *name, const char *text)
{
	char *path = g_build_filename(fx->dir, name, NULL);
	g_autofree char *parent = g_path_get_dirname(path);
	g_assert_cmpint(g_mkdir_with_parents(parent, 0755), ==, 0);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	return path;
}

static void assert_refused(Fixture *fx, const char *text, guint line, const char *says)
{
	g_autofree char *path = write_file(fx, "bad.conf", text);
	GError *error = NULL;
	g_assert_null(profile_map_load(path, &error));
	g_assert_error(error, PROFILE_ERROR, error->code);
	g_test_message("%s", error->message);
	g_assert_cmpuint(profile_error_line(error), ==, line);
	g_assert_nonnull(strstr(error->message, says));
	g_error_free(error);
}

static void test_a_mapping_is_read_with_its_lines(Fixture *fx, gconstpointer data)
{
	(void)data;
	g_autofree char *path = write_file(fx, "m/map.conf",
		"# the operator's\n[profiles]\ntop-talkers = strict   # least\n"
		"protocol-coalesce = ../coalesce.profile\nx = /abs/y.profile\n");
	GError *error = NULL;
	g_autoptr(ProfileMap) map = profile_map_load(path, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(map->entries->len, ==, 3);
	const ProfileMapEntry *tt = profile_map_find(map, "top-talkers");
	g_assert_cmpstr(tt->profile, ==, "strict");
	g_assert_cmpuint(tt->line, ==, 3);
	/* A relative path is from the mapping's directory, as inherits is. */
	g_autofree char *real = realpath(fx->dir, NULL);
	g_autofree char *expected = g_build_filename(real, "m", "..", "coalesce.profile", NULL);
	g_assert_cmpstr(profile_map_find(map, "protocol-coalesce")->profile, ==, expected);
	g_assert_cmpstr(profile_map_find(map, "x")->profile, ==, "/abs/y.profile");
	g_assert_null(profile_map_find(map, "nobody"));
}

static void test_what_a_mapping_may_not_say(Fixture *fx, gconstpointer data)
{
	(void)data;
	assert_refused(fx, "[profiles]\ntop-talkers = strict\n[other]\n", 3, "unknown group [other]");
	assert_refused(fx, "[profiles]\ntop talkers = strict\n", 2, "is not an expert name");
	assert_refused(fx, "[profiles]\na/b = strict\n", 2, "is not an expert name");
	assert_refused(fx, "[profiles]\nx = strict\nx = default\n", 3, "\"x\" is set twice");
	assert_refused(fx, "[profiles]\nx =   # nothing\n", 2, "give a profile name or a path");
	assert_refused(fx, "# empty\n", 0, "no [profiles] group");
	assert_refused(fx, "[profiles]\nx = strict\n\x01\n", 3, "control character");
}

static void test_option_values_split(void)
{
	static const struct {
		const char *value, *expert, *profile;
	} cases[] = {
		{ "top-talkers=strict", "top-talkers", "strict" },
		{ "top-talkers=./a=b.profile", "top-talkers", "./a=b.profile" },
		{ "strict", NULL, "strict" },
		/* Before the '=' no expert name: a path, whole. */
		{ "./a=b.profile", NULL, "./a=b.profile" },
		{ "x=", "x", "" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *expert = NULL, *profile = NULL;
		profile_map_split_option(cases[i].value, &expert, &profile);
		g_assert_cmpstr(expert, ==, cases[i].expert);
		g_assert_cmpstr(profile, ==, cases[i].profile);
	}
	g_autofree char *name = profile_map_expert_name("/usr/lib/x/protocol-coalesce.so");
	g_assert_cmpstr(name, ==, "protocol-coalesce");
}

static ProfileChoice *choose(const ProfileRules *rules, const char *path)
{
	ProfileChoice *c = profile_choose(rules, path);
	g_test_message("%s: %s (%s)", path, c->profile, c->chosen_by);
	return c;
}

static void test_the_order_of_the_choice(Fixture *fx, gconstpointer data)
{
	(void)data;
	/* An "installed" mapping governing the experts under inst/. */
	g_autofree char *inst_map = write_file(fx, "inst/profiles.conf",
		"[profiles]\ntt = strict\npc = coalesce\n");
	g_autofree char *tt = write_file(fx, "inst/tt/tt.so", "");
	g_autofree char *pc = write_file(fx, "inst/pc.so", "");
	g_autofree char *stray = write_file(fx, "elsewhere/pc.so", "");
	g_autofree char *given_map = write_file(fx, "given.conf", "[profiles]\ntt = mine\n");
	GError *error = NULL;
	g_autoptr(GPtrArray) installed = g_ptr_array_new_with_free_func((GDestroyNotify)profile_map_free);
	g_ptr_array_add(installed, profile_map_load(inst_map, &error));
	g_assert_no_error(error);
	g_autoptr(ProfileMap) given = profile_map_load(given_map, &error);
	g_assert_no_error(error);
	g_autoptr(GHashTable) named = g_hash_table_new(g_str_hash, g_str_equal);

	/* Nothing said: the installed mapping, for what lies under it. */
	ProfileRules rules = { named, NULL, NULL, installed };
	g_autoptr(ProfileChoice) a = choose(&rules, tt);
	g_assert_cmpstr(a->profile, ==, "strict");
	g_autofree char *at = g_strdup_printf("installed mapping %s:2", inst_map);
	g_assert_cmpstr(a->chosen_by, ==, at);
	g_autoptr(ProfileChoice) b = choose(&rules, pc);
	g_assert_cmpstr(b->profile, ==, "coalesce");
	/* The same name elsewhere: nothing from the installed mapping. */
	g_autoptr(ProfileChoice) c = choose(&rules, stray);
	g_assert_cmpstr(c->profile, ==, "default");
	g_assert_cmpstr(c->chosen_by, ==, "the built-in default");

	/* EXPERT=PROFILE wins over everything. */
	g_hash_table_insert(named, "pc", "strict");
	g_autoptr(ProfileChoice) d = choose(&rules, pc);
	g_assert_cmpstr(d->profile, ==, "strict");
	g_assert_cmpstr(d->chosen_by, ==, "--profile pc=strict");
	g_hash_table_remove_all(named);

	/* A plain --profile: every expert not named; no installed mapping. */
	rules.fallback = "default";
	g_autoptr(ProfileChoice) e = choose(&rules, tt);
	g_assert_cmpstr(e->profile, ==, "default");
	g_assert_cmpstr(e->chosen_by, ==, "--profile default");

	/* --profile-map: its entries, then the plain --profile, never the
	 * installed mapping. */
	rules.map = given;
	rules.fallback = NULL;
	g_autoptr(ProfileChoice) f = choose(&rules, tt);
	g_assert_cmpstr(f->profile, ==, "mine");
	g_autofree char *from = g_strdup_printf("--profile-map %s:2", given_map);
	g_assert_cmpstr(f->chosen_by, ==, from);
	g_autoptr(ProfileChoice) g = choose(&rules, pc);
	g_assert_cmpstr(g->profile, ==, "default");
	rules.fallback = "strict";
	g_autoptr(ProfileChoice) h = choose(&rules, pc);
	g_assert_cmpstr(h->profile, ==, "strict");
}

static void test_governs_only_below_its_directory(Fixture *fx, gconstpointer data)
{
	(void)data;
	g_autofree char *path = write_file(fx, "inst/profiles.conf", "[profiles]\n");
	g_autofree char *inside = write_file(fx, "inst/a/b.so", "");
	g_autofree char *beside = write_file(fx, "inst2/b.so", "");
	g_autofree char *link = g_build_filename(fx->dir, "link.so", NULL);
	g_assert_cmpint(symlink(inside, link), ==, 0);
	GError *error = NULL;
	g_autoptr(ProfileMap) map = profile_map_load(path, &error);
	g_assert_no_error(error);
	g_assert_true(profile_map_governs(map, inside));
	/* "inst2" starts like "inst": a directory, not a prefix of a name. */
	g_assert_false(profile_map_governs(map, beside));
	/* What a link points to is what is loaded. */
	g_assert_true(profile_map_governs(map, link));
	g_assert_false(profile_map_governs(map, "/nonexistent/b.so"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define FX(path, fn) g_test_add("/profile-map/" path, Fixture, NULL, setup, fn, teardown)
	FX("a-mapping-is-read-with-its-lines", test_a_mapping_is_read_with_its_lines);
	FX("what-a-mapping-may-not-say", test_what_a_mapping_may_not_say);
	g_test_add_func("/profile-map/option-values-split", test_option_values_split);
	FX("the-order-of-the-choice", test_the_order_of_the_choice);
	FX("governs-only-below-its-directory", test_governs_only_below_its_directory);
	return g_test_run();
}
