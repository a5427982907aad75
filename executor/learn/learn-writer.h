/* learn-writer.h — the profile a learning run's log amounts to: `inherits =
 * <parent>` plus one commented rule per syscall the run made that the
 * parent does not already allow for every call seen. Pure. */
#ifndef EXPERT_EXEC_LEARN_WRITER_H
#define EXPERT_EXEC_LEARN_WRITER_H

#include "learn/learn-header.h"
#include "learn/learn-log.h"
#include "profiles/profile.h"

#include <glib.h>

/* The learned profile's text. Fails (LEARN_ERROR_KILLED, learn-check.h) if
 * a call was one parent kills: kills are never learned. parent is the
 * shipped profile it inherits (strict or coalesce in `profile learn`). */
char *learn_profile_text(const LearnLog *log, const LearnHeader *header, const Profile *parent,
                         GError **error);

#endif /* EXPERT_EXEC_LEARN_WRITER_H */
