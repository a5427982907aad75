/* test-profile-lint.c — the checks behind `expert-exec profile check`
 * (executor/profiles/profile-lint.c), and the [profile] acknowledge key they read. */
#include "profiles/profile-lint.h"
#include "profile-fixture.h"
#include "profiles/profile.h"

#include <seccomp.h>
#include <string.h>

/* Lints text (as name.profile) and returns the findings. */
static GPtrArray *
lint_text(ProfileFixture *fx, const char *name, const char *text)
{
	g_autoptr(Profile) profile = profile_fixture_load(fx, name, text);
	return profile_lint(profile);
}

static guint
count_kind(GPtrArray *findings, ProfileLintKind kind)
{
	guint n = 0;
	for (guint i = 0; i < findings->len; i++)
		n += ((ProfileFinding *)findings->pdata[i])->kind == kind;
	return n;
}

/* The only finding of kind (asserting there is exactly one). */
static const ProfileFinding *
only(GPtrArray *findings, ProfileLintKind kind)
{
	const ProfileFinding *found = NULL;
	g_assert_cmpuint(count_kind(findings, kind), ==, 1);
	for (guint i = 0; i < findings->len; i++)
		if (((ProfileFinding *)findings->pdata[i])->kind == kind)
			found = findings->pdata[i];
	return found;
}

static gboolean
has_subject(GPtrArray *findings, ProfileLintKind kind, const char *subject)
{
	for (guint i = 0; i < findings->len; i++) {
		const ProfileFinding *f = findings->pdata[i];
		if (f->kind == kind && g_strcmp0(f->subject, subject) == 0)
			return TRUE;
	}
	return FALSE;
}

static guint
count_severity(GPtrArray *findings, ProfileFindingSeverity severity)
{
	guint n = 0;
	for (guint i = 0; i < findings->len; i++)
		n += ((ProfileFinding *)findings->pdata[i])->severity == severity;
	return n;
}

#define HEADER "[profile]\ndescription = a test\n"

/* ---- tables ---- */

static void
test_checks_table_is_in_kind_order(void)
{
	gsize n;
	const ProfileLintCheck *checks = profile_lint_checks(&n);
	g_assert_cmpuint(n, ==, PROFILE_LINT_NEEDLESS_ACKNOWLEDGE + 1);
	for (gsize i = 0; i < n; i++) {
		g_assert_cmpint(checks[i].kind, ==, (int)i);
		g_assert_nonnull(checks[i].name);
		g_assert_nonnull(checks[i].help);
	}
	g_assert_cmpint(checks[PROFILE_LINT_DANGEROUS_ALLOW].severity, ==, PROFILE_FINDING_ERROR);
	g_assert_cmpint(checks[PROFILE_LINT_REDUNDANT_RULE].severity, ==, PROFILE_FINDING_WARNING);
}

