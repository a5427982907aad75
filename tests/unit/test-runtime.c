/* test-runtime.c — the expert API as an expert sees it (libexpert/runtime.c),
 * bound in-process to a region, a real loaded capture and a socket pair
 * standing in for the executor's end of the channel. */
#include "captures/capture.h"
#include "captures/frame-filter.h"
#include "expert.h"
#include "runtime.h"
#include "wire.h"
#include "protocol/capture-view.h"

#include <glib.h>
#include <pcap/pcap.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct {
	int executor_end, child_end;
	void *region;
	gsize region_size;
	Capture *capture;
	void *capture_map;
	ExpertKey *key;
} Fixture;

/* Binds to capture_file with filter_expr (or none) as the run's filter. */
static void setup_with(Fixture *f, guint32 max_events, const char *capture_file,
                       const char *filter_expr);

static void setup(Fixture *f, gconstpointer data)
{
	setup_with(f, GPOINTER_TO_UINT(data) ? GPOINTER_TO_UINT(data) : 100, "wikipedia.pcap", NULL);
}

static void setup_mixed(Fixture *f, gconstpointer data)
{
	(void)data;
	setup_with(f, 100, "multi-interface/merged.pcapng", "ip or ip6");
}

static void setup_with(Fixture *f, guint32 max_events, const char *capture_file,
                       const char *filter_expr)
{
	int sv[2];
	g_assert_cmpint(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), ==, 0);
	f->executor_end = sv[0];
	f->child_end = sv[1];
	f->region_size = 1 << 20;
	f->region = g_aligned_alloc0(1, f->region_size, 64);
	g_autofree char *path = g_build_filename(g_getenv("EXPERT_TEST_DATA"), capture_file, NULL);
	g_autoptr(GError) error = NULL;
	f->capture = capture_load(path, &error);
	g_assert_no_error(error);
	f->capture_map = capture_view_map(f->capture->fd, f->capture->memfd_size, f->capture->file_fd,
	                                  f->capture->size);
	g_assert_true(f->capture_map != MAP_FAILED);
	/* What the executor queues before the child runs. */
	g_autofree guint8 *start = g_malloc(WIRE_MAX_LARGE);
	WireWriter w;
	wire_begin(&w, start, WIRE_MAX_LARGE, WIRE_START);
	wire_put_u8(&w, 0);
	wire_put_str(&w, "wikipedia.pcap", WIRE_MAX_STRING);
	wire_put_u64(&w, 5);
	wire_put_u8(&w, 2);
	wire_put_str(&w, "top", WIRE_MAX_STRING);
	wire_put_str(&w, "10", WIRE_MAX_STRING);
	wire_put_str(&w, "top", WIRE_MAX_STRING);
	wire_put_str(&w, "20", WIRE_MAX_STRING);
	g_autoptr(GBytes) program = filter_expr
		? frame_filter_compile(filter_expr, f->capture->link_type, NULL) : NULL;
	gsize program_size = 0;
	const void *insns = program ? g_bytes_get_data(program, &program_size) : NULL;
	wire_put_bpf(&w, insns, (guint32)(program_size / 8));
	size_t start_len = wire_finish(&w);
	g_assert_cmpint(send(f->executor_end, start, start_len, 0), ==, (ssize_t)start_len);

	ExpertRuntimeJob job = {
		.channel_fd = f->child_end,
		.region = f->region, .region_size = f->region_size,
		.capture = f->capture_map, .capture_size = f->capture->size,
		.max_events = max_events,
	};
	const char *why = NULL;
	f->key = expert_runtime_bind(&job, &why);
	g_assert_nonnull(f->key);
	g_assert_true(expert_runtime_start(f->key, &why));
}

static void teardown(Fixture *f, gconstpointer data)
{
	(void)data;
	munmap(f->capture_map, f->capture->size);
	capture_free(f->capture);
	g_aligned_free(f->region);
	close(f->executor_end);
	close(f->child_end);
}

