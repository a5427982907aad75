/* filter.c — profile to BPF with libseccomp (see filter.h). */
#include "profiles/filter.h"

#include "profiles/filter-prefix.h"
#include "protocol/child-protocol.h"
#include "syscalls/syscall-names.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

G_DEFINE_QUARK(filter-error-quark, filter_error)

/* The channel's syscalls: always allowed on the channel descriptor, so no
 * profile can leave an expert unable to report (or the runtime unable to
 * say it finished). */
static const int channel_syscalls[] = {
	SYS_read, SYS_write, SYS_sendto, SYS_sendmsg, SYS_recvfrom, SYS_recvmsg,
};

/* What glibc's dynamic loader does while dlopen() maps an object and its
 * dependencies (seen with strace on Debian 12), plus close() of the listener
 * the child sends before loading. Never allowed by the profile's part of the
 * filter, so the executor can refuse them once the object is loaded; the
 * loader's own calls on its fixed descriptor are let through before that,
 * by the prefix (filter-prefix.c), where that stays safe after loading. */
static const int loader_syscalls[] = {
	SYS_openat, SYS_open, SYS_read, SYS_pread64, SYS_close, SYS_newfstatat, SYS_fstat,
	SYS_lseek, SYS_access, SYS_faccessat, SYS_faccessat2, SYS_readlink, SYS_getcwd,
	SYS_statx, SYS_mmap, SYS_munmap, SYS_mprotect, SYS_mremap, SYS_brk, SYS_madvise,
	SYS_getrandom, SYS_futex,
};

/* Allowed unless a profile says otherwise: the child's own last step of
 * loading, applying the Landlock domain that allows no file
 * (child/child-load.c). It can only take rights away, so any process may
 * make it, at any time: a constructor that ended the loading phase early
 * must not turn the child's own step into a violation. */
static const int setup_syscalls[] = { SYS_landlock_restrict_self };

static gboolean in_list(const int *list, gsize n, int nr)
{
	for (gsize i = 0; i < n; i++)
		if (list[i] == nr)
			return TRUE;
	return FALSE;
}

gboolean filter_is_channel_syscall(int nr)
{
	return in_list(channel_syscalls, G_N_ELEMENTS(channel_syscalls), nr);
}

gboolean filter_is_loader_call(int nr, const uint64_t args[6])
{
	if (!in_list(loader_syscalls, G_N_ELEMENTS(loader_syscalls), nr))
		return FALSE;
	/* The loader only reads files. */
	const uint64_t writes = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_TMPFILE;
	if (nr == SYS_openat)
		return (args[2] & writes) == 0;
	if (nr == SYS_open)
		return (args[1] & writes) == 0;
	return TRUE;
}

/* ---- deciding in userspace ---------------------------------------------- */

static gboolean condition_holds(const ProfileCondition *c, const uint64_t args[6])
{
	uint64_t a = args[c->arg];
	switch (c->op) {
	case PROFILE_CMP_EQ: return a == c->value;
	case PROFILE_CMP_NE: return a != c->value;
	case PROFILE_CMP_LT: return a < c->value;
	case PROFILE_CMP_LE: return a <= c->value;
	case PROFILE_CMP_GT: return a > c->value;
	case PROFILE_CMP_GE: return a >= c->value;
	case PROFILE_CMP_MASKED_EQ: return (a & c->mask) == c->value;
	}
	return FALSE;
}

static gboolean rule_matches(const ProfileRule *rule, const uint64_t args[6])
{
	if (!rule->alternatives || rule->alternatives->len == 0)
		return TRUE;
	for (guint i = 0; i < rule->alternatives->len; i++) {
		const ProfileAlternative *alt = &g_array_index(rule->alternatives, ProfileAlternative, i);
		gboolean all = TRUE;
		for (guint k = 0; k < alt->n_conditions && all; k++)
			all = condition_holds(&alt->conditions[k], args);
		if (all)
			return TRUE;
	}
	return FALSE;
}

