/* resources.c — see resources.h. */
#include "jobs/resources.h"

#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

void resources_snapshot(const Pool *pool, ResourceSnapshot *out)
{
	struct rusage ru;
	out->cpu_usec = 0;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		out->cpu_usec = (guint64)ru.ru_utime.tv_sec * 1000000u + (guint64)ru.ru_utime.tv_usec +
		                (guint64)ru.ru_stime.tv_sec * 1000000u + (guint64)ru.ru_stime.tv_usec;
	out->open_fds = 0;
	GDir *dir = g_dir_open("/proc/self/fd", 0, NULL);
	if (dir) {
		while (g_dir_read_name(dir))
			out->open_fds++;
		g_dir_close(dir);
		out->open_fds--; /* the directory's own descriptor */
	}
	out->rss_bytes = 0;
	FILE *f = fopen("/proc/self/statm", "re");
	if (f) {
		unsigned long size, resident;
		if (fscanf(f, "%lu %lu", &size, &resident) == 2)
			out->rss_bytes = (guint64)resident * (guint64)sysconf(_SC_PAGESIZE);
		fclose(f);
	}
	out->pool_regions = pool ? pool_regions_outstanding(pool) : 0;
	out->pool_bytes = pool ? pool_bytes_reserved(pool) : 0;
}