/* The next message the child sent, decoded; fails the test if none. */
static WireMessage *next_message(Fixture *f, guint8 *buf)
{
	static WireMessage msg;
	ssize_t n = recv(f->executor_end, buf, WIRE_MAX_MESSAGE, MSG_DONTWAIT);
	g_assert_cmpint(n, >, 0);
	const char *error = NULL;
	g_assert_true(wire_decode(buf, (size_t)n, &msg, &error));
	return &msg;
}

static gboolean no_message(Fixture *f)
{
	guint8 buf[16];
	return recv(f->executor_end, buf, sizeof(buf), MSG_DONTWAIT) < 0;
}

static void test_memory_semantics(Fixture *f, gconstpointer data)
{
	(void)data;
	void *p = NULL, *q = NULL;
	g_assert_cmpint(expert_alloc_memory(f->key, 100, &p), ==, EXPERT_OK);
	g_assert_cmpuint((guintptr)p % 16, ==, 0);
	g_assert_cmpuint(expert_memory_size(f->key, p), >=, 100);
	memset(p, 0x5A, 100);
	g_assert_cmpint(expert_realloc_memory(f->key, p, 5000, &q), ==, EXPERT_OK);
	g_assert_cmpuint(((guint8 *)q)[99], ==, 0x5A);
	g_assert_cmpint(expert_realloc_memory(f->key, q, 0, &p), ==, EXPERT_OK);
	g_assert_null(p);
	g_assert_cmpuint(expert_memory_size(f->key, q), ==, 0);
	g_assert_cmpint(expert_realloc_memory(f->key, NULL, 10, &p), ==, EXPERT_OK);
	g_assert_nonnull(p);
	g_assert_cmpint(expert_free_memory(f->key, p), ==, EXPERT_OK);
	g_assert_cmpint(expert_free_memory(f->key, NULL), ==, EXPERT_OK);
	g_assert_true(no_message(f));
}

static void test_invalid_free_reported_not_obeyed(Fixture *f, gconstpointer data)
{
	(void)data;
	guint8 buf[WIRE_MAX_MESSAGE];
	void *p = NULL;
	g_assert_cmpint(expert_alloc_memory(f->key, 64, &p), ==, EXPERT_OK);
	int local;
	g_assert_cmpint(expert_free_memory(f->key, &local), ==, EXPERT_ERR_INVALID_POINTER);
	WireMessage *m = next_message(f, buf);
	g_assert_cmpint(m->type, ==, WIRE_MEMORY_FAULT);
	g_assert_cmpint(m->u.memory_fault.kind, ==, WIRE_FAULT_INVALID_POINTER);
	g_assert_cmpint(expert_free_memory(f->key, p), ==, EXPERT_OK);
	g_assert_cmpint(expert_free_memory(f->key, p), ==, EXPERT_ERR_INVALID_POINTER);
	m = next_message(f, buf);
	g_assert_cmpint(m->u.memory_fault.kind, ==, WIRE_FAULT_INVALID_POINTER);
	void *out = (void *)1;
	g_assert_cmpint(expert_realloc_memory(f->key, &local, 10, &out), ==,
	                EXPERT_ERR_INVALID_POINTER);
	g_assert_null(out);
}

static void test_quota_reported(Fixture *f, gconstpointer data)
{
	(void)data;
	guint8 buf[WIRE_MAX_MESSAGE];
	void *p = (void *)1;
	g_assert_cmpint(expert_alloc_memory(f->key, 2 << 20, &p), ==, EXPERT_ERR_NO_MEMORY);
	g_assert_null(p);
	WireMessage *m = next_message(f, buf);
	g_assert_cmpint(m->u.memory_fault.kind, ==, WIRE_FAULT_QUOTA);
	g_assert_cmpuint(m->u.memory_fault.size, ==, 2 << 20);
	g_assert_cmpint(expert_alloc_memory(f->key, SIZE_MAX, &p), ==, EXPERT_ERR_OVERFLOW);
	/* After a refusal, smaller allocations still work. */
	g_assert_cmpint(expert_alloc_memory(f->key, 1000, &p), ==, EXPERT_OK);
}

