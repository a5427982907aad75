/* test-profile-rule.c — the rule language and [limits] of profiles, text to
 * model and back (executor/profiles/profile-rule.c, profile-limits.c): limits
 * with their units, conditions and the values they compare, errors in a rule
 * with file, line and a hint, and rules and limits written back in profile
 * syntax. Loading, groups and inheritance are test-profile.c's. */
#include "profile-fixture.h"
#include "profiles/profile.h"
#include "syscalls/profile-constants.h"
#include "syscalls/syscall-names.h"

#include <string.h>
#include <sys/mman.h>

/* ---- limits ---- */

static void
test_limits_parse_with_suffixes(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(Profile) p = profile_fixture_load(fx, "a", "[limits]\nmemory = 2G\ncpu-time = 500ms\n"
	                               "wall-time = 2m\ndescriptors = 4\nevents = 0\n");
	g_assert_cmpuint(p->memory_bytes, ==, G_GUINT64_CONSTANT(2) << 30);
	g_assert_cmpuint(p->cpu_ms, ==, 500);
	g_assert_cmpuint(p->wall_ms, ==, 120000);
	g_assert_cmpuint(p->max_fds, ==, 4);
	g_assert_cmpuint(p->max_events, ==, 0);
	g_autoptr(Profile) q = profile_fixture_load(fx, "b", "[limits]\nmemory = 512K\ncpu-time = 7\nwall-time = 3s\n");
	g_assert_cmpuint(q->memory_bytes, ==, 512 << 10);
	g_assert_cmpuint(q->cpu_ms, ==, 7000);
	g_assert_cmpuint(q->wall_ms, ==, 3000);
	g_autoptr(Profile) r = profile_fixture_load(fx, "c", "[limits]\nmemory = 65536\n");
	g_assert_cmpuint(r->memory_bytes, ==, 65536);
}

static void
test_limits_default_when_unset(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(Profile) p = profile_fixture_load(fx, "empty", "# nothing\n");
	g_assert_cmpstr(p->name, ==, "empty");
	g_assert_cmpint(p->default_action.kind, ==, PROFILE_ACTION_NOTIFY);
	g_assert_null(p->default_action_file);
	g_assert_cmpuint(p->memory_bytes, ==, 64 << 20);
	g_assert_cmpuint(p->cpu_ms, ==, 10000);
	g_assert_cmpuint(p->wall_ms, ==, 30000);
	g_assert_cmpuint(p->max_fds, ==, 16);
	g_assert_cmpuint(p->max_events, ==, 10000);
	g_assert_cmpuint(p->rules->len, ==, 0);
}

static void
test_bad_limit_values_are_errors(ProfileFixture *fx, gconstpointer data)
{
	profile_fixture_load_fails(fx, "a", "[limits]\n\nmemory = 12Q\n", PROFILE_ERROR_SYNTAX,
	           "a.profile:3: memory = \"12Q\": expected a size from 64K to 1024G (suffixes K, M, G are 1024-based)");
	profile_fixture_load_fails(fx, "b", "[limits]\nmemory = 32K\n", PROFILE_ERROR_SYNTAX,
	           "b.profile:2: memory = \"32K\": expected a size from 64K to 1024G (suffixes K, M, G are 1024-based)");
	profile_fixture_load_fails(fx, "c", "[limits]\ncpu-time = 0s\n", PROFILE_ERROR_SYNTAX,
	           "c.profile:2: cpu-time = \"0s\": expected a time above 0 and at most 7 days "
	           "(suffixes ms, s, m; plain is seconds)");
	profile_fixture_load_fails(fx, "d", "[limits]\ndescriptors = 3\n", PROFILE_ERROR_SYNTAX,
	           "d.profile:2: descriptors = \"3\": expected a count from 4 to 1048576");
	profile_fixture_load_fails(fx, "e", "[limits]\nevents = -1\n", PROFILE_ERROR_SYNTAX,
	           "e.profile:2: events = \"-1\": expected a count from 0 to 4294967295");
	profile_fixture_load_fails(fx, "f", "[limits]\nwall-time = 99999999999999999999999m\n", PROFILE_ERROR_SYNTAX,
	           "f.profile:2: wall-time = \"99999999999999999999999m\": expected a time above 0 and at most 7 days "
	           "(suffixes ms, s, m; plain is seconds)");
}

