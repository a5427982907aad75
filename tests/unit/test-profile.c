/* test-profile.c — the profile language: parsing, errors with file and line,
 * groups, inheritance, and the shipped profiles (executor/profile.c). */
#include "syscalls/profile-constants.h"
#include "profile-fixture.h"
#include "profiles/profile.h"
#include "profiles/syscall-groups.h"
#include "syscalls/syscall-names.h"

#include <seccomp.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/mman.h>

/* Loads text as name.profile and checks the error: its code, and its
 * message, which must be "DIR/" followed by expected. */
static void
load_fails(ProfileFixture *fx, const char *name, const char *text, ProfileErrorCode code, const char *expected)
{
	GError *error = NULL;
	g_autofree char *path = profile_fixture_write(fx, name, text, -1);
	g_autoptr(Profile) profile = profile_load(path, &error);
	g_autofree char *message = g_strdup_printf("%s/%s", fx->dir, expected);
	g_assert_null(profile);
	g_assert_error(error, PROFILE_ERROR, (gint)code);
	g_assert_cmpstr(error->message, ==, message);
	g_error_free(error);
}

static const ProfileRule *
rule(const Profile *profile, const char *syscall)
{
	int nr = seccomp_syscall_resolve_name(syscall);
	g_assert_cmpint(nr, >=, 0);
	return profile_find_rule(profile, nr);
}

static const ProfileCondition *
condition(const ProfileRule *r, guint alternative, guint index)
{
	g_assert_cmpuint(alternative, <, r->alternatives->len);
	const ProfileAlternative *alt = &g_array_index(r->alternatives, ProfileAlternative, alternative);
	g_assert_cmpuint(index, <, alt->n_conditions);
	return &alt->conditions[index];
}

static void
assert_action(const ProfileAction *action, const char *expected)
{
	g_autofree char *described = profile_action_describe(action);
	g_assert_cmpstr(described, ==, expected);
}

/* ---- the shipped profiles ---- */

