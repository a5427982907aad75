/* profile.c — reading sandbox profiles: the key-file, the rule language,
 * group expansion, inheritance, and errors that name file and line.
 *
 * A profile file is untrusted text: its size is bounded, NUL bytes and
 * invalid UTF-8 are refused, and every group, key, action, constant and
 * syscall must be known; nothing is silently ignored. GKeyFile parses the
 * syntax but forgets lines, so index_lines() scans the text once to record
 * where each [group] and key is. Values may end in a comment: a '#' at the
 * start of a value or after a blank starts one (as in profile.h's example).
 *
 * Loading is two steps per file: parse it alone into a Layer (all its errors
 * are found before its parent is even looked up), then apply the layer on top
 * of its parent's resolved Profile, or on top of the built-in defaults. */
#include "profile.h"

#include "profile-constants.h"
#include "syscall-groups.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef EXPERT_EXEC_SOURCE_PROFILES_DIR
#define EXPERT_EXEC_SOURCE_PROFILES_DIR "" /* direct builds: none */
#endif
#ifndef EXPERT_EXEC_PROFILES_DIR
#define EXPERT_EXEC_PROFILES_DIR "/usr/local/share/expert-exec/sandbox-profiles"
#endif

#define PROFILE_MAX_BYTES (64 * 1024)
#define PROFILE_MAX_ALTERNATIVES 8
#define PROFILE_MAX_INHERITS 16
#define SYSCALL_NR_SCAN 600 /* x86-64 numbers end below 460 in libseccomp 2.5 */

G_DEFINE_QUARK(profile-error-quark, profile_error)

static gboolean G_GNUC_PRINTF(5, 6)
fail(GError **error, ProfileErrorCode code, const char *path, guint line,
     const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	g_autofree char *message = g_strdup_vprintf(format, ap);
	va_end(ap);
	if (line > 0)
		g_set_error(error, PROFILE_ERROR, code, "%s:%u: %s", path, line, message);
	else
		g_set_error(error, PROFILE_ERROR, code, "%s: %s", path, message);
	return FALSE;
}

/* ---- names and "did you mean" ---- */

static guint
edit_distance(const char *a, const char *b)
{
	gsize la = strlen(a), lb = strlen(b);
	guint row[65];

	if (la > 64 || lb > 64)
		return G_MAXUINT;
	for (gsize j = 0; j <= lb; j++)
		row[j] = j;
	for (gsize i = 1; i <= la; i++) {
		guint diagonal = row[0];
		row[0] = i;
		for (gsize j = 1; j <= lb; j++) {
			guint above = row[j];
			guint cost = g_ascii_tolower(a[i - 1]) != g_ascii_tolower(b[j - 1]);
			row[j] = MIN(MIN(row[j] + 1, row[j - 1] + 1), diagonal + cost);
			diagonal = above;
		}
	}
	return row[lb];
}

const char *
profile_closest(const char *word, const char *const *candidates)
{
	gsize len = strlen(word);
	guint best_distance = (len <= 3 ? 1 : len <= 6 ? 2 : 3) + 1;
	const char *best = NULL;

	for (; candidates != NULL && *candidates != NULL; candidates++) {
		guint d = edit_distance(word, *candidates);
		if (d < best_distance) {
			best = *candidates;
			best_distance = d;
		}
	}
	return best;
}

const char *const *
profile_syscall_names(void)
{
	static const char *const *names;

	if (g_once_init_enter(&names)) {
		GPtrArray *found = g_ptr_array_new();
		for (int nr = 0; nr < SYSCALL_NR_SCAN; nr++) {
			char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
			if (name != NULL)
				g_ptr_array_add(found, g_strdup(name));
			free(name);
		}
		g_ptr_array_add(found, NULL);
		g_once_init_leave(&names, (const char *const *)g_ptr_array_free(found, FALSE));
	}
	return names;
}

/* The names of a table whose rows start with `const char *name`
 * (SyscallGroup, ProfileConstant, ProfileErrno), NULL-terminated. */
static GPtrArray *
table_names(const void *rows, gsize n, gsize stride)
{
	GPtrArray *names = g_ptr_array_new();
	for (gsize i = 0; i < n; i++)
		g_ptr_array_add(names, *(char *const *)((const char *)rows + i * stride));
	g_ptr_array_add(names, NULL);
	return names;
}

static GPtrArray *
group_names(void)
{
	gsize n;
	const SyscallGroup *groups = syscall_groups(&n);
	return table_names(groups, n, sizeof *groups);
}

/* " (did you mean \"x\"?)" or "" */
static char *
suggest(const char *word, const char *const *candidates)
{
	const char *best = profile_closest(word, candidates);
	return best != NULL ? g_strdup_printf(" (did you mean \"%s\"?)", best) : g_strdup("");
}

/* ---- the file and where its lines are ---- */

typedef struct {
	char *group;
	char *key; /* NULL for a [group] line */
	guint line;
} Entry;

typedef struct {
	char *path;        /* as opened: errors name it */
	char *name;        /* file name without ".profile" */
	GKeyFile *keyfile;
	GArray *entries;   /* of Entry, in file order */
} Source;

static void
entry_clear(gpointer data)
{
	Entry *entry = data;
	g_free(entry->group);
	g_free(entry->key);
}

