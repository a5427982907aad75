/* prefork.c — children forked ahead of their jobs (see prefork.h). */
#include "jobs/prefork.h"

#include "jobs/channel.h"

#include <errno.h>
#include <gio/gio.h>
#include <signal.h>
#include <unistd.h>

/* A child the pool asked for, until the zygote reports its end. */
typedef struct {
	PreforkChild c;
	const RunProfile *profile;
	gboolean started;          /* STARTED (or FAILED) came */
	int error;                 /* FAILED: the zygote's errno */
	gboolean taken;            /* a job has it: the fields are the job's */
	gboolean ending;           /* drained: killed, its exit awaited */
	PreforkExitFunc on_exit;   /* the job's, once taken */
	gpointer exit_data;
} Entry;

struct Prefork {
	PreforkSetup setup;
	guint size;
	GHashTable *entries;       /* id -> Entry*, every child not yet reported gone */
	GHashTable *ready;         /* RunProfile* -> GQueue of Entry*, not taken */
	GHashTable *wanted;        /* RunProfile* -> target, as GUINT_TO_POINTER */
	guint64 next_id;
	guint top_up_idle;         /* asking for what is missing, once the loop is idle */
	guint64 forked, taken_ready, fork_nsec_total, fork_n;
};

static GQueue *ready_of(Prefork *p, const RunProfile *rp)
{
	GQueue *q = g_hash_table_lookup(p->ready, rp);
	if (!q) {
		q = g_queue_new();
		g_hash_table_insert(p->ready, (gpointer)rp, q);
	}
	return q;
}

/* Closes and gives back what an untaken child held. */
static void entry_release(Prefork *p, Entry *e)
{
	if (e->c.channel_fd >= 0)
		close(e->c.channel_fd);
	if (e->c.pidfd >= 0)
		close(e->c.pidfd);
	pool_region_release(p->setup.pool, e->c.region);
	if (e->c.has_uid)
		uid_pool_give(p->setup.uid_pool, e->c.uid);
	e->c.channel_fd = e->c.pidfd = -1;
	e->c.region = NULL;
	e->c.has_uid = FALSE;
}

static void entry_free(gpointer data)
{
	g_free(data);
}

static void on_child_start(const ZygoteReply *reply, int pidfd, gpointer data)
{
	Prefork *p = data;
	Entry *e = g_hash_table_lookup(p->entries, &reply->child_id);
	if (!e) {
		if (pidfd >= 0)
			close(pidfd);
		return;
	}
	e->started = TRUE;
	if (reply->kind == ZYGOTE_REPLY_FAILED) {
		e->error = reply->error ? reply->error : EIO;
		/* No exit will follow: a drained one is gone now. */
		if (e->ending) {
			g_queue_remove(ready_of(p, e->profile), e);
			entry_release(p, e);
			g_hash_table_remove(p->entries, &reply->child_id);
		}
		return;
	}
	e->c.pidfd = pidfd;
	e->c.pid = reply->pid;
	p->fork_nsec_total += reply->fork_nsec;
	p->fork_n++;
	/* Drained before it started: end it now. */
	if (e->ending)
		zygote_child_kill(pidfd, e->c.pid);
}

static void on_child_exit(const ZygoteReply *reply, gpointer data)
{
	Prefork *p = data;
	Entry *e = g_hash_table_lookup(p->entries, &reply->child_id);
	if (!e)
		return;
	if (e->taken) {
		/* The job's now; the entry only routed the exit. */
		PreforkExitFunc func = e->on_exit;
		gpointer fdata = e->exit_data;
		g_hash_table_remove(p->entries, &reply->child_id);
		func(reply, fdata);
		return;
	}
	if (e->ending) {
		g_queue_remove(ready_of(p, e->profile), e);
		entry_release(p, e);
		g_hash_table_remove(p->entries, &reply->child_id);
		return;
	}
	/* Dead before any job came (its setup failed, most likely): kept
	 * ready, so that the next job of its profile ends with what it said,
	 * as it would have, never silently. */
	e->c.exited = TRUE;
	e->c.exit = *reply;
}

