/* test-html-report.c — executor/html-*.c: the page `run --html` and `stress
 * --html` render from a JSON document. Charts are chosen by detail keys
 * alone (the README documents the same table); members added later show up;
 * a document of the wrong shape renders without a critical; every string of
 * a hostile document, invalid UTF-8 included, stays text (only the page's
 * own tags and attributes are in it). The page's frame: test-html-page.c;
 * the same pages in a real browser: tests/report. */
#include "reports/html-charts.h"
#include "reports/html-report.h"

#include <string.h>

static JsonNode *parse(const char *text)
{
	g_autoptr(JsonParser) p = json_parser_new();
	g_autoptr(GError) error = NULL;
	g_assert_true(json_parser_load_from_data(p, text, -1, &error));
	g_assert_no_error(error);
	return json_node_copy(json_parser_get_root(p));
}

static char *render_run(const char *json)
{
	g_autoptr(JsonNode) root = parse(json);
	return g_string_free(html_report_run(root), FALSE);
}

/* The first <figure> of a chart shape, or NULL. */
static char *figure(const char *page, const char *shape)
{
	g_autofree char *start = g_strdup_printf("data-shape=\"%s\"", shape);
	const char *f = strstr(page, start);
	if (!f)
		return NULL;
	const char *end = strstr(f, "</figure>");
	g_assert_nonnull(end);
	return g_strndup(f, (gsize)(end - f));
}

