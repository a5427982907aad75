/* results-file.c — see results-file.h. */
#include "batch/results-file.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct ResultsFile {
	int fd;
	char *path;
	guint64 size;   /* what it holds, all whole lines */
};

void results_contents_free(ResultsContents *c)
{
	if (!c)
		return;
	if (c->header)
		json_object_unref(c->header);
	g_ptr_array_unref(c->pairs);
	g_free(c->torn);
	g_free(c);
}

/* One whole line: a JSON object of this schema, a header or a pair. */
static JsonObject *parse_line(const char *path, guint number, const char *line, gsize len,
                              GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) parse_error = NULL;
	if (!json_parser_load_from_data(parser, line, (gssize)len, &parse_error)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s:%u: not JSON: %s", path,
		            number, parse_error->message);
		return NULL;
	}
	JsonNode *root = json_parser_get_root(parser);
	JsonObject *o = root && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
	const char *schema = o ? json_object_get_string_member_with_default(o, "schema", NULL) : NULL;
	const char *record = o ? json_object_get_string_member_with_default(o, "record", NULL) : NULL;
	if (!o || g_strcmp0(schema, RESULTS_SCHEMA) != 0 ||
	    (g_strcmp0(record, "batch") != 0 && g_strcmp0(record, "pair") != 0)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "%s:%u: not a record of %s (an object with \"schema\": \"%s\" and "
		            "\"record\": \"batch\" or \"pair\")", path, number, RESULTS_SCHEMA,
		            RESULTS_SCHEMA);
		return NULL;
	}
	return json_object_ref(o);
}

static ResultsContents *read_text(const char *path, const char *text, gsize len, GError **error)
{
	g_autoptr(ResultsContents) c = g_new0(ResultsContents, 1);
	c->pairs = g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	gsize at = 0;
	for (guint number = 1; at < len; number++) {
		const char *nl = memchr(text + at, '\n', len - at);
		if (!nl) {
			/* A crash mid-write: only the last line can be torn. */
			c->torn = g_strdup_printf("%s:%u: a torn last line (%zu bytes, no newline: the run "
			                          "writing it was stopped), ignored", path, number, len - at);
			break;
		}
		gsize line_len = (gsize)(nl - (text + at));
		JsonObject *o = parse_line(path, number, text + at, line_len, error);
		if (!o)
			return NULL;
		gboolean header = g_str_equal(json_object_get_string_member(o, "record"), "batch");
		if (header && (number != 1)) {
			json_object_unref(o);
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			            "%s:%u: a batch header after the first line: two batches in one file", path,
			            number);
			return NULL;
		}
		if (header)
			c->header = o;
		else
			g_ptr_array_add(c->pairs, o);
		at += line_len + 1;
		c->whole_bytes = at;
	}
	if (c->pairs->len && !c->header) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		            "%s:1: no batch header before the results", path);
		return NULL;
	}
	return g_steal_pointer(&c);
}

ResultsContents *results_file_read(const char *path, GError **error)
{
	g_autofree char *text = NULL;
	gsize len = 0;
	if (!g_file_get_contents(path, &text, &len, error))
		return NULL;
	return read_text(path, text, len, error);
}

/* The whole of fd, from its start. */
static char *read_fd(int fd, gsize *len, GError **error, const char *path)
{
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "%s: %s", path, g_strerror(e));
		return NULL;
	}
	g_autofree char *text = g_malloc((gsize)st.st_size + 1);
	gsize got = 0;
	while (got < (gsize)st.st_size) {
		ssize_t n = pread(fd, text + got, (gsize)st.st_size - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;
			g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "%s: %s", path, g_strerror(e));
			return NULL;
		}
		got += (gsize)n;
	}
	text[got] = '\0';
	*len = got;
	return g_steal_pointer(&text);
}

ResultsFile *results_file_open(const char *path, gboolean resume, ResultsContents **contents,
                               GError **error)
{
	int fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0) {
		int e = errno;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "--results %s: %s", path,
		            g_strerror(e));
		return NULL;
	}
	g_autoptr(ResultsFile) f = g_new0(ResultsFile, 1);
	f->fd = fd;
	f->path = g_strdup(path);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e),
		            "--results %s: %s", path, e == EWOULDBLOCK
		            ? "another expert-exec is writing to it (it holds its lock)" : g_strerror(e));
		return NULL;
	}
	gsize len = 0;
	g_autofree char *text = read_fd(fd, &len, error, path);
	if (!text)
		return NULL;
	if (len > 0 && !resume) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_EXISTS,
		            "--results %s: the file exists and holds results: give --resume to go on "
		            "with that batch, or another file", path);
		return NULL;
	}
	g_autoptr(ResultsContents) c = read_text(path, text, len, error);
	if (!c)
		return NULL;
	if (c->whole_bytes < len && ftruncate(fd, (off_t)c->whole_bytes) < 0) {
		int e = errno;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e),
		            "--results %s: cannot cut off its torn last line: %s", path, g_strerror(e));
		return NULL;
	}
	f->size = c->whole_bytes;
	*contents = g_steal_pointer(&c);
	return g_steal_pointer(&f);
}

gboolean results_file_append(ResultsFile *f, JsonNode *record, GError **error)
{
	g_autoptr(JsonGenerator) gen = json_generator_new();
	json_generator_set_root(gen, record);
	gsize len = 0;
	g_autofree char *json = json_generator_to_data(gen, &len);
	g_autofree char *line = g_strconcat(json, "\n", NULL);
	len += 1;
	ssize_t n;
	do
		n = write(f->fd, line, len);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len) {
		int e = n < 0 ? errno : ENOSPC;
		/* Only whole lines: a part of one is taken back. */
		if (n > 0 && ftruncate(f->fd, (off_t)f->size) < 0)
			g_warning("--results %s: cannot cut back a line written in part: %s", f->path,
			          g_strerror(errno));
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "--results %s: cannot write: %s",
		            f->path, g_strerror(e));
		return FALSE;
	}
	if (fsync(f->fd) < 0 && errno != EINVAL) {
		int e = errno;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "--results %s: cannot sync: %s",
		            f->path, g_strerror(e));
		return FALSE;
	}
	f->size += len;
	return TRUE;
}

void results_file_close(ResultsFile *f)
{
	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	g_free(f->path);
	g_free(f);
}