static void decide_profile(const Profile *profile, int nr, const uint64_t args[6], FilterVerdict *v)
{
	const ProfileRule *rule = profile_find_rule(profile, nr);
	if (rule && rule_matches(rule, args)) {
		v->rule = rule;
		v->action = rule->action;
		return;
	}
	if (in_list(channel_syscalls, G_N_ELEMENTS(channel_syscalls), nr) &&
	    args[0] == CHILD_FD_CHANNEL) {
		v->channel = TRUE;
		v->action.kind = PROFILE_ACTION_ALLOW;
		v->action.errno_value = 0;
	}
}

void filter_decide(const Profile *profile, int nr, const uint64_t args[6], FilterVerdict *v)
{
	v->rule = NULL;
	v->channel = FALSE;
	v->wx = NULL;
	v->action = profile->default_action;
	decide_profile(profile, nr, args, v);
	if (!v->rule && in_list(setup_syscalls, G_N_ELEMENTS(setup_syscalls), nr)) {
		v->action.kind = PROFILE_ACTION_ALLOW;
		v->action.errno_value = 0;
	}
	/* W^X outranks a profile that would let the call through; a refusal
	 * the profile makes itself (errno, kill, ...) stands as it is. It is
	 * a kill, so that not even learning lets it through. */
	gboolean through = v->action.kind == PROFILE_ACTION_ALLOW || v->action.kind == PROFILE_ACTION_LOG;
	const char *wx = through ? filter_wx_refusal(nr, args, FALSE) : NULL;
	if (wx) {
		v->wx = wx;
		v->rule = NULL;
		v->channel = FALSE;
		v->action.kind = PROFILE_ACTION_KILL;
		v->action.errno_value = 0;
	}
}

/* ---- compiling ---------------------------------------------------------- */

static uint32_t scmp_action(const ProfileAction *a)
{
	switch (a->kind) {
	case PROFILE_ACTION_ALLOW: return SCMP_ACT_ALLOW;
	case PROFILE_ACTION_KILL: return SCMP_ACT_KILL_PROCESS;
	case PROFILE_ACTION_NOTIFY: return SCMP_ACT_NOTIFY;
	case PROFILE_ACTION_ERRNO: return SCMP_ACT_ERRNO((uint16_t)a->errno_value);
	case PROFILE_ACTION_TRAP: return SCMP_ACT_TRAP;
	case PROFILE_ACTION_LOG: return SCMP_ACT_LOG;
	}
	return SCMP_ACT_KILL_PROCESS;
}

