/* refusal.h — what an expert's registration may not widen: an expert that
 * says it writes output captures (EXPERT_FLAG_WRITES_OUTPUT) and is run
 * where it can write none is refused before its run starts, with the fix
 * named, rather than left to fail half-way ("completed: run returned 1").
 * The flag never grants anything: only the operator's choice of profile
 * and --output-dir do. Pure. */
#ifndef EXPERT_EXEC_REFUSAL_H
#define EXPERT_EXEC_REFUSAL_H

#include "profiles/profile-model.h"

#include <glib.h>

/* The shipped profile made for experts that write outputs, which the fix
 * names: strict, plus the output captures the executor grants. */
#define REFUSAL_OUTPUT_PROFILE "coalesce"

/* Whether profile lets a job create and write output captures: output-files
 * and output-bytes above 0, and write(2) allowed on the first descriptor
 * the executor grants (or, learning, notified: a learning run lets notified
 * calls through). */
gboolean refusal_profile_grants_outputs(const Profile *profile, gboolean learning);

/* Why expert (its name, as --profile names it), flagged as writing output
 * captures, cannot run under profile with (or without) an --output-dir;
 * NULL when it can. Newly allocated. */
char *refusal_writes_output(const char *expert, const Profile *profile, gboolean output_dir,
                            gboolean learning);

#endif /* EXPERT_EXEC_REFUSAL_H */
