/* test-html-page.c — executor/html-page.c: the page's Content-Security-Policy
 * allows its own inline stylesheet and script by their SHA-256 and nothing
 * else, nothing in the frame would fetch, and a report is written whole or
 * not at all. */
#include "reports/html-page.h"
#include "reports/html-report.h"
#include "temp-dir.h"

#include <glib/gstdio.h>
#include <string.h>

static char *between(const char *page, const char *open, const char *close)
{
	const char *a = strstr(page, open);
	g_assert_nonnull(a);
	a += strlen(open);
	const char *z = strstr(a, close);
	g_assert_nonnull(z);
	return g_strndup(a, (gsize)(z - a));
}

static void assert_csp_allows(const char *csp, const char *content)
{
	guint8 digest[32];
	gsize len = sizeof digest;
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(sum, (const guchar *)content, (gssize)strlen(content));
	g_checksum_get_digest(sum, digest, &len);
	g_autofree char *b64 = g_base64_encode(digest, len);
	g_autofree char *source = g_strdup_printf("'sha256-%s'", b64);
	g_assert_nonnull(strstr(csp, source));
}

static void test_csp_allows_exactly_the_page_own_style_and_script(void)
{
	GString *out = g_string_new(NULL);
	html_page_begin(out, "<title>");
	html_page_end(out);
	g_autofree char *page = g_string_free(out, FALSE);
	g_assert_nonnull(strstr(page, "<title>&lt;title&gt;</title>"));
	g_autofree char *csp = between(page, "Content-Security-Policy\" content=\"", "\"");
	g_assert_true(g_str_has_prefix(csp, "default-src 'none'; "));
	g_assert_null(strstr(csp, "unsafe"));
	g_autofree char *style = between(page, "<style>", "</style>");
	g_autofree char *script = between(page, "<script>", "</script>");
	assert_csp_allows(csp, style);
	assert_csp_allows(csp, script);
	/* Nothing that would fetch. */
	g_assert_null(strstr(page, "src="));
	g_assert_null(strstr(page, "url("));
	g_assert_null(strstr(page, "@import"));
	g_assert_null(strstr(page, "http://www.w3.org/2000/svg\" href"));
}

static gsize entries(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	gsize n = 0;
	while (d && g_dir_read_name(d))
		n++;
	return n;
}

static void test_file_is_written_whole_or_not_at_all(void)
{
	g_autofree char *dir = temp_dir_new("test-html-XXXXXX");
	g_autofree char *path = g_build_filename(dir, "report.html", NULL);
	g_autoptr(JsonNode) root = json_from_string("{\"jobs\":[]}", NULL);
	g_autoptr(GError) error = NULL;
	g_assert_true(g_file_set_contents(path, "old", -1, NULL));
	g_assert_true(html_report_write(html_report_run, root, path, &error));
	g_assert_no_error(error);
	g_autofree char *text = NULL;
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	g_assert_true(g_str_has_prefix(text, "<!DOCTYPE html>") && g_str_has_suffix(text, "</html>\n"));
	g_assert_cmpuint(entries(dir), ==, 1);

	/* A directory in the way, or no directory: an error naming --html, and
	 * no temporary left behind. */
	g_autofree char *sub = g_build_filename(dir, "sub", NULL);
	g_assert_cmpint(g_mkdir(sub, 0700), ==, 0);
	g_assert_false(html_report_write(html_report_run, root, sub, &error));
	g_assert_nonnull(error);
	g_assert_true(g_str_has_prefix(error->message, "--html: "));
	g_clear_error(&error);
	g_assert_cmpuint(entries(dir), ==, 2);
	g_assert_cmpuint(entries(sub), ==, 0);
	g_assert_cmpint(g_rmdir(sub), ==, 0);
	g_autofree char *nowhere = g_build_filename(dir, "no", "such", "report.html", NULL);
	g_assert_false(html_report_write(html_report_run, root, nowhere, &error));
	g_clear_error(&error);
	g_assert_cmpuint(entries(dir), ==, 1);
	temp_dir_remove(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/html-page/csp-allows-exactly-the-page-own-style-and-script",
	                test_csp_allows_exactly_the_page_own_style_and_script);
	g_test_add_func("/html-page/file-is-written-whole-or-not-at-all",
	                test_file_is_written_whole_or_not_at_all);
	return g_test_run();
}