static struct scmp_arg_cmp to_scmp(const ProfileCondition *c, gboolean negate)
{
	static const enum scmp_compare ops[] = {
		[PROFILE_CMP_EQ] = SCMP_CMP_EQ, [PROFILE_CMP_NE] = SCMP_CMP_NE,
		[PROFILE_CMP_LT] = SCMP_CMP_LT, [PROFILE_CMP_LE] = SCMP_CMP_LE,
		[PROFILE_CMP_GT] = SCMP_CMP_GT, [PROFILE_CMP_GE] = SCMP_CMP_GE,
		[PROFILE_CMP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
	};
	static const ProfileCmpOp negated[] = {
		[PROFILE_CMP_EQ] = PROFILE_CMP_NE, [PROFILE_CMP_NE] = PROFILE_CMP_EQ,
		[PROFILE_CMP_LT] = PROFILE_CMP_GE, [PROFILE_CMP_LE] = PROFILE_CMP_GT,
		[PROFILE_CMP_GT] = PROFILE_CMP_LE, [PROFILE_CMP_GE] = PROFILE_CMP_LT,
		[PROFILE_CMP_MASKED_EQ] = PROFILE_CMP_MASKED_EQ,
	};
	ProfileCmpOp op = negate ? negated[c->op] : c->op;
	uint64_t value = c->value;
	/* (a & m) != v for a one-bit mask is (a & m) == (v ^ m); callers check
	 * the mask is one bit before asking. */
	if (negate && c->op == PROFILE_CMP_MASKED_EQ)
		value = c->value ^ c->mask;
	struct scmp_arg_cmp cmp = {
		.arg = c->arg, .op = ops[op], .datum_a = c->op == PROFILE_CMP_MASKED_EQ ? c->mask : value,
		.datum_b = c->op == PROFILE_CMP_MASKED_EQ ? value : 0,
	};
	return cmp;
}

static gboolean add_rule(scmp_filter_ctx ctx, uint32_t action, int nr, guint n,
                         const struct scmp_arg_cmp *cmp, const char *what, GError **error)
{
	int r = seccomp_rule_add_exact_array(ctx, action, nr, n, cmp);
	/* Identical rules (the channel's alternative written in the profile too)
	 * are fine. */
	if (r == 0 || r == -EEXIST)
		return TRUE;
	g_autofree char *name = syscall_name(nr);
	g_set_error(error, FILTER_ERROR, FILTER_ERROR_LIBSECCOMP,
	            "%s: libseccomp refused the rule for %s: %s", what, name, g_strerror(-r));
	return FALSE;
}

/* The execute bit set: always to the executor, which refuses it after
 * loading and allows the loader only what W^X allows. */
static gboolean add_wx_notify(scmp_filter_ctx ctx, const FilterWxCall *wx, GError **error)
{
	/* A default of notify does it already (and libseccomp refuses a rule
	 * that is the default). */
	uint32_t def = 0;
	if (seccomp_attr_get(ctx, SCMP_FLTATR_ACT_DEFAULT, &def) == 0 && def == SCMP_ACT_NOTIFY)
		return TRUE;
	struct scmp_arg_cmp cmp = { .arg = wx->arg, .op = SCMP_CMP_MASKED_EQ,
	                            .datum_a = wx->exec_bit, .datum_b = wx->exec_bit };
	return add_rule(ctx, SCMP_ACT_NOTIFY, wx->nr, 1, &cmp, "W^X", error);
}

static gboolean add_alternatives(scmp_filter_ctx ctx, uint32_t action, const ProfileRule *rule,
                                 gboolean with_channel, const char *where, GError **error)
{
	guint n_alt = rule->alternatives ? rule->alternatives->len : 0;
	const FilterWxCall *wx = action == SCMP_ACT_ALLOW || action == SCMP_ACT_LOG
	                         ? filter_wx_call(rule->nr) : NULL;
	if (wx) {
		static const ProfileAlternative unconditional;
		for (guint i = 0; i < MAX(n_alt, 1); i++) {
			const ProfileAlternative *alt = n_alt ? &g_array_index(rule->alternatives,
			                                                       ProfileAlternative, i)
			                                      : &unconditional;
			struct scmp_arg_cmp cmp[PROFILE_MAX_CONDITIONS + 1];
			guint n = 0;
			for (guint k = 0; k < alt->n_conditions; k++)
				cmp[n++] = to_scmp(&alt->conditions[k], FALSE);
			gboolean add_clear = FALSE;
			if (!filter_wx_alternative(wx, alt, &add_clear)) {
				g_set_error(error, FILTER_ERROR, FILTER_ERROR_UNSUPPORTED,
				            "%s: \"%s = %s\" could let %s make memory executable, which the "
				            "executor never allows (W^X); say \"arg%u & %s == 0\" in this "
				            "alternative instead of its other condition on arg%u", where,
				            rule->syscall, rule->text, rule->syscall, wx->arg, wx->bit_name,
				            wx->arg);
				return FALSE;
			}
			/* libseccomp takes one comparison per argument: the
			 * alternative said nothing about this one. */
			if (add_clear)
				cmp[n++] = (struct scmp_arg_cmp){ .arg = wx->arg, .op = SCMP_CMP_MASKED_EQ,
				                                  .datum_a = wx->exec_bit, .datum_b = 0 };
			if (!add_rule(ctx, action, rule->nr, n, cmp, where, error))
				return FALSE;
		}
		return add_wx_notify(ctx, wx, error);
	}
	if (n_alt == 0)
		return add_rule(ctx, action, rule->nr, 0, NULL, where, error);
	for (guint i = 0; i < n_alt; i++) {
		const ProfileAlternative *alt = &g_array_index(rule->alternatives, ProfileAlternative, i);
		struct scmp_arg_cmp cmp[PROFILE_MAX_CONDITIONS];
		for (guint k = 0; k < alt->n_conditions; k++)
			cmp[k] = to_scmp(&alt->conditions[k], FALSE);
		if (!add_rule(ctx, action, rule->nr, alt->n_conditions, cmp, where, error))
			return FALSE;
	}
	if (with_channel) {
		struct scmp_arg_cmp cmp = SCMP_A0(SCMP_CMP_EQ, CHILD_FD_CHANNEL);
		return add_rule(ctx, action, rule->nr, 1, &cmp, where, error);
	}
	return TRUE;
}

/* For a loader syscall whose profile rule allows only some calls, under a
 * default action other than notify: the rest must still reach the executor
 * during loading, so notify on the complement of the rule. */
static gboolean add_complement(scmp_filter_ctx ctx, const ProfileRule *rule, const char *where,
                               GError **error)
{
	guint n_alt = rule->alternatives ? rule->alternatives->len : 0;
	if (n_alt == 0)
		return TRUE;
	if (n_alt > 1) {
		g_set_error(error, FILTER_ERROR, FILTER_ERROR_UNSUPPORTED,
		            "%s: %s is needed by the loader; under a default action other than "
		            "notify its rule may have one alternative only", where, rule->syscall);
		return FALSE;
	}
	const ProfileAlternative *alt = &g_array_index(rule->alternatives, ProfileAlternative, 0);
	for (guint k = 0; k < alt->n_conditions; k++) {
		const ProfileCondition *c = &alt->conditions[k];
		if (c->op == PROFILE_CMP_MASKED_EQ && (c->mask == 0 || (c->mask & (c->mask - 1)))) {
			g_set_error(error, FILTER_ERROR, FILTER_ERROR_UNSUPPORTED,
			            "%s: %s is needed by the loader; under a default action other than "
			            "notify its masks must be one bit", where, rule->syscall);
			return FALSE;
		}
		struct scmp_arg_cmp cmp = to_scmp(c, TRUE);
		if (!add_rule(ctx, SCMP_ACT_NOTIFY, rule->nr, 1, &cmp, where, error))
			return FALSE;
	}
	return TRUE;
}

/* What of the child's own calls the prefix decides, for this profile. */
static FilterChildCalls child_calls_of(const Profile *profile, gboolean landlock,
                                       gboolean watch_output_writes)
{
	FilterChildCalls calls = {
		.loader_fd = child_loader_fd_in_kernel(profile->max_fds)
		             ? (int)child_loader_fd(profile->max_fds) : -1,
		.loader_opens = landlock,
		.watch_output_writes = watch_output_writes,
	};
	return calls;
}

static Filter *export_filter(scmp_filter_ctx ctx, const FilterChildCalls *calls, GError **error)
{
	int fd = memfd_create("expert-filter", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0) {
		g_set_error(error, FILTER_ERROR, FILTER_ERROR_LIBSECCOMP, "memfd_create: %s",
		            g_strerror(errno));
		return NULL;
	}
	/* The executor's prefix first; libseccomp's program follows it, where
	 * every jump out of the prefix lands. */
	guint n_prefix;
	g_autofree struct sock_filter *prefix = filter_prefix_build(calls, &n_prefix);
	gsize prefix_size = n_prefix * sizeof(struct sock_filter);
	int r = write(fd, prefix, prefix_size) == (ssize_t)prefix_size ? seccomp_export_bpf(ctx, fd)
	                                                                : -errno;
	off_t size = lseek(fd, 0, SEEK_END);
	if (r < 0 || size <= (off_t)prefix_size || size % sizeof(struct sock_filter) ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
		close(fd);
		g_set_error(error, FILTER_ERROR, FILTER_ERROR_LIBSECCOMP,
		            "exporting the filter failed: %s", g_strerror(r < 0 ? -r : errno));
		return NULL;
	}
	Filter *filter = g_new0(Filter, 1);
	filter->fd = fd;
	filter->size = (guint64)size;
	filter->n_insns = (guint)(size / sizeof(struct sock_filter));
	return filter;
}

static void release_ctx(scmp_filter_ctx *ctx)
{
	if (*ctx)
		seccomp_release(*ctx);
}

/* Every rule of the profile and the executor's own, in one libseccomp
 * context: filter_compile() exports it as BPF and filter_export_pfc() as
 * text, so what `profile show --bpf` prints is what children install. */
static scmp_filter_ctx build_ctx(const Profile *profile, GError **error)
{
	/* libseccomp probes the kernel with seccomp(2) to learn which actions
	 * it may use; under valgrind, which does not know that syscall, the probe
	 * fails and so would every filter with notify. EXPERT_EXEC_SECCOMP_API
	 * names the level instead (scripts/valgrind.sh sets it). Safe either
	 * way: a filter the kernel cannot take fails to install in the child,
	 * and the job fails to load rather than run less confined. */
	const char *api = g_getenv("EXPERT_EXEC_SECCOMP_API");
	if (api && seccomp_api_get() < (unsigned)atoi(api))
		seccomp_api_set((unsigned)atoi(api));
	uint32_t def = scmp_action(&profile->default_action);
	__attribute__((cleanup(release_ctx))) scmp_filter_ctx ctx = seccomp_init(def);
	if (!ctx) {
		g_set_error(error, FILTER_ERROR, FILTER_ERROR_LIBSECCOMP, "seccomp_init failed");
		return NULL;
	}
	/* Calls through another ABI (int 0x80, x32) could name a denied syscall
	 * by a number our rules never see: kill them, whatever the profile. */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0 ||
	    /* A binary tree of syscall numbers rather than a list: the kernel
	     * runs the filter on every call, and when it is installed also for
	     * every syscall number of every ABI (to cache which are always
	     * allowed) with interrupts off; a list made that a third of a
	     * trivial job's fork (docs/architecture.md, "Where a job's time
	     * goes"). */
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0) {
		g_set_error(error, FILTER_ERROR, FILTER_ERROR_LIBSECCOMP, "seccomp_attr_set failed");
		return NULL;
	}
	gboolean notify_default = profile->default_action.kind == PROFILE_ACTION_NOTIFY;
	gboolean allow_default = profile->default_action.kind == PROFILE_ACTION_ALLOW;

