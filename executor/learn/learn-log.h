/* learn-log.h — every call the base profile refused during a learning run,
 * summarised per syscall: how often, by which experts, one example, the
 * descriptors seen (arg0) and whether a mapping asked for PROT_EXEC; and
 * what each expert's run cost. Pure: recorded calls in, nothing out but the
 * log, which the writer (learn-writer.h) and the checks (learn-check.h)
 * read. */
#ifndef EXPERT_EXEC_LEARN_LOG_H
#define EXPERT_EXEC_LEARN_LOG_H

#include <glib.h>

/* A rule conditions a descriptor syscall on the descriptors seen, up to this
 * many; more and the rule has no condition. */
#define LEARN_MAX_DESCRIPTORS 8

/* What one expert's learning run cost, for the header and the limits. */
typedef struct {
	guint64 peak_pool_bytes;
	guint64 max_rss_bytes;
	guint64 cpu_usec;
	guint64 wall_usec;
	guint events;
} LearnUsage;

typedef struct LearnLog LearnLog;

LearnLog *learn_log_new(void);
void learn_log_free(LearnLog *log);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LearnLog, learn_log_free)

/* Records that expert (a short name for comments, e.g. its file name) ran to
 * completion using usage. Call it once per expert, in order. */
void learn_log_add_expert(LearnLog *log, const char *expert, const LearnUsage *usage);
/* Records one refused call of syscall nr by expert. */
void learn_log_add_call(LearnLog *log, const char *expert, int nr, const guint64 args[6]);
/* Calls recorded for expert, or for all experts if NULL. */
guint64 learn_log_n_calls(const LearnLog *log, const char *expert);
/* Distinct syscalls recorded. */
guint learn_log_n_syscalls(const LearnLog *log);

/* ---- what the writer and the checks read ---- */

/* Which condition a learned rule for a syscall can take. */
typedef enum {
	LEARN_SHAPE_PLAIN,   /* no condition is obviously safe and tight */
	LEARN_SHAPE_FD0,     /* arg0 is the descriptor the call works on */
	LEARN_SHAPE_PROT2,   /* arg2 is a mapping's protection */
} LearnShape;

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
} LearnSample;

typedef struct {
	int nr;
	char *name;
	LearnShape shape;
	guint64 count;
	GArray *seen_by;            /* of LearnSeenBy, in order of first call */
	/* The first call, then the first with each new descriptor and the first
	 * executable mapping: enough to check a rule against what was seen. */
	GArray *samples;            /* of LearnSample */
	guint64 fds[LEARN_MAX_DESCRIPTORS];
	guint n_fds;
	gboolean too_many_fds;
	gboolean exec_seen;
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