static void
test_shipped_default_loads_with_its_rules(void)
{
	GError *error = NULL;
	g_autoptr(Profile) profile = profile_load("default", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(profile->name, ==, "default");
	g_assert_true(g_str_has_suffix(profile->path, "sandbox-profiles/default.profile"));
	g_assert_null(profile->parent);
	g_assert_nonnull(profile->description);
	g_assert_cmpint(profile->default_action.kind, ==, PROFILE_ACTION_NOTIFY);
	g_assert_cmpuint(profile->memory_bytes, ==, 64 << 20);
	g_assert_cmpuint(profile->cpu_ms, ==, 10000);
	g_assert_cmpuint(profile->wall_ms, ==, 30000);
	g_assert_cmpuint(profile->max_fds, ==, 16);
	g_assert_cmpuint(profile->max_events, ==, 10000);

	const ProfileRule *r = rule(profile, "exit_group");
	g_assert_cmpstr(r->group, ==, "@expert-runtime");
	g_assert_cmpint(r->action.kind, ==, PROFILE_ACTION_ALLOW);
	r = rule(profile, "mmap");
	g_assert_null(r->group);
	g_assert_cmpint(condition(r, 0, 0)->op, ==, PROFILE_CMP_MASKED_EQ);
	g_assert_cmpuint(condition(r, 0, 0)->mask, ==, PROT_EXEC);
	g_assert_cmpuint(rule(profile, "write")->alternatives->len, ==, 3);
	g_assert_cmpint(rule(profile, "clone3")->action.kind, ==, PROFILE_ACTION_ERRNO);
	assert_action(&rule(profile, "clone3")->action, "errno ENOSYS");
	/* Networking falls to the default action, notify: no rule needed. */
	g_assert_null(profile_find_rule(profile, SYS_socket));
	g_assert_cmpint(profile->default_action.kind, ==, PROFILE_ACTION_NOTIFY);
	const char *const killed[] = { "execve", "execveat", "ptrace", "process_vm_readv", "process_vm_writev",
		"bpf", "io_uring_setup", "io_uring_enter", "io_uring_register", "userfaultfd", "perf_event_open",
		"kexec_load", "kexec_file_load", "keyctl", "add_key", "request_key", "personality", "mount",
		"unshare", "setns" };
	for (gsize i = 0; i < G_N_ELEMENTS(killed); i++)
		g_assert_cmpint(rule(profile, killed[i])->action.kind, ==, PROFILE_ACTION_KILL);
	g_assert_null(rule(profile, "open"));
}

static void
test_shipped_strict_loads_on_its_own(void)
{
	GError *error = NULL;
	g_autoptr(Profile) profile = profile_load("strict", &error);
	g_assert_no_error(error);
	g_assert_null(profile->parent);
	g_assert_cmpstr(profile->description, ==, "frames, memory API, status and events: nothing else");
	assert_action(&rule(profile, "brk")->action, "errno ENOMEM");
	assert_action(&rule(profile, "mmap")->action, "errno ENOMEM");
	g_assert_cmpint(rule(profile, "munmap")->action.kind, ==, PROFILE_ACTION_ALLOW);
	g_assert_cmpint(rule(profile, "ptrace")->action.kind, ==, PROFILE_ACTION_KILL);
	g_assert_null(rule(profile, "write"));
	g_assert_cmpuint(profile->memory_bytes, ==, 64 << 20);
}

static void
test_search_dirs_follow_the_environment(void)
{
	const char *source = g_getenv("EXPERT_EXEC_SOURCE_PROFILES");
	const char *const *before = profile_search_dirs();
	guint n = 0;

	g_setenv("EXPERT_EXEC_PROFILE_PATH", "/first:/second::/first", TRUE);
	const char *const *dirs = profile_search_dirs();
	g_assert_cmpstr(dirs[0], ==, "/first");
	g_assert_cmpstr(dirs[1], ==, "/second");
	if (source != NULL)
		g_assert_cmpstr(dirs[2], ==, source);
	while (dirs[n] != NULL)
		n++;
	g_assert_true(g_str_has_suffix(dirs[n - 1], "expert-exec/sandbox-profiles"));
	g_assert_nonnull(before[0]); /* an earlier list stays valid */
	g_unsetenv("EXPERT_EXEC_PROFILE_PATH");
	if (source != NULL)
		g_assert_cmpstr(profile_search_dirs()[0], ==, source);
}

static void
test_unknown_profile_name_is_not_found_with_hint(void)
{
	GError *error = NULL;
	g_autoptr(Profile) profile = profile_load("stirct", &error);
	g_assert_null(profile);
	g_assert_error(error, PROFILE_ERROR, PROFILE_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(error->message, "(did you mean \"strict\"?)"));
	g_error_free(error);
}

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
	load_fails(fx, "a", "[limits]\n\nmemory = 12Q\n", PROFILE_ERROR_SYNTAX,
	           "a.profile:3: memory = \"12Q\": expected a size from 64K to 1024G (suffixes K, M, G are 1024-based)");
	load_fails(fx, "b", "[limits]\nmemory = 32K\n", PROFILE_ERROR_SYNTAX,
	           "b.profile:2: memory = \"32K\": expected a size from 64K to 1024G (suffixes K, M, G are 1024-based)");
	load_fails(fx, "c", "[limits]\ncpu-time = 0s\n", PROFILE_ERROR_SYNTAX,
	           "c.profile:2: cpu-time = \"0s\": expected a time above 0 and at most 7 days "
	           "(suffixes ms, s, m; plain is seconds)");
	load_fails(fx, "d", "[limits]\ndescriptors = 3\n", PROFILE_ERROR_SYNTAX,
	           "d.profile:2: descriptors = \"3\": expected a count from 4 to 1048576");
	load_fails(fx, "e", "[limits]\nevents = -1\n", PROFILE_ERROR_SYNTAX,
	           "e.profile:2: events = \"-1\": expected a count from 0 to 4294967295");
	load_fails(fx, "f", "[limits]\nwall-time = 99999999999999999999999m\n", PROFILE_ERROR_SYNTAX,
	           "f.profile:2: wall-time = \"99999999999999999999999m\": expected a time above 0 and at most 7 days "
	           "(suffixes ms, s, m; plain is seconds)");
}

/* ---- errors name file, line and a hint ---- */

static void
test_unknown_key_is_an_error_with_hint(ProfileFixture *fx, gconstpointer data)
{
	load_fails(fx, "a", "[profile]\ndescription = x\n\n[limits]\nmemroy = 1M\n", PROFILE_ERROR_UNKNOWN,
	           "a.profile:5: unknown key \"memroy\" in [limits] (did you mean \"memory\"?)");
	load_fails(fx, "b", "[profile]\ninherit = default\n", PROFILE_ERROR_UNKNOWN,
	           "b.profile:2: unknown key \"inherit\" in [profile] (did you mean \"inherits\"?)");
}

static void
test_unknown_group_in_file_is_an_error(ProfileFixture *fx, gconstpointer data)
{
	load_fails(fx, "a", "[profile]\n[syscall]\nread = allow\n", PROFILE_ERROR_UNKNOWN,
	           "a.profile:2: unknown group [syscall] (did you mean [syscalls]?)");
	load_fails(fx, "b", "[network]\n", PROFILE_ERROR_UNKNOWN,
	           "b.profile:1: unknown group [network]; groups are [profile], [limits] and [syscalls]");
}

static void
test_unknown_syscall_suggests_the_closest_name(ProfileFixture *fx, gconstpointer data)
{
	load_fails(fx, "a", "# c\n[syscalls]\nread = allow\n  opn = allow\n", PROFILE_ERROR_UNKNOWN,
	           "a.profile:4: unknown syscall \"opn\" (did you mean \"open\"?)");
	load_fails(fx, "b", "[syscalls]\nbasic-io = allow\n", PROFILE_ERROR_UNKNOWN,
	           "b.profile:2: unknown syscall \"basic-io\" (did you mean \"@basic-io\"? group names start with '@')");
	load_fails(fx, "c", "[syscalls]\n@basicio = allow\n", PROFILE_ERROR_UNKNOWN,
	           "c.profile:2: unknown group \"@basicio\" (did you mean \"@basic-io\"?)");
	load_fails(fx, "d", "[syscalls]\nsocketcall = allow\n", PROFILE_ERROR_UNKNOWN,
	           "d.profile:2: syscall \"socketcall\" does not exist on x86-64");
}

