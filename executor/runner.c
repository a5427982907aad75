/* runner.c — see runner.h. */
#include "runner.h"

#include <gio/gio.h>
#include <pwd.h>
#include <unistd.h>

typedef struct {
	RunResult *result;
	const RunnerOptions *options;
	JobContext ctx;
	GHashTable *running;       /* job id -> Job* */
	guint next, done;
	GMainLoop *loop;
} Run;

static void start_next(Run *run);

static void on_job_done(Job *job, gpointer data)
{
	Run *run = data;
	g_hash_table_remove(run->running, &job->id);
	run->done++;
	if (run->done == run->options->n_experts)
		g_main_loop_quit(run->loop);
	else
		start_next(run);
}

static void start_next(Run *run)
{
	while (run->next < run->options->n_experts &&
	       g_hash_table_size(run->running) < run->options->jobs) {
		guint i = run->next++;
		Job *job = job_start(i + 1, run->options->experts[i], &run->ctx, on_job_done, run);
		g_ptr_array_index(run->result->jobs, i) = job;
		g_hash_table_insert(run->running, &job->id, job);
	}
}

static void on_child_exit(const ZygoteReply *reply, gpointer data)
{
	Run *run = data;
	Job *job = g_hash_table_lookup(run->running, &reply->job_id);
	if (job)
		job_reaped(job, reply);
}

gboolean runner_set_identity(RunnerOptions *options, const char *user, GError **error)
{
	options->drop_privileges = FALSE;
	if (geteuid() != 0)
		return TRUE;
	const char *name = user ? user : "nobody";
	struct passwd *pw = getpwnam(name);
	if (!pw) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "--user: no user \"%s\"", name);
		return FALSE;
	}
	if (pw->pw_uid == 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
		            "--user: refusing to run experts as root");
		return FALSE;
	}
	options->drop_privileges = TRUE;
	options->uid = pw->pw_uid;
	options->gid = pw->pw_gid;
	return TRUE;
}

RunResult *runner_run(Zygote *zygote, const RunnerOptions *options, GError **error)
{
	g_autoptr(RunResult) result = g_new0(RunResult, 1);
	result->jobs = g_ptr_array_new_with_free_func((GDestroyNotify)job_free);
	result->pool = pool_new(options->pool_budget);
	gint64 start = g_get_monotonic_time();

	result->profile = profile_load(options->profile, error);
	if (!result->profile)
		return NULL;
	result->filter = filter_compile(result->profile, error);
	if (!result->filter)
		return NULL;
	result->capture = capture_load(options->capture_path, error);
	if (!result->capture)
		return NULL;

	Run run = {
		.result = result,
		.options = options,
		.ctx = {
			.profile = result->profile,
			.filter = result->filter,
			.capture = result->capture,
			.pool = result->pool,
			.zygote = zygote,
			.drop_privileges = options->drop_privileges,
			.uid = options->uid,
			.gid = options->gid,
			.observe = options->observe,
			.observe_data = options->observe_data,
		},
		.running = g_hash_table_new(g_int64_hash, g_int64_equal),
		.loop = g_main_loop_new(NULL, FALSE),
	};
	g_ptr_array_set_size(result->jobs, (gint)options->n_experts);
	zygote_set_exit_handler(zygote, on_child_exit, &run);
	/* After the run's shared pieces exist, before the first job: what the
	 * jobs cost is the difference to the snapshot after the last. */
	resources_snapshot(result->pool, &result->before);
	if (options->n_experts > 0) {
		start_next(&run);
		g_main_loop_run(run.loop);
	}
	zygote_set_exit_handler(zygote, NULL, NULL);
	g_hash_table_unref(run.running);
	g_main_loop_unref(run.loop);

	result->duration_usec = g_get_monotonic_time() - start;
	resources_snapshot(result->pool, &result->after);
	return g_steal_pointer(&result);
}

void run_result_free(RunResult *result)
{
	if (!result)
		return;
	g_ptr_array_unref(result->jobs);
	filter_free(result->filter);
	capture_free(result->capture);
	profile_free(result->profile);
	pool_free(result->pool);
	g_free(result);
}
