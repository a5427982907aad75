/* test-output-file.c — executor/outputs/: an output's file is invisible
 * until linked, linked never over an existing name, gone when not linked,
 * with O_TMPFILE and with the hidden-name fallback alike; a hidden name
 * whose writer died is swept, a live writer's is not; the check reads a
 * whole capture as whole and a cut one as cut. */
#include "outputs/output-check.h"
#include "outputs/output-file.h"

#include "../temp-dir.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
	char *dir;
	int dir_fd;
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
	(void)data;
	f->dir = temp_dir_new("test-output-file-XXXXXX");
	f->dir_fd = open(f->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	g_assert_cmpint(f->dir_fd, >=, 0);
}

static void teardown(Fixture *f, gconstpointer data)
{
	(void)data;
	close(f->dir_fd);
	temp_dir_remove(f->dir);
	g_free(f->dir);
}

static gint by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names in the fixture's directory, sorted, joined by ' '. */
static char *listing(const Fixture *f)
{
	g_autoptr(GDir) d = g_dir_open(f->dir, 0, NULL);
	g_assert_nonnull(d);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *n;
	while ((n = g_dir_read_name(d)))
		g_ptr_array_add(names, g_strdup(n));
	g_ptr_array_sort(names, by_name);
	g_ptr_array_add(names, NULL);
	return g_strjoinv(" ", (char **)names->pdata);
}

static char *read_file(const Fixture *f, const char *name)
{
	g_autofree char *path = g_build_filename(f->dir, name, NULL);
	char *text = NULL;
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	return text;
}

static void write_all(int fd, const void *buf, gsize len)
{
	g_assert_cmpint(write(fd, buf, len), ==, (gssize)len);
}

/* A pcap of n records of 4 bytes each; cut removes that many bytes from
 * its end. */
static void write_pcap(int fd, guint n, guint cut)
{
	guint32 header[6] = { 0xa1b2c3d4u, 2u | 4u << 16, 0, 0, 65535, 1 };
	GByteArray *b = g_byte_array_new();
	g_byte_array_append(b, (guint8 *)header, sizeof(header));
	for (guint i = 0; i < n; i++) {
		guint32 rec[4] = { 1000 + i, 0, 4, 4 };
		g_byte_array_append(b, (guint8 *)rec, sizeof(rec));
		g_byte_array_append(b, (const guint8 *)"abcd", 4);
	}
	write_all(fd, b->data, b->len - cut);
	g_byte_array_unref(b);
}

static OutputFileMethod method_of(gconstpointer data)
{
	return (OutputFileMethod)GPOINTER_TO_INT(data);
}

/* Written but not linked: no final name; linked: the whole file under it. */
static void test_visible_only_once_linked(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	OutputFile *o = output_file_create(f->dir_fd, "out.pcap", method_of(data), &error);
	g_assert_no_error(error);
	if (output_file_method(o) != method_of(data)) {
		/* The one way they differ: the fallback taken where it must be. */
		g_assert_cmpint(method_of(data), ==, OUTPUT_FILE_UNNAMED);
		output_file_free(o);
		g_test_skip("the temporary directory's filesystem has no O_TMPFILE: the hidden "
		            "name was used, as it must be there");
		return;
	}
	write_all(output_file_fd(o), "hello", 5);
	g_autofree char *before = listing(f);
	if (method_of(data) == OUTPUT_FILE_UNNAMED)
		g_assert_cmpstr(before, ==, "");
	else
		g_assert_true(g_str_has_prefix(before, OUTPUT_FILE_HIDDEN_PREFIX "out.pcap."));
	g_assert_true(output_file_link(o, &error));
	g_assert_no_error(error);
	g_assert_true(output_file_linked(o));
	output_file_free(o);
	g_autofree char *after = listing(f);
	g_assert_cmpstr(after, ==, "out.pcap");
	g_autofree char *text = read_file(f, "out.pcap");
	g_assert_cmpstr(text, ==, "hello");
}

/* Freed unlinked (a job that did not complete): nothing left at all. */
static void test_gone_unless_linked(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	OutputFile *o = output_file_create(f->dir_fd, "out.pcap", method_of(data), &error);
	g_assert_no_error(error);
	write_all(output_file_fd(o), "partial", 7);
	output_file_free(o);
	g_autofree char *after = listing(f);
	g_assert_cmpstr(after, ==, "");
}

/* An existing name is refused at creation and, appearing meanwhile, at
 * the link: EEXIST, the other file untouched, nothing of ours left. */
static void test_existing_name_never_replaced(Fixture *f, gconstpointer data)
{
	g_autofree char *path = g_build_filename(f->dir, "taken.pcap", NULL);
	g_assert_true(g_file_set_contents(path, "theirs", -1, NULL));
	g_autoptr(GError) error = NULL;
	g_assert_null(output_file_create(f->dir_fd, "taken.pcap", method_of(data), &error));
	g_assert_error(error, OUTPUT_FILE_ERROR, OUTPUT_FILE_ERROR_EXISTS);
	g_assert_nonnull(strstr(error->message, "never replaced"));
	g_clear_error(&error);

	OutputFile *o = output_file_create(f->dir_fd, "late.pcap", method_of(data), &error);
	g_assert_no_error(error);
	write_all(output_file_fd(o), "ours", 4);
	g_autofree char *late = g_build_filename(f->dir, "late.pcap", NULL);
	g_assert_true(g_file_set_contents(late, "theirs too", -1, NULL));
	g_assert_false(output_file_link(o, &error));
	g_assert_error(error, OUTPUT_FILE_ERROR, OUTPUT_FILE_ERROR_EXISTS);
	g_assert_false(output_file_linked(o));
	output_file_free(o);
	g_autofree char *text = read_file(f, "late.pcap");
	g_assert_cmpstr(text, ==, "theirs too");
	g_autofree char *after = listing(f);
	g_assert_cmpstr(after, ==, "late.pcap taken.pcap");
}

