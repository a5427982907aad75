/* filter-prefix.c — the executor's first instructions (see filter-prefix.h). */
#include "profiles/filter-prefix.h"

#include "protocol/child-protocol.h"
#include "syscalls/signal-calls.h"

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>

static const OutputWriteCall output_writes[] = {
	{ SYS_write, "write", 2 },
	{ SYS_pwrite64, "pwrite64", 2 },
	{ SYS_writev, "writev", -1 },
	{ SYS_pwritev, "pwritev", -1 },
	{ SYS_pwritev2, "pwritev2", -1 },
};

const OutputWriteCall *filter_output_write_call(int nr, const guint64 args[6])
{
	/* The kernel reads the descriptor as an int: the low half. */
	if ((guint32)args[0] < CHILD_FD_FIRST_GRANTED)
		return NULL;
	for (gsize i = 0; i < G_N_ELEMENTS(output_writes); i++)
		if (output_writes[i].nr == nr)
			return &output_writes[i];
	return NULL;
}

/* Where a jump goes, before the prefix's layout is known: one of these,
 * or a label (>= 0) placed later. */
enum {
	TO_NEXT = -1,        /* the next instruction */
	TO_END = -2,         /* the first instruction after the prefix: the profile's filter */
	TO_NOTIFY = -3,      /* the prefix's one RET USER_NOTIF */
	TO_ALLOW = -4,       /* the prefix's one RET ALLOW */
};

/* ---- the child's own calls, decided here ----------------------------------
 *
 * What the child's setup and the loader do between the job's arrival and
 * LOADED, on descriptors whose numbers are fixed (protocol/child-protocol.h),
 * let through in the kernel: no round trip to the executor. Each is safe
 * after loading too, which the filter cannot tell apart: the loader's
 * descriptor can no longer exist then (RLIMIT_NOFILE is at or below it,
 * checked on LOADED), adding rules to a ruleset or lowering one's own
 * descriptor limit only takes rights away, and the child's closing of its
 * own descriptors only loses them. The loader's openat can be told by its
 * flags alone, which any expert can use too: it is let through only where
 * Landlock follows loading with a domain that allows no file at all, so
 * that after loading it opens nothing (EACCES) either. */

/* A test of an argument's low half, which is all the kernel reads of an
 * int, a descriptor, and these calls' flags. */
typedef struct {
	int arg;
	guint32 mask;        /* 0: the whole half */
	guint32 value;       /* ... equals this */
	gboolean loader_fd;  /* ... equals the loader's descriptor instead */
} Cond;

#define VALUE(v) (v), FALSE
#define LOADER_FD 0, TRUE
#define MAX_CONDS 3

typedef enum {
	ALWAYS,              /* the child's setup */
	ON_LOADER_FD,        /* the loader, on its descriptor: where it is fixed */
	OPENS,               /* the loader's openat: where Landlock follows loading */
} When;

typedef struct {
	int nr;
	const char *name;
	When when;
	guint n;
	Cond conds[MAX_CONDS];
} ChildCall;

static const ChildCall child_calls[] = {
	{ SYS_read, "read", ON_LOADER_FD, 1, { { 0, 0, LOADER_FD } } },
	{ SYS_pread64, "pread64", ON_LOADER_FD, 1, { { 0, 0, LOADER_FD } } },
	{ SYS_fstat, "fstat", ON_LOADER_FD, 1, { { 0, 0, LOADER_FD } } },
	{ SYS_newfstatat, "newfstatat", ON_LOADER_FD, 1, { { 0, 0, LOADER_FD } } },
	{ SYS_close, "close", ON_LOADER_FD, 1, { { 0, 0, LOADER_FD } } },
	/* The loader's mappings of the object: never writable, never shared,
	 * never anonymous (which would ignore the descriptor). W^X holds in the
	 * kernel: code comes from the file, read-only. */
	{ SYS_mmap, "mmap", ON_LOADER_FD, 3, {
		{ 4, 0, LOADER_FD },
		{ 2, PROT_WRITE, VALUE(0) },
		{ 3, MAP_SHARED | MAP_ANONYMOUS, VALUE(0) } } },
	{ SYS_openat, "openat", OPENS, 2, {
		{ 0, 0, VALUE((guint32)AT_FDCWD) },
		{ 2, 0, VALUE(O_RDONLY | O_CLOEXEC) } } },
	{ SYS_landlock_add_rule, "landlock_add_rule", ALWAYS, 1, {
		{ 0, 0, VALUE(CHILD_FD_LOADING_RULES) } } },
	{ SYS_close_range, "close_range", ALWAYS, 3, {
		{ 0, 0, VALUE(CHILD_FD_FIRST_GRANTED) },
		{ 1, 0, VALUE(~0U) },
		{ 2, 0, VALUE(0) } } },
	{ SYS_prlimit64, "prlimit64", ALWAYS, 2, {
		{ 0, 0, VALUE(0) },
		{ 1, 0, VALUE(RLIMIT_NOFILE) } } },
};

