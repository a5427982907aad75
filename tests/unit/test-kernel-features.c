/* test-kernel-features.c — the kernel probe (executor/kernel/kernel-features.c):
 * one table, every feature answered with a reason and the same answer every
 * time; and where the kernel's own build configuration is readable, the
 * probe agrees with it. How expert-exec prints it is
 * tests/integration/test-kernel-report.c. */
#include "kernel/kernel-features.h"

#include <glib.h>
#include <string.h>

static void test_table_is_complete(void)
{
	gsize n;
	const KernelFeatureInfo *table = kernel_feature_table(&n);
	g_assert_cmpuint(n, ==, KERNEL_FEATURE_N);
	g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);
	for (gsize i = 0; i < n; i++) {
		g_assert_cmpint(table[i].id, ==, (KernelFeatureId)i);
		g_assert_true(kernel_feature_info(table[i].id) == &table[i]);
		g_assert_nonnull(table[i].probe);
		g_assert_cmpstr(table[i].what, !=, "");
		/* Names are what --version and JSON show: unique, lower-case words. */
		g_assert_true(g_hash_table_add(names, (gpointer)table[i].name));
		for (const char *c = table[i].name; *c; c++)
			g_assert_true(g_ascii_islower(*c) || g_ascii_isdigit(*c) || *c == '-');
	}
}

/* Every probe answers with what it saw, and the cache keeps the answer. */
static void test_every_feature_answered_once(void)
{
	for (int id = 0; id < KERNEL_FEATURE_N; id++) {
		const KernelFeatureResult *r = kernel_feature(id);
		g_test_message("%-16s %-8s %s", kernel_feature_info(id)->name,
		               kernel_feature_state_name(r->state), r->detail);
		g_assert_cmpuint(strlen(r->detail), >, 10);
		KernelFeatureResult again;
		memset(&again, 0, sizeof(again));
		kernel_feature_info(id)->probe(&again);
		/* A fresh probe says the same: the kernel did not change. */
		g_assert_cmpint(again.state, ==, r->state);
		g_assert_cmpint(again.version, ==, r->version);
		g_assert_true(kernel_feature(id) == r);
		if (id == KERNEL_FEATURE_LANDLOCK)
			g_assert_cmpint(r->version > 0, ==, r->state == KERNEL_FEATURE_PRESENT);
	}
}

/* ---- against the kernel's configuration --------------------------------- */

/* The kernel's build configuration (/proc/config.gz, CONFIG_IKCONFIG_PROC),
 * or NULL with the reason it is not readable. */
static GHashTable *kernel_config(char **why)
{
	g_autofree char *out = NULL, *err = NULL;
	int status;
	const char *argv[] = { "gzip", "-dc", "/proc/config.gz", NULL };
	if (!g_file_test("/proc/config.gz", G_FILE_TEST_EXISTS)) {
		*why = g_strdup("/proc/config.gz does not exist (CONFIG_IKCONFIG_PROC off)");
		return NULL;
	}
	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
	                  &status, NULL) || !g_spawn_check_wait_status(status, NULL)) {
		*why = g_strdup("cannot read /proc/config.gz with gzip");
		return NULL;
	}
	GHashTable *config = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
	for (GStrv l = lines; *l; l++) {
		char *eq = strchr(*l, '=');
		if (g_str_has_prefix(*l, "CONFIG_") && eq)
			g_hash_table_insert(config, g_strndup(*l, (gsize)(eq - *l)), g_strdup(eq + 1));
	}
	return config;
}

static gboolean config_on(GHashTable *config, const char *key)
{
	const char *v = g_hash_table_lookup(config, key);
	return v && g_str_equal(v, "y");
}

