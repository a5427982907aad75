/* learn-header.h — what a learned profile says before its rules: the
 * header comment (how it was learned, from what, what each expert cost) and
 * the [limits] group, only where the parent's limit is less than twice what
 * the learning runs used. Pure; learn-writer.c writes the rest. */
#ifndef EXPERT_EXEC_LEARN_HEADER_H
#define EXPERT_EXEC_LEARN_HEADER_H

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

/* Text from outside (paths, the command line, calls as read from a child)
 * made safe for a comment line: valid UTF-8, no control characters.
 * Newly allocated. */
char *learn_comment_safe(const char *text);

/* Appends the header comment, for a profile inheriting parent. */
void learn_header_write(GString *out, const LearnLog *log, const LearnHeader *h,
                        const Profile *parent);

/* Appends a [limits] group where parent's limits fall short, or nothing. */
void learn_limits_write(GString *out, const LearnLog *log, const Profile *parent);

#endif /* EXPERT_EXEC_LEARN_HEADER_H */
