/* test-top-talkers.c — the Top Talkers expert, run by the real executor under
 * the strict profile, against tshark's endpoint tables.
 *
 * For every capture in tests/data/oracle/summary.tsv, with top=1000000 so
 * nothing is cut, the expert's whole table for each layer must equal tshark's
 * `-z endpoints,eth|ip|ipv6` (oracle/CAPTURE.endpoints_{eth,ipv4,ipv6}_exact.tsv)
 * row for row: the same addresses, each with the same frames and bytes, sent
 * and received. Both count bytes as frame.len, every Ethernet and IP header
 * of a frame once, a tunnel's inner ones included (GTP-U, GRE, PPTP, VXLAN,
 * 6in4, 4in6: the tunnels_*.pcap captures), a header only when all of it was
 * captured (tcp_truncated-header.pcap), and nothing quoted inside an ICMP
 * error (smtp.pcap has four). The differences that remain are not in these
 * captures: tshark also counts the inner headers of a fragmented tunnel
 * packet, once reassembled, and those of tunnels the shared parser does not
 * decode (Teredo, GENEVE, ERSPAN, ...: packet.h). Then the ranking and the
 * configuration: top N, by=frames, layers=, and every setting the expert
 * must refuse.
 *
 * Environment: EXPERT_EXEC (expert-exec), EXPERT_TOP_TALKERS (the .so),
 * EXPERT_TEST_DATA (tests/data). Without them the tests are skipped.
 */
#include "expert-report.h"
#include "oracle.h"

#include <gio/gio.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;  /* the expert's "layer" detail */
	const char *table; /* oracle/CAPTURE.endpoints_TABLE_exact.tsv */
} layers[] = {
	{ "mac", "eth" },
	{ "ipv4", "ipv4" },
	{ "ipv6", "ipv6" },
};

typedef struct {
	char *address;
	guint64 frames, bytes, tx_frames, tx_bytes, rx_frames, rx_bytes;
	guint8 key[16]; /* the address as bytes, for the expert's tie-break */
} Row;

static void row_free(gpointer p)
{
	Row *row = p;
	g_free(row->address);
	g_free(row);
}

static gboolean have_environment(void)
{
	if (g_getenv("EXPERT_EXEC") == NULL || g_getenv("EXPERT_TOP_TALKERS") == NULL) {
		g_test_skip("EXPERT_EXEC and EXPERT_TOP_TALKERS must name expert-exec and the expert");
		return FALSE;
	}
	return TRUE;
}

static void address_bytes(const char *layer, const char *text, guint8 key[16])
{
	memset(key, 0, 16);
	if (strcmp(layer, "mac") == 0) {
		unsigned b[6];
		g_assert_cmpint(sscanf(text, "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2], &b[3],
		                       &b[4], &b[5]), ==, 6);
		for (int i = 0; i < 6; i++)
			key[i] = (guint8)b[i];
		return;
	}
	g_autoptr(GInetAddress) a = g_inet_address_new_from_string(text);
	if (a == NULL)
		g_error("\"%s\" is not an IP address", text);
	memcpy(key, g_inet_address_to_bytes(a), g_inet_address_get_native_size(a));
}

/* tshark's table for one layer of a capture, as Rows. */
static GPtrArray *oracle_rows(const char *capture, const char *layer, const char *table)
{
	g_autofree char *file = g_strdup_printf("%s.endpoints_%s_exact.tsv", capture, table);
	g_autoptr(GError) error = NULL;
	g_autoptr(OracleTsv) tsv = oracle_load_tsv(oracle_data_dir(), file, &error);
	g_assert_no_error(error);
	GPtrArray *rows = g_ptr_array_new_with_free_func(row_free);
	for (guint i = 0; i < tsv->rows->len; i++) {
		Row *row = g_new0(Row, 1);
		row->address = g_strdup(oracle_tsv_field(tsv, i, "address"));
		row->frames = oracle_tsv_u64(tsv, i, "frames");
		row->bytes = oracle_tsv_u64(tsv, i, "bytes");
		row->tx_frames = oracle_tsv_u64(tsv, i, "tx_frames");
		row->tx_bytes = oracle_tsv_u64(tsv, i, "tx_bytes");
		row->rx_frames = oracle_tsv_u64(tsv, i, "rx_frames");
		row->rx_bytes = oracle_tsv_u64(tsv, i, "rx_bytes");
		address_bytes(layer, row->address, row->key);
		g_ptr_array_add(rows, row);
	}
	return rows;
}

/* The expert's documented order: the ranking measure descending, then the
 * other measure descending, then the address bytes ascending. */
