/* profile-rule.c — the rule language, ACTION [if argN OP VALUE && ... || ...],
 * syscall names and [profile] acknowledge, read and written back (see
 * profile-rule.h). Pure: text in, model out, errors naming file, line and
 * key. */
#include "profiles/profile-rule.h"

#include "profiles/profile-error.h"

#include "syscalls/profile-constants.h"
#include "syscalls/syscall-names.h"
#include "profiles/syscall-groups.h"

#include <errno.h>
#include <seccomp.h>
#include <string.h>

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
	profile_fail((lx)->error, code, (lx)->path, (lx)->line, "%s: " format, (lx)->key, __VA_ARGS__)

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
				g_autoptr(GPtrArray) names = profile_table_names(table, n, sizeof *table);
				g_autofree char *hint = profile_suggest(name, (const char *const *)names->pdata);
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
		g_autofree char *hint = profile_suggest(word, names);
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
		g_autoptr(GPtrArray) names = profile_table_names(table, n, sizeof *table);
		g_autofree char *hint = profile_suggest(name, (const char *const *)names->pdata);
		return LEX_FAIL(lx, PROFILE_ERROR_UNKNOWN, "unknown errno name \"%s\"%s", name, hint);
	}
	return lex_next(lx);
}

gboolean
profile_parse_rule(const char *path, guint line, const char *key, const char *text,
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

/* ---- syscall names, and [profile] acknowledge ---- */

int
profile_resolve_syscall(const char *path, guint line, const char *name, const char *group,
                        GError **error)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr >= 0)
		return nr;
	if (group != NULL)
		profile_fail(error, PROFILE_ERROR_UNKNOWN, path, line, "group %s: member \"%s\" is not a "
		             "syscall on x86-64 (a bug in syscall-groups.c)", group, name);
	else if (nr != __NR_SCMP_ERROR)
		profile_fail(error, PROFILE_ERROR_UNKNOWN, path, line,
		             "syscall \"%s\" does not exist on x86-64", name);
	else {
		g_autofree char *as_group = g_strconcat("@", name, NULL);
		g_autofree char *hint = syscall_group_find(as_group) != NULL
			? g_strdup_printf(" (did you mean \"%s\"? group names start with '@')", as_group)
			: profile_suggest(name, syscall_names());
		profile_fail(error, PROFILE_ERROR_UNKNOWN, path, line, "unknown syscall \"%s\"%s", name, hint);
	}
	return -1;
}

/* acknowledge = NAME;NAME: each a syscall, not a group: a dangerous allow
 * is acknowledged knowingly, one syscall at a time. A trailing ';' is
 * allowed, as in any key-file list. */
gboolean
profile_parse_acknowledge(const char *path, guint line, const char *value, GPtrArray *acknowledged,
                          GError **error)
{
	g_auto(GStrv) names = g_strsplit(value, ";", -1);
	guint n = g_strv_length(names);

	if (n > 0 && *g_strstrip(names[n - 1]) == '\0')
		n--;
	if (n == 0)
		return profile_fail(error, PROFILE_ERROR_SYNTAX, path, line,
		                    "acknowledge: expected syscall names separated by ';' "
		                    "(acknowledge = execve;ptrace)");
	for (guint i = 0; i < n; i++) {
		const char *name = g_strstrip(names[i]);
		int nr;
		if (*name == '\0')
			return profile_fail(error, PROFILE_ERROR_SYNTAX, path, line,
			                    "acknowledge: an empty name between two ';'");
		if (*name == '@')
			return profile_fail(error, PROFILE_ERROR_SYNTAX, path, line,
			                    "acknowledge: \"%s\" is a group; acknowledge its dangerous syscalls "
			                    "one by one", name);
		if ((nr = profile_resolve_syscall(path, line, name, NULL, error)) < 0)
			return FALSE;
		for (guint j = 0; j < acknowledged->len; j++)
			if (strcmp(((ProfileAcknowledgement *)acknowledged->pdata[j])->syscall, name) == 0)
				return profile_fail(error, PROFILE_ERROR_SYNTAX, path, line,
				                    "acknowledge: %s is named twice", name);
		ProfileAcknowledgement *ack = g_new0(ProfileAcknowledgement, 1);
		*ack = (ProfileAcknowledgement){
			.syscall = g_strdup(name), .nr = nr, .file = g_strdup(path), .line = line,
		};
		g_ptr_array_add(acknowledged, ack);
	}
	return TRUE;
}

