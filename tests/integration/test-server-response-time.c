/* test-server-response-time.c — the Server Response Time expert, run by the
 * real executor under the strict profile over every bundled capture, against
 * figures computed live from tshark (skipped when tshark is not installed).
 *
 *  - DNS: tshark's own dns.time on every response (port 53), grouped by the
 *    responding server. tshark also times a duplicate response; the expert
 *    counts only the first, so responses tshark marks dns.retransmission are
 *    left out.
 *  - TCP: tshark gives per segment its time, endpoints, tcp.len and SYN/ACK
 *    flags; the exchanges are derived here with the expert's definition,
 *    written again as plainly as possible: per connection, the server is the
 *    SYN's destination, else the endpoint with the lower port (equal ports:
 *    the first segment's destination); client payload makes a request
 *    pending and sets its time, the next server payload answers it.
 *
 * In a tunnel (GTP-U, GRE, PPTP, VXLAN: the tunnels_*.pcap captures) the
 * addresses are the innermost IP header's, as the expert keys them; a TCP
 * header tshark could not read 16 bytes of (no tcp.len) is no segment, for
 * either. The one difference that remains: tshark also times a duplicate
 * DNS response (above).
 *
 * Per server: exchanges, and average, minimum, maximum in microseconds, must
 * be equal; the events must be sorted by average, descending; the total must
 * add up.
 *
 * Environment: EXPERT_EXEC, EXPERT_SRT (the .so), EXPERT_TEST_DATA.
 */
#include "expert-report.h"
#include "oracle.h"
#include "tshark.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	guint64 exchanges;
	guint64 sum_ns, min_ns, max_ns;
} Stats;

static void stats_add(GHashTable *servers, const char *label, gint64 rt_ns)
{
	g_assert_cmpint(rt_ns, >=, 0);
	Stats *s = g_hash_table_lookup(servers, label);
	if (s == NULL) {
		s = g_new0(Stats, 1);
		s->min_ns = G_MAXUINT64;
		g_hash_table_insert(servers, g_strdup(label), s);
	}
	s->exchanges++;
	s->sum_ns += (guint64)rt_ns;
	s->min_ns = MIN(s->min_ns, (guint64)rt_ns);
	s->max_ns = MAX(s->max_ns, (guint64)rt_ns);
}

static GHashTable *servers_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

/* "1463559350.492846000" or "0.000301000" as nanoseconds, exactly. */
static gint64 parse_ns(const char *text)
{
	g_auto(GStrv) parts = g_strsplit(text, ".", 2);
	guint64 sec, frac = 0;
	if (!g_ascii_string_to_unsigned(parts[0], 10, 0, G_MAXINT64 / 1000000000, &sec, NULL))
		g_error("not a time: \"%s\"", text);
	if (parts[1]) {
		char digits[10] = "000000000";
		gsize n = strlen(parts[1]);
		if (n > 9 || !g_ascii_string_to_unsigned(parts[1], 10, 0, G_MAXUINT64, &frac, NULL))
			g_error("not a time: \"%s\"", text);
		memcpy(digits, parts[1], n);
		frac = g_ascii_strtoull(digits, NULL, 10);
	}
	return (gint64)(sec * 1000000000 + frac);
}

/* tshark -n -r CAPTURE -Y FILTER -T fields -E separator=; -e FIELD... */
static char *tshark_fields(const char *capture, const char *filter, const char *const *fields)
{
	g_autoptr(GPtrArray) args = g_ptr_array_new();
	const char *fixed[] = { "-r", capture, "-Y", filter, "-T", "fields", "-E", "separator=;" };
	for (guint i = 0; i < G_N_ELEMENTS(fixed); i++)
		g_ptr_array_add(args, (gpointer)fixed[i]);
	for (guint i = 0; fields[i]; i++) {
		g_ptr_array_add(args, "-e");
		g_ptr_array_add(args, (gpointer)fields[i]);
	}
	g_ptr_array_add(args, NULL);
	return tshark_output((const char *const *)args->pdata);
}

/* Rows of ';'-separated fields, without the empty last line. */
static GPtrArray *rows(const char *text)
{
	GPtrArray *v = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i]; i++)
		if (lines[i][0] != '\0')
			g_ptr_array_add(v, g_strsplit(lines[i], ";", -1));
	return v;
}

