/* output-check.h — what the executor itself knows of an output capture
 * before giving it its name (outputs/output-file.h): whether its bytes are
 * a whole capture, read by the capture loader's own readers
 * (captures/capture.h: libpcap's open and header check, whole records to
 * the end), and whether its filesystem is full. Neither believes anything
 * the child said. */
#ifndef EXPERT_EXEC_OUTPUT_CHECK_H
#define EXPERT_EXEC_OUTPUT_CHECK_H

#include "outputs/output-file.h"

#include <glib.h>

/* Fewer free bytes than this on the filesystem and an output that could
 * not be finished ran out of space: libexpert writes at most this much at
 * once, so a write it could not complete left less than this free. */
#define OUTPUT_CHECK_FULL_BYTES (64u * 1024)

/* TRUE if the file is a whole pcap or pcapng capture: *frames is how many
 * frames it holds. Otherwise FALSE with *why saying what is wrong ("not a
 * capture: ...", "cut short: stopped after frame 41: ..."), newly
 * allocated. */
gboolean output_check_whole(const OutputFile *file, guint64 *frames, char **why);

/* TRUE if the file's filesystem has fewer than OUTPUT_CHECK_FULL_BYTES
 * free for an unprivileged writer (fstatvfs f_bavail), the bytes free in
 * *free_bytes. */
gboolean output_check_fs_full(const OutputFile *file, guint64 *free_bytes);

#endif /* EXPERT_EXEC_OUTPUT_CHECK_H */