static guint count(const char *haystack, const char *needle)
{
	guint n = 0;
	for (const char *p = haystack; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Events of each shape, beside near misses that must not be drawn: a key
 * missing, a number that is not one, negative, infinite. The expert's name
 * says nothing about its shapes. */
static const char shapes_doc[] =
	"{\"jobs\":[{\"expert\":{\"name\":\"Someone else's expert\"},\"outcome\":\"completed\","
	"\"events\":["
	"{\"severity\":\"info\",\"text\":\"a\",\"details\":{\"path\":\"eth\",\"depth\":\"0\",\"frames\":\"10\",\"bytes\":\"1000\"}},"
	"{\"severity\":\"info\",\"text\":\"b\",\"details\":{\"path\":\"eth/ip\",\"depth\":\"1\",\"frames\":\"8\",\"bytes\":\"800\"}},"
	"{\"severity\":\"info\",\"text\":\"c\",\"details\":{\"path\":\"eth/arp\",\"depth\":\"1\",\"frames\":\"2\"}},"
	"{\"severity\":\"info\",\"text\":\"d\",\"details\":{\"path\":\"eth/x\",\"depth\":\"one\",\"frames\":\"2\",\"bytes\":\"9\"}},"
	"{\"severity\":\"info\",\"text\":\"e\",\"details\":{\"layer\":\"mac\",\"address\":\"m1\",\"bytes\":\"50\"}},"
	"{\"severity\":\"info\",\"text\":\"f\",\"details\":{\"layer\":\"ipv4\",\"address\":\"i1\",\"bytes\":\"70\"}},"
	"{\"severity\":\"info\",\"text\":\"g\",\"details\":{\"layer\":\"mac\",\"address\":\"m2\",\"bytes\":\"90\"}},"
	"{\"severity\":\"info\",\"text\":\"h\",\"details\":{\"layer\":\"mac\",\"address\":\"m3\",\"bytes\":\"-5\"}},"
	"{\"severity\":\"info\",\"text\":\"i\",\"details\":{\"server\":\"s1\",\"min_us\":\"1\",\"avg_us\":\"5\",\"max_us\":\"90\"}},"
	"{\"severity\":\"info\",\"text\":\"j\",\"details\":{\"server\":\"s2\",\"min_us\":\"1\",\"avg_us\":\"inf\",\"max_us\":\"9\"}},"
	"{\"severity\":\"info\",\"text\":\"k\",\"details\":{\"server\":\"s3\",\"min_us\":\"1\",\"avg_us\":\"nan\",\"max_us\":\"9\"}},"
	"{\"severity\":\"info\",\"text\":\"l\",\"details\":{\"client\":\"c\",\"server\":\"s\",\"retransmitted_frames\":\"4\"}},"
	"{\"severity\":\"info\",\"text\":\"m\",\"details\":{\"client\":\"c\",\"retransmitted_frames\":\"4\"}},"
	"{\"severity\":\"info\",\"text\":\"total\",\"details\":{\"frames\":\"10\",\"bytes\":\"1000\"}}"
	"]},"
	"{\"expert\":{\"name\":\"Protocol Distribution\"},\"outcome\":\"completed\",\"events\":["
	"{\"severity\":\"info\",\"text\":\"nothing to draw\",\"details\":{\"path\":\"eth\"}}]}]}";

static void test_charts_come_from_detail_keys(void)
{
	g_autofree char *page = render_run(shapes_doc);
	g_autofree char *hierarchy = figure(page, "hierarchy");
	g_autofree char *talkers = figure(page, "talkers");
	g_autofree char *times = figure(page, "response-times");
	g_autofree char *retrans = figure(page, "retransmissions");
	g_assert_nonnull(hierarchy);
	g_assert_nonnull(talkers);
	g_assert_nonnull(times);
	g_assert_nonnull(retrans);
	/* One row per fitting event; one group heading per layer. */
	g_assert_cmpuint(count(hierarchy, "class=\"lbl\""), ==, 2);
	g_assert_cmpuint(count(talkers, "class=\"lbl\""), ==, 3);
	g_assert_cmpuint(count(talkers, "class=\"grp\""), ==, 2);
	g_assert_cmpuint(count(times, "class=\"lbl\""), ==, 1);
	g_assert_cmpuint(count(retrans, "class=\"lbl\""), ==, 1);
	/* Talkers: largest first within a layer (m2's 90 before m1's 50). */
	g_assert_true(strstr(talkers, ">m2<") < strstr(talkers, ">m1<"));
	g_assert_null(strstr(talkers, ">m3<"));
	/* Four figures in all: the second job's lone "path" fits nothing. */
	g_assert_cmpuint(count(page, "<figure"), ==, 4);
}

static void test_chart_rows_are_bounded(void)
{
	GString *doc = g_string_new("{\"jobs\":[{\"events\":[");
	for (int i = 0; i < CHART_ROWS_MAX + 10; i++)
		g_string_append_printf(doc, "%s{\"severity\":\"info\",\"text\":\"t\",\"details\":{"
		                       "\"layer\":\"ipv4\",\"address\":\"a%d\",\"bytes\":\"%d\"}}",
		                       i ? "," : "", i, 1000 - i);
	g_string_append(doc, "]}]}");
	g_autofree char *page = render_run(doc->str);
	g_string_free(doc, TRUE);
	g_autofree char *talkers = figure(page, "talkers");
	g_assert_cmpuint(count(talkers, "class=\"lbl\""), ==, CHART_ROWS_MAX);
	g_assert_nonnull(strstr(talkers, "(10 more not drawn"));
	/* The table keeps them all. */
	g_assert_nonnull(strstr(page, ">a49<"));
}

/* Members added on other branches (kernel features, a profile per job)
 * appear when the document has them. */
static void test_later_members_are_shown(void)
{
	g_autofree char *page = render_run(
		"{\"capture\":{\"path\":\"c.pcap\",\"frames\":3},"
		"\"kernel\":{\"landlock\":{\"abi\":7},\"seccomp_notify\":true,\"features\":[\"a\",\"b\"],"
		"\"abis\":{\"i386\":{\"state\":\"present\",\"detail\":\"<int 0x80>\",\"version\":1},"
		"\"x32\":{\"state\":\"absent\"}}},"
		"\"jobs\":[{\"expert\":{\"name\":\"E\"},\"outcome\":\"completed\",\"return_value\":0,"
		"\"fault\":{\"signal\":\"SIGSEGV\",\"code\":\"SEGV_MAPERR\",\"instruction_pointer\":\"0x1\","
		"\"address\":\"0x0\",\"code_bytes\":null},"
		"\"profile\":{\"name\":\"strict\",\"path\":\"/p/strict.profile\",\"digest\":\"sha256:abc\"}}]}");
	g_assert_nonnull(strstr(page, "<dt>kernel.landlock.abi</dt><dd>7</dd>"));
	g_assert_nonnull(strstr(page, "<dt>kernel.seccomp_notify</dt><dd>yes</dd>"));
	g_assert_nonnull(strstr(page, "<dt>kernel.features</dt><dd>a, b</dd>"));
	/* An object of objects is a table: a row per member, a column per key. */
	g_assert_nonnull(strstr(page, "<dt>kernel.abis</dt><dd><div class=\"table\">"));
	g_assert_nonnull(strstr(page, "<th>state</th><th>detail</th><th>version</th>"));
	g_assert_nonnull(strstr(page, "<td>x32</td><td>absent</td><td></td><td></td>"));
	g_assert_nonnull(strstr(page, "<dt>fault</dt><dd>SIGSEGV (SEGV_MAPERR) at ip 0x1, address "
	                              "0x0; code not readable (as the child reports it)</dd>"));
	g_assert_nonnull(strstr(page, "<dt>profile.digest</dt><dd>sha256:abc</dd>"));
	g_assert_nonnull(strstr(page, "<th>profile</th>"));
	g_assert_nonnull(strstr(page, "<dt>profile per job</dt><dd>E: strict</dd>"));
	g_autofree char *plain = render_run("{\"jobs\":[{\"expert\":{\"name\":\"E\"}}]}");
	g_assert_null(strstr(plain, "kernel"));
	g_assert_null(strstr(plain, "<th>profile</th>"));
}

/* GTest makes criticals fatal: a member of the wrong type must read as
 * absent, not as a critical. */
static void test_wrong_shapes_render(void)
{
	static const char *const docs[] = {
		"[]", "1", "{}", "{\"jobs\":5}", "{\"jobs\":[1,\"x\",null,[],{}]}",
		"{\"capture\":[],\"profile\":\"p\",\"kernel\":[1],\"executor\":{\"before\":3}}",
		"{\"jobs\":[{\"expert\":5,\"events\":{},\"outputs\":[1],\"violation\":[]}]}",
		"{\"jobs\":[{\"events\":[1,{\"details\":5},{\"details\":{\"path\":[],\"depth\":{}}}]}]}",
		"{\"jobs\":[{\"events\":[{\"severity\":1,\"text\":2,\"details\":{\"a\":null,\"b\":[1]}},"
		"{\"severity\":1,\"text\":2,\"details\":{\"a\":null,\"b\":[1]}}]}]}",
	};
	for (gsize i = 0; i < G_N_ELEMENTS(docs); i++) {
		g_autofree char *page = render_run(docs[i]);
		g_assert_true(g_str_has_suffix(page, "</html>\n"));
		g_autoptr(JsonNode) root = parse(docs[i]);
		GString *stress = html_report_stress(root);
		g_assert_true(g_str_has_suffix(stress->str, "</html>\n"));
		g_string_free(stress, TRUE);
	}
}

/* ---- hostile text ------------------------------------------------------- */

static const char *const hostile[] = {
	"<script>alert(1)</script>", "\"><img src=x onerror=alert(2)>", "'><svg onload=alert(3)>",
	"</text><script>alert(4)</script>", "javascript:alert(5)", "]]><!--", "a\x01" "b\x1b[31m",
	"\xff\xfe<b>", "abc\xe2\x80\xae" "evil", "&lt;&#60;", "</style></svg></table>",
};

static const char *pick(guint *i)
{
	return hostile[(*i)++ % G_N_ELEMENTS(hostile)];
}

/* A run document whose every string (member names of free-form objects
 * included) is hostile, invalid UTF-8 too: built, not parsed, as a parser
 * would refuse it. Its events fit every chart shape. */
static JsonNode *hostile_run(void)
{
	guint h = 0;
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "capture");
	json_builder_begin_object(b);
	static const char *const capture_keys[] = { "path", "format", "partial_reason" };
	for (gsize i = 0; i < G_N_ELEMENTS(capture_keys); i++) {
		json_builder_set_member_name(b, capture_keys[i]);
		json_builder_add_string_value(b, pick(&h));
	}
	json_builder_end_object(b);
	json_builder_set_member_name(b, "kernel");
	json_builder_begin_object(b);
	for (int i = 0; i < 4; i++) {
		json_builder_set_member_name(b, pick(&h));
		json_builder_add_string_value(b, pick(&h));
	}
	json_builder_end_object(b);
	json_builder_set_member_name(b, "jobs");
	json_builder_begin_array(b);
	for (int job = 0; job < 2; job++) {
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "expert");
		json_builder_begin_object(b);
		static const char *const expert_keys[] = { "path", "name", "vendor", "description", "version" };
		for (gsize i = 0; i < G_N_ELEMENTS(expert_keys); i++) {
			json_builder_set_member_name(b, expert_keys[i]);
			json_builder_add_string_value(b, pick(&h));
		}
		json_builder_end_object(b);
		static const char *const job_keys[] = { "outcome", "detail" };
		for (gsize i = 0; i < G_N_ELEMENTS(job_keys); i++) {
			json_builder_set_member_name(b, job_keys[i]);
			json_builder_add_string_value(b, pick(&h));
		}
		static const char *const objects[][5] = {
			{ "violation", "call", "syscall", "location", "rule" },
			{ "profile", "name", "path", "digest", NULL },
			{ "last_status", "text", NULL },
		};
		for (gsize o = 0; o < G_N_ELEMENTS(objects); o++) {
			json_builder_set_member_name(b, objects[o][0]);
			json_builder_begin_object(b);
			for (int k = 1; k < 5 && objects[o][k]; k++) {
				json_builder_set_member_name(b, objects[o][k]);
				json_builder_add_string_value(b, pick(&h));
			}
			json_builder_end_object(b);
		}
		json_builder_set_member_name(b, "events");
		json_builder_begin_array(b);
		static const char *const shapes[][6] = {
			{ "path", "protocol", "depth", "frames", "bytes", NULL },
			{ "layer", "address", "bytes", "tx_bytes", "rx_bytes", NULL },
			{ "server", "port", "protocol", "min_us", "avg_us", "max_us" },
			{ "client", "client_port", "server", "server_port", "retransmitted_frames", NULL },
		};
		for (gsize s = 0; s < G_N_ELEMENTS(shapes); s++)
			for (int copy = 0; copy < 2; copy++) {
				json_builder_begin_object(b);
				json_builder_set_member_name(b, "severity");
				json_builder_add_string_value(b, copy ? "info" : pick(&h));
				json_builder_set_member_name(b, "text");
				json_builder_add_string_value(b, pick(&h));
				json_builder_set_member_name(b, "details");
				json_builder_begin_object(b);
				for (int k = 0; k < 6 && shapes[s][k]; k++) {
					gboolean number = strstr(shapes[s][k], "bytes") || strstr(shapes[s][k], "_us") ||
					                  strstr(shapes[s][k], "frames") || g_str_equal(shapes[s][k], "depth");
					json_builder_set_member_name(b, shapes[s][k]);
					json_builder_add_string_value(b, number ? "3" : pick(&h));
				}
				json_builder_set_member_name(b, pick(&h));
				json_builder_add_string_value(b, pick(&h));
				json_builder_end_object(b);
				json_builder_end_object(b);
			}
		json_builder_end_array(b);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

static gboolean in_list(const char *name, gsize len, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == len && g_ascii_strncasecmp(*list, name, len) == 0)
			return TRUE;
	return FALSE;
}

/* Every tag in page is one the report writes, with attributes it writes;
 * the stylesheet's and script's contents are skipped. */
static void assert_only_own_markup(const char *page)
{
	static const char *const tags[] = {
		"!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2",
		"h3", "p", "span", "dl", "dt", "dd", "section", "div", "table", "caption", "thead",
		"tbody", "tr", "th", "td", "a", "figure", "figcaption", "svg", "rect", "line", "text",
		"circle", "ul", "li", "script", NULL,
	};
	static const char *const attributes[] = {
		"html", "lang", "charset", "http-equiv", "content", "name", "class", "id", "href",
		"data-v", "data-shape", "xmlns", "role", "aria-label", "width", "height", "viewBox",
		"x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "text-anchor", NULL,
	};
	const char *p = page;
	while ((p = strchr(p, '<'))) {
		p++;
		if (*p == '/')
			p++;
		const char *name = p;
		while (g_ascii_isalnum(*p) || *p == '!')
			p++;
		g_assert_true(in_list(name, (gsize)(p - name), tags));
		gboolean raw = (gsize)(p - name) >= 5 && (g_ascii_strncasecmp(name, "style", 5) == 0 ||
		                                          g_ascii_strncasecmp(name, "script", 6) == 0);
		while (*p && *p != '>') {
			while (*p == ' ' || *p == '/')
				p++;
			const char *attr = p;
			while (g_ascii_isalnum(*p) || *p == '-')
				p++;
			if (p == attr)
				break;
			g_assert_true(in_list(attr, (gsize)(p - attr), attributes));
			if (*p == '=') {
				g_assert_true(p[1] == '"');
				const char *end = strchr(p + 2, '"');
				g_assert_nonnull(end);
				g_assert_false(g_str_has_prefix(p + 2, "javascript"));
				p = end + 1;
			}
		}
		g_assert_true(*p == '>');
		if (raw && name[-1] != '/') {
			const char *close = strstr(p, g_ascii_strncasecmp(name, "style", 5) == 0
			                              ? "</style>" : "</script>");
			g_assert_nonnull(close);
			p = close;
		}
	}
}

static void assert_inert(const char *page)
{
	g_assert_true(g_utf8_validate(page, -1, NULL));
	for (const char *c = page; *c; c++)
		g_assert_true((guchar)*c >= 0x20 || *c == '\n' || *c == '\t');
	g_assert_cmpuint(count(page, "<script"), ==, 1);
	g_assert_cmpuint(count(page, "<style"), ==, 1);
	assert_only_own_markup(page);
}

static void test_hostile_strings_stay_text(void)
{
	g_autoptr(JsonNode) root = hostile_run();
	GString *page = html_report_run(root);
	assert_inert(page->str);
	/* Each chart drawn, with its hostile labels, escaped. */
	static const char *const shapes[] = { "hierarchy", "talkers", "response-times", "retransmissions" };
	for (gsize i = 0; i < G_N_ELEMENTS(shapes); i++) {
		g_autofree char *chart = figure(page->str, shapes[i]);
		g_assert_nonnull(chart);
		g_assert_nonnull(strstr(chart, "&lt;"));
	}
	g_assert_nonnull(strstr(page->str, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	g_assert_nonnull(strstr(page->str, "a\\x01b\\x1B[31m"));
	g_assert_nonnull(strstr(page->str, "\xef\xbf\xbd\xef\xbf\xbd&lt;b&gt;"));
	g_assert_nonnull(strstr(page->str, "abc\\u202Eevil"));
	g_assert_nonnull(strstr(page->str, "&amp;lt;&amp;#60;"));
	g_string_free(page, TRUE);
}

static void test_hostile_stress_document_stays_text(void)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	guint h = 0;
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "outcomes");
	json_builder_begin_object(b);
	for (int i = 0; i < 3; i++) {
		json_builder_set_member_name(b, pick(&h));
		json_builder_add_int_value(b, i + 1);
	}
	json_builder_end_object(b);
	json_builder_set_member_name(b, "experts");
	json_builder_begin_array(b);
	json_builder_begin_object(b);
	static const char *const keys[] = { "name", "expected", "first_unexpected" };
	for (gsize i = 0; i < G_N_ELEMENTS(keys); i++) {
		json_builder_set_member_name(b, keys[i]);
		json_builder_add_string_value(b, pick(&h));
	}
	json_builder_end_object(b);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "executor");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, pick(&h));
	json_builder_begin_object(b);
	json_builder_end_object(b);
	json_builder_end_object(b);
	json_builder_end_object(b);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	GString *page = html_report_stress(root);
	assert_inert(page->str);
	g_string_free(page, TRUE);
}

