/* test-prefork.c — a child forked ahead of its job (executor/jobs/prefork.h)
 * serves only the profile its filter was compiled from.
 *
 * Driven here over the zygote's own protocol (protocol/child-protocol.h),
 * as an executor that got its bookkeeping wrong would drive it: a child
 * forked for one profile and handed a job of another refuses the job, with
 * a LOAD_FAILED that says so, before any code of the object runs (it sends
 * neither LOADED nor anything else, and exits 127); a malformed first
 * message is refused the same way. The control: the same kind of child,
 * handed a job of its own profile, loads the object and runs it to the end
 * (exit 0), so a refusal above is the tag's doing and nothing else's. The
 * executor's own choice of child is tested end to end by test-hostile's
 * runs, where every job's profile is checked against what it could do. */
#include "captures/capture.h"
#include "jobs/pool.h"
#include "profiles/filter.h"
#include "profiles/profile.h"
#include "protocol/child-protocol.h"
#include "wire.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define TIMEOUT_MS 10000
#define TAG_OF_THE_CHILD G_GUINT64_CONSTANT(0x1111222233334444)
#define TAG_OF_ANOTHER G_GUINT64_CONSTANT(0x5555666677778888)

typedef struct {
	int zygote;              /* our end of the zygote's socket */
	GPid pid;
	guint landlock_abi;
	Filter *filter;
	Capture *capture;
	Pool *pool;
} Fixture;

static gboolean readable(int fd)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	return poll(&pfd, 1, TIMEOUT_MS) == 1;
}

/* One datagram, with at most one descriptor (*fd, or -1). */
static gssize receive(int fd, void *buf, gsize cap, int *passed)
{
	union {
		char c[PASSED_FDS_SPACE(1)];
		struct cmsghdr align;
	} control;
	struct iovec iov = { buf, cap };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
	                      .msg_control = control.c, .msg_controllen = sizeof(control.c) };
	g_assert_true(readable(fd));
	gssize n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
	int fds[1];
	gsize n_fds = passed_fds_take(&msg, fds, 1, NULL);
	*passed = n_fds ? fds[0] : -1;
	return n;
}

static void start_zygote(Fixture *f)
{
	int sv[2];
	g_assert_cmpint(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), ==, 0);
	const char *argv[] = { g_getenv("EXPERT_ZYGOTE"), NULL };
	const char *envp[] = { NULL };
	int source[] = { sv[1] }, target[] = { ZYGOTE_SOCKET_FD };
	g_autoptr(GError) error = NULL;
	g_assert_true(g_spawn_async_with_pipes_and_fds(NULL, argv, envp,
	                                               G_SPAWN_DO_NOT_REAP_CHILD |
	                                               G_SPAWN_CHILD_INHERITS_STDIN,
	                                               NULL, NULL, -1, -1, -1, source, target, 1,
	                                               &f->pid, NULL, NULL, NULL, &error));
	close(sv[1]);
	f->zygote = sv[0];
	ZygoteReady ready;
	int passed;
	g_assert_cmpint(receive(f->zygote, &ready, sizeof(ready), &passed), ==, sizeof(ready));
	g_assert_cmpint(passed, ==, -1);
	g_assert_cmpuint(ready.kind, ==, ZYGOTE_REPLY_READY);
	g_assert_cmpuint(ready.version, ==, ZYGOTE_PROTOCOL_VERSION);
	f->landlock_abi = ready.layer_errno[ZYGOTE_LAYER_LANDLOCK] == 0 ? ready.landlock_abi : 0;
}

static void set_up(Fixture *f, gconstpointer data)
{
	(void)data;
	start_zygote(f);
	g_autoptr(GError) error = NULL;
	g_autoptr(Profile) profile = profile_load("default", &error);
	g_assert_no_error(error);
	f->filter = filter_compile(profile, f->landlock_abi != 0, &error);
	g_assert_no_error(error);
	f->capture = capture_new_empty(&error);
	g_assert_no_error(error);
	f->pool = pool_new(64u << 20);
}

static void tear_down(Fixture *f, gconstpointer data)
{
	(void)data;
	close(f->zygote);
	int status;
	while (waitpid(f->pid, &status, 0) < 0 && errno == EINTR)
		;
	filter_free(f->filter);
	capture_free(f->capture);
	pool_free(f->pool);
}

/* Asks for a child of the profile tagged tag; returns our end of its
 * channel. */
