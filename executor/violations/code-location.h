/* code-location.h — which object and function an instruction pointer of a
 * child is in: "libc.so.6: __socket+0xb".
 *
 * For a sandbox violation the executor has the instruction pointer from the
 * kernel (seccomp notification data). While the notification is pending the
 * child is blocked in that very syscall, alive and unchanged, so its
 * /proc/PID/maps says which file is mapped there and at what offset; the
 * function comes from that file's ELF symbol tables (.symtab, else
 * .dynsym). Nothing is read from the child's memory and nothing the child
 * wrote is believed: the maps come from the kernel, the symbols from the file
 * the kernel names (checked to be the very inode mapped), parsed as the
 * untrusted input it is.
 *
 * The instruction pointer of a syscall is the instruction just after the
 * `syscall` instruction, which is usually in libc's wrapper, not in the
 * expert's own code; the caller is not shown (that would take reading the
 * child's stack).
 *
 * Reading another process's maps needs ptrace read access: the children are
 * not dumpable, so an executor without CAP_SYS_PTRACE (not root) gets no
 * location, and reports say nothing rather than something unchecked. */
#ifndef EXPERT_EXEC_CODE_LOCATION_H
#define EXPERT_EXEC_CODE_LOCATION_H

#include <glib.h>
#include <sys/types.h>

#define CODE_LOCATION_ERROR (code_location_error_quark())
GQuark code_location_error_quark(void);
typedef enum {
	CODE_LOCATION_ERROR_UNAVAILABLE, /* /proc refused, or the process is gone */
	CODE_LOCATION_ERROR_NOT_MAPPED,  /* no mapping holds the address */
	CODE_LOCATION_ERROR_BAD_OBJECT,  /* the file is not an ELF we read, or changed */
	CODE_LOCATION_ERROR_NO_SYMBOL,   /* no function symbol covers the address */
} CodeLocationErrorCode;

typedef struct {
	char *object;             /* mapped file's path, "[vdso]", "[anonymous]", ... */
	guint64 object_offset;    /* of the address: in the file, or in the mapping */
	gboolean file;            /* object is a file; object_offset a file offset */
	guint64 dev_major, dev_minor, inode;  /* of the mapped file, from the maps */
	char *function;           /* the symbol covering the address, or NULL */
	guint64 function_offset;  /* of the address from the function's start */
} CodeLocation;

void code_location_clear(CodeLocation *loc);

/* Pure: the mapping of maps_text (the text of a /proc/PID/maps) holding
 * address; fills every field but function. FALSE if none does. */
gboolean code_location_find_mapping(const char *maps_text, guint64 address, CodeLocation *loc);

/* The function of the ELF64 x86-64 object open on fd that holds file offset
 * file_offset, and the offset from its start. Reads at most a few MiB;
 * anything malformed is refused with CODE_LOCATION_ERROR_BAD_OBJECT. */
gboolean code_location_symbolize(int fd, guint64 file_offset, char **function,
                                 guint64 *function_offset, GError **error);

/* The same for a virtual address of the object (as linked), which must be
 * in one of its executable segments (CODE_LOCATION_ERROR_NOT_MAPPED if
 * not). */
gboolean code_location_symbolize_vaddr(int fd, guint64 vaddr, char **function,
                                       guint64 *function_offset, GError **error);

/* Both, for a live process: pid's maps, then the mapped file (which must
 * still be the inode mapped). TRUE with function NULL when the mapping is
 * found but no symbol is. */
gboolean code_location_lookup(pid_t pid, guint64 address, CodeLocation *loc, GError **error);

/* "libc.so.6: __socket+0xb", "misbehave-socket.so+0x1139" without a
 * function, "[anonymous]+0x10"; only printable ASCII. */
char *code_location_format(const CodeLocation *loc);

/* For the syscall of a pending seccomp notification: looks up pid's
 * instruction pointer, then checks the notification id is still valid on
 * listener_fd, so that a pid that died and was reused meanwhile can never be
 * reported as the child's. The text, or NULL (with a g_debug of why). */
char *code_location_of_notification(int listener_fd, guint64 notification_id, pid_t pid,
                                    guint64 instruction_pointer);

/* An object a job loaded: the file the executor opened for it (its path,
 * device and inode when opened) and the load address the child reported
 * for it (LOADED, a claim). */
typedef struct {
	const char *path;
	guint64 dev, inode;
	guint64 base;
} CodeObject;

/* For an address the child claims (a FAULT's instruction pointer): the
 * object among these whose executable segments, at the claimed load
 * address, hold it, and its function: "counter.so: expert_run+0x1d". Each
 * file is opened again by path and used only if it is still the inode
 * opened for the job. NULL when no object holds the address (libc and
 * libexpert are the zygote's, not among them) or none can be read. Read
 * from the files, never from the child: a lying child can only make it
 * name another place in its own objects. */
char *code_location_of_claim(const CodeObject *objects, guint n, guint64 address);

#endif /* EXPERT_EXEC_CODE_LOCATION_H */
