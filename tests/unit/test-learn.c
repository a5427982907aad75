/* test-learn.c — the pure half of `profile learn` (executor/learn/: the log
 * learn-log.c, the writer learn-writer.c, the checks learn-check.c):
 * from recorded calls to profile text, the check of that text, and which
 * base profiles learning accepts. The running half is tested end to end by
 * tests/integration/test-learn.sh. */
#include "learn/learn-check.h"
#include "learn/learn-log.h"
#include "learn/learn-writer.h"
#include "temp-dir.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>

typedef struct {
	char *dir;      /* fresh, for the learned profile's check and custom bases */
	Profile *strict, *learn;
	LearnLog *log;
	LearnHeader header;
} Fixture;

static void fixture_setup(Fixture *fx, gconstpointer data)
{
	GError *error = NULL;
	(void)data;
	fx->dir = temp_dir_new("test-learn-XXXXXX");
	fx->strict = profile_load("strict", &error);
	g_assert_no_error(error);
	fx->learn = profile_load("learn", &error);
	g_assert_no_error(error);
	fx->log = learn_log_new();
	fx->header = (LearnHeader){
		.command_line = "expert-exec profile learn --capture c.pcap -o out.profile a.so",
		.date = "2024-01-02T03:04:05Z",
		.capture = "c.pcap",
		.base = fx->learn,
	};
}

static void fixture_teardown(Fixture *fx, gconstpointer data)
{
	(void)data;
	temp_dir_remove(fx->dir);
	g_free(fx->dir);
	profile_free(fx->strict);
	profile_free(fx->learn);
	learn_log_free(fx->log);
}

static void call(Fixture *fx, const char *expert, const char *syscall, guint64 a0, guint64 a1,
                 guint64 a2)
{
	int nr = seccomp_syscall_resolve_name(syscall);
	g_assert_cmpint(nr, >=, 0);
	const guint64 args[6] = { a0, a1, a2, 0, 0, 0 };
	learn_log_add_call(fx->log, expert, nr, args, NULL);
}

/* A call as the report showed it, strings read from the child. */
static void call_text(Fixture *fx, const char *expert, const char *syscall, guint64 a0, guint64 a1,
                      guint64 a2, guint64 a3, const char *text)
{
	int nr = seccomp_syscall_resolve_name(syscall);
	g_assert_cmpint(nr, >=, 0);
	const guint64 args[6] = { a0, a1, a2, a3, 0, 0 };
	learn_log_add_call(fx->log, expert, nr, args, text);
}

static void refused(Fixture *fx, const char *syscall, int errno_value)
{
	learn_log_set_refused(fx->log, seccomp_syscall_resolve_name(syscall), errno_value);
}

static void ran(Fixture *fx, const char *expert)
{
	const LearnUsage usage = { .peak_pool_bytes = 20480, .max_rss_bytes = 1 << 20,
	                           .cpu_usec = 1000, .wall_usec = 4000, .events = 3 };
	learn_log_add_expert(fx->log, expert, &usage);
}

/* The learned text, which must also pass learn_profile_verify(). */
static char *learned(Fixture *fx)
{
	GError *error = NULL;
	char *text = learn_profile_text(fx->log, &fx->header, fx->strict, &error);
	g_assert_no_error(error);
	g_assert_nonnull(text);
	g_test_message("%s", text);
	learn_profile_verify(text, fx->dir, fx->log, &error);
	g_assert_no_error(error);
	return text;
}

/* The rule lines (not comments) for key, joined by newlines. */
static char *rule_lines(const char *text, const char *key)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autofree char *prefix = g_strconcat(key, " = ", NULL);
	GString *out = g_string_new(NULL);
	for (guint i = 0; lines[i]; i++)
		if (g_str_has_prefix(lines[i], prefix))
			g_string_append_printf(out, "%s%s", out->len ? "\n" : "", lines[i]);
	return g_string_free(out, FALSE);
}

