/* test-profile.c — loading profiles (executor/profiles/: profile.c,
 * profile-layer.c, profile-source.c, profile-search.c, profile-error.c):
 * the shipped profiles, the search by name, a file's keys and groups, groups
 * of syscalls, inheritance, the file as untrusted text, errors with file and
 * line, and the history `profile check` and `profile show` read. The rule
 * language and limits are test-profile-rule.c's. */
#include "profile-fixture.h"
#include "profiles/profile.h"
#include "profiles/syscall-groups.h"

#include <seccomp.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
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

	const ProfileRule *r = profile_fixture_rule(profile, "exit_group");
	g_assert_cmpstr(r->group, ==, "@expert-runtime");
	g_assert_cmpint(r->action.kind, ==, PROFILE_ACTION_ALLOW);
	r = profile_fixture_rule(profile, "mmap");
	g_assert_null(r->group);
	g_assert_cmpint(profile_fixture_condition(r, 0, 0)->op, ==, PROFILE_CMP_MASKED_EQ);
	g_assert_cmpuint(profile_fixture_condition(r, 0, 0)->mask, ==, PROT_EXEC);
	g_assert_cmpuint(profile_fixture_rule(profile, "write")->alternatives->len, ==, 3);
	g_assert_cmpint(profile_fixture_rule(profile, "clone3")->action.kind, ==, PROFILE_ACTION_ERRNO);
	profile_fixture_assert_action(&profile_fixture_rule(profile, "clone3")->action, "errno ENOSYS");
	/* Networking falls to the default action, notify: no rule needed. */
	g_assert_null(profile_find_rule(profile, SYS_socket));
	g_assert_cmpint(profile->default_action.kind, ==, PROFILE_ACTION_NOTIFY);
	const char *const killed[] = { "execve", "execveat", "ptrace", "process_vm_readv", "process_vm_writev",
		"bpf", "io_uring_setup", "io_uring_enter", "io_uring_register", "userfaultfd", "perf_event_open",
		"kexec_load", "kexec_file_load", "keyctl", "add_key", "request_key", "personality", "mount",
		"unshare", "setns" };
	for (gsize i = 0; i < G_N_ELEMENTS(killed); i++)
		g_assert_cmpint(profile_fixture_rule(profile, killed[i])->action.kind, ==, PROFILE_ACTION_KILL);
	g_assert_null(profile_fixture_rule(profile, "open"));
}

