/* output-file.c — an output capture's file, whole or absent (see
 * output-file.h). */
#include "outputs/output-file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK(output-file-error-quark, output_file_error)

struct OutputFile {
	int folder_fd;        /* borrowed */
	int fd;               /* write-only, the child's too */
	char *name;           /* the final name */
	char *temp_name;      /* the hidden name, or NULL when unnamed */
	OutputFileMethod method;
	gboolean linked;
};

const char *output_file_method_name(OutputFileMethod method)
{
	return method == OUTPUT_FILE_UNNAMED ? "O_TMPFILE" : "hidden temporary name";
}

static int error_code(int e)
{
	return e == EEXIST ? OUTPUT_FILE_ERROR_EXISTS
	     : e == ENOSPC || e == EDQUOT ? OUTPUT_FILE_ERROR_NO_SPACE
	     : OUTPUT_FILE_ERROR_FAILED;
}

/* "cannot DOING NAME: why" */
static gboolean fail(GError **error, int e, const char *doing, const char *name)
{
	g_set_error(error, OUTPUT_FILE_ERROR, error_code(e), "cannot %s %s: %s", doing, name,
	            e == EEXIST ? "a file of that name exists, and is never replaced" : g_strerror(e));
	return FALSE;
}

/* O_TMPFILE: EOPNOTSUPP where the filesystem lacks it, EISDIR or EINVAL
 * on kernels older than it; any other error is the folder's own. */
static gboolean tmpfile_unsupported(int e)
{
	return e == EOPNOTSUPP || e == EISDIR || e == EINVAL;
}

/* A hidden name no other writer has: created exclusively, so a clash
 * (with a name of any origin) only means another draw. */
static int create_hidden(int folder_fd, const char *name, char **temp_name)
{
	for (int attempt = 0; attempt < 64; attempt++) {
		g_autofree char *candidate = g_strdup_printf("%s%s.%08x", OUTPUT_FILE_HIDDEN_PREFIX,
		                                             name, g_random_int());
		int fd = openat(folder_fd, candidate,
		                O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0644);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0)
			return -1;
		/* Held by this open file, which the child's descriptor shares, so
		 * it goes only when both writer processes are gone. */
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			int e = errno;
			unlinkat(folder_fd, candidate, 0);
			close(fd);
			errno = e;
			return -1;
		}
		*temp_name = g_steal_pointer(&candidate);
		return fd;
	}
	errno = EEXIST;
	return -1;
}

OutputFile *output_file_create(int folder_fd, const char *name, OutputFileMethod method,
                               GError **error)
{
	/* Checked here so the expert hears of it before writing a byte; the
	 * link checks again, since the name may appear meanwhile. */
	struct stat st;
	if (fstatat(folder_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		fail(error, EEXIST, "create", name);
		return NULL;
	}
	g_autofree char *temp_name = NULL;
	int fd = -1;
	if (method == OUTPUT_FILE_UNNAMED) {
		fd = openat(folder_fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC | O_NOCTTY, 0644);
		if (fd < 0 && !tmpfile_unsupported(errno)) {
			fail(error, errno, "create", name);
			return NULL;
		}
		if (fd < 0)
			method = OUTPUT_FILE_HIDDEN;
	}
	if (fd < 0) {
		fd = create_hidden(folder_fd, name, &temp_name);
		if (fd < 0) {
			fail(error, errno, "create a temporary file for", name);
			return NULL;
		}
	}
	OutputFile *f = g_new0(OutputFile, 1);
	f->folder_fd = folder_fd;
	f->fd = fd;
	f->name = g_strdup(name);
	f->temp_name = g_steal_pointer(&temp_name);
	f->method = method;
	return f;
}

int output_file_fd(const OutputFile *f)
{
	return f->fd;
}

const char *output_file_name(const OutputFile *f)
{
	return f->name;
}

OutputFileMethod output_file_method(const OutputFile *f)
{
	return f->method;
}

gboolean output_file_linked(const OutputFile *f)
{
	return f->linked;
}

char *output_file_read_path(const OutputFile *f)
{
	if (f->temp_name)
		return g_strdup_printf("/proc/self/fd/%d/%s", f->folder_fd, f->temp_name);
	return g_strdup_printf("/proc/self/fd/%d", f->fd);
}

/* The folder's entries on stable storage too: the new name survives a
 * crash of the machine, not only of the executor. */
static void sync_folder(int folder_fd)
{
	int dir = openat(folder_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return;
	(void)fsync(dir);
	close(dir);
}

/* An unnamed file: by its descriptor where the kernel allows the caller
 * (AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH before Linux 6.10), else by its
 * /proc link, which any process may follow for its own descriptor. */
static int link_unnamed(OutputFile *f)
{
	if (linkat(f->fd, "", f->folder_fd, f->name, AT_EMPTY_PATH) == 0)
		return 0;
	if (errno != ENOENT && errno != EPERM && errno != EINVAL)
		return -1;
	g_autofree char *proc = g_strdup_printf("/proc/self/fd/%d", f->fd);
	return linkat(AT_FDCWD, proc, f->folder_fd, f->name, AT_SYMLINK_FOLLOW);
}

gboolean output_file_link(OutputFile *f, GError **error)
{
	g_return_val_if_fail(!f->linked, FALSE);
	/* EINVAL: a file that cannot be synced (a pipe, some FUSE); nothing to wait for. */
	if (fsync(f->fd) < 0 && errno != EINVAL)
		return fail(error, errno, "write to storage", f->name);
	int r = f->temp_name ? linkat(f->folder_fd, f->temp_name, f->folder_fd, f->name, 0)
	                     : link_unnamed(f);
	if (r < 0)
		return fail(error, errno, "give its name to", f->name);
	f->linked = TRUE;
	if (f->temp_name) {
		/* Were this lost (a crash right here), the sweep would remove it:
		 * the final name holds the same file. */
		unlinkat(f->folder_fd, f->temp_name, 0);
		g_clear_pointer(&f->temp_name, g_free);
	}
	sync_folder(f->folder_fd);
	return TRUE;
}

void output_file_free(OutputFile *f)
{
	if (!f)
		return;
	if (f->temp_name)
		unlinkat(f->folder_fd, f->temp_name, 0);
	if (f->fd >= 0)
		close(f->fd);
	g_free(f->temp_name);
	g_free(f->name);
	g_free(f);
}

guint output_file_sweep(int folder_fd)
{
	int fd = openat(folder_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	DIR *dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return 0;
	}
	guint removed = 0;
	struct dirent *d;
	while ((d = readdir(dir))) {
		if (!g_str_has_prefix(d->d_name, OUTPUT_FILE_HIDDEN_PREFIX))
			continue;
		int t = openat(folder_fd, d->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY |
		                                     O_NONBLOCK);
		if (t < 0)
			continue;
		struct stat st;
		/* Its lock taken: no writer holds it any more, none can take it
		 * again (nothing knows the name), so the name is garbage. */
		if (fstat(t, &st) == 0 && S_ISREG(st.st_mode) && flock(t, LOCK_EX | LOCK_NB) == 0 &&
		    unlinkat(folder_fd, d->d_name, 0) == 0)
			removed++;
		close(t);
	}
	closedir(dir);
	return removed;
}