static void test_bad_arguments_refused(Fixture *f, gconstpointer data)
{
	(void)data;
	void *p;
	ExpertFrame frame;
	g_assert_cmpint(expert_alloc_memory(NULL, 10, &p), ==, EXPERT_ERR_INVALID_ARGUMENT);
	g_assert_cmpint(expert_alloc_memory((ExpertKey *)&p, 10, &p), ==, EXPERT_ERR_INVALID_ARGUMENT);
	g_assert_cmpint(expert_alloc_memory(f->key, 10, NULL), ==, EXPERT_ERR_INVALID_ARGUMENT);
	g_assert_cmpint(expert_get_next_frame(f->key, NULL), ==, EXPERT_ERR_INVALID_ARGUMENT);
	g_assert_cmpint(expert_get_next_frame(NULL, &frame), ==, EXPERT_ERR_INVALID_ARGUMENT);
	g_assert_cmpint(expert_indicate_status(f->key, EXPERT_STATE_RUNNING, 101, NULL), ==,
	                EXPERT_ERR_INVALID_ARGUMENT);
	g_assert_cmpint(expert_indicate_status(f->key, (ExpertState)9, 1, NULL), ==,
	                EXPERT_ERR_INVALID_ARGUMENT);
	ExpertEventDetail details[EXPERT_EVENT_DETAILS_MAX + 1] = { { "k", "v" } };
	g_assert_cmpint(expert_submit_event(f->key, EXPERT_SEVERITY_INFO, "x", details,
	                                    EXPERT_EVENT_DETAILS_MAX + 1), ==,
	                EXPERT_ERR_INVALID_ARGUMENT);
	ExpertEventDetail no_key = { NULL, "v" };
	g_assert_cmpint(expert_submit_event(f->key, EXPERT_SEVERITY_INFO, "x", &no_key, 1), ==,
	                EXPERT_ERR_INVALID_ARGUMENT);
	g_assert_true(no_message(f));
}

static void test_frames_in_order_then_end(Fixture *f, gconstpointer data)
{
	(void)data;
	ExpertCaptureInfo info;
	g_assert_cmpint(expert_get_capture_info(f->key, &info), ==, EXPERT_OK);
	g_assert_cmpuint(info.frame_count, ==, f->capture->frame_count);
	g_assert_cmpuint(info.link_type, ==, 1);
	g_assert_false(info.partial);
	ExpertFrame frame;
	guint64 n = 0, wire = 0;
	gint64 last_sec = 0;
	while (expert_get_next_frame(f->key, &frame) == EXPERT_OK) {
		g_assert_cmpuint(frame.number, ==, ++n);
		g_assert_cmpuint(frame.cap_len, <=, frame.orig_len);
		g_assert_cmpint(frame.ts_sec, >=, last_sec);
		g_assert_cmpuint(frame.ts_nsec, <, 1000000000u);
		last_sec = frame.ts_sec;
		wire += frame.orig_len;
		/* Inside the read-only capture mapping. */
		g_assert_true(frame.data >= (const guint8 *)f->capture_map &&
		              frame.data + frame.cap_len <= (const guint8 *)f->capture_map + f->capture->size);
	}
	g_assert_cmpuint(n, ==, f->capture->frame_count);
	g_assert_cmpuint(wire, ==, f->capture->bytes_on_wire);
	g_assert_cmpint(expert_get_next_frame(f->key, &frame), ==, EXPERT_ERR_END_OF_CAPTURE);
}

static void test_event_sent_and_limit_terminates(Fixture *f, gconstpointer data)
{
	(void)data; /* bound with max_events = 2 */
	guint8 buf[WIRE_MAX_MESSAGE];
	ExpertEventDetail d[2] = { { "protocol", "tcp" }, { "frames", "78" } };
	g_assert_cmpint(expert_submit_event(f->key, EXPERT_SEVERITY_WARNING, "eth/ip/tcp", d, 2), ==,
	                EXPERT_OK);
	WireMessage *m = next_message(f, buf);
	g_assert_cmpint(m->type, ==, WIRE_EVENT);
	g_assert_cmpint(m->u.event.severity, ==, EXPERT_SEVERITY_WARNING);
	g_assert_cmpuint(m->u.event.n_details, ==, 2);
	g_assert_cmpmem(m->u.event.details[1].value.ptr, m->u.event.details[1].value.len, "78", 2);
	g_assert_cmpint(expert_submit_event(f->key, EXPERT_SEVERITY_INFO, "second", NULL, 0), ==,
	                EXPERT_OK);
	(void)next_message(f, buf);
	g_assert_cmpint(expert_submit_event(f->key, EXPERT_SEVERITY_INFO, "third", NULL, 0), ==,
	                EXPERT_ERR_TERMINATE);
	g_assert_true(no_message(f));
}