static void assert_rule(const char *text, const char *key, const char *expected)
{
	g_autofree char *lines = rule_lines(text, key);
	g_assert_cmpstr(lines, ==, expected);
}

static void test_nothing_seen_is_strict_alone(Fixture *fx, gconstpointer data)
{
	(void)data;
	ran(fx, "a.so");
	g_autofree char *text = learned(fx);
	g_assert_nonnull(strstr(text, "\ninherits = strict\n"));
	g_assert_nonnull(strstr(text, "# Nothing beyond strict"));
	g_assert_null(strstr(text, "[limits]"));
	g_assert_nonnull(strstr(text, "# command  expert-exec profile learn --capture c.pcap"));
	g_assert_nonnull(strstr(text, "# date     2024-01-02T03:04:05Z\n"));
	g_assert_nonnull(strstr(text, "# capture  c.pcap\n"));
	g_assert_nonnull(strstr(text, "# It inherits strict rather than standing alone"));
	/* Only comments and the [profile] and [syscalls] groups. */
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i]; i++)
		if (lines[i][0] && lines[i][0] != '#' && lines[i][0] != '[')
			g_assert_true(g_str_has_prefix(lines[i], "description = ") ||
			              g_str_has_prefix(lines[i], "inherits = "));
}

static void test_calls_strict_allows_are_not_repeated(Fixture *fx, gconstpointer data)
{
	(void)data;
	call(fx, "a.so", "munmap", 0x7f0000000000, 4096, 0);
	ran(fx, "a.so");
	g_autofree char *text = learned(fx);
	assert_rule(text, "munmap", "");
	g_assert_nonnull(strstr(text, "# Nothing beyond strict"));
}

static void test_descriptors_seen_become_the_condition(Fixture *fx, gconstpointer data)
{
	(void)data;
	call(fx, "a.so", "write", 2, 0x7ffc0000, 22);
	call(fx, "a.so", "write", 1, 0x7ffc0000, 5);
	call(fx, "a.so", "write", 2, 0x7ffc0000, 7);
	ran(fx, "a.so");
	g_autofree char *text = learned(fx);
	assert_rule(text, "write", "write = allow if arg0 == 1 || arg0 == 2");
	g_assert_nonnull(strstr(text, "# seen 3 times, in a.so; e.g. write(2"));
}

static void test_more_than_eight_descriptors_is_unconditional(Fixture *fx, gconstpointer data)
{
	(void)data;
	for (guint64 fd = 4; fd < 4 + LEARN_MAX_VALUES + 1; fd++)
		call(fx, "a.so", "fstat", fd, 0, 0);
	ran(fx, "a.so");
	g_autofree char *text = learned(fx);
	assert_rule(text, "fstat", "fstat = allow");
	g_assert_nonnull(strstr(text, "# more than 8 descriptors seen: no condition\n"));
}

static void test_eight_descriptors_are_still_a_condition(Fixture *fx, gconstpointer data)
{
	(void)data;
	for (guint64 fd = 4; fd < 4 + LEARN_MAX_VALUES; fd++)
		call(fx, "a.so", "fstat", fd, 0x7ffc0000, 0);
	ran(fx, "a.so");
	g_autofree char *text = learned(fx);
	assert_rule(text, "fstat", "fstat = allow if arg0 == 4 || arg0 == 5 || arg0 == 6 || arg0 == 7 || "
	                           "arg0 == 8 || arg0 == 9 || arg0 == 10 || arg0 == 11");
}

static void test_mappings_without_exec_keep_exec_out(Fixture *fx, gconstpointer data)
{
	(void)data;
	call(fx, "a.so", "mmap", 0, 1 << 20, PROT_READ | PROT_WRITE);
	call(fx, "a.so", "brk", 0, 0, 0);
	ran(fx, "a.so");
	g_autofree char *text = learned(fx);
	assert_rule(text, "mmap", "mmap = allow if arg2 & PROT_EXEC == 0");
	assert_rule(text, "brk", "brk = allow");
	/* Both replace strict's errno ENOMEM, and say so. */
	g_assert_nonnull(strstr(text, "# replaces strict's \"mmap = errno ENOMEM\""));
	g_assert_nonnull(strstr(text, "# replaces strict's \"brk = errno ENOMEM\""));
	g_assert_null(strstr(text, "WARNING"));
}

