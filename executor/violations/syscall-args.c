/* syscall-args.c — a syscall and its arguments as a person reads them (see
 * syscall-args.h), rendered from the tables of syscalls/syscall-table.c. */
#include "violations/syscall-args.h"

#include "protocol/child-protocol.h"
#include "syscalls/profile-constants.h"
#include "syscalls/syscall-names.h"
#include "syscalls/syscall-table.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>

const char *syscall_args_fd_name(int fd)
{
	/* What the child's setup leaves open (child/child-setup.c). */
	switch (fd) {
	case 0: return "/dev/null (stdin)";
	case 1: return "/dev/null (stdout)";
	case 2: return "/dev/null (stderr)";
	case CHILD_FD_CHANNEL: return "channel";
	case CHILD_FD_EXPERT: return "expert object (while loading)";
	default: return NULL;
	}
}

static gboolean excluded(const SyscallSet *set, const char *name)
{
	for (const char *const *e = set->exclude; e && *e; e++)
		if (strcmp(*e, name) == 0)
			return TRUE;
	return FALSE;
}

/* Calls f on every member of set, profile constants first (their names win
 * over extras of the same value); stops when f returns TRUE. */
typedef gboolean (*MemberFunc)(const ProfileConstant *member, gpointer data);

static void for_each_member(const SyscallSet *set, MemberFunc f, gpointer data)
{
	if (set->prefix) {
		gsize n;
		const ProfileConstant *constants = profile_constants(&n);
		for (gsize i = 0; i < n; i++)
			if (g_str_has_prefix(constants[i].name, set->prefix) &&
			    !excluded(set, constants[i].name) && f(&constants[i], data))
				return;
	}
	for (gsize i = 0; i < set->n_extra; i++)
		if (f(&set->extra[i], data))
			return;
}

typedef struct {
	guint64 value;
	const char *name;
} Match;

static gboolean match_exact(const ProfileConstant *m, gpointer data)
{
	Match *match = data;
	if (m->value != match->value)
		return FALSE;
	match->name = m->name;
	return TRUE;
}

static const char *member_named(const SyscallSet *set, guint64 value)
{
	Match match = { value, NULL };
	for_each_member(set, match_exact, &match);
	return match.name;
}

typedef struct {
	const SyscallSet *set;
	GString *out;
	guint64 left;      /* bits not yet named */
	gboolean multi;    /* this pass: members of several bits, else of one */
	gboolean any;      /* something was written */
} FlagsPass;

static gboolean take_flag(const ProfileConstant *m, gpointer data)
{
	FlagsPass *p = data;
	guint64 v = m->value;
	if (v == 0 || (v & p->set->field) || (__builtin_popcountll(v) > 1) != p->multi ||
	    (p->left & v) != v)
		return FALSE;
	g_string_append_printf(p->out, "%s%s", p->any ? "|" : "", m->name);
	p->left &= ~v;
	p->any = TRUE;
	return FALSE;
}

static void append_signal(GString *out, guint64 sig)
{
	const char *abbrev = sig > 0 && sig < 65 ? sigabbrev_np((int)sig) : NULL;
	if (abbrev)
		g_string_append_printf(out, "SIG%s", abbrev);
	else
		g_string_append_printf(out, "%" G_GUINT64_FORMAT, sig);
}

/* "O_WRONLY|O_CREAT|O_CLOEXEC", "PROT_READ|PROT_EXEC|0x100",
 * "CLONE_CHILD_SETTID|SIGCHLD". */
static void append_flags(GString *out, const SyscallSet *set, guint64 v)
{
	FlagsPass p = { set, out, v & ~set->field, TRUE, FALSE };
	guint64 field = v & set->field;
	if (set->field && !set->signal_field) {
		const char *name = member_named(set, field);
		if (name) {
			g_string_append(out, name);
			p.any = TRUE;
		} else if (field) {
			g_string_append_printf(out, "%#" G_GINT64_MODIFIER "x", field);
			p.any = TRUE;
		}
	}
	/* Members of several bits first (O_TMPFILE holds O_DIRECTORY's bit). */
	for_each_member(set, take_flag, &p);
	p.multi = FALSE;
	for_each_member(set, take_flag, &p);
	if (p.left) {
		g_string_append_printf(out, "%s%#" G_GINT64_MODIFIER "x", p.any ? "|" : "", p.left);
		p.any = TRUE;
	}
	if (set->signal_field && field) {
		g_string_append(out, p.any ? "|" : "");
		append_signal(out, field);
		p.any = TRUE;
	}
	if (!p.any) {
		const char *zero = member_named(set, 0);
		g_string_append(out, zero ? zero : "0");
	}
}

