/* batch-run.c — see batch-run.h. */
#include "batch/batch-run.h"

#include "batch/batch-captures.h"
#include "batch/result-record.h"
#include "batch/results-file.h"
#include "captures/capture-error.h"
#include "jobs/output-folders.h"
#include "reports/progress.h"
#include "reports/json-read.h"
#include "reports/report-text.h"
#include "results/child-text.h"

#include <errno.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
	const BatchOptions *options;
	RecordBatch rb;
	guint n_experts;
	guint *shard_of;            /* per pair */
	gboolean *done;             /* per pair: has a record */
	char **expert_folders;      /* per expert */
	ResultsFile *results;
	BatchReport *report;
	Progress *progress;
	/* Progress over the shard's pairs, by weight (bytes + overhead). */
	guint assigned, finished;
	guint64 weight_total, weight_done;
	gint64 start_usec;
	/* The capture being run. */
	guint capture;
	const guint *pairs;         /* job i (id i + 1) is pair pairs[i] */
	const Capture *loaded;
	GPtrArray *capture_records; /* JsonObject*, this capture's */
} Batch;

static guint64 pair_weight(const Batch *b, guint pair)
{
	const BatchCapture *c = g_ptr_array_index(b->options->captures, pair / b->n_experts);
	return c->bytes + BATCH_PAIR_OVERHEAD_BYTES;
}

static void show_progress(Batch *b)
{
	if (!b->progress)
		return;
	const BatchCapture *c = g_ptr_array_index(b->options->captures, b->capture);
	double elapsed = (double)(g_get_monotonic_time() - b->start_usec) / 1e6;
	g_autofree char *eta = NULL;
	if (b->weight_done > 0 && b->weight_done < b->weight_total) {
		guint64 left = (guint64)(elapsed * (double)(b->weight_total - b->weight_done) /
		                         (double)b->weight_done);
		eta = g_strdup_printf(", ETA %" G_GUINT64_FORMAT ":%02" G_GUINT64_FORMAT ":%02"
		                      G_GUINT64_FORMAT, left / 3600, left / 60 % 60, left % 60);
	}
	g_autofree char *name = g_path_get_basename(c->path);
	g_autofree char *shown = child_text(name, 40, 0);
	g_autofree char *title = g_strdup_printf(
		"batch  %u of %u pairs done (%.0f%%), capture %u of %u: %s%s", b->finished, b->assigned,
		b->weight_total ? 100.0 * (double)b->weight_done / (double)b->weight_total : 100.0,
		b->capture + 1, b->options->captures->len, shown, eta ? eta : "");
	progress_set_title(b->progress, title);
}

/* A record for the report, the results file and the capture's line. */
static void record(Batch *b, guint pair, JsonNode *node)
{
	JsonObject *o = json_node_get_object(node);
	b->done[pair] = TRUE;
	b->finished++;
	b->weight_done += pair_weight(b, pair);
	batch_report_add(b->report, o);
	g_ptr_array_add(b->capture_records, json_object_ref(o));
	g_autoptr(GError) error = NULL;
	if (b->results && !b->report->stopped && !results_file_append(b->results, node, &error))
		b->report->stopped = g_strdup(error->message);
	json_node_unref(node);
	show_progress(b);
}

static void on_job_done(Job *job, gpointer data)
{
	Batch *b = data;
	guint pair = b->pairs[job->id - 1];
	record(b, pair, result_record_pair(&b->rb, pair, b->loaded, job));
}

/* With --resume, a pair run again may find its job's folder from the run
 * that was killed after giving an output its name and before recording
 * the pair: kept under another name, never replaced or removed. */
static void set_aside(Batch *b, const char *capture_dir, const char *folder)
{
	g_autofree char *path = g_build_filename(capture_dir, folder, NULL);
	struct stat st;
	if (lstat(path, &st) < 0)
		return;
	for (guint n = 1; n < 1000; n++) {
		g_autofree char *aside = n == 1 ? g_strdup_printf("%s.unrecorded", path)
		                                : g_strdup_printf("%s.unrecorded.%u", path, n);
		if (lstat(aside, &st) == 0)
			continue;
		if (rename(path, aside) == 0)
			g_ptr_array_add(b->report->notes,
			                g_strdup_printf("%s: left by a run stopped before it recorded the "
			                                "pair; kept as %s", path, aside));
		return;
	}
}

/* The capture's folder under --output-dir, made if need be; *made says
 * whether this run made it (and so removes it if left empty). */
static char *capture_dir(Batch *b, const BatchCapture *c, gboolean *made, GError **error)
{
	*made = FALSE;
	if (!b->options->output_dir)
		return NULL;
	char *dir = g_build_filename(b->options->output_dir, c->folder, NULL);
	if (mkdir(dir, 0755) == 0) {
		*made = TRUE;
	} else if (errno != EEXIST) {
		int e = errno;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "--output-dir: cannot make %s: %s",
		            dir, g_strerror(e));
		g_free(dir);
		return NULL;
	}
	return dir;
}

