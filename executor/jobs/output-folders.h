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

/* output_folder_name(expert_path), or NAME.2, NAME.3, ... if a job of the
 * run already has it; the job's until given back (newly allocated). */
char *output_folders_take(OutputFolders *folders, const char *expert_path);
/* Gives a taken name back; only a reusing set takes it again. */
void output_folders_give(OutputFolders *folders, const char *name);

#endif /* EXPERT_EXEC_OUTPUT_FOLDERS_H */
