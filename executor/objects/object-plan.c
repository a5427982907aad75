/* object-plan.c — see object-plan.h.
 *
 * The search follows ld.so(8): an object's DT_RPATH (unless it has a
 * DT_RUNPATH), then its DT_RUNPATH, with $ORIGIN as its own directory; then
 * the directories of /etc/ld.so.conf, which is what ld.so.cache is built
 * from; then the loader's defaults. LD_LIBRARY_PATH plays no part: the
 * zygote has no environment. A library is taken only if it is a shared
 * object for this machine whose DT_SONAME is the name asked for: the child
 * loads it from a descriptor, and the loader then knows it by that SONAME
 * alone. */
#include "objects/object-plan.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LD_SO_CONF "/etc/ld.so.conf"
#define INCLUDE_DEPTH_MAX 8

struct ObjectSearch {
	GPtrArray *dirs;          /* char*, NULL-terminated */
	GHashTable *loaded;       /* SONAMEs the zygote has loaded */
};

static const char *const default_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib",
	"/usr/lib",
};

static void add_dir(GPtrArray *dirs, const char *dir)
{
	if (!g_path_is_absolute(dir) || !g_file_test(dir, G_FILE_TEST_IS_DIR))
		return;
	for (guint i = 0; i < dirs->len; i++)
		if (g_str_equal(g_ptr_array_index(dirs, i), dir))
			return;
	g_ptr_array_add(dirs, g_strdup(dir));
}

static void read_ld_so_conf(GPtrArray *dirs, const char *path, int depth)
{
	g_autofree char *text = NULL;
	if (depth > INCLUDE_DEPTH_MAX || !g_file_get_contents(path, &text, NULL, NULL))
		return;
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		char *hash = strchr(lines[i], '#');
		if (hash)
			*hash = '\0';
		char *line = g_strstrip(lines[i]);
		if (g_str_has_prefix(line, "include") && g_ascii_isspace(line[7])) {
			const char *pattern = g_strstrip(line + 8);
			g_autofree char *dir = g_path_get_dirname(path);
			g_autofree char *full = g_path_is_absolute(pattern)
			                        ? g_strdup(pattern) : g_build_filename(dir, pattern, NULL);
			glob_t g;
			if (glob(full, 0, NULL, &g) == 0)
				for (size_t k = 0; k < g.gl_pathc; k++)
					read_ld_so_conf(dirs, g.gl_pathv[k], depth + 1);
			globfree(&g);
		} else if (line[0] && !g_str_has_prefix(line, "hwcap")) {
			add_dir(dirs, line);
		}
	}
}

void object_plan_free(ObjectPlan *plan)
{
	if (!plan)
		return;
	g_ptr_array_unref(plan->libs);
	g_free(plan->wx);
	g_free(plan);
}

void object_search_free(ObjectSearch *search)
{
	if (!search)
		return;
	g_ptr_array_unref(search->dirs);
	g_hash_table_unref(search->loaded);
	g_free(search);
}

const char *const *object_search_dirs(const ObjectSearch *search)
{
	return (const char *const *)search->dirs->pdata;
}

/* ---- finding one library --------------------------------------------------- */

/* A run path's directories, $ORIGIN (and ${ORIGIN}) made the object's own
 * directory; a directory with another $ token is skipped (ld.so expands
 * $LIB and $PLATFORM per machine; no object this project loads uses them). */
static void add_run_path(GPtrArray *dirs, const char *run_path, const char *origin)
{
	g_auto(GStrv) parts = g_strsplit(run_path, ":", -1);
	for (guint i = 0; parts[i]; i++) {
		GString *dir = g_string_new(parts[i]);
		g_string_replace(dir, "${ORIGIN}", origin, 0);
		g_string_replace(dir, "$ORIGIN", origin, 0);
		g_autofree char *b = g_string_free(dir, FALSE);
		if (!strchr(b, '$') && b[0])
			g_ptr_array_add(dirs, g_steal_pointer(&b));
	}
}