static void
test_every_dangerous_syscall_exists_on_x86_64(void)
{
	static const char *const required[] = {
		"execve", "execveat", "ptrace", "process_vm_readv", "process_vm_writev", "mount", "umount2",
		"pivot_root", "chroot", "bpf", "kexec_load", "kexec_file_load", "init_module", "finit_module",
		"delete_module", "io_uring_setup", "io_uring_enter", "io_uring_register", "userfaultfd",
		"perf_event_open", "keyctl", "add_key", "request_key", "personality", "setns", "unshare",
		"seccomp", "clone3", "fork", "vfork", "clone",
		/* the file system by path (issue 11) */
		"open", "openat", "openat2", "creat", "unlink", "unlinkat", "rename", "renameat",
		"renameat2", "mkdir", "mkdirat", "link", "linkat", "symlink", "symlinkat", "chmod",
		"fchmodat", "chown", "lchown", "fchownat", "truncate", "newfstatat", "open_by_handle_at",
		NULL,
	};
	/* Dangerous whatever the condition: no condition can see what they do. */
	static const char *const any_allow[] = {
		"openat2", "open_by_handle_at", "clone3", "execve", "ptrace", NULL,
	};
	gsize n;
	const ProfileDanger *dangers = profile_dangers(&n);
	for (gsize i = 0; i < n; i++) {
		g_assert_cmpint(seccomp_syscall_resolve_name(dangers[i].name), >=, 0);
		g_assert_nonnull(dangers[i].instead);
		/* What to write instead is a rule for the syscall itself. */
		g_assert_true(g_str_has_prefix(dangers[i].instead, dangers[i].name));
		g_assert_cmpint(dangers[i].instead[strlen(dangers[i].name)], ==, ' ');
	}
	for (const char *const *r = required; *r != NULL; r++)
		g_assert_nonnull(profile_danger_find(*r));
	for (const char *const *r = any_allow; *r != NULL; r++)
		g_assert_false(profile_danger_find(*r)->condition_limits);
	g_assert_true(profile_danger_find("clone")->condition_limits);
	g_assert_true(profile_danger_find("openat")->condition_limits);
	g_assert_null(profile_danger_find("read"));
	g_assert_null(profile_danger_find("fstat"));
}

/* ---- the shipped profiles ---- */

static void
test_shipped_profiles_have_no_errors(void)
{
	static const char *const names[] = { "default", "strict", NULL };
	for (const char *const *name = names; *name != NULL; name++) {
		GError *error = NULL;
		g_autoptr(Profile) profile = profile_load(*name, &error);
		g_assert_no_error(error);
		g_autoptr(GPtrArray) findings = profile_lint(profile);
		g_assert_cmpuint(count_severity(findings, PROFILE_FINDING_ERROR), ==, 0);
	}
}

/* ---- dangerous allows ---- */

static void
test_dangerous_allow_without_acknowledge_is_an_error(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(GPtrArray) findings = lint_text(fx, "p", HEADER "[syscalls]\nread = allow\nexecve = allow\n");
	const ProfileFinding *f = only(findings, PROFILE_LINT_DANGEROUS_ALLOW);
	g_assert_cmpint(f->severity, ==, PROFILE_FINDING_ERROR);
	g_assert_cmpuint(f->line, ==, 5);
	g_assert_true(g_str_has_suffix(f->file, "/p.profile"));
	g_assert_cmpstr(f->subject, ==, "execve");
	g_assert_nonnull(strstr(f->message, "execve = allow lets execve through"));
	g_assert_nonnull(strstr(f->hint, "acknowledge = execve"));
}

static void
test_acknowledge_clears_the_error(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(GPtrArray) findings = lint_text(fx, "p", HEADER "acknowledge = execve;ptrace;\n"
	                                          "[syscalls]\nexecve = allow\nptrace = allow if arg0 == 1\n");
	g_assert_cmpuint(count_kind(findings, PROFILE_LINT_DANGEROUS_ALLOW), ==, 0);
	g_assert_cmpuint(count_kind(findings, PROFILE_LINT_UNUSED_ACKNOWLEDGE), ==, 0);
	g_assert_cmpuint(count_severity(findings, PROFILE_FINDING_ERROR), ==, 0);
}

static void
test_log_lets_through_like_allow(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(GPtrArray) findings = lint_text(fx, "p", HEADER "[syscalls]\nptrace = log\n");
	g_assert_cmpstr(only(findings, PROFILE_LINT_DANGEROUS_ALLOW)->subject, ==, "ptrace");
	g_assert_cmpuint(only(findings, PROFILE_LINT_LOG_ACTION)->line, ==, 4);
}

static void
test_denying_actions_are_not_dangerous(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(GPtrArray) findings = lint_text(fx, "p", HEADER "[syscalls]\nexecve = kill\nptrace = errno EPERM\n"
	                                          "bpf = notify\nfork = trap\n");
	g_assert_cmpuint(count_kind(findings, PROFILE_LINT_DANGEROUS_ALLOW), ==, 0);
	g_assert_cmpuint(count_kind(findings, PROFILE_LINT_DANGEROUS_DEFAULT), ==, 0);
}