/* ---- errors name file, line and a hint ---- */

static void
test_unknown_syscall_suggests_the_closest_name(ProfileFixture *fx, gconstpointer data)
{
	profile_fixture_load_fails(fx, "a", "# c\n[syscalls]\nread = allow\n  opn = allow\n", PROFILE_ERROR_UNKNOWN,
	           "a.profile:4: unknown syscall \"opn\" (did you mean \"open\"?)");
	profile_fixture_load_fails(fx, "b", "[syscalls]\nbasic-io = allow\n", PROFILE_ERROR_UNKNOWN,
	           "b.profile:2: unknown syscall \"basic-io\" (did you mean \"@basic-io\"? group names start with '@')");
	profile_fixture_load_fails(fx, "c", "[syscalls]\n@basicio = allow\n", PROFILE_ERROR_UNKNOWN,
	           "c.profile:2: unknown group \"@basicio\" (did you mean \"@basic-io\"?)");
	profile_fixture_load_fails(fx, "d", "[syscalls]\nsocketcall = allow\n", PROFILE_ERROR_UNKNOWN,
	           "d.profile:2: syscall \"socketcall\" does not exist on x86-64");
}

static void
test_unknown_constant_is_an_error_with_hint(ProfileFixture *fx, gconstpointer data)
{
	profile_fixture_load_fails(fx, "a", "[syscalls]\nmmap = allow if arg2 & PROT_EXCE == 0\n", PROFILE_ERROR_UNKNOWN,
	           "a.profile:2: mmap: unknown constant \"PROT_EXCE\" (did you mean \"PROT_EXEC\"?)");
}

static void
test_bad_condition_syntax_is_an_error(ProfileFixture *fx, gconstpointer data)
{
	profile_fixture_load_fails(fx, "a", "[syscalls]\nwrite = allow if arg0 = 1\n", PROFILE_ERROR_SYNTAX,
	           "a.profile:2: write: unexpected \"=\"");
	profile_fixture_load_fails(fx, "b", "[syscalls]\nwrite = allow if arg0 == \n", PROFILE_ERROR_SYNTAX,
	           "b.profile:2: write: expected a number or a constant name at the end of the rule");
	profile_fixture_load_fails(fx, "c", "[syscalls]\nwrite = allow arg0 == 1\n", PROFILE_ERROR_SYNTAX,
	           "c.profile:2: write: expected \"if\" or the end of the rule after the action, found \"arg0\"");
	profile_fixture_load_fails(fx, "d", "[syscalls]\nwrite = allow if arg0 == 1 arg1 == 2\n", PROFILE_ERROR_SYNTAX,
	           "d.profile:2: write: expected \"&&\", \"||\" or the end of the rule, found \"arg1\"");
	profile_fixture_load_fails(fx, "e", "[syscalls]\nmmap = allow if arg2 & PROT_EXEC != 0\n", PROFILE_ERROR_SYNTAX,
	           "e.profile:2: mmap: expected \"==\" after a mask (libseccomp compares masked values for "
	           "equality only), found \"!=\"");
	profile_fixture_load_fails(fx, "f", "[syscalls]\nwrite = allow if arg0 > 1 && arg0 < 5\n", PROFILE_ERROR_SYNTAX,
	           "f.profile:2: write: arg0 is tested twice in one alternative; libseccomp allows one "
	           "comparison per argument (use || or a mask)");
	profile_fixture_load_fails(fx, "g", "[syscalls]\nmmap = allow if arg2 & PROT_EXEC == 1\n", PROFILE_ERROR_SYNTAX,
	           "g.profile:2: mmap: arg2 & 0x4 can never equal 0x1 (bits outside the mask)");
	profile_fixture_load_fails(fx, "h", "[syscalls]\nwrite = allow if arg0 == 010\n", PROFILE_ERROR_SYNTAX,
	           "h.profile:2: write: \"010\": octal is not supported; write decimal or 0x hex");
	profile_fixture_load_fails(fx, "i", "[syscalls]\nwrite = allow if arg0 == 0x1ffffffffffffffff\n", PROFILE_ERROR_SYNTAX,
	           "i.profile:2: write: 0x1ffffffffffffffff does not fit in 64 bits");
	profile_fixture_load_fails(fx, "j", "[syscalls]\nwrite = allow if\n", PROFILE_ERROR_SYNTAX,
	           "j.profile:2: write: expected a condition such as \"arg0 == 1\" at the end of the rule");
	profile_fixture_load_fails(fx, "k", "[syscalls]\nwrite = allow if arg0 == 1 || arg0 == 2 || arg0 == 3 || arg0 == 4 || "
	           "arg0 == 5 || arg0 == 6 || arg0 == 7 || arg0 == 8 || arg0 == 9\n", PROFILE_ERROR_SYNTAX,
	           "k.profile:2: write: more than 8 alternatives joined by ||");
}

