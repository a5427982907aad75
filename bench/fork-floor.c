/* fork-floor.c — the bare fork loop in a process as small as a C program
 * gets (libc only), for bench-spawn's reference row: the floor for a fork
 * server like our zygote, which is about this size.
 *
 *   bench-fork-floor N   ->   "SECONDS_PER_FORK RSS_BYTES ANON_BYTES"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long long status_kib(const char *key)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	unsigned long long v = 0;
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0)
			v = strtoull(line + strlen(key), NULL, 10);
	if (f)
		fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
	if (n < 1) {
		fprintf(stderr, "usage: bench-fork-floor N\n");
		return 2;
	}
	double t0 = now();
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0)
			_exit(0);
		int status;
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "bench-fork-floor: a child failed\n");
			return 1;
		}
	}
	double per = (now() - t0) / (double)n;
	printf("%.9f %llu %llu\n", per, status_kib("VmRSS:") * 1024, status_kib("RssAnon:") * 1024);
	return 0;
}