static void
test_group_allow_reports_each_dangerous_member(ProfileFixture *fx, gconstpointer data)
{
	/* @debug: ptrace, process_vm_readv, process_vm_writev, perf_event_open
	 * are dangerous; kcmp is not. */
	g_autoptr(GPtrArray) findings = lint_text(fx, "p", HEADER "[syscalls]\n@debug = allow\n");
	g_assert_cmpuint(count_kind(findings, PROFILE_LINT_DANGEROUS_ALLOW), ==, 4);
	g_assert_true(has_subject(findings, PROFILE_LINT_DANGEROUS_ALLOW, "process_vm_writev"));
	g_assert_false(has_subject(findings, PROFILE_LINT_DANGEROUS_ALLOW, "kcmp"));
	for (guint i = 0; i < findings->len; i++) {
		const ProfileFinding *f = findings->pdata[i];
		if (f->kind == PROFILE_LINT_DANGEROUS_ALLOW) {
			g_assert_cmpuint(f->line, ==, 4);
			g_assert_true(g_str_has_prefix(f->message, "@debug = allow lets "));
		}
	}
}

static void
test_clone_is_dangerous_only_without_a_condition(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(GPtrArray) with = lint_text(fx, "a", HEADER "[syscalls]\n"
	                                      "clone = allow if arg0 & CLONE_THREAD == CLONE_THREAD\n");
	g_autoptr(GPtrArray) without = lint_text(fx, "b", HEADER "[syscalls]\nclone = allow\n");
	g_assert_cmpuint(count_kind(with, PROFILE_LINT_DANGEROUS_ALLOW), ==, 0);
	g_assert_cmpstr(only(without, PROFILE_LINT_DANGEROUS_ALLOW)->subject, ==, "clone");
	g_assert_nonnull(strstr(only(without, PROFILE_LINT_DANGEROUS_ALLOW)->hint, "CLONE_THREAD"));
}

/* A call that reaches files by path, allowed without a condition, reaches
 * every file the child's uid can: an error until acknowledged. With a
 * condition on its flags it is the author's decision. */
static void
test_path_calls_are_dangerous_without_a_condition(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(GPtrArray) with = lint_text(fx, "a", HEADER "[syscalls]\n"
	                                      "openat = allow if arg2 & O_ACCMODE|O_CREAT|O_TRUNC == O_RDONLY\n");
	g_autoptr(GPtrArray) without = lint_text(fx, "b", HEADER "[syscalls]\nopenat = allow\n"
	                                         "unlink = allow\n");
	g_autoptr(GPtrArray) acked = lint_text(fx, "c", HEADER "acknowledge = openat\n[syscalls]\n"
	                                       "openat = allow\n");
	g_assert_cmpuint(count_kind(with, PROFILE_LINT_DANGEROUS_ALLOW), ==, 0);
	g_assert_cmpuint(count_kind(without, PROFILE_LINT_DANGEROUS_ALLOW), ==, 2);
	const ProfileFinding *f = without->pdata[0];
	g_assert_cmpint(f->kind, ==, PROFILE_LINT_DANGEROUS_ALLOW);
	g_assert_cmpstr(f->subject, ==, "openat");
	g_assert_cmpuint(f->line, ==, 4);
	g_assert_nonnull(strstr(f->message, "opens the host's files by path"));
	g_assert_nonnull(strstr(f->hint, "arg2 & O_ACCMODE"));
	g_assert_nonnull(strstr(f->hint, "acknowledge = openat"));
	g_assert_cmpuint(count_kind(acked, PROFILE_LINT_DANGEROUS_ALLOW), ==, 0);
}

