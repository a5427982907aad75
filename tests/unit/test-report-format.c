/* test-report-format.c — executor/report-format.c: sizes and quotas as the
 * reports print them, numbers as event details carry them, and when an
 * event's text says nothing its details do not. */
#include "reports/report-format.h"

static void test_limit_is_exact_in_its_largest_whole_unit(void)
{
	static const struct { guint64 bytes; const char *text; } cases[] = {
		{ 64ull << 20, "64 MiB" }, { 1ull << 30, "1 GiB" }, { 4ull << 40, "4 TiB" },
		{ 1536ull << 10, "1536 KiB" }, { 1024, "1 KiB" }, { 1000, "1000 bytes" },
		{ 0, "0 bytes" }, { (64ull << 20) + 1, "64.0 MiB" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *t = report_limit(cases[i].bytes);
		g_assert_cmpstr(t, ==, cases[i].text);
	}
}

static void test_pool_is_peak_of_quota(void)
{
	g_autofree char *a = report_pool(20480, 64ull << 20);
	g_assert_cmpstr(a, ==, "20.0 KiB of 64 MiB");
	g_autofree char *b = report_pool(20480, 0);
	g_assert_cmpstr(b, ==, "20.0 KiB");
	g_autofree char *c = report_pool(0, 16ull << 20);
	g_assert_cmpstr(c, ==, "0 bytes of 16 MiB");
}

static void test_is_number(void)
{
	static const char *const yes[] = { "0", "12", "-1", "3.5", "1e3", "18446744073709551615" };
	static const char *const no[] = { "", " 1", "1 ", "12x", "a", "1.2.3", "10.0.0.1", "--1" };
	for (gsize i = 0; i < G_N_ELEMENTS(yes); i++)
		g_assert_true(report_is_number(yes[i]));
	for (gsize i = 0; i < G_N_ELEMENTS(no); i++)
		g_assert_false(report_is_number(no[i]));
	g_assert_false(report_is_number(NULL));
}

/* The shipped experts' event texts beside their details, and texts that
 * say more than their details. */
static void test_text_redundant_when_its_words_are_the_details(void)
{
	const char *pd[] = { "eth/ip/tcp", "tcp", "2", "118", "36098" };
	g_assert_true(report_text_redundant("eth/ip/tcp", pd, G_N_ELEMENTS(pd)));
	const char *tt[] = { "mac", "1", "00:1f:33:d9:81:60", "30", "4482" };
	g_assert_true(report_text_redundant("mac #1 00:1f:33:d9:81:60", tt, G_N_ELEMENTS(tt)));
	const char *tr[] = { "0", "10.10.1.4", "1470", "74.53.140.153", "25", "53" };
	g_assert_true(report_text_redundant("10.10.1.4:1470 -> 74.53.140.153:25", tr, G_N_ELEMENTS(tr)));
	const char *v6[] = { "fe80::1", "22", "2001:db8::5", "51000" };
	g_assert_true(report_text_redundant("[2001:db8::5]:51000 -> [fe80::1]:22", v6, G_N_ELEMENTS(v6)));
	const char *srt[] = { "dns", "10.10.1.1", "1", "34025" };
	g_assert_true(report_text_redundant("dns 10.10.1.1", srt, G_N_ELEMENTS(srt)));
	const char *none[] = { "1" };
	g_assert_true(report_text_redundant("", none, 1));
	g_assert_true(report_text_redundant(" -> ", none, 1));

	/* A word of its own, or a number only inside another. */
	g_assert_false(report_text_redundant("total", pd, G_N_ELEMENTS(pd)));
	g_assert_false(report_text_redundant("retransmission in stream 3", tr, G_N_ELEMENTS(tr)));
	const char *rank1[] = { "ipv4", "1", "10.10.1.255" };
	g_assert_false(report_text_redundant("ipv4 #12 10.10.1.255", rank1, G_N_ELEMENTS(rank1)));
	const char *partial[] = { "eth/ip/tcpx" };
	g_assert_false(report_text_redundant("tcp", partial, 1));
	g_assert_false(report_text_redundant("x", NULL, 0));
	const char *with_null[] = { NULL, "a" };
	g_assert_true(report_text_redundant("a", with_null, 2));
	/* Non-ASCII letters are letters: "é" is not a separator. */
	const char *accent[] = { "caf" };
	g_assert_false(report_text_redundant("café", accent, 1));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/report-format/limit-is-exact-in-its-largest-whole-unit",
	                test_limit_is_exact_in_its_largest_whole_unit);
	g_test_add_func("/report-format/pool-is-peak-of-quota", test_pool_is_peak_of_quota);
	g_test_add_func("/report-format/is-number", test_is_number);
	g_test_add_func("/report-format/text-redundant-when-its-words-are-the-details",
	                test_text_redundant_when_its_words_are_the_details);
	return g_test_run();
}