static void
source_free(Source *src)
{
	g_free(src->path);
	g_free(src->name);
	if (src->keyfile != NULL)
		g_key_file_free(src->keyfile);
	if (src->entries != NULL)
		g_array_unref(src->entries);
	g_free(src);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Source, source_free)

/* Records where each [group] and key is, reading a line as GKeyFile does:
 * leading blanks skipped, '#' starts a comment line, "[name]" opens a group,
 * "key = value" (key trimmed) sets a key. A group or key given twice is an
 * error: GKeyFile would silently merge or keep the last. *bad_line receives
 * the first line that is none of these (0 if none). */
static gboolean
index_lines(Source *src, const char *text, guint *bad_line, GError **error)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	const char *group = NULL;
	guint line = 0;

	*bad_line = 0;
	for (const char *p = text; *p != '\0';) {
		const char *s = p, *e = strchrnul(p, '\n');
		Entry entry = { .line = ++line };

		p = *e != '\0' ? e + 1 : e;
		while (s < e && g_ascii_isspace(*s))
			s++;
		while (e > s && g_ascii_isspace(e[-1]))
			e--;
		if (s == e || *s == '#')
			continue;
		if (*s == '[') {
			gsize len = e - s;
			if (len < 3 || e[-1] != ']' || memchr(s + 1, '[', len - 2) || memchr(s + 1, ']', len - 2)) {
				*bad_line = *bad_line ? *bad_line : line;
				continue;
			}
			entry.group = g_strndup(s + 1, len - 2);
		} else {
			const char *eq = memchr(s, '=', e - s), *k = eq;
			if (eq == NULL || eq == s || group == NULL) {
				*bad_line = *bad_line ? *bad_line : line;
				continue;
			}
			while (k > s && g_ascii_isspace(k[-1]))
				k--;
			entry.group = g_strdup(group);
			entry.key = g_strndup(s, k - s);
		}
		g_array_append_val(src->entries, entry);
		char *id = g_strconcat(entry.group, "\n", entry.key, NULL);
		gpointer first = g_hash_table_lookup(seen, id);
		if (first != NULL) {
			g_free(id);
			if (entry.key == NULL)
				return fail(error, PROFILE_ERROR_SYNTAX, src->path, line,
				            "[%s] appears twice (first at line %u); merge them",
				            entry.group, GPOINTER_TO_UINT(first));
			return fail(error, PROFILE_ERROR_SYNTAX, src->path, line,
			            "\"%s\" is set twice in [%s] (first at line %u)",
			            entry.key, entry.group, GPOINTER_TO_UINT(first));
		}
		g_hash_table_insert(seen, id, GUINT_TO_POINTER(line));
		if (entry.key == NULL)
			group = g_array_index(src->entries, Entry, src->entries->len - 1).group;
	}
	return TRUE;
}