	for (guint i = 0; i < profile->rules->len; i++) {
		const ProfileRule *rule = g_ptr_array_index(profile->rules, i);
		g_autofree char *where = g_strdup_printf("%s:%u", rule->file, rule->line);
		gboolean channel = in_list(channel_syscalls, G_N_ELEMENTS(channel_syscalls), rule->nr);
		gboolean loader = in_list(loader_syscalls, G_N_ELEMENTS(loader_syscalls), rule->nr);
		uint32_t action = scmp_action(&rule->action);

		if (channel && rule->action.kind != PROFILE_ACTION_ALLOW) {
			g_set_error(error, FILTER_ERROR, FILTER_ERROR_CONFLICT,
			            "%s: the rule \"%s = %s\" would cut the channel the executor needs "
			            "(descriptor %d); allow %s with a condition instead", where,
			            rule->syscall, rule->text, CHILD_FD_CHANNEL, rule->syscall);
			return NULL;
		}
		if (loader && rule->action.kind != PROFILE_ACTION_ALLOW) {
			/* The loader must get through while loading: notify, and the
			 * executor applies the rule itself once the object is loaded. */
			if (rule->alternatives && rule->alternatives->len && !notify_default) {
				g_set_error(error, FILTER_ERROR, FILTER_ERROR_UNSUPPORTED,
				            "%s: %s is needed by the loader; a conditional \"%s\" rule for it "
				            "needs default-action notify", where, rule->syscall, rule->text);
				return NULL;
			}
			action = SCMP_ACT_NOTIFY;
		}
		if (action == def)
			continue;
		if (!add_alternatives(ctx, action, rule, channel, where, error))
			return NULL;
		if (loader && rule->action.kind == PROFILE_ACTION_ALLOW && !notify_default &&
		    !add_complement(ctx, rule, where, error))
			return NULL;
	}