/* W^X refuses it whatever the profile: the learned rule keeps it out and
 * says why. */
static void test_an_executable_mapping_is_left_out(Fixture *fx, gconstpointer data)
{
	(void)data;
	call(fx, "a.so", "mprotect", 0x7f0000000000, 4096, PROT_READ);
	call(fx, "a.so", "mprotect", 0x7f0000000000, 4096, PROT_READ | PROT_EXEC);
	ran(fx, "a.so");
	g_autofree char *text = learned(fx);
	assert_rule(text, "mprotect", "mprotect = allow if arg2 & PROT_EXEC == 0");
	g_assert_nonnull(strstr(text, "# an executable mapping (PROT_EXEC) was seen: W^X"));
}

static void test_other_syscalls_are_unconditional(Fixture *fx, gconstpointer data)
{
	(void)data;
	call(fx, "a.so", "getrandom", 0x7ffc0000, 16, 0);
	call(fx, "a.so", "newfstatat", 1, 0x7ffc0000, 0x7ffc1000);
	ran(fx, "a.so");
	g_autofree char *text = learned(fx);
	assert_rule(text, "getrandom", "getrandom = allow");
	/* arg0 of an *at() call is a directory an absolute path ignores. */
	assert_rule(text, "newfstatat", "newfstatat = allow");
	/* Which profile check refuses until acknowledged: the file says so. */
	g_assert_nonnull(strstr(text, "# profile check: allowing newfstatat learns which of the host's"));
	g_assert_nonnull(strstr(text, "add \"acknowledge = newfstatat\" to [profile]"));
	g_assert_null(strstr(text, "allowing getrandom"));
}

/* Point 7 of issue 11: an expert that opens a file for writing, and did
 * without it in a trial, gets a refusal, not "openat = allow". */
static void test_what_a_trial_refused_is_refused(Fixture *fx, gconstpointer data)
{
	(void)data;
	call_text(fx, "notes.so", "openat", (guint64)-100, 0x7ffc0000, O_WRONLY | O_CREAT | O_TRUNC, 0666,
	          "openat(AT_FDCWD, \"/tmp/x/notes.txt\", O_WRONLY|O_CREAT|O_TRUNC, 0666)");
	refused(fx, "openat", EACCES);
	ran(fx, "notes.so");
	g_autofree char *text = learned(fx);
	assert_rule(text, "openat", "openat = errno EACCES");
	g_assert_nonnull(strstr(text, "# a trial run refused it (errno EACCES), and every expert still "
	                              "completed with the same\n# results: refused, not allowed\n"));
	/* The path as the report read it, and marked so. */
	g_assert_nonnull(strstr(text, "e.g. openat(AT_FDCWD, \"/tmp/x/notes.txt\", O_WRONLY|O_CREAT|"
	                              "O_TRUNC, 0666) (strings as read at the time of the call)\n"));
}

/* A refusal strict makes the same way needs no rule: a note says so. */
static void test_a_refusal_the_parent_makes_already_is_a_note(Fixture *fx, gconstpointer data)
{
	(void)data;
	call(fx, "a.so", "brk", 0, 0, 0);
	refused(fx, "brk", ENOMEM);
	call(fx, "a.so", "mmap", 0, 1 << 20, PROT_READ | PROT_WRITE);
	ran(fx, "a.so");
	g_autofree char *text = learned(fx);
	assert_rule(text, "brk", "");
	g_assert_nonnull(strstr(text, "# as strict's \"brk = errno ENOMEM\""));
	g_assert_nonnull(strstr(text, "# so strict's rule stands\n# (no rule: brk)\n"));
	assert_rule(text, "mmap", "mmap = allow if arg2 & PROT_EXEC == 0");
}