static void
test_shipped_strict_loads_on_its_own(void)
{
	GError *error = NULL;
	g_autoptr(Profile) profile = profile_load("strict", &error);
	g_assert_no_error(error);
	g_assert_null(profile->parent);
	g_assert_cmpstr(profile->description, ==, "frames, memory API, status and events: nothing else");
	profile_fixture_assert_action(&profile_fixture_rule(profile, "brk")->action, "errno ENOMEM");
	profile_fixture_assert_action(&profile_fixture_rule(profile, "mmap")->action, "errno ENOMEM");
	g_assert_cmpint(profile_fixture_rule(profile, "munmap")->action.kind, ==, PROFILE_ACTION_ALLOW);
	g_assert_cmpint(profile_fixture_rule(profile, "ptrace")->action.kind, ==, PROFILE_ACTION_KILL);
	g_assert_null(profile_fixture_rule(profile, "write"));
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

/* ---- errors name file, line and a hint ---- */

static void
test_unknown_key_is_an_error_with_hint(ProfileFixture *fx, gconstpointer data)
{
	profile_fixture_load_fails(fx, "a", "[profile]\ndescription = x\n\n[limits]\nmemroy = 1M\n", PROFILE_ERROR_UNKNOWN,
	           "a.profile:5: unknown key \"memroy\" in [limits] (did you mean \"memory\"?)");
	profile_fixture_load_fails(fx, "b", "[profile]\ninherit = default\n", PROFILE_ERROR_UNKNOWN,
	           "b.profile:2: unknown key \"inherit\" in [profile] (did you mean \"inherits\"?)");
}

static void
test_unknown_group_in_file_is_an_error(ProfileFixture *fx, gconstpointer data)
{
	profile_fixture_load_fails(fx, "a", "[profile]\n[syscall]\nread = allow\n", PROFILE_ERROR_UNKNOWN,
	           "a.profile:2: unknown group [syscall] (did you mean [syscalls]?)");
	profile_fixture_load_fails(fx, "b", "[network]\n", PROFILE_ERROR_UNKNOWN,
	           "b.profile:1: unknown group [network]; groups are [profile], [limits] and [syscalls]");
}

static void
test_conflicting_groups_name_both_lines(ProfileFixture *fx, gconstpointer data)
{
	profile_fixture_load_fails(fx, "a", "[syscalls]\n@expert-runtime = allow\n@signal = kill\n", PROFILE_ERROR_CONFLICT,
	           "a.profile:3: @signal = kill conflicts with @expert-runtime = allow (line 2) for syscall "
	           "rt_sigprocmask; add a rule for rt_sigprocmask itself to decide");
}

static void
test_keyfile_syntax_error_names_the_line(ProfileFixture *fx, gconstpointer data)
{
	profile_fixture_load_fails(fx, "a", "[syscalls]\nread = allow\nwrite\n", PROFILE_ERROR_SYNTAX,
	           "a.profile:3: Key file contains line “write” which is not a key-value pair, group, or comment");
	profile_fixture_load_fails(fx, "b", "[syscalls]\nread = allow\nread = kill\n", PROFILE_ERROR_SYNTAX,
	           "b.profile:3: \"read\" is set twice in [syscalls] (first at line 2)");
	profile_fixture_load_fails(fx, "c", "[syscalls]\n[limits]\n[syscalls]\n", PROFILE_ERROR_SYNTAX,
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
	g_assert_cmpint(profile_fixture_rule(p, "read")->action.kind, ==, PROFILE_ACTION_ALLOW);
	g_assert_true(g_str_has_suffix(profile_fixture_rule(p, "read")->file, "/base.profile"));
	g_assert_cmpint(profile_fixture_rule(p, "write")->action.kind, ==, PROFILE_ACTION_KILL);
	g_assert_cmpuint(profile_fixture_rule(p, "write")->line, ==, 7);
	g_assert_cmpint(profile_fixture_rule(p, "nanosleep")->action.kind, ==, PROFILE_ACTION_ALLOW);
	g_assert_null(profile_fixture_rule(p, "nanosleep")->group);
	g_assert_cmpstr(profile_fixture_rule(p, "alarm")->group, ==, "@timer");
	for (guint i = 1; i < p->rules->len; i++) {
		const ProfileRule *a = p->rules->pdata[i - 1], *b = p->rules->pdata[i];
		g_assert_cmpstr(a->syscall, <, b->syscall);
	}
}

static void
test_inherits_cycle_is_an_error(ProfileFixture *fx, gconstpointer data)
{
	g_free(profile_fixture_write(fx, "b", "[profile]\n\ninherits = a\n", -1));
	profile_fixture_load_fails(fx, "a", "[profile]\ninherits = b\n", PROFILE_ERROR_CYCLE,
	           "b.profile:3: inherits \"a\" makes a cycle: a -> b -> a");
	profile_fixture_load_fails(fx, "self", "[profile]\ninherits = self\n", PROFILE_ERROR_CYCLE,
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
	profile_fixture_load_fails(fx, "b", "[profile]\ninherits = ../etc/x\n", PROFILE_ERROR_SYNTAX,
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
		const ProfileRule *r = profile_fixture_rule(p, *m);
		g_assert_nonnull(r);
		g_assert_cmpstr(r->syscall, ==, *m);
		g_assert_cmpstr(r->group, ==, "@basic-io");
		g_assert_cmpstr(r->text, ==, "allow if arg0 == 3");
		g_assert_cmpuint(r->line, ==, 2);
		g_assert_cmpuint(profile_fixture_condition(r, 0, 0)->value, ==, 3);
	}
	g_assert_cmpuint(p->rules->len, ==, n);
}

static void
test_direct_rule_overrides_group_rule(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(Profile) p = profile_fixture_load(fx, "a", "[syscalls]\nwrite = kill\n@basic-io = allow\n"
	                               "@expert-runtime = allow\n@signal = kill\nrt_sigprocmask = allow\n"
	                               "rt_sigreturn = allow\ntgkill = allow\n");
	g_assert_cmpint(profile_fixture_rule(p, "write")->action.kind, ==, PROFILE_ACTION_KILL);
	g_assert_null(profile_fixture_rule(p, "write")->group);
	g_assert_cmpint(profile_fixture_rule(p, "read")->action.kind, ==, PROFILE_ACTION_ALLOW);
	g_assert_cmpint(profile_fixture_rule(p, "rt_sigaction")->action.kind, ==, PROFILE_ACTION_KILL);
	g_assert_cmpint(profile_fixture_rule(p, "tgkill")->action.kind, ==, PROFILE_ACTION_ALLOW);
}

static void
test_groups_agreeing_on_a_syscall_do_not_conflict(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(Profile) p = profile_fixture_load(fx, "a", "[syscalls]\n@expert-runtime = allow\n@process = allow\n");
	g_assert_cmpstr(profile_fixture_rule(p, "exit")->group, ==, "@expert-runtime");
	g_assert_cmpstr(profile_fixture_rule(p, "fork")->group, ==, "@process");
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

/* ---- the resolved model ---- */

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
	profile_fixture_load_fails(fx, "big", text->str, PROFILE_ERROR_SYNTAX,
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
	profile_fixture_load_fails(fx, "b", "[syscalls]\nread\x04 = allow\n", PROFILE_ERROR_SYNTAX,
	           "b.profile:2: contains control character 0x04: a profile is text");
	profile_fixture_load_fails(fx, "a", "[profile]\ndescription = caf\xe9\n", PROFILE_ERROR_SYNTAX,
	           "a.profile:2: not valid UTF-8");
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
	FX("errors/unknown-key-with-hint", test_unknown_key_is_an_error_with_hint);
	FX("errors/unknown-group-in-file", test_unknown_group_in_file_is_an_error);
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
	FX("find-rule/by-native-number", test_find_rule_by_native_number);
	FX("file/over-64k-is-refused", test_file_over_64k_is_refused);
	FX("file/nul-byte-is-refused", test_file_with_nul_byte_is_refused);
	FX("file/invalid-utf8-or-control-characters-is-refused", test_file_with_invalid_utf8_or_control_characters_is_refused);
	FX("errors/carry-file-line-and-text", test_errors_carry_file_line_and_text);
	FX("errors/all-of-a-file-are-collected", test_all_errors_of_a_file_are_collected);
	FX("errors/collecting-a-good-profile-returns-it", test_load_all_errors_of_a_good_profile_returns_it);
	FX("history/kept-for-check-and-show", test_history_is_kept_for_check_and_show);
	return g_test_run();
}

