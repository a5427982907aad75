/* learn-writer.h — the profile a learning run's log amounts to: `inherits =
 * <parent>` plus one commented rule per syscall the run made that the
 * parent does not already allow for every call seen. Pure. */
#ifndef EXPERT_EXEC_LEARN_WRITER_H
#define EXPERT_EXEC_LEARN_WRITER_H

#include "learn/learn-log.h"
#include "profiles/profile.h"

#include <glib.h>

/* What the header comment of a learned profile says. */
typedef struct {
	const char *command_line;   /* as it would be typed */
	const char *date;           /* ISO 8601 */
	const char *capture;
	const Profile *base;        /* what the learning run used */
} LearnHeader;

/* The learned profile's text. Fails (LEARN_ERROR_KILLED, learn-check.h) if
 * a call was one parent kills: kills are never learned. parent is
 * strict.profile in `profile learn`. */
char *learn_profile_text(const LearnLog *log, const LearnHeader *header, const Profile *parent,
                         GError **error);

#endif /* EXPERT_EXEC_LEARN_WRITER_H */