	/* The executor's own rules for syscalls the profile does not mention. */
	for (gsize i = 0; i < G_N_ELEMENTS(channel_syscalls); i++) {
		int nr = channel_syscalls[i];
		if (allow_default || profile_find_rule(profile, nr))
			continue;
		struct scmp_arg_cmp on_channel = SCMP_A0(SCMP_CMP_EQ, CHILD_FD_CHANNEL);
		if (!add_rule(ctx, SCMP_ACT_ALLOW, nr, 1, &on_channel, "channel", error))
			return NULL;
		if (!notify_default && in_list(loader_syscalls, G_N_ELEMENTS(loader_syscalls), nr)) {
			struct scmp_arg_cmp off_channel = SCMP_A0(SCMP_CMP_NE, CHILD_FD_CHANNEL);
			if (!add_rule(ctx, SCMP_ACT_NOTIFY, nr, 1, &off_channel, "loader", error))
				return NULL;
		}
	}
	for (gsize i = 0; i < G_N_ELEMENTS(setup_syscalls) && !allow_default; i++)
		if (!profile_find_rule(profile, setup_syscalls[i]) &&
		    !add_rule(ctx, SCMP_ACT_ALLOW, setup_syscalls[i], 0, NULL, "setup", error))
			return NULL;
	/* W^X under a default that lets calls through. */
	gboolean through_default = allow_default || profile->default_action.kind == PROFILE_ACTION_LOG;
	gsize n_wx;
	const FilterWxCall *wx_calls = filter_wx_calls(&n_wx);
	for (gsize i = 0; i < n_wx && through_default; i++) {
		/* Unless a rule of its own was compiled (one that is the default
		 * action was skipped, above). */
		const ProfileRule *rule = profile_find_rule(profile, wx_calls[i].nr);
		if ((!rule || scmp_action(&rule->action) == def) && !add_wx_notify(ctx, &wx_calls[i], error))
			return NULL;
	}
	if (!notify_default && !allow_default) {
		for (gsize i = 0; i < G_N_ELEMENTS(loader_syscalls); i++) {
			int nr = loader_syscalls[i];
			if (profile_find_rule(profile, nr) ||
			    in_list(channel_syscalls, G_N_ELEMENTS(channel_syscalls), nr))
				continue;
			if (!add_rule(ctx, SCMP_ACT_NOTIFY, nr, 0, NULL, "loader", error))
				return NULL;
		}
	}
	scmp_filter_ctx built = ctx;
	ctx = NULL; /* the caller's now */
	return built;
}

