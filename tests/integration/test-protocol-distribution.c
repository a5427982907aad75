/* test-protocol-distribution.c — the Protocol Distribution expert, run by the
 * real executor under the strict profile, against tshark's figures.
 *
 * For every capture in tests/data/oracle/summary.tsv:
 *   expert-exec run --json --profile strict CAPTURE protocol-distribution.so
 * then the JSON report must show one completed job that read every frame,
 * a "total" event equal to tshark's frame count and bytes on the wire, and
 * hierarchy events equal to tshark's io,phs for the layers whose meaning we
 * share with it: link, VLAN, IP, ARP, TCP, UDP, and the tunnels (GRE, PPP,
 * GTP-U, VXLAN); the dissector's unit test covers the rest and says why the
 * other nodes differ (applications by port, "other" for tshark's "data",
 * no _ws.short or _ws.malformed, no TCP reassembly).
 *
 * Environment: EXPERT_EXEC (the expert-exec binary), EXPERT_PD (the .so),
 * EXPERT_TEST_DATA (tests/data). Without them the tests are skipped.
 */
#include "expert-report.h"
#include "oracle.h"

#include <string.h>

/* Decided from headers alone, by us and by tshark. */
static const char *const compared_layers[] = {
	"eth", "sll", "raw", "vlan", "ieee8021ad", "ip", "ipv6", "arp", "tcp", "udp",
	"gre", "ppp", "gtp", "vxlan", NULL,
};

typedef struct {
	guint64 frames;
	guint64 bytes;
} Count;

static void test_matches_tshark(gconstpointer data)
{
	const OracleCapture *capture = data;
	if (g_getenv("EXPERT_EXEC") == NULL || g_getenv("EXPERT_PD") == NULL) {
		g_test_skip("EXPERT_EXEC and EXPERT_PD must name expert-exec and the expert");
		return;
	}
	const char *dir = oracle_data_dir();
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) phs = oracle_load_phs(dir, capture->file, &error);
	g_assert_no_error(error);

	g_autofree char *capture_path = g_build_filename(dir, capture->file, NULL);
	g_autoptr(ExpertReport) r = expert_report_run(g_getenv("EXPERT_PD"), capture_path, NULL);
	g_assert_cmpint(expert_report_capture_int(r, "frames"), ==, (gint64)capture->frames);
	g_assert_cmpint(expert_report_capture_int(r, "bytes_on_wire"), ==,
	                (gint64)capture->bytes_on_wire);
	g_assert_cmpstr(expert_report_expert_name(r), ==, "Protocol Distribution");
	expert_report_assert_completed(r);
	g_assert_cmpint(expert_report_job_int(r, "frames_read"), ==, (gint64)capture->frames);

	/* Hierarchy events come depth first, so each one's parent is already
	 * known; "total" comes last. */
	g_autoptr(GHashTable) ours = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	guint n_events = expert_report_n_events(r);
	g_assert_cmpuint(n_events, >=, 2);
	guint64 link_frames = 0;
	for (guint i = 0; i + 1 < n_events; i++) {
		const char *text = expert_report_event_text(r, i);
		g_assert_cmpstr(expert_report_event_severity(r, i), ==, "info");
		JsonObject *details = expert_report_event_details(r, i);
		g_assert_cmpstr(expert_report_detail_str(details, "path"), ==, text);
		g_assert_cmpstr(expert_report_detail_str(details, "protocol"), ==,
		                oracle_path_leaf(text));
		const char *slash = strrchr(text, '/');
		if (slash != NULL) {
			g_autofree char *parent = g_strndup(text, (gsize)(slash - text));
			g_assert_true(g_hash_table_contains(ours, parent));
		}
		g_assert_false(g_hash_table_contains(ours, text));
		Count *c = g_new0(Count, 1);
		c->frames = expert_report_detail_u64(details, "frames");
		c->bytes = expert_report_detail_u64(details, "bytes");
		if (slash == NULL)
			link_frames += c->frames;
		g_hash_table_insert(ours, g_strdup(text), c);
	}
	g_assert_cmpstr(expert_report_event_text(r, n_events - 1), ==, "total");
	JsonObject *total_details = expert_report_event_details(r, n_events - 1);
	g_assert_cmpuint(expert_report_detail_u64(total_details, "frames"), ==, capture->frames);
	g_assert_cmpuint(expert_report_detail_u64(total_details, "bytes"), ==,
	                 capture->bytes_on_wire);
	/* Every frame of these captures has a whole link-layer header. */
	g_assert_cmpuint(link_frames, ==, capture->frames);

	/* Both directions: a node only one side has must have no frames. */
	g_autoptr(GHashTable) paths = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < phs->len; i++)
		g_hash_table_add(paths, ((OraclePhsNode *)g_ptr_array_index(phs, i))->path);
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, ours);
	while (g_hash_table_iter_next(&it, &key, NULL))
		g_hash_table_add(paths, key);
	g_hash_table_iter_init(&it, paths);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		if (!oracle_path_within(key, compared_layers))
			continue;
		const OraclePhsNode *want = oracle_phs_find(phs, key);
		const Count *got = g_hash_table_lookup(ours, key);
		g_test_message("%s %s: tshark %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
		               ", expert %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " frames/bytes",
		               capture->file, (const char *)key, want ? want->frames : 0,
		               want ? want->bytes : 0, got ? got->frames : 0, got ? got->bytes : 0);
		g_assert_cmpuint(got ? got->frames : 0, ==, want ? want->frames : 0);
		g_assert_cmpuint(got ? got->bytes : 0, ==, want ? want->bytes : 0);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_autoptr(GPtrArray) captures = oracle_add_capture_tests(
		"/protocol-distribution/matches-tshark/", test_matches_tshark);
	if (captures == NULL)
		return 77;
	return g_test_run();
}