static gboolean by_frames;

static gint expert_order(gconstpointer a, gconstpointer b)
{
	const Row *x = *(const Row *const *)a, *y = *(const Row *const *)b;
	guint64 mx = by_frames ? x->frames : x->bytes, my = by_frames ? y->frames : y->bytes;
	if (mx != my)
		return mx > my ? -1 : 1;
	mx = by_frames ? x->bytes : x->frames, my = by_frames ? y->bytes : y->frames;
	if (mx != my)
		return mx > my ? -1 : 1;
	return memcmp(x->key, y->key, 16);
}

/* The report's events for one layer, as Rows in event order; checks each
 * event's shape and that ranks run 1, 2, 3, ... */
static GPtrArray *expert_rows(const ExpertReport *r, const char *layer)
{
	GPtrArray *rows = g_ptr_array_new_with_free_func(row_free);
	for (guint i = 0; i < expert_report_n_events(r); i++) {
		JsonObject *d = expert_report_event_details(r, i);
		if (strcmp(expert_report_detail_str(d, "layer"), layer) != 0)
			continue;
		g_assert_cmpstr(expert_report_event_severity(r, i), ==, "info");
		Row *row = g_new0(Row, 1);
		row->address = g_strdup(expert_report_detail_str(d, "address"));
		row->frames = expert_report_detail_u64(d, "frames");
		row->bytes = expert_report_detail_u64(d, "bytes");
		row->tx_frames = expert_report_detail_u64(d, "tx_frames");
		row->tx_bytes = expert_report_detail_u64(d, "tx_bytes");
		row->rx_frames = expert_report_detail_u64(d, "rx_frames");
		row->rx_bytes = expert_report_detail_u64(d, "rx_bytes");
		g_assert_cmpuint(row->frames, ==, row->tx_frames + row->rx_frames);
		g_assert_cmpuint(row->bytes, ==, row->tx_bytes + row->rx_bytes);
		g_assert_cmpuint(expert_report_detail_u64(d, "rank"), ==, rows->len + 1);
		g_autofree char *text = g_strdup_printf("%s #%u %s", layer, rows->len + 1,
		                                        row->address);
		g_assert_cmpstr(expert_report_event_text(r, i), ==, text);
		address_bytes(layer, row->address, row->key);
		g_ptr_array_add(rows, row);
	}
	return rows;
}

static void assert_rows_equal(const char *what, GPtrArray *got, GPtrArray *want)
{
	for (guint i = 0; i < MAX(got->len, want->len); i++) {
		const Row *g = i < got->len ? g_ptr_array_index(got, i) : NULL;
		const Row *w = i < want->len ? g_ptr_array_index(want, i) : NULL;
		if (g == NULL || w == NULL || strcmp(g->address, w->address) != 0 ||
		    g->tx_frames != w->tx_frames || g->tx_bytes != w->tx_bytes ||
		    g->rx_frames != w->rx_frames || g->rx_bytes != w->rx_bytes)
			g_test_message("%s rank %u: expert %s %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
			               " tx %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " rx, tshark %s %"
			               G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " tx %" G_GUINT64_FORMAT
			               "/%" G_GUINT64_FORMAT " rx", what, i + 1,
			               g ? g->address : "-", g ? g->tx_frames : 0, g ? g->tx_bytes : 0,
			               g ? g->rx_frames : 0, g ? g->rx_bytes : 0, w ? w->address : "-",
			               w ? w->tx_frames : 0, w ? w->tx_bytes : 0, w ? w->rx_frames : 0,
			               w ? w->rx_bytes : 0);
		if (g == NULL || w == NULL)
			g_error("%s: the expert has %u addresses, tshark %u", what, got->len, want->len);
		g_assert_cmpstr(g->address, ==, w->address);
		g_assert_cmpuint(g->frames, ==, w->frames);
		g_assert_cmpuint(g->bytes, ==, w->bytes);
		g_assert_cmpuint(g->tx_frames, ==, w->tx_frames);
		g_assert_cmpuint(g->tx_bytes, ==, w->tx_bytes);
		g_assert_cmpuint(g->rx_frames, ==, w->rx_frames);
		g_assert_cmpuint(g->rx_bytes, ==, w->rx_bytes);
	}
}

static ExpertReport *run(const char *capture, const char *const *settings)
{
	g_autofree char *path = g_build_filename(oracle_data_dir(), capture, NULL);
	return expert_report_run(g_getenv("EXPERT_TOP_TALKERS"), path, settings);
}

