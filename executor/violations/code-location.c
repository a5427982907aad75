/* code-location.c — instruction pointer to object and function (see
 * code-location.h). */
#include "violations/code-location.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

G_DEFINE_QUARK(code-location-error-quark, code_location_error)

/* A process's maps are one line per mapping; a child bounded by its
 * descriptors and memory has far fewer than this many bytes of them. */
#define MAPS_MAX (8u << 20)
/* What one object may make us read, headers and symbol tables together:
 * libc's .dynsym and .dynstr are ~100 KiB, an expert's .symtab less. */
#define ELF_READ_MAX (4u << 20)
/* Real objects have ~10 program headers and ~40 sections. */
#define ELF_PHNUM_MAX 256
#define ELF_SHNUM_MAX 4096
/* Names are shown to people: long enough for C++ symbols, no longer. */
#define NAME_SHOWN_MAX 160

void code_location_clear(CodeLocation *loc)
{
	g_clear_pointer(&loc->object, g_free);
	g_clear_pointer(&loc->function, g_free);
}

/* Printable ASCII only: names come from files the child chose, and end up
 * on terminals. */
static char *printable(const char *s, gsize len)
{
	gsize n = MIN(len, NAME_SHOWN_MAX);
	GString *out = g_string_sized_new(n + 3);
	for (gsize i = 0; i < n; i++)
		g_string_append_c(out, s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?');
	if (n < len)
		g_string_append(out, "...");
	return g_string_free(out, FALSE);
}

/* ---- /proc/PID/maps ------------------------------------------------------ */

static gboolean parse_hex(const char **p, char end, guint64 *value)
{
	char *after;
	if (!g_ascii_isxdigit(**p))
		return FALSE;
	errno = 0;
	*value = g_ascii_strtoull(*p, &after, 16);
	if (errno || *after != end)
		return FALSE;
	*p = after + 1;
	return TRUE;
}

/* "start-end perms offset major:minor inode   path" */
static gboolean parse_maps_line(const char *line, guint64 address, CodeLocation *loc)
{
	const char *p = line;
	guint64 start, end, offset, major, minor, inode;
	if (!parse_hex(&p, '-', &start) || !parse_hex(&p, ' ', &end))
		return FALSE;
	if (address < start || address >= end)
		return FALSE;
	const char *perms = p;
	if (strlen(perms) < 5 || perms[4] != ' ')
		return FALSE;
	p += 5;
	if (!parse_hex(&p, ' ', &offset) || !parse_hex(&p, ':', &major) || !parse_hex(&p, ' ', &minor))
		return FALSE;
	char *after;
	if (!g_ascii_isdigit(*p))
		return FALSE;
	errno = 0;
	inode = g_ascii_strtoull(p, &after, 10);
	if (errno || (*after != ' ' && *after != '\0'))
		return FALSE;
	p = after;
	while (*p == ' ')
		p++;

	loc->file = inode != 0 && p[0] == '/';
	loc->object = g_strdup(*p ? p : "[anonymous]");
	loc->object_offset = address - start + (loc->file ? offset : 0);
	loc->dev_major = major;
	loc->dev_minor = minor;
	loc->inode = inode;
	loc->function = NULL;
	loc->function_offset = 0;
	return TRUE;
}

gboolean code_location_find_mapping(const char *maps_text, guint64 address, CodeLocation *loc)
{
	memset(loc, 0, sizeof(*loc));
	g_auto(GStrv) lines = g_strsplit(maps_text, "\n", -1);
	for (char **line = lines; *line; line++)
		if (parse_maps_line(*line, address, loc))
			return TRUE;
	return FALSE;
}

static char *read_maps(pid_t pid, GError **error)
{
	char path[64];
	g_snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		g_set_error(error, CODE_LOCATION_ERROR, CODE_LOCATION_ERROR_UNAVAILABLE,
		            "cannot open %s: %s%s", path, g_strerror(e),
		            e == EACCES ? " (the child is not dumpable: reading its maps needs "
		                          "CAP_SYS_PTRACE)" : "");
		return NULL;
	}
	GString *text = g_string_new(NULL);
	char buf[16384];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			/* EACCES, ESRCH here too: /proc checks on read as well. */
			g_set_error(error, CODE_LOCATION_ERROR, CODE_LOCATION_ERROR_UNAVAILABLE,
			            "cannot read %s: %s", path, g_strerror(errno));
			close(fd);
			g_string_free(text, TRUE);
			return NULL;
		}
		if (n == 0 || text->len + (gsize)n > MAPS_MAX)
			break; /* a mapping past the limit is simply not found */
		g_string_append_len(text, buf, n);
	}
	close(fd);
	return g_string_free(text, FALSE);
}

/* ---- ELF ------------------------------------------------------------------ */