/* Asks the zygote for one child of rp. */
static Entry *request(Prefork *p, const RunProfile *rp, GError **error)
{
	const Profile *profile = rp->profile;
	const Capture *capture = p->setup.capture;
	Entry *e = g_new0(Entry, 1);
	e->profile = rp;
	e->c.id = ++p->next_id;
	e->c.channel_fd = e->c.pidfd = -1;
	guint32 uid = p->setup.uid, gid = p->setup.gid;
	if (p->setup.drop_privileges && p->setup.uid_pool) {
		if (!uid_pool_take(p->setup.uid_pool, &uid)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_BUSY, "every uid of the pool is in use");
			g_free(e);
			return NULL;
		}
		e->c.has_uid = TRUE;
		e->c.uid = uid;
		gid = uid;
	}
	int theirs = -1;
	e->c.region = pool_region_new_spare(p->setup.pool, profile->memory_bytes, error);
	if (!e->c.region || !channel_pair(&e->c.channel_fd, &theirs, error)) {
		entry_release(p, e);
		g_free(e);
		return NULL;
	}
	ZygoteRequest req = {
		.version = ZYGOTE_PROTOCOL_VERSION,
		.flags = (p->setup.drop_privileges ? ZYGOTE_REQUEST_DROP_PRIVILEGES : 0) |
		         (capture->file_fd >= 0 ? ZYGOTE_REQUEST_CAPTURE_IN_FILE : 0),
		.child_id = e->c.id,
		.profile_tag = rp->tag,
		.region_size = e->c.region->size,
		.capture_size = capture->size,
		.capture_memfd_size = capture->memfd_size,
		.filter_size = rp->filter->size,
		.data_limit = profile->memory_bytes,
		.output_bytes = profile->max_outputs ? profile->max_output_bytes : 0,
		.cpu_seconds = (guint32)MAX(1, (profile->cpu_ms + 999) / 1000),
		.max_fds = profile->max_fds,
		.max_events = profile->max_events,
		.uid = uid,
		.gid = gid,
		.landlock_abi = p->setup.landlock_abi,
	};
	int fds[ZYGOTE_N_FDS] = {
		[ZYGOTE_FD_CHANNEL] = theirs,
		[ZYGOTE_FD_CAPTURE] = capture->fd,
		[ZYGOTE_FD_CAPTURE_FILE] = capture->file_fd >= 0 ? capture->file_fd : capture->fd,
		[ZYGOTE_FD_REGION] = e->c.region->fd,
		[ZYGOTE_FD_FILTER] = rp->filter->fd,
	};
	gboolean sent = zygote_request(p->setup.zygote, &req, fds, error);
	close(theirs);
	if (!sent) {
		entry_release(p, e);
		g_free(e);
		return NULL;
	}
	p->forked++;
	g_hash_table_insert(p->entries, &e->c.id, e);
	return e;
}

/* Asks for what is missing of every profile's target. A failure here is
 * not the run's: the next job of the profile asks again, and says why.
 * Run when the main loop has nothing else to do: a job just started
 * should have its messages read first. */
static gboolean top_up(gpointer data)
{
	Prefork *p = data;
	p->top_up_idle = 0;
	GHashTableIter it;
	gpointer key, value;
	g_hash_table_iter_init(&it, p->wanted);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		const RunProfile *rp = key;
		GQueue *q = ready_of(p, rp);
		while (q->length < GPOINTER_TO_UINT(value)) {
			Entry *e = request(p, rp, NULL);
			if (!e)
				break;
			g_queue_push_tail(q, e);
		}
	}
	return G_SOURCE_REMOVE;
}

Prefork *prefork_new(const PreforkSetup *setup, guint size)
{
	Prefork *p = g_new0(Prefork, 1);
	p->setup = *setup;
	p->size = MIN(size, PREFORK_MAX);
	p->entries = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, entry_free);
	p->ready = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
	                                 (GDestroyNotify)g_queue_free);
	p->wanted = g_hash_table_new(g_direct_hash, g_direct_equal);
	zygote_set_handlers(setup->zygote, on_child_start, on_child_exit, p);
	return p;
}

