/* filter-wx.h — W^X, the executor's own rule whatever the profile: which
 * calls can make memory executable, which of them the executor refuses
 * (filter_decide in filter.c applies it after loading, the seccomp
 * listener while loading), and how an allow rule for one of them is
 * compiled so that the execute bit always reaches the executor. */
#ifndef EXPERT_EXEC_FILTER_WX_H
#define EXPERT_EXEC_FILTER_WX_H

#include "profiles/profile.h"

#include <glib.h>
#include <stdint.h>

typedef struct {
	int nr;
	unsigned arg;          /* the argument holding the protection */
	uint64_t exec_bit;     /* PROT_EXEC, or SHM_EXEC */
	const char *bit_name;
} FilterWxCall;

const FilterWxCall *filter_wx_calls(gsize *n);
/* The call's entry, or NULL if it cannot make memory executable. */
const FilterWxCall *filter_wx_call(int nr);

/* W^X, the executor's own rule whatever the profile: why this call may not
 * run (it would make memory writable and executable, executable without a
 * file behind it, or executable after mapping; after loading, executable
 * at all), or NULL. loading: the object is still loading, when the loader
 * may map its files' code read-only and executable. */
const char *filter_wx_refusal(int nr, const uint64_t args[6], gboolean loading);

/* One alternative of an allow rule for a W^X call: TRUE, with *add_clear
 * set when "the execute bit clear" must be added to it (it says nothing
 * about that argument); FALSE when its condition on that argument does not
 * keep the bit clear, which libseccomp (one comparison per argument)
 * cannot combine with "and clear". */
gboolean filter_wx_alternative(const FilterWxCall *wx, const ProfileAlternative *alt,
                               gboolean *add_clear);

#endif /* EXPERT_EXEC_FILTER_WX_H */