/* A parameter on the kernel's command line, or NULL. */
static char *cmdline_value(const char *name)
{
	g_autofree char *cmdline = NULL;
	if (!g_file_get_contents("/proc/cmdline", &cmdline, NULL, NULL))
		return NULL;
	g_auto(GStrv) words = g_strsplit_set(g_strstrip(cmdline), " \t", -1);
	g_autofree char *prefix = g_strconcat(name, "=", NULL);
	for (GStrv w = words; *w; w++)
		if (g_str_has_prefix(*w, prefix))
			return g_strdup(*w + strlen(prefix));
	return NULL;
}

static void assert_state(KernelFeatureId id, KernelFeatureState want, const char *because)
{
	const KernelFeatureResult *r = kernel_feature(id);
	g_test_message("%s: the configuration says %s (%s); the probe: %s",
	               kernel_feature_info(id)->name, kernel_feature_state_name(want), because,
	               r->detail);
	g_assert_cmpstr(kernel_feature_state_name(r->state), ==, kernel_feature_state_name(want));
}

/* The ABIs and Landlock, which the build configuration and the command line
 * decide; user namespaces also depend on sysctls, so only "not built"
 * is checked. Where there is nothing to compare with, it says so. */
static void test_agrees_with_kernel_config(void)
{
	g_autofree char *why = NULL;
	g_autoptr(GHashTable) config = kernel_config(&why);
	if (!config) {
		g_test_skip(why);
		return;
	}
	if (kernel_self_filtered()) {
		g_test_skip("this test runs under a seccomp filter, whose answers may differ from "
		            "the kernel's configuration");
		return;
	}
#if defined(__x86_64__)
	g_autofree char *ia32 = cmdline_value("ia32_emulation");
	gboolean i386 = config_on(config, "CONFIG_IA32_EMULATION") &&
	                (ia32 ? g_str_equal(ia32, "1") || g_str_equal(ia32, "true") ||
	                        g_str_equal(ia32, "y")
	                      : !config_on(config, "CONFIG_IA32_EMULATION_DEFAULT_DISABLED"));
	assert_state(KERNEL_FEATURE_I386, i386 ? KERNEL_FEATURE_PRESENT : KERNEL_FEATURE_ABSENT,
	             "CONFIG_IA32_EMULATION, CONFIG_IA32_EMULATION_DEFAULT_DISABLED, ia32_emulation=");
	assert_state(KERNEL_FEATURE_X32,
	             config_on(config, "CONFIG_X86_X32_ABI") ? KERNEL_FEATURE_PRESENT
	                                                      : KERNEL_FEATURE_ABSENT,
	             "CONFIG_X86_X32_ABI");
#endif
	/* Landlock runs where it is built and in the list of active LSMs: the
	 * lsm= parameter, else CONFIG_LSM. */
	g_autofree char *lsm = cmdline_value("lsm");
	const char *active = lsm ? lsm : g_hash_table_lookup(config, "CONFIG_LSM");
	g_autofree char *unquoted = g_strdup(active ? active : "");
	g_strdelimit(unquoted, "\"", ' ');
	g_auto(GStrv) lsms = g_strsplit_set(unquoted, ", ", -1);
	gboolean landlock = config_on(config, "CONFIG_SECURITY_LANDLOCK") &&
	                    g_strv_contains((const char *const *)lsms, "landlock");
	assert_state(KERNEL_FEATURE_LANDLOCK, landlock ? KERNEL_FEATURE_PRESENT : KERNEL_FEATURE_ABSENT,
	             "CONFIG_SECURITY_LANDLOCK, lsm= or CONFIG_LSM");
	if (!config_on(config, "CONFIG_USER_NS"))
		assert_state(KERNEL_FEATURE_USER_NAMESPACES, KERNEL_FEATURE_ABSENT, "CONFIG_USER_NS");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/kernel-features/table-is-complete", test_table_is_complete);
	g_test_add_func("/kernel-features/every-feature-answered-once", test_every_feature_answered_once);
	g_test_add_func("/kernel-features/agrees-with-kernel-config", test_agrees_with_kernel_config);
	return g_test_run();
}