static void test_terminate_from_executor(Fixture *f, gconstpointer data)
{
	(void)data;
	guint8 buf[WIRE_MAX_MESSAGE];
	g_assert_cmpint(expert_indicate_status(f->key, EXPERT_STATE_RUNNING, 10, "going"), ==,
	                EXPERT_OK);
	WireMessage *m = next_message(f, buf);
	g_assert_cmpint(m->type, ==, WIRE_STATUS);
	g_assert_cmpint(m->u.status.percent, ==, 10);

	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_TERMINATE);
	size_t len = wire_finish(&w);
	g_assert_cmpint(send(f->executor_end, buf, len, 0), ==, (ssize_t)len);
	g_assert_cmpint(expert_indicate_status(f->key, EXPERT_STATE_RUNNING, 20, NULL), ==,
	                EXPERT_ERR_TERMINATE);
	void *p;
	g_assert_cmpint(expert_alloc_memory(f->key, 16, &p), ==, EXPERT_ERR_TERMINATE);
	ExpertFrame frame;
	g_assert_cmpint(expert_get_next_frame(f->key, &frame), ==, EXPERT_ERR_TERMINATE);
}

static void test_startup_info_and_config(Fixture *f, gconstpointer data)
{
	(void)data;
	ExpertCaptureInfo info;
	g_assert_cmpint(expert_get_capture_info(f->key, &info), ==, EXPERT_OK);
	g_assert_cmpstr(info.file_name, ==, "wikipedia.pcap");
	g_assert_cmpuint(info.selected_frame, ==, 5);
	g_assert_cmpint(info.start_sec, >, 1000000000);
	/* The last setting of a name wins. */
	g_assert_cmpstr(expert_config_get(f->key, "top"), ==, "20");
	g_assert_null(expert_config_get(f->key, "missing"));
	g_assert_null(expert_config_get(NULL, "top"));
}

static void test_frame_directions(Fixture *f, gconstpointer data)
{
	(void)data;
	ExpertFrame frame;
	guint64 n = f->capture->frame_count;
	g_assert_cmpint(expert_get_frame(f->key, EXPERT_FRAME_SPECIFIED, 10, NULL, &frame), ==, EXPERT_OK);
	g_assert_cmpuint(frame.number, ==, 10);
	g_assert_cmpint(expert_get_frame(f->key, EXPERT_FRAME_SPECIFIED, 0, NULL, &frame), ==,
	                EXPERT_ERR_END_OF_CAPTURE);
	g_assert_cmpint(expert_get_frame(f->key, EXPERT_FRAME_SPECIFIED, n + 1, NULL, &frame), ==,
	                EXPERT_ERR_END_OF_CAPTURE);
	g_assert_cmpint(expert_get_frame(f->key, EXPERT_FRAME_NEXT_FORWARD, 0, NULL, &frame), ==, EXPERT_OK);
	g_assert_cmpuint(frame.number, ==, 1);
	g_assert_cmpint(expert_get_frame(f->key, EXPERT_FRAME_NEXT_FORWARD, 10, NULL, &frame), ==, EXPERT_OK);
	g_assert_cmpuint(frame.number, ==, 11);
	g_assert_cmpint(expert_get_frame(f->key, EXPERT_FRAME_NEXT_FORWARD, n, NULL, &frame), ==,
	                EXPERT_ERR_END_OF_CAPTURE);
	g_assert_cmpint(expert_get_frame(f->key, EXPERT_FRAME_NEXT_BACKWARD, 0, NULL, &frame), ==, EXPERT_OK);
	g_assert_cmpuint(frame.number, ==, n);
	g_assert_cmpint(expert_get_frame(f->key, EXPERT_FRAME_NEXT_BACKWARD, 10, NULL, &frame), ==, EXPERT_OK);
	g_assert_cmpuint(frame.number, ==, 9);
	g_assert_cmpint(expert_get_frame(f->key, EXPERT_FRAME_NEXT_BACKWARD, 1, NULL, &frame), ==,
	                EXPERT_ERR_END_OF_CAPTURE);
	/* None of that moved the forward cursor. */
	g_assert_cmpint(expert_get_next_frame(f->key, &frame), ==, EXPERT_OK);
	g_assert_cmpuint(frame.number, ==, 1);
}