static guint
line_at(const char *text, const char *at)
{
	guint line = 1;
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

/* A profile's name: its file name without ".profile". */
static char *
name_of(const char *path)
{
	char *base = g_path_get_basename(path);
	if (g_str_has_suffix(base, ".profile"))
		base[strlen(base) - strlen(".profile")] = '\0';
	return base;
}

static Source *
source_open(const char *path, GError **error)
{
	g_autoptr(Source) src = g_new0(Source, 1);
	g_autofree char *text = g_malloc(PROFILE_MAX_BYTES + 1);
	g_autoptr(GError) local = NULL;
	struct stat st;
	gsize len = 0;
	guint bad_line;
	const char *end;

	src->path = g_strdup(path);
	src->name = name_of(path);

	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		fail(error, PROFILE_ERROR_NOT_FOUND, path, 0, "cannot open: %s", g_strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		fail(error, PROFILE_ERROR_NOT_FOUND, path, 0, "not a regular file");
		return NULL;
	}
	/* Read one byte more than allowed, so a file that grew is caught too. */
	while (len <= PROFILE_MAX_BYTES) {
		ssize_t n = read(fd, text + len, PROFILE_MAX_BYTES + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;
			close(fd);
			fail(error, PROFILE_ERROR_NOT_FOUND, path, 0, "cannot read: %s", g_strerror(saved));
			return NULL;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	if (len > PROFILE_MAX_BYTES) {
		fail(error, PROFILE_ERROR_SYNTAX, path, 0,
		     "file too large: a profile may be at most %d bytes (64 KiB)", PROFILE_MAX_BYTES);
		return NULL;
	}
	text[len] = '\0';
	for (const char *p = text; p < text + len; p++) {
		guchar c = *p;
		if (c == '\0' || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
			if (c == '\0')
				fail(error, PROFILE_ERROR_SYNTAX, path, line_at(text, p),
				     "contains a NUL byte: a profile is text");
			else
				fail(error, PROFILE_ERROR_SYNTAX, path, line_at(text, p),
				     "contains control character 0x%02x: a profile is text", c);
			return NULL;
		}
	}
	if (!g_utf8_validate(text, len, &end)) {
		fail(error, PROFILE_ERROR_SYNTAX, path, line_at(text, end), "not valid UTF-8");
		return NULL;
	}

	src->keyfile = g_key_file_new();
	src->entries = g_array_new(FALSE, TRUE, sizeof(Entry));
	g_array_set_clear_func(src->entries, entry_clear);
	if (!g_key_file_load_from_data(src->keyfile, text, len, G_KEY_FILE_NONE, &local)) {
		index_lines(src, text, &bad_line, NULL);
		fail(error, PROFILE_ERROR_SYNTAX, path, bad_line, "%s", local->message);
		return NULL;
	}
	if (!index_lines(src, text, &bad_line, error))
		return NULL;
	if (bad_line > 0) {
		fail(error, PROFILE_ERROR_SYNTAX, path, bad_line,
		     "expected a [group], a \"key = value\" line or a # comment");
		return NULL;
	}
	return g_steal_pointer(&src);
}

/* The value of an entry, comment and surrounding blanks removed. */
static char *
entry_value(const Source *src, const Entry *entry, gboolean unescape, GError **error)
{
	g_autoptr(GError) local = NULL;
	char *value = unescape
		? g_key_file_get_string(src->keyfile, entry->group, entry->key, &local)
		: g_key_file_get_value(src->keyfile, entry->group, entry->key, &local);

	if (value == NULL) {
		fail(error, PROFILE_ERROR_SYNTAX, src->path, entry->line, "%s", local->message);
		return NULL;
	}
	for (char *p = value; *p != '\0'; p++) {
		if (*p == '#' && (p == value || g_ascii_isspace(p[-1]))) {
			*p = '\0';
			break;
		}
	}
	return g_strstrip(value);
}

/* ---- the rule language: ACTION [if argN OP VALUE && ... || ...] ---- */

static const struct {
	const char *name;
	ProfileActionKind kind;
} actions[] = {
	{ "allow", PROFILE_ACTION_ALLOW }, { "kill", PROFILE_ACTION_KILL },
	{ "notify", PROFILE_ACTION_NOTIFY }, { "errno", PROFILE_ACTION_ERRNO },
	{ "trap", PROFILE_ACTION_TRAP }, { "log", PROFILE_ACTION_LOG },
};

static const struct {
	const char *text;
	ProfileCmpOp op;
} comparisons[] = {
	{ "==", PROFILE_CMP_EQ }, { "!=", PROFILE_CMP_NE }, { "<", PROFILE_CMP_LT },
	{ "<=", PROFILE_CMP_LE }, { ">", PROFILE_CMP_GT }, { ">=", PROFILE_CMP_GE },
};

typedef enum { TOK_END, TOK_WORD, TOK_OP } TokenKind;

typedef struct {
	const char *p;          /* what is left to read */
	TokenKind kind;         /* the current token */
	const char *start;
	int len;
	const char *path, *key; /* for errors */
	guint line;
	GError **error;
} Lexer;

#define LEX_FAIL(lx, code, format, ...) \
	fail((lx)->error, code, (lx)->path, (lx)->line, "%s: " format, (lx)->key, __VA_ARGS__)

static gboolean
lex_next(Lexer *lx)
{
	static const char *const ops[] = { "||", "&&", "==", "!=", "<=", ">=", "<", ">", "|", "&" };
	const char *p = lx->p;

	while (g_ascii_isspace(*p))
		p++;
	lx->start = p;
	lx->kind = TOK_WORD;
	if (*p == '\0') {
		lx->kind = TOK_END;
	} else if (g_ascii_isalnum(*p) || *p == '_' || (*p == '-' && g_ascii_isdigit(p[1]))) {
		for (p++; g_ascii_isalnum(*p) || *p == '_'; p++)
			;
	} else {
		lx->kind = TOK_OP;
		for (gsize i = 0; i < G_N_ELEMENTS(ops) && p == lx->start; i++)
			if (strncmp(p, ops[i], strlen(ops[i])) == 0)
				p += strlen(ops[i]);
		if (p == lx->start)
			return LEX_FAIL(lx, PROFILE_ERROR_SYNTAX, "unexpected \"%.*s\"",
			                (int)(g_utf8_next_char(p) - p), p);
	}
	lx->len = p - lx->start;
	lx->p = p;
	return TRUE;
}

static gboolean
lex_is(const Lexer *lx, const char *text)
{
	return lx->kind != TOK_END && (gsize)lx->len == strlen(text)
		&& strncmp(lx->start, text, lx->len) == 0;
}

static gboolean
lex_expected(Lexer *lx, const char *what)
{
	if (lx->kind == TOK_END)
		return LEX_FAIL(lx, PROFILE_ERROR_SYNTAX, "expected %s at the end of the rule", what);
	return LEX_FAIL(lx, PROFILE_ERROR_SYNTAX, "expected %s, found \"%.*s\"", what, lx->len, lx->start);
}

/* A decimal or 0x-hex number, optionally negative (stored as the 64-bit
 * two's complement, as the kernel compares a sign-extended int). */
static gboolean
parse_number(Lexer *lx, guint64 *out)
{
	const char *s = lx->start;
	int len = lx->len, base = 10;
	gboolean negative = *s == '-';
	guint64 v = 0;

	if (negative)
		s++, len--;
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2, len -= 2, base = 16;
	else if (len > 1 && s[0] == '0')
		return LEX_FAIL(lx, PROFILE_ERROR_SYNTAX, "\"%.*s\": octal is not supported; write decimal or 0x hex",
		                lx->len, lx->start);
	if (len == 0)
		return LEX_FAIL(lx, PROFILE_ERROR_SYNTAX, "\"%.*s\" is not a number", lx->len, lx->start);
	for (int i = 0; i < len; i++) {
		int d = g_ascii_xdigit_value(s[i]);
		if (d < 0 || d >= base)
			return LEX_FAIL(lx, PROFILE_ERROR_SYNTAX, "\"%.*s\" is not a number", lx->len, lx->start);
		if (v > (G_MAXUINT64 - d) / base)
			return LEX_FAIL(lx, PROFILE_ERROR_SYNTAX, "%.*s does not fit in 64 bits", lx->len, lx->start);
		v = v * base + d;
	}
	if (negative && v > (guint64)G_MAXINT64 + 1)
		return LEX_FAIL(lx, PROFILE_ERROR_SYNTAX, "%.*s does not fit in 64 bits", lx->len, lx->start);
	*out = negative ? -v : v;
	return TRUE;
}

/* VALUE: a number or constant, or several joined with '|' (PROT_READ|PROT_WRITE) */
static gboolean
parse_value(Lexer *lx, guint64 *out)
{
	*out = 0;
	for (;;) {
		guint64 v;
		if (lx->kind != TOK_WORD)
			return lex_expected(lx, "a number or a constant name");
		if (g_ascii_isdigit(*lx->start) || *lx->start == '-') {
			if (!parse_number(lx, &v))
				return FALSE;
		} else {
			g_autofree char *name = g_strndup(lx->start, lx->len);
			if (!profile_constant_lookup(name, &v)) {
				gsize n;
				const ProfileConstant *table = profile_constants(&n);
				g_autoptr(GPtrArray) names = table_names(table, n, sizeof *table);
				g_autofree char *hint = suggest(name, (const char *const *)names->pdata);
				return LEX_FAIL(lx, PROFILE_ERROR_UNKNOWN, "unknown constant \"%s\"%s", name, hint);
			}
		}
		*out |= v;
		if (!lex_next(lx))
			return FALSE;
		if (!lex_is(lx, "|"))
			return TRUE;
		if (!lex_next(lx))
			return FALSE;
	}
}

/* argN OP VALUE, or argN & MASK == VALUE */
static gboolean
parse_condition(Lexer *lx, ProfileCondition *cond)
{
	guint arg = 0;

	if (lx->kind != TOK_WORD || lx->len < 4 || strncmp(lx->start, "arg", 3) != 0)
		return lex_expected(lx, "a condition such as \"arg0 == 1\"");
	for (int i = 3; i < lx->len; i++) {
		if (!g_ascii_isdigit(lx->start[i]))
			return lex_expected(lx, "argN with N from 0 to 5");
		arg = MIN(arg * 10 + (lx->start[i] - '0'), 1000u);
	}
	if (arg > 5)
		return LEX_FAIL(lx, PROFILE_ERROR_SYNTAX, "%.*s is out of range: syscall arguments are arg0 to arg5",
		                lx->len, lx->start);
	*cond = (ProfileCondition){ .arg = arg };
	if (!lex_next(lx))
		return FALSE;
	if (lex_is(lx, "&")) {
		cond->op = PROFILE_CMP_MASKED_EQ;
		if (!lex_next(lx) || !parse_value(lx, &cond->mask))
			return FALSE;
		if (!lex_is(lx, "=="))
			return lex_expected(lx, "\"==\" after a mask (libseccomp compares masked values for equality only)");
		if (!lex_next(lx) || !parse_value(lx, &cond->value))
			return FALSE;
		if (cond->value & ~cond->mask)
			return LEX_FAIL(lx, PROFILE_ERROR_SYNTAX, "arg%u & 0x%" G_GINT64_MODIFIER "x can never equal 0x%"
			                G_GINT64_MODIFIER "x (bits outside the mask)", arg, cond->mask, cond->value);
		return TRUE;
	}
	for (gsize i = 0; i < G_N_ELEMENTS(comparisons); i++) {
		if (lex_is(lx, comparisons[i].text)) {
			cond->op = comparisons[i].op;
			return lex_next(lx) && parse_value(lx, &cond->value);
		}
	}
	return lex_expected(lx, "a comparison (== != < <= > >=) or \"& MASK ==\"");
}

static gboolean
parse_action(Lexer *lx, ProfileAction *action)
{
	g_autofree char *word = g_strndup(lx->start, lx->len);
	gsize i;

	for (i = 0; i < G_N_ELEMENTS(actions) && !lex_is(lx, actions[i].name); i++)
		;
	if (i == G_N_ELEMENTS(actions)) {
		if (lx->kind == TOK_END)
			return lex_expected(lx, "an action (allow, kill, notify, errno NAME, trap, log)");
		const char *names[G_N_ELEMENTS(actions) + 1] = { NULL };
		for (gsize j = 0; j < G_N_ELEMENTS(actions); j++)
			names[j] = actions[j].name;
		g_autofree char *hint = suggest(word, names);
		return LEX_FAIL(lx, PROFILE_ERROR_UNKNOWN,
		                "unknown action \"%s\"%s; actions are allow, kill, notify, errno NAME, trap, log",
		                word, hint);
	}
	*action = (ProfileAction){ .kind = actions[i].kind };
	if (!lex_next(lx))
		return FALSE;
	if (action->kind != PROFILE_ACTION_ERRNO)
		return TRUE;
	if (lx->kind != TOK_WORD || lex_is(lx, "if"))
		return lex_expected(lx, "an errno name or number after \"errno\" (e.g. errno EPERM)");
	g_autofree char *name = g_strndup(lx->start, lx->len);
	if (g_ascii_isdigit(*name) || *name == '-') {
		guint64 v;
		if (!parse_number(lx, &v))
			return FALSE;
		if (v < 1 || v > 4095)
			return LEX_FAIL(lx, PROFILE_ERROR_SYNTAX, "errno %s is out of range (1 to 4095)", name);
		action->errno_value = v;
	} else if (!profile_errno_lookup(name, &action->errno_value)) {
		gsize n;
		const ProfileErrno *table = profile_errnos(&n);
		g_autoptr(GPtrArray) names = table_names(table, n, sizeof *table);
		g_autofree char *hint = suggest(name, (const char *const *)names->pdata);
		return LEX_FAIL(lx, PROFILE_ERROR_UNKNOWN, "unknown errno name \"%s\"%s", name, hint);
	}
	return lex_next(lx);
}

/* Parses a rule value into action and alternatives (empty: unconditional). */
static gboolean
parse_rule(const char *path, guint line, const char *key, const char *text,
           ProfileAction *action, GArray **alternatives, GError **error)
{
	Lexer lx = { .p = text, .path = path, .key = key, .line = line, .error = error };
	g_autoptr(GArray) alts = g_array_new(FALSE, TRUE, sizeof(ProfileAlternative));

	if (!lex_next(&lx) || !parse_action(&lx, action))
		return FALSE;
	if (lx.kind != TOK_END && !lex_is(&lx, "if"))
		return lex_expected(&lx, "\"if\" or the end of the rule after the action");
	while (lx.kind != TOK_END) {
		ProfileAlternative alt = { 0 };
		if (!lex_next(&lx))  /* past "if" or "||" */
			return FALSE;
		do {
			if (alt.n_conditions > 0 && !lex_next(&lx))  /* past "&&" */
				return FALSE;
			if (alt.n_conditions == PROFILE_MAX_CONDITIONS)
				return LEX_FAIL(&lx, PROFILE_ERROR_SYNTAX, "more than %d conditions joined by &&",
				                PROFILE_MAX_CONDITIONS);
			ProfileCondition *cond = &alt.conditions[alt.n_conditions];
			if (!parse_condition(&lx, cond))
				return FALSE;
			for (guint i = 0; i < alt.n_conditions; i++)
				if (alt.conditions[i].arg == cond->arg)
					return LEX_FAIL(&lx, PROFILE_ERROR_SYNTAX, "arg%u is tested twice in one alternative; "
					                "libseccomp allows one comparison per argument (use || or a mask)",
					                cond->arg);
			alt.n_conditions++;
		} while (lex_is(&lx, "&&"));
		if (alts->len == PROFILE_MAX_ALTERNATIVES)
			return LEX_FAIL(&lx, PROFILE_ERROR_SYNTAX, "more than %d alternatives joined by ||",
			                PROFILE_MAX_ALTERNATIVES);
		g_array_append_val(alts, alt);
		if (lx.kind != TOK_END && !lex_is(&lx, "||"))
			return lex_expected(&lx, "\"&&\", \"||\" or the end of the rule");
	}
	*alternatives = g_steal_pointer(&alts);
	return TRUE;
}

/* ---- limits: one table, the defaults with them ---- */

typedef enum { LIMIT_BYTES, LIMIT_MS, LIMIT_COUNT } LimitKind;
enum { LIMIT_MEMORY, LIMIT_CPU, LIMIT_WALL, LIMIT_FDS, LIMIT_EVENTS, N_LIMITS };

static const struct {
	const char *key;
	LimitKind kind;
	guint64 min, max, fallback;
	const char *range; /* for errors */
} limits[N_LIMITS] = {
	[LIMIT_MEMORY] = { "memory", LIMIT_BYTES, 64 << 10, G_GUINT64_CONSTANT(1) << 40, 64 << 20,
	                   "a size from 64K to 1024G (suffixes K, M, G are 1024-based)" },
	[LIMIT_CPU] = { "cpu-time", LIMIT_MS, 1, 7 * 24 * 3600 * 1000ull, 10 * 1000,
	                "a time above 0 and at most 7 days (suffixes ms, s, m; plain is seconds)" },
	[LIMIT_WALL] = { "wall-time", LIMIT_MS, 1, 7 * 24 * 3600 * 1000ull, 30 * 1000,
	                 "a time above 0 and at most 7 days (suffixes ms, s, m; plain is seconds)" },
	[LIMIT_FDS] = { "descriptors", LIMIT_COUNT, 4, 1 << 20, 16, "a count from 4 to 1048576" },
	[LIMIT_EVENTS] = { "events", LIMIT_COUNT, 0, G_MAXUINT, 10000, "a count from 0 to 4294967295" },
};

static void
set_limit(Profile *profile, guint which, guint64 value)
{
	switch (which) {
	case LIMIT_MEMORY: profile->memory_bytes = value; break;
	case LIMIT_CPU: profile->cpu_ms = value; break;
	case LIMIT_WALL: profile->wall_ms = value; break;
	case LIMIT_FDS: profile->max_fds = value; break;
	case LIMIT_EVENTS: profile->max_events = value; break;
	}
}

static gboolean
parse_limit(guint which, const char *text, guint64 *out)
{
	static const struct { LimitKind kind; const char *suffix; guint64 scale; } units[] = {
		{ LIMIT_BYTES, "", 1 }, { LIMIT_BYTES, "K", 1 << 10 }, { LIMIT_BYTES, "M", 1 << 20 },
		{ LIMIT_BYTES, "G", 1 << 30 }, { LIMIT_MS, "", 1000 }, { LIMIT_MS, "ms", 1 },
		{ LIMIT_MS, "s", 1000 }, { LIMIT_MS, "m", 60 * 1000 }, { LIMIT_COUNT, "", 1 },
	};
	char *end;
	guint64 v;

	if (!g_ascii_isdigit(*text))
		return FALSE;
	errno = 0;
	v = g_ascii_strtoull(text, &end, 10);
	if (errno != 0)
		return FALSE;
	while (g_ascii_isspace(*end))
		end++;
	for (gsize i = 0; i < G_N_ELEMENTS(units); i++) {
		if (units[i].kind == limits[which].kind && strcmp(end, units[i].suffix) == 0) {
			/* past the maximum is out of range, overflow or not */
			*out = v > G_MAXUINT64 / units[i].scale ? G_MAXUINT64 : v * units[i].scale;
			return TRUE;
		}
	}
	return FALSE;
}

/* ---- one file on its own ---- */

enum { SET_DESCRIPTION = 1 << 0, SET_DEFAULT_ACTION = 1 << 1, SET_LIMIT0 = 1 << 2 };

typedef struct {
	Source *src;
	guint set;                   /* SET_*; SET_LIMIT0 << LIMIT_* for limits */
	char *description;
	char *inherits;
	guint inherits_line;
	ProfileAction default_action;
	guint default_action_line;
	guint64 limit[N_LIMITS];
	GHashTable *rules;           /* syscall name -> ProfileRule*, this file's */
} Layer;

static void
layer_free(Layer *layer)
{
	if (layer->src != NULL)
		source_free(layer->src);
	g_free(layer->description);
	g_free(layer->inherits);
	if (layer->rules != NULL)
		g_hash_table_unref(layer->rules);
	g_free(layer);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Layer, layer_free)

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

static ProfileRule *
rule_for(const ProfileRule *model, const char *syscall, int nr)
{
	ProfileRule *rule = g_new0(ProfileRule, 1);
	*rule = (ProfileRule){
		.syscall = g_strdup(syscall), .nr = nr, .action = model->action,
		.alternatives = g_array_ref(model->alternatives), .text = g_strdup(model->text),
		.group = g_strdup(model->group), .file = g_strdup(model->file), .line = model->line,
	};
	return rule;
}

static gboolean
rules_same(const ProfileRule *a, const ProfileRule *b)
{
	if (a->action.kind != b->action.kind || a->alternatives->len != b->alternatives->len
	    || (a->action.kind == PROFILE_ACTION_ERRNO && a->action.errno_value != b->action.errno_value))
		return FALSE;
	for (guint i = 0; i < a->alternatives->len; i++) {
		const ProfileAlternative *x = &g_array_index(a->alternatives, ProfileAlternative, i);
		const ProfileAlternative *y = &g_array_index(b->alternatives, ProfileAlternative, i);
		if (x->n_conditions != y->n_conditions)
			return FALSE;
		for (guint j = 0; j < x->n_conditions; j++) {
			const ProfileCondition *c = &x->conditions[j], *d = &y->conditions[j];
			if (c->arg != d->arg || c->op != d->op || c->value != d->value
			    || (c->op == PROFILE_CMP_MASKED_EQ && c->mask != d->mask))
				return FALSE;
		}
	}
	return TRUE;
}

/* The native number of a syscall name, or an error naming what is wrong. */
static int
resolve_syscall(const Source *src, guint line, const char *name, const char *group, GError **error)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr >= 0)
		return nr;
	if (group != NULL)
		fail(error, PROFILE_ERROR_UNKNOWN, src->path, line, "group %s: member \"%s\" is not a "
		     "syscall on x86-64 (a bug in syscall-groups.c)", group, name);
	else if (nr != __NR_SCMP_ERROR)
		fail(error, PROFILE_ERROR_UNKNOWN, src->path, line,
		     "syscall \"%s\" does not exist on x86-64", name);
	else {
		g_autofree char *as_group = g_strconcat("@", name, NULL);
		g_autofree char *hint = syscall_group_find(as_group) != NULL
			? g_strdup_printf(" (did you mean \"%s\"? group names start with '@')", as_group)
			: suggest(name, profile_syscall_names());
		fail(error, PROFILE_ERROR_UNKNOWN, src->path, line, "unknown syscall \"%s\"%s", name, hint);
	}
	return -1;
}

/* [syscalls]: direct rules go straight in; group rules are expanded after,
 * so that a direct rule overrides them wherever it is in the file, and two
 * groups that disagree about a syscall no direct rule decides conflict. */
static gboolean
layer_read_syscalls(Layer *layer, GError **error)
{
	Source *src = layer->src;
	g_autoptr(GPtrArray) group_rules = g_ptr_array_new_with_free_func((GDestroyNotify)profile_rule_free);
	g_autoptr(GHashTable) grouped = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	                                                    (GDestroyNotify)profile_rule_free);

	for (guint i = 0; i < src->entries->len; i++) {
		const Entry *e = &g_array_index(src->entries, Entry, i);
		const SyscallGroup *group = NULL;
		int nr = -1;
		if (e->key == NULL || strcmp(e->group, "syscalls") != 0)
			continue;
		if (e->key[0] == '@' && (group = syscall_group_find(e->key)) == NULL) {
			g_autoptr(GPtrArray) names = group_names();
			g_autofree char *hint = seccomp_syscall_resolve_name(e->key + 1) >= 0
				? g_strdup_printf(" (did you mean \"%s\"? only group names start with '@')", e->key + 1)
				: suggest(e->key, (const char *const *)names->pdata);
			return fail(error, PROFILE_ERROR_UNKNOWN, src->path, e->line, "unknown group \"%s\"%s",
			            e->key, hint);
		}
		if (group == NULL && (nr = resolve_syscall(src, e->line, e->key, NULL, error)) < 0)
			return FALSE;
		g_autofree char *text = entry_value(src, e, FALSE, error);
		if (text == NULL)
			return FALSE;
		g_autoptr(ProfileRule) rule = g_new0(ProfileRule, 1);
		if (!parse_rule(src->path, e->line, e->key, text, &rule->action, &rule->alternatives, error))
			return FALSE;
		rule->syscall = g_strdup(e->key);
		rule->nr = nr;
		rule->text = g_steal_pointer(&text);
		rule->group = group != NULL ? g_strdup(e->key) : NULL;
		rule->file = g_strdup(src->path);
		rule->line = e->line;
		if (group != NULL) {
			g_ptr_array_add(group_rules, g_steal_pointer(&rule));
		} else {
			ProfileRule *direct = g_steal_pointer(&rule);
			g_hash_table_insert(layer->rules, direct->syscall, direct);
		}
	}

	for (guint i = 0; i < group_rules->len; i++) {
		const ProfileRule *model = group_rules->pdata[i];
		g_autoptr(GPtrArray) members = g_ptr_array_new();
		const char *bad;
		if (!syscall_group_expand(syscall_group_find(model->group), members, &bad))
			return fail(error, PROFILE_ERROR_CYCLE, src->path, model->line,
			            "%s: group %s loops or is unknown (a bug in syscall-groups.c)", model->group, bad);
		for (guint j = 0; j < members->len; j++) {
			const char *name = members->pdata[j];
			const ProfileRule *other = g_hash_table_lookup(grouped, name);
			int nr = resolve_syscall(src, model->line, name, model->group, error);
			if (nr < 0)
				return FALSE;
			if (g_hash_table_contains(layer->rules, name))
				continue; /* a direct rule decides */
			if (other != NULL && !rules_same(other, model))
				return fail(error, PROFILE_ERROR_CONFLICT, src->path, model->line,
				            "%s = %s conflicts with %s = %s (line %u) for syscall %s; "
				            "add a rule for %s itself to decide", model->group, model->text,
				            other->group, other->text, other->line, name, name);
			if (other == NULL) {
				ProfileRule *rule = rule_for(model, name, nr);
				g_hash_table_insert(grouped, rule->syscall, rule);
			}
		}
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

static const char *const profile_keys[] = { "description", "inherits", "default-action", NULL };

static gboolean
layer_read_entry(Layer *layer, const Entry *e, GError **error)
{
	Source *src = layer->src;
	g_autofree char *value = NULL;
	guint which;

	if (strcmp(e->group, "profile") == 0) {
		if (!g_strv_contains(profile_keys, e->key)) {
			g_autofree char *hint = suggest(e->key, profile_keys);
			return fail(error, PROFILE_ERROR_UNKNOWN, src->path, e->line,
			            "unknown key \"%s\" in [profile]%s", e->key, hint);
		}
		if ((value = entry_value(src, e, TRUE, error)) == NULL)
			return FALSE;
		if (strcmp(e->key, "description") == 0) {
			layer->description = g_steal_pointer(&value);
			layer->set |= SET_DESCRIPTION;
		} else if (strcmp(e->key, "inherits") == 0) {
			if (*value == '\0' || !g_ascii_isalnum(*value)
			    || value[strspn(value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")])
				return fail(error, PROFILE_ERROR_SYNTAX, src->path, e->line, "inherits = \"%s\": "
				            "expected a profile name (letters, digits, '.', '_', '-'), not a path", value);
			layer->inherits = g_steal_pointer(&value);
			layer->inherits_line = e->line;
		} else {
			g_autoptr(GArray) alts = NULL;
			if (!parse_rule(src->path, e->line, e->key, value, &layer->default_action, &alts, error))
				return FALSE;
			if (alts->len > 0)
				return fail(error, PROFILE_ERROR_SYNTAX, src->path, e->line,
				            "default-action takes an action without conditions");
			layer->default_action_line = e->line;
			layer->set |= SET_DEFAULT_ACTION;
		}
		return TRUE;
	}
	/* [limits] */
	for (which = 0; which < N_LIMITS && strcmp(e->key, limits[which].key) != 0; which++)
		;
	if (which == N_LIMITS) {
		const char *keys[N_LIMITS + 1] = { NULL };
		for (guint i = 0; i < N_LIMITS; i++)
			keys[i] = limits[i].key;
		g_autofree char *hint = suggest(e->key, keys);
		return fail(error, PROFILE_ERROR_UNKNOWN, src->path, e->line,
		            "unknown key \"%s\" in [limits]%s", e->key, hint);
	}
	if ((value = entry_value(src, e, FALSE, error)) == NULL)
		return FALSE;
	if (!parse_limit(which, value, &layer->limit[which]) || layer->limit[which] < limits[which].min
	    || layer->limit[which] > limits[which].max)
		return fail(error, PROFILE_ERROR_SYNTAX, src->path, e->line, "%s = \"%s\": expected %s",
		            e->key, value, limits[which].range);
	layer->set |= SET_LIMIT0 << which;
	return TRUE;
}

static Layer *
layer_read(const char *path, GError **error)
{
	static const char *const groups[] = { "profile", "limits", "syscalls", NULL };
	g_autoptr(Layer) layer = g_new0(Layer, 1);

	layer->rules = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)profile_rule_free);
	if ((layer->src = source_open(path, error)) == NULL)
		return NULL;
	for (guint i = 0; i < layer->src->entries->len; i++) {
		const Entry *e = &g_array_index(layer->src->entries, Entry, i);
		if (e->key == NULL && !g_strv_contains(groups, e->group)) {
			const char *best = profile_closest(e->group, groups);
			g_autofree char *hint = best != NULL ? g_strdup_printf(" (did you mean [%s]?)", best)
				: g_strdup("; groups are [profile], [limits] and [syscalls]");
			fail(error, PROFILE_ERROR_UNKNOWN, path, e->line, "unknown group [%s]%s", e->group, hint);
			return NULL;
		}
		if (e->key != NULL && strcmp(e->group, "syscalls") != 0 && !layer_read_entry(layer, e, error))
			return NULL;
	}
	if (!layer_read_syscalls(layer, error))
		return NULL;
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
	g_autofree char *hint = suggest(name, (const char *const *)known->pdata);
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
	for (guint i = 0; i < N_LIMITS; i++)
		set_limit(profile, i, limits[i].fallback);
	profile->rules = g_ptr_array_new_with_free_func((GDestroyNotify)profile_rule_free);
	return profile;
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
	}
	if (layer->set & SET_DEFAULT_ACTION) {
		base->default_action = layer->default_action;
		g_free(base->default_action_file);
		base->default_action_file = g_strdup(layer->src->path);
		base->default_action_line = layer->default_action_line;
	}
	for (guint i = 0; i < N_LIMITS; i++)
		if (layer->set & (SET_LIMIT0 << i))
			set_limit(base, i, layer->limit[i]);

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
	GPtrArray *paths; /* canonical, to recognise a file again */
	GPtrArray *names; /* for messages */
} Chain;

static Profile *
load_chain(const char *path, Chain *chain, GError **error)
{
	g_autoptr(Layer) layer = layer_read(path, error);
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
			fail(error, PROFILE_ERROR_NOT_FOUND, file, line, "inherits: %s", local->message);
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
			fail(error, PROFILE_ERROR_CYCLE, file, line, "inherits \"%s\" makes a cycle: %s",
			     layer->inherits, names);
			return NULL;
		}
		if (chain->paths->len > PROFILE_MAX_INHERITS + 1) {
			fail(error, PROFILE_ERROR_CYCLE, file, line, "inheritance deeper than %d levels: %s",
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

Profile *
profile_load(const char *name_or_path, GError **error)
{
	g_autofree char *path = NULL;
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	Chain chain = { paths, names };

	g_return_val_if_fail(name_or_path != NULL, NULL);
	if (strchr(name_or_path, '/') != NULL || g_str_has_suffix(name_or_path, ".profile"))
		path = g_strdup(name_or_path);
	else if ((path = find_profile(name_or_path, NULL, error)) == NULL)
		return NULL;
	g_ptr_array_add(paths, canonical_path(path));
	g_ptr_array_add(names, name_of(path));
	return load_chain(path, &chain, error);
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

const char *
profile_action_name(ProfileActionKind kind)
{
	for (gsize i = 0; i < G_N_ELEMENTS(actions); i++)
		if (actions[i].kind == kind)
			return actions[i].name;
	return "?";
}

char *
profile_action_describe(const ProfileAction *action)
{
	const char *name;

	if (action->kind != PROFILE_ACTION_ERRNO)
		return g_strdup(profile_action_name(action->kind));
	if ((name = profile_errno_name(action->errno_value)) != NULL)
		return g_strdup_printf("errno %s", name);
	return g_strdup_printf("errno %d", action->errno_value);
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
	g_free(profile);
}
