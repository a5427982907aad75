/* learn-writer.c — the log of a learning run made profile text (see
 * learn-writer.h). Pure; the command that runs experts is learn.c, the
 * runs learn-trial.c, the log learn-log.c, the checks learn-check.c. The
 * writer's choices:
 *
 *  - The output inherits the smallest shipped profile that fits (strict,
 *    or coalesce for experts that write outputs; learn.c chooses): it
 *    already allows what libexpert needs and kills the escapes, so the file
 *    holds only what the experts did beyond that, and the kill rules stay
 *    maintained in one place.
 *  - A syscall a trial run refused (errno) while every expert still
 *    completed with the same results is refused, not allowed: the least
 *    comes first (learn-trial.c).
 *  - One allow per syscall the experts could not do without, as tight as is
 *    obviously safe: narrowed on the values seen of the argument that says
 *    what the call does (the descriptor of read and write, open's access
 *    mode and O_CREAT/O_TRUNC, mmap's PROT_EXEC, fcntl's command, socket's
 *    family: learn-log.c's table), anything else unconditional. Conditions
 *    on pointers or sizes would hold for this capture only.
 *  - A group replaces its members' rules when every member was seen (or is
 *    already allowed by strict): the profile then says what it means.
 *  - Calls the base profile decided itself (allowed, or failed with an
 *    errno) never reached the learner: rules of the base that strict lacks
 *    are copied, so the learned profile behaves as the learning run did.
 */
#include "learn/learn-writer.h"

#include "learn/learn-check.h"
#include "learn/learn-header.h"
#include "profiles/filter.h"
#include "profiles/profile-lint.h"
#include "profiles/syscall-groups.h"
#include "violations/syscall-args.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* ---- the writer ---------------------------------------------------------- */

/* "write(2<stderr>, 0x7ffc5e3b1a20, 22)": as reports show calls, with the
 * strings the report read from the child where it could. */
static char *describe_sample(const LearnSyscall *s, const LearnSample *sample)
{
	if (sample->text)
		return g_strdup(sample->text);
	return syscall_args_describe(s->nr, sample->args);
}

/* "# seen 3 times, in a.so (2), b.so (1); e.g. write(2<...>, 0x7ffc..., 28)" */
static void comment_seen(GString *out, const LearnLog *log, const LearnSyscall *s)
{
	if (s->count == 1)
		g_string_append(out, "# seen once, in ");
	else
		g_string_append_printf(out, "# seen %" G_GUINT64_FORMAT " times, in ", s->count);
	for (guint i = 0; i < s->seen_by->len; i++) {
		const LearnSeenBy *by = &g_array_index(s->seen_by, LearnSeenBy, i);
		g_autofree char *name = learn_comment_safe(learn_log_expert_name(log, by->expert));
		g_string_append_printf(out, "%s%s", i ? ", " : "", name);
		if (s->seen_by->len > 1)
			g_string_append_printf(out, " (%" G_GUINT64_FORMAT ")", by->count);
	}
	const LearnSample *first = &g_array_index(s->samples, LearnSample, 0);
	g_autofree char *call = describe_sample(s, first);
	g_autofree char *safe = learn_comment_safe(call);
	g_string_append_printf(out, "; e.g. %s%s\n", safe,
	                       strchr(safe, '"') ? " (strings as read at the time of the call)" : "");
}

static gboolean rule_lets_through(const ProfileRule *rule)
{
	return rule->action.kind == PROFILE_ACTION_ALLOW || rule->action.kind == PROFILE_ACTION_LOG;
}

/* A base rule the learned profile must repeat: the base decided these calls
 * itself (so the learner never saw them) and strict would decide otherwise.
 * Never one that would replace a kill of strict's. */
static gboolean must_carry(const ProfileRule *base, const ProfileRule *parent)
{
	if (!base || (!rule_lets_through(base) && base->action.kind != PROFILE_ACTION_ERRNO))
		return FALSE;
	if (parent && parent->action.kind == PROFILE_ACTION_KILL)
		return FALSE;
	return !parent || parent->action.kind != base->action.kind ||
	       parent->action.errno_value != base->action.errno_value ||
	       strcmp(parent->text, base->text) != 0;
}

/* "allow if arg0 == 1 || arg0 == 2", as `profile show` writes rules:
 * constants by name where the argument takes them. */
static char *rule_text(const LearnSyscall *s, ProfileActionKind kind, int errno_value,
                       GArray *alternatives)
{
	ProfileRule rule = {
		.syscall = s->name, .nr = s->nr,
		.action = { kind, errno_value },
		.alternatives = alternatives,
	};
	return profile_rule_describe(&rule);
}