/* Events come grouped by layer, mac then ipv4 then ipv6. */
static void assert_layers_in_order(const ExpertReport *r)
{
	guint last = 0;
	for (guint i = 0; i < expert_report_n_events(r); i++) {
		const char *layer = expert_report_detail_str(expert_report_event_details(r, i), "layer");
		guint l = G_N_ELEMENTS(layers);
		for (guint k = 0; k < G_N_ELEMENTS(layers); k++)
			if (strcmp(layers[k].name, layer) == 0)
				l = k;
		g_assert_cmpuint(l, <, G_N_ELEMENTS(layers));
		g_assert_cmpuint(l, >=, last);
		last = l;
	}
}

static void test_matches_tshark(gconstpointer data)
{
	const OracleCapture *capture = data;
	if (!have_environment())
		return;
	static const char *const settings[] = { "top-talkers:top=1000000", NULL };
	g_autoptr(ExpertReport) r = run(capture->file, settings);
	expert_report_assert_completed(r);
	g_assert_cmpint(expert_report_job_int(r, "frames_read"), ==, (gint64)capture->frames);
	assert_layers_in_order(r);

	guint total = 0;
	by_frames = FALSE;
	for (size_t l = 0; l < G_N_ELEMENTS(layers); l++) {
		g_autoptr(GPtrArray) want = oracle_rows(capture->file, layers[l].name, layers[l].table);
		g_autoptr(GPtrArray) got = expert_rows(r, layers[l].name);
		g_test_message("%s %s: %u addresses (tshark %u)", capture->file, layers[l].name,
		               got->len, want->len);
		/* The same table, in the expert's order (tshark breaks ties by
		 * address text, the expert by frames, then address bytes). */
		g_ptr_array_sort(want, expert_order);
		g_autofree char *what = g_strdup_printf("%s %s", capture->file, layers[l].name);
		assert_rows_equal(what, got, want);
		total += got->len;
	}
	g_assert_cmpuint(expert_report_n_events(r), ==, total);
}

/* top=2: exactly the first two of each layer (fewer if a layer has fewer). */
static void test_top_n_keeps_the_first_n_of_each_layer(void)
{
	if (!have_environment())
		return;
	static const char *const captures[] = { "wikipedia.pcap", "smtp.pcap", "ftp_ipv6.pcap" };
	static const char *const settings[] = { "top-talkers:top=2", NULL };
	by_frames = FALSE;
	for (size_t c = 0; c < G_N_ELEMENTS(captures); c++) {
		g_autoptr(ExpertReport) r = run(captures[c], settings);
		expert_report_assert_completed(r);
		for (size_t l = 0; l < G_N_ELEMENTS(layers); l++) {
			g_autoptr(GPtrArray) want = oracle_rows(captures[c], layers[l].name,
			                                        layers[l].table);
			g_ptr_array_sort(want, expert_order);
			if (want->len > 2)
				g_ptr_array_set_size(want, 2);
			g_autoptr(GPtrArray) got = expert_rows(r, layers[l].name);
			assert_rows_equal(captures[c], got, want);
		}
	}
}

/* The default is top=10, ranked by bytes, all three layers. */
static void test_defaults_are_top_ten_by_bytes(void)
{
	if (!have_environment())
		return;
	g_autoptr(ExpertReport) r = run("dns-edns-ecs.pcap", NULL);
	expert_report_assert_completed(r);
	by_frames = FALSE;
	guint layers_with_more = 0;
	for (size_t l = 0; l < G_N_ELEMENTS(layers); l++) {
		g_autoptr(GPtrArray) want = oracle_rows("dns-edns-ecs.pcap", layers[l].name,
		                                        layers[l].table);
		layers_with_more += want->len > 10;
		g_ptr_array_sort(want, expert_order);
		if (want->len > 10)
			g_ptr_array_set_size(want, 10);
		g_autoptr(GPtrArray) got = expert_rows(r, layers[l].name);
		assert_rows_equal("dns-edns-ecs.pcap", got, want);
	}
	g_assert_cmpuint(layers_with_more, >, 0); /* or the cut was not tested */
	/* The run ended with its status at 100%. */
	JsonObject *status = json_object_get_object_member(r->job, "last_status");
	g_assert_nonnull(status);
	g_assert_cmpint(json_object_get_int_member(status, "percent"), ==, 100);
}

/* by=frames ranks by frames sent and received. In var-services-std-ports.pcap
 * the orders by frames and by bytes differ. */
