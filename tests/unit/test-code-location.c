/* test-code-location.c — instruction pointer to object and function
 * (executor/violations/code-location.c): the maps parser, symbols from real objects, and
 * the ELF reader refusing malformed files without reading out of bounds
 * (run it under ASan: the sanitizer build does). */
#include "violations/code-location.h"

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A function of this program to find; noinline so it exists on its own. */
__attribute__((noinline)) int marker_function(int x);
__attribute__((noinline)) int marker_function(int x)
{
	return x * 3 + 1;
}

static const char maps_sample[] =
	"55d0c0a00000-55d0c0a01000 r--p 00000000 fe:00 1234                       /usr/bin/test\n"
	"7f6dcd978000-7f6dcd99e000 r--p 00000000 fe:00 332835                     /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f6dcd99e000-7f6dcdaf4000 r-xp 00026000 fe:00 332835                     /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	"7f6dcdb00000-7f6dcdb01000 rwxp 00000000 00:00 0 \n"
	"7f6dcdc00000-7f6dcdc02000 r-xp 00001000 08:01 42                         /opt/my experts/e.so (deleted)\n"
	"not a maps line at all\n"
	"7f6dcdd00000-7f6dcdc00000 r-xp 00000000 00:00 0\n"
	"7ffd1c1f0000-7ffd1c1f2000 r-xp 00000000 00:00 0                          [vdso]\n";

