/* runner.c — see runner.h. */
#include "jobs/runner.h"

#include "captures/frame-filter.h"
#include "jobs/job-inject.h"
#include "jobs/prefork.h"
#include "jobs/resources.h"
#include "profiles/profile-digest.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
	RunResult *result;
	const RunnerOptions *options;
	GHashTable *running;       /* job id -> Job* */
	guint next, done;
	GMainLoop *loop;
} Run;

static void run_profile_free(gpointer p)
{
	RunProfile *rp = p;
	filter_free(rp->filter);
	profile_free(rp->profile);
	g_free(rp->sha256);
	g_free(rp);
}

static void run_assignment_free(gpointer p)
{
	RunAssignment *a = p;
	g_free(a->expert);
	g_free(a->chosen_by);
	g_free(a);
}

/* The run's profile for spec: loaded, digested and compiled the first time
 * any expert names it; a file reached under two names (strict and
 * .../strict.profile) is the same profile. */
/* The tag a child is told its profile by: the digest's first 64 bits. */
static guint64 profile_tag(const char *sha256)
{
	char head[17];
	g_strlcpy(head, sha256, sizeof(head));
	return g_ascii_strtoull(head, NULL, 16);
}

static const RunProfile *profile_for(RunResult *result, GHashTable *by_spec, const char *spec,
                                     gboolean landlock, gboolean watch_output_writes,
                                     GError **error)
{
	RunProfile *rp = g_hash_table_lookup(by_spec, spec);
	if (rp)
		return rp;
	g_autoptr(Profile) profile = profile_load(spec, error);
	if (!profile)
		return NULL;
	g_autofree char *real = realpath(profile->path, NULL);
	for (guint i = 0; i < result->profiles->len; i++) {
		RunProfile *other = result->profiles->pdata[i];
		g_autofree char *other_real = realpath(other->profile->path, NULL);
		if (real && other_real && strcmp(real, other_real) == 0) {
			g_hash_table_insert(by_spec, g_strdup(spec), other);
			return other;
		}
	}
	g_autoptr(Filter) filter = filter_compile_full(profile, landlock, watch_output_writes, error);
	if (!filter)
		return NULL;
	rp = g_new0(RunProfile, 1);
	rp->sha256 = profile_digest(profile);
	rp->tag = profile_tag(rp->sha256);
	rp->profile = g_steal_pointer(&profile);
	rp->filter = g_steal_pointer(&filter);
	g_ptr_array_add(result->profiles, rp);
	g_hash_table_insert(by_spec, g_strdup(spec), rp);
	return rp;
}

/* Every expert's profile, each distinct one once. */
static gboolean assign_profiles(RunResult *result, const RunnerOptions *options, GError **error)
{
	g_autoptr(GHashTable) by_spec = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* Landlock after loading: the loader's openat can be decided in the
	 * kernel (profiles/filter-prefix.h). */
	gboolean landlock = result->isolation.state[KERNEL_FEATURE_LANDLOCK] == ISOLATION_ACTIVE;
	/* With no expert (stress without any), the run still has its profile. */
	if (options->n_experts == 0 &&
	    !profile_for(result, by_spec, options->profile, landlock, options->watch_output_writes,
	                 error))
		return FALSE;
	for (guint i = 0; i < options->n_experts; i++) {
		const ProfileChoice *choice = options->choices ? options->choices[i] : NULL;
		const char *spec = choice ? choice->profile : options->profile;
		const RunProfile *rp = profile_for(result, by_spec, spec, landlock,
		                                   options->watch_output_writes, error);
		if (!rp) {
			if (choice)
				g_prefix_error(error, "the profile of %s (%s): ", choice->expert, choice->chosen_by);
			return FALSE;
		}
		((RunProfile *)rp)->n_experts++;
		RunAssignment *a = g_new0(RunAssignment, 1);
		a->expert = profile_map_expert_name(options->experts[i]);
		a->profile = rp;
		a->chosen_by = choice ? g_strdup(choice->chosen_by) : NULL;
		g_ptr_array_add(result->assignments, a);
	}
	return TRUE;
}

static void start_next(Run *run);

static void on_job_done(Job *job, gpointer data)
{
	Run *run = data;
	g_hash_table_remove(run->running, &job->id);
	run->done++;
	if (run->options->on_job_done)
		run->options->on_job_done(job, run->options->on_job_done_data);
	if (run->done == run->options->n_experts)
		g_main_loop_quit(run->loop);
	else
		start_next(run);
}

/* What the jobs not yet started will need: a child of each one's
 * profile, for as many of them as the pre-fork pool holds. */
