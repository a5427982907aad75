/* profile-lint.c — the checks behind `expert-exec profile check` (see
 * profile-lint.h). Two tables, then one function per check.
 *
 * A rule is judged by what it decides in the resolved profile (the rules a
 * later file or a direct rule replaced decide nothing) and, to tell a rule
 * that changes nothing from one that restores the default over a parent's or
 * a group's rule, by the history profile_load() keeps: every rule as each
 * file of the chain wrote it. */
#include "profiles/profile-lint.h"

#include "profiles/profile-rule.h"
#include "profiles/syscall-groups.h"

#include <seccomp.h>
#include <string.h>

static const ProfileLintCheck checks[] = {
	{ PROFILE_LINT_DANGEROUS_ALLOW, "dangerous-allow", PROFILE_FINDING_ERROR,
	  "a rule allows (or logs) a dangerous syscall that [profile] acknowledge does not name" },
	{ PROFILE_LINT_DANGEROUS_DEFAULT, "dangerous-default", PROFILE_FINDING_ERROR,
	  "default-action allow or log lets through dangerous syscalls no rule denies" },
	{ PROFILE_LINT_REDUNDANT_RULE, "redundant-rule", PROFILE_FINDING_WARNING,
	  "a rule whose action is the default action's, overriding no other rule: it changes nothing" },
	{ PROFILE_LINT_OVERRIDDEN_GROUP, "overridden-group", PROFILE_FINDING_WARNING,
	  "a @group rule that decides none of its syscalls: other rules decide every one" },
	{ PROFILE_LINT_TRAP_ACTION, "trap-action", PROFILE_FINDING_WARNING,
	  "trap sends SIGSYS, which the expert can catch and carry on from; the executor is not told" },
	{ PROFILE_LINT_LOG_ACTION, "log-action", PROFILE_FINDING_WARNING,
	  "log allows the call; only a kernel audit record, which the executor does not read, tells of it" },
	{ PROFILE_LINT_NO_DESCRIPTION, "no-description", PROFILE_FINDING_WARNING,
	  "the file sets no description of its own (profile list shows it)" },
	{ PROFILE_LINT_UNUSED_ACKNOWLEDGE, "unused-acknowledge", PROFILE_FINDING_WARNING,
	  "acknowledge names a dangerous syscall the profile does not let through" },
	{ PROFILE_LINT_NEEDLESS_ACKNOWLEDGE, "needless-acknowledge", PROFILE_FINDING_WARNING,
	  "acknowledge names a syscall that is not on the dangerous list" },
};

/* What gets out of a sandbox, or weakens it, when an expert may call it;
 * and what to write instead. */
#define DENY(name) name " = kill"
#define REFUSE(name) name " = errno EACCES"
/* Opening by path reaches the host's files, beyond what the executor grants;
 * a condition on the flags can keep it to reading. */
