/* test-output-name.c — the output-name rule (libexpert/output-name.c) that
 * experts, libexpert and the executor all apply. */
#include "expert.h"

#include <glib.h>
#include <string.h>

static void test_plain_names_are_valid(void)
{
	static const char *const good[] = {
		"out.pcap", "coalesced.pcapng", "a", "A-Z_0-9.x", "trailing.", "dots..inside",
	};
	for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
		g_test_message("%s", good[i]);
		g_assert_true(expert_output_name_valid(good[i]));
	}
}

static void test_paths_hidden_and_empty_names_are_invalid(void)
{
	static const char *const bad[] = {
		"", ".hidden", ".", "..", "../escape.pcap", "dir/out.pcap", "/abs.pcap",
		"with space", "tab\there", "new\nline", "colon:x", "star*", "caf\xc3\xa9.pcap",
	};
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_test_message("%s", bad[i]);
		g_assert_false(expert_output_name_valid(bad[i]));
	}
}

static void test_length_is_bounded_by_the_max(void)
{
	char name[EXPERT_OUTPUT_NAME_MAX + 2];
	memset(name, 'x', sizeof name);
	name[EXPERT_OUTPUT_NAME_MAX] = '\0';
	g_assert_true(expert_output_name_valid(name));
	name[EXPERT_OUTPUT_NAME_MAX] = 'x';
	name[EXPERT_OUTPUT_NAME_MAX + 1] = '\0';
	g_assert_false(expert_output_name_valid(name));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/output-name/plain-names-are-valid", test_plain_names_are_valid);
	g_test_add_func("/output-name/paths-hidden-and-empty-names-are-invalid",
	                test_paths_hidden_and_empty_names_are_invalid);
	g_test_add_func("/output-name/length-is-bounded-by-the-max", test_length_is_bounded_by_the_max);
	return g_test_run();
}