static void
test_argument_index_out_of_range_is_an_error(ProfileFixture *fx, gconstpointer data)
{
	profile_fixture_load_fails(fx, "a", "[syscalls]\n\nwrite = allow if arg6 == 1\n", PROFILE_ERROR_SYNTAX,
	           "a.profile:3: write: arg6 is out of range: syscall arguments are arg0 to arg5");
	profile_fixture_load_fails(fx, "b", "[syscalls]\nwrite = allow if argv == 1\n", PROFILE_ERROR_SYNTAX,
	           "b.profile:2: write: expected argN with N from 0 to 5, found \"argv\"");
}

static void
test_bad_action_is_an_error_with_hint(ProfileFixture *fx, gconstpointer data)
{
	profile_fixture_load_fails(fx, "a", "[syscalls]\nread = alow\n", PROFILE_ERROR_UNKNOWN,
	           "a.profile:2: read: unknown action \"alow\" (did you mean \"allow\"?); "
	           "actions are allow, kill, notify, errno NAME, trap, log");
	profile_fixture_load_fails(fx, "b", "[profile]\ndefault-action = allow if arg0 == 1\n", PROFILE_ERROR_SYNTAX,
	           "b.profile:2: default-action takes an action without conditions");
	profile_fixture_load_fails(fx, "c", "[syscalls]\nread =\n", PROFILE_ERROR_SYNTAX,
	           "c.profile:2: read: expected an action (allow, kill, notify, errno NAME, trap, log) "
	           "at the end of the rule");
}

static void
test_bad_errno_is_an_error(ProfileFixture *fx, gconstpointer data)
{
	profile_fixture_load_fails(fx, "a", "[syscalls]\nsocket = errno EACCESS\n", PROFILE_ERROR_UNKNOWN,
	           "a.profile:2: socket: unknown errno name \"EACCESS\" (did you mean \"EACCES\"?)");
	profile_fixture_load_fails(fx, "b", "[syscalls]\nsocket = errno\n", PROFILE_ERROR_SYNTAX,
	           "b.profile:2: socket: expected an errno name or number after \"errno\" (e.g. errno EPERM) "
	           "at the end of the rule");
	profile_fixture_load_fails(fx, "c", "[syscalls]\nsocket = errno 0\n", PROFILE_ERROR_SYNTAX,
	           "c.profile:2: socket: errno 0 is out of range (1 to 4095)");
}

/* ---- conditions ---- */

