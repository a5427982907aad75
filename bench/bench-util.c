/* bench-util.c — see bench-util.h. */
#include "bench-util.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void bench_options(int *argc, char ***argv, const GOptionEntry *entries,
                   const char *parameter_string)
{
	g_autoptr(GOptionContext) context = g_option_context_new(parameter_string);
	g_option_context_add_main_entries(context, entries, NULL);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(context, argc, argv, &error))
		bench_die("%s", error->message);
}

double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double bench_median(double *values, guint n)
{
	if (n == 0)
		return 0;
	qsort(values, n, sizeof(double), compare_double);
	return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

void bench_die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", g_get_prgname() ? g_get_prgname() : "bench");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

char *bench_run(const char *const *argv, double *wall_s)
{
	char *out = NULL, *err = NULL;
	int status;
	g_autoptr(GError) error = NULL;
	double t0 = bench_now();
	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
	                  &status, &error))
		bench_die("cannot run %s: %s", argv[0], error->message);
	if (wall_s)
		*wall_s = bench_now() - t0;
	if (!g_spawn_check_wait_status(status, &error)) {
		g_autofree char *cmd = g_strjoinv(" ", (char **)argv);
		bench_die("%s: %s\n%s%s", cmd, error->message, err ? err : "", out ? out : "");
	}
	g_free(err);
	return out;
}

JsonNode *bench_json_parse(const char *text)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	if (!json_parser_load_from_data(parser, text, -1, &error))
		bench_die("not JSON: %s", error->message);
	return json_node_copy(json_parser_get_root(parser));
}

void bench_target(const char *id, const char *what, gboolean met, const char *measured, ...)
{
	va_list ap;
	va_start(ap, measured);
	g_autofree char *m = g_strdup_vprintf(measured, ap);
	va_end(ap);
	printf("@target %s|%s|%s|%s\n", id, what, m, met ? "met" : "not met");
}

/* The value at path, or NULL. */
static JsonNode *json_find(JsonNode *root, const char *path)
{
	g_auto(GStrv) parts = g_strsplit(path, ".", -1);
	JsonNode *node = root;
	for (guint i = 0; parts[i] && node; i++) {
		if (JSON_NODE_HOLDS_OBJECT(node)) {
			JsonObject *o = json_node_get_object(node);
			node = json_object_has_member(o, parts[i]) ? json_object_get_member(o, parts[i]) : NULL;
		} else if (JSON_NODE_HOLDS_ARRAY(node)) {
			JsonArray *a = json_node_get_array(node);
			guint k = (guint)g_ascii_strtoull(parts[i], NULL, 10);
			node = k < json_array_get_length(a) ? json_array_get_element(a, k) : NULL;
		} else {
			node = NULL;
		}
	}
	return node && JSON_NODE_HOLDS_VALUE(node) ? node : NULL;
}

static JsonNode *json_at(JsonNode *root, const char *path)
{
	JsonNode *node = json_find(root, path);
	if (!node)
		bench_die("the JSON has no value at %s", path);
	return node;
}

gboolean bench_json_has_int(JsonNode *root, const char *path, gint64 *out)
{
	JsonNode *n = json_find(root, path);
	if (!n || json_node_get_value_type(n) != G_TYPE_INT64)
		return FALSE;
	*out = json_node_get_int(n);
	return TRUE;
}

double bench_json_double(JsonNode *root, const char *path)
{
	JsonNode *n = json_at(root, path);
	GType t = json_node_get_value_type(n);
	if (t == G_TYPE_INT64)
		return (double)json_node_get_int(n);
	if (t != G_TYPE_DOUBLE)
		bench_die("%s is not a number", path);
	return json_node_get_double(n);
}

gint64 bench_json_int(JsonNode *root, const char *path)
{
	JsonNode *n = json_at(root, path);
	if (json_node_get_value_type(n) != G_TYPE_INT64)
		bench_die("%s is not an integer", path);
	return json_node_get_int(n);
}

const char *bench_json_string(JsonNode *root, const char *path)
{
	JsonNode *n = json_at(root, path);
	if (json_node_get_value_type(n) != G_TYPE_STRING)
		bench_die("%s is not a string", path);
	return json_node_get_string(n);
}

