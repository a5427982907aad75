/* test-refuse.c — experts/common/refuse.c against the fake libexpert: the
 * text an expert sends with expert_fail names the key, what it expected and
 * the value given, cut to fit, never mid-character. */
#include "fake-libexpert.h"
#include "refuse.h"

#include <glib.h>
#include <string.h>

static const char *only_failure(void)
{
	GPtrArray *f = fake_libexpert_failures();
	g_assert_cmpuint(f->len, ==, 1);
	return f->pdata[0];
}

static void test_setting_names_key_value_and_expectation(void)
{
	ExpertKey *key = fake_libexpert_start(0);
	fake_libexpert_set_config("top", "abc");
	g_assert_cmpint(refuse_setting(key, "top", "a count of 1 or more"), ==, EXPERT_ERR_FAILED);
	g_assert_cmpstr(only_failure(), ==, "top: expected a count of 1 or more, not \"abc\"");
}

static void test_setting_not_given_quotes_nothing(void)
{
	ExpertKey *key = fake_libexpert_start(0);
	refuse_setting(key, "by", "bytes or frames");
	g_assert_cmpstr(only_failure(), ==, "by: expected bytes or frames, not \"\"");
}

static void test_long_value_cut_on_a_character(void)
{
	ExpertKey *key = fake_libexpert_start(0);
	/* 63 ASCII bytes, then a two-byte character across the 64-byte cut. */
	GString *value = g_string_new(NULL);
	for (int i = 0; i < 63; i++)
		g_string_append_c(value, 'x');
	g_string_append(value, "\xc3\xa9tail");
	fake_libexpert_set_config("output", value->str);
	refuse_setting(key, "output", "a file name");
	const char *text = only_failure();
	g_assert_true(g_utf8_validate(text, -1, NULL));
	g_autofree char *expected = g_strdup_printf("output: expected a file name, not \"%.63s\"...",
	                                            value->str);
	g_assert_cmpstr(text, ==, expected);
	g_string_free(value, TRUE);
}

static void test_because_joins_what_and_why(void)
{
	ExpertKey *key = fake_libexpert_start(0);
	g_assert_cmpint(refuse_because(key, "coalesced.pcap", "cannot create it"), ==,
	                EXPERT_ERR_FAILED);
	g_assert_cmpstr(only_failure(), ==, "coalesced.pcap: cannot create it");
}

static void test_text_bounded_by_the_api_limit(void)
{
	ExpertKey *key = fake_libexpert_start(0);
	char why[2 * EXPERT_TEXT_MAX];
	memset(why, 'y', sizeof why - 1);
	why[sizeof why - 1] = '\0';
	refuse_because(key, "what", why);
	g_assert_cmpuint(strlen(only_failure()), ==, EXPERT_TEXT_MAX - 1);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/refuse/setting-names-key-value-and-expectation",
	                test_setting_names_key_value_and_expectation);
	g_test_add_func("/refuse/setting-not-given-quotes-nothing", test_setting_not_given_quotes_nothing);
	g_test_add_func("/refuse/long-value-cut-on-a-character", test_long_value_cut_on_a_character);
	g_test_add_func("/refuse/because-joins-what-and-why", test_because_joins_what_and_why);
	g_test_add_func("/refuse/text-bounded-by-the-api-limit", test_text_bounded_by_the_api_limit);
	return g_test_run();
}
