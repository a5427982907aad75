/* learn-log.h — every call the base profile refused during a learning run,
 * summarised per syscall: how often, by which experts, an example as the
 * report showed it, the values seen of the argument a rule can be narrowed
 * on (the descriptor of read and write, open's flags, mmap's PROT_EXEC, ...),
 * and whether a trial run refusing the syscall still completed; and what
 * each expert's run cost. Pure: recorded calls in, nothing out but the log,
 * which the writer (learn-writer.h) and the checks (learn-check.h) read. */
#ifndef EXPERT_EXEC_LEARN_LOG_H
#define EXPERT_EXEC_LEARN_LOG_H

#include <glib.h>

/* A rule is narrowed on the values seen of one argument, up to this many
 * (the parser's limit of alternatives); more and it has no condition. */
#define LEARN_MAX_VALUES 8

/* What one expert's learning run cost, for the header and the limits. */
typedef struct {
	guint64 peak_pool_bytes;
	guint64 max_rss_bytes;
	guint64 cpu_usec;
	guint64 wall_usec;
	guint events;
	guint outputs;              /* output captures created */
	guint64 output_bytes;       /* the largest of them */
} LearnUsage;

typedef struct LearnLog LearnLog;

LearnLog *learn_log_new(void);
void learn_log_free(LearnLog *log);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LearnLog, learn_log_free)

/* Records that expert (a short name for comments, e.g. its file name) ran to
 * completion using usage. Call it once per expert, in order. */
void learn_log_add_expert(LearnLog *log, const char *expert, const LearnUsage *usage);
/* Records one refused call of syscall nr by expert; text is the call as a
 * report shows it (strings read from the child, violations/violation.h), or
 * NULL. */
void learn_log_add_call(LearnLog *log, const char *expert, int nr, const guint64 args[6],
                        const char *text);
/* Records that a trial run refusing every call of nr with errno_value still
 * completed with the same results: the learned profile refuses it. */
void learn_log_set_refused(LearnLog *log, int nr, int errno_value);
/* Calls recorded for expert, or for all experts if NULL. */
guint64 learn_log_n_calls(const LearnLog *log, const char *expert);
/* Distinct syscalls recorded. */
guint learn_log_n_syscalls(const LearnLog *log);

/* ---- what the writer and the checks read ---- */

/* The argument an allow of a syscall is narrowed on: the values of
 * (arg & mask) seen, mask 0 meaning the whole argument. Only arguments the
 * kernel passes in registers: a filter cannot read memory (openat2's flags,
 * clone3's). */
typedef struct {
	const char *syscall;
	guint arg;
	guint64 mask;
	const char *what;           /* "descriptors", "access modes", ... */
} LearnNarrowing;

typedef struct {
	char *name;
	guint64 calls;
	gboolean ran;
	LearnUsage usage;
} LearnExpert;

typedef struct {
	guint expert;               /* index in LearnLog.experts */
	guint64 count;
} LearnSeenBy;

typedef struct {
	guint expert;
	guint64 args[6];
	char *text;                 /* as the report showed it, or NULL */
} LearnSample;

typedef struct {
	int nr;
	char *name;
	const LearnNarrowing *narrowing; /* NULL: no condition is obviously safe and tight */
	guint64 count;
	GArray *seen_by;            /* of LearnSeenBy, in order of first call */
	/* The first call, then the first with each new value of the narrowing:
	 * enough to check a rule against what was seen. */
	GArray *samples;            /* of LearnSample */
	guint64 values[LEARN_MAX_VALUES]; /* of (arg & mask), in order seen */
	guint n_values;
	gboolean too_many_values;
	int refused;                /* errno a trial refused it with and every expert
	                             * still completed the same; 0: needed */
} LearnSyscall;

struct LearnLog {
	GArray *experts;            /* of LearnExpert */
	GHashTable *syscalls;       /* nr -> LearnSyscall* */
	guint64 n_calls;
};

/* The name of the i-th expert of the log. */
const char *learn_log_expert_name(const LearnLog *log, guint i);
/* The log's syscalls, sorted by name; the array does not own them. */
GPtrArray *learn_log_sorted_syscalls(const LearnLog *log);

#endif /* EXPERT_EXEC_LEARN_LOG_H */