static guint64 status_kib(const char *text, const char *key)
{
	const char *line = strstr(text, key);
	return line ? g_ascii_strtoull(line + strlen(key), NULL, 10) : 0;
}

gboolean bench_proc_memory(pid_t pid, guint64 *rss, guint64 *anon)
{
	g_autofree char *path = pid ? g_strdup_printf("/proc/%d/status", pid)
	                            : g_strdup("/proc/self/status");
	g_autofree char *text = NULL;
	*rss = *anon = 0;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return FALSE;
	*rss = status_kib(text, "\nVmRSS:") * 1024;
	*anon = status_kib(text, "\nRssAnon:") * 1024;
	return *rss > 0;
}

guint64 bench_pad(guint64 rss, guint64 anon)
{
	guint64 own_rss, own_anon;
	if (!bench_proc_memory(0, &own_rss, &own_anon))
		bench_die("cannot read /proc/self/status");
	guint64 need = MAX(rss > own_rss ? rss - own_rss : 0, anon > own_anon ? anon - own_anon : 0);
	if (need == 0)
		return 0;
	gsize size = (gsize)need;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		bench_die("cannot map %zu bytes of padding: %s", size, g_strerror(errno));
	/* The executor's memory is malloc's heap, in 4 KiB pages; huge pages
	 * here would give fork far fewer page-table entries to copy than the
	 * process this stands for. */
	madvise(p, size, MADV_NOHUGEPAGE);
	memset(p, 0x5a, size);
	return size;
}

void bench_probe_sizes(const char *expert_exec, const char *expert, BenchSizes *out)
{
	const char *argv[] = { expert_exec, "stress", "--duration", "1500ms", "--jobs", "1",
	                       "--profile", "default", expert, NULL };
	GPid pid;
	g_autoptr(GError) error = NULL;
	memset(out, 0, sizeof(*out));
	if (!g_spawn_async(NULL, (char **)argv, NULL,
	                   G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, &pid,
	                   &error))
		bench_die("cannot run %s: %s", expert_exec, error->message);
	/* Past the storm's warm-up, before its end. */
	g_usleep(1000000);
	g_autofree char *path = g_strdup_printf("/proc/%d/task/%d/children", pid, pid);
	g_autofree char *text = NULL;
	bench_proc_memory(pid, &out->exec_rss, &out->exec_anon);
	if (g_file_get_contents(path, &text, NULL, NULL) && text[0])
		bench_proc_memory((pid_t)g_ascii_strtoll(text, NULL, 10), &out->zygote_rss,
		                  &out->zygote_anon);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!out->exec_rss)
		bench_die("could not read the size of %s while it ran", expert_exec);
}

guint64 bench_mem_available(void)
{
	g_autofree char *text = NULL;
	if (!g_file_get_contents("/proc/meminfo", &text, NULL, NULL))
		return 0;
	const char *line = strstr(text, "MemAvailable:");
	unsigned long kib;
	if (!line || sscanf(line, "MemAvailable: %lu kB", &kib) != 1)
		return 0;
	return (guint64)kib * 1024;
}

guint64 bench_disk_free(const char *dir)
{
	struct statvfs st;
	if (statvfs(dir, &st) < 0)
		return 0;
	return (guint64)st.f_bavail * (guint64)st.f_frsize;
}

char *bench_tmp_path(const char *name)
{
	return g_build_filename(g_get_tmp_dir(), name, NULL);
}

/* ---- synthetic captures ------------------------------------------------- */

static inline uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

