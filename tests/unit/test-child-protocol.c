/* test-child-protocol.c — descriptors passed with a message
 * (executor/protocol/child-protocol.c): attached as sent, then taken with the first ones
 * kept in order and every other one closed, none left open behind the
 * caller's back. */
#include "protocol/child-protocol.h"

#include <dirent.h>
#include <fcntl.h>
#include <glib.h>
#include <sys/stat.h>
#include <unistd.h>

static guint open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	g_assert_nonnull(d);
	guint n = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* One byte received over a fresh socket pair, with what came with it. */
typedef struct {
	int sv[2];
	_Alignas(struct cmsghdr) char control[PASSED_FDS_SPACE(8)];
	char byte;
	struct iovec iov;
	struct msghdr msg;
} Received;

/* Sends one byte with n descriptors (each a fresh /dev/null, closed once
 * sent) and receives it into r. */
static void receive_with(Received *r, size_t n)
{
	g_assert_cmpint(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, r->sv), ==, 0);
	int fds[8];
	g_assert_cmpuint(n, <=, G_N_ELEMENTS(fds));
	for (size_t i = 0; i < n; i++)
		fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	union {
		char buf[PASSED_FDS_SPACE(8)];
		struct cmsghdr align;
	} out_control;
	char byte = 'x';
	struct iovec iov = { &byte, 1 };
	struct msghdr out = { .msg_iov = &iov, .msg_iovlen = 1 };
	passed_fds_attach(&out, out_control.buf, fds, n);
	g_assert_cmpint(sendmsg(r->sv[0], &out, 0), ==, 1);
	for (size_t i = 0; i < n; i++)
		close(fds[i]);
	r->iov = (struct iovec){ &r->byte, 1 };
	r->msg = (struct msghdr){ .msg_iov = &r->iov, .msg_iovlen = 1,
	                          .msg_control = r->control,
	                          .msg_controllen = sizeof r->control };
	g_assert_cmpint(recvmsg(r->sv[1], &r->msg, MSG_CMSG_CLOEXEC), ==, 1);
	g_assert_cmpint(r->byte, ==, 'x');
}

static void received_close(Received *r)
{
	close(r->sv[0]);
	close(r->sv[1]);
}

static void assert_dev_null(int fd)
{
	struct stat st;
	g_assert_cmpint(fstat(fd, &st), ==, 0);
	g_assert_true(S_ISCHR(st.st_mode));
}

static void test_first_ones_kept_the_rest_closed(void)
{
	guint before = open_fds();
	Received r;
	receive_with(&r, 5);
	int kept[2] = { -1, -1 };
	bool closed = false;
	g_assert_cmpuint(passed_fds_take(&r.msg, kept, 2, &closed), ==, 2);
	g_assert_true(closed);
	for (int i = 0; i < 2; i++) {
		assert_dev_null(kept[i]);
		close(kept[i]);
	}
	received_close(&r);
	g_assert_cmpuint(open_fds(), ==, before);
}

static void test_room_for_all_closes_none(void)
{
	guint before = open_fds();
	Received r;
	receive_with(&r, 3);
	int kept[4];
	bool closed = true;
	g_assert_cmpuint(passed_fds_take(&r.msg, kept, 4, &closed), ==, 3);
	g_assert_false(closed);
	for (int i = 0; i < 3; i++) {
		assert_dev_null(kept[i]);
		close(kept[i]);
	}
	received_close(&r);
	g_assert_cmpuint(open_fds(), ==, before);
}

/* Attaching none sends no control message; taking then finds none. */
static void test_none_attached_none_taken(void)
{
	Received r;
	receive_with(&r, 0);
	g_assert_cmpuint(r.msg.msg_controllen, ==, 0);
	int kept = -1;
	g_assert_cmpuint(passed_fds_take(&r.msg, &kept, 1, NULL), ==, 0);
	g_assert_cmpint(kept, ==, -1);
	received_close(&r);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/passed-fds/first-ones-kept-the-rest-closed",
	                test_first_ones_kept_the_rest_closed);
	g_test_add_func("/passed-fds/room-for-all-closes-none", test_room_for_all_closes_none);
	g_test_add_func("/passed-fds/none-attached-none-taken", test_none_attached_none_taken);
	return g_test_run();
}