static void
test_unknown_constant_is_an_error_with_hint(ProfileFixture *fx, gconstpointer data)
{
	load_fails(fx, "a", "[syscalls]\nmmap = allow if arg2 & PROT_EXCE == 0\n", PROFILE_ERROR_UNKNOWN,
	           "a.profile:2: mmap: unknown constant \"PROT_EXCE\" (did you mean \"PROT_EXEC\"?)");
}

static void
test_bad_condition_syntax_is_an_error(ProfileFixture *fx, gconstpointer data)
{
	load_fails(fx, "a", "[syscalls]\nwrite = allow if arg0 = 1\n", PROFILE_ERROR_SYNTAX,
	           "a.profile:2: write: unexpected \"=\"");
	load_fails(fx, "b", "[syscalls]\nwrite = allow if arg0 == \n", PROFILE_ERROR_SYNTAX,
	           "b.profile:2: write: expected a number or a constant name at the end of the rule");
	load_fails(fx, "c", "[syscalls]\nwrite = allow arg0 == 1\n", PROFILE_ERROR_SYNTAX,
	           "c.profile:2: write: expected \"if\" or the end of the rule after the action, found \"arg0\"");
	load_fails(fx, "d", "[syscalls]\nwrite = allow if arg0 == 1 arg1 == 2\n", PROFILE_ERROR_SYNTAX,
	           "d.profile:2: write: expected \"&&\", \"||\" or the end of the rule, found \"arg1\"");
	load_fails(fx, "e", "[syscalls]\nmmap = allow if arg2 & PROT_EXEC != 0\n", PROFILE_ERROR_SYNTAX,
	           "e.profile:2: mmap: expected \"==\" after a mask (libseccomp compares masked values for "
	           "equality only), found \"!=\"");
	load_fails(fx, "f", "[syscalls]\nwrite = allow if arg0 > 1 && arg0 < 5\n", PROFILE_ERROR_SYNTAX,
	           "f.profile:2: write: arg0 is tested twice in one alternative; libseccomp allows one "
	           "comparison per argument (use || or a mask)");
	load_fails(fx, "g", "[syscalls]\nmmap = allow if arg2 & PROT_EXEC == 1\n", PROFILE_ERROR_SYNTAX,
	           "g.profile:2: mmap: arg2 & 0x4 can never equal 0x1 (bits outside the mask)");
	load_fails(fx, "h", "[syscalls]\nwrite = allow if arg0 == 010\n", PROFILE_ERROR_SYNTAX,
	           "h.profile:2: write: \"010\": octal is not supported; write decimal or 0x hex");
	load_fails(fx, "i", "[syscalls]\nwrite = allow if arg0 == 0x1ffffffffffffffff\n", PROFILE_ERROR_SYNTAX,
	           "i.profile:2: write: 0x1ffffffffffffffff does not fit in 64 bits");
	load_fails(fx, "j", "[syscalls]\nwrite = allow if\n", PROFILE_ERROR_SYNTAX,
	           "j.profile:2: write: expected a condition such as \"arg0 == 1\" at the end of the rule");
	load_fails(fx, "k", "[syscalls]\nwrite = allow if arg0 == 1 || arg0 == 2 || arg0 == 3 || arg0 == 4 || "
	           "arg0 == 5 || arg0 == 6 || arg0 == 7 || arg0 == 8 || arg0 == 9\n", PROFILE_ERROR_SYNTAX,
	           "k.profile:2: write: more than 8 alternatives joined by ||");
}

static void
test_argument_index_out_of_range_is_an_error(ProfileFixture *fx, gconstpointer data)
{
	load_fails(fx, "a", "[syscalls]\n\nwrite = allow if arg6 == 1\n", PROFILE_ERROR_SYNTAX,
	           "a.profile:3: write: arg6 is out of range: syscall arguments are arg0 to arg5");
	load_fails(fx, "b", "[syscalls]\nwrite = allow if argv == 1\n", PROFILE_ERROR_SYNTAX,
	           "b.profile:2: write: expected argN with N from 0 to 5, found \"argv\"");
}

static void
test_bad_action_is_an_error_with_hint(ProfileFixture *fx, gconstpointer data)
{
	load_fails(fx, "a", "[syscalls]\nread = alow\n", PROFILE_ERROR_UNKNOWN,
	           "a.profile:2: read: unknown action \"alow\" (did you mean \"allow\"?); "
	           "actions are allow, kill, notify, errno NAME, trap, log");
	load_fails(fx, "b", "[profile]\ndefault-action = allow if arg0 == 1\n", PROFILE_ERROR_SYNTAX,
	           "b.profile:2: default-action takes an action without conditions");
	load_fails(fx, "c", "[syscalls]\nread =\n", PROFILE_ERROR_SYNTAX,
	           "c.profile:2: read: expected an action (allow, kill, notify, errno NAME, trap, log) "
	           "at the end of the rule");
}

