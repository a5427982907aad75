/* fuzz-profile.c — the profile parser (executor/profiles/profile.h) and the filter
 * compiler (executor/profiles/filter.h) on arbitrary profile files.
 *
 * The input is written to fuzz.profile in a private temporary directory and
 * loaded by path, as `--profile FILE` would. `inherits` finds the shipped
 * profiles and tests/profiles (EXPERT_EXEC_PROFILE_PATH), so inheritance is
 * exercised too; "inherits = fuzz" is a cycle.
 *
 * Properties:
 *  1. a refused profile is a GError of PROFILE_ERROR, with a known code and a
 *     message in valid UTF-8 that names a .profile file;
 *  2. what docs/profiles.md refuses is refused: over 64 KiB, a NUL byte, a
 *     control character other than tab/CR/LF, invalid UTF-8;
 *  3. a loaded profile is within the documented limits: every limit inside
 *     its range, at most one rule per syscall (named as libseccomp names its
 *     number), at most 8 alternatives of 1 to 6 conditions each on distinct
 *     arguments 0..5, masks that can match, errno values 1..4095;
 *  4. filter_compile of a loaded profile either succeeds (a sealed memfd of
 *     whole BPF instructions) or fails with a FILTER_ERROR; filter_decide
 *     answers for every rule's syscall;
 *  5. profile_load_all_errors agrees with profile_load: a profile exactly
 *     when there is no error, and each error a PROFILE_ERROR whose line, for
 *     this file, is one of its lines;
 *  6. round trip: the loaded profile written back out in profile syntax
 *     (profile_action_describe, profile_limit_describe,
 *     profile_rule_describe) loads to the same default action, limits and
 *     rules;
 *  7. profile_lint of a loaded profile returns well-formed findings.
 */
#include "fuzz.h"

#include "profiles/filter.h"
#include "profiles/profile-lint.h"
#include "profiles/profile.h"
#include "syscalls/syscall-names.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <linux/filter.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* docs/profiles.md: "files over 64 KiB" are refused; and the [limits] table. */
#define DOC_MAX_BYTES     (64 * 1024)
#define DOC_MAX_ALTS      8
#define DOC_MAX_CONDS     6
#define DOC_MAX_MS        (7ull * 24 * 3600 * 1000)
#define SEALS             (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)

static char *dir;
static char *path;
/* Property 6's file, in a directory of its own so that no input can
 * inherit it. */
static char *dir_back, *path_back;

static void remove_files(void)
{
	g_unlink(path);
	g_unlink(path_back);
	g_rmdir(dir_back);
	g_rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	g_autoptr(GError) error = NULL;

	dir = g_dir_make_tmp("fuzz-profile-XXXXXX", &error);
	if (dir == NULL) {
		fprintf(stderr, "fuzz-profile: %s\n", error->message);
		abort();
	}
	path = g_build_filename(dir, "fuzz.profile", NULL);
	dir_back = g_build_filename(dir, "back", NULL);
	path_back = g_build_filename(dir_back, "written-back.profile", NULL);
	if (g_mkdir(dir_back, 0700) < 0) {
		fprintf(stderr, "fuzz-profile: cannot create %s: %s\n", dir_back, g_strerror(errno));
		abort();
	}
	atexit(remove_files);
	/* Only the source tree's profiles, wherever the binary runs from. */
	g_setenv("EXPERT_EXEC_PROFILE_PATH", FUZZ_PROFILES_PATH, TRUE);
	g_setenv("EXPERT_EXEC_SOURCE_PROFILES", "", TRUE);
	return 0;
}

/* Rewritten in place: g_file_set_contents would fsync on every input. */
static void write_file(const char *file, const void *data, size_t size)
{
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FUZZ_CHECK(fd >= 0, "cannot open %s: %s", file, strerror(errno));
	for (size_t done = 0; done < size;) {
		ssize_t n = write(fd, (const char *)data + done, size - done);
		FUZZ_CHECK(n > 0 || (n < 0 && errno == EINTR), "cannot write %s: %s", file, strerror(errno));
		if (n > 0)
			done += (size_t)n;
	}
	close(fd);
}