/* The last comma-separated value of a field that occurs once per header
 * ("10.0.0.1,192.168.1.7": a tunnel's outer, then inner address). */
static const char *last_value(const char *values)
{
	const char *comma = strrchr(values, ',');
	return comma ? comma + 1 : values;
}

/* Whether the innermost IP header before the transport named in
 * frame.protocols ("eth:ethertype:ip:udp:gtp:ipv6:tcp") is IPv6: in a
 * tunnel the addresses that count are the inner ones (the last ip.src or
 * ipv6.src), and IPv4 and IPv6 may both be there (6in4, 4in6). */
static gboolean innermost_is_ipv6(const char *protocols, const char *transport)
{
	g_auto(GStrv) layers = g_strsplit(protocols, ":", -1);
	gboolean ipv6 = FALSE;
	for (guint i = 0; layers[i] && strcmp(layers[i], transport) != 0; i++) {
		if (strcmp(layers[i], "ip") == 0)
			ipv6 = FALSE;
		else if (strcmp(layers[i], "ipv6") == 0)
			ipv6 = TRUE;
	}
	return ipv6;
}

/* tshark's dns.time per responding server, as "dns ADDR". */
static void dns_reference(const char *capture, GHashTable *servers)
{
	const char *fields[] = { "frame.protocols", "ip.src", "ipv6.src", "dns.time", NULL };
	g_autofree char *out = tshark_fields(capture,
		"dns.flags.response == 1 && dns.time && !dns.retransmission && "
		"(udp.srcport == 53 || tcp.srcport == 53)", fields);
	g_autoptr(GPtrArray) r = rows(out);
	for (guint i = 0; i < r->len; i++) {
		char **f = g_ptr_array_index(r, i);
		g_assert_cmpuint(g_strv_length(f), ==, 4);
		gboolean ipv6 = innermost_is_ipv6(f[0], strstr(f[0], ":udp:") ? "udp" : "tcp");
		g_autofree char *label = g_strconcat("dns ", last_value(ipv6 ? f[2] : f[1]), NULL);
		/* Several messages in one TCP segment: one time each. */
		g_auto(GStrv) times = g_strsplit(f[3], ",", -1);
		for (guint k = 0; times[k]; k++)
			stats_add(servers, label, parse_ns(times[k]));
	}
}

typedef struct {
	char *server; /* "ADDR:PORT" of the side that serves */
	gboolean pending;
	gint64 request_ns;
} Conn;

static void conn_free(gpointer p)
{
	Conn *c = p;
	g_free(c->server);
	g_free(c);
}

static char *endpoint(const char *v4, const char *v6, const char *port)
{
	return v4[0] ? g_strdup_printf("%s:%s", v4, port) : g_strdup_printf("[%s]:%s", v6, port);
}

static gboolean flag_set(const char *v)
{
	return strcmp(v, "1") == 0 || g_ascii_strcasecmp(v, "true") == 0;
}

/* The TCP exchanges of the capture, from tshark's per-segment fields. */
static void tcp_reference(const char *capture, GHashTable *servers)
{
	const char *fields[] = { "frame.time_epoch", "frame.protocols", "ip.src", "ipv6.src",
	                         "tcp.srcport", "ip.dst", "ipv6.dst", "tcp.dstport", "tcp.len",
	                         "tcp.flags.syn", "tcp.flags.ack", NULL };
	/* TCP quoted in an ICMP error is not a segment of the connection
	 * (smtp.pcap has four). */
	g_autofree char *out = tshark_fields(capture, "tcp && !icmp && !icmpv6", fields);
	g_autoptr(GPtrArray) r = rows(out);
	g_autoptr(GHashTable) conns = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, conn_free);
	for (guint i = 0; i < r->len; i++) {
		char **f = g_ptr_array_index(r, i);
		g_assert_cmpuint(g_strv_length(f), ==, 11);
		/* No tcp.len: tshark had fewer than the 16 bytes of the TCP
		 * header that carry its fields, and so no segment. */
		if (f[8][0] == '\0')
			continue;
		gint64 t = parse_ns(f[0]);
		gboolean ipv6 = innermost_is_ipv6(f[1], "tcp");
		g_autofree char *src = endpoint(ipv6 ? "" : last_value(f[2]), last_value(f[3]), f[4]);
		g_autofree char *dst = endpoint(ipv6 ? "" : last_value(f[5]), last_value(f[6]), f[7]);
		guint sport = (guint)atoi(f[4]), dport = (guint)atoi(f[7]);
		guint len = (guint)atoi(f[8]);
		g_autofree char *key = strcmp(src, dst) < 0 ? g_strconcat(src, " ", dst, NULL)
		                                             : g_strconcat(dst, " ", src, NULL);
		Conn *c = g_hash_table_lookup(conns, key);
		if (flag_set(f[9]) && !flag_set(f[10])) {
			g_hash_table_remove(conns, key);
			c = NULL;
		}
		if (c == NULL) {
			c = g_new0(Conn, 1);
			gboolean syn = flag_set(f[9]) && !flag_set(f[10]);
			c->server = g_strdup(syn || dport <= sport ? dst : src);
			g_hash_table_insert(conns, g_strdup(key), c);
		}
		if (len == 0)
			continue;
		if (strcmp(src, c->server) != 0) {
			c->pending = TRUE;
			c->request_ns = t;
		} else if (c->pending) {
			c->pending = FALSE;
			stats_add(servers, c->server, t - c->request_ns);
		}
	}
}

