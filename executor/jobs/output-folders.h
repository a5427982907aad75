/* output-folders.h — the folder each job's output captures live in, under
 * --output-dir: named after the expert's file, and never the same for two
 * jobs of a run, so that no job can take, read or replace the names of
 * another's outputs (one expert creating "coalesced.pcap" first would
 * otherwise deny it to Protocol Coalesce). */
#ifndef EXPERT_EXEC_OUTPUT_FOLDERS_H
#define EXPERT_EXEC_OUTPUT_FOLDERS_H

#include <glib.h>

typedef struct OutputFolders OutputFolders;

/* reuse: a name given back may be taken again (stress runs one expert many
 * times; a run never does, so its folder names are fixed by the order of
 * the experts on the command line). */
OutputFolders *output_folders_new(gboolean reuse);
void output_folders_free(OutputFolders *folders);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(OutputFolders, output_folders_free)

/* The file name of expert_path without ".so", with anything but letters,
 * digits, '.', '-' and '_' as '_' and no leading '.' (newly allocated). */
char *output_folder_name(const char *expert_path);
/* The same rules for any name (a capture's file name without its
 * extension), newly allocated. */
char *output_folder_safe_name(const char *base);
/* name_of(path) for each of n paths, NAME.2, NAME.3, ... for names taken
 * earlier in the list: as one run over all of them names them (a
 * NULL-terminated array, newly allocated). */
char **output_folder_names(const char *const *paths, guint n, char *(*name_of)(const char *path));
/* expert_path's folder is name, whatever the order of the run's experts:
 * a batch runs some of its experts over each capture, and each must get
 * the folder a run of all of them would give it. */
void output_folders_fix(OutputFolders *folders, const char *expert_path, const char *name);

/* The name fixed for expert_path, else output_folder_name(expert_path), or
 * NAME.2, NAME.3, ... if a job of the run already has it; the job's until
 * given back (newly allocated). */
char *output_folders_take(OutputFolders *folders, const char *expert_path);
/* Gives a taken name back; only a reusing set takes it again. */
void output_folders_give(OutputFolders *folders, const char *name);

#endif /* EXPERT_EXEC_OUTPUT_FOLDERS_H */
