/* capture-view.c — see capture-view.h. */
#include "protocol/capture-view.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

/* The whole span is reserved first, so the two parts land side by side and
 * nothing else can take the address between them. */
void *capture_view_map(int memfd, uint64_t memfd_size, int file_fd, uint64_t total)
{
	/* A capture of no frames may have nothing of its file to map. */
	if (file_fd < 0 || total == memfd_size)
		return mmap(NULL, total, PROT_READ, MAP_SHARED, memfd, 0);
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	if (memfd_size == 0 || memfd_size % page || memfd_size > total) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	uint8_t *base = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
	                     -1, 0);
	if (base == MAP_FAILED)
		return MAP_FAILED;
	if (mmap(base, memfd_size, PROT_READ, MAP_SHARED | MAP_FIXED, memfd, 0) == MAP_FAILED ||
	    mmap(base + memfd_size, total - memfd_size, PROT_READ, MAP_SHARED | MAP_FIXED, file_fd,
	         0) == MAP_FAILED) {
		int e = errno;
		munmap(base, total);
		errno = e;
		return MAP_FAILED;
	}
	return base;
}
