/* test-tcp-retransmit.c — the TCP Retransmissions expert, run by the real
 * executor under the strict profile, against tshark's sequence analysis.
 *
 * For every capture in tests/data/oracle/summary.tsv, with list_frames=yes:
 * the frames the expert lists are exactly the frames tshark flags
 * tcp.analysis.retransmission, fast_retransmission or spurious_retransmission
 * (oracle/CAPTURE.tcp_retransmissions.tsv), each with tshark's tcp.stream,
 * relative tcp.seq, tcp.len and kind; each connection event agrees with
 * tshark's conversation (oracle/CAPTURE.conv_tcp_exact.tsv: endpoints and
 * frames); the total counts tshark's conversations. TCP inside tunnels is
 * keyed by its inner addresses (tunnels_gtp_gtp6_gtp_0x32.pcap: a SYN
 * retransmitted inside GTP-U), and a header the snaplen cut is tshark's (a
 * segment of its connection, never flagged, not counted:
 * tcp_truncated-header.pcap, and a capture built below). Differences that
 * remain, in none of these captures: a segment inside an IP fragment (or a
 * fragmented tunnel packet) is skipped, where tshark analyses it once
 * reassembled; MPTCP is not modelled. Two captures are there to catch a
 * detector that is not tshark's:
 *  - tcp_ssh-dups.pcap: 280 of 377 frames are byte-exact copies; tshark
 *    flags 166 (the SYNs and data) and calls the copied ACKs duplicate ACKs;
 *  - vlan-collisions.pcap: one 4-tuple untagged, tagged 42, and tagged
 *    10/20; tshark's key has no VLAN, so the copies are 18 retransmissions
 *    in one conversation. With vlan_aware=yes (not tshark's definition, on
 *    purpose) they are three conversations and none is retransmitted:
 *    checked on its own below.
 *
 * Environment: EXPERT_EXEC (expert-exec), EXPERT_TCP_RETRANSMIT (the .so),
 * EXPERT_TEST_DATA (tests/data). Without them the tests are skipped.
 */
#include "expert-report.h"
#include "oracle.h"
#include "temp-dir.h"
#include "tshark.h"

#include <stdlib.h>
#include <string.h>

static gboolean have_environment(void)
{
	if (g_getenv("EXPERT_EXEC") == NULL || g_getenv("EXPERT_TCP_RETRANSMIT") == NULL) {
		g_test_skip("EXPERT_EXEC and EXPERT_TCP_RETRANSMIT must name expert-exec and the "
		            "expert");
		return FALSE;
	}
	return TRUE;
}

static ExpertReport *run(const char *capture, const char *const *settings)
{
	g_autofree char *path = g_build_filename(oracle_data_dir(), capture, NULL);
	return expert_report_run(g_getenv("EXPERT_TCP_RETRANSMIT"), path, settings);
}

/* One flagged frame, as tshark or the expert reports it. */
typedef struct {
	guint64 stream, seq, len;
	const char *kind; /* "retransmission", "fast", "spurious" */
} Flagged;

/* Per stream: what the connection event must say. */
typedef struct {
	guint64 frames, bytes, fast, spurious;
} StreamTotals;