static void
test_default_allow_lists_what_no_rule_denies(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(GPtrArray) findings = lint_text(fx, "p", HEADER "default-action = allow\n[syscalls]\n"
	                                          "@privileged = kill\n@debug = kill\nexecve = kill\n"
	                                          "execveat = kill\nclone3 = kill\nfork = kill\nvfork = kill\n"
	                                          "clone = kill\n@file-system = errno EACCES\n"
	                                          "open_by_handle_at = kill\nptrace = kill if arg0 == 1\n");
	const ProfileFinding *f = only(findings, PROFILE_LINT_DANGEROUS_DEFAULT);
	g_assert_cmpint(f->severity, ==, PROFILE_FINDING_ERROR);
	g_assert_cmpuint(f->line, ==, 3);
	/* Calls of ptrace other than arg0 == 1 fall to the default: allowed. */
	g_assert_true(g_str_has_suffix(f->message, "lets through 1 dangerous syscalls no rule denies: ptrace"));
	g_assert_cmpuint(count_kind(findings, PROFILE_LINT_DANGEROUS_ALLOW), ==, 0);
}

static void
test_default_allow_acknowledged_is_not_an_error(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(GPtrArray) findings = lint_text(fx, "p", HEADER "default-action = allow\nacknowledge = ptrace\n"
	                                          "[syscalls]\n@privileged = kill\n@debug = kill\n"
	                                          "execve = kill\nexecveat = kill\nclone3 = kill\nfork = kill\n"
	                                          "vfork = kill\nclone = kill\nptrace = kill if arg0 == 1\n"
	                                          "@file-system = errno EACCES\nopen_by_handle_at = kill\n");
	g_assert_cmpuint(count_severity(findings, PROFILE_FINDING_ERROR), ==, 0);
}

static void
test_acknowledgements_are_inherited(ProfileFixture *fx, gconstpointer data)
{
	g_autofree char *parent = profile_fixture_write(fx, "parent", HEADER "acknowledge = execve\n"
	                                                "[syscalls]\nexecve = allow\n", -1);
	g_autoptr(GPtrArray) findings = lint_text(fx, "child", HEADER "inherits = parent\n");
	g_assert_cmpuint(count_severity(findings, PROFILE_FINDING_ERROR), ==, 0);
}

static void
test_unused_and_needless_acknowledgements_are_warnings(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(GPtrArray) findings = lint_text(fx, "p", HEADER "acknowledge = fork;read\n"
	                                          "[syscalls]\nfork = kill\n");
	const ProfileFinding *unused = only(findings, PROFILE_LINT_UNUSED_ACKNOWLEDGE);
	const ProfileFinding *needless = only(findings, PROFILE_LINT_NEEDLESS_ACKNOWLEDGE);
	g_assert_cmpstr(unused->subject, ==, "fork");
	g_assert_cmpuint(unused->line, ==, 3);
	g_assert_cmpint(unused->severity, ==, PROFILE_FINDING_WARNING);
	g_assert_cmpstr(needless->subject, ==, "read");
	g_assert_cmpint(needless->severity, ==, PROFILE_FINDING_WARNING);
}

/* ---- the acknowledge key, as the parser reads it ---- */

static void
assert_load_fails(ProfileFixture *fx, const char *text, ProfileErrorCode code, const char *expected_text)
{
	GError *error = NULL;
	g_autofree char *path = profile_fixture_write(fx, "ack", text, -1);
	g_autoptr(Profile) profile = profile_load(path, &error);
	g_assert_null(profile);
	g_assert_error(error, PROFILE_ERROR, (gint)code);
	g_assert_cmpstr(profile_error_text(error), ==, expected_text);
	g_assert_cmpuint(profile_error_line(error), ==, 3);
	g_error_free(error);
}