/* What source_open refuses before parsing, as docs/profiles.md states it. */
static gboolean documented_refusal(const uint8_t *data, size_t size)
{
	if (size > DOC_MAX_BYTES)
		return TRUE;
	for (size_t i = 0; i < size; i++)
		if (data[i] == 0 || data[i] == 0x7f || (data[i] < 0x20 && !strchr("\t\n\r", data[i])))
			return TRUE;
	return !g_utf8_validate((const char *)data, (gssize)size, NULL);
}

static void check_action(const ProfileAction *a, const char *what)
{
	FUZZ_CHECK(a->kind <= PROFILE_ACTION_LOG, "%s: action %d", what, (int)a->kind);
	if (a->kind == PROFILE_ACTION_ERRNO)
		FUZZ_CHECK(a->errno_value >= 1 && a->errno_value <= 4095, "%s: errno %d", what, a->errno_value);
}

static void check_rule(const ProfileRule *rule)
{
	FUZZ_CHECK(rule->syscall && rule->file && rule->line > 0 && rule->text, "a rule without its origin");
	FUZZ_CHECK(rule->nr >= 0, "%s: number %d", rule->syscall, rule->nr);
	g_autofree char *name = syscall_name(rule->nr);
	FUZZ_CHECK(strcmp(name, rule->syscall) == 0, "rule for %s has the number of %s", rule->syscall, name);
	check_action(&rule->action, rule->syscall);
	FUZZ_CHECK(rule->alternatives != NULL && rule->alternatives->len <= DOC_MAX_ALTS,
	           "%s: %u alternatives", rule->syscall, rule->alternatives ? rule->alternatives->len : 0);
	for (guint i = 0; i < rule->alternatives->len; i++) {
		const ProfileAlternative *alt = &g_array_index(rule->alternatives, ProfileAlternative, i);
		FUZZ_CHECK(alt->n_conditions >= 1 && alt->n_conditions <= DOC_MAX_CONDS,
		           "%s: an alternative of %u conditions", rule->syscall, alt->n_conditions);
		guint args_seen = 0;
		for (guint k = 0; k < alt->n_conditions; k++) {
			const ProfileCondition *c = &alt->conditions[k];
			FUZZ_CHECK(c->arg <= 5, "%s: arg%u", rule->syscall, c->arg);
			FUZZ_CHECK(!(args_seen & (1u << c->arg)), "%s: arg%u tested twice", rule->syscall, c->arg);
			args_seen |= 1u << c->arg;
			FUZZ_CHECK(c->op <= PROFILE_CMP_MASKED_EQ, "%s: comparison %d", rule->syscall, (int)c->op);
			if (c->op == PROFILE_CMP_MASKED_EQ)
				FUZZ_CHECK(!(c->value & ~c->mask), "%s: a mask that can never match", rule->syscall);
		}
	}
}

static void check_profile(const Profile *p)
{
	FUZZ_CHECK(p->name && p->path && p->rules, "a profile without name, path or rules");
	check_action(&p->default_action, "default-action");
	FUZZ_CHECK(p->memory_bytes >= (64u << 10) && p->memory_bytes <= (G_GUINT64_CONSTANT(1) << 40),
	           "memory %" G_GUINT64_FORMAT, p->memory_bytes);
	FUZZ_CHECK(p->cpu_ms >= 1 && p->cpu_ms <= DOC_MAX_MS, "cpu-time %" G_GUINT64_FORMAT, p->cpu_ms);
	FUZZ_CHECK(p->wall_ms >= 1 && p->wall_ms <= DOC_MAX_MS, "wall-time %" G_GUINT64_FORMAT, p->wall_ms);
	FUZZ_CHECK(p->max_fds >= 4 && p->max_fds <= (1u << 20), "descriptors %u", p->max_fds);

	g_autoptr(GHashTable) numbers = g_hash_table_new(NULL, NULL);
	for (guint i = 0; i < p->rules->len; i++) {
		const ProfileRule *rule = p->rules->pdata[i];
		check_rule(rule);
		FUZZ_CHECK(!g_hash_table_contains(numbers, GINT_TO_POINTER(rule->nr)),
		           "two rules for %s", rule->syscall);
		g_hash_table_add(numbers, GINT_TO_POINTER(rule->nr));
		FUZZ_CHECK(profile_find_rule(p, rule->nr) == rule, "profile_find_rule misses %s", rule->syscall);
	}
}