typedef struct {
	int fd;
	guint64 size;      /* of the file */
	guint64 budget;    /* bytes we may still read */
} ElfFile;

static gboolean refuse(GError **error, const char *why)
{
	g_set_error(error, CODE_LOCATION_ERROR, CODE_LOCATION_ERROR_BAD_OBJECT,
	            "not an object we read: %s", why);
	return FALSE;
}

/* Exactly len bytes at offset, all inside the file and the budget. */
static gboolean elf_read(ElfFile *f, guint64 offset, guint64 len, void *buf, GError **error)
{
	if (offset > f->size || len > f->size - offset)
		return refuse(error, "a table extends past the end of the file");
	if (len > f->budget)
		return refuse(error, "its headers and symbol tables are over the read limit");
	f->budget -= len;
	for (guint64 done = 0; done < len;) {
		ssize_t n = pread(f->fd, (char *)buf + done, len - done, (off_t)(offset + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return refuse(error, n < 0 ? g_strerror(errno) : "the file shrank");
		done += (guint64)n;
	}
	return TRUE;
}

static void *elf_read_alloc(ElfFile *f, guint64 offset, guint64 len, GError **error)
{
	if (len == 0 || len > f->budget) {
		refuse(error, len ? "its headers and symbol tables are over the read limit"
		                  : "an empty table");
		return NULL;
	}
	void *buf = g_malloc(len);
	if (!elf_read(f, offset, len, buf, error)) {
		g_free(buf);
		return NULL;
	}
	return buf;
}

static gboolean check_header(const Elf64_Ehdr *eh, GError **error)
{
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return refuse(error, "no ELF magic");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return refuse(error, "not little-endian ELF64, version 1");
	if ((eh->e_type != ET_DYN && eh->e_type != ET_EXEC) || eh->e_machine != EM_X86_64)
		return refuse(error, "not an x86-64 executable or shared object");
	if (eh->e_ehsize != sizeof(Elf64_Ehdr) || eh->e_phentsize != sizeof(Elf64_Phdr))
		return refuse(error, "odd header sizes");
	if (eh->e_phnum == 0 || eh->e_phnum > ELF_PHNUM_MAX)
		return refuse(error, "odd number of program headers");
	if (eh->e_shnum != 0 && eh->e_shentsize != sizeof(Elf64_Shdr))
		return refuse(error, "odd section header size");
	if (eh->e_shnum > ELF_SHNUM_MAX)
		return refuse(error, "too many sections");
	return TRUE;
}

/* The virtual address the loader gave file offset off: through the PT_LOAD
 * segment whose file bytes hold it. */
static gboolean offset_to_vaddr(const Elf64_Phdr *ph, guint n, guint64 off, guint64 *vaddr)
{
	for (guint i = 0; i < n; i++) {
		if (ph[i].p_type != PT_LOAD || off < ph[i].p_offset)
			continue;
		guint64 delta = off - ph[i].p_offset;
		if (delta >= ph[i].p_filesz || ph[i].p_vaddr > G_MAXUINT64 - delta)
			continue;
		*vaddr = ph[i].p_vaddr + delta;
		return TRUE;
	}
	return FALSE;
}

/* Whether vaddr is in a segment the loader maps executable. */
static gboolean vaddr_in_code(const Elf64_Phdr *ph, guint n, guint64 vaddr)
{
	for (guint i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) && vaddr >= ph[i].p_vaddr &&
		    vaddr - ph[i].p_vaddr < ph[i].p_memsz)
			return TRUE;
	return FALSE;
}

typedef struct {
	int score;          /* global 3, weak 2, local 1 */
	char *name;
	guint64 offset;
} BestSymbol;

static int binding_score(unsigned char info)
{
	switch (ELF64_ST_BIND(info)) {
	case STB_GLOBAL: return 3; /* __socket rather than its weak alias socket */
	case STB_WEAK: return 2;
	case STB_LOCAL: return 1;
	default: return 0;
	}
}

static gboolean search_symbols(ElfFile *f, const Elf64_Shdr *sh, guint n_sh, guint index,
                               guint64 vaddr, BestSymbol *best, GError **error)
{
	const Elf64_Shdr *s = &sh[index];
	if (s->sh_entsize != sizeof(Elf64_Sym) || s->sh_size % sizeof(Elf64_Sym) != 0)
		return refuse(error, "odd symbol table entry size");
	if (s->sh_link == 0 || s->sh_link >= n_sh || sh[s->sh_link].sh_type != SHT_STRTAB)
		return refuse(error, "a symbol table without its string table");
	const Elf64_Shdr *str = &sh[s->sh_link];
	if (s->sh_size == 0)
		return TRUE;
	g_autofree Elf64_Sym *syms = elf_read_alloc(f, s->sh_offset, s->sh_size, error);
	if (!syms)
		return FALSE;
	g_autofree char *strtab = elf_read_alloc(f, str->sh_offset, str->sh_size, error);
	if (!strtab)
		return FALSE;
	guint64 n = s->sh_size / sizeof(Elf64_Sym);
	for (guint64 i = 0; i < n; i++) {
		const Elf64_Sym *sym = &syms[i];
		int score = binding_score(sym->st_info);
		if (ELF64_ST_TYPE(sym->st_info) != STT_FUNC || score <= best->score ||
		    sym->st_shndx == SHN_UNDEF || sym->st_shndx >= SHN_LORESERVE ||
		    sym->st_size == 0 || vaddr < sym->st_value || vaddr - sym->st_value >= sym->st_size)
			continue;
		/* A name must start and end (NUL) inside the string table. */
		if (sym->st_name == 0 || sym->st_name >= str->sh_size)
			continue;
		const char *name = strtab + sym->st_name;
		const char *nul = memchr(name, '\0', str->sh_size - sym->st_name);
		if (!nul || nul == name)
			continue;
		g_free(best->name);
		best->name = printable(name, (gsize)(nul - name));
		best->score = score;
		best->offset = vaddr - sym->st_value;
	}
	return TRUE;
}

/* The headers of the object open on fd and the virtual address to look
 * up: file_offset's (by_vaddr FALSE) or address itself, which must then be
 * in an executable PT_LOAD segment. */
static gboolean symbolize(int fd, guint64 address, gboolean by_vaddr, char **function,
                          guint64 *function_offset, GError **error)
{
	*function = NULL;
	*function_offset = 0;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return refuse(error, "not a regular file");
	ElfFile f = { fd, (guint64)st.st_size, ELF_READ_MAX };

	Elf64_Ehdr eh;
	if (!elf_read(&f, 0, sizeof(eh), &eh, error) || !check_header(&eh, error))
		return FALSE;
	g_autofree Elf64_Phdr *ph =
		elf_read_alloc(&f, eh.e_phoff, (guint64)eh.e_phnum * sizeof(Elf64_Phdr), error);
	if (!ph)
		return FALSE;
	guint64 vaddr = address;
	if (by_vaddr && !vaddr_in_code(ph, eh.e_phnum, vaddr)) {
		g_set_error(error, CODE_LOCATION_ERROR, CODE_LOCATION_ERROR_NOT_MAPPED,
		            "address %#" G_GINT64_MODIFIER "x is in no executable segment", vaddr);
		return FALSE;
	}
	if (!by_vaddr && !offset_to_vaddr(ph, eh.e_phnum, address, &vaddr)) {
		g_set_error(error, CODE_LOCATION_ERROR, CODE_LOCATION_ERROR_NO_SYMBOL,
		            "file offset %#" G_GINT64_MODIFIER "x is in no loadable segment", address);
		return FALSE;
	}
	if (eh.e_shnum == 0) {
		g_set_error(error, CODE_LOCATION_ERROR, CODE_LOCATION_ERROR_NO_SYMBOL,
		            "no section headers, so no symbol tables");
		return FALSE;
	}
	g_autofree Elf64_Shdr *sh =
		elf_read_alloc(&f, eh.e_shoff, (guint64)eh.e_shnum * sizeof(Elf64_Shdr), error);
	if (!sh)
		return FALSE;

	BestSymbol best = { 0, NULL, 0 };
	for (guint i = 0; i < eh.e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB && sh[i].sh_type != SHT_DYNSYM)
			continue;
		if (!search_symbols(&f, sh, eh.e_shnum, i, vaddr, &best, error)) {
			g_free(best.name);
			return FALSE;
		}
	}
	if (!best.name) {
		g_set_error(error, CODE_LOCATION_ERROR, CODE_LOCATION_ERROR_NO_SYMBOL,
		            "no function symbol covers address %#" G_GINT64_MODIFIER "x", vaddr);
		return FALSE;
	}
	*function = best.name;
	*function_offset = best.offset;
	return TRUE;
}

