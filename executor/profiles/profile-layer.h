/* profile-layer.h — what one profile file means on its own (a layer):
 * its [profile] keys, [limits] and [syscalls] rules with groups expanded,
 * every error found before its parent is even looked up; and putting a
 * layer on top of its parent's resolved profile. */
#ifndef EXPERT_EXEC_PROFILE_LAYER_H
#define EXPERT_EXEC_PROFILE_LAYER_H

#include "profiles/profile-limits.h"
#include "profiles/profile-model.h"
#include "profiles/profile-source.h"

#include <glib.h>

enum { PROFILE_LAYER_SET_DESCRIPTION = 1 << 0, PROFILE_LAYER_SET_DEFAULT_ACTION = 1 << 1, PROFILE_LAYER_SET_LIMIT0 = 1 << 2 };

typedef struct {
	ProfileSource *src;
	guint set;                   /* SET_*; PROFILE_LAYER_SET_LIMIT0 << PROFILE_LIMIT_* for limits */
	char *description;
	guint description_line;
	char *inherits;
	guint inherits_line;
	ProfileAction default_action;
	guint default_action_line;
	guint64 limit[PROFILE_N_LIMITS];
	GHashTable *rules;           /* syscall name -> ProfileRule*, this file's */
	GPtrArray *acknowledged;     /* of ProfileAcknowledgement* */
	GPtrArray *written;          /* of ProfileRule*, as written, in line order */
	/* When collecting (profile_load_all_errors), where an entry's error
	 * goes so the reading can go on; NULL: the first error ends it. */
	GPtrArray *errors;
	guint n_errors;              /* this file's, in errors */
} ProfileLayer;

/* Reads one file into a layer. With errors (collecting), every entry is read
 * even after one failed; the layer is then NULL and *error a copy of the
 * file's first error. */
ProfileLayer *profile_layer_read(const char *path, GPtrArray *errors, GError **error);
/* Puts what layer sets on top of base (its parent's profile, or defaults). */
void profile_layer_apply(ProfileLayer *layer, Profile *base);
void profile_layer_free(ProfileLayer *layer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProfileLayer, profile_layer_free)

#endif /* EXPERT_EXEC_PROFILE_LAYER_H */
