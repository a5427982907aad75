/* capture-view.h — how a child maps the run's capture (the layouts are in
 * libexpert/capture-format.h): the sealed memfd alone, or the memfd (its
 * header and index, a whole number of pages) with the capture file's first
 * bytes mapped right after it, so that the runtime sees one read-only
 * mapping either way. The child's setup uses it; tests read a loaded
 * capture the same way. */
#ifndef EXPERT_EXEC_CAPTURE_VIEW_H
#define EXPERT_EXEC_CAPTURE_VIEW_H

#include <stdint.h>

/* total bytes, read-only and shared: of memfd alone when file_fd < 0 (or
 * nothing of the file is wanted), else memfd's memfd_size (a multiple of
 * the page size) then file_fd's first total - memfd_size. MAP_FAILED and
 * errno on failure, with nothing left mapped. */
void *capture_view_map(int memfd, uint64_t memfd_size, int file_fd, uint64_t total);

#endif /* EXPERT_EXEC_CAPTURE_VIEW_H */
