/* test-progress.c — the experts' frame loop and its progress reports
 * (experts/common/progress.c), against a fake libexpert. */
#include "fake-libexpert.h"
#include "progress.h"

#include <glib.h>

static ExpertError count_frame(void *ctx, const ExpertFrame *frame)
{
	uint64_t *seen = ctx;
	g_assert_cmpuint(frame->number, ==, *seen + 1);
	(*seen)++;
	return EXPERT_OK;
}

static const FakeStatus *status(guint i)
{
	GPtrArray *statuses = fake_libexpert_statuses();
	g_assert_cmpuint(i, <, statuses->len);
	return g_ptr_array_index(statuses, i);
}

/* 1000 frames: "frame 0 of 1000" at 0%, then one status per whole percent,
 * on the frame that reaches it. */
static void test_reports_once_per_percent(void)
{
	ExpertKey *key = fake_libexpert_start(1000);
	uint64_t seen = 0;
	g_assert_cmpint(progress_each_frame(key, 1000, count_frame, &seen), ==, EXPERT_OK);
	g_assert_cmpuint(seen, ==, 1000);
	g_assert_cmpuint(fake_libexpert_statuses()->len, ==, 101);
	g_assert_cmpstr(status(0)->text, ==, "frame 0 of 1000");
	g_assert_cmpint(status(0)->percent, ==, 0);
	for (guint i = 1; i <= 100; i++) {
		g_autofree char *text = g_strdup_printf("frame %u of 1000", i * 10);
		g_assert_cmpint(status(i)->state, ==, EXPERT_STATE_RUNNING);
		g_assert_cmpint(status(i)->percent, ==, (int)i);
		g_assert_cmpstr(status(i)->text, ==, text);
	}
}

/* Fewer frames than percents: a status on every frame, percent jumping. */
static void test_small_capture_reports_every_frame(void)
{
	ExpertKey *key = fake_libexpert_start(3);
	uint64_t seen = 0;
	g_assert_cmpint(progress_each_frame(key, 3, count_frame, &seen), ==, EXPERT_OK);
	g_assert_cmpuint(fake_libexpert_statuses()->len, ==, 4);
	g_assert_cmpint(status(1)->percent, ==, 33);
	g_assert_cmpint(status(2)->percent, ==, 66);
	g_assert_cmpint(status(3)->percent, ==, 100);
	g_assert_cmpstr(status(3)->text, ==, "frame 3 of 3");
}

/* An empty capture, or an unknown count: only the first status. */
static void test_zero_frame_count_reports_only_the_start(void)
{
	ExpertKey *key = fake_libexpert_start(5);
	uint64_t seen = 0;
	g_assert_cmpint(progress_each_frame(key, 0, count_frame, &seen), ==, EXPERT_OK);
	g_assert_cmpuint(seen, ==, 5);
	g_assert_cmpuint(fake_libexpert_statuses()->len, ==, 1);
	g_assert_cmpstr(status(0)->text, ==, "frame 0 of 0");
}

static ExpertError fail_on_third(void *ctx, const ExpertFrame *frame)
{
	(void)ctx;
	return frame->number == 3 ? EXPERT_ERR_NO_MEMORY : EXPERT_OK;
}

/* The handler's error ends the loop at once, with no status for that frame. */
static void test_handler_error_stops_the_loop(void)
{
	ExpertKey *key = fake_libexpert_start(10);
	g_assert_cmpint(progress_each_frame(key, 10, fail_on_third, NULL), ==, EXPERT_ERR_NO_MEMORY);
	g_assert_cmpuint(fake_libexpert_frames_read(), ==, 3);
	g_assert_cmpuint(fake_libexpert_statuses()->len, ==, 3); /* 0%, 10%, 20% */
}

/* A status refused (the host asks the expert to stop) ends the loop too,
 * before the next frame is read. */
static void test_status_error_stops_the_loop(void)
{
	ExpertKey *key = fake_libexpert_start(10);
	fake_libexpert_fail_status_from(3, EXPERT_ERR_TERMINATE);
	uint64_t seen = 0;
	g_assert_cmpint(progress_each_frame(key, 10, count_frame, &seen), ==, EXPERT_ERR_TERMINATE);
	g_assert_cmpuint(seen, ==, 2);
	g_assert_cmpuint(fake_libexpert_frames_read(), ==, 2);

	key = fake_libexpert_start(10);
	fake_libexpert_fail_status_from(1, EXPERT_ERR_TERMINATE);
	seen = 0;
	g_assert_cmpint(progress_each_frame(key, 10, count_frame, &seen), ==, EXPERT_ERR_TERMINATE);
	g_assert_cmpuint(fake_libexpert_frames_read(), ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/progress/reports-once-per-percent", test_reports_once_per_percent);
	g_test_add_func("/progress/small-capture-reports-every-frame",
	                test_small_capture_reports_every_frame);
	g_test_add_func("/progress/zero-frame-count-reports-only-the-start",
	                test_zero_frame_count_reports_only_the_start);
	g_test_add_func("/progress/handler-error-stops-the-loop", test_handler_error_stops_the_loop);
	g_test_add_func("/progress/status-error-stops-the-loop", test_status_error_stops_the_loop);
	int rc = g_test_run();
	fake_libexpert_start(0); /* frees what the last test left */
	return rc;
}
