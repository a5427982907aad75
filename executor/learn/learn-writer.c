/* learn-writer.c — the log of a learning run made profile text (see
 * learn-writer.h). Pure; the command that runs experts is learn.c, the log
 * learn-log.c, the checks learn-check.c. The writer's choices:
 *
 *  - The output inherits strict.profile: strict already allows what
 *    libexpert needs and kills the escapes, so the file holds only what the
 *    experts did beyond that, and the kill rules stay maintained in one place.
 *  - One rule per syscall, as tight as is obviously safe: descriptor
 *    syscalls on the descriptors seen, mmap/mprotect without PROT_EXEC when
 *    no executable mapping was seen, anything else unconditional. Conditions
 *    on pointers or sizes would hold for this capture only.
 *  - A group replaces its members' rules when every member was seen (or is
 *    already allowed by strict): the profile then says what it means.
 *  - Calls the base profile decided itself (allowed, or failed with an
 *    errno) never reached the learner: rules of the base that strict lacks
 *    are copied, so the learned profile behaves as the learning run did.
 */
#include "learn/learn-writer.h"

#include "learn/learn-check.h"
#include "profiles/filter.h"
#include "profiles/syscall-groups.h"
#include "violations/syscall-args.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

/* ---- the writer ---------------------------------------------------------- */

/* Text from outside (paths, the command line) made safe for a comment line:
 * valid UTF-8, and no control characters, which would end the comment or
 * make the file one profile_load() refuses. */
static char *comment_safe(const char *text)
{
	char *s = g_utf8_make_valid(text, -1);
	for (char *p = s; *p; p++)
		if ((guchar)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return s;
}

/* "write(2<stderr>, 0x7ffc5e3b1a20, 22)": as reports show calls. */
static char *describe_call(const LearnSyscall *s, const guint64 args[6])
{
	return syscall_args_describe(s->nr, args);
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
		g_autofree char *name = comment_safe(learn_log_expert_name(log, by->expert));
		g_string_append_printf(out, "%s%s", i ? ", " : "", name);
		if (s->seen_by->len > 1)
			g_string_append_printf(out, " (%" G_GUINT64_FORMAT ")", by->count);
	}
	const LearnSample *first = &g_array_index(s->samples, LearnSample, 0);
	g_autofree char *call = describe_call(s, first->args);
	g_string_append_printf(out, "; e.g. %s\n", call);
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

static void append_value(GString *out, guint64 v)
{
	if (v < 100000)
		g_string_append_printf(out, "%" G_GUINT64_FORMAT, v);
	else
		g_string_append_printf(out, "0x%" G_GINT64_MODIFIER "x", v);
}

static gint compare_u64(gconstpointer a, gconstpointer b)
{
	guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;
	return x < y ? -1 : x > y;
}

static void append_condition(GString *out, const ProfileCondition *c)
{
	static const char *const ops[] = {
		[PROFILE_CMP_EQ] = "==", [PROFILE_CMP_NE] = "!=", [PROFILE_CMP_LT] = "<",
		[PROFILE_CMP_LE] = "<=", [PROFILE_CMP_GT] = ">", [PROFILE_CMP_GE] = ">=",
		[PROFILE_CMP_MASKED_EQ] = "==",
	};
	g_string_append_printf(out, "arg%u ", c->arg);
	if (c->op == PROFILE_CMP_MASKED_EQ) {
		g_string_append(out, "& ");
		append_value(out, c->mask);
		g_string_append_c(out, ' ');
	}
	g_string_append_printf(out, "%s ", ops[c->op]);
	append_value(out, c->value);
}

static char *alternative_text(const ProfileAlternative *alt)
{
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < alt->n_conditions; i++) {
		if (i)
			g_string_append(out, " && ");
		append_condition(out, &alt->conditions[i]);
	}
	return g_string_free(out, FALSE);
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
	g_autofree char *file = comment_safe(base);
	g_string_append_printf(out, "# %s %s's \"%s = %s\" (%s:%u)\n", what, profile->name,
	                       rule->group ? rule->group : rule->syscall, rule->text, file, rule->line);
}

/* The rule for a syscall that was seen. carry is the base's rule for it when
 * the base decided some of its calls itself (must_carry), else NULL. */