static void
test_bad_errno_is_an_error(ProfileFixture *fx, gconstpointer data)
{
	load_fails(fx, "a", "[syscalls]\nsocket = errno EACCESS\n", PROFILE_ERROR_UNKNOWN,
	           "a.profile:2: socket: unknown errno name \"EACCESS\" (did you mean \"EACCES\"?)");
	load_fails(fx, "b", "[syscalls]\nsocket = errno\n", PROFILE_ERROR_SYNTAX,
	           "b.profile:2: socket: expected an errno name or number after \"errno\" (e.g. errno EPERM) "
	           "at the end of the rule");
	load_fails(fx, "c", "[syscalls]\nsocket = errno 0\n", PROFILE_ERROR_SYNTAX,
	           "c.profile:2: socket: errno 0 is out of range (1 to 4095)");
}

static void
test_conflicting_groups_name_both_lines(ProfileFixture *fx, gconstpointer data)
{
	load_fails(fx, "a", "[syscalls]\n@expert-runtime = allow\n@signal = kill\n", PROFILE_ERROR_CONFLICT,
	           "a.profile:3: @signal = kill conflicts with @expert-runtime = allow (line 2) for syscall "
	           "rt_sigprocmask; add a rule for rt_sigprocmask itself to decide");
}

static void
test_keyfile_syntax_error_names_the_line(ProfileFixture *fx, gconstpointer data)
{
	load_fails(fx, "a", "[syscalls]\nread = allow\nwrite\n", PROFILE_ERROR_SYNTAX,
	           "a.profile:3: Key file contains line “write” which is not a key-value pair, group, or comment");
	load_fails(fx, "b", "[syscalls]\nread = allow\nread = kill\n", PROFILE_ERROR_SYNTAX,
	           "b.profile:3: \"read\" is set twice in [syscalls] (first at line 2)");
	load_fails(fx, "c", "[syscalls]\n[limits]\n[syscalls]\n", PROFILE_ERROR_SYNTAX,
	           "c.profile:3: [syscalls] appears twice (first at line 1); merge them");
}

/* ---- inheritance ---- */

static void
test_inherits_overrides_limits_rules_and_default_action(ProfileFixture *fx, gconstpointer data)
{
	g_free(profile_fixture_write(fx, "base", "[profile]\ndescription = base\n"
	                     "default-action = kill\n[limits]\nmemory = 1M\ncpu-time = 1s\n"
	                     "[syscalls]\nread = allow\nwrite = allow\n@timer = errno EPERM\n", -1));
	g_autoptr(Profile) p = profile_fixture_load(fx, "child", "[profile]\ninherits = base\ndefault-action = log\n"
	                               "[limits]\ncpu-time = 2s\n[syscalls]\nwrite = kill\nnanosleep = allow\n");
	g_assert_cmpstr(p->name, ==, "child");
	g_assert_cmpstr(p->parent, ==, "base");
	g_assert_cmpstr(p->description, ==, "base");
	g_assert_cmpint(p->default_action.kind, ==, PROFILE_ACTION_LOG);
	g_assert_cmpuint(p->default_action_line, ==, 3);
	g_assert_true(g_str_has_suffix(p->default_action_file, "/child.profile"));
	g_assert_cmpuint(p->memory_bytes, ==, 1 << 20);
	g_assert_cmpuint(p->cpu_ms, ==, 2000);
	g_assert_cmpint(rule(p, "read")->action.kind, ==, PROFILE_ACTION_ALLOW);
	g_assert_true(g_str_has_suffix(rule(p, "read")->file, "/base.profile"));
	g_assert_cmpint(rule(p, "write")->action.kind, ==, PROFILE_ACTION_KILL);
	g_assert_cmpuint(rule(p, "write")->line, ==, 7);
	g_assert_cmpint(rule(p, "nanosleep")->action.kind, ==, PROFILE_ACTION_ALLOW);
	g_assert_null(rule(p, "nanosleep")->group);
	g_assert_cmpstr(rule(p, "alarm")->group, ==, "@timer");
	for (guint i = 1; i < p->rules->len; i++) {
		const ProfileRule *a = p->rules->pdata[i - 1], *b = p->rules->pdata[i];
		g_assert_cmpstr(a->syscall, <, b->syscall);
	}
}

static void
test_inherits_cycle_is_an_error(ProfileFixture *fx, gconstpointer data)
{
	g_free(profile_fixture_write(fx, "b", "[profile]\n\ninherits = a\n", -1));
	load_fails(fx, "a", "[profile]\ninherits = b\n", PROFILE_ERROR_CYCLE,
	           "b.profile:3: inherits \"a\" makes a cycle: a -> b -> a");
	load_fails(fx, "self", "[profile]\ninherits = self\n", PROFILE_ERROR_CYCLE,
	           "self.profile:2: inherits \"self\" makes a cycle: self -> self");
}

