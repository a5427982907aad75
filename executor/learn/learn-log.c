/* learn-log.c — the log of a learning run (see learn-log.h). */
#include "learn/learn-log.h"

#include "syscalls/syscall-names.h"

#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>

/* ---- what the log knows about syscalls ----------------------------------- */

#define FD0(name) { name, 0, 0, "descriptors" }
/* Whether an open may write, create or truncate: what a narrowed rule keeps
 * to what was seen (reading only, typically). */
#define OPEN_MASK (O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND)
/* Which kind of child clone makes: a thread, a process, a namespace. */
#define CLONE_MASK (CLONE_THREAD | CLONE_VM | CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID | \
                    CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP)

/* The argument each allow is narrowed on. Descriptor syscalls: the
 * descriptors seen, not the *at() family, whose directory an absolute path
 * ignores. The rest: the flags or command that says what the call does. */
static const LearnNarrowing narrowings[] = {
	FD0("read"), FD0("write"), FD0("readv"), FD0("writev"), FD0("pread64"), FD0("pwrite64"),
	FD0("preadv"), FD0("pwritev"), FD0("preadv2"), FD0("pwritev2"), FD0("lseek"), FD0("close"),
	FD0("fstat"), FD0("dup"), FD0("dup2"), FD0("dup3"), FD0("fsync"), FD0("fdatasync"),
	FD0("ftruncate"), FD0("fstatfs"), FD0("fchmod"), FD0("fchown"), FD0("flock"),
	FD0("fadvise64"), FD0("fallocate"), FD0("getdents64"), FD0("sendto"), FD0("recvfrom"),
	FD0("sendmsg"), FD0("recvmsg"), FD0("shutdown"), FD0("getsockopt"), FD0("setsockopt"),
	FD0("getsockname"), FD0("getpeername"),
	{ "fcntl", 1, 0, "commands" },
	{ "ioctl", 1, 0, "requests" },
	{ "mmap", 2, PROT_EXEC, "protections" },
	{ "mprotect", 2, PROT_EXEC, "protections" },
	{ "pkey_mprotect", 2, PROT_EXEC, "protections" },
	{ "madvise", 2, 0, "advices" },
	{ "open", 1, OPEN_MASK, "access modes" },
	{ "openat", 2, OPEN_MASK, "access modes" },
	{ "socket", 0, 0, "address families" },
	{ "socketpair", 0, 0, "address families" },
	{ "clone", 0, CLONE_MASK, "kinds of child" },
	{ "kill", 1, 0, "signals" },
};
#undef FD0

static const LearnNarrowing *narrowing_of(const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS(narrowings); i++)
		if (strcmp(narrowings[i].syscall, name) == 0)
			return &narrowings[i];
	return NULL;
}

/* ---- the log ------------------------------------------------------------- */

static void sample_clear(gpointer p)
{
	g_free(((LearnSample *)p)->text);
}

static void learn_syscall_free(gpointer p)
{
	LearnSyscall *s = p;
	g_free(s->name);
	g_array_unref(s->seen_by);
	g_array_unref(s->samples);
	g_free(s);
}

static void learn_expert_clear(gpointer p)
{
	g_free(((LearnExpert *)p)->name);
}

LearnLog *learn_log_new(void)
{
	LearnLog *log = g_new0(LearnLog, 1);
	log->experts = g_array_new(FALSE, TRUE, sizeof(LearnExpert));
	g_array_set_clear_func(log->experts, learn_expert_clear);
	log->syscalls = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, learn_syscall_free);
	return log;
}

void learn_log_free(LearnLog *log)
{
	if (!log)
		return;
	g_array_unref(log->experts);
	g_hash_table_unref(log->syscalls);
	g_free(log);
}

static guint expert_index(LearnLog *log, const char *name)
{
	for (guint i = 0; i < log->experts->len; i++)
		if (strcmp(g_array_index(log->experts, LearnExpert, i).name, name) == 0)
			return i;
	LearnExpert e = { .name = g_strdup(name) };
	g_array_append_val(log->experts, e);
	return log->experts->len - 1;
}

