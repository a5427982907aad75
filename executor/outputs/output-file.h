/* output-file.h — an output capture's file, whole or absent.
 *
 * The file is created without a name in its folder (O_TMPFILE), so no one
 * can see it, open it or mistake it for a finished capture while it is
 * written, and a killed executor leaves nothing: the kernel frees an
 * unnamed file with its last descriptor. Where the filesystem has no
 * O_TMPFILE (NFS, FUSE, vfat, older kernels), it is created under a hidden
 * temporary name, ".expert-exec-partial.NAME.XXXXXX", exclusively, and
 * locked (flock) for as long as any descriptor of it is open: a later run
 * in the same folder removes every such name whose lock it can take
 * (output_file_sweep), since no writer of it is alive.
 *
 * Only output_file_link gives the file its final name, and never by
 * replacing an existing one (linkat, which fails with EEXIST). Until then,
 * and whenever it is not linked, output_file_free leaves nothing behind.
 *
 * The executor's own deciding (keep or not, and why) is jobs/job-outputs.c;
 * what it knows of the contents is outputs/output-check.h. */
#ifndef EXPERT_EXEC_OUTPUT_FILE_H
#define EXPERT_EXEC_OUTPUT_FILE_H

#include <glib.h>

#define OUTPUT_FILE_ERROR (output_file_error_quark())
GQuark output_file_error_quark(void);

typedef enum {
	OUTPUT_FILE_ERROR_EXISTS,   /* a file of that name exists: never replaced */
	OUTPUT_FILE_ERROR_NO_SPACE, /* ENOSPC or EDQUOT */
	OUTPUT_FILE_ERROR_FAILED,   /* anything else; the message has errno's words */
} OutputFileErrorCode;

typedef enum {
	OUTPUT_FILE_UNNAMED, /* O_TMPFILE; output_file_create falls back to ... */
	OUTPUT_FILE_HIDDEN,  /* ... a hidden temporary name, locked while written */
} OutputFileMethod;

/* The prefix of every hidden temporary name (never a valid output name:
 * those never start with '.'). */
#define OUTPUT_FILE_HIDDEN_PREFIX ".expert-exec-partial."

typedef struct OutputFile OutputFile;

/* A new file for the output `name` in the folder folder_fd (an O_PATH or
 * O_DIRECTORY descriptor, borrowed for the file's life). method
 * OUTPUT_FILE_UNNAMED tries O_TMPFILE and falls back to a hidden name where
 * the filesystem refuses it; OUTPUT_FILE_HIDDEN goes straight to the hidden
 * name (for tests of that path). Refuses a name that exists already
 * (OUTPUT_FILE_ERROR_EXISTS), so the expert learns it before writing. */
OutputFile *output_file_create(int folder_fd, const char *name, OutputFileMethod method,
                               GError **error);

/* The writer's descriptor (write-only): the one the child is given. The
 * executor keeps it for fstat and ftruncate. */
int output_file_fd(const OutputFile *file);
const char *output_file_name(const OutputFile *file);
OutputFileMethod output_file_method(const OutputFile *file);
/* "O_TMPFILE" or "hidden temporary name" (static). */
const char *output_file_method_name(OutputFileMethod method);

/* A path the executor can open the file by for reading, whatever its
 * method (/proc/self/fd/N for an unnamed one); newly allocated. */
char *output_file_read_path(const OutputFile *file);

/* Flushes the file to stable storage, then gives it its final name in its
 * folder, never replacing one (OUTPUT_FILE_ERROR_EXISTS), and flushes the
 * folder. After it, output_file_free only closes the descriptor. */
gboolean output_file_link(OutputFile *file, GError **error);
gboolean output_file_linked(const OutputFile *file);

/* Closes the executor's descriptor and, unless linked, removes the file's
 * temporary name (an unnamed one goes with its last descriptor). */
void output_file_free(OutputFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(OutputFile, output_file_free)

/* Removes the hidden temporaries in folder_fd that no process holds
 * locked: left by an executor that was killed while writing them. Returns
 * how many it removed. */
guint output_file_sweep(int folder_fd);

#endif /* EXPERT_EXEC_OUTPUT_FILE_H */
