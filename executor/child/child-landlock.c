/* child-landlock.c — a job's Landlock domains (see child-landlock.h).
 *
 * Raw system calls and our own copies of the ABI's structures and bits:
 * the kernel's are newer than some distributions' headers, and the ABI is
 * stable (a larger attribute struct is told by its size). */
#include "child/child-landlock.h"

#include "protocol/child-protocol.h"

#include <errno.h>
#include <linux/landlock.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/* landlock_ruleset_attr, with the fields of ABI 4 (net) and 6 (scoped). */
struct ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

#define FS_READ_FILE (1ULL << 2)
#define NET_BIND_TCP (1ULL << 0)
#define NET_CONNECT_TCP (1ULL << 1)
#define SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define SCOPE_SIGNAL (1ULL << 1)

/* Every file-system right the ABI knows: handled, so refused unless a rule
 * grants it. ABI 1 has 13; 2 adds REFER, 3 TRUNCATE, 5 IOCTL_DEV. */
static uint64_t fs_rights(unsigned abi)
{
	unsigned bits = abi >= 5 ? 16 : abi >= 3 ? 15 : abi >= 2 ? 14 : 13;
	return (1ULL << bits) - 1;
}

static int new_ruleset(unsigned abi)
{
	struct ruleset_attr attr = {
		.handled_access_fs = fs_rights(abi),
		.handled_access_net = abi >= 4 ? NET_BIND_TCP | NET_CONNECT_TCP : 0,
		.scoped = abi >= 6 ? SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL : 0,
	};
	size_t size = abi >= 6 ? sizeof(attr) : abi >= 4 ? 2 * sizeof(uint64_t) : sizeof(uint64_t);
	long fd = syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	return fd < 0 ? -errno : (int)fd;
}

static int restrict_self(int ruleset)
{
	return syscall(SYS_landlock_restrict_self, ruleset, 0) < 0 ? -errno : 0;
}

/* A new ruleset, at the number the filter knows it by. */
static int new_ruleset_at(unsigned abi, int target)
{
	int fd = new_ruleset(abi);
	if (fd < 0 || fd == target)
		return fd;
	int r = dup2(fd, target);
	int err = errno;
	close(fd);
	return r < 0 ? -err : target;
}

int child_landlock_prepare(unsigned abi)
{
	int r = new_ruleset_at(abi, CHILD_FD_LOADING_RULES);
	if (r >= 0)
		r = new_ruleset_at(abi, CHILD_FD_LOADED_RULES);
	return r < 0 ? r : 0;
}

int child_landlock_loading(const int *files, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		/* A rule on a file's own inode: the loader opens it again through
		 * /proc/self/fd, and Landlock judges the file, not that path. */
		struct landlock_path_beneath_attr rule = {
			.allowed_access = FS_READ_FILE,
			.parent_fd = files[i],
		};
		if (syscall(SYS_landlock_add_rule, CHILD_FD_LOADING_RULES, LANDLOCK_RULE_PATH_BENEATH,
		            &rule, 0) < 0)
			return -errno;
	}
	/* Left open: its number must stay taken while the object loads, so
	 * that the loader's descriptor is the one the filter knows. Adding to
	 * it now could only narrow a domain; it goes with the rest after
	 * loading (child-load.c). */
	return restrict_self(CHILD_FD_LOADING_RULES);
}

int child_landlock_loaded(void)
{
	int r = restrict_self(CHILD_FD_LOADED_RULES);
	close(CHILD_FD_LOADED_RULES);
	return r;
}
