/* filter-prefix.c — the executor's first instructions (see filter-prefix.h). */
#include "profiles/filter-prefix.h"

#include "protocol/child-protocol.h"
#include "syscalls/signal-calls.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
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

/* Where a jump goes, before the prefix's layout is known. */
enum {
	TO_NEXT = -1,        /* the next instruction */
	TO_END = -2,         /* the first instruction after the prefix: the profile's filter */
	TO_NOTIFY = -3,      /* the prefix's one RET USER_NOTIF */
	TO_NEXT_CALL = -4,   /* the test for the next syscall of the table */
};

typedef struct {
	struct sock_filter insn;
	int jt, jf;          /* for conditional jumps */
	guint call;          /* the table entry it belongs to */
} Pending;

#define ARG_LOW(i) ((guint32)(offsetof(struct seccomp_data, args) + 8 * (i)))
#define ARG_HIGH(i) (ARG_LOW(i) + 4)

static void emit(GArray *out, guint call, guint16 code, guint32 k, int jt, int jf)
{
	Pending p = { { code, 0, 0, k }, jt, jf, call };
	g_array_append_val(out, p);
}

static void load(GArray *out, guint call, guint32 offset)
{
	emit(out, call, BPF_LD | BPF_W | BPF_ABS, offset, 0, 0);
}

static void jeq(GArray *out, guint call, guint32 value, int jt, int jf)
{
	emit(out, call, BPF_JMP | BPF_JEQ | BPF_K, value, jt, jf);
}

static guint8 resolve(const GArray *pending, guint pc, int target)
{
	const Pending *p = &g_array_index(pending, Pending, pc);
	guint to;
	switch (target) {
	case TO_NEXT:
		return 0;
	case TO_END:
		to = pending->len;
		break;
	case TO_NOTIFY:
		to = pending->len - 1;
		break;
	case TO_NEXT_CALL:
		to = pc + 1;
		while (to < pending->len && g_array_index(pending, Pending, to).call == p->call)
			to++;
		break;
	default:
		g_assert_not_reached();
	}
	g_assert(to > pc && to - pc - 1 <= 255);
	return (guint8)(to - pc - 1);
}

struct sock_filter *filter_prefix_build(gboolean watch_output_writes, guint *n)
{
	gsize n_calls;
	const SignalCall *calls = signal_call_table(&n_calls);
	g_autoptr(GArray) out = g_array_new(FALSE, FALSE, sizeof(Pending));
	const guint none = G_MAXUINT;

	load(out, none, offsetof(struct seccomp_data, arch));
	jeq(out, none, AUDIT_ARCH_X86_64, TO_NEXT, TO_END);
	load(out, none, offsetof(struct seccomp_data, nr));
	for (guint i = 0; i < n_calls; i++) {
		const SignalCall *c = &calls[i];
		/* A holds the syscall number until a test matches; after that,
		 * every way out leaves the prefix. */
		jeq(out, i, (guint32)c->nr, TO_NEXT, TO_NEXT_CALL);
		if (c->when_arg >= 0) {
			load(out, i, ARG_LOW(c->when_arg));
			jeq(out, i, c->when_value, TO_NEXT, TO_END);
		}
		if (c->signal_arg >= 0) {
			/* The kernel reads the signal as an int: the low half. 0 only
			 * asks whether the target exists. */
			load(out, i, ARG_LOW(c->signal_arg));
			jeq(out, i, 0, TO_END, TO_NOTIFY);
		} else {
			load(out, i, ARG_LOW(c->pointer_arg));
			jeq(out, i, 0, TO_NEXT, TO_NOTIFY);
			load(out, i, ARG_HIGH(c->pointer_arg));
			jeq(out, i, 0, TO_END, TO_NOTIFY);
		}
	}
	for (guint j = 0; watch_output_writes && j < G_N_ELEMENTS(output_writes); j++) {
		guint i = (guint)n_calls + j;
		jeq(out, i, (guint32)output_writes[j].nr, TO_NEXT, TO_NEXT_CALL);
		/* Unsigned, as the descriptor is: a negative one is notified too,
		 * and fails in the kernel with EBADF once let through. */
		load(out, i, ARG_LOW(0));
		emit(out, i, BPF_JMP | BPF_JGE | BPF_K, CHILD_FD_FIRST_GRANTED, TO_NOTIFY, TO_END);
	}
	emit(out, none, BPF_JMP | BPF_JA, 1, 0, 0);
	emit(out, none, BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF, 0, 0);

	struct sock_filter *insns = g_new(struct sock_filter, out->len);
	for (guint pc = 0; pc < out->len; pc++) {
		const Pending *p = &g_array_index(out, Pending, pc);
		insns[pc] = p->insn;
		if (BPF_CLASS(p->insn.code) == BPF_JMP && BPF_OP(p->insn.code) != BPF_JA) {
			insns[pc].jt = resolve(out, pc, p->jt);
			insns[pc].jf = resolve(out, pc, p->jf);
		}
	}
	*n = out->len;
	return insns;
}

char *filter_prefix_describe(void)
{
	gsize n_calls;
	const SignalCall *calls = signal_call_table(&n_calls);
	GString *s = g_string_new(
		"#\n"
		"# the executor's own first instructions, before the profile's filter: a call\n"
		"# that sends a signal goes to the executor, which applies the profile to it\n"
		"# and records what the child sent (executor/profiles/filter-prefix.c)\n");
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
	g_string_append(s, "# every other call: the profile's filter, below\n#\n");
	return g_string_free(s, FALSE);
}
