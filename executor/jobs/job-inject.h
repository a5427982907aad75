/* job-inject.h — a fault injected into a job (inject/inject-plan.h): the
 * plan sent to the child's runtime in START, the faults the executor makes
 * itself (a frame filter or an output refused, output writes failing with
 * ENOSPC, the capture cut short, the SIGKILL), and the child's reports of
 * the faults it made, each checked against the plan (see job-inject.c). */
#ifndef EXPERT_EXEC_JOB_INJECT_H
#define EXPERT_EXEC_JOB_INJECT_H

#include "jobs/job-state.h"

#include <linux/seccomp.h>

/* At the job's start, when the context asks for a fault: the job's
 * injection record. FALSE (with error) if it cannot be made. */
gboolean job_inject_begin(Job *job, GError **error);
/* For eof@N (spec's kind INJECT_EOF): the capture every child of the run
 * maps instead of the run's, cut short before frame N, made once per run
 * (children are forked before their jobs: jobs/prefork.h). */
Capture *job_inject_cut_capture(const InjectSpec *spec, const Capture *capture, GError **error);
/* START's flag for the plan (WIRE_START_INJECT or 0), and the plan itself,
 * put last in START. */
guint8 job_inject_start_flag(const Job *job);
void job_inject_put_plan(const Job *job, WireWriter *w);

/* filter@N and create@N: the executor's refusal of the request it has just
 * counted (count: the job's filter requests, or output requests), newly
 * allocated, or NULL to go on as usual. */
char *job_inject_refusal(Job *job, InjectClass kind, guint count);

/* Where a watched write to an output goes (filter-prefix.h): not one the
 * injection decides (go on with the profile), let through, or failed. */
typedef enum {
	JOB_INJECT_WRITE_NOT_MINE,
	JOB_INJECT_WRITE_CONTINUE,
	JOB_INJECT_WRITE_ENOSPC,
} JobInjectWrite;
JobInjectWrite job_inject_write(Job *job, const struct seccomp_notif *req);

/* INJECTED and CALLS from the child's runtime (job-channel.c). */
void job_inject_on_injected(Job *job, const WireMessage *msg);
void job_inject_on_calls(Job *job, const WireMessage *msg);

/* Frees the job's injection record and cut capture. */
void job_inject_free(Job *job);

#endif /* EXPERT_EXEC_JOB_INJECT_H */