static GHashTable *oracle_flagged(const char *capture)
{
	g_autofree char *file = g_strconcat(capture, ".tcp_retransmissions.tsv", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(OracleTsv) tsv = oracle_load_tsv(oracle_data_dir(), file, &error);
	g_assert_no_error(error);
	GHashTable *flagged = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
	for (guint i = 0; i < tsv->rows->len; i++) {
		gint64 *frame = g_new(gint64, 1);
		*frame = (gint64)oracle_tsv_u64(tsv, i, "frame.number");
		Flagged *f = g_new0(Flagged, 1);
		f->stream = oracle_tsv_u64(tsv, i, "tcp.stream");
		f->seq = oracle_tsv_u64(tsv, i, "tcp.seq");
		f->len = oracle_tsv_u64(tsv, i, "tcp.len");
		/* Every row is a retransmission; fast and spurious are sub-kinds. */
		g_assert_cmpstr(oracle_tsv_field(tsv, i, "tcp.analysis.retransmission"), ==, "1");
		f->kind = strcmp(oracle_tsv_field(tsv, i, "tcp.analysis.fast_retransmission"), "1") == 0
			? "fast"
			: strcmp(oracle_tsv_field(tsv, i, "tcp.analysis.spurious_retransmission"), "1") == 0
			? "spurious" : "retransmission";
		g_hash_table_insert(flagged, frame, f);
	}
	return flagged;
}

static void test_matches_tshark(gconstpointer data)
{
	const OracleCapture *capture = data;
	if (!have_environment())
		return;
	static const char *const settings[] = { "tcp-retransmit:list_frames=yes", NULL };
	g_autoptr(ExpertReport) r = run(capture->file, settings);
	expert_report_assert_completed(r);
	g_assert_cmpint(expert_report_job_int(r, "frames_read"), ==, (gint64)capture->frames);

	g_autoptr(GHashTable) want = oracle_flagged(capture->file);
	g_autofree char *conv_file = g_strconcat(capture->file, ".conv_tcp_exact.tsv", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(OracleTsv) convs = oracle_load_tsv(oracle_data_dir(), conv_file, &error);
	g_assert_no_error(error);

	/* Events: the frames (capture order), the connections (stream order),
	 * then the total. */
	guint n = expert_report_n_events(r), i = 0;
	g_assert_cmpuint(n, >=, 1);
	g_autoptr(GHashTable) per_stream = g_hash_table_new_full(g_int64_hash, g_int64_equal,
	                                                         g_free, g_free);
	guint64 last_frame = 0;
	for (; i < n && json_object_has_member(expert_report_event_details(r, i), "frame"); i++) {
		JsonObject *d = expert_report_event_details(r, i);
		gint64 frame = (gint64)expert_report_detail_u64(d, "frame");
		g_assert_cmpuint((guint64)frame, >, last_frame);
		last_frame = (guint64)frame;
		const Flagged *w = g_hash_table_lookup(want, &frame);
		Flagged got = {
			.stream = expert_report_detail_u64(d, "stream"),
			.seq = expert_report_detail_u64(d, "seq"),
			.len = expert_report_detail_u64(d, "len"),
			.kind = expert_report_detail_str(d, "kind"),
		};
		if (w == NULL)
			g_test_message("%s: the expert flags frame %" G_GINT64_FORMAT ", tshark does not",
			               capture->file, frame);
		g_assert_nonnull(w);
		g_assert_cmpuint(got.stream, ==, w->stream);
		g_assert_cmpuint(got.seq, ==, w->seq);
		g_assert_cmpuint(got.len, ==, w->len);
		g_assert_cmpstr(got.kind, ==, w->kind);
		g_assert_cmpstr(expert_report_event_severity(r, i), ==, "warning");
		gint64 *key = g_new(gint64, 1);
		*key = (gint64)got.stream;
		StreamTotals *t = g_hash_table_lookup(per_stream, key);
		if (t == NULL) {
			t = g_new0(StreamTotals, 1);
			g_hash_table_insert(per_stream, key, t);
		} else {
			g_free(key);
		}
		t->frames++;
		t->bytes += got.len;
		t->fast += strcmp(got.kind, "fast") == 0;
		t->spurious += strcmp(got.kind, "spurious") == 0;
	}
	/* Nothing tshark flags is missing. */
	if (i != g_hash_table_size(want))
		g_test_message("%s: the expert lists %u frames, tshark flags %u", capture->file, i,
		               g_hash_table_size(want));
	g_assert_cmpuint(i, ==, g_hash_table_size(want));

	guint64 last_stream = 0, connections_seen = 0, all_frames = 0, all_bytes = 0;
	for (; i + 1 < n; i++, connections_seen++) {
		JsonObject *d = expert_report_event_details(r, i);
		gint64 stream = (gint64)expert_report_detail_u64(d, "stream");
		if (connections_seen > 0)
			g_assert_cmpuint((guint64)stream, >, last_stream);
		last_stream = (guint64)stream;
		const StreamTotals *t = g_hash_table_lookup(per_stream, &stream);
		g_assert_nonnull(t);
		g_assert_cmpuint(expert_report_detail_u64(d, "retransmitted_frames"), ==, t->frames);
		g_assert_cmpuint(expert_report_detail_u64(d, "retransmitted_bytes"), ==, t->bytes);
		g_assert_cmpuint(expert_report_detail_u64(d, "fast"), ==, t->fast);
		g_assert_cmpuint(expert_report_detail_u64(d, "spurious"), ==, t->spurious);
		all_frames += t->frames;
		all_bytes += t->bytes;
		/* tshark's conversation of that stream: same endpoints, same frames. */
		guint row = 0;
		while (row < convs->rows->len && oracle_tsv_u64(convs, row, "tcp_stream") != (guint64)stream)
			row++;
		g_assert_cmpuint(row, <, convs->rows->len);
		g_autofree char *client = g_strdup_printf(
			"%s:%s", expert_report_detail_str(d, "client"),
			expert_report_detail_str(d, "client_port"));
		g_autofree char *server = g_strdup_printf(
			"%s:%s", expert_report_detail_str(d, "server"),
			expert_report_detail_str(d, "server_port"));
		const char *a = oracle_tsv_field(convs, row, "address_port_a");
		const char *b = oracle_tsv_field(convs, row, "address_port_b");
		g_assert_true((strcmp(client, a) == 0 && strcmp(server, b) == 0) ||
		              (strcmp(client, b) == 0 && strcmp(server, a) == 0));
		g_assert_cmpuint(expert_report_detail_u64(d, "frames"), ==,
		                 oracle_tsv_u64(convs, row, "frames"));
		g_assert_false(json_object_has_member(d, "vlan")); /* not part of the key */
	}
	g_assert_cmpuint(connections_seen, ==, g_hash_table_size(per_stream));

	g_assert_cmpstr(expert_report_event_text(r, n - 1), ==, "total");
	JsonObject *total = expert_report_event_details(r, n - 1);
	g_assert_cmpuint(expert_report_detail_u64(total, "connections"), ==, convs->rows->len);
	g_assert_cmpuint(expert_report_detail_u64(total, "connections_with_retransmissions"), ==,
	                 connections_seen);
	g_assert_cmpuint(expert_report_detail_u64(total, "retransmitted_frames"), ==, all_frames);
	g_assert_cmpuint(expert_report_detail_u64(total, "retransmitted_bytes"), ==, all_bytes);
	g_assert_cmpuint(expert_report_detail_u64(total, "connections_not_listed"), ==, 0);
	g_assert_cmpuint(expert_report_detail_u64(total, "frames_not_listed"), ==, 0);
	g_test_message("%s: %" G_GUINT64_FORMAT " retransmitted frames in %" G_GUINT64_FORMAT
	               " of %u connections, as tshark", capture->file, all_frames,
	               connections_seen, convs->rows->len);
}

/* Frame events only on request; the connections and total are the same. */
static void test_frames_listed_only_when_asked(void)
{
	if (!have_environment())
		return;
	g_autoptr(ExpertReport) quiet = run("smtp.pcap", NULL);
	static const char *const listing[] = { "tcp-retransmit:list_frames=yes", NULL };
	g_autoptr(ExpertReport) loud = run("smtp.pcap", listing);
	expert_report_assert_completed(quiet);
	expert_report_assert_completed(loud);
	guint n = expert_report_n_events(quiet);
	for (guint i = 0; i < n; i++)
		g_assert_false(json_object_has_member(expert_report_event_details(quiet, i), "frame"));
	/* smtp.pcap: 6 retransmitted frames in 2 connections. */
	g_assert_cmpuint(n, ==, 2 + 1);
	g_assert_cmpuint(expert_report_n_events(loud), ==, 6 + 2 + 1);
	for (guint i = 0; i < n; i++)
		g_assert_cmpstr(expert_report_event_text(quiet, i), ==,
		                expert_report_event_text(loud, 6 + i));
	/* Nothing was to be listed, so nothing was left out. */
	g_assert_false(json_object_has_member(expert_report_event_details(quiet, n - 1),
	                                      "frames_not_listed"));
}

static gint compare_frames(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
	return x < y ? -1 : x > y;
}

/* max_listed cuts both lists and the total counts what was cut:
 * tcp_ssh-dups.pcap has 166 retransmitted frames in its one connection. */
static void test_max_listed_cuts_the_lists(void)
{
	if (!have_environment())
		return;
	g_autoptr(GHashTable) want = oracle_flagged("tcp_ssh-dups.pcap");
	g_autoptr(GList) frames = g_list_sort(g_hash_table_get_keys(want), compare_frames);
	static const char *const ten[] = { "tcp-retransmit:list_frames=yes",
	                                   "tcp-retransmit:max_listed=10", NULL };
	g_autoptr(ExpertReport) r = run("tcp_ssh-dups.pcap", ten);
	expert_report_assert_completed(r);
	g_assert_cmpuint(expert_report_n_events(r), ==, 10 + 1 + 1);
	/* The first ten that tshark flags, in capture order. */
	GList *next = frames;
	for (guint i = 0; i < 10; i++, next = next->next) {
		gint64 frame = (gint64)expert_report_detail_u64(expert_report_event_details(r, i),
		                                               "frame");
		g_assert_cmpint(frame, ==, *(const gint64 *)next->data);
	}
	JsonObject *total = expert_report_event_details(r, 11);
	g_assert_cmpuint(expert_report_detail_u64(total, "retransmitted_frames"), ==, 166);
	g_assert_cmpuint(expert_report_detail_u64(total, "frames_not_listed"), ==, 156);
	g_assert_cmpuint(expert_report_detail_u64(total, "connections_not_listed"), ==, 0);

	static const char *const none[] = { "tcp-retransmit:max_listed=0", NULL };
	g_autoptr(ExpertReport) z = run("tcp_ssh-dups.pcap", none);
	expert_report_assert_completed(z);
	g_assert_cmpuint(expert_report_n_events(z), ==, 1);
	total = expert_report_event_details(z, 0);
	g_assert_cmpuint(expert_report_detail_u64(total, "retransmitted_frames"), ==, 166);
	g_assert_cmpuint(expert_report_detail_u64(total, "connections_not_listed"), ==, 1);
}

/* vlan-collisions.pcap with VLANs in the key: three conversations, one per
 * VLAN stack, and no frame is a retransmission of another. */
static void test_vlan_aware_separates_vlan_copies(void)
{
	if (!have_environment())
		return;
	static const char *const settings[] = { "tcp-retransmit:vlan_aware=yes",
	                                        "tcp-retransmit:list_frames=yes", NULL };
	g_autoptr(ExpertReport) r = run("vlan-collisions.pcap", settings);
	expert_report_assert_completed(r);
	g_assert_cmpuint(expert_report_n_events(r), ==, 1);
	g_assert_cmpstr(expert_report_event_text(r, 0), ==, "total");
	JsonObject *total = expert_report_event_details(r, 0);
	g_assert_cmpuint(expert_report_detail_u64(total, "connections"), ==, 3);
	g_assert_cmpuint(expert_report_detail_u64(total, "connections_with_retransmissions"), ==, 0);
	g_assert_cmpuint(expert_report_detail_u64(total, "retransmitted_frames"), ==, 0);
	g_assert_cmpuint(expert_report_detail_u64(total, "tcp_frames"), ==, 42);

	/* tshark's definition, for contrast: one conversation, 18 frames. */
	g_autoptr(ExpertReport) plain = run("vlan-collisions.pcap", NULL);
	expert_report_assert_completed(plain);
	guint n = expert_report_n_events(plain);
	JsonObject *conn = expert_report_event_details(plain, 0);
	g_assert_cmpuint(expert_report_detail_u64(conn, "retransmitted_frames"), ==, 18);
	total = expert_report_event_details(plain, n - 1);
	g_assert_cmpuint(expert_report_detail_u64(total, "connections"), ==, 1);
	g_assert_cmpuint(expert_report_detail_u64(total, "retransmitted_frames"), ==, 18);
}

/* Where there are no VLANs, vlan_aware changes nothing; where there are,
 * each connection event names its VLAN stack. */
static void test_vlan_aware_without_vlans_is_tsharks_answer(void)
{
	if (!have_environment())
		return;
	static const char *const aware[] = { "tcp-retransmit:vlan_aware=yes",
	                                     "tcp-retransmit:list_frames=yes", NULL };
	static const char *const plain[] = { "tcp-retransmit:list_frames=yes", NULL };
	static const char *const captures[] = { "smtp.pcap", "tcp_ssh-dups.pcap" };
	for (size_t c = 0; c < G_N_ELEMENTS(captures); c++) {
		g_autoptr(ExpertReport) a = run(captures[c], aware);
		g_autoptr(ExpertReport) p = run(captures[c], plain);
		expert_report_assert_completed(a);
		expert_report_assert_completed(p);
		g_assert_cmpuint(expert_report_n_events(a), ==, expert_report_n_events(p));
		for (guint i = 0; i < expert_report_n_events(a); i++) {
			JsonObject *d = expert_report_event_details(a, i);
			const char *text = expert_report_event_text(p, i);
			if (json_object_has_member(d, "client")) {
				g_assert_cmpstr(expert_report_detail_str(d, "vlan"), ==, "none");
				g_autofree char *with_vlan = g_strconcat(text, " vlan none", NULL);
				g_assert_cmpstr(expert_report_event_text(a, i), ==, with_vlan);
			} else {
				g_assert_cmpstr(expert_report_event_text(a, i), ==, text);
			}
		}
	}
}

static void test_bad_settings_fail_to_load(void)
{
	if (!have_environment())
		return;
	static const char *const bad[] = {
		"tcp-retransmit:vlan_aware=true", "tcp-retransmit:vlan_aware=1",
		"tcp-retransmit:vlan_aware=", "tcp-retransmit:vlan_aware=YES",
		"tcp-retransmit:list_frames=maybe", "tcp-retransmit:list_frames=no ",
		"tcp-retransmit:max_listed=-1", "tcp-retransmit:max_listed=", "tcp-retransmit:max_listed=1k",
		"tcp-retransmit:max_listed=4294967296",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		const char *const settings[] = { bad[i], NULL };
		g_autoptr(ExpertReport) r = run("smtp.pcap", settings);
		g_test_message("%s: %s, %s", bad[i], expert_report_outcome(r), expert_report_detail(r));
		expert_report_assert_refused_setting(r, bad[i]);
		g_assert_cmpint(expert_report_job_int(r, "frames_read"), ==, 0);
		g_assert_cmpuint(expert_report_n_events(r), ==, 0);
	}
}

/* ---- TCP headers the capture cut ------------------------------------------ */

/* One IPv4/TCP frame: 10.0.0.a:pa -> 10.0.0.b:pb, a 32-byte header (12
 * bytes of NOP options), payload bytes by the IP length, cut to caplen. */
static void put_segment(GByteArray *pcap, guint32 ts, guint8 a, guint16 pa, guint8 b, guint16 pb,
                        guint32 seq, guint32 ack, guint8 flags, guint payload, guint caplen)
{
	guint8 f[14 + 20 + 32 + 100] = { 0 };
	guint len = 14 + 20 + 32 + payload;
	g_assert_cmpuint(len, <=, sizeof f);
	f[0] = 2, f[5] = b, f[6] = 2, f[11] = a, f[12] = 0x08;
	guint8 *ip = f + 14, *tcp = ip + 20;
	ip[0] = 0x45, ip[2] = (guint8)((len - 14) >> 8), ip[3] = (guint8)(len - 14);
	ip[8] = 64, ip[9] = 6, ip[12] = 10, ip[15] = a, ip[16] = 10, ip[19] = b;
	tcp[0] = (guint8)(pa >> 8), tcp[1] = (guint8)pa, tcp[2] = (guint8)(pb >> 8), tcp[3] = (guint8)pb;
	for (int i = 0; i < 4; i++) {
		tcp[4 + i] = (guint8)(seq >> (24 - 8 * i));
		tcp[8 + i] = (guint8)(ack >> (24 - 8 * i));
	}
	tcp[12] = 8 << 4, tcp[13] = flags, tcp[14] = 0x10;
	memset(tcp + 20, 1, 12);
	guint32 record[4] = { GUINT32_TO_LE(1000 + ts), 0, GUINT32_TO_LE(MIN(caplen, len)),
	                      GUINT32_TO_LE(len) };
	g_byte_array_append(pcap, (const guint8 *)record, sizeof record);
	g_byte_array_append(pcap, f, MIN(caplen, len));
}

/* The frames tshark flags as retransmissions, "5 ". */
static char *tshark_flagged(const char *capture)
{
	const char *args[] = { "-r", capture, "-Y", "tcp.analysis.retransmission", "-T", "fields",
	                       "-e", "frame.number", NULL };
	g_autofree char *out = tshark_output(args);
	return g_strdelimit(g_strstrip(g_strdup(out)), "\n", ' ');
}

/* tshark's conversation table: the frames of each row, "4 1". */
static char *tshark_conversation_frames(const char *capture)
{
	const char *args[] = { "-r", capture, "-q", "-z", "conv,tcp", NULL };
	g_autofree char *out = tshark_output(args);
	g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
	GString *s = g_string_new(NULL);
	for (guint i = 0; lines[i]; i++) {
		if (strstr(lines[i], "<->") == NULL)
			continue;
		/* A <-> B, then frames, bytes, unit for each way and the total */
		g_auto(GStrv) t = g_strsplit_set(g_strstrip(lines[i]), " ", -1);
		guint k = 0;
		char *token[16];
		for (guint j = 0; t[j] && k < G_N_ELEMENTS(token); j++)
			if (t[j][0] != '\0')
				token[k++] = t[j];
		g_assert_cmpuint(k, >, 9);
		g_string_append_printf(s, "%s%s", s->len > 0 ? " " : "", token[9]);
	}
	return g_string_free(s, FALSE);
}

/* A TCP header the capture cut, as tshark has it (packet.h's truncation
 * rule): with 16 bytes or more it is a segment of its connection, which the
 * sequence analysis sees, but it is never flagged and not counted in the
 * connection's frames; with fewer it is no segment at all. The capture is
 * built here, and tshark, when installed, must give the same answers:
 *   1-3  handshake 10.0.0.1:1234 -> 10.0.0.2:80 (whole)
 *   4    100 bytes of data, header cut after 16 bytes: analysed, not counted
 *   5    the same, whole: a retransmission, because 4 was seen
 *   6    the same, header cut after 30 bytes: not flagged, not counted
 *   7    another connection's header, 10 bytes: nothing
 *   8    a third's, 20 bytes: a connection (stream 1) with no frame counted
 *   9    a fourth's, whole: stream 2 */
static void test_cut_headers_as_tshark(void)
{
	if (!have_environment())
		return;
	g_autoptr(GByteArray) pcap = g_byte_array_new();
	const guint32 header[6] = { GUINT32_TO_LE(0xa1b2c3d4), GUINT32_TO_LE(0x00040002), 0, 0,
	                            GUINT32_TO_LE(262144), GUINT32_TO_LE(1) };
	g_byte_array_append(pcap, (const guint8 *)header, sizeof header);
	const guint whole = 1000, cut16 = 14 + 20 + 16, cut30 = 14 + 20 + 30;
	put_segment(pcap, 1, 1, 1234, 2, 80, 1000, 0, 0x02, 0, whole);
	put_segment(pcap, 2, 2, 80, 1, 1234, 5000, 1001, 0x12, 0, whole);
	put_segment(pcap, 3, 1, 1234, 2, 80, 1001, 5001, 0x10, 0, whole);
	put_segment(pcap, 4, 1, 1234, 2, 80, 1001, 5001, 0x18, 100, cut16);
	put_segment(pcap, 5, 1, 1234, 2, 80, 1001, 5001, 0x18, 100, whole);
	put_segment(pcap, 6, 1, 1234, 2, 80, 1001, 5001, 0x18, 100, cut30);
	put_segment(pcap, 7, 3, 999, 4, 81, 1, 0, 0x18, 10, 14 + 20 + 10);
	put_segment(pcap, 8, 5, 998, 6, 82, 1, 0, 0x18, 10, 14 + 20 + 20);
	put_segment(pcap, 9, 7, 997, 8, 83, 1, 0, 0x18, 10, whole);
	g_autofree char *dir = temp_dir_new("test-tcp-retransmit-XXXXXX");
	g_autofree char *capture = g_build_filename(dir, "cut-headers.pcap", NULL);
	g_autoptr(GError) error = NULL;
	g_assert_true(g_file_set_contents(capture, (const char *)pcap->data, pcap->len, &error));

	static const char *const settings[] = { "tcp-retransmit:list_frames=yes", NULL };
	g_autoptr(ExpertReport) r = expert_report_run(g_getenv("EXPERT_TCP_RETRANSMIT"), capture,
	                                              settings);
	expert_report_assert_completed(r);
	g_assert_cmpuint(expert_report_n_events(r), ==, 3);
	JsonObject *flagged = expert_report_event_details(r, 0);
	g_assert_cmpuint(expert_report_detail_u64(flagged, "frame"), ==, 5);
	g_assert_cmpuint(expert_report_detail_u64(flagged, "stream"), ==, 0);
	g_assert_cmpuint(expert_report_detail_u64(flagged, "len"), ==, 100);
	JsonObject *conn = expert_report_event_details(r, 1);
	g_assert_cmpuint(expert_report_detail_u64(conn, "frames"), ==, 4);
	JsonObject *total = expert_report_event_details(r, 2);
	g_assert_cmpuint(expert_report_detail_u64(total, "connections"), ==, 2);
	g_assert_cmpuint(expert_report_detail_u64(total, "tcp_frames"), ==, 5);
	g_assert_cmpuint(expert_report_detail_u64(total, "tcp_headers_cut"), ==, 3);

	if (tshark_available()) {
		g_autofree char *frames = tshark_flagged(capture);
		g_assert_cmpstr(frames, ==, "5");
		g_autofree char *conversations = tshark_conversation_frames(capture);
		g_assert_cmpstr(conversations, ==, "4 1");
		const char *args[] = { "-r", capture, "-Y", "frame.number == 9", "-T", "fields",
		                       "-e", "tcp.stream", NULL };
		g_autofree char *stream = tshark_output(args);
		g_assert_cmpint(atoi(stream), ==, 2);
	}
	temp_dir_remove(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_autoptr(GPtrArray) captures = oracle_add_capture_tests(
		"/tcp-retransmit/matches-tshark/", test_matches_tshark);
	if (captures == NULL)
		return 77;
	g_test_add_func("/tcp-retransmit/frames-listed-only-when-asked",
	                test_frames_listed_only_when_asked);
	g_test_add_func("/tcp-retransmit/max-listed-cuts-the-lists", test_max_listed_cuts_the_lists);
	g_test_add_func("/tcp-retransmit/vlan-aware-separates-vlan-copies",
	                test_vlan_aware_separates_vlan_copies);
	g_test_add_func("/tcp-retransmit/vlan-aware-without-vlans-is-tsharks-answer",
	                test_vlan_aware_without_vlans_is_tsharks_answer);
	g_test_add_func("/tcp-retransmit/bad-settings-fail-to-load", test_bad_settings_fail_to_load);
	g_test_add_func("/tcp-retransmit/cut-headers-as-tshark", test_cut_headers_as_tshark);
	return g_test_run();
}