static void check_filter(const Profile *p)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(Filter) filter = filter_compile(p, TRUE, &error);

	if (filter == NULL) {
		FUZZ_CHECK(error != NULL && error->domain == FILTER_ERROR && error->message[0] != '\0',
		           "filter_compile failed without a FILTER_ERROR");
		return;
	}
	FUZZ_CHECK(error == NULL, "a compiled filter with an error set");
	struct stat st;
	FUZZ_CHECK(fstat(filter->fd, &st) == 0 && (guint64)st.st_size == filter->size, "filter memfd size");
	FUZZ_CHECK(filter->n_insns > 0 && filter->size == filter->n_insns * sizeof(struct sock_filter),
	           "%u instructions in %" G_GUINT64_FORMAT " bytes", filter->n_insns, filter->size);
	FUZZ_CHECK((fcntl(filter->fd, F_GET_SEALS) & SEALS) == SEALS, "filter memfd not sealed");

	static const uint64_t args[][6] = {
		{ 0 }, { 3 }, { ~0ull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull },
	};
	for (guint i = 0; i < p->rules->len; i++) {
		const ProfileRule *rule = p->rules->pdata[i];
		for (gsize k = 0; k < G_N_ELEMENTS(args); k++) {
			FilterVerdict v;
			filter_decide(p, rule->nr, args[k], &v);
			FUZZ_CHECK(v.rule == NULL || v.rule == rule, "filter_decide chose another syscall's rule");
			FUZZ_CHECK(!v.channel || v.rule == NULL, "a verdict from both a rule and the channel");
			check_action(&v.action, "filter_decide");
		}
	}
}

static guint count_lines(const uint8_t *data, size_t size)
{
	guint n = 1;
	for (size_t i = 0; i < size; i++)
		n += data[i] == '\n';
	return n;
}

/* Property 1, and 5's lines: an error about this file names one of its
 * lines (or none, 0). */
static void check_error(const GError *e, guint lines)
{
	FUZZ_CHECK(e->domain == PROFILE_ERROR, "an error of domain %s", g_quark_to_string(e->domain));
	FUZZ_CHECK(e->code >= PROFILE_ERROR_NOT_FOUND && e->code <= PROFILE_ERROR_CONFLICT,
	           "error code %d", e->code);
	FUZZ_CHECK(g_utf8_validate(e->message, -1, NULL), "an error message that is not UTF-8");
	FUZZ_CHECK(strstr(e->message, ".profile") != NULL, "an error naming no file: %s", e->message);
	const char *file = profile_error_file(e);
	if (file != NULL && strcmp(file, path) == 0)
		FUZZ_CHECK(profile_error_line(e) <= lines, "line %u of a %u-line file: %s",
		           profile_error_line(e), lines, e->message);
}

static gboolean same_action(const ProfileAction *a, const ProfileAction *b)
{
	return a->kind == b->kind && (a->kind != PROFILE_ACTION_ERRNO || a->errno_value == b->errno_value);
}

static gboolean same_alternatives(const GArray *a, const GArray *b)
{
	if (a->len != b->len)
		return FALSE;
	for (guint i = 0; i < a->len; i++) {
		const ProfileAlternative *x = &g_array_index(a, ProfileAlternative, i);
		const ProfileAlternative *y = &g_array_index(b, ProfileAlternative, i);
		if (x->n_conditions != y->n_conditions)
			return FALSE;
		for (guint k = 0; k < x->n_conditions; k++) {
			const ProfileCondition *c = &x->conditions[k], *d = &y->conditions[k];
			if (c->arg != d->arg || c->op != d->op || c->value != d->value
			    || (c->op == PROFILE_CMP_MASKED_EQ && c->mask != d->mask))
				return FALSE;
		}
	}
	return TRUE;
}

/* Property 6: the resolved profile, flattened into one file without
 * inheritance or groups, means the same. */