static void
test_inherits_missing_parent_is_not_found(ProfileFixture *fx, gconstpointer data)
{
	GError *error = NULL;
	g_autofree char *path = profile_fixture_write(fx, "a", "[profile]\ninherits = nope\n", -1);
	g_autoptr(Profile) p = profile_load(path, &error);
	g_autofree char *prefix = g_strdup_printf("%s:2: inherits: no profile \"nope\" in %s, ", path, fx->dir);
	g_assert_null(p);
	g_assert_error(error, PROFILE_ERROR, PROFILE_ERROR_NOT_FOUND);
	g_assert_true(g_str_has_prefix(error->message, prefix));
	g_error_free(error);
	load_fails(fx, "b", "[profile]\ninherits = ../etc/x\n", PROFILE_ERROR_SYNTAX,
	           "b.profile:2: inherits = \"../etc/x\": expected a profile name (letters, digits, '.', '_', '-'), "
	           "not a path");
}

static void
test_inherits_deeper_than_16_is_an_error(ProfileFixture *fx, gconstpointer data)
{
	GError *error = NULL;
	for (int i = 0; i <= 17; i++) {
		g_autofree char *name = g_strdup_printf("p%d", i);
		g_autofree char *text = i < 17 ? g_strdup_printf("[profile]\ninherits = p%d\n", i + 1) : g_strdup("");
		g_free(profile_fixture_write(fx, name, text, -1));
	}
	g_autofree char *ok = g_strdup_printf("%s/p1.profile", fx->dir);
	g_autoptr(Profile) p = profile_load(ok, &error); /* 16 inherits */
	g_assert_no_error(error);
	g_assert_cmpstr(p->parent, ==, "p2");
	g_autofree char *deep = g_strdup_printf("%s/p0.profile", fx->dir);
	g_autoptr(Profile) q = profile_load(deep, &error); /* 17 */
	g_assert_null(q);
	g_assert_error(error, PROFILE_ERROR, PROFILE_ERROR_CYCLE);
	g_assert_nonnull(strstr(error->message, "p16.profile:2: inheritance deeper than 16 levels"));
	g_error_free(error);
}

/* ---- groups ---- */

static void
test_group_rule_expands_to_every_member(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(Profile) p = profile_fixture_load(fx, "a", "[syscalls]\n@basic-io = allow if arg0 == 3\n");
	const SyscallGroup *group = syscall_group_find("@basic-io");
	guint n = 0;
	for (const char *const *m = group->members; *m != NULL; m++, n++) {
		const ProfileRule *r = rule(p, *m);
		g_assert_nonnull(r);
		g_assert_cmpstr(r->syscall, ==, *m);
		g_assert_cmpstr(r->group, ==, "@basic-io");
		g_assert_cmpstr(r->text, ==, "allow if arg0 == 3");
		g_assert_cmpuint(r->line, ==, 2);
		g_assert_cmpuint(condition(r, 0, 0)->value, ==, 3);
	}
	g_assert_cmpuint(p->rules->len, ==, n);
}

static void
test_direct_rule_overrides_group_rule(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(Profile) p = profile_fixture_load(fx, "a", "[syscalls]\nwrite = kill\n@basic-io = allow\n"
	                               "@expert-runtime = allow\n@signal = kill\nrt_sigprocmask = allow\n"
	                               "rt_sigreturn = allow\ntgkill = allow\n");
	g_assert_cmpint(rule(p, "write")->action.kind, ==, PROFILE_ACTION_KILL);
	g_assert_null(rule(p, "write")->group);
	g_assert_cmpint(rule(p, "read")->action.kind, ==, PROFILE_ACTION_ALLOW);
	g_assert_cmpint(rule(p, "rt_sigaction")->action.kind, ==, PROFILE_ACTION_KILL);
	g_assert_cmpint(rule(p, "tgkill")->action.kind, ==, PROFILE_ACTION_ALLOW);
}

static void
test_groups_agreeing_on_a_syscall_do_not_conflict(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(Profile) p = profile_fixture_load(fx, "a", "[syscalls]\n@expert-runtime = allow\n@process = allow\n");
	g_assert_cmpstr(rule(p, "exit")->group, ==, "@expert-runtime");
	g_assert_cmpstr(rule(p, "fork")->group, ==, "@process");
}

static void
test_every_group_member_resolves(void)
{
	gsize n;
	const SyscallGroup *groups = syscall_groups(&n);
	g_assert_cmpuint(n, >=, 11);
	for (gsize i = 0; i < n; i++) {
		g_assert_true(groups[i].name[0] == '@');
		g_assert_true(syscall_group_find(groups[i].name) == &groups[i]);
		g_assert_nonnull(groups[i].help);
		for (const char *const *m = groups[i].members; *m != NULL; m++) {
			if (**m == '@')
				g_assert_nonnull(syscall_group_find(*m));
			else if (seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, *m) < 0)
				g_error("%s: member %s does not resolve on x86-64", groups[i].name, *m);
		}
	}
	const SyscallGroup *runtime = syscall_group_find("@expert-runtime");
	for (const char *const *m = runtime->members; *m != NULL; m++)
		g_assert_cmpstr(*m, !=, "clock_nanosleep"); /* sleeping is @timer's */
}

