/* child-memory.h — a string argument of a call, read from the memory of the
 * child stopped in it.
 *
 * While a seccomp notification is pending, the child's one thread is
 * blocked in the call, so what its memory holds at the address is what the
 * kernel would read: the executor reads it (process_vm_readv, else
 * /proc/PID/mem), then checks the notification is still valid
 * (SECCOMP_IOCTL_NOTIF_ID_VALID), so that a child that died meanwhile, and a
 * process that took its pid, are never read as it. The text is bounded,
 * escaped (results/child-text.h) and shown as read at the time of the call:
 * it is the child's memory, and a report never presents it as more.
 *
 * Reading another process's memory needs ptrace access to it. The children
 * are not dumpable, so that takes CAP_SYS_PTRACE: an executor run as root
 * reads them (each child has a uid of its own then); one run as an ordinary
 * user is refused (EPERM), and reports show the address instead. */
#ifndef EXPERT_EXEC_CHILD_MEMORY_H
#define EXPERT_EXEC_CHILD_MEMORY_H

#include <glib.h>
#include <sys/types.h>

/* Bytes read for one string at most: PATH_MAX. */
#define CHILD_MEMORY_STRING_MAX 4096
/* Characters of one string shown at most. */
#define CHILD_MEMORY_SHOWN_MAX 256

/* The NUL-terminated string at addr in pid's memory, at most
 * CHILD_MEMORY_STRING_MAX bytes (*complete FALSE when no NUL came within
 * them), as raw bytes without the NUL; NULL with an errno-based GError
 * (G_FILE_ERROR) when it cannot be read. Says nothing of whether pid is still
 * the child: see child_memory_still_stopped(). */
GBytes *child_memory_read_string(pid_t pid, guint64 addr, gboolean *complete, GError **error);

/* Whether the notification is still pending, i.e. the child is still
 * stopped in the call the strings were read for. */
gboolean child_memory_still_stopped(int listener_fd, guint64 notification_id);

/* The string at addr as a report shows it: quoted and escaped, at most
 * CHILD_MEMORY_SHOWN_MAX characters, "..." after the quote when cut
 * ("\"/tmp/notes.txt\"", "\"/very/long/...\"..."); NULL when unreadable. */
char *child_memory_describe_string(pid_t pid, guint64 addr);

#endif /* EXPERT_EXEC_CHILD_MEMORY_H */