static gboolean child_call_wanted(const ChildCall *c, const FilterChildCalls *options)
{
	switch (c->when) {
	case ON_LOADER_FD: return options->loader_fd >= 0;
	case OPENS: return options->loader_opens;
	default: return TRUE;
	}
}

typedef struct {
	struct sock_filter insn;
	int jt, jf;          /* for conditional jumps */
} Pending;

typedef struct {
	GArray *code;        /* of Pending */
	GArray *labels;      /* of guint: a label's instruction, once placed */
} Asm;

#define ARG_LOW(i) ((guint32)(offsetof(struct seccomp_data, args) + 8 * (i)))
#define ARG_HIGH(i) (ARG_LOW(i) + 4)

static void emit(Asm *a, guint16 code, guint32 k, int jt, int jf)
{
	Pending p = { { code, 0, 0, k }, jt, jf };
	g_array_append_val(a->code, p);
}

static void load(Asm *a, guint32 offset)
{
	emit(a, BPF_LD | BPF_W | BPF_ABS, offset, 0, 0);
}

static void jeq(Asm *a, guint32 value, int jt, int jf)
{
	emit(a, BPF_JMP | BPF_JEQ | BPF_K, value, jt, jf);
}

static int new_label(Asm *a)
{
	guint unplaced = G_MAXUINT;
	g_array_append_val(a->labels, unplaced);
	return (int)a->labels->len - 1;
}

static void place(Asm *a, int label)
{
	g_array_index(a->labels, guint, label) = a->code->len;
}

static guint8 resolve(const Asm *a, guint pc, int target)
{
	guint len = a->code->len, to;
	switch (target) {
	case TO_NEXT: return 0;
	case TO_END: to = len; break;
	case TO_NOTIFY: to = len - 2; break;
	case TO_ALLOW: to = len - 1; break;
	default: to = g_array_index(a->labels, guint, target); break;
	}
	g_assert(to != G_MAXUINT && to > pc && to - pc - 1 <= 255);
	return (guint8)(to - pc - 1);
}

static guint32 cond_value(const Cond *c, const FilterChildCalls *options)
{
	return c->loader_fd ? (guint32)options->loader_fd : c->value;
}

/* One syscall the prefix looks at, and what it does with it once A holds
 * that number: exactly one of the two tables' entries. */
typedef struct {
	int nr;
	const SignalCall *signal;
	const ChildCall *child;
	const OutputWriteCall *write;
	int label;
} Entry;

static gint by_nr(gconstpointer a, gconstpointer b)
{
	return ((const Entry *)a)->nr - ((const Entry *)b)->nr;
}

/* A signal call: the signal (or sigevent) set, to the executor; else, on
 * to the profile. */
static void emit_signal_call(Asm *a, const SignalCall *c)
{
	if (c->when_arg >= 0) {
		load(a, ARG_LOW(c->when_arg));
		jeq(a, c->when_value, TO_NEXT, TO_END);
	}
	if (c->signal_arg >= 0) {
		/* The kernel reads the signal as an int: the low half. 0 only
		 * asks whether the target exists. */
		load(a, ARG_LOW(c->signal_arg));
		jeq(a, 0, TO_END, TO_NOTIFY);
	} else {
		load(a, ARG_LOW(c->pointer_arg));
		jeq(a, 0, TO_NEXT, TO_NOTIFY);
		load(a, ARG_HIGH(c->pointer_arg));
		jeq(a, 0, TO_END, TO_NOTIFY);
	}
}