ProfileRule *
profile_rule_for(const ProfileRule *model, const char *syscall, int nr)
{
	ProfileRule *rule = g_new0(ProfileRule, 1);
	*rule = (ProfileRule){
		.syscall = g_strdup(syscall), .nr = nr, .action = model->action,
		.alternatives = g_array_ref(model->alternatives), .text = g_strdup(model->text),
		.group = g_strdup(model->group), .file = g_strdup(model->file), .line = model->line,
	};
	return rule;
}

gboolean
profile_rules_same(const ProfileRule *a, const ProfileRule *b)
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

/* ---- back to text: what `profile show` prints, in the syntax above ---- */

/* A number as a person would write it in a profile: a small negative one as
 * the int it was (AT_FDCWD's -100), small ones in decimal, others in hex. */
static void
append_number(GString *out, guint64 v)
{
	if ((gint64)v < 0 && (gint64)v >= G_MININT32)
		g_string_append_printf(out, "%" G_GINT64_FORMAT, (gint64)v);
	else if (v < 0x10000)
		g_string_append_printf(out, "%" G_GUINT64_FORMAT, v);
	else
		g_string_append_printf(out, "0x%" G_GINT64_MODIFIER "x", v);
}

static void
append_value(GString *out, const char *syscall, guint arg, guint64 v, gboolean name_zero)
{
	g_autofree char *named = profile_constant_describe(syscall, arg, v, name_zero);

	if (named != NULL)
		g_string_append(out, named);
	else
		append_number(out, v);
}

char *
profile_rule_describe(const ProfileRule *rule)
{
	static const char *const ops[] = {
		[PROFILE_CMP_EQ] = "==", [PROFILE_CMP_NE] = "!=", [PROFILE_CMP_LT] = "<",
		[PROFILE_CMP_LE] = "<=", [PROFILE_CMP_GT] = ">", [PROFILE_CMP_GE] = ">=",
		[PROFILE_CMP_MASKED_EQ] = "==",
	};
	GString *out = g_string_new(NULL);
	g_autofree char *action = profile_action_describe(&rule->action);
	guint n = rule->alternatives != NULL ? rule->alternatives->len : 0;

	g_string_append(out, action);
	for (guint i = 0; i < n; i++) {
		const ProfileAlternative *alt = &g_array_index(rule->alternatives, ProfileAlternative, i);
		g_string_append(out, i == 0 ? " if " : " || ");
		for (guint k = 0; k < alt->n_conditions; k++) {
			const ProfileCondition *c = &alt->conditions[k];
			if (k > 0)
				g_string_append(out, " && ");
			g_string_append_printf(out, "arg%u ", c->arg);
			if (c->op == PROFILE_CMP_MASKED_EQ) {
				/* "& PROT_EXEC == 0" reads better than "== PROT_NONE"
				 * for a one-bit test; "& O_ACCMODE == O_RDONLY" better
				 * than "== 0" for a field. */
				gboolean one_bit = c->mask != 0 && (c->mask & (c->mask - 1)) == 0;
				g_string_append(out, "& ");
				append_value(out, rule->syscall, c->arg, c->mask, FALSE);
				g_string_append(out, " == ");
				append_value(out, rule->syscall, c->arg, c->value, !one_bit);
			} else {
				g_string_append_printf(out, "%s ", ops[c->op]);
				append_value(out, rule->syscall, c->arg, c->value, TRUE);
			}
		}
	}
	return g_string_free(out, FALSE);
}