#define OPENS "opens the host's files by path, not only what the executor grants"
#define WRITES_FS(what) what " the host's files by path"
#define PROBES "learns which of the host's files exist, and their size, owner and times"
static const ProfileDanger dangers[] = {
	{ "execve", "runs another program in the expert's place", FALSE, DENY("execve") },
	{ "execveat", "runs another program in the expert's place", FALSE, DENY("execveat") },
	{ "ptrace", "controls other processes: their memory, registers and syscalls", FALSE, DENY("ptrace") },
	{ "process_vm_readv", "reads other processes' memory", FALSE, DENY("process_vm_readv") },
	{ "process_vm_writev", "writes other processes' memory", FALSE, DENY("process_vm_writev") },
	{ "mount", "changes what the file system looks like", FALSE, DENY("mount") },
	{ "umount2", "changes what the file system looks like", FALSE, DENY("umount2") },
	{ "pivot_root", "changes the root of the file system", FALSE, DENY("pivot_root") },
	{ "chroot", "changes the root of the file system (and, with a descriptor kept, escapes it)", FALSE,
	  DENY("chroot") },
	{ "bpf", "loads programs into the kernel", FALSE, DENY("bpf") },
	{ "kexec_load", "replaces the running kernel", FALSE, DENY("kexec_load") },
	{ "kexec_file_load", "replaces the running kernel", FALSE, DENY("kexec_file_load") },
	{ "init_module", "loads code into the kernel", FALSE, DENY("init_module") },
	{ "finit_module", "loads code into the kernel", FALSE, DENY("finit_module") },
	{ "delete_module", "removes kernel modules", FALSE, DENY("delete_module") },
	{ "io_uring_setup", "does I/O the seccomp filter never sees", FALSE, DENY("io_uring_setup") },
	{ "io_uring_enter", "does I/O the seccomp filter never sees", FALSE, DENY("io_uring_enter") },
	{ "io_uring_register", "does I/O the seccomp filter never sees", FALSE, DENY("io_uring_register") },
	{ "userfaultfd", "handles page faults in user space, the raw material of kernel exploits", FALSE,
	  DENY("userfaultfd") },
	{ "perf_event_open", "opens performance counters that leak timing and kernel addresses", FALSE,
	  DENY("perf_event_open") },
	{ "keyctl", "reaches the kernel key-ring, shared beyond the child", FALSE, DENY("keyctl") },
	{ "add_key", "reaches the kernel key-ring, shared beyond the child", FALSE, DENY("add_key") },
	{ "request_key", "reaches the kernel key-ring, shared beyond the child", FALSE, DENY("request_key") },
	{ "personality", "can switch off address-space randomisation", FALSE, DENY("personality") },
	{ "setns", "enters other namespaces", FALSE, DENY("setns") },
	{ "unshare", "creates namespaces, changing what the child sees and is allowed", FALSE, DENY("unshare") },
	{ "seccomp", "installs filters of its own, which may intercept the syscalls of what it starts", FALSE,
	  DENY("seccomp") },
	{ "clone3", "creates processes, threads or namespaces with flags the filter cannot read", FALSE,
	  "clone3 = errno ENOSYS" },
	{ "fork", "creates processes the executor does not watch", FALSE, DENY("fork") },
	{ "vfork", "creates processes the executor does not watch", FALSE, DENY("vfork") },
	{ "clone", "creates processes or namespaces, not only threads, when its flags are not checked", TRUE,
	  "clone = allow if arg0 & CLONE_THREAD == CLONE_THREAD" },
	/* The file system by path. A condition on the flags (open's access
	 * mode) or anything else is the profile author's decision; an
	 * unconditional allow must be acknowledged. */
	{ "open", OPENS, TRUE, "open = allow if arg1 & O_ACCMODE|O_CREAT|O_TRUNC == O_RDONLY" },
	{ "openat", OPENS, TRUE, "openat = allow if arg2 & O_ACCMODE|O_CREAT|O_TRUNC == O_RDONLY" },
	{ "openat2", OPENS ", with flags in memory the filter cannot read", FALSE, REFUSE("openat2") },
	{ "creat", WRITES_FS("creates or truncates"), TRUE, REFUSE("creat") },
	{ "truncate", WRITES_FS("truncates"), TRUE, REFUSE("truncate") },
	{ "unlink", WRITES_FS("removes"), TRUE, REFUSE("unlink") },
	{ "unlinkat", WRITES_FS("removes"), TRUE, REFUSE("unlinkat") },
	{ "rmdir", WRITES_FS("removes directories of"), TRUE, REFUSE("rmdir") },
	{ "rename", WRITES_FS("moves or replaces"), TRUE, REFUSE("rename") },
	{ "renameat", WRITES_FS("moves or replaces"), TRUE, REFUSE("renameat") },
	{ "renameat2", WRITES_FS("moves or replaces"), TRUE, REFUSE("renameat2") },
	{ "mkdir", WRITES_FS("creates directories among"), TRUE, REFUSE("mkdir") },
	{ "mkdirat", WRITES_FS("creates directories among"), TRUE, REFUSE("mkdirat") },
	{ "mknod", WRITES_FS("creates device nodes and pipes among"), TRUE, REFUSE("mknod") },
	{ "mknodat", WRITES_FS("creates device nodes and pipes among"), TRUE, REFUSE("mknodat") },
	{ "link", WRITES_FS("makes new names for"), TRUE, REFUSE("link") },
	{ "linkat", WRITES_FS("makes new names for"), TRUE, REFUSE("linkat") },
	{ "symlink", WRITES_FS("makes links among"), TRUE, REFUSE("symlink") },
	{ "symlinkat", WRITES_FS("makes links among"), TRUE, REFUSE("symlinkat") },
	{ "chmod", WRITES_FS("changes the permissions of"), TRUE, REFUSE("chmod") },
	{ "fchmodat", WRITES_FS("changes the permissions of"), TRUE, REFUSE("fchmodat") },
	{ "chown", WRITES_FS("changes the owner of"), TRUE, REFUSE("chown") },
	{ "lchown", WRITES_FS("changes the owner of"), TRUE, REFUSE("lchown") },
	{ "fchownat", WRITES_FS("changes the owner of"), TRUE, REFUSE("fchownat") },
	{ "utime", WRITES_FS("changes the times of"), TRUE, REFUSE("utime") },
	{ "utimes", WRITES_FS("changes the times of"), TRUE, REFUSE("utimes") },
	{ "utimensat", WRITES_FS("changes the times of"), TRUE, REFUSE("utimensat") },
	{ "futimesat", WRITES_FS("changes the times of"), TRUE, REFUSE("futimesat") },
	{ "setxattr", WRITES_FS("changes the extended attributes of"), TRUE, REFUSE("setxattr") },
	{ "lsetxattr", WRITES_FS("changes the extended attributes of"), TRUE, REFUSE("lsetxattr") },
	{ "removexattr", WRITES_FS("changes the extended attributes of"), TRUE, REFUSE("removexattr") },
	{ "lremovexattr", WRITES_FS("changes the extended attributes of"), TRUE, REFUSE("lremovexattr") },
	{ "stat", PROBES, TRUE, REFUSE("stat") },
	{ "lstat", PROBES, TRUE, REFUSE("lstat") },
	{ "newfstatat", PROBES, TRUE, REFUSE("newfstatat") },
	{ "statx", PROBES, TRUE, REFUSE("statx") },
	{ "statfs", PROBES, TRUE, REFUSE("statfs") },
	{ "access", PROBES, TRUE, REFUSE("access") },
	{ "faccessat", PROBES, TRUE, REFUSE("faccessat") },
	{ "faccessat2", PROBES, TRUE, REFUSE("faccessat2") },
	{ "readlink", PROBES, TRUE, REFUSE("readlink") },
	{ "readlinkat", PROBES, TRUE, REFUSE("readlinkat") },
	{ "getxattr", PROBES, TRUE, REFUSE("getxattr") },
	{ "lgetxattr", PROBES, TRUE, REFUSE("lgetxattr") },
	{ "listxattr", PROBES, TRUE, REFUSE("listxattr") },
	{ "llistxattr", PROBES, TRUE, REFUSE("llistxattr") },
	{ "name_to_handle_at", "turns the host's paths into file handles", TRUE, REFUSE("name_to_handle_at") },
	{ "open_by_handle_at", "opens any file of a file system by handle, around its directories' "
	  "permissions (a classic container escape)", FALSE, DENY("open_by_handle_at") },
};
#undef DENY
#undef REFUSE
#undef OPENS
#undef WRITES_FS
#undef PROBES

