/* test-results-file.c — executor/batch/results-file.c: whole lines only,
 * a torn last line ignored with a warning and cut off before the next
 * append, a bad line anywhere else refused with FILE:LINE, one writer at
 * a time, no silent reuse of a file without --resume. */
#include "batch/results-file.h"

#include "../temp-dir.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <fcntl.h>
#include <unistd.h>

#define HEADER "{\"schema\":\"" RESULTS_SCHEMA "\",\"record\":\"batch\",\"pairs\":2}\n"
#define PAIR(n) "{\"schema\":\"" RESULTS_SCHEMA "\",\"record\":\"pair\",\"pair\":{\"index\":" #n "}}\n"

typedef struct {
	char *dir, *path;
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
	(void)data;
	f->dir = temp_dir_new("test-results-file-XXXXXX");
	f->path = g_build_filename(f->dir, "results.jsonl", NULL);
}

static void teardown(Fixture *f, gconstpointer data)
{
	(void)data;
	temp_dir_remove(f->dir);
	g_free(f->dir);
	g_free(f->path);
}

static void put(const Fixture *f, const char *text)
{
	g_assert_true(g_file_set_contents(f->path, text, -1, NULL));
}

static char *contents(const Fixture *f)
{
	char *text = NULL;
	g_assert_true(g_file_get_contents(f->path, &text, NULL, NULL));
	return text;
}

static JsonNode *record(gint64 index)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "schema");
	json_builder_add_string_value(b, RESULTS_SCHEMA);
	json_builder_set_member_name(b, "record");
	json_builder_add_string_value(b, index < 0 ? "batch" : "pair");
	json_builder_set_member_name(b, "text");
	/* A line break inside a value stays escaped: one record, one line. */
	json_builder_add_string_value(b, "two\nlines");
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

static void test_torn_last_line_ignored(Fixture *f, gconstpointer data)
{
	(void)data;
	put(f, HEADER PAIR(0) "{\"schema\":\"expert-exec/res");
	g_autoptr(GError) error = NULL;
	g_autoptr(ResultsContents) c = results_file_read(f->path, &error);
	g_assert_no_error(error);
	g_assert_nonnull(c->header);
	g_assert_cmpuint(c->pairs->len, ==, 1);
	g_assert_nonnull(c->torn);
	g_assert_nonnull(strstr(c->torn, ":3: a torn last line"));
	g_assert_cmpuint(c->whole_bytes, ==, strlen(HEADER PAIR(0)));
}

/* A complete object without its newline is torn too: a line counts only
 * with its newline, which the one write of it ends with. */
static void test_line_without_newline_is_torn(Fixture *f, gconstpointer data)
{
	(void)data;
	put(f, HEADER PAIR(0) PAIR(1));
	g_autofree char *text = contents(f);
	text[strlen(text) - 1] = '\0';
	put(f, text);
	g_autoptr(ResultsContents) c = results_file_read(f->path, NULL);
	g_assert_cmpuint(c->pairs->len, ==, 1);
	g_assert_nonnull(c->torn);
}

static void test_bad_lines_refused(Fixture *f, gconstpointer data)
{
	(void)data;
	static const struct {
		const char *text;
		const char *error;
	} cases[] = {
		{ HEADER "not json\n" PAIR(1), ":2: not JSON" },
		{ HEADER "[1, 2]\n", ":2: not a record of " RESULTS_SCHEMA },
		{ HEADER "{\"schema\":\"expert-exec/results/2\",\"record\":\"pair\"}\n", ":2: not a record" },
		{ HEADER "{\"schema\":\"" RESULTS_SCHEMA "\",\"record\":\"other\"}\n", ":2: not a record" },
		{ HEADER PAIR(0) HEADER, ":3: a batch header after the first line" },
		{ PAIR(0), ":1: no batch header" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		put(f, cases[i].text);
		g_autoptr(GError) error = NULL;
		g_assert_null(results_file_read(f->path, &error));
		g_assert_nonnull(error);
		g_test_message("%s", error->message);
		g_assert_true(g_str_has_prefix(error->message, f->path));
		g_assert_nonnull(strstr(error->message, cases[i].error));
	}
}

/* Appended lines read back whole, one per record; an empty file is fine
 * without --resume, one with results is not. */
static void test_append_and_read_back(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(GError) error = NULL;
	g_autoptr(ResultsContents) none = NULL;
	ResultsFile *rf = results_file_open(f->path, FALSE, &none, &error);
	g_assert_no_error(error);
	g_assert_null(none->header);
	for (gint64 i = -1; i < 3; i++) {
		g_autoptr(JsonNode) n = record(i);
		g_assert_true(results_file_append(rf, n, &error));
		g_assert_no_error(error);
	}
	results_file_close(rf);
	g_autofree char *text = contents(f);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, 5); /* 4 lines, then "" after the last */
	g_autoptr(ResultsContents) c = results_file_read(f->path, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(c->pairs->len, ==, 3);
	g_assert_null(c->torn);
	g_assert_cmpstr(json_object_get_string_member(g_ptr_array_index(c->pairs, 2), "text"), ==,
	                "two\nlines");

	g_autoptr(ResultsContents) again = NULL;
	g_assert_null(results_file_open(f->path, FALSE, &again, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_EXISTS);
	g_assert_nonnull(strstr(error->message, "give --resume"));
}

/* --resume: the torn line is cut off, and what follows starts a line. */
static void test_resume_cuts_the_torn_line(Fixture *f, gconstpointer data)
{
	(void)data;
	put(f, HEADER PAIR(0) "{\"schema\":\"expert-ex");
	g_autoptr(GError) error = NULL;
	g_autoptr(ResultsContents) c = NULL;
	ResultsFile *rf = results_file_open(f->path, TRUE, &c, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(c->pairs->len, ==, 1);
	g_assert_nonnull(c->torn);
	g_autoptr(JsonNode) n = record(1);
	g_assert_true(results_file_append(rf, n, &error));
	results_file_close(rf);
	g_autoptr(ResultsContents) after = results_file_read(f->path, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(after->pairs->len, ==, 2);
	g_assert_null(after->torn);
}

/* Another run holding the file: refused, not interleaved. */
static void test_one_writer_at_a_time(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(GError) error = NULL;
	g_autoptr(ResultsContents) c1 = NULL, c2 = NULL;
	ResultsFile *first = results_file_open(f->path, FALSE, &c1, &error);
	g_assert_no_error(error);
	g_assert_null(results_file_open(f->path, TRUE, &c2, &error));
	g_assert_nonnull(strstr(error->message, "another expert-exec is writing to it"));
	results_file_close(first);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, fn) g_test_add("/results-file/" name, Fixture, NULL, setup, fn, teardown)
	ADD("torn-last-line-ignored", test_torn_last_line_ignored);
	ADD("line-without-newline-is-torn", test_line_without_newline_is_torn);
	ADD("bad-lines-refused", test_bad_lines_refused);
	ADD("append-and-read-back", test_append_and_read_back);
	ADD("resume-cuts-the-torn-line", test_resume_cuts_the_torn_line);
	ADD("one-writer-at-a-time", test_one_writer_at_a_time);
#undef ADD
	return g_test_run();
}