/* ---- frames read ---------------------------------------------------------- */

/* What a test expert does in its run, and the capture's frame count. */
static enum { WALK_THEN_LOOK_UP, LOOK_UPS_ONLY } frames_read_mode;

static bool probe_register(ExpertInfo *info)
{
	strcpy(info->name, "frames read");
	return true;
}

/* Walks forward, then fetches frames again by number, forward and
 * backward, as Protocol Coalesce fetches fragments it gives up on. */
static int probe_run(ExpertKey *key)
{
	ExpertFrame frame;
	if (frames_read_mode == WALK_THEN_LOOK_UP)
		while (expert_get_next_frame(key, &frame) == EXPERT_OK)
			;
	for (uint64_t n = 1; expert_get_frame(key, EXPERT_FRAME_SPECIFIED, n, NULL, &frame) ==
	                     EXPERT_OK; n++)
		;
	for (uint64_t n = 0; expert_get_frame(key, EXPERT_FRAME_NEXT_FORWARD, n, NULL, &frame) ==
	                     EXPERT_OK; n = frame.number)
		;
	(void)expert_get_frame(key, EXPERT_FRAME_NEXT_BACKWARD, 0, NULL, &frame);
	return 0;
}

/* The frames_read the child reports when its run returns. */
static guint64 finished_frames_read(Fixture *f)
{
	static const ExpertEntryPoints entry = { probe_register, NULL, probe_run };
	expert_runtime_drive(f->key, &entry);
	g_autofree guint8 *buf = g_malloc(WIRE_MAX_MESSAGE);
	for (;;) {
		const WireMessage *msg = next_message(f, buf);
		if (msg->type == WIRE_FINISHED) {
			g_assert_cmpint(msg->u.finished.result, ==, 0);
			return msg->u.finished.frames_read;
		}
	}
}

/* frames_read is what the forward walk delivered, each frame once: look-ups
 * by number or direction do not add to it (expert.h). */
static void test_frames_read_counts_the_forward_walk(Fixture *f, gconstpointer data)
{
	(void)data;
	frames_read_mode = WALK_THEN_LOOK_UP;
	g_assert_cmpuint(finished_frames_read(f), ==, f->capture->frame_count);
}

static void test_frames_read_ignores_look_ups(Fixture *f, gconstpointer data)
{
	(void)data;
	frames_read_mode = LOOK_UPS_ONLY;
	g_assert_cmpuint(finished_frames_read(f), ==, 0);
}

/* With the run's filter, the frames that passed it. */
static void test_frames_read_counts_what_passed_the_filter(Fixture *f, gconstpointer data)
{
	(void)data;
	frames_read_mode = WALK_THEN_LOOK_UP;
	pcap_t *dead = pcap_open_dead((int)f->capture->link_type, 262144);
	struct bpf_program prog;
	g_assert_cmpint(pcap_compile(dead, &prog, "ip or ip6", 1, PCAP_NETMASK_UNKNOWN), ==, 0);
	guint64 passed = 0;
	ExpertFrame frame;
	for (guint64 n = 0; expert_get_frame(f->key, EXPERT_FRAME_NEXT_FORWARD, n, NULL, &frame) ==
	                    EXPERT_OK; n = frame.number) {
		struct pcap_pkthdr h = { .caplen = frame.cap_len, .len = frame.orig_len };
		passed += frame.link_type == f->capture->link_type &&
		          pcap_offline_filter(&prog, &h, frame.data) != 0;
	}
	pcap_freecode(&prog);
	pcap_close(dead);
	guint64 read = finished_frames_read(f);
	g_assert_cmpuint(read, ==, passed);
	g_assert_cmpuint(read, <, f->capture->frame_count);
}