const ProfileLintCheck *
profile_lint_checks(gsize *n)
{
	if (n != NULL)
		*n = G_N_ELEMENTS(checks);
	return checks;
}

const ProfileDanger *
profile_dangers(gsize *n)
{
	if (n != NULL)
		*n = G_N_ELEMENTS(dangers);
	return dangers;
}

const ProfileDanger *
profile_danger_find(const char *name)
{
	for (gsize i = 0; name != NULL && i < G_N_ELEMENTS(dangers); i++)
		if (strcmp(dangers[i].name, name) == 0)
			return &dangers[i];
	return NULL;
}

void
profile_finding_free(ProfileFinding *finding)
{
	if (finding == NULL)
		return;
	g_free(finding->file);
	g_free(finding->subject);
	g_free(finding->message);
	g_free(finding->hint);
	g_free(finding);
}

typedef struct {
	const Profile *profile;
	GPtrArray *findings;
	GHashTable *groups; /* "@name" -> set of member names, expanded once */
} Lint;

/* Adds a finding; takes message and hint. */
static void
add(Lint *lint, ProfileLintKind kind, const char *file, guint line, const char *subject, char *message,
    char *hint)
{
	ProfileFinding *f = g_new0(ProfileFinding, 1);
	*f = (ProfileFinding){
		.kind = kind, .severity = checks[kind].severity, .file = g_strdup(file), .line = line,
		.subject = g_strdup(subject), .message = message, .hint = hint,
	};
	g_ptr_array_add(lint->findings, f);
}

static gboolean
lets_through(ProfileActionKind kind)
{
	return kind == PROFILE_ACTION_ALLOW || kind == PROFILE_ACTION_LOG;
}