static void
test_every_group_expands_without_loops(ProfileFixture *fx, gconstpointer data)
{
	gsize n;
	const SyscallGroup *groups = syscall_groups(&n);
	for (gsize i = 0; i < n; i++) {
		g_autofree char *text = g_strdup_printf("[syscalls]\n%s = allow\n", groups[i].name);
		g_autoptr(Profile) p = profile_fixture_load(fx, "g", text);
		g_assert_cmpuint(p->rules->len, >, 0);
	}
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
	const ProfileRule *r = rule(p, "mmap");
	g_assert_cmpuint(r->alternatives->len, ==, 1);
	g_assert_cmpuint(condition(r, 0, 0)->arg, ==, 2);
	g_assert_cmpint(condition(r, 0, 0)->op, ==, PROFILE_CMP_MASKED_EQ);
	g_assert_cmpuint(condition(r, 0, 0)->mask, ==, PROT_EXEC);
	g_assert_cmpuint(condition(r, 0, 0)->value, ==, 0);
	g_assert_cmpuint(condition(r, 0, 1)->arg, ==, 3);
	g_assert_cmpuint(condition(r, 0, 1)->mask, ==, MAP_SHARED | MAP_ANONYMOUS);
	g_assert_cmpuint(condition(r, 0, 1)->value, ==, MAP_ANONYMOUS);

	r = rule(p, "mprotect");
	g_assert_cmpuint(r->alternatives->len, ==, 3);
	g_assert_cmpint(condition(r, 0, 0)->op, ==, PROFILE_CMP_EQ);
	g_assert_cmpuint(condition(r, 0, 0)->value, ==, PROT_READ | PROT_WRITE);
	g_assert_cmpint(condition(r, 1, 0)->op, ==, PROFILE_CMP_LE);
	g_assert_cmpuint(condition(r, 1, 0)->value, ==, 1);
	g_assert_cmpint(condition(r, 2, 0)->op, ==, PROFILE_CMP_GE);
	g_assert_cmpuint(condition(r, 2, 0)->arg, ==, 1);

	r = rule(p, "openat");
	g_assert_cmpint(r->action.kind, ==, PROFILE_ACTION_ERRNO);
	g_assert_cmpint(r->action.errno_value, ==, 13);
	g_assert_cmpint(condition(r, 0, 0)->op, ==, PROFILE_CMP_NE);
	g_assert_cmphex(condition(r, 0, 0)->value, ==, G_GUINT64_CONSTANT(0xffffffffffffff9c));
	g_assert_cmphex(condition(r, 1, 0)->mask, ==, 3);
	g_assert_cmphex(condition(r, 1, 0)->value, ==, 1);

	r = rule(p, "socket");
	assert_action(&r->action, "errno EACCES");
	g_assert_cmpint(condition(r, 0, 0)->op, ==, PROFILE_CMP_GT);
	g_assert_cmpuint(condition(r, 0, 0)->value, ==, 10);
	g_assert_cmpint(condition(r, 0, 1)->op, ==, PROFILE_CMP_LT);
	g_assert_cmphex(condition(r, 0, 1)->value, ==, G_MAXUINT64);
	g_assert_cmphex(condition(r, 0, 2)->value, ==, G_MAXUINT64);

	r = rule(p, "read");
	g_assert_cmpint(r->action.kind, ==, PROFILE_ACTION_TRAP);
	g_assert_cmpstr(r->text, ==, "trap");
	g_assert_cmpuint(r->alternatives->len, ==, 0);
}

static void
test_find_rule_by_native_number(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(Profile) p = profile_fixture_load(fx, "a", "[syscalls]\nopenat = log\nread = allow\n");
	const ProfileRule *r = profile_find_rule(p, seccomp_syscall_resolve_name("openat"));
	g_assert_nonnull(r);
	g_assert_cmpstr(r->syscall, ==, "openat");
	g_assert_cmpint(r->nr, ==, seccomp_syscall_resolve_name("openat"));
	g_assert_cmpint(r->action.kind, ==, PROFILE_ACTION_LOG);
	g_assert_null(profile_find_rule(p, seccomp_syscall_resolve_name("write")));
	g_assert_null(profile_find_rule(p, -1));
}

/* ---- the file itself is untrusted ---- */

static void
test_file_over_64k_is_refused(ProfileFixture *fx, gconstpointer data)
{
	GString *text = g_string_new("[profile]\n");
	while (text->len < 70 * 1024)
		g_string_append(text, "# padding padding padding padding padding padding padding\n");
	load_fails(fx, "big", text->str, PROFILE_ERROR_SYNTAX,
	           "big.profile: file too large: a profile may be at most 65536 bytes (64 KiB)");
	g_string_free(text, TRUE);
}