/* Mostly small frames with a tail of full ones, as on a busy link. */
static guint frame_size(uint64_t *s)
{
	uint64_t r = rng_next(s), k = r % 100;
	r >>= 8;
	if (k < 45)
		return 60 + (guint)(r % 69);   /* 60..128: ACK-sized */
	if (k < 70)
		return 129 + (guint)(r % 448); /* to 576 */
	if (k < 85)
		return 577 + (guint)(r % 924); /* to 1500 */
	return 1514;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static unsigned ipv4_checksum(const uint8_t *h)
{
	uint32_t sum = 0;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

void bench_make_capture(const char *path, guint64 bytes, guint64 seed, BenchCapture *out)
{
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	if (!dead)
		bench_die("pcap_open_dead failed");
	pcap_dumper_t *d = pcap_dump_open(dead, path);
	if (!d)
		bench_die("cannot write %s: %s", path, pcap_geterr(dead));
	uint64_t s = seed ? seed : 1;
	uint8_t frame[1514];
	memset(out, 0, sizeof(*out));
	out->file_bytes = 24; /* the file header */
	struct pcap_pkthdr hdr = { .ts = { 1700000000, 0 } };
	while (out->file_bytes < bytes) {
		guint len = frame_size(&s);
		/* Random payload first, then the headers over it. */
		for (guint i = 0; i < len; i += 8) {
			uint64_t r = rng_next(&s);
			memcpy(frame + i, &r, MIN(8u, len - i));
		}
		static const uint8_t macs[12] = { 0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2 };
		memcpy(frame, macs, sizeof(macs));
		put16(frame + 12, 0x0800);
		uint8_t *ip = frame + 14;
		ip[0] = 0x45;
		ip[1] = 0;
		put16(ip + 2, len - 14);
		put16(ip + 4, (unsigned)out->frames & 0xffff);
		put16(ip + 6, 0x4000); /* DF */
		ip[8] = 64;
		ip[9] = 17;            /* UDP */
		put16(ip + 10, 0);
		ip[12] = 10, ip[13] = 0, ip[14] = 0, ip[15] = 1;
		ip[16] = 10, ip[17] = 0, ip[18] = (uint8_t)(s >> 8), ip[19] = (uint8_t)s;
		put16(ip + 10, ipv4_checksum(ip));
		uint8_t *udp = ip + 20;
		put16(udp, 1024 + (unsigned)(s >> 16) % 60000);
		put16(udp + 2, 53 + (unsigned)(s >> 32) % 4 * 1000);
		put16(udp + 4, len - 34);
		put16(udp + 6, 0);     /* no checksum: allowed in IPv4 */

		hdr.caplen = hdr.len = len;
		hdr.ts.tv_usec += 7 + (suseconds_t)(s % 50);
		if (hdr.ts.tv_usec >= 1000000) {
			hdr.ts.tv_sec++;
			hdr.ts.tv_usec -= 1000000;
		}
		pcap_dump((u_char *)d, &hdr, frame);
		out->frames++;
		out->frame_bytes += len;
		out->file_bytes += 16 + len;
	}
	if (pcap_dump_flush(d) < 0)
		bench_die("writing %s failed", path);
	pcap_dump_close(d);
	pcap_close(dead);
}

void bench_storm(const char *expert_exec, const char *expert, guint runs, guint jobs,
                 gint prefork, BenchStorm *out)
{
	g_autofree char *n = g_strdup_printf("%u", runs);
	g_autofree char *j = g_strdup_printf("%u", jobs);
	g_autofree char *p = g_strdup_printf("--prefork=%d", prefork);
	const char *argv[] = { expert_exec, "stress", "--iterations", n, "--jobs", j,
	                       "--profile", "default", "--json", expert,
	                       prefork >= 0 ? p : NULL, NULL };
	g_autofree char *text = bench_run(argv, NULL);
	JsonNode *root = bench_json_parse(text);
	if (bench_json_int(root, "outcomes.completed") != (gint64)runs)
		bench_die("not every run of the trivial expert completed:\n%s", text);
	out->seconds = bench_json_double(root, "seconds");
	out->per_run_s = out->seconds / runs;
	out->runs_per_s = bench_json_double(root, "runs_per_second");
	out->p50_s = bench_json_double(root, "latency_ms.p50") / 1000.0;
	out->rss_end = (guint64)bench_json_int(root, "executor.rss_bytes.end");
	out->forked = (guint64)bench_json_int(root, "prefork.forked");
	out->on_ready = (guint64)bench_json_int(root, "prefork.jobs_on_a_ready_child");
	out->fork_s = bench_json_double(root, "prefork.fork_ms_mean") / 1000.0;
	json_node_unref(root);
}