/* A child call: every condition holding, RET ALLOW; one not, on to the
 * profile. */
static void emit_child_call(Asm *a, const ChildCall *c, const FilterChildCalls *options)
{
	for (guint k = 0; k < c->n; k++) {
		const Cond *cond = &c->conds[k];
		load(a, ARG_LOW(cond->arg));
		if (cond->mask)
			emit(a, BPF_ALU | BPF_AND | BPF_K, cond->mask, 0, 0);
		jeq(a, cond_value(cond, options), k + 1 == c->n ? TO_ALLOW : TO_NEXT, TO_END);
	}
}

/* A write (watch_output_writes): to a descriptor of a granted output, to
 * the executor; else, on to the profile. Unsigned, as the descriptor is: a
 * negative one is notified too, and fails in the kernel with EBADF once
 * let through. */
static void emit_output_write(Asm *a)
{
	load(a, ARG_LOW(0));
	emit(a, BPF_JMP | BPF_JGE | BPF_K, CHILD_FD_FIRST_GRANTED, TO_NOTIFY, TO_END);
}

/* A binary search of the syscall number, which A holds, among entries
 * [lo, hi), sorted: each found one jumps to its block, anything else to
 * the profile. Every call the child makes goes through here, and when the
 * filter is installed the kernel runs it for every syscall number of every
 * ABI (to cache which are always allowed), with interrupts off: a list
 * cost as much as the rest of the filter twice over. */
static void emit_search(Asm *a, const Entry *e, guint lo, guint hi)
{
	if (hi - lo <= 3) {
		for (guint i = lo; i < hi; i++)
			jeq(a, (guint32)e[i].nr, e[i].label, i + 1 == hi ? TO_END : TO_NEXT);
		return;
	}
	guint mid = (lo + hi) / 2;
	int right = new_label(a);
	emit(a, BPF_JMP | BPF_JGE | BPF_K, (guint32)e[mid].nr, right, TO_NEXT);
	emit_search(a, e, lo, mid);
	place(a, right);
	emit_search(a, e, mid, hi);
}

struct sock_filter *filter_prefix_build(const FilterChildCalls *options, guint *n)
{
	gsize n_calls;
	const SignalCall *calls = signal_call_table(&n_calls);
	g_autoptr(GArray) entries = g_array_new(FALSE, TRUE, sizeof(Entry));
	for (gsize i = 0; i < n_calls; i++) {
		Entry e = { .nr = calls[i].nr, .signal = &calls[i] };
		g_array_append_val(entries, e);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(child_calls); i++) {
		if (!child_call_wanted(&child_calls[i], options))
			continue;
		Entry e = { .nr = child_calls[i].nr, .child = &child_calls[i] };
		g_array_append_val(entries, e);
	}
	for (gsize i = 0; options->watch_output_writes && i < G_N_ELEMENTS(output_writes); i++) {
		Entry e = { .nr = output_writes[i].nr, .write = &output_writes[i] };
		g_array_append_val(entries, e);
	}
	g_array_sort(entries, by_nr);
	g_autoptr(GArray) code = g_array_new(FALSE, FALSE, sizeof(Pending));
	g_autoptr(GArray) labels = g_array_new(FALSE, FALSE, sizeof(guint));
	Asm a = { code, labels };
	Entry *e = (Entry *)(void *)entries->data;
	for (guint i = 0; i < entries->len; i++) {
		g_assert(i == 0 || e[i].nr != e[i - 1].nr);
		e[i].label = new_label(&a);
	}