static int fork_child(Fixture *f, guint64 id, ProfileTag tag)
{
	g_autoptr(GError) error = NULL;
	PoolRegion *region = pool_region_new(f->pool, 4u << 20, &error);
	g_assert_no_error(error);
	int channel[2];
	g_assert_cmpint(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, channel), ==, 0);
	ZygoteRequest req = {
		.version = ZYGOTE_PROTOCOL_VERSION,
		.flags = geteuid() == 0 ? ZYGOTE_REQUEST_DROP_PRIVILEGES : 0,
		.child_id = id,
		.profile_tag = tag,
		.region_size = region->size,
		.capture_size = f->capture->size,
		.filter_size = f->filter->size,
		.data_limit = 4u << 20,
		.cpu_seconds = 5,
		.max_fds = 16,
		.max_events = 100,
		.uid = 65534,
		.gid = 65534,
		.landlock_abi = f->landlock_abi,
	};
	int fds[ZYGOTE_N_FDS] = {
		[ZYGOTE_FD_CHANNEL] = channel[1],
		[ZYGOTE_FD_CAPTURE] = f->capture->fd,
		[ZYGOTE_FD_REGION] = region->fd,
		[ZYGOTE_FD_FILTER] = f->filter->fd,
	};
	union {
		char c[PASSED_FDS_SPACE(ZYGOTE_N_FDS)];
		struct cmsghdr align;
	} control;
	struct iovec iov = { &req, sizeof(req) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	passed_fds_attach(&msg, control.c, fds, ZYGOTE_N_FDS);
	g_assert_cmpint(sendmsg(f->zygote, &msg, MSG_NOSIGNAL), ==, sizeof(req));
	close(channel[1]);
	pool_region_release(f->pool, region);

	ZygoteReply reply;
	int pidfd;
	g_assert_cmpint(receive(f->zygote, &reply, sizeof(reply), &pidfd), ==, sizeof(reply));
	g_assert_cmpuint(reply.kind, ==, ZYGOTE_REPLY_STARTED);
	g_assert_cmpuint(reply.child_id, ==, id);
	g_assert_cmpint(pidfd, >=, 0);
	close(pidfd);
	return channel[0];
}

/* The child's next message; a descriptor it passes goes to *passed. */
static WireType next_message(int channel, WireMessage *msg, guint8 *buf, gsize cap, int *passed)
{
	gssize n = receive(channel, buf, cap, passed);
	g_assert_cmpint(n, >, 0);
	const char *error = NULL;
	g_assert_true(wire_decode(buf, (gsize)n, msg, &error));
	return msg->type;
}