static void
test_file_with_nul_byte_is_refused(ProfileFixture *fx, gconstpointer data)
{
	static const char text[] = "[syscalls]\nread = allow\nwrite = al\0low\n";
	GError *error = NULL;
	g_autofree char *path = profile_fixture_write(fx, "nul", text, sizeof text - 1);
	g_autoptr(Profile) p = profile_load(path, &error);
	g_autofree char *expected = g_strdup_printf("%s:3: contains a NUL byte: a profile is text", path);
	g_assert_null(p);
	g_assert_error(error, PROFILE_ERROR, PROFILE_ERROR_SYNTAX);
	g_assert_cmpstr(error->message, ==, expected);
	g_error_free(error);
}

static void
test_file_with_invalid_utf8_or_control_characters_is_refused(ProfileFixture *fx, gconstpointer data)
{
	load_fails(fx, "b", "[syscalls]\nread\x04 = allow\n", PROFILE_ERROR_SYNTAX,
	           "b.profile:2: contains control character 0x04: a profile is text");
	load_fails(fx, "a", "[profile]\ndescription = caf\xe9\n", PROFILE_ERROR_SYNTAX,
	           "a.profile:2: not valid UTF-8");
}

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
	assert_action(&a, "errno 4000");
	g_assert_cmpstr(profile_action_name(PROFILE_ACTION_NOTIFY), ==, "notify");
}

/* ---- what `profile check` and `profile show` read from the parser ---- */

static void
test_errors_carry_file_line_and_text(ProfileFixture *fx, gconstpointer data)
{
	GError *error = NULL;
	g_autofree char *path = profile_fixture_write(fx, "e", "[syscalls]\nopn = allow\n", -1);
	g_autoptr(Profile) profile = profile_load(path, &error);
	g_assert_null(profile);
	g_assert_cmpstr(profile_error_file(error), ==, path);
	g_assert_cmpuint(profile_error_line(error), ==, 2);
	g_assert_cmpstr(profile_error_text(error), ==, "unknown syscall \"opn\" (did you mean \"open\"?)");
	g_clear_error(&error);
	/* A name not found is about no file. */
	g_assert_null(profile_load("no-such-profile-anywhere", &error));
	g_assert_null(profile_error_file(error));
	g_assert_cmpuint(profile_error_line(error), ==, 0);
	g_assert_cmpstr(profile_error_text(error), ==, error->message);
	g_clear_error(&error);
}

static void
test_all_errors_of_a_file_are_collected(ProfileFixture *fx, gconstpointer data)
{
	static const char text[] =
		"[profile]\ncolour = blue\n"          /* 2 */
		"[limits]\nmemory = 64Q\n"            /* 4 */
		"[syscalls]\nopn = allow\n"           /* 6 */
		"read = alow\n"                       /* 7 */
		"@sync = allow\nfutex = kill if arg9 == 0\n"  /* 9: no conflict reported for futex */
		"[extra]\nkey = value\n";             /* 10, and its key is not reported again */
	g_autofree char *path = profile_fixture_write(fx, "many", text, -1);
	g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func((GDestroyNotify)g_error_free);
	g_autoptr(Profile) profile = profile_load_all_errors(path, errors);
	static const guint lines[] = { 2, 4, 6, 7, 9, 10 };
	GError *first = NULL;

	g_assert_null(profile);
	g_assert_cmpuint(errors->len, ==, G_N_ELEMENTS(lines));
	for (guint i = 0; i < errors->len; i++) {
		g_assert_true(g_error_matches(errors->pdata[i], PROFILE_ERROR, ((GError *)errors->pdata[i])->code));
		g_assert_cmpuint(profile_error_line(errors->pdata[i]), ==, lines[i]);
	}
	/* profile_load() still stops at the first. */
	g_assert_null(profile_load(path, &first));
	g_assert_cmpstr(first->message, ==, ((GError *)errors->pdata[0])->message);
	g_error_free(first);
}

static void
test_load_all_errors_of_a_good_profile_returns_it(ProfileFixture *fx, gconstpointer data)
{
	g_autofree char *path = profile_fixture_write(fx, "good", "[syscalls]\nread = allow\n", -1);
	g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func((GDestroyNotify)g_error_free);
	g_autoptr(Profile) profile = profile_load_all_errors(path, errors);
	g_assert_nonnull(profile);
	g_assert_cmpuint(errors->len, ==, 0);
}

static void
test_history_is_kept_for_check_and_show(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(Profile) parent = profile_fixture_load(fx, "base", "[profile]\ndescription = base\n[syscalls]\n@sync = allow\n");
	g_autoptr(Profile) child = profile_fixture_load(fx, "leaf", "[profile]\ninherits = base\n[syscalls]\nfutex = kill\n"
	                                   "read = allow\n");
	g_assert_cmpuint(child->files->len, ==, 2);
	g_assert_true(g_str_has_suffix(child->files->pdata[0], "/leaf.profile"));
	g_assert_true(g_str_has_suffix(child->files->pdata[1], "/base.profile"));
	g_assert_cmpstr(child->description, ==, "base");
	g_assert_true(g_str_has_suffix(child->description_file, "/base.profile"));
	g_assert_cmpuint(child->description_line, ==, 2);
	/* As written: the parent's group unexpanded, then the child's in line order. */
	g_assert_cmpuint(child->written->len, ==, 3);
	const ProfileRule *w0 = child->written->pdata[0], *w2 = child->written->pdata[2];
	g_assert_cmpstr(w0->syscall, ==, "@sync");
	g_assert_cmpstr(w0->group, ==, "@sync");
	g_assert_cmpint(w0->nr, ==, -1);
	g_assert_cmpstr(w2->syscall, ==, "read");
	g_assert_cmpuint(w2->line, ==, 5);
}