/* What a capture's run refuses for that capture alone (it cannot be read,
 * the filter does not fit its link type) goes in its pairs' records; any
 * other refusal (a profile, the output directory) would refuse every
 * capture, and stops the batch. */
static gboolean capture_alone(const GError *error)
{
	return error->domain == CAPTURE_ERROR || g_str_has_prefix(error->message, "--filter: ");
}

/* The pending pairs of capture c, in expert order. */
static guint pending(const Batch *b, guint c, guint *pairs)
{
	guint n = 0;
	const BatchShard *s = &b->options->shard;
	for (guint e = 0; e < b->n_experts; e++) {
		guint pair = c * b->n_experts + e;
		if (!b->done[pair] && (s->count == 0 || b->shard_of[pair] == s->index))
			pairs[n++] = pair;
	}
	return n;
}

static gboolean run_capture(Batch *b, Zygote *zygote, guint c, gboolean *setup_shown,
                            GError **error)
{
	const BatchOptions *bo = b->options;
	const BatchCapture *capture = g_ptr_array_index(bo->captures, c);
	g_autofree guint *pairs = g_new(guint, b->n_experts);
	guint n = pending(b, c, pairs);
	if (n == 0)
		return TRUE;
	b->capture = c;
	b->pairs = pairs;
	g_ptr_array_set_size(b->capture_records, 0);
	show_progress(b);

	gboolean made = FALSE;
	g_autofree char *dir = capture_dir(b, capture, &made, error);
	if (bo->output_dir && !dir)
		return FALSE;
	g_autofree const char **experts = g_new(const char *, n);
	g_autofree ProfileChoice **choices = bo->run.choices ? g_new(ProfileChoice *, n) : NULL;
	g_autofree const char **folders = g_new(const char *, n);
	g_autoptr(GPtrArray) configs = bo->run.configs ? g_ptr_array_new() : NULL;
	for (guint i = 0; i < n; i++) {
		guint e = pairs[i] % b->n_experts;
		experts[i] = bo->run.experts[e];
		folders[i] = b->expert_folders[e];
		if (choices)
			choices[i] = bo->run.choices[e];
		if (configs)
			g_ptr_array_add(configs, e < bo->run.configs->len
			                         ? g_ptr_array_index(bo->run.configs, e) : NULL);
		if (dir && bo->resume)
			set_aside(b, dir, folders[i]);
	}
	RunnerOptions o = bo->run;
	o.capture_path = capture->path;
	o.experts = experts;
	o.n_experts = n;
	o.choices = choices;
	o.configs = configs;
	o.output_dir = dir;
	o.output_folders = folders;
	o.on_job_done = on_job_done;
	o.on_job_done_data = b;
	if (b->progress) {
		o.on_status = progress_update;
		o.on_status_data = b->progress;
	}

	g_autoptr(GError) local = NULL;
	g_autoptr(RunResult) result = runner_prepare(zygote, &o, &local);
	if (!result && !capture_alone(local)) {
		g_propagate_error(error, g_steal_pointer(&local));
		if (made)
			rmdir(dir);
		return FALSE;
	}
	b->report->run += n;
	if (!result) {
		for (guint i = 0; i < n; i++)
			record(b, pairs[i], result_record_unloaded(&b->rb, pairs[i], local->message));
	} else {
		if (bo->text && !*setup_shown) {
			g_autofree char *setup = report_text_setup(result);
			fputs(setup, bo->text);
			fputc('\n', bo->text);
			*setup_shown = TRUE;
		}
		b->loaded = result->capture;
		runner_run_prepared(result, &o);
		b->loaded = NULL;
	}
	if (b->progress)
		progress_clear(b->progress);
	if (bo->text) {
		g_autofree char *line = batch_report_capture_text(
			(JsonObject *const *)b->capture_records->pdata, b->capture_records->len);
		fputs(line, bo->text);
		fflush(bo->text);
	}
	if (made)
		rmdir(dir); /* only if nothing was kept in it */
	return TRUE;
}

/* The results file's records of an earlier run of this batch: the same
 * pair list and shard, or nothing runs. */