static gboolean
same_action(const ProfileAction *a, const ProfileAction *b)
{
	return a->kind == b->kind && (a->kind != PROFILE_ACTION_ERRNO || a->errno_value == b->errno_value);
}

static gboolean
conditional(const ProfileRule *rule)
{
	return rule->alternatives != NULL && rule->alternatives->len > 0;
}

/* "default-action = allow (line 3)" as seen from file, "(FILE:LINE)" from
 * another, or "the built-in default-action notify" */
static char *
default_described(const Profile *p, const char *file)
{
	g_autofree char *action = profile_action_describe(&p->default_action);
	if (p->default_action_file == NULL)
		return g_strdup_printf("the built-in default-action %s", action);
	if (g_strcmp0(file, p->default_action_file) == 0)
		return g_strdup_printf("default-action = %s (line %u)", action, p->default_action_line);
	return g_strdup_printf("default-action = %s (%s:%u)", action, p->default_action_file,
	                       p->default_action_line);
}

/* "execve = allow", or "@process = allow" for a syscall a group decides */
static char *
rule_described(const ProfileRule *rule)
{
	return g_strdup_printf("%s = %s", rule->group != NULL ? rule->group : rule->syscall, rule->text);
}

static gboolean
acknowledged(const Profile *p, const char *name)
{
	for (guint i = 0; p->acknowledged != NULL && i < p->acknowledged->len; i++)
		if (strcmp(((const ProfileAcknowledgement *)p->acknowledged->pdata[i])->syscall, name) == 0)
			return TRUE;
	return FALSE;
}

/* Can any call of the dangerous syscall d get through? *by receives the
 * rule that lets it (NULL: the default action does). */
static gboolean
danger_gets_through(const Profile *p, const ProfileDanger *d, const ProfileRule **by)
{
	int nr = seccomp_syscall_resolve_name(d->name);
	const ProfileRule *rule = nr >= 0 ? profile_find_rule(p, nr) : NULL;

	*by = NULL;
	if (nr < 0)
		return FALSE;
	if (rule != NULL && lets_through(rule->action.kind) && !(d->condition_limits && conditional(rule))) {
		*by = rule;
		return TRUE;
	}
	/* What no rule decides (no rule, or calls its conditions do not match)
	 * the default action does. */
	return lets_through(p->default_action.kind) && (rule == NULL || conditional(rule));
}

static void
check_dangers(Lint *lint)
{
	const Profile *p = lint->profile;
	g_autoptr(GPtrArray) by_default = g_ptr_array_new();

	for (gsize i = 0; i < G_N_ELEMENTS(dangers); i++) {
		const ProfileDanger *d = &dangers[i];
		const ProfileRule *rule;
		if (!danger_gets_through(p, d, &rule) || acknowledged(p, d->name))
			continue;
		if (rule == NULL) {
			g_ptr_array_add(by_default, (gpointer)d->name);
			continue;
		}
		g_autofree char *described = rule_described(rule);
		g_autofree char *deny = d->condition_limits
			? g_strdup_printf("allow it only with a condition (%s), or refuse it", d->instead)
			: g_strdup_printf("deny it (%s)", d->instead);
		add(lint, PROFILE_LINT_DANGEROUS_ALLOW, rule->file, rule->line, d->name,
		    g_strdup_printf("%s lets %s through: allowing it %s", described, d->name, d->why),
		    g_strdup_printf("%s; or, if experts really need it, say so with "
		                    "\"acknowledge = %s\" in [profile]", deny, d->name));
	}
	if (by_default->len > 0) {
		g_autofree char *action = profile_action_describe(&p->default_action);
		g_ptr_array_add(by_default, NULL);
		g_autofree char *names = g_strjoinv(", ", (char **)by_default->pdata);
		add(lint, PROFILE_LINT_DANGEROUS_DEFAULT, p->default_action_file, p->default_action_line, NULL,
		    g_strdup_printf("default-action = %s lets through %u dangerous syscalls no rule denies: %s",
		                    action, by_default->len - 1, names),
		    g_strdup("deny them (\"NAME = kill\", or @debug = kill, @privileged = kill), or "
		             "acknowledge those experts really need with \"acknowledge = NAME;NAME\""));
	}

	for (guint i = 0; p->acknowledged != NULL && i < p->acknowledged->len; i++) {
		const ProfileAcknowledgement *ack = p->acknowledged->pdata[i];
		const ProfileDanger *d = profile_danger_find(ack->syscall);
		const ProfileRule *rule;
		if (d == NULL)
			add(lint, PROFILE_LINT_NEEDLESS_ACKNOWLEDGE, ack->file, ack->line, ack->syscall,
			    g_strdup_printf("acknowledge names %s, which is not a dangerous syscall", ack->syscall),
			    g_strdup_printf("remove %s from acknowledge: allowing it needs no acknowledgement",
			                    ack->syscall));
		else if (!danger_gets_through(p, d, &rule))
			add(lint, PROFILE_LINT_UNUSED_ACKNOWLEDGE, ack->file, ack->line, ack->syscall,
			    g_strdup_printf("acknowledge names %s, but the profile does not let it through",
			                    ack->syscall),
			    g_strdup_printf("remove %s from acknowledge, so that allowing it later is noticed",
			                    ack->syscall));
	}
}

