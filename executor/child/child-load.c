/* child-load.c — loading the object and running the expert (see
 * child-load.h).
 *
 * Every file the loader opens is one the executor opened and passed as a
 * descriptor, opened again through /proc/self/fd: the child's root may be
 * empty and Landlock may allow nothing else. The loader's openat of each
 * gets the loader's descriptor (every lower number is held), on which the
 * filter lets its calls through in the kernel. The libraries come first,
 * in the order the executor found them (each one's own needs before it),
 * so that when the object names one (DT_NEEDED) the loader finds it loaded,
 * by its SONAME, and searches no directory. libc and libexpert need
 * nothing: the zygote has them loaded already. */
#include "child/child-load.h"

#include "child/child-fail.h"
#include "child/child-landlock.h"
#include "wire.h"
#include "protocol/child-protocol.h"

#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

_Noreturn static void load_failed(const char *what, const char *why)
{
	char reason[512];
	snprintf(reason, sizeof(reason), "%s%s", what, why ? why : "dlopen failed");
	expert_runtime_load_failed(CHILD_FD_CHANNEL, reason);
	_exit(0);
}

static void *load(int fd, const char *what)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!handle)
		load_failed(what, dlerror());
	return handle;
}

/* Where the loader put an object (its link_map's l_addr), 0 if it will
 * not say. */
static uint64_t load_address(void *handle)
{
	struct link_map *map = NULL;
	if (dlinfo(handle, RTLD_DI_LINKMAP, &map) != 0 || !map)
		return 0;
	return (uint64_t)map->l_addr;
}

_Noreturn void child_load_and_run(ExpertKey *key, unsigned n_libs, unsigned loader_fd,
                                  const ZygoteRequest *req)
{
	/* The libraries in the order passed, then the object: as LOADED
	 * names them. */
	uint64_t bases[WIRE_MAX_OBJECTS];
	unsigned n_bases = 0;
	for (unsigned i = 0; i < n_libs; i++) {
		void *lib = load((int)(loader_fd + 1 + i), "");
		if (n_bases < WIRE_MAX_OBJECTS - 1)
			bases[n_bases++] = load_address(lib);
	}
	void *handle = load(CHILD_FD_EXPERT, "");
	bases[n_bases++] = load_address(handle);
	/* No file at all from here on. A constructor that never returned could
	 * skip this, but then it still has only the loading domain: its own
	 * object and libraries, read-only. */
	int r = req->landlock_abi ? child_landlock_loaded() : 0;
	if (r < 0)
		child_fail("restricting itself with Landlock after loading", -r);
	/* The object, the libraries, the rulesets and the placeholders below the
	 * loader's descriptor: only the channel and 0-2 stay. */
	if (close_range(CHILD_FD_FIRST_GRANTED, ~0U, 0) < 0)
		child_fail("closing the loader's descriptors", errno);
	/* Down to the profile's limit, at or below the loader's descriptor: no
	 * descriptor of that number can be made again, so the filter's rules
	 * for it are spent (the executor checks on LOADED). */
	if (child_loading_nofile(req->max_fds) > req->max_fds) {
		struct rlimit rl = { req->max_fds, req->max_fds };
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			child_fail("RLIMIT_NOFILE after loading", errno);
	}
	/* dlsym returns an object pointer; POSIX guarantees it converts to a
	 * function pointer, ISO C does not, hence memcpy. */
	ExpertEntryPoints entry;
	void *sym = dlsym(handle, EXPERT_REGISTER_SYMBOL);
	memcpy(&entry.register_fn, &sym, sizeof(sym));
	sym = dlsym(handle, EXPERT_CONFIGURE_SYMBOL);
	memcpy(&entry.configure_fn, &sym, sizeof(sym));
	sym = dlsym(handle, EXPERT_RUN_SYMBOL);
	memcpy(&entry.run_fn, &sym, sizeof(sym));
	if (!entry.register_fn || !entry.run_fn)
		load_failed(!entry.register_fn ? "missing symbol " EXPERT_REGISTER_SYMBOL
		                               : "missing symbol " EXPERT_RUN_SYMBOL, "");

	/* LOADED ends the loading phase: from now on the executor refuses what it
	 * let the loader do (open files, map code). Where each object was put
	 * lets the executor name the function of a fault report. */
	uint8_t buf[16 + 8 * WIRE_MAX_OBJECTS];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_LOADED);
	wire_put_u8(&w, (uint8_t)n_bases);
	for (unsigned i = 0; i < n_bases; i++)
		wire_put_u64(&w, bases[i]);
	size_t len = wire_finish(&w);
	if (expert_runtime_send(CHILD_FD_CHANNEL, buf, len) < 0)
		_exit(127);

	expert_runtime_drive(key, &entry);
	_exit(0);
}
