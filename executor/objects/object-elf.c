/* object-elf.c — see object-elf.h. */
#include "objects/object-elf.h"

#include <elf.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>

G_DEFINE_QUARK(object-error-quark, object_error)

/* Real objects have ~10 program headers and a few dozen dynamic entries. */
#define PHNUM_MAX 256
#define DYN_MAX 4096
#define NEEDED_MAX 64
#define NAME_MAX_BYTES 4096

void object_elf_free(ObjectElf *elf)
{
	if (!elf)
		return;
	g_ptr_array_unref(elf->needed);
	g_free(elf->runpath);
	g_free(elf->rpath);
	g_free(elf->soname);
	g_free(elf->wx);
	g_free(elf);
}

static void end_elf(Elf **e)
{
	if (*e)
		elf_end(*e);
}

/* A string of the dynamic string table, checked to end inside it and be
 * printable: names end up in messages. */
static char *dyn_string(Elf_Data *strtab, guint64 offset)
{
	if (!strtab || offset >= strtab->d_size)
		return NULL;
	const char *s = (const char *)strtab->d_buf + offset;
	gsize max = MIN(strtab->d_size - offset, NAME_MAX_BYTES);
	const char *end = memchr(s, '\0', max);
	if (!end || end == s)
		return NULL;
	for (const char *c = s; c < end; c++)
		if (*c < 0x20 || *c > 0x7e)
			return NULL;
	return g_strndup(s, (gsize)(end - s));
}

/* The loader's view: W+X needs come from the program headers and the
 * dynamic section, never from sections. */
static void note_wx(ObjectElf *out, const char *why)
{
	if (!out->wx)
		out->wx = g_strdup(why);
}

static gboolean read_dynamic(Elf *e, const GElf_Phdr *dyn, const GElf_Phdr *loads, gsize n_loads,
                             ObjectElf *out, const char *name, GError **error)
{
	Elf_Data *data = elf_getdata_rawchunk(e, (int64_t)dyn->p_offset, dyn->p_filesz, ELF_T_DYN);
	if (!data) {
		g_set_error(error, OBJECT_ERROR, OBJECT_ERROR_MALFORMED,
		            "%s: its dynamic section is outside the file", name);
		return FALSE;
	}
	gsize n = MIN(data->d_size / sizeof(GElf_Dyn), DYN_MAX);
	guint64 strtab_addr = 0, strtab_size = 0;
	for (gsize i = 0; i < n; i++) {
		GElf_Dyn d;
		if (!gelf_getdyn(data, (int)i, &d) || d.d_tag == DT_NULL)
			break;
		if (d.d_tag == DT_STRTAB)
			strtab_addr = d.d_un.d_ptr;
		else if (d.d_tag == DT_STRSZ)
			strtab_size = d.d_un.d_val;
		else if (d.d_tag == DT_TEXTREL || (d.d_tag == DT_FLAGS && (d.d_un.d_val & DF_TEXTREL)))
			note_wx(out, "it has text relocations (DT_TEXTREL): the loader would write to "
			             "its code and make it executable again");
	}
	/* DT_STRTAB is an address: the file offset is that of the load segment
	 * holding it. */
	Elf_Data *strtab = NULL;
	for (gsize i = 0; i < n_loads && strtab_size; i++) {
		const GElf_Phdr *l = &loads[i];
		if (strtab_addr >= l->p_vaddr && strtab_addr - l->p_vaddr < l->p_filesz &&
		    strtab_size <= l->p_filesz - (strtab_addr - l->p_vaddr)) {
			strtab = elf_getdata_rawchunk(e, (int64_t)(l->p_offset + strtab_addr - l->p_vaddr),
			                              strtab_size, ELF_T_BYTE);
			break;
		}
	}
	if (!strtab) {
		g_set_error(error, OBJECT_ERROR, OBJECT_ERROR_MALFORMED,
		            "%s: its dynamic string table is not inside a load segment", name);
		return FALSE;
	}
	for (gsize i = 0; i < n; i++) {
		GElf_Dyn d;
		if (!gelf_getdyn(data, (int)i, &d) || d.d_tag == DT_NULL)
			break;
		char **slot = d.d_tag == DT_RUNPATH ? &out->runpath : d.d_tag == DT_RPATH ? &out->rpath
		            : d.d_tag == DT_SONAME ? &out->soname : NULL;
		if (d.d_tag != DT_NEEDED && !slot)
			continue;
		char *s = dyn_string(strtab, d.d_un.d_val);
		if (!s) {
			g_set_error(error, OBJECT_ERROR, OBJECT_ERROR_MALFORMED,
			            "%s: a name in its dynamic section is not a printable string", name);
			return FALSE;
		}
		if (d.d_tag == DT_NEEDED && out->needed->len < NEEDED_MAX) {
			g_ptr_array_add(out->needed, s);
		} else if (slot && !*slot) {
			*slot = s;
		} else {
			g_free(s);
		}
	}
	return TRUE;
}