static void test_maps_file_mapping_gives_file_offset(void)
{
	CodeLocation loc;
	g_assert_true(code_location_find_mapping(maps_sample, 0x7f6dcd99e000 + 0xecdc7, &loc));
	g_assert_cmpstr(loc.object, ==, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	g_assert_true(loc.file);
	g_assert_cmphex(loc.object_offset, ==, 0x26000 + 0xecdc7);
	g_assert_cmpuint(loc.dev_major, ==, 0xfe);
	g_assert_cmpuint(loc.dev_minor, ==, 0);
	g_assert_cmpuint(loc.inode, ==, 332835);
	g_assert_null(loc.function);
	g_autofree char *text = code_location_format(&loc);
	g_assert_cmpstr(text, ==, "libc.so.6+0x112dc7");
	code_location_clear(&loc);

	/* A path with spaces, and the kernel's mark for a deleted file. */
	g_assert_true(code_location_find_mapping(maps_sample, 0x7f6dcdc00010, &loc));
	g_assert_cmpstr(loc.object, ==, "/opt/my experts/e.so (deleted)");
	g_assert_cmphex(loc.object_offset, ==, 0x1010);
	code_location_clear(&loc);
}

static void test_maps_anonymous_and_special_mappings(void)
{
	CodeLocation loc;
	g_assert_true(code_location_find_mapping(maps_sample, 0x7f6dcdb00010, &loc));
	g_assert_cmpstr(loc.object, ==, "[anonymous]");
	g_assert_false(loc.file);
	g_autofree char *anon = code_location_format(&loc);
	g_assert_cmpstr(anon, ==, "[anonymous]+0x10");
	code_location_clear(&loc);

	g_assert_true(code_location_find_mapping(maps_sample, 0x7ffd1c1f0100, &loc));
	g_assert_cmpstr(loc.object, ==, "[vdso]");
	g_assert_cmphex(loc.object_offset, ==, 0x100);
	code_location_clear(&loc);
}

static void test_maps_address_in_no_mapping(void)
{
	CodeLocation loc;
	g_assert_false(code_location_find_mapping(maps_sample, 0x1000, &loc));
	/* End is exclusive; the line with end < start matches nothing. */
	g_assert_false(code_location_find_mapping(maps_sample, 0x7f6dcdaf4000, &loc));
	g_assert_false(code_location_find_mapping(maps_sample, 0x7f6dcdd00010, &loc));
	g_assert_false(code_location_find_mapping("", 0x1000, &loc));
	g_assert_false(code_location_find_mapping("1000-2000 r-x", 0x1800, &loc));
}

static void test_lookup_own_function(void)
{
	CodeLocation loc;
	g_autoptr(GError) error = NULL;
	g_assert_true(code_location_lookup(getpid(), (guint64)(uintptr_t)marker_function + 3, &loc,
	                                   &error));
	g_assert_no_error(error);
	g_assert_true(g_str_has_suffix(loc.object, "/test-code-location"));
	g_assert_cmpstr(loc.function, ==, "marker_function");
	g_assert_cmphex(loc.function_offset, ==, 3);
	g_autofree char *text = code_location_format(&loc);
	g_assert_cmpstr(text, ==, "test-code-location: marker_function+0x3");
	code_location_clear(&loc);
}

static void test_lookup_libc_function(void)
{
	CodeLocation loc;
	g_autoptr(GError) error = NULL;
	g_assert_true(code_location_lookup(getpid(), (guint64)(uintptr_t)getpid, &loc, &error));
	g_assert_no_error(error);
	g_autofree char *base = g_path_get_basename(loc.object);
	g_assert_cmpstr(base, ==, "libc.so.6");
	/* __getpid is global, getpid its weak alias: the global name wins. */
	g_assert_cmpstr(loc.function, ==, "__getpid");
	g_assert_cmphex(loc.function_offset, ==, 0);
	code_location_clear(&loc);
}

/* The object holding addr, as a child's LOADED would name it: the file
 * (with its device and inode) and where the loader put it (l_addr). */
static CodeObject object_of(guint64 address, char **path)
{
	Dl_info info;
	struct link_map *map = NULL;
	g_assert_true(dladdr1((const void *)(uintptr_t)address, &info, (void **)&map, RTLD_DL_LINKMAP));
	/* The program itself is named as it was run; by its file, then. */
	*path = map->l_name[0] ? g_strdup(map->l_name) : g_file_read_link("/proc/self/exe", NULL);
	struct stat st;
	g_assert_cmpint(stat(*path, &st), ==, 0);
	return (CodeObject){ *path, (guint64)st.st_dev, (guint64)st.st_ino, (guint64)map->l_addr };
}

static int a_datum = 42;

/* A claimed address named from the files the executor opened and the load
 * addresses claimed, never from the process: each object's code only. */
static void test_claim_names_function_of_its_object(void)
{
	g_autofree char *exe_path = NULL, *libc_path = NULL;
	CodeObject objects[2] = {
		object_of((guint64)(uintptr_t)getpid, &libc_path),
		object_of((guint64)(uintptr_t)marker_function, &exe_path),
	};
	g_autofree char *own = code_location_of_claim(objects, 2, (guint64)(uintptr_t)marker_function + 3);
	g_assert_cmpstr(own, ==, "test-code-location: marker_function+0x3");
	g_autofree char *lib = code_location_of_claim(objects, 2, (guint64)(uintptr_t)getpid);
	g_assert_cmpstr(lib, ==, "libc.so.6: __getpid+0");
	/* Data is no object's code; an address in no object passed is none's. */
	g_assert_null(code_location_of_claim(objects, 2, (guint64)(uintptr_t)&a_datum));
	g_assert_null(code_location_of_claim(&objects[1], 1, (guint64)(uintptr_t)getpid));
	/* A file that is not the one opened (another inode), or a load
	 * address no loader would give (not page-aligned), names nothing. */
	CodeObject moved = objects[1];
	moved.inode++;
	g_assert_null(code_location_of_claim(&moved, 1, (guint64)(uintptr_t)marker_function));
	CodeObject crooked = objects[1];
	crooked.base += 8;
	g_assert_null(code_location_of_claim(&crooked, 1, (guint64)(uintptr_t)marker_function + 8));
}

static void test_lookup_gone_process_is_unavailable(void)
{
	CodeLocation loc;
	g_autoptr(GError) error = NULL;
	/* Above pid_max (at most 2^22): no such process. */
	g_assert_false(code_location_lookup(1 << 23, 0x1000, &loc, &error));
	g_assert_error(error, CODE_LOCATION_ERROR, CODE_LOCATION_ERROR_UNAVAILABLE);
}

static void test_notification_no_longer_valid_gives_nothing(void)
{
	/* The lookup itself succeeds (our own maps), but the notification cannot
	 * be confirmed pending: nothing may be reported. */
	g_autofree char *text = code_location_of_notification(
		-1, 1, getpid(), (guint64)(uintptr_t)marker_function + 1);
	g_assert_null(text);
}

/* ---- the ELF reader on malformed objects ---------------------------------- */

typedef struct {
	char *path;
	int fd;
	GBytes *original;
	guint64 offset;       /* file offset inside marker_function */
	Elf64_Ehdr eh;
} ElfCopy;

/* A private copy of this program to corrupt. */
static void elf_copy_init(ElfCopy *c)
{
	g_autoptr(GError) error = NULL;
	CodeLocation loc;
	g_assert_true(code_location_lookup(getpid(), (guint64)(uintptr_t)marker_function + 2, &loc,
	                                   &error));
	c->offset = loc.object_offset;
	char *data;
	gsize len;
	g_assert_true(g_file_get_contents(loc.object, &data, &len, &error));
	code_location_clear(&loc);
	c->original = g_bytes_new_take(data, len);
	c->fd = g_file_open_tmp("test-code-location-XXXXXX", &c->path, &error);
	g_assert_no_error(error);
	g_assert_cmpint(write(c->fd, data, len), ==, (gssize)len);
	memcpy(&c->eh, data, sizeof(c->eh));
}

static void elf_copy_clear(ElfCopy *c)
{
	close(c->fd);
	g_unlink(c->path);
	g_free(c->path);
	g_bytes_unref(c->original);
}

static void elf_copy_patch(ElfCopy *c, guint64 offset, const void *bytes, gsize len)
{
	g_assert_cmpint(pwrite(c->fd, bytes, len, (off_t)offset), ==, (gssize)len);
}

static void elf_copy_restore(ElfCopy *c)
{
	gsize len;
	const char *data = g_bytes_get_data(c->original, &len);
	g_assert_cmpint(ftruncate(c->fd, (off_t)len), ==, 0);
	g_assert_cmpint(pwrite(c->fd, data, len, 0), ==, (gssize)len);
}

static void assert_refused(ElfCopy *c, CodeLocationErrorCode code)
{
	g_autoptr(GError) error = NULL;
	char *function = NULL;
	guint64 offset;
	g_assert_false(code_location_symbolize(c->fd, c->offset, &function, &offset, &error));
	g_assert_null(function);
	g_assert_error(error, CODE_LOCATION_ERROR, (gint)code);
	g_test_message("refused: %s", error->message);
	elf_copy_restore(c);
}

/* The section header of this program's .symtab. */
static guint64 symtab_header(ElfCopy *c, Elf64_Shdr *sh)
{
	const guint8 *data = g_bytes_get_data(c->original, NULL);
	for (guint i = 0; i < c->eh.e_shnum; i++) {
		guint64 at = c->eh.e_shoff + (guint64)i * sizeof(Elf64_Shdr);
		memcpy(sh, data + at, sizeof(*sh));
		if (sh->sh_type == SHT_SYMTAB)
			return at;
	}
	g_assert_not_reached();
}

static void test_elf_reads_intact_copy(void)
{
	ElfCopy c;
	elf_copy_init(&c);
	g_autoptr(GError) error = NULL;
	g_autofree char *function = NULL;
	guint64 offset;
	g_assert_true(code_location_symbolize(c.fd, c.offset, &function, &offset, &error));
	g_assert_cmpstr(function, ==, "marker_function");
	g_assert_cmphex(offset, ==, 2);
	elf_copy_clear(&c);
}

static void test_elf_malformed_headers_refused(void)
{
	ElfCopy c;
	elf_copy_init(&c);
	static const guint8 class32 = ELFCLASS32, big = ELFDATA2MSB;
	elf_copy_patch(&c, EI_CLASS, &class32, 1);
	assert_refused(&c, CODE_LOCATION_ERROR_BAD_OBJECT);
	elf_copy_patch(&c, EI_DATA, &big, 1);
	assert_refused(&c, CODE_LOCATION_ERROR_BAD_OBJECT);
	guint16 machine = EM_AARCH64;
	elf_copy_patch(&c, G_STRUCT_OFFSET(Elf64_Ehdr, e_machine), &machine, 2);
	assert_refused(&c, CODE_LOCATION_ERROR_BAD_OBJECT);
	guint64 far = G_MAXUINT64 - 8;
	elf_copy_patch(&c, G_STRUCT_OFFSET(Elf64_Ehdr, e_phoff), &far, 8);
	assert_refused(&c, CODE_LOCATION_ERROR_BAD_OBJECT);
	elf_copy_patch(&c, G_STRUCT_OFFSET(Elf64_Ehdr, e_shoff), &far, 8);
	assert_refused(&c, CODE_LOCATION_ERROR_BAD_OBJECT);
	guint16 many = 0xffff; /* PN_XNUM */
	elf_copy_patch(&c, G_STRUCT_OFFSET(Elf64_Ehdr, e_phnum), &many, 2);
	assert_refused(&c, CODE_LOCATION_ERROR_BAD_OBJECT);
	guint16 odd = 40;
	elf_copy_patch(&c, G_STRUCT_OFFSET(Elf64_Ehdr, e_shentsize), &odd, 2);
	assert_refused(&c, CODE_LOCATION_ERROR_BAD_OBJECT);
	/* Cut inside the program headers. */
	g_assert_cmpint(ftruncate(c.fd, (off_t)(c.eh.e_phoff + 10)), ==, 0);
	assert_refused(&c, CODE_LOCATION_ERROR_BAD_OBJECT);
	g_assert_cmpint(ftruncate(c.fd, 10), ==, 0);
	assert_refused(&c, CODE_LOCATION_ERROR_BAD_OBJECT);
	elf_copy_clear(&c);
}

static void test_elf_malformed_symbol_tables_refused(void)
{
	ElfCopy c;
	elf_copy_init(&c);
	Elf64_Shdr sh;
	guint64 at = symtab_header(&c, &sh);

	guint32 link = c.eh.e_shnum + 5;
	elf_copy_patch(&c, at + G_STRUCT_OFFSET(Elf64_Shdr, sh_link), &link, 4);
	assert_refused(&c, CODE_LOCATION_ERROR_BAD_OBJECT);
	guint64 entsize = 16;
	elf_copy_patch(&c, at + G_STRUCT_OFFSET(Elf64_Shdr, sh_entsize), &entsize, 8);
	assert_refused(&c, CODE_LOCATION_ERROR_BAD_OBJECT);
	guint64 size = (G_MAXUINT64 / sizeof(Elf64_Sym)) * sizeof(Elf64_Sym);
	elf_copy_patch(&c, at + G_STRUCT_OFFSET(Elf64_Shdr, sh_size), &size, 8);
	assert_refused(&c, CODE_LOCATION_ERROR_BAD_OBJECT);
	guint64 offset = G_MAXUINT64 - 16;
	elf_copy_patch(&c, at + G_STRUCT_OFFSET(Elf64_Shdr, sh_offset), &offset, 8);
	assert_refused(&c, CODE_LOCATION_ERROR_BAD_OBJECT);

	/* A table inside the (sparse) file, but larger than we read. */
	g_assert_cmpint(ftruncate(c.fd, 256 << 20), ==, 0);
	offset = 0;
	size = (guint64)(200 << 20) / sizeof(Elf64_Sym) * sizeof(Elf64_Sym);
	elf_copy_patch(&c, at + G_STRUCT_OFFSET(Elf64_Shdr, sh_offset), &offset, 8);
	elf_copy_patch(&c, at + G_STRUCT_OFFSET(Elf64_Shdr, sh_size), &size, 8);
	assert_refused(&c, CODE_LOCATION_ERROR_BAD_OBJECT);
	elf_copy_clear(&c);
}

/* Random corruption of the headers and the symbol table: every answer is a
 * clean refusal or a printable name, and nothing is read out of bounds. */
static void test_elf_random_corruption_never_misreads(void)
{
	ElfCopy c;
	elf_copy_init(&c);
	Elf64_Shdr sh;
	symtab_header(&c, &sh);
	struct {
		guint64 start, len;
	} regions[] = {
		{ 0, sizeof(Elf64_Ehdr) },
		{ c.eh.e_phoff, (guint64)c.eh.e_phnum * sizeof(Elf64_Phdr) },
		{ c.eh.e_shoff, (guint64)c.eh.e_shnum * sizeof(Elf64_Shdr) },
		{ sh.sh_offset, MIN(sh.sh_size, 8192) },
	};
	GRand *rand = g_rand_new_with_seed(20240601);
	guint refused = 0, named = 0;
	for (int round = 0; round < 3000; round++) {
		int n = g_rand_int_range(rand, 1, 5);
		for (int k = 0; k < n; k++) {
			guint r = (guint)g_rand_int_range(rand, 0, G_N_ELEMENTS(regions));
			guint64 at = regions[r].start + (guint64)g_rand_int_range(rand, 0, (gint32)regions[r].len);
			guint8 byte = (guint8)g_rand_int_range(rand, 0, 256);
			elf_copy_patch(&c, at, &byte, 1);
		}
		g_autoptr(GError) error = NULL;
		g_autofree char *function = NULL;
		guint64 offset;
		if (code_location_symbolize(c.fd, c.offset, &function, &offset, &error)) {
			g_assert_nonnull(function);
			for (const char *p = function; *p; p++)
				g_assert_true(*p >= 0x20 && *p < 0x7f);
			named++;
		} else {
			g_assert_null(function);
			g_assert_nonnull(error);
			refused++;
		}
		elf_copy_restore(&c);
	}
	g_test_message("%u refused, %u named", refused, named);
	g_assert_cmpuint(refused, >, 0);
	g_assert_cmpuint(named, >, 0);
	g_rand_free(rand);
	elf_copy_clear(&c);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/code-location/maps/file-mapping-gives-file-offset",
	                test_maps_file_mapping_gives_file_offset);
	g_test_add_func("/code-location/maps/anonymous-and-special-mappings",
	                test_maps_anonymous_and_special_mappings);
	g_test_add_func("/code-location/maps/address-in-no-mapping", test_maps_address_in_no_mapping);
	g_test_add_func("/code-location/lookup/own-function", test_lookup_own_function);
	g_test_add_func("/code-location/lookup/libc-function", test_lookup_libc_function);
	g_test_add_func("/code-location/lookup/gone-process-is-unavailable",
	                test_lookup_gone_process_is_unavailable);
	g_test_add_func("/code-location/notification-no-longer-valid-gives-nothing",
	                test_notification_no_longer_valid_gives_nothing);
	g_test_add_func("/code-location/elf/reads-intact-copy", test_elf_reads_intact_copy);
	g_test_add_func("/code-location/claim/names-the-function-of-its-object",
	                test_claim_names_function_of_its_object);
	g_test_add_func("/code-location/elf/malformed-headers-refused",
	                test_elf_malformed_headers_refused);
	g_test_add_func("/code-location/elf/malformed-symbol-tables-refused",
	                test_elf_malformed_symbol_tables_refused);
	g_test_add_func("/code-location/elf/random-corruption-never-misreads",
	                test_elf_random_corruption_never_misreads);
	return g_test_run();
}
