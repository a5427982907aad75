/* prefork.h — children forked and set up ahead of their jobs, per profile.
 *
 * A job's child does nothing that depends on the job until the job comes:
 * descriptors, limits, identity, namespaces, Landlock's rulesets, the
 * profile's filter (child/child-setup.c). So the executor asks the zygote
 * for children before their jobs exist, a bounded number per run, each for
 * one profile, with an empty pool region of its own and (as root) a uid of
 * its own; a job then takes one of its profile and only hands it the object
 * and START. Each child serves one job, then dies: nothing of a job can be
 * left for the next. A child is only ever handed to a job of the profile
 * its filter was compiled from, which the child checks too (ChildJob's
 * profile tag). Every child the zygote reports is this module's: an exit
 * goes to the job that took the child, or ends the child's entry. */
#ifndef EXPERT_EXEC_PREFORK_H
#define EXPERT_EXEC_PREFORK_H

#include "captures/capture.h"
#include "jobs/pool.h"
#include "jobs/uid-pool.h"
#include "jobs/zygote.h"
#include "results/run-profile.h"
#include "results/run-result.h"

#include <glib.h>
#include <sys/types.h>

/* The pool's largest size (--prefork). */
#define PREFORK_MAX 64

/* The size when --prefork is not given: one child ready for each job that
 * may run at once, and one more, so that a job that ends finds the next
 * one's child already set up while the others run. */
static inline guint prefork_default_size(guint jobs)
{
	return MIN(PREFORK_MAX, jobs + 1);
}

typedef struct Prefork Prefork;

/* Where a taken child's exit goes, from the main loop. */
typedef void (*PreforkExitFunc)(const ZygoteReply *reply, gpointer user_data);

/* A child as a job takes it: from then on the channel, the pidfd, the
 * region and the uid are the job's to close and give back. */
typedef struct {
	guint64 id;
	int channel_fd;            /* the executor's end, non-blocking */
	int pidfd;
	pid_t pid;                 /* as this process sees it */
	PoolRegion *region;        /* empty, not yet reserved in the budget */
	gboolean has_uid;          /* uid came from the run's uid pool */
	guint32 uid;
	gboolean exited;           /* it died before its job came ... */
	ZygoteReply exit;          /* ... so: how */
} PreforkChild;

/* What every child of a run shares. */
typedef struct {
	Zygote *zygote;
	const Capture *capture;
	Pool *pool;
	UidPool *uid_pool;         /* one uid per child, or NULL */
	gboolean drop_privileges;
	guint32 uid, gid;          /* without a uid pool */
	guint landlock_abi;
} PreforkSetup;

/* Takes over the zygote's replies (zygote_set_handlers) until freed. size
 * may be 0: every job's child is then forked when the job starts. */
Prefork *prefork_new(const PreforkSetup *setup, guint size);

/* Keeps n children of profile rp ready (within the size: the caller
 * divides it among the jobs it has yet to start), asking for what is
 * missing now, without waiting. Taking one does not ask for another: the
 * caller says again what it will need. */
void prefork_want(Prefork *prefork, const RunProfile *rp, guint n);

/* A child of profile rp for a job: a ready one, else one asked for now
 * (waiting for the zygote's fork). Its exit goes to func. FALSE, with
 * error, if the zygote cannot fork one, or no uid is free. */
gboolean prefork_take(Prefork *prefork, const RunProfile *rp, PreforkExitFunc func,
                      gpointer user_data, PreforkChild *child, GError **error);

/* A taken child the job could not use after all (nothing was sent to it):
 * ready again, for the next job of its profile. */
void prefork_give_back(Prefork *prefork, const RunProfile *rp, const PreforkChild *child);

/* Ends every child no job has taken, and stops asking for more until
 * prefork_want() says otherwise; the zygote reports them gone later. */
void prefork_release(Prefork *prefork);
/* Whether a child ended so is still to be reported gone. */
gboolean prefork_busy(const Prefork *prefork);
/* Both, and waits (running the main loop, which must not be dispatching
 * the zygote's replies itself) until every one is reported gone, so that
 * none is left when the run is over. */
void prefork_drain(Prefork *prefork);

/* What the pool did so far. */
void prefork_figures(const Prefork *prefork, PreforkFigures *out);

/* Drains, and gives the zygote's replies back. */
void prefork_free(Prefork *prefork);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Prefork, prefork_free)

#endif /* EXPERT_EXEC_PREFORK_H */