/* ---- the expert ------------------------------------------------------------- */

static ExpertReport *run_expert(const char *capture, const char *setting)
{
	const char *settings[] = { setting, NULL };
	return expert_report_run(g_getenv("EXPERT_SRT"), capture, setting ? settings : NULL);
}

static gboolean have_environment(void)
{
	if (!g_getenv("EXPERT_EXEC") || !g_getenv("EXPERT_SRT") || !g_getenv("EXPERT_TEST_DATA")) {
		g_test_skip("EXPERT_EXEC, EXPERT_SRT and EXPERT_TEST_DATA must be set");
		return FALSE;
	}
	return TRUE;
}

/* The expert's server events, label -> details, checked in order; the
 * total's details in *total. */
static GHashTable *expert_servers(const ExpertReport *r, JsonObject **total)
{
	expert_report_assert_completed(r);
	GHashTable *got = g_hash_table_new(g_str_hash, g_str_equal);
	guint n = expert_report_n_events(r);
	g_assert_cmpuint(n, >=, 1);
	guint64 previous_avg = G_MAXUINT64;
	for (guint i = 0; i + 1 < n; i++) {
		const char *text = expert_report_event_text(r, i);
		JsonObject *d = expert_report_event_details(r, i);
		guint64 avg = expert_report_detail_u64(d, "avg_us");
		g_assert_cmpuint(avg, <=, previous_avg);
		previous_avg = avg;
		g_assert_false(g_hash_table_contains(got, text));
		g_hash_table_insert(got, (gpointer)text, d);
	}
	g_assert_cmpstr(expert_report_event_text(r, n - 1), ==, "total");
	*total = expert_report_event_details(r, n - 1);
	return got;
}

static void test_matches_tshark(gconstpointer data)
{
	const char *file = ((const OracleCapture *)data)->file;
	if (!have_environment() || !tshark_available())
		return;
	g_autofree char *capture = g_build_filename(g_getenv("EXPERT_TEST_DATA"), file, NULL);
	g_autoptr(GHashTable) want = servers_new();
	dns_reference(capture, want);
	tcp_reference(capture, want);

	g_autoptr(ExpertReport) r = run_expert(capture, NULL);
	JsonObject *total;
	g_autoptr(GHashTable) got = expert_servers(r, &total);

	guint64 exchanges = 0;
	GHashTableIter it;
	gpointer key, value;
	g_hash_table_iter_init(&it, want);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		const Stats *s = value;
		exchanges += s->exchanges;
		guint64 avg = s->sum_ns / s->exchanges / 1000;
		g_test_message("%s %s: reference %" G_GUINT64_FORMAT " exchanges, avg/min/max %"
		               G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " us",
		               file, (const char *)key, s->exchanges, avg, s->min_ns / 1000,
		               s->max_ns / 1000);
		JsonObject *d = g_hash_table_lookup(got, key);
		if (d == NULL)
			g_error("%s: the expert has no event for server %s", file, (const char *)key);
		g_assert_cmpuint(expert_report_detail_u64(d, "exchanges"), ==, s->exchanges);
		g_assert_cmpuint(expert_report_detail_u64(d, "avg_us"), ==, avg);
		g_assert_cmpuint(expert_report_detail_u64(d, "min_us"), ==, s->min_ns / 1000);
		g_assert_cmpuint(expert_report_detail_u64(d, "max_us"), ==, s->max_ns / 1000);
	}
	/* And nothing the reference does not have. */
	g_hash_table_iter_init(&it, got);
	while (g_hash_table_iter_next(&it, &key, NULL))
		if (!g_hash_table_contains(want, key))
			g_error("%s: the expert reports server %s, the reference does not", file,
			        (const char *)key);
	/* Not a vacuous comparison: every capture has exchanges but those
	 * carrying no request answered (ICMP, ARP, a lone datagram). */
	static const char *const none[] = {
		"linux_dlt_sll2.pcap", "tunnels_4in6.pcap", "tunnels_6in4.pcap",
		"tunnels_gtp_gtp7_ipv6.pcap", "tunnels_vxlan.pcap", NULL,
	};
	if (g_strv_contains(none, file))
		g_assert_cmpuint(exchanges, ==, 0);
	else
		g_assert_cmpuint(exchanges, >, 0);
	g_assert_cmpuint(expert_report_detail_u64(total, "exchanges"), ==, exchanges);
	g_assert_cmpuint(expert_report_detail_u64(total, "servers"), ==, g_hash_table_size(want));
	g_assert_cmpuint(expert_report_detail_u64(total, "untracked"), ==, 0);
}