static gint compare_u64(gconstpointer a, gconstpointer b)
{
	guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;
	return x < y ? -1 : x > y;
}

/* The alternatives that keep an allow to the values seen of its narrowing
 * argument, appended to alts; none (an unconditional allow) when there were
 * too many, when the values seen are every value the mask can take, or
 * when nothing narrows the syscall. Says which in comment. */
static void narrow(const LearnSyscall *s, GArray *alts, GString *comment)
{
	const LearnNarrowing *n = s->narrowing;
	if (!n)
		return;
	if (s->too_many_values) {
		g_string_append_printf(comment, "# more than %d %s seen: no condition\n", LEARN_MAX_VALUES,
		                       n->what);
		return;
	}
	gboolean one_bit = n->mask && (n->mask & (n->mask - 1)) == 0;
	/* W^X, the executor's own rule, refuses an executable mapping whatever
	 * a profile says: the rule keeps to what it can allow. */
	if (n->mask == PROT_EXEC && s->n_values == 2) {
		g_string_append(comment, "# an executable mapping (PROT_EXEC) was seen: W^X, the "
		                         "executor's own rule,\n# refuses it whatever a profile says, so "
		                         "it is left out\n");
		ProfileAlternative alt = { .n_conditions = 1 };
		alt.conditions[0] = (ProfileCondition){
			.arg = n->arg, .op = PROFILE_CMP_MASKED_EQ, .value = 0, .mask = n->mask,
		};
		g_array_append_val(alts, alt);
		return;
	}
	if (one_bit && s->n_values == 2) {
		g_string_append_printf(comment, "# both %s seen: no condition\n", n->what);
		return;
	}
	guint64 values[LEARN_MAX_VALUES];
	memcpy(values, s->values, sizeof(values));
	qsort(values, s->n_values, sizeof(values[0]), compare_u64);
	for (guint i = 0; i < s->n_values; i++) {
		ProfileAlternative alt = { .n_conditions = 1 };
		alt.conditions[0] = (ProfileCondition){
			.arg = n->arg,
			.op = n->mask ? PROFILE_CMP_MASKED_EQ : PROFILE_CMP_EQ,
			.value = values[i],
			.mask = n->mask,
		};
		g_array_append_val(alts, alt);
	}
}

typedef struct {
	const char *name;           /* the syscall */
	const LearnSyscall *seen;   /* NULL for a rule only carried from the base */
	char *value;                /* "allow if arg0 == 2" */
	gboolean lets_through;      /* allow or log, with or without conditions */
	gboolean allow_all;         /* exactly "allow" */
	gboolean in_group;          /* said by a group's line instead */
	GString *comment;           /* lines, each "# ...\n" */
} Planned;

static void planned_free(gpointer p)
{
	Planned *r = p;
	g_free(r->value);
	g_string_free(r->comment, TRUE);
	g_free(r);
}

static Planned *planned_new(const char *name, const LearnSyscall *seen)
{
	Planned *r = g_new0(Planned, 1);
	r->name = name;
	r->seen = seen;
	r->comment = g_string_new(NULL);
	return r;
}

static gint planned_by_name(gconstpointer a, gconstpointer b)
{
	return strcmp((*(Planned *const *)a)->name, (*(Planned *const *)b)->name);
}

static void comment_rule(GString *out, const char *what, const Profile *profile,
                         const ProfileRule *rule)
{
	g_autofree char *base = g_path_get_basename(rule->file);
	g_autofree char *file = learn_comment_safe(base);
	g_string_append_printf(out, "# %s %s's \"%s = %s\" (%s:%u)\n", what, profile->name,
	                       rule->group ? rule->group : rule->syscall, rule->text, file, rule->line);
}

/* A note when the rule lets a dangerous call through without a condition:
 * profile check refuses it until the profile says it means it. */
static void comment_danger(GString *comment, const char *name, gboolean conditional)
{
	const ProfileDanger *d = profile_danger_find(name);
	if (!d || (conditional && d->condition_limits))
		return;
	g_string_append_printf(comment, "# profile check: allowing %s %s; add \"acknowledge = %s\" "
	                                "to [profile] once you decide experts may\n",
	                       name, d->why, name);
}

/* The rule for a syscall that was seen and is needed. carry is the base's
 * rule for it when the base decided some of its calls itself (must_carry),
 * else NULL. */
