/* profile-error.c — errors that name file and line, and their "did you
 * mean" hints (see profile-error.h). */
#include "profiles/profile-error.h"

#include "profiles/syscall-groups.h"

#include <string.h>

/* ---- errors: a message for people, and its parts for programs ---- */

/* PROFILE_ERROR is an extended GError domain: besides the message
 * ("FILE:LINE: TEXT") each error carries file, line and text apart, so that
 * `profile check` prints "FILE:LINE: error: TEXT" without taking a message
 * apart again. */
typedef struct {
	char *file;
	guint line;
	char *text;
} ProfileErrorPrivate;

static void
profile_error_private_init(ProfileErrorPrivate *priv)
{
	/* GLib hands the private part over zeroed: nothing to do. */
	(void)priv;
}

static void
profile_error_private_copy(const ProfileErrorPrivate *src, ProfileErrorPrivate *dest)
{
	if (src == NULL || dest == NULL)
		return;
	dest->file = g_strdup(src->file);
	dest->line = src->line;
	dest->text = g_strdup(src->text);
}

static void
profile_error_private_clear(ProfileErrorPrivate *priv)
{
	if (priv == NULL)
		return;
	g_clear_pointer(&priv->file, g_free);
	g_clear_pointer(&priv->text, g_free);
}

G_DEFINE_EXTENDED_ERROR(ProfileError, profile_error)

gboolean
profile_fail(GError **error, ProfileErrorCode code, const char *path, guint line,
             const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	g_autofree char *message = g_strdup_vprintf(format, ap);
	va_end(ap);
	if (error == NULL || *error != NULL) {
		/* Nobody wants it, or a caller's bug, which g_set_error() reports. */
		g_set_error_literal(error, PROFILE_ERROR, code, message);
		return FALSE;
	}
	if (line > 0)
		g_set_error(error, PROFILE_ERROR, code, "%s:%u: %s", path, line, message);
	else
		g_set_error(error, PROFILE_ERROR, code, "%s: %s", path, message);
	ProfileErrorPrivate *priv = profile_error_get_private(*error);
	if (priv != NULL) {
		priv->file = g_strdup(path);
		priv->line = line;
		priv->text = g_steal_pointer(&message);
	}
	return FALSE;
}

static const ProfileErrorPrivate *
private_of(const GError *error)
{
	if (error == NULL || error->domain != PROFILE_ERROR)
		return NULL;
	return profile_error_get_private(error);
}

const char *
profile_error_file(const GError *error)
{
	const ProfileErrorPrivate *priv = private_of(error);
	return priv != NULL ? priv->file : NULL;
}

guint
profile_error_line(const GError *error)
{
	const ProfileErrorPrivate *priv = private_of(error);
	return priv != NULL ? priv->line : 0;
}

const char *
profile_error_text(const GError *error)
{
	const ProfileErrorPrivate *priv = private_of(error);
	return priv != NULL && priv->text != NULL ? priv->text : error->message;
}

/* ---- names and "did you mean" ---- */

static guint
edit_distance(const char *a, const char *b)
{
	gsize la = strlen(a), lb = strlen(b);
	guint row[65];

	if (la > 64 || lb > 64)
		return G_MAXUINT;
	for (gsize j = 0; j <= lb; j++)
		row[j] = j;
	for (gsize i = 1; i <= la; i++) {
		guint diagonal = row[0];
		row[0] = i;
		for (gsize j = 1; j <= lb; j++) {
			guint above = row[j];
			guint cost = g_ascii_tolower(a[i - 1]) != g_ascii_tolower(b[j - 1]);
			row[j] = MIN(MIN(row[j] + 1, row[j - 1] + 1), diagonal + cost);
			diagonal = above;
		}
	}
	return row[lb];
}

const char *
profile_closest(const char *word, const char *const *candidates)
{
	gsize len = strlen(word);
	guint best_distance = (len <= 3 ? 1 : len <= 6 ? 2 : 3) + 1;
	const char *best = NULL;

	for (; candidates != NULL && *candidates != NULL; candidates++) {
		guint d = edit_distance(word, *candidates);
		if (d < best_distance) {
			best = *candidates;
			best_distance = d;
		}
	}
	return best;
}

GPtrArray *
profile_table_names(const void *rows, gsize n, gsize stride)
{
	GPtrArray *names = g_ptr_array_new();
	for (gsize i = 0; i < n; i++)
		g_ptr_array_add(names, *(char *const *)((const char *)rows + i * stride));
	g_ptr_array_add(names, NULL);
	return names;
}

GPtrArray *
profile_group_names(void)
{
	gsize n;
	const SyscallGroup *groups = syscall_groups(&n);
	return profile_table_names(groups, n, sizeof *groups);
}

char *
profile_suggest(const char *word, const char *const *candidates)
{
	const char *best = profile_closest(word, candidates);
	return best != NULL ? g_strdup_printf(" (did you mean \"%s\"?)", best) : g_strdup("");
}