/* min_exchanges=2: servers with one exchange lose their event, not their
 * share of the total. */
static void test_min_exchanges_hides_small_servers(void)
{
	if (!have_environment())
		return;
	g_autofree char *capture = g_build_filename(g_getenv("EXPERT_TEST_DATA"),
	                                            "dns-edns-ecs.pcap", NULL);
	g_autoptr(ExpertReport) all_run = run_expert(capture, NULL);
	g_autoptr(ExpertReport) some_run = run_expert(capture, "server-response-time:min_exchanges=2");
	JsonObject *all_total, *some_total;
	g_autoptr(GHashTable) all = expert_servers(all_run, &all_total);
	g_autoptr(GHashTable) some = expert_servers(some_run, &some_total);
	guint expected = 0;
	GHashTableIter it;
	gpointer key, value;
	g_hash_table_iter_init(&it, all);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		gboolean big = expert_report_detail_u64(value, "exchanges") >= 2;
		expected += big;
		g_assert_true(g_hash_table_contains(some, key) == big);
	}
	g_assert_cmpuint(expected, >, 0);
	g_assert_cmpuint(expected, <, g_hash_table_size(all));
	g_assert_cmpuint(g_hash_table_size(some), ==, expected);
	g_assert_cmpuint(expert_report_detail_u64(some_total, "servers_reported"), ==, expected);
	g_assert_cmpuint(expert_report_detail_u64(some_total, "exchanges"), ==, expert_report_detail_u64(all_total, "exchanges"));
}

static void test_bad_settings_are_refused(void)
{
	if (!have_environment())
		return;
	g_autofree char *capture = g_build_filename(g_getenv("EXPERT_TEST_DATA"), "wikipedia.pcap",
	                                            NULL);
	const char *bad[] = {
		"server-response-time:min_exchanges=0", "server-response-time:min_exchanges=two",
		"server-response-time:min_exchanges=4294967296", "server-response-time:min_exchanges=",
	};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(ExpertReport) r = run_expert(capture, bad[i]);
		expert_report_assert_refused_setting(r, bad[i]);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* Every bundled capture; the ones chosen for this expert are
	 * smb_smb2readwrite.pcap, http_bro.org.pcap, redis_django-cloud.pcapng
	 * (a server on an unknown port, no SYN) and dns-edns-ecs.pcap (DNS over
	 * UDP and TCP, IPv4 and IPv6, responses in IPv4 fragments). */
	g_autoptr(GPtrArray) captures = oracle_add_capture_tests(
		"/server-response-time/matches-tshark/", test_matches_tshark);
	if (captures == NULL)
		return 77;
	g_test_add_func("/server-response-time/min-exchanges-hides-small-servers",
	                test_min_exchanges_hides_small_servers);
	g_test_add_func("/server-response-time/bad-settings-are-refused",
	                test_bad_settings_are_refused);
	return g_test_run();
}