/* ---- stress ------------------------------------------------------------- */

static void test_stress_histogram_draws_valid_buckets_and_marks(void)
{
	g_autoptr(JsonNode) root = parse(
		"{\"runs\":10,\"outcomes\":{\"completed\":7,\"crashed\":3,\"timed-out\":0},"
		"\"latency_ms\":{\"p50\":1.1,\"p90\":4,\"p99\":40,\"max\":90},"
		"\"latency_histogram\":{\"buckets\":["
		"{\"from_ms\":1,\"to_ms\":1.25,\"runs\":6},{\"from_ms\":1.25,\"to_ms\":1.6,\"runs\":0},"
		"{\"from_ms\":3.9,\"to_ms\":5,\"runs\":3},{\"from_ms\":0,\"to_ms\":1,\"runs\":1},"
		"{\"from_ms\":5,\"to_ms\":4,\"runs\":1},{\"from_ms\":40,\"to_ms\":50,\"runs\":-1},7]}}");
	GString *page = html_report_stress(root);
	g_autofree char *latency = figure(page->str, "latency");
	g_autofree char *outcomes = figure(page->str, "outcomes");
	g_assert_cmpuint(count(latency, "<rect class=\"b0\""), ==, 3);
	g_assert_cmpuint(count(latency, "class=\"marktext\""), ==, 3);
	g_assert_nonnull(strstr(latency, ">p99 40 ms<"));
	/* Outcomes with runs only; completed apart from the other endings. */
	g_assert_cmpuint(count(outcomes, "class=\"lbl\""), ==, 2);
	g_assert_nonnull(strstr(outcomes, ">7 (70.0%)<"));
	g_string_free(page, TRUE);
}

