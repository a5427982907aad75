/* child-memory.c — see child-memory.h. */
#include "violations/child-memory.h"

#include "results/child-text.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

/* Reads up to len bytes at addr: process_vm_readv, which stops at the first
 * unreadable page, else /proc/PID/mem (a kernel or sandbox without the
 * syscall). Returns the bytes read, or -1 with errno. */
static ssize_t read_some(pid_t pid, guint64 addr, void *buf, gsize len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
	if (n >= 0 || errno != ENOSYS)
		return n;
	char path[64];
	g_snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = pread(fd, buf, len, (off_t)addr);
	int saved = errno;
	close(fd);
	errno = saved;
	return n;
}

GBytes *child_memory_read_string(pid_t pid, guint64 addr, gboolean *complete, GError **error)
{
	g_autofree char *buf = g_malloc(CHILD_MEMORY_STRING_MAX);
	gsize got = 0;
	long page = sysconf(_SC_PAGESIZE);
	*complete = FALSE;
	if (addr == 0) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAULT, "NULL pointer");
		return NULL;
	}
	/* A page at a time: the string may end just before an unmapped page. */
	while (got < CHILD_MEMORY_STRING_MAX) {
		guint64 at = addr + got;
		if (at < addr)
			break; /* wrapped around the address space */
		gsize chunk = (gsize)(page - (long)(at % (guint64)page));
		chunk = MIN(chunk, CHILD_MEMORY_STRING_MAX - got);
		ssize_t n = read_some(pid, at, buf + got, chunk);
		if (n <= 0) {
			if (got > 0)
				break; /* what was readable, without its end */
			int e = n < 0 ? errno : EFAULT;
			g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "cannot read %#"
			            G_GINT64_MODIFIER "x in process %d: %s", addr, (int)pid, g_strerror(e));
			return NULL;
		}
		char *nul = memchr(buf + got, '\0', (gsize)n);
		if (nul) {
			*complete = TRUE;
			return g_bytes_new(buf, (gsize)(nul - buf));
		}
		got += (gsize)n;
		if ((gsize)n < chunk)
			break;
	}
	return g_bytes_new(buf, got);
}

gboolean child_memory_still_stopped(int listener_fd, guint64 notification_id)
{
	guint64 id = notification_id;
	return ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

char *child_memory_describe_string(pid_t pid, guint64 addr)
{
	gboolean complete;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = child_memory_read_string(pid, addr, &complete, &error);
	if (!bytes) {
		g_debug("%s", error->message);
		return NULL;
	}
	gsize len;
	const char *data = g_bytes_get_data(bytes, &len);
	gboolean cut;
	g_autofree char *text = child_text_escape(data, len, CHILD_MEMORY_SHOWN_MAX, CHILD_TEXT_QUOTE, &cut);
	return g_strdup_printf("\"%s\"%s", text, cut || !complete ? "..." : "");
}