static void test_by_frames_ranks_by_frames(void)
{
	if (!have_environment())
		return;
	static const char *const settings[] = { "top-talkers:by=frames",
	                                        "top-talkers:top=1000000", NULL };
	g_autoptr(ExpertReport) r = run("var-services-std-ports.pcap", settings);
	expert_report_assert_completed(r);
	guint reordered = 0;
	for (size_t l = 0; l < G_N_ELEMENTS(layers); l++) {
		g_autoptr(GPtrArray) want = oracle_rows("var-services-std-ports.pcap", layers[l].name,
		                                        layers[l].table);
		by_frames = FALSE;
		g_ptr_array_sort(want, expert_order);
		g_autoptr(GPtrArray) by_bytes = g_ptr_array_copy(want, NULL, NULL);
		g_ptr_array_set_free_func(by_bytes, NULL); /* want owns the rows */
		by_frames = TRUE;
		g_ptr_array_sort(want, expert_order);
		for (guint i = 0; i < want->len; i++)
			reordered += g_ptr_array_index(want, i) != g_ptr_array_index(by_bytes, i);
		g_autoptr(GPtrArray) got = expert_rows(r, layers[l].name);
		assert_rows_equal("var-services-std-ports.pcap by frames", got, want);
	}
	by_frames = FALSE;
	g_assert_cmpuint(reordered, >, 0);
}

static void test_layers_selects_layers(void)
{
	if (!have_environment())
		return;
	static const struct {
		const char *setting;
		const char *want[4];
	} cases[] = {
		{ "top-talkers:layers=ipv6", { "ipv6" } },
		{ "top-talkers:layers=ipv4,mac", { "mac", "ipv4" } },
		{ "top-talkers:layers=mac,ipv4,ipv6,mac", { "mac", "ipv4", "ipv6" } },
	};
	for (size_t c = 0; c < G_N_ELEMENTS(cases); c++) {
		const char *const settings[] = { cases[c].setting, NULL };
		g_autoptr(ExpertReport) r = run("wikipedia.pcap", settings);
		expert_report_assert_completed(r);
		assert_layers_in_order(r);
		for (size_t l = 0; l < G_N_ELEMENTS(layers); l++) {
			gboolean wanted = g_strv_contains(cases[c].want, layers[l].name);
			g_autoptr(GPtrArray) got = expert_rows(r, layers[l].name);
			g_test_message("%s: %u %s events", cases[c].setting, got->len, layers[l].name);
			if (wanted)
				g_assert_cmpuint(got->len, >, 0);
			else
				g_assert_cmpuint(got->len, ==, 0);
		}
	}
}

/* Every malformed setting stops the run before it starts. */
static void test_bad_settings_fail_to_load(void)
{
	if (!have_environment())
		return;
	static const char *const bad[] = {
		"top-talkers:top=0", "top-talkers:top=-1", "top-talkers:top=ten",
		"top-talkers:top=", "top-talkers:top=10x", "top-talkers:top=99999999999999999999999",
		"top-talkers:by=packets", "top-talkers:by=", "top-talkers:by=Bytes",
		"top-talkers:layers=ip", "top-talkers:layers=", "top-talkers:layers=mac,",
		"top-talkers:layers=mac ipv4",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		const char *const settings[] = { bad[i], NULL };
		g_autoptr(ExpertReport) r = run("wikipedia.pcap", settings);
		g_test_message("%s: %s, %s", bad[i], expert_report_outcome(r), expert_report_detail(r));
		/* It names the key and the value it refuses (issue 11). */
		expert_report_assert_refused_setting(r, bad[i]);
		g_assert_cmpint(expert_report_job_int(r, "frames_read"), ==, 0);
		g_assert_cmpuint(expert_report_n_events(r), ==, 0);
		g_assert_cmpint(r->exit_status, ==, 1);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_autoptr(GPtrArray) captures = oracle_add_capture_tests(
		"/top-talkers/matches-tshark/", test_matches_tshark);
	if (captures == NULL)
		return 77;
	g_test_add_func("/top-talkers/top-n-keeps-the-first-n-of-each-layer",
	                test_top_n_keeps_the_first_n_of_each_layer);
	g_test_add_func("/top-talkers/defaults-are-top-ten-by-bytes",
	                test_defaults_are_top_ten_by_bytes);
	g_test_add_func("/top-talkers/by-frames-ranks-by-frames", test_by_frames_ranks_by_frames);
	g_test_add_func("/top-talkers/layers-selects-layers", test_layers_selects_layers);
	g_test_add_func("/top-talkers/bad-settings-fail-to-load", test_bad_settings_fail_to_load);
	return g_test_run();
}