ObjectElf *object_elf_read(int fd, const char *name, GError **error)
{
	if (elf_version(EV_CURRENT) == EV_NONE) {
		g_set_error(error, OBJECT_ERROR, OBJECT_ERROR_NOT_ELF, "libelf: %s", elf_errmsg(-1));
		return NULL;
	}
	__attribute__((cleanup(end_elf))) Elf *e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	GElf_Ehdr eh;
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh) ||
	    gelf_getclass(e) != ELFCLASS64 || eh.e_machine != EM_X86_64 ||
	    (eh.e_type != ET_DYN && eh.e_type != ET_EXEC)) {
		g_set_error(error, OBJECT_ERROR, OBJECT_ERROR_NOT_ELF,
		            "%s: not a 64-bit x86-64 ELF object", name);
		return NULL;
	}
	size_t phnum;
	if (elf_getphdrnum(e, &phnum) != 0 || phnum == 0 || phnum > PHNUM_MAX) {
		g_set_error(error, OBJECT_ERROR, OBJECT_ERROR_MALFORMED,
		            "%s: no usable program headers", name);
		return NULL;
	}
	g_autoptr(ObjectElf) out = g_new0(ObjectElf, 1);
	out->needed = g_ptr_array_new_with_free_func(g_free);
	g_autofree GElf_Phdr *loads = g_new0(GElf_Phdr, phnum);
	gsize n_loads = 0;
	GElf_Phdr dyn = { 0 };
	gboolean has_dyn = FALSE, has_stack = FALSE;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(e, (int)i, &ph)) {
			g_set_error(error, OBJECT_ERROR, OBJECT_ERROR_MALFORMED,
			            "%s: program header %zu is unreadable", name, i);
			return NULL;
		}
		if (ph.p_type == PT_LOAD) {
			loads[n_loads++] = ph;
			if ((ph.p_flags & (PF_W | PF_X)) == (PF_W | PF_X))
				note_wx(out, "it has a load segment both writable and executable (RWE)");
		} else if (ph.p_type == PT_DYNAMIC) {
			dyn = ph;
			has_dyn = TRUE;
		} else if (ph.p_type == PT_GNU_STACK) {
			has_stack = TRUE;
			if (ph.p_flags & PF_X)
				note_wx(out, "it asks for an executable stack (PT_GNU_STACK is RWE, as "
				             "-z execstack makes it)");
		}
	}
	/* glibc takes an object without PT_GNU_STACK as needing an executable
	 * stack on x86-64. */
	if (!has_stack)
		note_wx(out, "it has no PT_GNU_STACK, which the loader takes as asking for an "
		             "executable stack");
	if (has_dyn && !read_dynamic(e, &dyn, loads, n_loads, out, name, error))
		return NULL;
	return g_steal_pointer(&out);
}