void learn_log_add_expert(LearnLog *log, const char *expert, const LearnUsage *usage)
{
	guint i = expert_index(log, expert);  /* may grow the array: first */
	LearnExpert *e = &g_array_index(log->experts, LearnExpert, i);
	e->ran = TRUE;
	e->usage = *usage;
}

static void add_sample(LearnSyscall *s, guint expert, const guint64 args[6], const char *text)
{
	LearnSample sample = { .expert = expert, .text = g_strdup(text) };
	memcpy(sample.args, args, sizeof(sample.args));
	g_array_append_val(s->samples, sample);
}

void learn_log_add_call(LearnLog *log, const char *expert, int nr, const guint64 args[6],
                        const char *text)
{
	guint ei = expert_index(log, expert);
	g_array_index(log->experts, LearnExpert, ei).calls++;
	log->n_calls++;

	LearnSyscall *s = g_hash_table_lookup(log->syscalls, GINT_TO_POINTER(nr));
	if (!s) {
		s = g_new0(LearnSyscall, 1);
		s->nr = nr;
		s->name = syscall_name(nr);
		s->narrowing = narrowing_of(s->name);
		s->seen_by = g_array_new(FALSE, FALSE, sizeof(LearnSeenBy));
		s->samples = g_array_new(FALSE, FALSE, sizeof(LearnSample));
		g_array_set_clear_func(s->samples, sample_clear);
		add_sample(s, ei, args, text);
		g_hash_table_insert(log->syscalls, GINT_TO_POINTER(nr), s);
	}
	s->count++;
	guint k = 0;
	while (k < s->seen_by->len && g_array_index(s->seen_by, LearnSeenBy, k).expert != ei)
		k++;
	if (k == s->seen_by->len) {
		LearnSeenBy by = { .expert = ei };
		g_array_append_val(s->seen_by, by);
	}
	g_array_index(s->seen_by, LearnSeenBy, k).count++;

	const LearnNarrowing *n = s->narrowing;
	if (n && !s->too_many_values) {
		guint64 v = n->mask ? args[n->arg] & n->mask : args[n->arg];
		guint i = 0;
		while (i < s->n_values && s->values[i] != v)
			i++;
		if (i == s->n_values) {
			if (s->n_values == LEARN_MAX_VALUES) {
				s->too_many_values = TRUE;
			} else {
				/* The first call is the first sample already. */
				if (s->n_values++ > 0)
					add_sample(s, ei, args, text);
				s->values[i] = v;
			}
		}
	}
}

void learn_log_set_refused(LearnLog *log, int nr, int errno_value)
{
	LearnSyscall *s = g_hash_table_lookup(log->syscalls, GINT_TO_POINTER(nr));
	if (s)
		s->refused = errno_value;
}

guint64 learn_log_n_calls(const LearnLog *log, const char *expert)
{
	if (!expert)
		return log->n_calls;
	for (guint i = 0; i < log->experts->len; i++) {
		const LearnExpert *e = &g_array_index(log->experts, LearnExpert, i);
		if (strcmp(e->name, expert) == 0)
			return e->calls;
	}
	return 0;
}

guint learn_log_n_syscalls(const LearnLog *log)
{
	return g_hash_table_size(log->syscalls);
}

static gint syscall_by_name(gconstpointer a, gconstpointer b)
{
	const LearnSyscall *x = *(LearnSyscall *const *)a, *y = *(LearnSyscall *const *)b;
	return strcmp(x->name, y->name);
}

GPtrArray *learn_log_sorted_syscalls(const LearnLog *log)
{
	GPtrArray *list = g_ptr_array_sized_new(g_hash_table_size(log->syscalls));
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, log->syscalls);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		g_ptr_array_add(list, value);
	g_ptr_array_sort(list, syscall_by_name);
	return list;
}

const char *learn_log_expert_name(const LearnLog *log, guint i)
{
	return g_array_index(log->experts, LearnExpert, i).name;
}
