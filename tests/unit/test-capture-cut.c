/* test-capture-cut.c — a capture cut short for eof@N
 * (executor/captures/capture-cut.c): the first frames exactly as loaded,
 * no more, the link type kept even with no frame left, marked partial with
 * the reason, sealed like the original. */
#include "capture-format.h"
#include "captures/capture-cut.h"
#include "protocol/capture-view.h"

#include <fcntl.h>
#include <glib.h>
#include <string.h>
#include <sys/mman.h>

static const guint8 *map(const Capture *c)
{
	void *p = capture_view_map(c->fd, c->memfd_size, c->file_fd, c->size);
	g_assert_true(p != MAP_FAILED);
	return p;
}

/* Either way the frames were loaded: a cut of frames left in the file
 * keeps the same file, only its index is shorter. */
static void test_cut_keeps_first_frames(gconstpointer data)
{
	CaptureFrames way = (CaptureFrames)GPOINTER_TO_INT(data);
	g_autofree char *path = g_build_filename(g_getenv("EXPERT_TEST_DATA"), "smtp.pcap", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(Capture) whole = capture_load_as(path, way, &error);
	g_assert_no_error(error);
	g_assert_cmpint(whole->file_fd >= 0, ==, way == CAPTURE_FRAMES_IN_FILE_IF_ABLE);
	g_assert_cmpuint(whole->frame_count, >, 20);
	const guint8 *a = map(whole);
	const CaptureHeader *ha = (const CaptureHeader *)a;
	static const guint64 cuts[] = { 0, 1, 9, 20 };
	for (gsize i = 0; i < G_N_ELEMENTS(cuts); i++) {
		g_autoptr(Capture) cut = capture_cut(whole, cuts[i], "cut by the test", &error);
		g_assert_no_error(error);
		g_assert_cmpuint(cut->frame_count, ==, cuts[i]);
		g_assert_true(cut->partial);
		g_assert_cmpstr(cut->partial_reason, ==, "cut by the test");
		g_assert_cmpuint(cut->link_type, ==, whole->link_type);
		g_assert_cmpint(fcntl(cut->fd, F_GET_SEALS) & F_SEAL_WRITE, !=, 0);
		g_assert_cmpint(cut->file_fd >= 0, ==, whole->file_fd >= 0);
		const guint8 *b = map(cut);
		const CaptureHeader *hb = (const CaptureHeader *)b;
		g_assert_cmpuint(hb->frame_count, ==, cuts[i]);
		g_assert_cmpuint(hb->link_type, ==, ha->link_type);
		g_assert_cmpuint(hb->flags & CAPTURE_FLAG_PARTIAL, !=, 0);
		g_assert_cmpuint(hb->total_size, ==, cut->size);
		for (guint64 f = 0; f < cuts[i]; f++) {
			const CaptureRecord *ra = (const CaptureRecord *)(a + ha->records_offset) + f;
			const CaptureRecord *rb = (const CaptureRecord *)(b + hb->records_offset) + f;
			g_assert_cmpint(ra->ts_sec, ==, rb->ts_sec);
			g_assert_cmpuint(ra->ts_nsec, ==, rb->ts_nsec);
			g_assert_cmpuint(ra->orig_len, ==, rb->orig_len);
			g_assert_cmpmem(a + ha->data_offset + ra->offset, ra->cap_len,
			                b + hb->data_offset + rb->offset, rb->cap_len);
		}
		munmap((void *)b, cut->size);
	}
	/* Past the end: every frame, still marked as cut. */
	g_autoptr(Capture) all = capture_cut(whole, whole->frame_count + 5, "x", &error);
	g_assert_cmpuint(all->frame_count, ==, whole->frame_count);
	g_assert_cmpuint(all->bytes_captured, ==, whole->bytes_captured);
	munmap((void *)a, whole->size);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_data_func("/capture-cut/keeps-the-first-frames/in-file",
	                     GINT_TO_POINTER(CAPTURE_FRAMES_IN_FILE_IF_ABLE), test_cut_keeps_first_frames);
	g_test_add_data_func("/capture-cut/keeps-the-first-frames/copied",
	                     GINT_TO_POINTER(CAPTURE_FRAMES_COPIED), test_cut_keeps_first_frames);
	return g_test_run();
}
