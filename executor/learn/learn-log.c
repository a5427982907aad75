/* learn-log.c — the log of a learning run (see learn-log.h). */
#include "learn/learn-log.h"

#include "syscalls/syscall-names.h"

#include <string.h>
#include <sys/mman.h>

/* ---- what the log knows about syscalls ----------------------------------- */

/* Syscalls whose arg0 is the descriptor they work on: the descriptors seen
 * make a tight condition. Not the *at() family: their arg0 is a directory,
 * which an absolute path ignores. */
static const char *const fd0_syscalls[] = {
	"read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev",
	"preadv2", "pwritev2", "lseek", "close", "fstat", "fcntl", "ioctl", "dup", "dup2",
	"dup3", "fsync", "fdatasync", "ftruncate", "fstatfs", "fchmod", "fchown", "flock",
	"fadvise64", "fallocate", "getdents64", "sendto", "recvfrom", "sendmsg", "recvmsg",
	"shutdown", "getsockopt", "setsockopt", "getsockname", "getpeername",
};
/* Syscalls whose arg2 is a protection: without PROT_EXEC, no new code. */
static const char *const prot2_syscalls[] = { "mmap", "mprotect", "pkey_mprotect" };

static gboolean in_names(const char *const *names, gsize n, const char *name)
{
	for (gsize i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return TRUE;
	return FALSE;
}

static LearnShape shape_of(const char *name)
{
	if (in_names(fd0_syscalls, G_N_ELEMENTS(fd0_syscalls), name))
		return LEARN_SHAPE_FD0;
	if (in_names(prot2_syscalls, G_N_ELEMENTS(prot2_syscalls), name))
		return LEARN_SHAPE_PROT2;
	return LEARN_SHAPE_PLAIN;
}

/* ---- the log ------------------------------------------------------------- */

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

static void add_sample(LearnSyscall *s, guint expert, const guint64 args[6])
{
	LearnSample sample = { .expert = expert };
	memcpy(sample.args, args, sizeof(sample.args));
	g_array_append_val(s->samples, sample);
}

void learn_log_add_call(LearnLog *log, const char *expert, int nr, const guint64 args[6])
{
	guint ei = expert_index(log, expert);
	g_array_index(log->experts, LearnExpert, ei).calls++;
	log->n_calls++;

	LearnSyscall *s = g_hash_table_lookup(log->syscalls, GINT_TO_POINTER(nr));
	if (!s) {
		s = g_new0(LearnSyscall, 1);
		s->nr = nr;
		s->name = syscall_name(nr);
		s->shape = shape_of(s->name);
		s->seen_by = g_array_new(FALSE, FALSE, sizeof(LearnSeenBy));
		s->samples = g_array_new(FALSE, FALSE, sizeof(LearnSample));
		add_sample(s, ei, args);
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

	if (s->shape == LEARN_SHAPE_FD0 && !s->too_many_fds) {
		guint i = 0;
		while (i < s->n_fds && s->fds[i] != args[0])
			i++;
		if (i == s->n_fds) {
			if (s->n_fds == LEARN_MAX_DESCRIPTORS) {
				s->too_many_fds = TRUE;
			} else {
				s->fds[s->n_fds++] = args[0];
				if (s->n_fds > 1)
					add_sample(s, ei, args);
			}
		}
	}
	if (s->shape == LEARN_SHAPE_PROT2 && (args[2] & PROT_EXEC) && !s->exec_seen) {
		s->exec_seen = TRUE;
		add_sample(s, ei, args);
	}
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