/* In a pcapng with interfaces of different link types, the run's filter
 * (compiled for the first frame's link type) passes only frames of that link
 * type: each one it passes matches the filter as libpcap evaluates it. */
static void test_filter_on_mixed_link_types(Fixture *f, gconstpointer data)
{
	(void)data;
	guint32 first_type = f->capture->link_type;
	pcap_t *dead = pcap_open_dead((int)first_type, 262144);
	struct bpf_program prog;
	g_assert_cmpint(pcap_compile(dead, &prog, "ip or ip6", 1, PCAP_NETMASK_UNKNOWN), ==, 0);
	ExpertFrame frame;
	guint64 expected = 0, other_type = 0;
	for (guint64 n = 1; expert_get_frame(f->key, EXPERT_FRAME_SPECIFIED, n, NULL, &frame) == EXPERT_OK; n++) {
		if (frame.link_type != first_type) {
			other_type++;
			continue;
		}
		struct pcap_pkthdr h = { .caplen = frame.cap_len, .len = frame.orig_len };
		expected += pcap_offline_filter(&prog, &h, frame.data) != 0;
	}
	g_assert_cmpuint(other_type, >, 0); /* the file really mixes link types */
	guint64 got = 0;
	while (expert_get_next_frame(f->key, &frame) == EXPERT_OK) {
		g_assert_cmpuint(frame.link_type, ==, first_type);
		got++;
	}
	g_assert_cmpuint(got, ==, expected);
	g_assert_cmpuint(got, >, 0);
	pcap_freecode(&prog);
	pcap_close(dead);
}

static void test_gone_executor_is_an_error(Fixture *f, gconstpointer data)
{
	(void)data;
	close(f->executor_end);
	f->executor_end = -1;
	/* No SIGPIPE: the call fails, and the expert is told to return. */
	g_assert_cmpint(expert_submit_event(f->key, EXPERT_SEVERITY_INFO, "x", NULL, 0), ==,
	                EXPERT_ERR_HOST);
	f->executor_end = dup(f->child_end); /* for teardown */
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn, data) \
	g_test_add(path, Fixture, GUINT_TO_POINTER(data), setup, fn, teardown)
	ADD("/runtime/memory/c-semantics", test_memory_semantics, 0);
	ADD("/runtime/memory/invalid-free-reported-not-obeyed", test_invalid_free_reported_not_obeyed, 0);
	ADD("/runtime/memory/quota-refused-and-reported", test_quota_reported, 0);
	ADD("/runtime/api/bad-arguments-refused", test_bad_arguments_refused, 0);
	ADD("/runtime/frames/in-order-then-end", test_frames_in_order_then_end, 0);
	ADD("/runtime/events/sent-and-limit-terminates", test_event_sent_and_limit_terminates, 2);
	ADD("/runtime/channel/terminate-from-executor", test_terminate_from_executor, 0);
	ADD("/runtime/channel/gone-executor-is-an-error", test_gone_executor_is_an_error, 0);
	ADD("/runtime/start/startup-info-and-config", test_startup_info_and_config, 0);
	ADD("/runtime/frames/directions", test_frame_directions, 0);
	g_test_add("/runtime/frames/filter-on-mixed-link-types", Fixture, NULL, setup_mixed,
	           test_filter_on_mixed_link_types, teardown);
	ADD("/runtime/frames/frames-read-counts-the-forward-walk",
	    test_frames_read_counts_the_forward_walk, 0);
	ADD("/runtime/frames/frames-read-ignores-look-ups", test_frames_read_ignores_look_ups, 0);
	g_test_add("/runtime/frames/frames-read-counts-what-passed-the-filter", Fixture, NULL,
	           setup_mixed, test_frames_read_counts_what_passed_the_filter, teardown);
	return g_test_run();
}