static void
test_acknowledge_names_must_be_syscalls(ProfileFixture *fx, gconstpointer data)
{
	assert_load_fails(fx, HEADER "acknowledge = execve;ptrce\n", PROFILE_ERROR_UNKNOWN,
	                  "unknown syscall \"ptrce\" (did you mean \"ptrace\"?)");
	assert_load_fails(fx, HEADER "acknowledge = @debug\n", PROFILE_ERROR_SYNTAX,
	                  "acknowledge: \"@debug\" is a group; acknowledge its dangerous syscalls one by one");
	assert_load_fails(fx, HEADER "acknowledge = execve;;ptrace\n", PROFILE_ERROR_SYNTAX,
	                  "acknowledge: an empty name between two ';'");
	assert_load_fails(fx, HEADER "acknowledge = execve; execve\n", PROFILE_ERROR_SYNTAX,
	                  "acknowledge: execve is named twice");
	assert_load_fails(fx, HEADER "acknowledge =\n", PROFILE_ERROR_SYNTAX,
	                  "acknowledge: expected syscall names separated by ';' (acknowledge = execve;ptrace)");
}

static void
test_acknowledge_is_kept_with_file_and_line(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(Profile) profile = profile_fixture_load(fx, "p", HEADER "acknowledge = execve ; ptrace;  # both, really\n");
	g_assert_cmpuint(profile->acknowledged->len, ==, 2);
	const ProfileAcknowledgement *ack = profile->acknowledged->pdata[1];
	g_assert_cmpstr(ack->syscall, ==, "ptrace");
	g_assert_cmpint(ack->nr, ==, seccomp_syscall_resolve_name("ptrace"));
	g_assert_cmpuint(ack->line, ==, 3);
	g_assert_true(g_str_has_suffix(ack->file, "/p.profile"));
}

/* ---- rules that change nothing ---- */

static void
test_rule_equal_to_the_default_is_redundant(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(GPtrArray) plain = lint_text(fx, "a", HEADER "[syscalls]\nsocket = notify\n");
	g_autoptr(GPtrArray) errnos = lint_text(fx, "b", HEADER "default-action = errno EPERM\n[syscalls]\n"
	                                        "socket = errno EPERM if arg0 == AF_INET\nbind = errno EACCES\n");
	const ProfileFinding *f = only(plain, PROFILE_LINT_REDUNDANT_RULE);
	g_assert_cmpuint(f->line, ==, 4);
	g_assert_cmpstr(f->subject, ==, "socket");
	g_assert_cmpstr(f->message, ==, "socket = notify does what the built-in default-action notify does already");
	f = only(errnos, PROFILE_LINT_REDUNDANT_RULE);
	g_assert_cmpstr(f->subject, ==, "socket");
	g_assert_cmpstr(f->message, ==, "socket = errno EPERM if arg0 == AF_INET does what "
	                "default-action = errno EPERM (line 3) does already");
}

static void
test_rule_restoring_the_default_over_a_parent_is_not_redundant(ProfileFixture *fx, gconstpointer data)
{
	g_autofree char *parent = profile_fixture_write(fx, "parent", HEADER "[syscalls]\nsocket = allow\n", -1);
	g_autoptr(GPtrArray) findings = lint_text(fx, "child", HEADER "inherits = parent\n"
	                                          "[syscalls]\nsocket = notify\n");
	g_assert_cmpuint(count_kind(findings, PROFILE_LINT_REDUNDANT_RULE), ==, 0);
}

static void
test_rule_restoring_the_default_over_a_group_is_not_redundant(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(GPtrArray) findings = lint_text(fx, "p", HEADER "[syscalls]\n@timer = allow\nalarm = notify\n");
	g_assert_cmpuint(count_kind(findings, PROFILE_LINT_REDUNDANT_RULE), ==, 0);
}

static void
test_group_rule_fully_overridden_is_a_warning(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(GPtrArray) full = lint_text(fx, "a", HEADER "[syscalls]\n@sync = allow\nfutex = kill\n"
	                                      "set_robust_list = kill\nget_robust_list = kill\nsched_yield = kill\n");
	g_autoptr(GPtrArray) partly = lint_text(fx, "b", HEADER "[syscalls]\n@sync = allow\nfutex = kill\n");
	const ProfileFinding *f = only(full, PROFILE_LINT_OVERRIDDEN_GROUP);
	g_assert_cmpuint(f->line, ==, 4);
	g_assert_cmpstr(f->subject, ==, "@sync");
	g_assert_true(g_str_has_prefix(f->message, "@sync = allow decides none of its 4 syscalls"));
	g_assert_cmpuint(count_kind(partly, PROFILE_LINT_OVERRIDDEN_GROUP), ==, 0);
}