/* The library `name` as needed by an object (its ELF, its path), or NULL
 * with an error. The file comes back open at *fd, and read at *elf. */
static char *find_library(const ObjectSearch *search, const char *name, const ObjectElf *by,
                          const char *by_path, ObjectElf **elf, GError **error)
{
	g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *real = realpath(by_path, NULL);
	g_autofree char *origin = g_path_get_dirname(real ? real : by_path);
	if (strchr(name, '/')) {
		g_ptr_array_add(dirs, g_strdup(""));
	} else {
		if (by->rpath && !by->runpath)
			add_run_path(dirs, by->rpath, origin);
		if (by->runpath)
			add_run_path(dirs, by->runpath, origin);
		for (guint i = 0; i < search->dirs->len - 1; i++)
			g_ptr_array_add(dirs, g_strdup(g_ptr_array_index(search->dirs, i)));
	}
	for (guint i = 0; i < dirs->len; i++) {
		const char *dir = g_ptr_array_index(dirs, i);
		g_autofree char *path = dir[0] ? g_build_filename(dir, name, NULL) : g_strdup(name);
		int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			continue;
		ObjectElf *found = object_elf_read(fd, path, NULL);
		close(fd);
		/* Like ld.so, pass over a file of another class or machine. */
		if (!found)
			continue;
		if (!strchr(name, '/') && g_strcmp0(found->soname, name) != 0) {
			g_set_error(error, OBJECT_ERROR, OBJECT_ERROR_LIBRARY,
			            "%s needs %s, found at %s, whose SONAME is %s: the child loads "
			            "libraries from descriptors, which the loader knows only by SONAME",
			            by_path, name, path, found->soname ? found->soname : "missing");
			object_elf_free(found);
			return NULL;
		}
		*elf = found;
		return g_steal_pointer(&path);
	}
	g_set_error(error, OBJECT_ERROR, OBJECT_ERROR_LIBRARY, "%s needs %s, which is not in its "
	            "run path nor in the directories of " LD_SO_CONF " or the loader's defaults",
	            by_path, name);
	return NULL;
}

/* ---- the load order ---------------------------------------------------------- */

typedef struct {
	const ObjectSearch *search;
	GHashTable *seen;         /* names needed so far */
	GPtrArray *libs;          /* load order */
	GString *wx;
	guint max;
} Walk;

static void note_wx(Walk *w, const char *path, const ObjectElf *elf)
{
	if (!elf->wx || w->wx->len)
		return;
	g_autofree char *base = g_path_get_basename(path);
	g_string_append_printf(w->wx, "%s: %s", base, elf->wx);
}

/* Post-order: a library's own needs go before it. */
static gboolean walk(Walk *w, const ObjectElf *elf, const char *path, GError **error)
{
	note_wx(w, path, elf);
	for (guint i = 0; i < elf->needed->len; i++) {
		const char *name = g_ptr_array_index(elf->needed, i);
		if (g_hash_table_contains(w->search->loaded, name) ||
		    !g_hash_table_add(w->seen, g_strdup(name)))
			continue;
		g_autoptr(ObjectElf) lib = NULL;
		g_autofree char *lib_path = find_library(w->search, name, elf, path, &lib, error);
		if (!lib_path || !walk(w, lib, lib_path, error))
			return FALSE;
		if (w->libs->len >= w->max) {
			g_set_error(error, OBJECT_ERROR, OBJECT_ERROR_LIBRARY,
			            "%s needs more than %u libraries besides libc and libexpert", path,
			            w->max);
			return FALSE;
		}
		g_ptr_array_add(w->libs, g_steal_pointer(&lib_path));
	}
	return TRUE;
}

