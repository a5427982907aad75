/* batch-captures.c — see batch-captures.h. */
#include "batch/batch-captures.h"

#include "jobs/output-folders.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The first four bytes of the files libpcap opens as captures, as read on
 * this host (either byte order of each). */
static const guint32 capture_magics[] = {
	0xa1b2c3d4, 0xd4c3b2a1, /* pcap, microseconds */
	0xa1b23c4d, 0x4d3cb2a1, /* pcap, nanoseconds */
	0xa1b2cd34, 0x34cdb2a1, /* pcap with Alexey Kuznetzov's record header */
	0x0a0d0d0a,             /* pcapng's section header block, in either order */
};

/* What a capture's folder is named after: its file name less the
 * extension of a capture. */
static const char *const capture_extensions[] = { ".pcapng", ".pcap", ".cap" };

static void batch_capture_free(gpointer p)
{
	BatchCapture *c = p;
	g_free(c->path);
	g_free(c->folder);
	g_free(c);
}

gboolean batch_captures_is_capture(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return FALSE;
	struct stat st;
	guint32 magic = 0;
	gboolean regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	gboolean read_it = regular && pread(fd, &magic, sizeof(magic), 0) == sizeof(magic);
	close(fd);
	for (gsize i = 0; read_it && i < G_N_ELEMENTS(capture_magics); i++)
		if (magic == capture_magics[i])
			return TRUE;
	return FALSE;
}

static char *folder_base(const char *path)
{
	g_autofree char *base = g_path_get_basename(path);
	for (gsize i = 0; i < G_N_ELEMENTS(capture_extensions); i++)
		if (g_str_has_suffix(base, capture_extensions[i]) &&
		    strlen(base) > strlen(capture_extensions[i])) {
			base[strlen(base) - strlen(capture_extensions[i])] = '\0';
			break;
		}
	return output_folder_safe_name(base);
}

typedef struct {
	GPtrArray *captures;  /* BatchCapture* */
	GHashTable *seen;     /* "dev:ino" -> where it was given */
} Collect;

/* A capture file: a regular file, not given before (by any name). where
 * names it in errors: the argument, or FILE:LINE. */
static gboolean add_file(Collect *c, const char *path, const char *where, GError **error)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		int e = errno;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "%s: %s", where, g_strerror(e));
		return FALSE;
	}
	if (!S_ISREG(st.st_mode)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
		            "%s: not a regular file (a capture) or a directory of captures", where);
		return FALSE;
	}
	if (access(path, R_OK) < 0) {
		int e = errno;
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "%s: %s", where, g_strerror(e));
		return FALSE;
	}
	g_autofree char *key = g_strdup_printf("%ju:%ju", (uintmax_t)st.st_dev, (uintmax_t)st.st_ino);
	const char *earlier = g_hash_table_lookup(c->seen, key);
	if (earlier) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_EXISTS,
		            "%s: the same capture as %s: give each capture once", where, earlier);
		return FALSE;
	}
	g_hash_table_insert(c->seen, g_steal_pointer(&key), g_strdup(where));
	BatchCapture *bc = g_new0(BatchCapture, 1);
	bc->path = g_strdup(path);
	bc->bytes = (guint64)st.st_size;
	g_ptr_array_add(c->captures, bc);
	return TRUE;
}

static gint by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The captures of a directory, by name, so a batch reads the same list
 * wherever the directory is listed. */
static gboolean add_directory(Collect *c, const char *dir, GPtrArray *skipped, GError **error)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, error);
	if (!d)
		return FALSE;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *name;
	while ((name = g_dir_read_name(d)))
		if (name[0] != '.')
			g_ptr_array_add(names, g_strdup(name));
	g_ptr_array_sort(names, by_name);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *path = g_build_filename(dir, g_ptr_array_index(names, i), NULL);
		struct stat st;
		if (stat(path, &st) < 0 || S_ISDIR(st.st_mode))
			continue;
		if (!batch_captures_is_capture(path)) {
			if (skipped)
				g_ptr_array_add(skipped, g_strdup_printf("%s: not a pcap or pcapng file, "
				                                         "skipped", path));
			continue;
		}
		if (!add_file(c, path, path, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean add_argument(Collect *c, const char *arg, GPtrArray *skipped, GError **error)
{
	struct stat st;
	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
		return add_directory(c, arg, skipped, error);
	return add_file(c, arg, arg, error);
}

static gboolean add_list(Collect *c, const char *list_file, GError **error)
{
	g_autofree char *text = NULL;
	if (!g_file_get_contents(list_file, &text, NULL, error)) {
		g_prefix_error(error, "--captures-from: ");
		return FALSE;
	}
	g_autofree char *dir = g_path_get_dirname(list_file);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		char *line = g_strstrip(lines[i]);
		if (!*line || *line == '#')
			continue;
		g_autofree char *where = g_strdup_printf("%s:%u: %s", list_file, i + 1, line);
		if (!g_utf8_validate(line, -1, NULL)) {
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
			            "%s:%u: not a path in UTF-8", list_file, i + 1);
			return FALSE;
		}
		g_autofree char *path = g_path_is_absolute(line) || g_str_equal(dir, ".")
			? g_strdup(line) : g_build_filename(dir, line, NULL);
		if (!add_file(c, path, where, error))
			return FALSE;
	}
	return TRUE;
}

static gint by_path(gconstpointer a, gconstpointer b)
{
	return strcmp((*(BatchCapture *const *)a)->path, (*(BatchCapture *const *)b)->path);
}


GPtrArray *batch_captures_collect(const char *const *args, guint n_args, const char *list_file,
                                  GPtrArray *skipped, GError **error)
{
	g_autoptr(GPtrArray) captures = g_ptr_array_new_with_free_func(batch_capture_free);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	Collect c = { captures, seen };
	for (guint i = 0; i < n_args; i++)
		if (!add_argument(&c, args[i], skipped, error))
			return NULL;
	if (list_file && !add_list(&c, list_file, error))
		return NULL;
	if (captures->len == 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no capture to run over%s",
		            list_file || n_args ? " (the directories and lists given hold none)" : "");
		return NULL;
	}
	g_ptr_array_sort(captures, by_path);
	g_autofree const char **paths = g_new(const char *, captures->len);
	for (guint i = 0; i < captures->len; i++)
		paths[i] = ((BatchCapture *)g_ptr_array_index(captures, i))->path;
	g_auto(GStrv) folders = output_folder_names(paths, captures->len, folder_base);
	for (guint i = 0; i < captures->len; i++)
		((BatchCapture *)g_ptr_array_index(captures, i))->folder = g_strdup(folders[i]);
	return g_steal_pointer(&captures);
}
