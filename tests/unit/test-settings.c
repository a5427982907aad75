/* test-settings.c — experts/common/settings.c: only the plain spelling of a
 * value is accepted, everything else is refused (and then the expert's
 * configure fails), and an absent setting keeps the default. */
#include "settings.h"

#include <glib.h>

static void test_count_accepts_plain_decimal_in_range(void)
{
	uint64_t v = 42;
	g_assert_true(settings_count(NULL, 1, 10, &v));
	g_assert_cmpuint(v, ==, 42);
	g_assert_true(settings_count("7", 1, 10, &v));
	g_assert_cmpuint(v, ==, 7);
	g_assert_true(settings_count("010", 1, 10, &v));
	g_assert_cmpuint(v, ==, 10);
	g_assert_true(settings_count("18446744073709551615", 0, UINT64_MAX, &v));
	g_assert_cmpuint(v, ==, UINT64_MAX);
	static const char *const bad[] = {
		"", "0", "11", "-1", "+1", " 1", "1 ", "1e1", "0x5", "ten", "18446744073709551616",
		"99999999999999999999999",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		v = 42;
		g_assert_false(settings_count(bad[i], 1, 10, &v));
		g_assert_cmpuint(v, ==, 42);
	}
}

static void test_size_accepts_decimal_with_a_1024_based_suffix(void)
{
	uint64_t v = 42;
	g_assert_true(settings_size(NULL, 1, 100, &v));
	g_assert_cmpuint(v, ==, 42);
	static const struct {
		const char *text;
		uint64_t value;
	} good[] = {
		{ "65536", 65536 }, { "64K", 64ull << 10 }, { "16M", 16ull << 20 },
		{ "1G", 1ull << 30 }, { "0K", 0 }, { "17179869183G", 17179869183ull << 30 },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
		g_assert_true(settings_size(good[i].text, 0, UINT64_MAX, &v));
		g_assert_cmpuint(v, ==, good[i].value);
	}
	static const char *const bad[] = {
		"", "K", "1k", "1KB", "1 K", " 1K", "-1K", "1T", "1.5M", "17179869184G",
		"18446744073709551616",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		v = 42;
		g_assert_false(settings_size(bad[i], 0, UINT64_MAX, &v));
		g_assert_cmpuint(v, ==, 42);
	}
	/* The range applies to the size, after the suffix. */
	g_assert_false(settings_size("63K", 64 << 10, 1 << 30, &v));
	g_assert_true(settings_size("64K", 64 << 10, 1 << 30, &v));
	g_assert_false(settings_size("2G", 64 << 10, 1 << 30, &v));
}

static void test_yes_no_and_choice(void)
{
	bool b = true;
	g_assert_true(settings_yes_no(NULL, &b));
	g_assert_true(b);
	g_assert_true(settings_yes_no("no", &b));
	g_assert_false(b);
	g_assert_true(settings_yes_no("yes", &b));
	g_assert_true(b);
	static const char *const bad[] = { "", "YES", "true", "1", "y", "yes ", "nope" };
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
		g_assert_false(settings_yes_no(bad[i], &b));

	static const char *const names[] = { "bytes", "frames", NULL };
	unsigned c = 9;
	g_assert_true(settings_choice("frames", names, &c));
	g_assert_cmpuint(c, ==, 1);
	g_assert_false(settings_choice("frame", names, &c));
	g_assert_false(settings_choice("bytesframes", names, &c));
	g_assert_cmpuint(c, ==, 1);
}

static void test_set_of_names(void)
{
	static const char *const names[] = { "mac", "ipv4", "ipv6", NULL };
	uint32_t s = 0xff;
	g_assert_true(settings_set(NULL, names, &s));
	g_assert_cmphex(s, ==, 0xff);
	g_assert_true(settings_set("ipv6", names, &s));
	g_assert_cmphex(s, ==, 4);
	g_assert_true(settings_set("ipv4,mac,ipv4", names, &s));
	g_assert_cmphex(s, ==, 3);
	static const char *const bad[] = { "", ",", "mac,", ",mac", "mac,,ipv4", "mac ipv4",
	                                   "ip", "MAC", "mac, ipv4" };
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		s = 0xff;
		g_assert_false(settings_set(bad[i], names, &s));
		g_assert_cmphex(s, ==, 0xff);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/settings/count-accepts-plain-decimal-in-range",
	                test_count_accepts_plain_decimal_in_range);
	g_test_add_func("/settings/size-accepts-decimal-with-a-1024-based-suffix",
	                test_size_accepts_decimal_with_a_1024_based_suffix);
	g_test_add_func("/settings/yes-no-and-choice", test_yes_no_and_choice);
	g_test_add_func("/settings/set-of-names", test_set_of_names);
	return g_test_run();
}
