/* filter-wx.c — W^X, the executor's own rule whatever the profile (see
 * filter-wx.h). */
#include "profiles/filter-wx.h"

#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>

/* W^X: the calls that can make memory executable, the argument that asks
 * for it and the bit that does. */
static const FilterWxCall wx_calls[] = {
	{ SYS_mmap, 2, PROT_EXEC, "PROT_EXEC" },
	{ SYS_mprotect, 2, PROT_EXEC, "PROT_EXEC" },
	{ SYS_pkey_mprotect, 2, PROT_EXEC, "PROT_EXEC" },
	{ SYS_shmat, 2, SHM_EXEC, "SHM_EXEC" },
};

const FilterWxCall *filter_wx_calls(gsize *n)
{
	*n = G_N_ELEMENTS(wx_calls);
	return wx_calls;
}

const FilterWxCall *filter_wx_call(int nr)
{
	for (gsize i = 0; i < G_N_ELEMENTS(wx_calls); i++)
		if (wx_calls[i].nr == nr)
			return &wx_calls[i];
	return NULL;
}

const char *filter_wx_refusal(int nr, const uint64_t args[6], gboolean loading)
{
	const FilterWxCall *wx = filter_wx_call(nr);
	if (!wx || !(args[wx->arg] & wx->exec_bit))
		return NULL;
	if (nr != SYS_mmap)
		return nr == SYS_shmat ? "an executable shared memory segment"
		                       : "execute permission added to memory already mapped";
	if (args[2] & PROT_WRITE)
		return "a mapping both writable and executable";
	if (args[3] & MAP_ANONYMOUS)
		return "an executable mapping of no file";
	/* A read-only file mapping: how the loader maps an object's code. Only
	 * the object and its libraries can be such a file while loading (the
	 * child's root is empty, or Landlock allows it no other). */
	return loading ? NULL : "an executable mapping after loading";
}

/* Whether a condition on a W^X call's protection argument already keeps
 * its execute bit clear. */
static gboolean keeps_exec_clear(const ProfileCondition *c, uint64_t bit)
{
	switch (c->op) {
	case PROFILE_CMP_EQ: return (c->value & bit) == 0;
	case PROFILE_CMP_MASKED_EQ: return (c->mask & bit) && (c->value & bit) == 0;
	case PROFILE_CMP_LT: return c->value <= bit;
	case PROFILE_CMP_LE: return c->value < bit;
	default: return FALSE;
	}
}

gboolean filter_wx_alternative(const FilterWxCall *wx, const ProfileAlternative *alt,
                               gboolean *add_clear)
{
	gboolean on_arg = FALSE;
	for (guint k = 0; k < alt->n_conditions; k++) {
		if (alt->conditions[k].arg != wx->arg)
			continue;
		on_arg = TRUE;
		if (!keeps_exec_clear(&alt->conditions[k], wx->exec_bit))
			return FALSE;
	}
	*add_clear = !on_arg;
	return TRUE;
}