static Planned *plan_seen(const LearnLog *log, const LearnSyscall *s, const Profile *base,
                          const ProfileRule *carry, const Profile *parent,
                          const ProfileRule *parent_rule)
{
	Planned *r = planned_new(s->name, s);
	comment_seen(r->comment, log, s);
	if (s->refused)
		g_string_append(r->comment, "# refusing it in a trial run changed what an expert did: needed\n");

	g_autoptr(GArray) alts = g_array_new(FALSE, FALSE, sizeof(ProfileAlternative));
	narrow(s, alts, r->comment);
	if (carry) {
		/* The calls the base's conditions matched never reached the learner:
		 * keep them allowed alongside the ones seen. */
		comment_rule(r->comment, rule_lets_through(carry) ? "and what the base allowed itself:"
		                                                  : "and what the base decided itself:",
		             base, carry);
		guint n = carry->alternatives->len;
		if (rule_lets_through(carry) && alts->len > 0 && n + alts->len <= PROFILE_MAX_ALTERNATIVES) {
			g_array_prepend_vals(alts, carry->alternatives->data, n);
		} else {
			if (!rule_lets_through(carry))
				g_string_append(r->comment, "# (the calls it failed are allowed now: one rule "
				                            "cannot both fail and allow)\n");
			g_array_set_size(alts, 0);
		}
	}
	if (parent_rule)
		comment_rule(r->comment, "replaces", parent, parent_rule);
	comment_danger(r->comment, s->name, alts->len > 0);
	r->lets_through = TRUE;
	r->allow_all = alts->len == 0;
	r->value = rule_text(s, PROFILE_ACTION_ALLOW, 0, alts);
	return r;
}

/* A syscall every expert did without: a trial run refused all its calls
 * with errno, and each still completed with the same results. Refused in
 * the learned profile, unless the parent refuses it the same way already
 * (then only the comment says so). */
static Planned *plan_refused(const LearnLog *log, const LearnSyscall *s, const Profile *parent,
                             const ProfileRule *parent_rule)
{
	Planned *r = planned_new(s->name, s);
	comment_seen(r->comment, log, s);
	g_autofree char *action = profile_action_describe(&(ProfileAction){ PROFILE_ACTION_ERRNO,
	                                                                    s->refused });
	g_string_append_printf(r->comment, "# a trial run refused it (%s), and every expert still "
	                                   "completed with the same\n# results: refused, not allowed\n",
	                       action);
	if (parent_rule && parent_rule->action.kind == PROFILE_ACTION_ERRNO &&
	    parent_rule->action.errno_value == s->refused && learn_rule_unconditional(parent_rule)) {
		comment_rule(r->comment, "as", parent, parent_rule);
		g_string_append_printf(r->comment, "# so %s's rule stands\n", parent->name);
		return r; /* no value: a note */
	}
	if (parent_rule)
		comment_rule(r->comment, "replaces", parent, parent_rule);
	r->value = rule_text(s, PROFILE_ACTION_ERRNO, s->refused, NULL);
	return r;
}

/* A base rule for a syscall never seen: the base decided its calls itself
 * and the run relied on that, so the learned profile says the same. */
static Planned *plan_carried(const Profile *base, const ProfileRule *rule)
{
	Planned *r = planned_new(rule->syscall, NULL);
	comment_rule(r->comment, "unseen, as the base decided these calls itself: copies", base, rule);
	r->value = g_strdup(rule->text);
	r->lets_through = rule_lets_through(rule);
	r->allow_all = rule->action.kind == PROFILE_ACTION_ALLOW && learn_rule_unconditional(rule);
	return r;
}

static Planned *find_planned(GPtrArray *planned, const char *name)
{
	for (guint i = 0; i < planned->len; i++) {
		Planned *r = planned->pdata[i];
		if (strcmp(r->name, name) == 0)
			return r;
	}
	return NULL;
}

/* Lines for every group all of whose members were seen (or are allowed by
 * parent already) and that would replace at least two rules. Members whose
 * rule has conditions keep it: a rule for the syscall itself overrides its
 * group's. Every group line says "allow", so groups sharing a member agree. */