static void
assert_described(ProfileFixture *fx, const char *syscall, const char *written, const char *expected)
{
	g_autofree char *text = g_strdup_printf("[syscalls]\n%s = %s\n", syscall, written);
	g_autoptr(Profile) profile = profile_fixture_load(fx, "d", text);
	g_autofree char *described = profile_rule_describe(rule(profile, syscall));
	g_assert_cmpstr(described, ==, expected);
	/* And it reads back as the same rule. */
	g_autofree char *again_text = g_strdup_printf("[syscalls]\n%s = %s\n", syscall, described);
	g_autoptr(Profile) again = profile_fixture_load(fx, "d", again_text);
	g_autofree char *again_described = profile_rule_describe(rule(again, syscall));
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
	g_test_add_func("/profile/shipped/default-loads-with-its-rules", test_shipped_default_loads_with_its_rules);
	g_test_add_func("/profile/shipped/strict-loads-on-its-own", test_shipped_strict_loads_on_its_own);
	g_test_add_func("/profile/search/dirs-follow-the-environment", test_search_dirs_follow_the_environment);
	g_test_add_func("/profile/search/unknown-name-is-not-found-with-hint",
	                test_unknown_profile_name_is_not_found_with_hint);
	FX("limits/parse-with-suffixes", test_limits_parse_with_suffixes);
	FX("limits/default-when-unset", test_limits_default_when_unset);
	FX("errors/bad-limit-values", test_bad_limit_values_are_errors);
	FX("errors/unknown-key-with-hint", test_unknown_key_is_an_error_with_hint);
	FX("errors/unknown-group-in-file", test_unknown_group_in_file_is_an_error);
	FX("errors/unknown-syscall-suggests-closest-name", test_unknown_syscall_suggests_the_closest_name);
	FX("errors/unknown-constant-with-hint", test_unknown_constant_is_an_error_with_hint);
	FX("errors/bad-condition-syntax", test_bad_condition_syntax_is_an_error);
	FX("errors/argument-index-out-of-range", test_argument_index_out_of_range_is_an_error);
	FX("errors/bad-action-with-hint", test_bad_action_is_an_error_with_hint);
	FX("errors/bad-errno", test_bad_errno_is_an_error);
	FX("errors/conflicting-groups-name-both-lines", test_conflicting_groups_name_both_lines);
	FX("errors/keyfile-syntax-names-the-line", test_keyfile_syntax_error_names_the_line);
	FX("inherits/overrides-limits-rules-default-action", test_inherits_overrides_limits_rules_and_default_action);
	FX("inherits/cycle-is-an-error", test_inherits_cycle_is_an_error);
	FX("inherits/missing-parent-is-not-found", test_inherits_missing_parent_is_not_found);
	FX("inherits/deeper-than-16-is-an-error", test_inherits_deeper_than_16_is_an_error);
	FX("groups/rule-expands-to-every-member", test_group_rule_expands_to_every_member);
	FX("groups/direct-rule-overrides-group-rule", test_direct_rule_overrides_group_rule);
	FX("groups/agreeing-groups-do-not-conflict", test_groups_agreeing_on_a_syscall_do_not_conflict);
	g_test_add_func("/profile/groups/every-member-resolves", test_every_group_member_resolves);
	FX("groups/every-group-expands-without-loops", test_every_group_expands_without_loops);
	FX("conditions/parse-into-values", test_conditions_parse_into_values);
	FX("find-rule/by-native-number", test_find_rule_by_native_number);
	FX("file/over-64k-is-refused", test_file_over_64k_is_refused);
	FX("file/nul-byte-is-refused", test_file_with_nul_byte_is_refused);
	FX("file/invalid-utf8-or-control-characters-is-refused", test_file_with_invalid_utf8_or_control_characters_is_refused);
	g_test_add_func("/profile/names/constants-errnos-and-hints", test_names_and_errnos_tables);
	FX("errors/carry-file-line-and-text", test_errors_carry_file_line_and_text);
	FX("errors/all-of-a-file-are-collected", test_all_errors_of_a_file_are_collected);
	FX("errors/collecting-a-good-profile-returns-it", test_load_all_errors_of_a_good_profile_returns_it);
	FX("history/kept-for-check-and-show", test_history_is_kept_for_check_and_show);
	FX("describe/rules-in-profile-syntax", test_rules_are_described_in_profile_syntax);
	FX("describe/limits-in-their-largest-unit", test_limits_are_described_in_their_largest_unit);
	return g_test_run();
}
