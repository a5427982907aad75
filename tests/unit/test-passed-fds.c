/* test-passed-fds.c — taking the descriptors passed with a message
 * (executor/passed-fds.c): the first ones kept in order, every other one
 * closed, none left open behind the caller's back. */
#include "passed-fds.h"

#include <dirent.h>
#include <fcntl.h>
#include <glib.h>
#include <string.h>
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

/* Sends one byte with n descriptors (each a fresh /dev/null) over a new
 * socket pair, receives it; the message and its control data in *msg. */
static void send_and_receive(guint n, int sv[2], struct msghdr *msg, char *control,
                             size_t control_len)
{
	g_assert_cmpint(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), ==, 0);
	int fds[8];
	g_assert_cmpuint(n, <=, G_N_ELEMENTS(fds));
	for (guint i = 0; i < n; i++)
		fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	char out_control[CMSG_SPACE(sizeof fds)];
	memset(out_control, 0, sizeof out_control);
	char byte = 'x';
	struct iovec iov = { &byte, 1 };
	struct msghdr out = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (n > 0) {
		out.msg_control = out_control;
		out.msg_controllen = CMSG_SPACE(n * sizeof(int));
		struct cmsghdr *c = CMSG_FIRSTHDR(&out);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(n * sizeof(int));
		memcpy(CMSG_DATA(c), fds, n * sizeof(int));
	}
	g_assert_cmpint(sendmsg(sv[0], &out, 0), ==, 1);
	for (guint i = 0; i < n; i++)
		close(fds[i]);
	static char in_byte;
	static struct iovec in_iov = { &in_byte, 1 };
	*msg = (struct msghdr){ .msg_iov = &in_iov, .msg_iovlen = 1, .msg_control = control,
	                        .msg_controllen = control_len };
	g_assert_cmpint(recvmsg(sv[1], msg, MSG_CMSG_CLOEXEC), ==, 1);
}

static void test_first_ones_kept_the_rest_closed(void)
{
	guint before = open_fds();
	int sv[2];
	union {
		char buf[CMSG_SPACE(sizeof(int) * 8)];
		struct cmsghdr align;
	} control;
	struct msghdr msg;
	send_and_receive(5, sv, &msg, control.buf, sizeof control.buf);
	int kept[2] = { -1, -1 };
	bool closed = false;
	g_assert_cmpuint(passed_fds_take(&msg, kept, 2, &closed), ==, 2);
	g_assert_true(closed);
	struct stat st;
	for (int i = 0; i < 2; i++) {
		g_assert_cmpint(fstat(kept[i], &st), ==, 0);
		g_assert_true(S_ISCHR(st.st_mode));
		close(kept[i]);
	}
	close(sv[0]);
	close(sv[1]);
	g_assert_cmpuint(open_fds(), ==, before);
}

static void test_room_for_all_closes_none(void)
{
	guint before = open_fds();
	int sv[2];
	union {
		char buf[CMSG_SPACE(sizeof(int) * 8)];
		struct cmsghdr align;
	} control;
	struct msghdr msg;
	send_and_receive(3, sv, &msg, control.buf, sizeof control.buf);
	int kept[4];
	bool closed = true;
	g_assert_cmpuint(passed_fds_take(&msg, kept, 4, &closed), ==, 3);
	g_assert_false(closed);
	for (int i = 0; i < 3; i++)
		close(kept[i]);
	close(sv[0]);
	close(sv[1]);
	g_assert_cmpuint(open_fds(), ==, before);
}

static void test_no_descriptors_takes_none(void)
{
	int sv[2];
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct msghdr msg;
	send_and_receive(0, sv, &msg, control.buf, sizeof control.buf);
	int kept = -1;
	g_assert_cmpuint(passed_fds_take(&msg, &kept, 1, NULL), ==, 0);
	g_assert_cmpint(kept, ==, -1);
	close(sv[0]);
	close(sv[1]);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/passed-fds/first-ones-kept-the-rest-closed",
	                test_first_ones_kept_the_rest_closed);
	g_test_add_func("/passed-fds/room-for-all-closes-none", test_room_for_all_closes_none);
	g_test_add_func("/passed-fds/no-descriptors-takes-none", test_no_descriptors_takes_none);
	return g_test_run();
}