/* What is needed is allowed on the flags seen: reading only. */
static void test_an_open_needed_is_narrowed_on_its_flags(Fixture *fx, gconstpointer data)
{
	(void)data;
	call(fx, "a.so", "openat", (guint64)-100, 0x7ffc0000, O_RDONLY | O_CLOEXEC);
	call(fx, "a.so", "openat", (guint64)-100, 0x7ffc0000, O_RDONLY);
	call(fx, "a.so", "fcntl", 5, F_GETFL, 0);
	call(fx, "a.so", "fcntl", 6, F_GETFD, 0);
	call(fx, "a.so", "socket", AF_UNIX, SOCK_STREAM, 0);
	ran(fx, "a.so");
	g_autofree char *text = learned(fx);
	assert_rule(text, "openat", "openat = allow if arg2 & O_ACCMODE|O_CREAT|O_TRUNC|O_APPEND == O_RDONLY");
	assert_rule(text, "fcntl", "fcntl = allow if arg1 == F_GETFD || arg1 == F_GETFL");
	assert_rule(text, "socket", "socket = allow if arg0 == AF_UNIX");
	/* Narrowed: profile check has nothing to say about these. */
	g_assert_null(strstr(text, "profile check:"));
}

static void test_writing_and_reading_opens_are_two_alternatives(Fixture *fx, gconstpointer data)
{
	(void)data;
	call(fx, "a.so", "open", 0x7ffc0000, O_RDONLY, 0);
	call(fx, "a.so", "open", 0x7ffc0000, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ran(fx, "a.so");
	g_autofree char *text = learned(fx);
	assert_rule(text, "open", "open = allow if arg1 & O_ACCMODE|O_CREAT|O_TRUNC|O_APPEND == O_RDONLY || "
	                          "arg1 & O_ACCMODE|O_CREAT|O_TRUNC|O_APPEND == O_WRONLY|O_CREAT|O_TRUNC");
}

/* Which shipped profile a learned one inherits: coalesce only when what it
 * adds to strict was all needed. */
static void test_a_parent_fits_only_when_all_it_grants_was_needed(Fixture *fx, gconstpointer data)
{
	(void)data;
	GError *error = NULL;
	g_autoptr(Profile) coalesce = profile_load("coalesce", &error);
	g_assert_no_error(error);
	g_assert_true(learn_parent_fits(fx->strict, fx->strict, fx->log));
	/* Nothing written: coalesce would grant outputs for nothing. */
	ran(fx, "a.so");
	g_assert_false(learn_parent_fits(coalesce, fx->strict, fx->log));

	learn_log_free(fx->log);
	fx->log = learn_log_new();
	call(fx, "w.so", "write", 4, 0x7ffc0000, 4096);
	LearnUsage usage = { .outputs = 1, .output_bytes = 4096 };
	learn_log_add_expert(fx->log, "w.so", &usage);
	g_assert_true(learn_parent_fits(coalesce, fx->strict, fx->log));
	fx->header.base = fx->learn;
	g_autofree char *text = learn_profile_text(fx->log, &fx->header, coalesce, &error);
	g_assert_no_error(error);
	/* coalesce allows write on 4 and up already, and one output is within
	 * its four. */
	assert_rule(text, "write", "");
	g_assert_nonnull(strstr(text, "\ninherits = coalesce\n"));
	g_assert_null(strstr(text, "output-files"));

	/* An output made, but its writes refused in a trial: coalesce's write
	 * rule would be unused. */
	refused(fx, "write", EACCES);
	g_assert_false(learn_parent_fits(coalesce, fx->strict, fx->log));
}

static void test_outputs_beyond_the_parent_raise_its_limits(Fixture *fx, gconstpointer data)
{
	(void)data;
	call(fx, "w.so", "write", 4, 0x7ffc0000, 4096);
	LearnUsage usage = { .outputs = 2, .output_bytes = 3 << 20 };
	learn_log_add_expert(fx->log, "w.so", &usage);
	g_autofree char *text = learned(fx);
	g_assert_nonnull(strstr(text, "\noutput-files = 2\n"));
	g_assert_nonnull(strstr(text, "\noutput-bytes = 6M\n"));
	assert_rule(text, "write", "write = allow if arg0 == 4");
}

static void test_comments_count_calls_per_expert(Fixture *fx, gconstpointer data)
{
	(void)data;
	call(fx, "a.so", "futex", 0x1000, 0, 0);
	call(fx, "b.so", "futex", 0x2000, 1, 0);
	call(fx, "b.so", "futex", 0x2000, 1, 0);
	ran(fx, "a.so");
	ran(fx, "b.so");
	g_autofree char *text = learned(fx);
	g_assert_nonnull(strstr(text, "# seen 3 times, in a.so (1), b.so (2); e.g. futex("));
	g_assert_nonnull(strstr(text, "# experts  a.so: 1 refused call; pool 20.0 KiB"));
	g_assert_nonnull(strstr(text, "#          b.so: 2 refused calls;"));
	g_assert_nonnull(strstr(text, "description = Learned by profile learn from 2 experts\n"));
}

static void test_a_group_all_seen_is_written_as_the_group(Fixture *fx, gconstpointer data)
{
	(void)data;
	call(fx, "a.so", "futex", 0x1000, 0, 0);
	call(fx, "a.so", "set_robust_list", 0x1000, 24, 0);
	call(fx, "a.so", "get_robust_list", 0, 0x1000, 0x2000);
	call(fx, "a.so", "sched_yield", 0, 0, 0);
	ran(fx, "a.so");
	g_autofree char *text = learned(fx);
	assert_rule(text, "@sync", "@sync = allow");
	assert_rule(text, "futex", "");
	assert_rule(text, "sched_yield", "");
	g_assert_nonnull(strstr(text, "# every member of @sync was seen"));
	g_assert_nonnull(strstr(text, "# futex: seen once, in a.so"));
}

static void test_a_group_keeps_its_members_conditions(Fixture *fx, gconstpointer data)
{
	(void)data;
	/* @memory, munmap left out: strict allows it already. */
	const char *plain[] = { "brk", "mremap", "madvise", "mlock", "munlock" };
	for (gsize i = 0; i < G_N_ELEMENTS(plain); i++)
		call(fx, "a.so", plain[i], 0x7f0000000000, 4096, 0);
	call(fx, "a.so", "mmap", 0, 4096, PROT_READ);
	call(fx, "a.so", "mprotect", 0x7f0000000000, 4096, PROT_READ);
	ran(fx, "a.so");
	g_autofree char *text = learned(fx);
	assert_rule(text, "@memory", "@memory = allow");
	assert_rule(text, "brk", "");
	/* A direct rule overrides its group's: the condition stays. */
	assert_rule(text, "mmap", "mmap = allow if arg2 & PROT_EXEC == 0");
	assert_rule(text, "mprotect", "mprotect = allow if arg2 & PROT_EXEC == 0");
}

static void test_a_group_partly_seen_is_not_written(Fixture *fx, gconstpointer data)
{
	(void)data;
	call(fx, "a.so", "futex", 0x1000, 0, 0);
	call(fx, "a.so", "sched_yield", 0, 0, 0);
	ran(fx, "a.so");
	g_autofree char *text = learned(fx);
	assert_rule(text, "@sync", "");
	assert_rule(text, "futex", "futex = allow");
	assert_rule(text, "sched_yield", "sched_yield = allow");
}

static void test_a_call_strict_kills_is_never_learned(Fixture *fx, gconstpointer data)
{
	(void)data;
	GError *error = NULL;
	call(fx, "evil.so", "ptrace", 16, 1, 0);
	ran(fx, "evil.so");
	g_autofree char *text = learn_profile_text(fx->log, &fx->header, fx->strict, &error);
	g_assert_null(text);
	g_assert_error(error, LEARN_ERROR, LEARN_ERROR_KILLED);
	g_assert_nonnull(strstr(error->message, "evil.so called ptrace("));
	g_error_free(error);
}

static void test_rules_the_base_decided_are_carried(Fixture *fx, gconstpointer data)
{
	(void)data;
	GError *error = NULL;
	g_autoptr(Profile) base = profile_load("default", &error);
	g_assert_no_error(error);
	fx->header.base = base;
	/* default allows write on 1, 2 and 3; fd 5 reached the learner. */
	call(fx, "a.so", "write", 5, 0x7ffc0000, 10);
	ran(fx, "a.so");
	g_autofree char *text = learned(fx);
	assert_rule(text, "write", "write = allow if arg0 == 1 || arg0 == 2 || arg0 == 3 || arg0 == 5");
	/* Never seen, because default decided them itself: kept as default says. */
	assert_rule(text, "brk", "brk = allow");
	assert_rule(text, "clone3", "clone3 = errno ENOSYS");
	assert_rule(text, "madvise", "madvise = allow if arg2 != MADV_REMOVE");
	/* What default and strict agree on is strict's to say. */
	assert_rule(text, "execve", "");
	assert_rule(text, "@expert-runtime", "");
}

static void test_limits_are_raised_only_when_needed(Fixture *fx, gconstpointer data)
{
	(void)data;
	const LearnUsage big = { .peak_pool_bytes = 40 << 20, .max_rss_bytes = 100 << 20,
	                         .cpu_usec = 20 * 1000000ull, .wall_usec = 2 * 1000000ull,
	                         .events = 3 };
	learn_log_add_expert(fx->log, "big.so", &big);
	g_autofree char *text = learned(fx);
	g_assert_nonnull(strstr(text, "\n[limits]\n"));
	g_assert_nonnull(strstr(text, "\nmemory = 200M\n"));
	g_assert_nonnull(strstr(text, "\ncpu-time = 40s\n"));
	g_assert_null(strstr(text, "wall-time"));
	g_assert_null(strstr(text, "events ="));
}

static void test_header_text_cannot_break_the_file(Fixture *fx, gconstpointer data)
{
	(void)data;
	fx->header.command_line = "expert-exec profile learn -o 'x\ny = z' \x01\xff.so";
	fx->header.capture = "a\nb.pcap";
	call(fx, "bad\nname.so", "getrandom", 0, 16, 0);
	ran(fx, "bad\nname.so");
	g_autofree char *text = learned(fx);
	g_assert_nonnull(strstr(text, "# capture  a?b.pcap\n"));
	g_assert_nonnull(strstr(text, "bad?name.so"));
}

static void test_verify_refuses_a_profile_that_refuses_what_was_seen(Fixture *fx, gconstpointer data)
{
	(void)data;
	GError *error = NULL;
	call(fx, "a.so", "write", 2, 0x7ffc0000, 22);
	ran(fx, "a.so");
	const char *text = "[profile]\ninherits = strict\n[syscalls]\nwrite = allow if arg0 == 1\n";
	g_assert_false(learn_profile_verify(text, fx->dir, fx->log, &error));
	g_assert_error(error, LEARN_ERROR, LEARN_ERROR_VERIFY);
	g_assert_nonnull(strstr(error->message, "would refuse write(2"));
	g_clear_error(&error);

	/* What a trial refused must be refused: an allow would let through
	 * what the experts were shown to do without. */
	call(fx, "a.so", "getrandom", 0x7ffc0000, 16, 0);
	refused(fx, "getrandom", EACCES);
	const char *allows = "[profile]\ninherits = strict\n[syscalls]\nwrite = allow if arg0 == 2\n"
	                     "getrandom = allow\n";
	g_assert_false(learn_profile_verify(allows, fx->dir, fx->log, &error));
	g_assert_error(error, LEARN_ERROR, LEARN_ERROR_VERIFY);
	g_assert_nonnull(strstr(error->message, "would not refuse getrandom("));
	g_clear_error(&error);

	g_assert_false(learn_profile_verify("[syscalls]\nwrite = sometimes\n", fx->dir, fx->log, &error));
	g_assert_error(error, PROFILE_ERROR, PROFILE_ERROR_UNKNOWN);
	g_assert_true(g_str_has_prefix(error->message, "the learned profile does not load: "));
	g_clear_error(&error);

	/* The check leaves nothing behind. */
	g_autoptr(GDir) dir = g_dir_open(fx->dir, 0, NULL);
	g_assert_null(g_dir_read_name(dir));
}

/* ---- which bases learning accepts ---- */

static Profile *load_text(Fixture *fx, const char *name, const char *text)
{
	GError *error = NULL;
	g_autofree char *path = g_strdup_printf("%s/%s.profile", fx->dir, name);
	g_file_set_contents(path, text, -1, &error);
	g_assert_no_error(error);
	Profile *profile = profile_load(path, &error);
	g_assert_no_error(error);
	return profile;
}

static void assert_base_refused(Fixture *fx, const Profile *base, const char *needle)
{
	GError *error = NULL;
	g_assert_false(learn_check_base(base, fx->strict, &error));
	g_assert_error(error, LEARN_ERROR, LEARN_ERROR_BASE);
	g_test_message("%s", error->message);
	g_assert_nonnull(strstr(error->message, needle));
	g_error_free(error);
}

static void test_shipped_bases_are_accepted(Fixture *fx, gconstpointer data)
{
	(void)data;
	GError *error = NULL;
	g_assert_true(learn_check_base(fx->learn, fx->strict, &error));
	g_assert_no_error(error);
	g_autoptr(Profile) def = profile_load("default", &error);
	g_assert_no_error(error);
	g_assert_true(learn_check_base(def, fx->strict, &error));
	g_assert_no_error(error);
}

static void assert_errno_eperm(const ProfileRule *r)
{
	g_assert_cmpint(r->action.kind, ==, PROFILE_ACTION_ERRNO);
	g_assert_cmpint(r->action.errno_value, ==, EPERM);
}

static void test_learn_profile_is_runtime_and_kills_only(Fixture *fx, gconstpointer data)
{
	(void)data;
	g_assert_cmpint(fx->learn->default_action.kind, ==, PROFILE_ACTION_NOTIFY);
	g_assert_cmpuint(fx->learn->memory_bytes, ==, 256u << 20);
	g_assert_cmpuint(fx->learn->cpu_ms, ==, 60000);
	g_assert_cmpuint(fx->learn->wall_ms, ==, 120000);
	for (guint i = 0; i < fx->learn->rules->len; i++) {
		const ProfileRule *r = fx->learn->rules->pdata[i];
		if (r->action.kind == PROFILE_ACTION_ALLOW)
			g_assert_cmpstr(r->group, ==, "@expert-runtime");
		else if (g_str_equal(r->syscall, "prctl"))
			/* refused, not learned, as in strict: see learn.profile */
			assert_errno_eperm(r);
		else
			g_assert_cmpint(r->action.kind, ==, PROFILE_ACTION_KILL);
	}
}

static void test_a_base_that_does_not_notify_is_refused(Fixture *fx, gconstpointer data)
{
	(void)data;
	g_autoptr(Profile) base = load_text(fx, "quiet",
		"[profile]\ninherits = learn\ndefault-action = errno EPERM\n");
	assert_base_refused(fx, base, "default-action is errno EPERM; a learning base needs notify");
}

static void test_a_base_missing_a_kill_is_refused(Fixture *fx, gconstpointer data)
{
	(void)data;
	g_autoptr(Profile) base = load_text(fx, "lax", "[profile]\ninherits = learn\n"
	                                               "[syscalls]\nptrace = notify\n");
	assert_base_refused(fx, base, "no \"ptrace = kill\"");
}

static void test_a_base_killing_a_loader_syscall_is_refused(Fixture *fx, gconstpointer data)
{
	(void)data;
	g_autoptr(Profile) base = load_text(fx, "hard", "[profile]\ninherits = learn\n"
	                                                "[syscalls]\nopenat = kill\n");
	assert_base_refused(fx, base, "\"openat = kill\": the dynamic loader needs openat");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define FX(path, fn) g_test_add("/learn/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
	FX("writer/nothing-seen-is-strict-alone", test_nothing_seen_is_strict_alone);
	FX("writer/calls-strict-allows-are-not-repeated", test_calls_strict_allows_are_not_repeated);
	FX("writer/descriptors-seen-become-the-condition", test_descriptors_seen_become_the_condition);
	FX("writer/more-than-eight-descriptors-is-unconditional",
	   test_more_than_eight_descriptors_is_unconditional);
	FX("writer/eight-descriptors-are-still-a-condition", test_eight_descriptors_are_still_a_condition);
	FX("writer/mappings-without-exec-keep-exec-out", test_mappings_without_exec_keep_exec_out);
	FX("writer/an-executable-mapping-is-left-out", test_an_executable_mapping_is_left_out);
	FX("writer/other-syscalls-are-unconditional", test_other_syscalls_are_unconditional);
	FX("writer/comments-count-calls-per-expert", test_comments_count_calls_per_expert);
	FX("writer/a-group-all-seen-is-written-as-the-group", test_a_group_all_seen_is_written_as_the_group);
	FX("writer/a-group-keeps-its-members-conditions", test_a_group_keeps_its_members_conditions);
	FX("writer/a-group-partly-seen-is-not-written", test_a_group_partly_seen_is_not_written);
	FX("writer/a-call-strict-kills-is-never-learned", test_a_call_strict_kills_is_never_learned);
	FX("writer/rules-the-base-decided-are-carried", test_rules_the_base_decided_are_carried);
	FX("writer/limits-are-raised-only-when-needed", test_limits_are_raised_only_when_needed);
	FX("writer/header-text-cannot-break-the-file", test_header_text_cannot_break_the_file);
	FX("writer/what-a-trial-refused-is-refused", test_what_a_trial_refused_is_refused);
	FX("writer/a-refusal-the-parent-makes-already-is-a-note",
	   test_a_refusal_the_parent_makes_already_is_a_note);
	FX("writer/an-open-needed-is-narrowed-on-its-flags", test_an_open_needed_is_narrowed_on_its_flags);
	FX("writer/writing-and-reading-opens-are-two-alternatives",
	   test_writing_and_reading_opens_are_two_alternatives);
	FX("writer/outputs-beyond-the-parent-raise-its-limits",
	   test_outputs_beyond_the_parent_raise_its_limits);
	FX("parent/fits-only-when-all-it-grants-was-needed",
	   test_a_parent_fits_only_when_all_it_grants_was_needed);
	FX("verify/refuses-a-profile-that-refuses-what-was-seen",
	   test_verify_refuses_a_profile_that_refuses_what_was_seen);
	FX("base/shipped-bases-are-accepted", test_shipped_bases_are_accepted);
	FX("base/learn-profile-is-runtime-and-kills-only", test_learn_profile_is_runtime_and_kills_only);
	FX("base/a-base-that-does-not-notify-is-refused", test_a_base_that_does_not_notify_is_refused);
	FX("base/a-base-missing-a-kill-is-refused", test_a_base_missing_a_kill_is_refused);
	FX("base/a-base-killing-a-loader-syscall-is-refused",
	   test_a_base_killing_a_loader_syscall_is_refused);
	return g_test_run();
}