/* The members of a group, expanded once per lint. */
static GHashTable *
members_of(Lint *lint, const char *group)
{
	GHashTable *set = g_hash_table_lookup(lint->groups, group);

	if (set == NULL) {
		g_autoptr(GPtrArray) names = g_ptr_array_new();
		set = g_hash_table_new(g_str_hash, g_str_equal);
		if (syscall_group_expand(syscall_group_find(group), names, NULL))
			for (guint i = 0; i < names->len; i++)
				g_hash_table_add(set, names->pdata[i]);
		g_hash_table_insert(lint->groups, (gpointer)group, set);
	}
	return set;
}

/* Does written rule w name syscall (itself, or through its group)? */
static gboolean
covers(Lint *lint, const ProfileRule *w, const char *syscall)
{
	if (w->group == NULL)
		return strcmp(w->syscall, syscall) == 0;
	return g_hash_table_contains(members_of(lint, w->group), syscall);
}

/* The resolved rules written rule w decides: those from its file and line. */
static GPtrArray *
decided_by(const Profile *p, const ProfileRule *w)
{
	GPtrArray *decided = g_ptr_array_new();
	for (guint i = 0; i < p->rules->len; i++) {
		const ProfileRule *rule = p->rules->pdata[i];
		if (rule->line == w->line && g_strcmp0(rule->file, w->file) == 0)
			g_ptr_array_add(decided, (gpointer)rule);
	}
	return decided;
}

/* "brk (line 12), mmap (other.profile:3), ..." for up to three members of
 * group rule w, with the rule that decides each instead. */
static char *
deciders(const Profile *p, Lint *lint, const ProfileRule *w, guint *n_members)
{
	GString *out = g_string_new(NULL);
	guint shown = 0;

	*n_members = 0;
	for (guint i = 0; i < p->rules->len; i++) {
		const ProfileRule *rule = p->rules->pdata[i];
		if (!covers(lint, w, rule->syscall))
			continue;
		if (shown++ < 3) {
			if (g_strcmp0(rule->file, w->file) == 0)
				g_string_append_printf(out, "%s%s (line %u)", out->len ? ", " : "", rule->syscall, rule->line);
			else
				g_string_append_printf(out, "%s%s (%s:%u)", out->len ? ", " : "", rule->syscall,
				                       rule->file, rule->line);
		}
	}
	*n_members = g_hash_table_size(members_of(lint, w->group));
	if (shown > 3)
		g_string_append(out, ", ...");
	return g_string_free(out, FALSE);
}