static void
test_conditions_parse_into_values(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(Profile) p = profile_fixture_load(fx, "a", "[syscalls]\n"
		"mmap = allow if arg2&PROT_EXEC==0 && arg3 & MAP_SHARED|MAP_ANONYMOUS == MAP_ANONYMOUS\n"
		"mprotect = allow if arg2 == PROT_READ|PROT_WRITE || arg2 <= 0x1 || arg1 >= 4096\n"
		"openat = errno EACCES if arg0 != AT_FDCWD || arg2 & O_ACCMODE == O_WRONLY\n"
		"socket = errno 13 if arg0 > AF_INET6 && arg1 < -1 && arg2 == 18446744073709551615\n"
		"read = trap  # a comment\n");
	const ProfileRule *r = profile_fixture_rule(p, "mmap");
	g_assert_cmpuint(r->alternatives->len, ==, 1);
	g_assert_cmpuint(profile_fixture_condition(r, 0, 0)->arg, ==, 2);
	g_assert_cmpint(profile_fixture_condition(r, 0, 0)->op, ==, PROFILE_CMP_MASKED_EQ);
	g_assert_cmpuint(profile_fixture_condition(r, 0, 0)->mask, ==, PROT_EXEC);
	g_assert_cmpuint(profile_fixture_condition(r, 0, 0)->value, ==, 0);
	g_assert_cmpuint(profile_fixture_condition(r, 0, 1)->arg, ==, 3);
	g_assert_cmpuint(profile_fixture_condition(r, 0, 1)->mask, ==, MAP_SHARED | MAP_ANONYMOUS);
	g_assert_cmpuint(profile_fixture_condition(r, 0, 1)->value, ==, MAP_ANONYMOUS);

	r = profile_fixture_rule(p, "mprotect");
	g_assert_cmpuint(r->alternatives->len, ==, 3);
	g_assert_cmpint(profile_fixture_condition(r, 0, 0)->op, ==, PROFILE_CMP_EQ);
	g_assert_cmpuint(profile_fixture_condition(r, 0, 0)->value, ==, PROT_READ | PROT_WRITE);
	g_assert_cmpint(profile_fixture_condition(r, 1, 0)->op, ==, PROFILE_CMP_LE);
	g_assert_cmpuint(profile_fixture_condition(r, 1, 0)->value, ==, 1);
	g_assert_cmpint(profile_fixture_condition(r, 2, 0)->op, ==, PROFILE_CMP_GE);
	g_assert_cmpuint(profile_fixture_condition(r, 2, 0)->arg, ==, 1);

	r = profile_fixture_rule(p, "openat");
	g_assert_cmpint(r->action.kind, ==, PROFILE_ACTION_ERRNO);
	g_assert_cmpint(r->action.errno_value, ==, 13);
	g_assert_cmpint(profile_fixture_condition(r, 0, 0)->op, ==, PROFILE_CMP_NE);
	g_assert_cmphex(profile_fixture_condition(r, 0, 0)->value, ==, G_GUINT64_CONSTANT(0xffffffffffffff9c));
	g_assert_cmphex(profile_fixture_condition(r, 1, 0)->mask, ==, 3);
	g_assert_cmphex(profile_fixture_condition(r, 1, 0)->value, ==, 1);

	r = profile_fixture_rule(p, "socket");
	profile_fixture_assert_action(&r->action, "errno EACCES");
	g_assert_cmpint(profile_fixture_condition(r, 0, 0)->op, ==, PROFILE_CMP_GT);
	g_assert_cmpuint(profile_fixture_condition(r, 0, 0)->value, ==, 10);
	g_assert_cmpint(profile_fixture_condition(r, 0, 1)->op, ==, PROFILE_CMP_LT);
	g_assert_cmphex(profile_fixture_condition(r, 0, 1)->value, ==, G_MAXUINT64);
	g_assert_cmphex(profile_fixture_condition(r, 0, 2)->value, ==, G_MAXUINT64);

	r = profile_fixture_rule(p, "read");
	g_assert_cmpint(r->action.kind, ==, PROFILE_ACTION_TRAP);
	g_assert_cmpstr(r->text, ==, "trap");
	g_assert_cmpuint(r->alternatives->len, ==, 0);
}

/* ---- names and hints ---- */

static void
test_names_and_errnos_tables(void)
{
	guint64 v;
	int e;
	g_assert_true(profile_constant_lookup("AT_FDCWD", &v));
	g_assert_cmphex(v, ==, (guint64)(gint64)-100);
	g_assert_false(profile_constant_lookup("NOPE", &v));
	g_assert_true(profile_errno_lookup("EWOULDBLOCK", &e));
	g_assert_cmpstr(profile_errno_name(e), ==, "EAGAIN");
	g_assert_cmpstr(profile_closest("opn", syscall_names()), ==, "open");
	g_assert_null(profile_closest("completely-different", syscall_names()));
	ProfileAction a = { PROFILE_ACTION_ERRNO, 4000 };
	profile_fixture_assert_action(&a, "errno 4000");
	g_assert_cmpstr(profile_action_name(PROFILE_ACTION_NOTIFY), ==, "notify");
}

/* ---- back to profile syntax, for `profile show` ---- */

static void
assert_described(ProfileFixture *fx, const char *syscall, const char *written, const char *expected)
{
	g_autofree char *text = g_strdup_printf("[syscalls]\n%s = %s\n", syscall, written);
	g_autoptr(Profile) profile = profile_fixture_load(fx, "d", text);
	g_autofree char *described = profile_rule_describe(profile_fixture_rule(profile, syscall));
	g_assert_cmpstr(described, ==, expected);
	/* And it reads back as the same rule. */
	g_autofree char *again_text = g_strdup_printf("[syscalls]\n%s = %s\n", syscall, described);
	g_autoptr(Profile) again = profile_fixture_load(fx, "d", again_text);
	g_autofree char *again_described = profile_rule_describe(profile_fixture_rule(again, syscall));
	g_assert_cmpstr(again_described, ==, expected);
}