/* A hidden temporary whose writer was killed is swept; one whose writer
 * lives is not. The writer is a real process, killed with SIGKILL: its
 * lock goes with it, as the executor's would. */
static void test_sweep_takes_only_dead_writers(Fixture *f, gconstpointer data)
{
	(void)data;
	int ready[2];
	g_assert_cmpint(pipe(ready), ==, 0);
	pid_t pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		OutputFile *o = output_file_create(f->dir_fd, "killed.pcap", OUTPUT_FILE_HIDDEN, NULL);
		if (!o)
			_exit(1);
		(void)!write(output_file_fd(o), "x", 1);
		(void)!write(ready[1], "r", 1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	char c;
	g_assert_cmpint(read(ready[0], &c, 1), ==, 1);
	close(ready[0]);

	g_autoptr(GError) error = NULL;
	OutputFile *alive = output_file_create(f->dir_fd, "alive.pcap", OUTPUT_FILE_HIDDEN, &error);
	g_assert_no_error(error);

	/* The writer still alive: its name stays. */
	g_assert_cmpuint(output_file_sweep(f->dir_fd), ==, 0);
	kill(pid, SIGKILL);
	int status;
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFSIGNALED(status));
	g_autofree char *left = listing(f);
	g_assert_nonnull(strstr(left, OUTPUT_FILE_HIDDEN_PREFIX "killed.pcap."));

	g_assert_cmpuint(output_file_sweep(f->dir_fd), ==, 1);
	g_autofree char *swept = listing(f);
	g_assert_null(strstr(swept, "killed.pcap"));
	g_assert_nonnull(strstr(swept, OUTPUT_FILE_HIDDEN_PREFIX "alive.pcap."));
	output_file_free(alive);
	g_autofree char *after = listing(f);
	g_assert_cmpstr(after, ==, "");
}

/* The check, through the path the executor reads by: whole, cut in a
 * record, not a capture at all. */
static void test_check_reads_whole_records(Fixture *f, gconstpointer data)
{
	static const struct {
		const char *name;
		guint records, cut;
		gboolean whole;
		const char *why;
	} cases[] = {
		{ "whole.pcap", 5, 0, TRUE, NULL },
		{ "empty.pcap", 0, 0, TRUE, NULL },
		{ "cut.pcap", 5, 3, FALSE, "not a whole capture: " },
		{ "cut-header.pcap", 5, 18, FALSE, "not a whole capture: " },
		{ "no-header.pcap", 0, 20, FALSE, "not a capture: " },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(OutputFile) o = output_file_create(f->dir_fd, cases[i].name, method_of(data),
		                                             &error);
		g_assert_no_error(error);
		write_pcap(output_file_fd(o), cases[i].records, cases[i].cut);
		guint64 frames = 99;
		g_autofree char *why = NULL;
		g_assert_cmpint(output_check_whole(o, &frames, &why), ==, cases[i].whole);
		if (cases[i].whole) {
			g_assert_cmpuint(frames, ==, cases[i].records);
			g_assert_null(why);
		} else {
			g_test_message("%s: %s", cases[i].name, why);
			g_assert_true(g_str_has_prefix(why, cases[i].why));
			/* libpcap's words for the path it opened are not repeated. */
			g_assert_null(strstr(why, "/proc/self/fd"));
		}
	}
	g_autofree char *after = listing(f);
	g_assert_cmpstr(after, ==, "");
}

/* Plenty of space here: not full, and the figure is the filesystem's. */
static void test_fs_full_reads_the_filesystem(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(OutputFile) o = output_file_create(f->dir_fd, "x.pcap", method_of(data), &error);
	g_assert_no_error(error);
	guint64 free_bytes = 0;
	gboolean full = output_check_fs_full(o, &free_bytes);
	g_assert_cmpint(full, ==, free_bytes < OUTPUT_CHECK_FULL_BYTES);
	g_assert_cmpuint(free_bytes, >, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	static const struct {
		const char *name;
		OutputFileMethod method;
	} methods[] = {
		{ "tmpfile", OUTPUT_FILE_UNNAMED },
		{ "hidden", OUTPUT_FILE_HIDDEN },
	};
	for (gsize m = 0; m < G_N_ELEMENTS(methods); m++) {
		gconstpointer data = GINT_TO_POINTER(methods[m].method);
#define ADD(what, fn)                                                                       \
		do {                                                                        \
			g_autofree char *path = g_strdup_printf("/output-file/%s/" what,       \
			                                        methods[m].name);              \
			g_test_add(path, Fixture, data, setup, fn, teardown);                  \
		} while (0)
		ADD("visible-only-once-linked", test_visible_only_once_linked);
		ADD("gone-unless-linked", test_gone_unless_linked);
		ADD("existing-name-never-replaced", test_existing_name_never_replaced);
		ADD("check-reads-whole-records", test_check_reads_whole_records);
		ADD("fs-full-reads-the-filesystem", test_fs_full_reads_the_filesystem);
#undef ADD
	}
	g_test_add("/output-file/hidden/sweep-takes-only-dead-writers", Fixture, NULL, setup,
	           test_sweep_takes_only_dead_writers, teardown);
	return g_test_run();
}