static gboolean take_resumed(Batch *b, ResultsContents *c, GError **error)
{
	const char *path = b->options->results_path;
	const BatchShard *s = &b->options->shard;
	if (!c->header)
		return TRUE;
	const char *digest = json_read_string(c->header, "pairs_digest");
	JsonObject *shard = json_read_object(c->header, "shard");
	double index = -1, count = -1;
	json_read_number(shard, "index", &index);
	json_read_number(shard, "count", &count);
	if (g_strcmp0(digest, b->rb.digest) != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "--resume: %s holds the results of another batch (pairs digest %.12s, this "
		            "batch's %.12s): the captures, their sizes, the experts or the options "
		            "differ", path, digest ? digest : "none", b->rb.digest);
		return FALSE;
	}
	if (index != s->index || count != MAX(s->count, 1)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "--resume: %s holds shard %.0f/%.0f's results, not %u/%u's", path, index,
		            count, s->index, MAX(s->count, 1));
		return FALSE;
	}
	guint n_pairs = b->options->captures->len * b->n_experts;
	for (guint i = 0; i < c->pairs->len; i++) {
		JsonObject *o = g_ptr_array_index(c->pairs, i);
		gint64 pair = batch_record_index(o);
		if (pair < 0 || pair >= n_pairs || b->done[pair] ||
		    g_strcmp0(json_read_string(o, "pairs_digest"), b->rb.digest) != 0) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			            "--resume: %s: pair record %u: %s", path, i + 1,
			            pair < 0 || pair >= n_pairs ? "no pair of this batch"
			            : b->done[pair] ? "a pair recorded twice" : "of another batch");
			return FALSE;
		}
		b->done[pair] = TRUE;
		batch_report_add(b->report, o);
		b->report->resumed++;
	}
	if (c->torn)
		g_ptr_array_add(b->report->notes, g_strdup(c->torn));
	return TRUE;
}

static char *expert_folder_of(const char *path)
{
	return output_folder_name(path);
}

BatchReport *batch_run(Zygote *zygote, const BatchOptions *options, GError **error)
{
	GPtrArray *captures = options->captures;
	guint n_experts = options->run.n_experts;
	guint n_pairs = captures->len * n_experts;
	g_autofree const char **paths = g_new(const char *, captures->len);
	g_autofree guint64 *bytes = g_new(guint64, captures->len);
	for (guint c = 0; c < captures->len; c++) {
		const BatchCapture *bc = g_ptr_array_index(captures, c);
		paths[c] = bc->path;
		bytes[c] = bc->bytes;
	}
	g_autofree char *digest = batch_pairs_digest(paths, bytes, captures->len, options->run.experts,
	                                             n_experts, options->options_text);
	g_autofree guint *shard_of = batch_pairs_shards(bytes, captures->len, n_experts,
	                                                options->shard.count);
	g_autofree gboolean *done = g_new0(gboolean, n_pairs + 1);
	g_auto(GStrv) folders = output_folder_names(options->run.experts, n_experts, expert_folder_of);
	g_autoptr(GPtrArray) capture_records =
		g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	g_autoptr(Progress) progress = options->progress ? progress_new(stderr) : NULL;
	Batch b = {
		.options = options,
		.rb = { digest, options->shard, captures, options->run.experts, n_experts },
		.n_experts = n_experts,
		.shard_of = shard_of,
		.done = done,
		.expert_folders = folders,
		.progress = progress,
		.start_usec = g_get_monotonic_time(),
		.capture_records = capture_records,
	};
	for (guint p = 0; p < n_pairs; p++)
		if (options->shard.count == 0 || shard_of[p] == options->shard.index) {
			b.assigned++;
			b.weight_total += pair_weight(&b, p);
		}

	g_autoptr(BatchReport) report = NULL;
	g_autoptr(ResultsFile) results = NULL;
	JsonNode *header = result_record_header(&b.rb, b.assigned);
	report = batch_report_new("run", json_node_get_object(header));
	report->shard = options->shard;
	b.report = report;
	if (options->results_path) {
		g_autoptr(ResultsContents) contents = NULL;
		results = results_file_open(options->results_path, options->resume, &contents, error);
		if (!results || !take_resumed(&b, contents, error)) {
			json_node_unref(header);
			return NULL;
		}
		if (!contents->header && !results_file_append(results, header, error)) {
			json_node_unref(header);
			return NULL;
		}
		b.results = results;
	}
	json_node_unref(header);
	for (guint p = 0; p < n_pairs; p++)
		if (done[p] && (options->shard.count == 0 || shard_of[p] == options->shard.index)) {
			b.finished++;
			b.weight_done += pair_weight(&b, p);
		}
	gboolean setup_shown = FALSE;
	for (guint c = 0; c < captures->len && !report->stopped; c++) {
		g_autoptr(GError) stop = NULL;
		if (!run_capture(&b, zygote, c, &setup_shown, &stop)) {
			/* Nothing ran yet: a refusal of the whole batch. */
			if (b.finished == report->resumed) {
				g_propagate_error(error, g_steal_pointer(&stop));
				return NULL;
			}
			report->stopped = g_strdup(stop->message);
		}
	}
	if (progress)
		progress_clear(progress);
	batch_report_sort(report);
	return g_steal_pointer(&report);
}
