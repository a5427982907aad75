/* profile-source.c — one profile file as text: read safely, indexed by line,
 * values taken out (see profile-source.h).
 *
 * A profile file is untrusted text: its size is bounded, NUL bytes and
 * invalid UTF-8 are refused, and every group, key, action, constant and
 * syscall must be known; nothing is silently ignored. GKeyFile parses the
 * syntax but forgets lines, so index_lines() scans the text once to record
 * where each [group] and key is. Values may end in a comment: a '#' at the
 * start of a value or after a blank starts one (as in profile.h's example). */
#include "profiles/profile-source.h"

#include "profiles/profile-error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the file and where its lines are ---- */

static void
entry_clear(gpointer data)
{
	ProfileEntry *entry = data;
	g_free(entry->group);
	g_free(entry->key);
}

void
profile_source_free(ProfileSource *src)
{
	g_free(src->path);
	g_free(src->name);
	if (src->keyfile != NULL)
		g_key_file_free(src->keyfile);
	if (src->entries != NULL)
		g_array_unref(src->entries);
	g_free(src);
}

/* Records where each [group] and key is, reading a line as GKeyFile does:
 * leading blanks skipped, '#' starts a comment line, "[name]" opens a group,
 * "key = value" (key trimmed) sets a key. A group or key given twice is an
 * error: GKeyFile would silently merge or keep the last. *bad_line receives
 * the first line that is none of these (0 if none). */
static gboolean
index_lines(ProfileSource *src, const char *text, guint *bad_line, GError **error)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	const char *group = NULL;
	guint line = 0;

	*bad_line = 0;
	for (const char *p = text; *p != '\0';) {
		const char *s = p, *e = strchrnul(p, '\n');
		ProfileEntry entry = { .line = ++line };

		p = *e != '\0' ? e + 1 : e;
		while (s < e && g_ascii_isspace(*s))
			s++;
		while (e > s && g_ascii_isspace(e[-1]))
			e--;
		if (s == e || *s == '#')
			continue;
		if (*s == '[') {
			gsize len = e - s;
			if (len < 3 || e[-1] != ']' || memchr(s + 1, '[', len - 2) || memchr(s + 1, ']', len - 2)) {
				*bad_line = *bad_line ? *bad_line : line;
				continue;
			}
			entry.group = g_strndup(s + 1, len - 2);
		} else {
			const char *eq = memchr(s, '=', e - s), *k = eq;
			if (eq == NULL || eq == s || group == NULL) {
				*bad_line = *bad_line ? *bad_line : line;
				continue;
			}
			while (k > s && g_ascii_isspace(k[-1]))
				k--;
			entry.group = g_strdup(group);
			entry.key = g_strndup(s, k - s);
		}
		g_array_append_val(src->entries, entry);
		char *id = g_strconcat(entry.group, "\n", entry.key, NULL);
		gpointer first = g_hash_table_lookup(seen, id);
		if (first != NULL) {
			g_free(id);
			if (entry.key == NULL)
				return profile_fail(error, PROFILE_ERROR_SYNTAX, src->path, line,
				                    "[%s] appears twice (first at line %u); merge them",
				                    entry.group, GPOINTER_TO_UINT(first));
			return profile_fail(error, PROFILE_ERROR_SYNTAX, src->path, line,
			                    "\"%s\" is set twice in [%s] (first at line %u)",
			                    entry.key, entry.group, GPOINTER_TO_UINT(first));
		}
		g_hash_table_insert(seen, id, GUINT_TO_POINTER(line));
		if (entry.key == NULL)
			group = g_array_index(src->entries, ProfileEntry, src->entries->len - 1).group;
	}
	return TRUE;
}

static guint
line_at(const char *text, const char *at)
{
	guint line = 1;
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

char *
profile_name_of(const char *path)
{
	char *base = g_path_get_basename(path);
	if (g_str_has_suffix(base, ".profile"))
		base[strlen(base) - strlen(".profile")] = '\0';
	return base;
}

ProfileSource *
profile_source_open(const char *path, GError **error)
{
	g_autoptr(ProfileSource) src = g_new0(ProfileSource, 1);
	g_autofree char *text = g_malloc(PROFILE_MAX_BYTES + 1);
	g_autoptr(GError) local = NULL;
	struct stat st;
	gsize len = 0;
	guint bad_line;
	const char *end;

	src->path = g_strdup(path);
	src->name = profile_name_of(path);

	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		profile_fail(error, PROFILE_ERROR_NOT_FOUND, path, 0, "cannot open: %s", g_strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		profile_fail(error, PROFILE_ERROR_NOT_FOUND, path, 0, "not a regular file");
		return NULL;
	}
	/* Read one byte more than allowed, so a file that grew is caught too. */
	while (len <= PROFILE_MAX_BYTES) {
		ssize_t n = read(fd, text + len, PROFILE_MAX_BYTES + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;
			close(fd);
			profile_fail(error, PROFILE_ERROR_NOT_FOUND, path, 0, "cannot read: %s", g_strerror(saved));
			return NULL;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	if (len > PROFILE_MAX_BYTES) {
		profile_fail(error, PROFILE_ERROR_SYNTAX, path, 0,
		             "file too large: a profile may be at most %d bytes (64 KiB)", PROFILE_MAX_BYTES);
		return NULL;
	}
	text[len] = '\0';
	for (const char *p = text; p < text + len; p++) {
		guchar c = *p;
		if (c == '\0' || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
			if (c == '\0')
				profile_fail(error, PROFILE_ERROR_SYNTAX, path, line_at(text, p),
				             "contains a NUL byte: a profile is text");
			else
				profile_fail(error, PROFILE_ERROR_SYNTAX, path, line_at(text, p),
				             "contains control character 0x%02x: a profile is text", c);
			return NULL;
		}
	}
	if (!g_utf8_validate(text, len, &end)) {
		profile_fail(error, PROFILE_ERROR_SYNTAX, path, line_at(text, end), "not valid UTF-8");
		return NULL;
	}

	src->keyfile = g_key_file_new();
	src->entries = g_array_new(FALSE, TRUE, sizeof(ProfileEntry));
	g_array_set_clear_func(src->entries, entry_clear);
	if (!g_key_file_load_from_data(src->keyfile, text, len, G_KEY_FILE_NONE, &local)) {
		index_lines(src, text, &bad_line, NULL);
		profile_fail(error, PROFILE_ERROR_SYNTAX, path, bad_line, "%s", local->message);
		return NULL;
	}
	if (!index_lines(src, text, &bad_line, error))
		return NULL;
	if (bad_line > 0) {
		profile_fail(error, PROFILE_ERROR_SYNTAX, path, bad_line,
		             "expected a [group], a \"key = value\" line or a # comment");
		return NULL;
	}
	return g_steal_pointer(&src);
}

char *
profile_entry_value(const ProfileSource *src, const ProfileEntry *entry, gboolean unescape, GError **error)
{
	g_autoptr(GError) local = NULL;
	char *value = unescape
		? g_key_file_get_string(src->keyfile, entry->group, entry->key, &local)
		: g_key_file_get_value(src->keyfile, entry->group, entry->key, &local);

	if (value == NULL) {
		profile_fail(error, PROFILE_ERROR_SYNTAX, src->path, entry->line, "%s", local->message);
		return NULL;
	}
	for (char *p = value; *p != '\0'; p++) {
		if (*p == '#' && (p == value || g_ascii_isspace(p[-1]))) {
			*p = '\0';
			break;
		}
	}
	return g_strstrip(value);
}