/* ---- actions that do less than they seem ---- */

static void
test_trap_and_log_are_warnings(ProfileFixture *fx, gconstpointer data)
{
	g_autoptr(GPtrArray) rules = lint_text(fx, "a", HEADER "[syscalls]\nsocket = trap\nbind = log\n");
	g_autoptr(GPtrArray) by_default = lint_text(fx, "b", HEADER "default-action = trap\n");
	g_assert_cmpuint(only(rules, PROFILE_LINT_TRAP_ACTION)->line, ==, 4);
	g_assert_cmpuint(only(rules, PROFILE_LINT_LOG_ACTION)->line, ==, 5);
	g_assert_cmpint(only(rules, PROFILE_LINT_TRAP_ACTION)->severity, ==, PROFILE_FINDING_WARNING);
	g_assert_nonnull(strstr(only(rules, PROFILE_LINT_TRAP_ACTION)->message, "SIGSYS"));
	g_assert_cmpuint(only(by_default, PROFILE_LINT_TRAP_ACTION)->line, ==, 3);
}

/* ---- description ---- */

static void
test_missing_or_inherited_description_is_a_warning(ProfileFixture *fx, gconstpointer data)
{
	g_autofree char *parent = profile_fixture_write(fx, "parent", HEADER, -1);
	g_autoptr(GPtrArray) none = lint_text(fx, "a", "[limits]\nmemory = 1M\n");
	g_autoptr(GPtrArray) inherited = lint_text(fx, "b", "[profile]\ninherits = parent\n");
	g_autoptr(GPtrArray) own = lint_text(fx, "c", HEADER);
	const ProfileFinding *f = only(none, PROFILE_LINT_NO_DESCRIPTION);
	g_assert_cmpuint(f->line, ==, 0);
	g_assert_true(g_str_has_suffix(f->file, "/a.profile"));
	g_assert_nonnull(strstr(only(inherited, PROFILE_LINT_NO_DESCRIPTION)->message, "(\"a test\")"));
	g_assert_cmpuint(count_kind(own, PROFILE_LINT_NO_DESCRIPTION), ==, 0);
	g_assert_cmpuint(own->len, ==, 0);
}

/* ---- order, and profiles built by hand ---- */

static void
test_findings_come_file_first_then_parents_by_line(ProfileFixture *fx, gconstpointer data)
{
	g_autofree char *parent = profile_fixture_write(fx, "parent", HEADER "[syscalls]\nsocket = notify\nbind = trap\n", -1);
	g_autoptr(GPtrArray) findings = lint_text(fx, "child", HEADER "inherits = parent\n[syscalls]\n"
	                                          "listen = trap\naccept = log\n");
	g_assert_cmpuint(findings->len, ==, 4);
	const ProfileFinding *f0 = findings->pdata[0], *f1 = findings->pdata[1];
	const ProfileFinding *f2 = findings->pdata[2], *f3 = findings->pdata[3];
	g_assert_true(g_str_has_suffix(f0->file, "/child.profile"));
	g_assert_cmpuint(f0->line, ==, 5);
	g_assert_cmpuint(f1->line, ==, 6);
	g_assert_true(g_str_has_suffix(f2->file, "/parent.profile"));
	g_assert_cmpuint(f2->line, ==, 4);
	g_assert_cmpuint(f3->line, ==, 5);
}