/* Rules that decide nothing, and rules that decide what the default would. */
static void
check_rules(Lint *lint)
{
	const Profile *p = lint->profile;

	for (guint i = 0; p->written != NULL && i < p->written->len; i++) {
		const ProfileRule *w = p->written->pdata[i];
		g_autoptr(GPtrArray) decided = decided_by(p, w);
		g_autofree char *described = rule_described(w);
		gboolean overrides = FALSE;

		if (decided->len == 0) {
			guint n_members;
			g_autofree char *others = w->group != NULL ? deciders(p, lint, w, &n_members) : NULL;
			if (w->group != NULL)
				add(lint, PROFILE_LINT_OVERRIDDEN_GROUP, w->file, w->line, w->group,
				    g_strdup_printf("%s decides none of its %u syscalls: other rules decide every "
				                    "one: %s", described, n_members, others),
				    g_strdup("remove the line, or the rules that override it"));
			continue;
		}
		if (w->action.kind == PROFILE_ACTION_TRAP)
			add(lint, PROFILE_LINT_TRAP_ACTION, w->file, w->line, w->group ? w->group : w->syscall,
			    g_strdup_printf("%s: trap sends the child SIGSYS, which the expert can catch and "
			                    "go on from; the executor is not told", described),
			    g_strdup("use kill or notify to stop the expert, errno NAME to refuse the call"));
		if (w->action.kind == PROFILE_ACTION_LOG)
			add(lint, PROFILE_LINT_LOG_ACTION, w->file, w->line, w->group ? w->group : w->syscall,
			    g_strdup_printf("%s: log allows the call; only a kernel audit record, which the "
			                    "executor does not read, tells of it", described),
			    g_strdup("use allow if the call is fine, notify to see it in the report"));
		if (!same_action(&w->action, &p->default_action))
			continue;
		/* The same action as the default's changes something only where it
		 * replaces a different rule: a parent's, or a group's in its file. */
		for (guint j = 0; j < decided->len && !overrides; j++) {
			const ProfileRule *rule = decided->pdata[j];
			for (guint k = 0; k < p->written->len && !overrides; k++) {
				const ProfileRule *v = p->written->pdata[k];
				overrides = v != w && covers(lint, v, rule->syscall) && !profile_rules_same(v, w);
			}
		}
		g_autofree char *fallback = default_described(p, w->file);
		if (!overrides)
			add(lint, PROFILE_LINT_REDUNDANT_RULE, w->file, w->line, w->group ? w->group : w->syscall,
			    g_strdup_printf("%s does what %s does already", described, fallback),
			    g_strdup("remove the line, or give it another action"));
	}
	if (p->default_action.kind == PROFILE_ACTION_TRAP)
		add(lint, PROFILE_LINT_TRAP_ACTION, p->default_action_file, p->default_action_line, NULL,
		    g_strdup("default-action = trap: every syscall no rule names sends the child SIGSYS, which "
		             "the expert can catch and go on from; the executor is not told"),
		    g_strdup("use default-action = notify (reported, child killed) or kill"));
	if (p->default_action.kind == PROFILE_ACTION_LOG)
		add(lint, PROFILE_LINT_LOG_ACTION, p->default_action_file, p->default_action_line, NULL,
		    g_strdup("default-action = log allows every syscall no rule names; only a kernel audit "
		             "record, which the executor does not read, tells of them"),
		    g_strdup("use default-action = notify: each such call is reported with its arguments"));
}

static void
check_description(Lint *lint)
{
	const Profile *p = lint->profile;

	if (p->path == NULL)
		return;
	if (p->description == NULL)
		add(lint, PROFILE_LINT_NO_DESCRIPTION, p->path, 0, NULL, g_strdup("no description"),
		    g_strdup("add \"description = what experts it is for\" to [profile]: profile list shows it"));
	else if (p->description_file != NULL && strcmp(p->description_file, p->path) != 0)
		add(lint, PROFILE_LINT_NO_DESCRIPTION, p->path, 0, NULL,
		    g_strdup_printf("no description of its own: profile list shows its parent's (\"%s\")",
		                    p->description),
		    g_strdup("add \"description = what makes it different\" to [profile]"));
}

static guint
file_rank(const Profile *p, const char *file)
{
	for (guint i = 0; file != NULL && p->files != NULL && i < p->files->len; i++)
		if (strcmp(p->files->pdata[i], file) == 0)
			return i;
	return file != NULL && g_strcmp0(file, p->path) == 0 ? 0 : G_MAXUINT;
}

static int
finding_compare(gconstpointer a, gconstpointer b, gpointer profile)
{
	const ProfileFinding *x = *(ProfileFinding *const *)a, *y = *(ProfileFinding *const *)b;
	guint rx = file_rank(profile, x->file), ry = file_rank(profile, y->file);

	if (rx != ry)
		return rx < ry ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

GPtrArray *
profile_lint(const Profile *profile)
{
	g_autoptr(GHashTable) groups = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	                                                   (GDestroyNotify)g_hash_table_unref);
	Lint lint = {
		.profile = profile,
		.findings = g_ptr_array_new_with_free_func((GDestroyNotify)profile_finding_free),
		.groups = groups,
	};

	g_return_val_if_fail(profile != NULL && profile->rules != NULL, lint.findings);
	check_dangers(&lint);
	check_rules(&lint);
	check_description(&lint);
	g_ptr_array_sort_with_data(lint.findings, finding_compare, (gpointer)profile);
	return lint.findings;
}
