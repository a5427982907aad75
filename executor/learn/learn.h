/* learn.h — `expert-exec profile learn`: run experts once under a base
 * profile (learn.profile by default) whose refused calls are shown to the
 * learner and let through, then write the smallest profile under which the
 * same run completes.
 *
 * Two layers, as everywhere here: the log (learn-log.h), the writer
 * (learn-writer.h) and the checks (learn-check.h) are pure (recorded calls
 * in, profile text out) and unit-tested on their own; learn_command()
 * (learn.c) starts the zygote, runs the experts and writes the file. Only
 * calls the base profile *notifies* reach the learner: its kill rules stay
 * kills, so a learning run that tries an escape ends without a profile being
 * written. */
#ifndef EXPERT_EXEC_LEARN_H
#define EXPERT_EXEC_LEARN_H

/* `expert-exec profile learn`; argv[0] is "learn". Exit status: 0 when the
 * profile was written, 1 when a learning run did not complete, 2 for a bad
 * command line, capture, profile or output file. */
int learn_command(int argc, char **argv);

#endif /* EXPERT_EXEC_LEARN_H */
