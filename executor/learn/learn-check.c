/* learn-check.c — what a profile allows, and the checks of a learned
 * profile and of a learning base (see learn-check.h). */
#include "learn/learn-check.h"

#include "profiles/filter.h"
#include "violations/syscall-args.h"

#include <errno.h>
#include <gio/gio.h>
#include <unistd.h>

G_DEFINE_QUARK(learn-error-quark, learn_error)

gboolean learn_allows(const Profile *profile, int nr, const guint64 args[6])
{
	FilterVerdict v;
	filter_decide(profile, nr, (const uint64_t *)args, &v);
	return v.action.kind == PROFILE_ACTION_ALLOW || v.action.kind == PROFILE_ACTION_LOG;
}

gboolean learn_rule_unconditional(const ProfileRule *rule)
{
	return !rule->alternatives || rule->alternatives->len == 0;
}

gboolean learn_profile_verify(const char *text, const char *dir, const LearnLog *log,
                              GError **error)
{
	g_autofree char *path = g_build_filename(dir, ".learned-XXXXXX.profile", NULL);
	int fd = g_mkstemp(path);
	if (fd < 0) {
		int e = errno;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e),
		            "cannot check the learned profile in %s: %s", dir, g_strerror(e));
		return FALSE;
	}
	close(fd);
	g_autoptr(GError) local = NULL;
	g_autoptr(Profile) profile = NULL;
	if (g_file_set_contents(path, text, -1, &local))
		profile = profile_load(path, &local);
	unlink(path);
	if (!profile) {
		g_propagate_prefixed_error(error, g_steal_pointer(&local),
		                           "the learned profile does not load: ");
		return FALSE;
	}
	g_autoptr(Filter) filter = filter_compile(profile, FALSE, &local);
	if (!filter) {
		g_propagate_prefixed_error(error, g_steal_pointer(&local),
		                           "the learned profile does not compile: ");
		return FALSE;
	}
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, log->syscalls);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		const LearnSyscall *s = value;
		for (guint k = 0; k < s->samples->len; k++) {
			const LearnSample *sample = &g_array_index(s->samples, LearnSample, k);
			/* What a trial refused must be refused the same way: the
			 * experts completed with that answer. What W^X refuses, no
			 * profile can allow. */
			FilterVerdict v;
			filter_decide(profile, s->nr, (const uint64_t *)sample->args, &v);
			gboolean as_learned = s->refused
				? v.action.kind == PROFILE_ACTION_ERRNO && v.action.errno_value == s->refused
				: learn_allows(profile, s->nr, sample->args);
			if (as_learned || filter_wx_refusal(s->nr, (const uint64_t *)sample->args, FALSE))
				continue;
			g_autofree char *call = syscall_args_describe(s->nr, sample->args);
			g_set_error(error, LEARN_ERROR, LEARN_ERROR_VERIFY,
			            "the learned profile would %s %s, which %s made (a bug in learn.c)",
			            s->refused ? "not refuse" : "refuse", call,
			            learn_log_expert_name(log, sample->expert));
			return FALSE;
		}
	}
	return TRUE;
}

gboolean learn_parent_fits(const Profile *candidate, const Profile *strict, const LearnLog *log)
{
	guint outputs = 0;
	for (guint i = 0; i < log->experts->len; i++)
		outputs = MAX(outputs, g_array_index(log->experts, LearnExpert, i).usage.outputs);
	if (candidate->max_outputs > strict->max_outputs && outputs == 0)
		return FALSE;
	if (candidate->default_action.kind != strict->default_action.kind)
		return FALSE;
	for (guint i = 0; i < candidate->rules->len; i++) {
		const ProfileRule *c = candidate->rules->pdata[i];
		const ProfileRule *p = profile_find_rule(strict, c->nr);
		if ((p && profile_rules_same(c, p)) ||
		    (c->action.kind != PROFILE_ACTION_ALLOW && c->action.kind != PROFILE_ACTION_LOG))
			continue;
		const LearnSyscall *s = g_hash_table_lookup(log->syscalls, GINT_TO_POINTER(c->nr));
		if (!s || s->refused)
			return FALSE;
	}
	return TRUE;
}

gboolean learn_check_base(const Profile *base, const Profile *parent, GError **error)
{
	if (base->default_action.kind != PROFILE_ACTION_NOTIFY) {
		g_autofree char *action = profile_action_describe(&base->default_action);
		g_set_error(error, LEARN_ERROR, LEARN_ERROR_BASE,
		            "%s: default-action is %s; a learning base needs notify, which is how "
		            "refused calls reach the learner", base->path, action);
		return FALSE;
	}
	for (guint i = 0; i < parent->rules->len; i++) {
		const ProfileRule *p = parent->rules->pdata[i];
		if (p->action.kind != PROFILE_ACTION_KILL || !learn_rule_unconditional(p))
			continue;
		const ProfileRule *b = profile_find_rule(base, p->nr);
		if (b && b->action.kind == PROFILE_ACTION_KILL && learn_rule_unconditional(b))
			continue;
		g_set_error(error, LEARN_ERROR, LEARN_ERROR_BASE,
		            "%s: no \"%s = kill\" (%s:%u has it): a learning base must kill what %s "
		            "kills, or a learning run could let an escape through",
		            base->path, p->syscall, p->file, p->line, parent->name);
		return FALSE;
	}
	for (guint i = 0; i < base->rules->len; i++) {
		const ProfileRule *b = base->rules->pdata[i];
		const uint64_t none[6] = { 0 };
		if ((b->action.kind != PROFILE_ACTION_KILL && b->action.kind != PROFILE_ACTION_TRAP) ||
		    !filter_is_loader_call(b->nr, none))
			continue;
		/* profiles/filter.c sends the loader's syscalls to the executor, which
		 * applies such a rule itself, and a learning run lets through what
		 * the executor would refuse. */
		g_set_error(error, LEARN_ERROR, LEARN_ERROR_BASE,
		            "%s:%u: \"%s = %s\": the dynamic loader needs %s, so the executor, not the "
		            "kernel, applies this rule, and a learning run would let these calls through; "
		            "learn without it and add it to the learned profile",
		            b->file, b->line, b->syscall, b->text, b->syscall);
		return FALSE;
	}
	return TRUE;
}
