/* refuse.h — an expert saying why it refuses, in its own words, through
 * expert_fail(): the executor shows the text as the job's outcome detail.
 * Every setting a shipped expert rejects goes through refuse_setting(), so
 * the user reads which key, which value, and what would have been taken.
 *
 * Calls libexpert (expert_config_get, expert_fail); unit-tested against a
 * fake of it. No allocation: the text is built on the stack. */
#ifndef EXPERTS_COMMON_REFUSE_H
#define EXPERTS_COMMON_REFUSE_H

#include <expert.h>

/* "NAME: expected EXPECTED, not \"VALUE\"" (the value as given, cut to 64
 * bytes), sent with expert_fail(). Returns what expert_fail returns
 * (EXPERT_ERR_FAILED), for `return refuse_setting(...)` in configure. */
ExpertError refuse_setting(ExpertKey *key, const char *name, const char *expected);

/* "WHAT: WHY", sent with expert_fail(); for what run cannot do. Returns
 * what expert_fail returns. */
ExpertError refuse_because(ExpertKey *key, const char *what, const char *why);

#endif /* EXPERTS_COMMON_REFUSE_H */