	load(&a, offsetof(struct seccomp_data, arch));
	jeq(&a, AUDIT_ARCH_X86_64, TO_NEXT, TO_END);
	load(&a, offsetof(struct seccomp_data, nr));
	emit_search(&a, e, 0, entries->len);
	for (guint i = 0; i < entries->len; i++) {
		place(&a, e[i].label);
		if (e[i].signal)
			emit_signal_call(&a, e[i].signal);
		else if (e[i].write)
			emit_output_write(&a);
		else
			emit_child_call(&a, e[i].child, options);
	}
	emit(&a, BPF_JMP | BPF_JA, 2, 0, 0);
	emit(&a, BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF, 0, 0);
	emit(&a, BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);

	struct sock_filter *insns = g_new(struct sock_filter, code->len);
	for (guint pc = 0; pc < code->len; pc++) {
		const Pending *p = &g_array_index(code, Pending, pc);
		insns[pc] = p->insn;
		if (BPF_CLASS(p->insn.code) == BPF_JMP && BPF_OP(p->insn.code) != BPF_JA) {
			insns[pc].jt = resolve(&a, pc, p->jt);
			insns[pc].jf = resolve(&a, pc, p->jf);
		}
	}
	*n = code->len;
	return insns;
}

char *filter_prefix_describe(const FilterChildCalls *options)
{
	gsize n_calls;
	const SignalCall *calls = signal_call_table(&n_calls);
	GString *s = g_string_new(
		"#\n"
		"# the executor's own first instructions, before the profile's filter: a call\n"
		"# that sends a signal goes to the executor, which applies the profile to it\n"
		"# and records what the child sent; the child's own calls on its fixed\n"
		"# descriptors while it takes its job and loads it are let through\n"
		"# (executor/profiles/filter-prefix.c)\n");
	g_string_append_printf(s, "if ($arch == %u)\n", AUDIT_ARCH_X86_64);
	for (gsize i = 0; i < n_calls; i++) {
		const SignalCall *c = &calls[i];
		const char *indent = "    ";
		g_string_append_printf(s, "  if ($syscall == %d)  # %s\n", c->nr, c->name);
		if (c->when_arg >= 0) {
			g_string_append_printf(s, "    if ($a%d.lo32 == %u)\n", c->when_arg, c->when_value);
			indent = "      ";
		}
		if (c->signal_arg >= 0)
			g_string_append_printf(s, "%sif ($a%d.lo32 != 0)\n", indent, c->signal_arg);
		else
			g_string_append_printf(s, "%sif ($a%d != 0)\n", indent, c->pointer_arg);
		g_string_append_printf(s, "%s  action NOTIFY;\n", indent);
	}
	g_string_append(s, "  # the child's own calls while it takes its job and loads it\n");
	for (gsize i = 0; i < G_N_ELEMENTS(child_calls); i++) {
		const ChildCall *c = &child_calls[i];
		if (!child_call_wanted(c, options))
			continue;
		g_string_append_printf(s, "  if ($syscall == %d)  # %s\n", c->nr, c->name);
		for (guint k = 0; k < c->n; k++) {
			const Cond *cond = &c->conds[k];
			g_string_append_printf(s, "%*sif (", 4 + 2 * (int)k, "");
			if (cond->mask)
				g_string_append_printf(s, "($a%d.lo32 & 0x%x)", cond->arg, cond->mask);
			else
				g_string_append_printf(s, "$a%d.lo32", cond->arg);
			g_string_append_printf(s, " == %u)\n", cond_value(cond, options));
		}
		g_string_append_printf(s, "%*saction ALLOW;\n", 4 + 2 * (int)c->n, "");
	}
	for (gsize i = 0; options->watch_output_writes && i < G_N_ELEMENTS(output_writes); i++) {
		if (i == 0)
			g_string_append(s, "  # writes to granted outputs, with a fault injected\n");
		g_string_append_printf(s, "  if ($syscall == %d)  # %s\n", output_writes[i].nr,
		                       output_writes[i].name);
		g_string_append_printf(s, "    if ($a0.lo32 >= %d)\n      action NOTIFY;\n",
		                       CHILD_FD_FIRST_GRANTED);
	}
	g_string_append(s, "# every other call: the profile's filter, below\n#\n");
	return g_string_free(s, FALSE);
}