static Planned *plan_seen(const LearnLog *log, const LearnSyscall *s, const Profile *base,
                          const ProfileRule *carry, const Profile *parent,
                          const ProfileRule *parent_rule)
{
	Planned *r = planned_new(s->name, s);
	comment_seen(r->comment, log, s);

	g_autoptr(GPtrArray) alts = g_ptr_array_new_with_free_func(g_free);
	if (s->shape == LEARN_SHAPE_FD0 && !s->too_many_fds) {
		guint64 fds[LEARN_MAX_DESCRIPTORS];
		memcpy(fds, s->fds, sizeof(fds));
		qsort(fds, s->n_fds, sizeof(fds[0]), compare_u64);
		for (guint i = 0; i < s->n_fds; i++) {
			GString *a = g_string_new("arg0 == ");
			append_value(a, fds[i]);
			g_ptr_array_add(alts, g_string_free(a, FALSE));
		}
	} else if (s->shape == LEARN_SHAPE_FD0) {
		g_string_append_printf(r->comment, "# more than %d descriptors seen: no condition\n",
		                       LEARN_MAX_DESCRIPTORS);
	} else if (s->shape == LEARN_SHAPE_PROT2 && !s->exec_seen) {
		g_ptr_array_add(alts, g_strdup("arg2 & PROT_EXEC == 0"));
	} else if (s->shape == LEARN_SHAPE_PROT2) {
		g_string_append(r->comment, "# WARNING: an executable mapping (PROT_EXEC) was seen: this rule "
		                            "lets the expert\n# make new code runnable. Think twice.\n");
	}
	if (carry) {
		/* The calls the base's conditions matched never reached the learner:
		 * keep them allowed alongside the ones seen. */
		comment_rule(r->comment, rule_lets_through(carry) ? "and what the base allowed itself:"
		                                                  : "and what the base decided itself:",
		             base, carry);
		guint n = carry->alternatives->len;
		if (rule_lets_through(carry) && alts->len > 0 &&
		    n + alts->len <= PROFILE_MAX_ALTERNATIVES) {
			for (guint i = 0; i < n; i++)
				g_ptr_array_insert(alts, (gint)i, alternative_text(&g_array_index(
					carry->alternatives, ProfileAlternative, i)));
		} else {
			if (!rule_lets_through(carry))
				g_string_append(r->comment, "# (the calls it failed are allowed now: one rule "
				                            "cannot both fail and allow)\n");
			g_ptr_array_set_size(alts, 0);
		}
	}
	if (parent_rule)
		comment_rule(r->comment, "replaces", parent, parent_rule);
	r->lets_through = TRUE;
	if (alts->len == 0) {
		r->value = g_strdup("allow");
		r->allow_all = TRUE;
	} else {
		g_ptr_array_add(alts, NULL);
		g_autofree char *joined = g_strjoinv(" || ", (char **)alts->pdata);
		r->value = g_strconcat("allow if ", joined, NULL);
	}
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

/* "20.0 KiB" with a plain space: g_format_size() puts a no-break space. */
static void append_size(GString *out, guint64 bytes)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes;
	guint u = 0;
	while (v >= 1024 && u + 1 < G_N_ELEMENTS(units)) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		g_string_append_printf(out, "%" G_GUINT64_FORMAT " bytes", bytes);
	else
		g_string_append_printf(out, "%.1f %s", v, units[u]);
}

/* The largest use of any expert, for the header and the limits. */
static LearnUsage peak_usage(const LearnLog *log)
{
	LearnUsage peak = { 0 };
	for (guint i = 0; i < log->experts->len; i++) {
		const LearnUsage *u = &g_array_index(log->experts, LearnExpert, i).usage;
		peak.peak_pool_bytes = MAX(peak.peak_pool_bytes, u->peak_pool_bytes);
		peak.max_rss_bytes = MAX(peak.max_rss_bytes, u->max_rss_bytes);
		peak.cpu_usec = MAX(peak.cpu_usec, u->cpu_usec);
		peak.wall_usec = MAX(peak.wall_usec, u->wall_usec);
		peak.events = MAX(peak.events, u->events);
	}
	return peak;
}

/* A [limits] group only where parent's limit is not twice what the
 * learning run used; strict's limits serve everything else. */