static void
test_rules_are_described_in_profile_syntax(ProfileFixture *fx, gconstpointer data)
{
	assert_described(fx, "mmap", "allow if arg2 & 4 == 0", "allow if arg2 & PROT_EXEC == 0");
	assert_described(fx, "mmap", "allow if arg2 == 3", "allow if arg2 == PROT_READ|PROT_WRITE");
	assert_described(fx, "mprotect", "kill if arg2 == 0", "kill if arg2 == PROT_NONE");
	assert_described(fx, "openat", "allow if arg0 == -100 && arg2 & O_ACCMODE == 0",
	                 "allow if arg0 == AT_FDCWD && arg2 & O_ACCMODE == O_RDONLY");
	assert_described(fx, "socket", "errno EACCES if arg0 == 2 || arg1 == SOCK_STREAM | SOCK_CLOEXEC",
	                 "errno EACCES if arg0 == AF_INET || arg1 == SOCK_STREAM|SOCK_CLOEXEC");
	assert_described(fx, "madvise", "allow if arg2 != MADV_REMOVE", "allow if arg2 != MADV_REMOVE");
	/* No family for write's arg0: 1 stays 1, not PROT_READ or O_WRONLY. */
	assert_described(fx, "write", "allow if arg0 == 1 || arg0 == 3", "allow if arg0 == 1 || arg0 == 3");
	assert_described(fx, "lseek", "errno 200 if arg1 > 0x100000 && arg2 <= -1",
	                 "errno 200 if arg1 > 0x100000 && arg2 <= -1");
	assert_described(fx, "close", "notify", "notify");
}

static void
test_limits_are_described_in_their_largest_unit(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(Profile) profile = profile_fixture_load(fx, "l", "[limits]\nmemory = 2048K\ncpu-time = 1500ms\n"
	                                     "wall-time = 120s\nevents = 7\n");
	g_autofree char *memory = profile_limit_describe(profile, "memory");
	g_autofree char *cpu = profile_limit_describe(profile, "cpu-time");
	g_autofree char *wall = profile_limit_describe(profile, "wall-time");
	g_autofree char *events = profile_limit_describe(profile, "events");
	const char *const *keys = profile_limit_keys();
	g_assert_cmpstr(memory, ==, "2M");
	g_assert_cmpstr(cpu, ==, "1500ms");
	g_assert_cmpstr(wall, ==, "2m");
	g_assert_cmpstr(events, ==, "7");
	g_assert_null(profile_limit_describe(profile, "colour"));
	g_assert_cmpstr(keys[0], ==, "memory");
	for (const char *const *key = keys; *key != NULL; key++) {
		g_autofree char *value = profile_limit_describe(profile, *key);
		g_assert_nonnull(value);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define FX(path, fn) g_test_add("/profile/" path, ProfileFixture, NULL, profile_fixture_setup, fn, profile_fixture_teardown)
	FX("limits/parse-with-suffixes", test_limits_parse_with_suffixes);
	FX("limits/default-when-unset", test_limits_default_when_unset);
	FX("errors/bad-limit-values", test_bad_limit_values_are_errors);
	FX("errors/unknown-syscall-suggests-closest-name", test_unknown_syscall_suggests_the_closest_name);
	FX("errors/unknown-constant-with-hint", test_unknown_constant_is_an_error_with_hint);
	FX("errors/bad-condition-syntax", test_bad_condition_syntax_is_an_error);
	FX("errors/argument-index-out-of-range", test_argument_index_out_of_range_is_an_error);
	FX("errors/bad-action-with-hint", test_bad_action_is_an_error_with_hint);
	FX("errors/bad-errno", test_bad_errno_is_an_error);
	FX("conditions/parse-into-values", test_conditions_parse_into_values);
	g_test_add_func("/profile/names/constants-errnos-and-hints", test_names_and_errnos_tables);
	FX("describe/rules-in-profile-syntax", test_rules_are_described_in_profile_syntax);
	FX("describe/limits-in-their-largest-unit", test_limits_are_described_in_their_largest_unit);
	return g_test_run();
}