typedef struct {
	SyscallStringReader read;
	gpointer data;
	gboolean any;
} Reading;

static void append_arg(GString *out, SyscallArgKind kind, guint64 raw, Reading *reading)
{
	const SyscallArgKindInfo *k = syscall_arg_kind_info(kind);
	/* The kernel reads an int argument from the low half of the register;
	 * whether libc sign- or zero-extended it, the value is the same. */
	guint64 v = k->bits == 32 ? (guint64)(guint32)raw : raw;
	gint64 sv = k->bits == 32 ? (gint64)(gint32)(guint32)raw : (gint64)raw;

	switch (k->render) {
	case SYSCALL_RENDER_SIGNED:
		g_string_append_printf(out, "%" G_GINT64_FORMAT, sv);
		break;
	case SYSCALL_RENDER_UNSIGNED:
		g_string_append_printf(out, "%" G_GUINT64_FORMAT, v);
		break;
	case SYSCALL_RENDER_HEX:
		g_string_append_printf(out, "%#" G_GINT64_MODIFIER "x", v); /* 0 stays "0" */
		break;
	case SYSCALL_RENDER_STRING:
		if (v && reading->read) {
			g_autofree char *text = reading->read(v, reading->data);
			if (text) {
				g_string_append(out, text);
				reading->any = TRUE;
				break;
			}
		}
		G_GNUC_FALLTHROUGH;
	case SYSCALL_RENDER_PTR:
		if (v)
			g_string_append_printf(out, "%#" G_GINT64_MODIFIER "x", v);
		else
			g_string_append(out, "NULL");
		break;
	case SYSCALL_RENDER_OCTAL:
		g_string_append_printf(out, "%#" G_GINT64_MODIFIER "o", v); /* 0644, 0 */
		break;
	case SYSCALL_RENDER_DIRFD:
		if (sv == AT_FDCWD) {
			g_string_append(out, "AT_FDCWD");
			break;
		}
		G_GNUC_FALLTHROUGH;
	case SYSCALL_RENDER_FD:
		if (sv < 0) {
			g_string_append_printf(out, "%" G_GINT64_FORMAT, sv);
		} else {
			const char *name = syscall_args_fd_name((int)sv);
			g_string_append_printf(out, "%" G_GINT64_FORMAT "<%s>", sv, name ? name : "not granted");
		}
		break;
	case SYSCALL_RENDER_SIGNAL:
		append_signal(out, v);
		break;
	case SYSCALL_RENDER_SET:
		if (k->set->flags) {
			append_flags(out, k->set, v);
		} else {
			const char *name = member_named(k->set, v);
			if (name)
				g_string_append(out, name);
			else
				g_string_append_printf(out, "%" G_GINT64_FORMAT, sv);
		}
		break;
	}
	guint64 high = raw >> 32;
	if (k->bits == 32 && high != 0 && !(high == 0xffffffffu && sv < 0))
		g_string_append_printf(out, " [%#" G_GINT64_MODIFIER "x]", raw);
}

char *syscall_args_describe(int nr, const guint64 args[6])
{
	return syscall_args_describe_reading(nr, args, NULL, NULL, NULL);
}

char *syscall_args_describe_reading(int nr, const guint64 args[6], SyscallStringReader read,
                                    gpointer data, gboolean *strings_read)
{
	Reading reading = { read, data, FALSE };
	g_autofree char *name = syscall_name(nr);
	GString *out = g_string_new(name);
	g_string_append_c(out, '(');
	const SyscallSignature *row = syscall_table_find(name);
	if (row) {
		for (int i = 0; i < 6 && row->args[i] != SYSCALL_ARG_END; i++) {
			if (i)
				g_string_append(out, ", ");
			append_arg(out, row->args[i], args[i], &reading);
		}
	} else {
		/* Unknown to the table: how many arguments it takes is unknown too. */
		for (int i = 0; i < 6; i++)
			g_string_append_printf(out, "%s%#" G_GINT64_MODIFIER "x", i ? ", " : "", args[i]);
	}
	g_string_append_c(out, ')');
	if (strings_read)
		*strings_read = reading.any;
	return g_string_free(out, FALSE);
}