ObjectPlan *object_plan_new(const ObjectSearch *search, int fd, const char *path, guint max,
                            GError **error)
{
	g_autoptr(ObjectElf) elf = object_elf_read(fd, path, error);
	if (!elf)
		return NULL;
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(ObjectPlan) plan = g_new0(ObjectPlan, 1);
	plan->libs = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) wx = g_string_new(NULL);
	Walk w = { search, seen, plan->libs, wx, max };
	if (!walk(&w, elf, path, error))
		return NULL;
	plan->wx = wx->len ? g_strdup(wx->str) : NULL;
	return g_steal_pointer(&plan);
}

/* ---- what the zygote has ------------------------------------------------------ */

static gboolean add_loaded(ObjectSearch *search, const ObjectElf *elf, const char *path,
                           GError **error)
{
	for (guint i = 0; i < elf->needed->len; i++) {
		const char *name = g_ptr_array_index(elf->needed, i);
		if (!g_hash_table_add(search->loaded, g_strdup(name)))
			continue;
		g_autoptr(ObjectElf) lib = NULL;
		g_autofree char *lib_path = find_library(search, name, elf, path, &lib, error);
		if (!lib_path || !add_loaded(search, lib, lib_path, error))
			return FALSE;
	}
	return TRUE;
}

ObjectSearch *object_search_new(const char *zygote_path, GError **error)
{
	g_autoptr(ObjectSearch) search = g_new0(ObjectSearch, 1);
	search->dirs = g_ptr_array_new_with_free_func(g_free);
	search->loaded = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	read_ld_so_conf(search->dirs, LD_SO_CONF, 0);
	for (gsize i = 0; i < G_N_ELEMENTS(default_dirs); i++)
		add_dir(search->dirs, default_dirs[i]);
	g_ptr_array_add(search->dirs, NULL);

	int fd = open(zygote_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		g_set_error(error, OBJECT_ERROR, OBJECT_ERROR_LIBRARY, "%s: %s", zygote_path,
		            g_strerror(errno));
		return NULL;
	}
	g_autoptr(ObjectElf) zygote = object_elf_read(fd, zygote_path, error);
	close(fd);
	if (!zygote || !add_loaded(search, zygote, zygote_path, error))
		return NULL;
	return g_steal_pointer(&search);
}

/* ---- plans kept for a run ---------------------------------------------------- */

struct ObjectPlanCache {
	GHashTable *plans;        /* identity (see plan_key) -> ObjectPlan* */
};

ObjectPlanCache *object_plan_cache_new(void)
{
	ObjectPlanCache *cache = g_new0(ObjectPlanCache, 1);
	cache->plans = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                     (GDestroyNotify)object_plan_free);
	return cache;
}

void object_plan_cache_free(ObjectPlanCache *cache)
{
	if (!cache)
		return;
	g_hash_table_unref(cache->plans);
	g_free(cache);
}

/* What makes two openings the same object for a plan: the file (device,
 * inode), its content as the kernel dates it (size, change and
 * modification times: an object rewritten in place is another plan), and
 * the path it was opened by ($ORIGIN). */
static char *plan_key(int fd, const char *path)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return NULL;
	return g_strdup_printf("%ju:%ju:%jd:%jd.%ld:%jd.%ld:%s", (uintmax_t)st.st_dev,
	                       (uintmax_t)st.st_ino, (intmax_t)st.st_size,
	                       (intmax_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
	                       (intmax_t)st.st_ctim.tv_sec, st.st_ctim.tv_nsec, path);
}

const ObjectPlan *object_plan_cached(ObjectPlanCache *cache, const ObjectSearch *search, int fd,
                                     const char *path, guint max, GError **error)
{
	g_autofree char *key = plan_key(fd, path);
	if (!key) {
		g_set_error(error, OBJECT_ERROR, OBJECT_ERROR_LIBRARY, "%s: %s", path, g_strerror(errno));
		return NULL;
	}
	const ObjectPlan *plan = g_hash_table_lookup(cache->plans, key);
	if (plan)
		return plan;
	ObjectPlan *made = object_plan_new(search, fd, path, max, error);
	if (made)
		g_hash_table_insert(cache->plans, g_steal_pointer(&key), made);
	return made;
}