static void want_children(Run *run)
{
	RunResult *result = run->result;
	guint size = run->options->prefork;
	for (guint k = 0; k < result->profiles->len; k++) {
		const RunProfile *rp = g_ptr_array_index(result->profiles, k);
		guint n = 0;
		for (guint i = run->next; i < run->options->n_experts && i < run->next + size; i++)
			n += ((const RunAssignment *)g_ptr_array_index(result->assignments, i))->profile == rp;
		prefork_want(result->prefork, rp, n);
	}
}

static void start_next(Run *run)
{
	while (run->next < run->options->n_experts &&
	       g_hash_table_size(run->running) < run->options->jobs) {
		guint i = run->next++;
		const char *const *config = run->options->configs && i < run->options->configs->len
			? g_ptr_array_index(run->options->configs, i) : NULL;
		const RunAssignment *a = g_ptr_array_index(run->result->assignments, i);
		Job *job = job_start(i + 1, run->options->experts[i], config, a->profile,
		                     run->result->ctx, on_job_done, run);
		job->profile_chosen_by = a->chosen_by;
		g_ptr_array_index(run->result->jobs, i) = job;
		g_hash_table_insert(run->running, &job->id, job);
	}
	want_children(run);
}

gboolean runner_set_identity(RunnerOptions *options, const char *user, GError **error)
{
	options->drop_privileges = FALSE;
	options->uid_per_job = FALSE;
	if (geteuid() != 0)
		return TRUE;
	if (!user) {
		options->drop_privileges = TRUE;
		options->uid_per_job = TRUE;
		return TRUE;
	}
	const char *name = user;
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

RunResult *runner_prepare(Zygote *zygote, const RunnerOptions *options, GError **error)
{
	g_autoptr(RunResult) result = g_new0(RunResult, 1);
	result->jobs = g_ptr_array_new_with_free_func((GDestroyNotify)job_free);
	result->pool = pool_new(options->pool_budget);
	result->profiles = g_ptr_array_new_with_free_func(run_profile_free);
	result->assignments = g_ptr_array_new_with_free_func(run_assignment_free);
	result->output_dir_fd = -1;
	result->start_usec = g_get_monotonic_time();
	result->isolation = *zygote_isolation(zygote);

	if (!assign_profiles(result, options, error))
		return NULL;
	result->capture = !options->capture_path ? capture_new_empty(error)
	                  : capture_load_as(options->capture_path,
	                                    options->copy_capture ? CAPTURE_FRAMES_COPIED
	                                                          : CAPTURE_FRAMES_IN_FILE_IF_ABLE,
	                                    error);
	if (!result->capture)
		return NULL;
	result->capture_name = options->capture_path ? g_path_get_basename(options->capture_path)
	                                             : g_strdup("");
	if (options->frame_filter) {
		result->frame_filter = frame_filter_compile(options->frame_filter,
		                                            result->capture->link_type, error);
		if (!result->frame_filter) {
			g_prefix_error(error, "--filter: ");
			return NULL;
		}
	}
	if (options->output_dir) {
		/* Opened once: every output is created relative to this descriptor,
		 * so renaming or replacing the path mid-run changes nothing. */
		result->output_dir_fd = open(options->output_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (result->output_dir_fd < 0) {
			g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
			            "--output-dir %s: %s", options->output_dir, g_strerror(errno));
			return NULL;
		}
	}
	if (result->output_dir_fd >= 0) {
		result->output_folders = output_folders_new(options->reuse_output_folders);
		for (guint i = 0; options->output_folders && i < options->n_experts; i++)
			output_folders_fix(result->output_folders, options->experts[i],
			                   options->output_folders[i]);
	}
	result->jobs_by_pid = g_hash_table_new(g_direct_hash, g_direct_equal);
	if (options->drop_privileges && options->uid_per_job)
		result->uid_pool = uid_pool_new(UID_POOL_DEFAULT_BASE, UID_POOL_DEFAULT_COUNT);
	/* Where the children's libraries come from: what the zygote has loaded
	 * they need not be given. */
	result->plans = object_plan_cache_new();
	result->objects = object_search_new(zygote_binary(zygote), error);
	if (!result->objects) {
		g_prefix_error(error, "cannot tell which libraries the fork server has loaded: ");
		return NULL;
	}
	guint landlock_abi = result->isolation.state[KERNEL_FEATURE_LANDLOCK] == ISOLATION_ACTIVE
	                     ? result->isolation.landlock_abi : 0;
	/* eof@N: the same cut for every job of the run, made once, and mapped
	 * by children forked before their jobs. */
	if (options->inject && options->inject->kind == INJECT_EOF &&
	    !(result->cut_capture = job_inject_cut_capture(options->inject, result->capture, error)))
		return NULL;
	PreforkSetup setup = {
		.zygote = zygote,
		.capture = result->cut_capture ? result->cut_capture : result->capture,
		.pool = result->pool,
		.uid_pool = result->uid_pool,
		.drop_privileges = options->drop_privileges,
		.uid = options->uid,
		.gid = options->gid,
		.landlock_abi = landlock_abi,
	};
	result->prefork = prefork_new(&setup, options->prefork);
	result->prefork_figures.size = MIN(options->prefork, PREFORK_MAX);
	result->ctx = g_new(JobContext, 1);
	*result->ctx = (JobContext){
		.capture = result->capture,
		.pool = result->pool,
		.prefork = result->prefork,
		.drop_privileges = options->drop_privileges,
		.uid_pool = result->uid_pool,
		.objects = result->objects,
		.plans = result->plans,
		.landlock_abi = landlock_abi,
		.observe = options->observe,
		.observe_data = options->observe_data,
		.capture_name = result->capture_name,
		.selected_frame = options->selected_frame,
		.frame_filter = result->frame_filter,
		.output_dir_fd = result->output_dir_fd,
		.output_dir = options->output_dir,
		.output_folders = result->output_folders,
		.jobs_by_pid = result->jobs_by_pid,
		.register_only = options->register_only,
		.inject = options->inject,
		.on_status = options->on_status,
		.on_status_data = options->on_status_data,
	};
	return g_steal_pointer(&result);
}

void runner_run_prepared(RunResult *result, const RunnerOptions *options)
{
	Run run = {
		.result = result,
		.options = options,
		.running = g_hash_table_new(g_int64_hash, g_int64_equal),
		.loop = g_main_loop_new(NULL, FALSE),
	};
	g_ptr_array_set_size(result->jobs, (gint)options->n_experts);
	/* After the run's shared pieces exist, before the first job: what the
	 * jobs cost is the difference to the snapshot after the last. */
	resources_snapshot(result->pool, &result->before);
	if (options->n_experts > 0) {
		start_next(&run);
		g_main_loop_run(run.loop);
	}
	/* Children forked for jobs that never came (none, unless the run's
	 * window of pending jobs overestimated) are gone before the snapshot. */
	prefork_drain(result->prefork);
	prefork_figures(result->prefork, &result->prefork_figures);
	g_hash_table_unref(run.running);
	g_main_loop_unref(run.loop);

	result->duration_usec = g_get_monotonic_time() - result->start_usec;
	resources_snapshot(result->pool, &result->after);
}

RunResult *runner_run(Zygote *zygote, const RunnerOptions *options, GError **error)
{
	g_autoptr(RunResult) result = runner_prepare(zygote, options, error);
	if (!result)
		return NULL;
	runner_run_prepared(result, options);
	return g_steal_pointer(&result);
}

gboolean run_result_all_completed(const RunResult *result)
{
	for (guint i = 0; i < result->jobs->len; i++) {
		const Job *job = g_ptr_array_index(result->jobs, i);
		if (job->outcome != OUTCOME_COMPLETED || job->return_value != 0)
			return FALSE;
		/* A completed job whose closed output was not whole, or lost its
		 * name or its space, did not deliver what it said it had. */
		for (guint k = 0; k < job->outputs->len; k++)
			if (((const JobOutput *)g_ptr_array_index(job->outputs, k))->state == JOB_OUTPUT_REFUSED)
				return FALSE;
	}
	return TRUE;
}

void run_result_free(RunResult *result)
{
	if (!result)
		return;
	g_ptr_array_unref(result->jobs);
	prefork_free(result->prefork);
	g_free(result->ctx);
	output_folders_free(result->output_folders);
	g_clear_pointer(&result->jobs_by_pid, g_hash_table_unref);
	if (result->output_dir_fd >= 0)
		close(result->output_dir_fd);
	g_clear_pointer(&result->frame_filter, g_bytes_unref);
	g_free(result->capture_name);
	uid_pool_free(result->uid_pool);
	object_search_free(result->objects);
	object_plan_cache_free(result->plans);
	capture_free(result->cut_capture);
	capture_free(result->capture);
	if (result->assignments)
		g_ptr_array_unref(result->assignments);
	if (result->profiles)
		g_ptr_array_unref(result->profiles);
	pool_free(result->pool);
	g_free(result);
}
