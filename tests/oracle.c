/* oracle.c — readers for tshark's figures (see oracle.h). */
#include "oracle.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define ORACLE_ERROR (g_quark_from_static_string("oracle-error"))

const char *oracle_data_dir(void)
{
	const char *dir = g_getenv("EXPERT_TEST_DATA");
	return dir != NULL && *dir != '\0' ? dir : NULL;
}

static void capture_free(gpointer p)
{
	OracleCapture *c = p;
	g_free(c->file);
	g_free(c->format);
	g_free(c->link_type);
	g_free(c);
}

static void phs_node_free(gpointer p)
{
	OraclePhsNode *n = p;
	g_free(n->path);
	g_free(n);
}

static gboolean parse_u64(const char *text, guint64 *out, const char *file, guint line,
                          const char *what, GError **error)
{
	if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, out, NULL)) {
		g_set_error(error, ORACLE_ERROR, EINVAL, "%s:%u: %s is \"%s\", not a number",
		            file, line, what, text);
		return FALSE;
	}
	return TRUE;
}

static int column_index(char **header, const char *name)
{
	for (int i = 0; header[i] != NULL; i++)
		if (strcmp(header[i], name) == 0)
			return i;
	return -1;
}

GPtrArray *oracle_load_summary(const char *data_dir, GError **error)
{
	g_autofree char *path = g_build_filename(data_dir, "oracle", "summary.tsv", NULL);
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, error))
		return NULL;

	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	if (lines[0] == NULL) {
		g_set_error(error, ORACLE_ERROR, EINVAL, "%s: empty file", path);
		return NULL;
	}
	g_auto(GStrv) header = g_strsplit(lines[0], "\t", -1);
	static const char *const wanted[] = { "file", "format", "link_type", "frames",
	                                      "bytes_on_wire", "ip_fragment_frames" };
	int col[G_N_ELEMENTS(wanted)];
	guint n_columns = g_strv_length(header);
	for (size_t i = 0; i < G_N_ELEMENTS(wanted); i++) {
		col[i] = column_index(header, wanted[i]);
		if (col[i] < 0) {
			g_set_error(error, ORACLE_ERROR, EINVAL, "%s:1: no column \"%s\"", path,
			            wanted[i]);
			return NULL;
		}
	}

	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(capture_free);
	for (guint line = 1; lines[line] != NULL; line++) {
		if (lines[line][0] == '\0')
			continue;
		g_auto(GStrv) f = g_strsplit(lines[line], "\t", -1);
		if (g_strv_length(f) != n_columns) {
			g_set_error(error, ORACLE_ERROR, EINVAL, "%s:%u: %u fields, header has %u",
			            path, line + 1, g_strv_length(f), n_columns);
			return NULL;
		}
		OracleCapture *c = g_new0(OracleCapture, 1);
		g_ptr_array_add(rows, c);
		c->file = g_strdup(f[col[0]]);
		c->format = g_strdup(f[col[1]]);
		c->link_type = g_strdup(f[col[2]]);
		if (!parse_u64(f[col[3]], &c->frames, path, line + 1, "frames", error) ||
		    !parse_u64(f[col[4]], &c->bytes_on_wire, path, line + 1, "bytes_on_wire", error) ||
		    !parse_u64(f[col[5]], &c->ip_fragment_frames, path, line + 1,
		               "ip_fragment_frames", error))
			return NULL;
	}
	return g_steal_pointer(&rows);
}

GPtrArray *oracle_add_capture_tests(const char *prefix, GTestDataFunc test)
{
	const char *dir = oracle_data_dir();
	if (dir == NULL) {
		g_printerr("EXPERT_TEST_DATA is not set: point it at tests/data\n");
		return NULL;
	}
	g_autoptr(GError) error = NULL;
	GPtrArray *captures = oracle_load_summary(dir, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < captures->len; i++) {
		const OracleCapture *c = g_ptr_array_index(captures, i);
		g_autofree char *name = g_strconcat(prefix, c->file, NULL);
		g_test_add_data_func(name, c, test);
	}
	return captures;
}

/* A phs row is "<2*depth spaces><name><spaces>frames:N bytes:B". Everything
 * else in the file (rules, title, "Filter:") is framing. */
static gboolean parse_phs_line(const char *line, guint *depth, char **name, guint64 *frames,
                               guint64 *bytes)
{
	const char *frames_at = strstr(line, "frames:");
	const char *bytes_at = strstr(line, " bytes:");
	if (frames_at == NULL || bytes_at == NULL || bytes_at < frames_at)
		return FALSE;
	size_t indent = strspn(line, " ");
	if (indent % 2 != 0)
		return FALSE;
	const char *name_end = line + indent;
	while (*name_end != ' ' && *name_end != '\0')
		name_end++;
	if (name_end == line + indent || name_end > frames_at)
		return FALSE;

	char *end;
	errno = 0;
	*frames = g_ascii_strtoull(frames_at + strlen("frames:"), &end, 10);
	if (errno != 0 || end != bytes_at)
		return FALSE;
	*bytes = g_ascii_strtoull(bytes_at + strlen(" bytes:"), &end, 10);
	if (errno != 0 || (*end != '\0' && !g_ascii_isspace(*end)))
		return FALSE;
	*depth = (guint)(indent / 2);
	*name = g_strndup(line + indent, (gsize)(name_end - (line + indent)));
	return TRUE;
}