static void write_groups(GString *out, GPtrArray *planned, const Profile *parent)
{
	gsize n_groups;
	const SyscallGroup *groups = syscall_groups(&n_groups);
	for (gsize g = 0; g < n_groups; g++) {
		g_autoptr(GPtrArray) members = g_ptr_array_new();
		if (!syscall_group_expand(&groups[g], members, NULL))
			continue;
		guint folded = 0;
		gboolean covered = TRUE;
		for (guint i = 0; i < members->len && covered; i++) {
			const Planned *r = find_planned(planned, members->pdata[i]);
			if (r) {
				covered = r->lets_through;
				folded += r->allow_all;
			} else {
				int nr = seccomp_syscall_resolve_name(members->pdata[i]);
				const ProfileRule *p = nr >= 0 ? profile_find_rule(parent, nr) : NULL;
				covered = p && p->action.kind == PROFILE_ACTION_ALLOW && learn_rule_unconditional(p);
			}
		}
		if (!covered || folded < 2)
			continue;
		g_string_append_printf(out, "# every member of %s was seen, or is allowed already:\n",
		                       groups[g].name);
		for (guint i = 0; i < members->len; i++) {
			Planned *r = find_planned(planned, members->pdata[i]);
			if (!r || !r->allow_all)
				continue;
			/* The member's comment, under its name: "# brk: seen ..." */
			g_auto(GStrv) lines = g_strsplit(r->comment->str, "\n", -1);
			for (guint k = 0; lines[k] && lines[k][0]; k++) {
				if (k == 0)
					g_string_append_printf(out, "# %s: %s\n", r->name, lines[k] + 2);
				else
					g_string_append_printf(out, "#   %s\n", lines[k] + 2);
			}
			r->in_group = TRUE;
		}
		g_string_append_printf(out, "%s = allow\n\n", groups[g].name);
	}
}

char *learn_profile_text(const LearnLog *log, const LearnHeader *header, const Profile *parent,
                         GError **error)
{
	const Profile *base = header->base;
	g_autoptr(GPtrArray) seen = learn_log_sorted_syscalls(log);

	/* Kills are never learned: a base that let one through is refused
	 * before any run (learn_check_base); this holds whatever the log. */
	for (guint i = 0; i < seen->len; i++) {
		const LearnSyscall *s = seen->pdata[i];
		for (guint k = 0; k < s->samples->len; k++) {
			const LearnSample *sample = &g_array_index(s->samples, LearnSample, k);
			FilterVerdict v;
			filter_decide(parent, s->nr, (const uint64_t *)sample->args, &v);
			if (v.action.kind != PROFILE_ACTION_KILL && v.action.kind != PROFILE_ACTION_TRAP)
				continue;
			g_autofree char *call = describe_sample(s, sample);
			g_set_error(error, LEARN_ERROR, LEARN_ERROR_KILLED,
			            "%s called %s, which %s kills: a learned profile never allows it",
			            learn_log_expert_name(log, sample->expert), call, parent->name);
			return NULL;
		}
	}

	g_autoptr(GPtrArray) planned = g_ptr_array_new_with_free_func(planned_free);
	for (guint i = 0; i < seen->len; i++) {
		const LearnSyscall *s = seen->pdata[i];
		const ProfileRule *p = profile_find_rule(parent, s->nr);
		const ProfileRule *b = base ? profile_find_rule(base, s->nr) : NULL;
		const ProfileRule *carry = must_carry(b, p) ? b : NULL;
		gboolean parent_allows = TRUE;
		for (guint k = 0; k < s->samples->len && parent_allows; k++)
			parent_allows = learn_allows(parent, s->nr,
			                              g_array_index(s->samples, LearnSample, k).args);
		if (!carry && parent_allows)
			continue;
		/* A refusal is tried only where the base decided nothing itself
		 * (learn-trial.c); carry wins should that ever change. */
		if (s->refused && !carry)
			g_ptr_array_add(planned, plan_refused(log, s, parent, p));
		else
			g_ptr_array_add(planned, plan_seen(log, s, base, carry, parent, p));
	}
	for (guint i = 0; base && i < base->rules->len; i++) {
		const ProfileRule *b = base->rules->pdata[i];
		if (!g_hash_table_contains(log->syscalls, GINT_TO_POINTER(b->nr)) &&
		    must_carry(b, profile_find_rule(parent, b->nr)))
			g_ptr_array_add(planned, plan_carried(base, b));
	}
	g_ptr_array_sort(planned, planned_by_name);

	GString *out = g_string_new(NULL);
	learn_header_write(out, log, header, parent);
	g_string_append_printf(out, "[profile]\ndescription = Learned by profile learn from %u expert%s\n"
	                            "inherits = %s\n\n", log->experts->len,
	                       log->experts->len == 1 ? "" : "s", parent->name);
	learn_limits_write(out, log, parent);
	g_string_append(out, "[syscalls]\n");
	if (planned->len == 0)
		g_string_append_printf(out, "# Nothing beyond %s: it already allows every call the experts made.\n",
		                       parent->name);
	write_groups(out, planned, parent);
	for (guint i = 0; i < planned->len; i++) {
		const Planned *r = planned->pdata[i];
		if (r->in_group)
			continue;
		if (r->value)
			g_string_append_printf(out, "%s%s = %s\n", r->comment->str, r->name, r->value);
		else
			g_string_append_printf(out, "%s# (no rule: %s)\n", r->comment->str, r->name);
	}
	return g_string_free(out, FALSE);
}