/* README's "Writing an expert" documents the table html-charts.c decides
 * by: a row per shape, naming its keys. */
static void test_readme_documents_every_shape(void)
{
	const char *readme_path = g_getenv("EXPERT_README");
	g_assert_nonnull(readme_path);
	g_autofree char *readme = NULL;
	g_assert_true(g_file_get_contents(readme_path, &readme, NULL, NULL));
	gsize n;
	const ChartShape *shapes = html_chart_shapes(&n);
	for (gsize s = 0; s < n; s++) {
		g_autofree char *row_start = g_strdup_printf("| %s |", shapes[s].name);
		const char *row = strstr(readme, row_start);
		if (!row)
			g_error("README.md: no row \"%s\" in the chart table", row_start);
		g_autofree char *line = g_strndup(row, strcspn(row, "\n"));
		for (int k = 0; k < CHART_KEYS_MAX && shapes[s].keys[k]; k++) {
			g_autofree char *key = g_strdup_printf("`%s`", shapes[s].keys[k]);
			if (!strstr(line, key))
				g_error("README.md: the %s row does not name %s", shapes[s].name, key);
		}
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/html-report/charts-come-from-detail-keys", test_charts_come_from_detail_keys);
	g_test_add_func("/html-report/chart-rows-are-bounded", test_chart_rows_are_bounded);
	g_test_add_func("/html-report/later-members-are-shown", test_later_members_are_shown);
	g_test_add_func("/html-report/wrong-shapes-render", test_wrong_shapes_render);
	g_test_add_func("/html-report/hostile-strings-stay-text", test_hostile_strings_stay_text);
	g_test_add_func("/html-report/hostile-stress-document-stays-text",
	                test_hostile_stress_document_stays_text);
	g_test_add_func("/html-report/stress-histogram-draws-valid-buckets-and-marks",
	                test_stress_histogram_draws_valid_buckets_and_marks);
	g_test_add_func("/html-report/readme-documents-every-shape", test_readme_documents_every_shape);
	return g_test_run();
}