void prefork_want(Prefork *p, const RunProfile *rp, guint n)
{
	g_hash_table_insert(p->wanted, (gpointer)rp, GUINT_TO_POINTER(MIN(n, p->size)));
	if (!p->top_up_idle && n)
		p->top_up_idle = g_idle_add_full(G_PRIORITY_LOW, top_up, p, NULL);
}

gboolean prefork_take(Prefork *p, const RunProfile *rp, PreforkExitFunc func, gpointer user_data,
                      PreforkChild *child, GError **error)
{
	GQueue *q = ready_of(p, rp);
	Entry *e = g_queue_pop_head(q);
	if (e && e->started)
		p->taken_ready++;
	if (!e && !(e = request(p, rp, error)))
		return FALSE;
	if (!e->started && !zygote_wait(p->setup.zygote, e->c.id, error)) {
		g_queue_push_head(q, e);
		return FALSE;
	}
	if (e->error) {
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e->error),
		            "cannot fork a child for the job: %s", g_strerror(e->error));
		entry_release(p, e);
		g_hash_table_remove(p->entries, &e->c.id);
		return FALSE;
	}
	*child = e->c;
	if (e->c.exited) {
		/* Its exit was reported already: nothing more will come. */
		g_hash_table_remove(p->entries, &child->id);
		return TRUE;
	}
	e->taken = TRUE;
	e->on_exit = func;
	e->exit_data = user_data;
	return TRUE;
}

void prefork_give_back(Prefork *p, const RunProfile *rp, const PreforkChild *child)
{
	Entry *e = g_hash_table_lookup(p->entries, &child->id);
	gboolean had_exited = e == NULL;
	if (had_exited) {
		/* Its exit was reported already: a new entry for what it left. */
		e = g_new0(Entry, 1);
		e->profile = rp;
		e->started = TRUE;
	}
	e->c = *child;
	if (had_exited)
		g_hash_table_insert(p->entries, &e->c.id, e);
	e->taken = FALSE;
	e->on_exit = NULL;
	e->exit_data = NULL;
	g_queue_push_head(ready_of(p, rp), e);
}

void prefork_release(Prefork *p)
{
	g_hash_table_remove_all(p->wanted);
	if (p->top_up_idle) {
		g_source_remove(p->top_up_idle);
		p->top_up_idle = 0;
	}
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init(&it, p->entries);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		Entry *e = value;
		if (e->taken || e->ending)
			continue;
		e->ending = TRUE;
		if (e->c.exited || (e->started && e->error)) {
			g_queue_remove(ready_of(p, e->profile), e);
			entry_release(p, e);
			g_hash_table_iter_remove(&it);
			continue;
		}
		if (e->c.pidfd >= 0)
			zygote_child_kill(e->c.pidfd, e->c.pid);
	}
}

gboolean prefork_busy(const Prefork *p)
{
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init(&it, p->entries);
	while (g_hash_table_iter_next(&it, NULL, &value))
		if (((Entry *)value)->ending)
			return TRUE;
	return FALSE;
}

void prefork_drain(Prefork *p)
{
	prefork_release(p);
	/* The zygote reports each (and any taken child still running, whose
	 * job it goes to) from the main loop. */
	while (prefork_busy(p))
		g_main_context_iteration(NULL, TRUE);
}

void prefork_figures(const Prefork *p, PreforkFigures *out)
{
	out->size = p->size;
	out->forked = p->forked;
	out->taken_ready = p->taken_ready;
	out->fork_ms_mean = p->fork_n ? (double)p->fork_nsec_total / (double)p->fork_n / 1e6 : 0.0;
}

void prefork_free(Prefork *p)
{
	if (!p)
		return;
	prefork_drain(p);
	zygote_set_handlers(p->setup.zygote, NULL, NULL, NULL);
	g_hash_table_unref(p->wanted);
	g_hash_table_unref(p->ready);
	g_hash_table_unref(p->entries);
	g_free(p);
}