static void check_written_back(const Profile *p)
{
	g_autoptr(GString) text = g_string_new("[profile]\n");
	g_autofree char *action = profile_action_describe(&p->default_action);
	g_string_append_printf(text, "default-action = %s\n[limits]\n", action);
	for (const char *const *key = profile_limit_keys(); *key != NULL; key++) {
		g_autofree char *value = profile_limit_describe(p, *key);
		FUZZ_CHECK(value != NULL, "no value for limit %s", *key);
		g_string_append_printf(text, "%s = %s\n", *key, value);
	}
	g_string_append(text, "[syscalls]\n");
	for (guint i = 0; i < p->rules->len; i++) {
		const ProfileRule *rule = p->rules->pdata[i];
		g_autofree char *value = profile_rule_describe(rule);
		g_string_append_printf(text, "%s = %s\n", rule->syscall, value);
	}
	write_file(path_back, text->str, text->len);

	g_autoptr(GError) error = NULL;
	g_autoptr(Profile) back = profile_load(path_back, &error);
	FUZZ_CHECK(back != NULL, "written back, it does not load: %s\n%s", error->message, text->str);
	FUZZ_CHECK(same_action(&back->default_action, &p->default_action), "default action changed:\n%s",
	           text->str);
	for (const char *const *key = profile_limit_keys(); *key != NULL; key++) {
		g_autofree char *was = profile_limit_describe(p, *key);
		g_autofree char *is = profile_limit_describe(back, *key);
		FUZZ_CHECK(strcmp(was, is) == 0, "limit %s was %s, is %s", *key, was, is);
	}
	FUZZ_CHECK(back->memory_bytes == p->memory_bytes && back->cpu_ms == p->cpu_ms && back->wall_ms == p->wall_ms
	           && back->max_fds == p->max_fds && back->max_events == p->max_events,
	           "limits changed:\n%s", text->str);
	FUZZ_CHECK(back->rules->len == p->rules->len, "%u rules became %u:\n%s", p->rules->len,
	           back->rules->len, text->str);
	for (guint i = 0; i < p->rules->len; i++) {
		const ProfileRule *was = p->rules->pdata[i];
		const ProfileRule *is = profile_find_rule(back, was->nr);
		FUZZ_CHECK(is != NULL, "the rule for %s is gone", was->syscall);
		g_autofree char *described = profile_rule_describe(was);
		FUZZ_CHECK(same_action(&is->action, &was->action) && same_alternatives(is->alternatives, was->alternatives),
		           "%s = %s reads back as something else", was->syscall, described);
	}
}

/* Property 7. */
static void check_lint(const Profile *p)
{
	gsize n_checks;
	profile_lint_checks(&n_checks);
	g_autoptr(GPtrArray) findings = profile_lint(p);
	FUZZ_CHECK(findings != NULL, "profile_lint returned NULL");
	for (guint i = 0; i < findings->len; i++) {
		const ProfileFinding *f = findings->pdata[i];
		FUZZ_CHECK((gsize)f->kind < n_checks, "finding of kind %d", (int)f->kind);
		FUZZ_CHECK(f->severity == PROFILE_FINDING_ERROR || f->severity == PROFILE_FINDING_WARNING,
		           "finding of severity %d", (int)f->severity);
		FUZZ_CHECK(f->message != NULL && g_utf8_validate(f->message, -1, NULL), "a finding without a message");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;

	write_file(path, data, size);
	g_autoptr(Profile) profile = profile_load(path, &error);
	g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func((GDestroyNotify)g_error_free);
	g_autoptr(Profile) again = profile_load_all_errors(path, errors);
	guint lines = count_lines(data, size);

	FUZZ_CHECK(!profile == !again, "profile_load %s, profile_load_all_errors %s",
	           profile ? "loads" : "refuses", again ? "loads" : "refuses");
	FUZZ_CHECK(!again == (errors->len > 0), "profile_load_all_errors: a profile and %u errors", errors->len);
	for (guint i = 0; i < errors->len; i++)
		check_error(errors->pdata[i], lines);
	if (profile == NULL) {
		FUZZ_CHECK(error != NULL, "a refused profile without an error");
		check_error(error, lines);
		return 0;
	}
	FUZZ_CHECK(error == NULL, "a loaded profile with an error set");
	FUZZ_CHECK(!documented_refusal(data, size), "loaded a profile docs/profiles.md says is refused");
	check_profile(profile);
	check_filter(profile);
	check_written_back(profile);
	check_lint(profile);
	return 0;
}