static void
test_profile_built_by_hand_gets_the_checks_it_can(void)
{
	g_autoptr(Profile) profile = g_new0(Profile, 1);
	profile->rules = g_ptr_array_new_with_free_func((GDestroyNotify)profile_rule_free);
	profile->default_action.kind = PROFILE_ACTION_NOTIFY;
	ProfileRule *rule = g_new0(ProfileRule, 1);
	*rule = (ProfileRule){
		.syscall = g_strdup("execve"), .nr = seccomp_syscall_resolve_name("execve"),
		.action = { PROFILE_ACTION_ALLOW, 0 },
		.alternatives = g_array_new(FALSE, TRUE, sizeof(ProfileAlternative)),
		.text = g_strdup("allow"), .file = g_strdup("by-hand"), .line = 1,
	};
	g_ptr_array_add(profile->rules, rule);
	g_autoptr(GPtrArray) findings = profile_lint(profile);
	g_assert_cmpuint(findings->len, ==, 1);
	g_assert_cmpint(((ProfileFinding *)findings->pdata[0])->kind, ==, PROFILE_LINT_DANGEROUS_ALLOW);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define FX(path, fn) g_test_add("/profile-lint/" path, ProfileFixture, NULL, profile_fixture_setup, fn, profile_fixture_teardown)
	g_test_add_func("/profile-lint/tables/checks-in-kind-order", test_checks_table_is_in_kind_order);
	g_test_add_func("/profile-lint/tables/every-dangerous-syscall-exists",
	                test_every_dangerous_syscall_exists_on_x86_64);
	g_test_add_func("/profile-lint/shipped/no-errors", test_shipped_profiles_have_no_errors);
	FX("dangerous/allow-without-acknowledge-is-an-error", test_dangerous_allow_without_acknowledge_is_an_error);
	FX("dangerous/acknowledge-clears-the-error", test_acknowledge_clears_the_error);
	FX("dangerous/log-lets-through-like-allow", test_log_lets_through_like_allow);
	FX("dangerous/denying-actions-are-not-dangerous", test_denying_actions_are_not_dangerous);
	FX("dangerous/path-calls-only-without-a-condition", test_path_calls_are_dangerous_without_a_condition);
	FX("dangerous/group-allow-reports-each-dangerous-member", test_group_allow_reports_each_dangerous_member);
	FX("dangerous/clone-only-without-a-condition", test_clone_is_dangerous_only_without_a_condition);
	FX("dangerous/default-allow-lists-what-no-rule-denies", test_default_allow_lists_what_no_rule_denies);
	FX("dangerous/default-allow-acknowledged-is-not-an-error", test_default_allow_acknowledged_is_not_an_error);
	FX("acknowledge/inherited", test_acknowledgements_are_inherited);
	FX("acknowledge/unused-and-needless-are-warnings", test_unused_and_needless_acknowledgements_are_warnings);
	FX("acknowledge/names-must-be-syscalls", test_acknowledge_names_must_be_syscalls);
	FX("acknowledge/kept-with-file-and-line", test_acknowledge_is_kept_with_file_and_line);
	FX("redundant/rule-equal-to-the-default", test_rule_equal_to_the_default_is_redundant);
	FX("redundant/restoring-the-default-over-a-parent-is-not",
	   test_rule_restoring_the_default_over_a_parent_is_not_redundant);
	FX("redundant/restoring-the-default-over-a-group-is-not",
	   test_rule_restoring_the_default_over_a_group_is_not_redundant);
	FX("groups/fully-overridden-is-a-warning", test_group_rule_fully_overridden_is_a_warning);
	FX("actions/trap-and-log-are-warnings", test_trap_and_log_are_warnings);
	FX("description/missing-or-inherited-is-a-warning", test_missing_or_inherited_description_is_a_warning);
	FX("order/file-first-then-parents-by-line", test_findings_come_file_first_then_parents_by_line);
	g_test_add_func("/profile-lint/by-hand/gets-the-checks-it-can", test_profile_built_by_hand_gets_the_checks_it_can);
	return g_test_run();
}
