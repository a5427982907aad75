/* object-elf.h — what the loader will find in a shared object, read with
 * libelf from a descriptor: the libraries it names (DT_NEEDED), where it
 * says to look for them (DT_RUNPATH, DT_RPATH), its own name (DT_SONAME),
 * and whatever in it asks for memory to be writable and executable at once.
 * The file is hostile: every count and offset is bounded by libelf's checks
 * and ours, and an error names the file. */
#ifndef EXPERT_EXEC_OBJECT_ELF_H
#define EXPERT_EXEC_OBJECT_ELF_H

#include <glib.h>

#define OBJECT_ERROR (object_error_quark())
GQuark object_error_quark(void);

typedef enum {
	OBJECT_ERROR_NOT_ELF,        /* not a 64-bit shared object for this machine */
	OBJECT_ERROR_MALFORMED,      /* headers or dynamic section out of bounds */
	OBJECT_ERROR_LIBRARY,        /* a needed library not found, or not loadable by descriptor */
} ObjectError;

typedef struct {
	GPtrArray *needed;           /* char*, DT_NEEDED in order */
	char *runpath;               /* DT_RUNPATH, or NULL */
	char *rpath;                 /* DT_RPATH, or NULL (ignored by ld.so when runpath is set) */
	char *soname;                /* DT_SONAME, or NULL */
	char *wx;                    /* why loading it would need W+X memory, or NULL */
} ObjectElf;

/* Reads the object open at fd; name is for messages. */
ObjectElf *object_elf_read(int fd, const char *name, GError **error);
void object_elf_free(ObjectElf *elf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ObjectElf, object_elf_free)

#endif /* EXPERT_EXEC_OBJECT_ELF_H */