static void send_job(int channel, guint32 magic, ProfileTag tag)
{
	int object = open(g_getenv("EXPERT_OBJECT"), O_RDONLY | O_CLOEXEC);
	g_assert_cmpint(object, >=, 0);
	ChildJob job = { .magic = magic, .n_libs = 0, .profile_tag = tag };
	union {
		char c[PASSED_FDS_SPACE(1)];
		struct cmsghdr align;
	} control;
	struct iovec iov = { &job, sizeof(job) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	passed_fds_attach(&msg, control.c, &object, 1);
	g_assert_cmpint(sendmsg(channel, &msg, MSG_NOSIGNAL), ==, sizeof(job));
	close(object);

	guint8 buf[256];
	WireWriter w;
	wire_begin(&w, buf, sizeof(buf), WIRE_START);
	wire_put_u8(&w, 0);
	wire_put_str(&w, "none", WIRE_MAX_STRING);
	wire_put_u64(&w, 0);
	wire_put_u8(&w, 0);
	wire_put_bpf(&w, NULL, 0);
	gsize len = wire_finish(&w);
	/* A child that refused the job may be gone already. */
	(void)send(channel, buf, len, MSG_NOSIGNAL);
}

/* The zygote's account of child id's end. */
static void expect_exit(Fixture *f, guint64 id, int status)
{
	ZygoteReply reply;
	int passed;
	g_assert_cmpint(receive(f->zygote, &reply, sizeof(reply), &passed), ==, sizeof(reply));
	g_assert_cmpuint(reply.kind, ==, ZYGOTE_REPLY_EXITED);
	g_assert_cmpuint(reply.child_id, ==, id);
	g_assert_cmpint(reply.wait_code, ==, CLD_EXITED);
	g_assert_cmpint(reply.wait_status, ==, status);
}

/* A set-up child says HELLO with its listener, then waits. */
static void expect_hello(int channel)
{
	guint8 buf[WIRE_MAX_MESSAGE];
	WireMessage msg;
	int listener;
	g_assert_cmpint(next_message(channel, &msg, buf, sizeof(buf), &listener), ==, WIRE_HELLO);
	g_assert_cmpint(listener, >=, 0);
	close(listener);
}

static void refused(Fixture *f, guint64 id, guint32 magic, ProfileTag tag, const char *why)
{
	int channel = fork_child(f, id, TAG_OF_THE_CHILD);
	expect_hello(channel);
	send_job(channel, magic, tag);
	guint8 buf[WIRE_MAX_MESSAGE];
	WireMessage msg;
	int passed;
	g_assert_cmpint(next_message(channel, &msg, buf, sizeof(buf), &passed), ==, WIRE_LOAD_FAILED);
	g_autofree char *reason = g_strndup(msg.u.load_failed.reason.ptr, msg.u.load_failed.reason.len);
	g_test_message("child %" G_GUINT64_FORMAT ": %s", id, reason);
	g_assert_nonnull(strstr(reason, why));
	/* Nothing after it: the object was never loaded. The child's end
	 * closed with our START unread in it: reset, or plain end. */
	g_assert_true(readable(channel));
	gssize n = recv(channel, buf, sizeof(buf), 0);
	g_assert_true(n == 0 || (n < 0 && errno == ECONNRESET));
	close(channel);
	expect_exit(f, id, 127);
}

static void test_job_of_another_profile_is_refused(Fixture *f, gconstpointer data)
{
	(void)data;
	refused(f, 1, CHILD_JOB_MAGIC, TAG_OF_ANOTHER,
	        "refusing a job of another profile than its filter's");
}

static void test_malformed_job_is_refused(Fixture *f, gconstpointer data)
{
	(void)data;
	refused(f, 2, CHILD_JOB_MAGIC ^ 1, TAG_OF_THE_CHILD, "the job's first message is malformed");
}

/* The control: the right tag, and the object loads and runs. Any call the
 * filter hands over (none, where Landlock lets the loader's openat be
 * decided in the kernel) is let through, as the executor would while the
 * object loads. */
static void test_job_of_its_profile_runs(Fixture *f, gconstpointer data)
{
	(void)data;
	int channel = fork_child(f, 3, TAG_OF_THE_CHILD);
	guint8 buf[WIRE_MAX_MESSAGE];
	WireMessage msg;
	int listener;
	g_assert_cmpint(next_message(channel, &msg, buf, sizeof(buf), &listener), ==, WIRE_HELLO);
	send_job(channel, CHILD_JOB_MAGIC, TAG_OF_THE_CHILD);
	g_autoptr(GArray) seen = g_array_new(FALSE, FALSE, sizeof(int));
	for (;;) {
		struct pollfd pfd[2] = { { channel, POLLIN, 0 }, { listener, POLLIN, 0 } };
		g_assert_cmpint(poll(pfd, 2, TIMEOUT_MS), >, 0);
		if (pfd[1].revents & POLLIN) {
			struct seccomp_notif req;
			memset(&req, 0, sizeof(req));
			if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) == 0) {
				struct seccomp_notif_resp resp = { .id = req.id,
				                                   .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE };
				ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
			}
			continue;
		}
		int passed;
		gssize n = receive(channel, buf, sizeof(buf), &passed);
		if (n == 0)
			break;
		const char *error = NULL;
		g_assert_true(wire_decode(buf, (gsize)n, &msg, &error));
		int type = msg.type;
		g_array_append_val(seen, type);
	}
	close(listener);
	close(channel);
	g_assert_cmpuint(seen->len, >=, 3);
	g_assert_cmpint(g_array_index(seen, int, 0), ==, WIRE_LOADED);
	g_assert_cmpint(g_array_index(seen, int, 1), ==, WIRE_REGISTERED);
	g_assert_cmpint(g_array_index(seen, int, seen->len - 1), ==, WIRE_FINISHED);
	expect_exit(f, 3, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/prefork/job-of-another-profile-is-refused", Fixture, NULL, set_up,
	           test_job_of_another_profile_is_refused, tear_down);
	g_test_add("/prefork/malformed-job-is-refused", Fixture, NULL, set_up,
	           test_malformed_job_is_refused, tear_down);
	g_test_add("/prefork/job-of-its-profile-runs", Fixture, NULL, set_up,
	           test_job_of_its_profile_runs, tear_down);
	return g_test_run();
}