static void write_limits(GString *out, const LearnLog *log, const Profile *parent)
{
	const guint64 max_ms = 7ull * 24 * 3600 * 1000, max_bytes = 1ull << 40;
	LearnUsage peak = peak_usage(log);
	g_autoptr(GString) keys = g_string_new(NULL);
	guint64 memory = MAX(peak.peak_pool_bytes, peak.max_rss_bytes) * 2;
	if (memory > parent->memory_bytes) {
		guint64 mib = MIN(memory, max_bytes) + (1 << 20) - 1;
		g_string_append_printf(keys, "# twice the learning run's peak (pool or RSS, the larger)\n"
		                             "memory = %" G_GUINT64_FORMAT "M\n", mib >> 20);
	}
	guint64 cpu_ms = peak.cpu_usec * 2 / 1000;
	if (cpu_ms > parent->cpu_ms)
		g_string_append_printf(keys, "# the learning run's CPU time, twice over\n"
		                             "cpu-time = %" G_GUINT64_FORMAT "s\n",
		                       (MIN(cpu_ms, max_ms) + 999) / 1000);
	guint64 wall_ms = peak.wall_usec * 2 / 1000;
	if (wall_ms > parent->wall_ms)
		g_string_append_printf(keys, "# the learning run's wall-clock time (slowed by learning), twice over\n"
		                             "wall-time = %" G_GUINT64_FORMAT "s\n",
		                       (MIN(wall_ms, max_ms) + 999) / 1000);
	if (peak.events > parent->max_events)
		g_string_append_printf(keys, "# the events submitted, twice over\nevents = %" G_GUINT64_FORMAT "\n",
		                       MIN((guint64)peak.events * 2, G_MAXUINT));
	if (keys->len)
		g_string_append_printf(out, "[limits]\n%s\n", keys->str);
}

static void write_header(GString *out, const LearnLog *log, const LearnHeader *h,
                         const Profile *parent)
{
	g_autofree char *command = comment_safe(h->command_line ? h->command_line : "?");
	g_autofree char *capture = comment_safe(h->capture ? h->capture : "?");
	g_string_append(out, "# Learned by `expert-exec profile learn`: the smallest profile found under which\n"
	                     "# these experts completed over this capture. Edit freely.\n#\n");
	g_string_append_printf(out, "# command  %s\n# date     %s\n# capture  %s\n", command,
	                       h->date ? h->date : "?", capture);
	if (h->base) {
		g_autofree char *path = comment_safe(h->base->path);
		g_string_append_printf(out, "# base     %s (%s): the learning run's limits and kill rules\n",
		                       h->base->name, path);
	}
	for (guint i = 0; i < log->experts->len; i++) {
		const LearnExpert *e = &g_array_index(log->experts, LearnExpert, i);
		g_autofree char *name = comment_safe(e->name);
		g_string_append_printf(out, "# %-8s %s: %" G_GUINT64_FORMAT " refused call%s", i ? "" : "experts",
		                       name, e->calls, e->calls == 1 ? "" : "s");
		if (e->ran) {
			g_string_append(out, "; pool ");
			append_size(out, e->usage.peak_pool_bytes);
			g_string_append(out, ", RSS ");
			append_size(out, e->usage.max_rss_bytes);
			g_string_append_printf(out, ", CPU %" G_GUINT64_FORMAT " ms, wall %" G_GUINT64_FORMAT " ms",
			                       e->usage.cpu_usec / 1000, e->usage.wall_usec / 1000);
		}
		g_string_append_c(out, '\n');
	}
	g_string_append_printf(out,
		"#\n"
		"# It inherits %s rather than standing alone: %s already allows what\n"
		"# libexpert needs and kills the classic escapes, so this file holds only what\n"
		"# the experts did beyond it, and the kill rules stay maintained in one place.\n"
		"# A rule here replaces %s's rule for the same syscall. Conditions:\n"
		"# descriptor syscalls on the descriptors seen (at most %d), mmap and mprotect\n"
		"# without PROT_EXEC unless an executable mapping was seen, none on anything\n"
		"# else (pointers and sizes would fit this capture only).\n\n",
		parent->name, parent->name, parent->name, LEARN_MAX_DESCRIPTORS);
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
			g_autofree char *call = describe_call(s, sample->args);
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
	write_header(out, log, header, parent);
	g_string_append_printf(out, "[profile]\ndescription = Learned by profile learn from %u expert%s\n"
	                            "inherits = %s\n\n", log->experts->len,
	                       log->experts->len == 1 ? "" : "s", parent->name);
	write_limits(out, log, parent);
	g_string_append(out, "[syscalls]\n");
	if (planned->len == 0)
		g_string_append_printf(out, "# Nothing beyond %s: it already allows every call the experts made.\n",
		                       parent->name);
	write_groups(out, planned, parent);
	for (guint i = 0; i < planned->len; i++) {
		const Planned *r = planned->pdata[i];
		if (!r->in_group)
			g_string_append_printf(out, "%s%s = %s\n", r->comment->str, r->name, r->value);
	}
	return g_string_free(out, FALSE);
}