gboolean code_location_symbolize(int fd, guint64 file_offset, char **function,
                                 guint64 *function_offset, GError **error)
{
	return symbolize(fd, file_offset, FALSE, function, function_offset, error);
}

gboolean code_location_symbolize_vaddr(int fd, guint64 vaddr, char **function,
                                       guint64 *function_offset, GError **error)
{
	return symbolize(fd, vaddr, TRUE, function, function_offset, error);
}

/* ---- a live process ------------------------------------------------------ */

/* The file the maps name, if it is still the inode mapped: stat first, so
 * nothing but a regular file is ever opened (opening a device can act). */
static int open_mapped_file(const CodeLocation *loc, GError **error)
{
	struct stat st, again;
	int fd = -1;
	if (stat(loc->object, &st) == 0 && S_ISREG(st.st_mode) && st.st_ino == loc->inode &&
	    major(st.st_dev) == loc->dev_major && minor(st.st_dev) == loc->dev_minor)
		fd = open(loc->object, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
	if (fd >= 0 && (fstat(fd, &again) < 0 || again.st_ino != st.st_ino ||
	                again.st_dev != st.st_dev)) {
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		g_set_error(error, CODE_LOCATION_ERROR, CODE_LOCATION_ERROR_BAD_OBJECT,
		            "%s is no longer the file mapped (deleted, replaced or unreadable)",
		            loc->object);
	return fd;
}

gboolean code_location_lookup(pid_t pid, guint64 address, CodeLocation *loc, GError **error)
{
	memset(loc, 0, sizeof(*loc));
	g_autofree char *maps = read_maps(pid, error);
	if (!maps)
		return FALSE;
	if (!code_location_find_mapping(maps, address, loc)) {
		g_set_error(error, CODE_LOCATION_ERROR, CODE_LOCATION_ERROR_NOT_MAPPED,
		            "no mapping of process %d holds %#" G_GINT64_MODIFIER "x", (int)pid, address);
		return FALSE;
	}
	if (!loc->file)
		return TRUE;
	g_autoptr(GError) why = NULL;
	int fd = open_mapped_file(loc, &why);
	if (fd >= 0) {
		code_location_symbolize(fd, loc->object_offset, &loc->function, &loc->function_offset,
		                        &why);
		close(fd);
	}
	if (why)
		g_debug("%s+%#" G_GINT64_MODIFIER "x: no function: %s", loc->object, loc->object_offset,
		        why->message);
	return TRUE;
}

char *code_location_format(const CodeLocation *loc)
{
	g_autofree char *base = loc->file ? g_path_get_basename(loc->object) : g_strdup(loc->object);
	g_autofree char *object = printable(base, strlen(base));
	if (loc->function)
		return g_strdup_printf("%s: %s+%#" G_GINT64_MODIFIER "x", object, loc->function,
		                       loc->function_offset);
	return g_strdup_printf("%s+%#" G_GINT64_MODIFIER "x", object, loc->object_offset);
}

char *code_location_of_notification(int listener_fd, guint64 notification_id, pid_t pid,
                                    guint64 instruction_pointer)
{
	if (instruction_pointer == 0)
		return NULL;
	/* The pointer is just past the syscall instruction: look up the byte
	 * before, so a syscall ending its function still counts as in it. */
	CodeLocation loc;
	g_autoptr(GError) error = NULL;
	if (!code_location_lookup(pid, instruction_pointer - 1, &loc, &error)) {
		g_debug("no location for ip %#" G_GINT64_MODIFIER "x: %s", instruction_pointer,
		        error->message);
		return NULL;
	}
	/* Still pending means the child was blocked in this call all along, so
	 * the maps read were its own and not those of a process that took its
	 * pid after it died. */
	guint64 id = notification_id;
	if (ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) < 0) {
		g_debug("no location for ip %#" G_GINT64_MODIFIER "x: the notification ended (%s)",
		        instruction_pointer, g_strerror(errno));
		code_location_clear(&loc);
		return NULL;
	}
	loc.object_offset++;
	if (loc.function)
		loc.function_offset++;
	char *text = code_location_format(&loc);
	code_location_clear(&loc);
	return text;
}

/* ---- a claimed address ---------------------------------------------------- */

/* The file path names, if it is still the one the executor opened for the
 * job (a regular file of the same device and inode). The path is the
 * operator's, never the child's; O_NONBLOCK all the same, in case it has
 * become a FIFO. */
static int open_loaded_file(const CodeObject *object)
{
	int fd = open(object->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	                (guint64)st.st_dev != object->dev || (guint64)st.st_ino != object->inode)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

char *code_location_of_claim(const CodeObject *objects, guint n, guint64 address)
{
	for (guint i = 0; i < n; i++) {
		const CodeObject *o = &objects[i];
		/* l_addr is the difference between where an object was put and
		 * the addresses it was linked for: page-aligned, or a lie. */
		if (o->base % 4096 != 0 || address < o->base)
			continue;
		int fd = open_loaded_file(o);
		if (fd < 0) {
			g_debug("%s: not the file loaded any more", o->path);
			continue;
		}
		CodeLocation loc = {
			.object = (char *)o->path,
			.object_offset = address - o->base,
			.file = TRUE,
		};
		g_autoptr(GError) error = NULL;
		gboolean found = symbolize(fd, address - o->base, TRUE, &loc.function,
		                           &loc.function_offset, &error);
		close(fd);
		if (!found && g_error_matches(error, CODE_LOCATION_ERROR, CODE_LOCATION_ERROR_NOT_MAPPED))
			continue;
		/* In this object's code, with or without a symbol to name. */
		char *text = code_location_format(&loc);
		g_free(loc.function);
		return text;
	}
	return NULL;
}