Filter *filter_compile_full(const Profile *profile, gboolean landlock, gboolean watch_output_writes,
                            GError **error)
{
	__attribute__((cleanup(release_ctx))) scmp_filter_ctx ctx = build_ctx(profile, error);
	FilterChildCalls calls = child_calls_of(profile, landlock, watch_output_writes);
	return ctx ? export_filter(ctx, &calls, error) : NULL;
}

Filter *filter_compile(const Profile *profile, gboolean landlock, GError **error)
{
	return filter_compile_full(profile, landlock, FALSE, error);
}

gboolean filter_export_pfc(const Profile *profile, gboolean landlock, int fd, GError **error)
{
	__attribute__((cleanup(release_ctx))) scmp_filter_ctx ctx = build_ctx(profile, error);
	if (!ctx)
		return FALSE;
	FilterChildCalls calls = child_calls_of(profile, landlock, FALSE);
	g_autofree char *prefix = filter_prefix_describe(&calls);
	gsize len = strlen(prefix);
	if (write(fd, prefix, len) != (ssize_t)len) {
		g_set_error(error, FILTER_ERROR, FILTER_ERROR_LIBSECCOMP,
		            "writing the filter as text failed: %s", g_strerror(errno));
		return FALSE;
	}
	int r = seccomp_export_pfc(ctx, fd);
	if (r < 0) {
		g_set_error(error, FILTER_ERROR, FILTER_ERROR_LIBSECCOMP,
		            "exporting the filter as text failed: %s", g_strerror(-r));
		return FALSE;
	}
	return TRUE;
}

void filter_free(Filter *filter)
{
	if (!filter)
		return;
	close(filter->fd);
	g_free(filter);
}
