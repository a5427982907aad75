/* job-channel.h — a job's channel: every message the child sends, checked
 * against the phase it is in (see job-channel.c). */
#ifndef EXPERT_EXEC_JOB_CHANNEL_H
#define EXPERT_EXEC_JOB_CHANNEL_H

#include "jobs/job-state.h"

/* Reads up to max messages; returns FALSE when the channel is done with. */
gboolean job_channel_read(Job *job, guint max);
/* Reads everything queued (the socket buffer bounds how much). */
void job_channel_drain(Job *job);
/* The main-loop callback of a job's channel; data is the Job. */
gboolean job_on_channel(int fd, GIOCondition cond, gpointer data);

#endif /* EXPERT_EXEC_JOB_CHANNEL_H */