GPtrArray *oracle_load_phs(const char *data_dir, const char *capture, GError **error)
{
	g_autofree char *base = g_strconcat(capture, ".phs.txt", NULL);
	g_autofree char *path = g_build_filename(data_dir, "oracle", base, NULL);
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, error))
		return NULL;

	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func(phs_node_free);
	/* stack[d] is the path of the last row seen at depth d. */
	g_autoptr(GPtrArray) stack = g_ptr_array_new();
	for (guint line = 0; lines[line] != NULL; line++) {
		guint depth;
		g_autofree char *name = NULL;
		guint64 frames, bytes;
		if (!parse_phs_line(lines[line], &depth, &name, &frames, &bytes)) {
			if (strstr(lines[line], "frames:") != NULL) {
				g_set_error(error, ORACLE_ERROR, EINVAL, "%s:%u: cannot read \"%s\"",
				            path, line + 1, lines[line]);
				return NULL;
			}
			continue;
		}
		if (depth > stack->len) {
			g_set_error(error, ORACLE_ERROR, EINVAL, "%s:%u: indented past its parent",
			            path, line + 1);
			return NULL;
		}
		OraclePhsNode *node = g_new0(OraclePhsNode, 1);
		node->path = depth == 0 ? g_strdup(name)
		                        : g_strconcat(g_ptr_array_index(stack, depth - 1), "/",
		                                      name, NULL);
		node->depth = depth;
		node->frames = frames;
		node->bytes = bytes;
		g_ptr_array_add(nodes, node);
		g_ptr_array_set_size(stack, depth);
		g_ptr_array_add(stack, node->path);
	}
	if (nodes->len == 0) {
		g_set_error(error, ORACLE_ERROR, EINVAL, "%s: no hierarchy rows", path);
		return NULL;
	}
	return g_steal_pointer(&nodes);
}

const OraclePhsNode *oracle_phs_find(GPtrArray *phs, const char *path)
{
	for (guint i = 0; i < phs->len; i++) {
		const OraclePhsNode *n = g_ptr_array_index(phs, i);
		if (strcmp(n->path, path) == 0)
			return n;
	}
	return NULL;
}

gboolean oracle_path_within(const char *path, const char *const *protocols)
{
	g_auto(GStrv) parts = g_strsplit(path, "/", -1);
	for (guint i = 0; parts[i] != NULL; i++)
		if (!g_strv_contains(protocols, parts[i]))
			return FALSE;
	return TRUE;
}

const char *oracle_path_leaf(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash != NULL ? slash + 1 : path;
}

OracleTsv *oracle_load_tsv(const char *data_dir, const char *file, GError **error)
{
	g_autofree char *path = g_build_filename(data_dir, "oracle", file, NULL);
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, error))
		return NULL;
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	if (lines[0] == NULL || lines[0][0] == '\0') {
		g_set_error(error, ORACLE_ERROR, EINVAL, "%s: no header line", path);
		return NULL;
	}
	g_autoptr(OracleTsv) tsv = g_new0(OracleTsv, 1);
	tsv->columns = g_strsplit(lines[0], "\t", -1);
	tsv->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	guint n_columns = g_strv_length(tsv->columns);
	for (guint line = 1; lines[line] != NULL; line++) {
		if (lines[line][0] == '\0')
			continue;
		GStrv fields = g_strsplit(lines[line], "\t", -1);
		g_ptr_array_add(tsv->rows, fields);
		if (g_strv_length(fields) != n_columns) {
			g_set_error(error, ORACLE_ERROR, EINVAL, "%s:%u: %u fields, header has %u",
			            path, line + 1, g_strv_length(fields), n_columns);
			return NULL;
		}
	}
	return g_steal_pointer(&tsv);
}

void oracle_tsv_free(OracleTsv *tsv)
{
	if (tsv == NULL)
		return;
	g_strfreev(tsv->columns);
	if (tsv->rows != NULL)
		g_ptr_array_unref(tsv->rows);
	g_free(tsv);
}

guint oracle_tsv_column(const OracleTsv *tsv, const char *name)
{
	int i = column_index(tsv->columns, name);
	if (i < 0)
		g_error("the oracle table has no column \"%s\"", name);
	return (guint)i;
}

const char *oracle_tsv_field(const OracleTsv *tsv, guint row, const char *name)
{
	g_assert_cmpuint(row, <, tsv->rows->len);
	GStrv fields = g_ptr_array_index(tsv->rows, row);
	return fields[oracle_tsv_column(tsv, name)];
}

guint64 oracle_tsv_u64(const OracleTsv *tsv, guint row, const char *name)
{
	const char *text = oracle_tsv_field(tsv, row, name);
	guint64 value;
	if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, &value, NULL))
		g_error("oracle row %u, column %s: \"%s\" is not a number", row + 1, name, text);
	return value;
}
