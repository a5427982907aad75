/* test-tcp-analysis.c — experts/tcp-retransmit/analysis.c, tshark's TCP
 * sequence analysis, on the cases the shared captures do not have.
 *
 * Each scenario is a short conversation, step by step, with the verdict
 * tshark 4.0 gives each segment ('R' retransmission, 'F' fast
 * retransmission, 'S' spurious retransmission, '.' none): SYN, data and FIN
 * resends, spurious resends, fast retransmission after two duplicate ACKs,
 * out-of-order segments inside the first RTT, keep-alives, zero-window
 * probes, sequence numbers wrapping past 2^32, and a reused port pair.
 *
 * The verdicts below were read from tshark 4.0.17 on the capture this test
 * writes. When tshark 4.0 is installed the test writes that capture again
 * and asks tshark, so a scenario that is edited keeps telling the truth;
 * without it (or with another version, whose heuristics may differ) only
 * the recorded verdicts are checked.
 */
#include "analysis.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <pcap/pcap.h>
#include <string.h>

enum { FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10 };
enum { C = 0, S = 1 }; /* who sends: the client or the server */

typedef struct {
	uint8_t from;
	uint32_t seq;      /* relative to the sender's ISN (the SYN is 0) */
	uint32_t ack;      /* relative to the receiver's ISN; sent only with ACK */
	uint16_t len;
	uint16_t flags;
	uint16_t window;
	uint32_t after_us; /* since the previous step */
	char want;         /* tshark's verdict */
	bool second;       /* use the scenario's second pair of ISNs */
} Step;

typedef struct {
	const char *name;
	uint32_t client_isn, server_isn;
	uint32_t client_isn2, server_isn2; /* for steps marked second */
	const Step *steps;
	size_t n_steps;
} Scenario;

#define W 8192 /* an ordinary open window */

/* SYN at 0, SYN/ACK at 5 ms, ACK at 10 ms: the first RTT is 10 ms. */
#define HANDSHAKE \
	{ C, 0, 0, 0, SYN, W, 0, '.', false }, \
	{ S, 0, 1, 0, SYN | ACK, W, 5000, '.', false }, \
	{ C, 1, 1, 0, ACK, W, 5000, '.', false }

static const Step clean[] = {
	HANDSHAKE,
	{ C, 1, 1, 100, PSH | ACK, W, 1000, '.', false },
	{ S, 1, 101, 200, PSH | ACK, W, 5000, '.', false },
	{ C, 101, 201, 0, ACK, W, 5000, '.', false },
	{ C, 101, 201, 0, FIN | ACK, W, 1000, '.', false },
	{ S, 201, 102, 0, FIN | ACK, W, 5000, '.', false },
	{ C, 102, 202, 0, ACK, W, 5000, '.', false },
};

static const Step syn_resent[] = {
	{ C, 0, 0, 0, SYN, W, 0, '.', false },
	{ C, 0, 0, 0, SYN, W, 1000000, 'R', false },
	{ S, 0, 1, 0, SYN | ACK, W, 5000, '.', false },
	{ S, 0, 1, 0, SYN | ACK, W, 1000000, 'R', false },
	{ C, 1, 1, 0, ACK, W, 5000, '.', false },
	{ C, 1, 1, 10, PSH | ACK, W, 1000, '.', false },
};

/* No ACK comes back, and the segment is sent again after 200 ms. */
static const Step rto[] = {
	HANDSHAKE,
	{ C, 1, 1, 100, PSH | ACK, W, 1000, '.', false },
	{ C, 101, 1, 100, PSH | ACK, W, 1000, '.', false },
	{ C, 1, 1, 100, PSH | ACK, W, 200000, 'R', false },
	/* partly acknowledged: the unacknowledged part makes it a plain resend */
	{ S, 1, 101, 0, ACK, W, 5000, '.', false },
	{ C, 101, 1, 100, PSH | ACK, W, 200000, 'R', false },
	{ S, 1, 201, 0, ACK, W, 5000, '.', false },
	{ C, 201, 1, 100, PSH | ACK, W, 1000, '.', false },
};

/* Everything it carries was already acknowledged. */
static const Step spurious[] = {
	HANDSHAKE,
	{ C, 1, 1, 100, PSH | ACK, W, 1000, '.', false },
	{ S, 1, 101, 0, ACK, W, 5000, '.', false },
	{ C, 1, 1, 100, PSH | ACK, W, 200000, 'S', false },
	{ C, 51, 1, 50, PSH | ACK, W, 1000, 'S', false },
	{ C, 101, 1, 100, PSH | ACK, W, 1000, '.', false },
};

/* Segment 101 is lost; the server acknowledges 101 three times (two
 * duplicates), and the client resends 101 within 20 ms: fast. A resend of
 * something else, or after 20 ms, is not fast. */
static const Step fast[] = {
	HANDSHAKE,
	{ C, 1, 1, 100, ACK, W, 1000, '.', false },
	{ C, 201, 1, 100, ACK, W, 100, '.', false },
	{ C, 301, 1, 100, ACK, W, 100, '.', false },
	{ S, 1, 101, 0, ACK, W, 5000, '.', false },
	{ S, 1, 101, 0, ACK, W, 100, '.', false },
	{ S, 1, 101, 0, ACK, W, 100, '.', false },
	{ C, 101, 1, 100, ACK, W, 5000, 'F', false },
	{ S, 1, 401, 0, ACK, W, 5000, '.', false },
	{ C, 401, 1, 100, ACK, W, 1000, '.', false },
	{ C, 501, 1, 100, ACK, W, 100, '.', false },
	{ S, 1, 401, 0, ACK, W, 5000, '.', false },
	{ S, 1, 401, 0, ACK, W, 100, '.', false },
	{ S, 1, 401, 0, ACK, W, 100, '.', false },
	{ C, 401, 1, 100, ACK, W, 30000, 'R', false },
};

/* A segment that arrives within the first RTT (10 ms) of the highest one
 * and does not end where it did is out of order, not a retransmission. */
static const Step out_of_order[] = {
	HANDSHAKE,
	{ C, 101, 1, 100, ACK, W, 1000, '.', false },
	{ C, 1, 1, 100, ACK, W, 1000, '.', false },
	{ C, 201, 1, 100, ACK, W, 1000, '.', false },
	{ C, 1, 1, 100, ACK, W, 50000, 'R', false },
};

/* Keep-alives start one byte before the next expected sequence number with
 * 0 or 1 byte; their ACKs repeat the last ACK without being duplicates. A
 * segment of more than one byte starting there is new data. */
static const Step keep_alive[] = {
	HANDSHAKE,
	{ C, 1, 1, 100, PSH | ACK, W, 1000, '.', false },
	{ S, 1, 101, 0, ACK, W, 5000, '.', false },
	{ C, 100, 1, 0, ACK, W, 60000000, '.', false },
	{ S, 1, 101, 0, ACK, W, 5000, '.', false },
	{ C, 100, 1, 1, ACK, W, 60000000, '.', false },
	{ S, 1, 101, 0, ACK, W, 5000, '.', false },
	{ C, 100, 1, 50, PSH | ACK, W, 1000, '.', false },
};

/* The server's window closes; one-byte probes at the next sequence number
 * are not retransmissions, nor do they advance it. */
static const Step zero_window[] = {
	HANDSHAKE,
	{ C, 1, 1, 100, PSH | ACK, W, 1000, '.', false },
	{ S, 1, 101, 0, ACK, 0, 5000, '.', false },
	{ C, 101, 1, 1, ACK, W, 200000, '.', false },
	{ S, 1, 101, 0, ACK, 0, 5000, '.', false },
	{ C, 101, 1, 1, ACK, W, 400000, '.', false },
	{ S, 1, 101, 0, ACK, W, 5000, '.', false },
	{ C, 101, 1, 100, PSH | ACK, W, 1000, '.', false },
};

static const Step fin_resent[] = {
	HANDSHAKE,
	{ C, 1, 1, 0, FIN | ACK, W, 1000, '.', false },
	{ C, 1, 1, 0, FIN | ACK, W, 200000, 'R', false },
	{ S, 1, 2, 0, FIN | ACK, W, 5000, '.', false },
	{ C, 2, 2, 0, ACK, W, 5000, '.', false },
	/* a RST is not data, SYN or FIN: never a retransmission */
	{ C, 2, 2, 0, RST | ACK, W, 1000, '.', false },
	{ C, 2, 2, 0, RST | ACK, W, 1000, '.', false },
};

/* The ISNs sit just below 2^32: sequence numbers wrap mid-conversation. */
static const Step wrap[] = {
	HANDSHAKE,
	{ C, 1, 1, 200, ACK, W, 1000, '.', false },
	{ C, 201, 1, 200, ACK, W, 100, '.', false },
	{ C, 401, 1, 200, ACK, W, 100, '.', false },
	{ C, 201, 1, 200, ACK, W, 200000, 'R', false },
	{ S, 1, 601, 0, ACK, W, 5000, '.', false },
	{ C, 601, 1, 200, ACK, W, 1000, '.', false },
};

/* The same ports again with new ISNs: a new conversation, whose SYN is not
 * a retransmission of the old one. */
static const Step reuse[] = {
	HANDSHAKE,
	{ C, 1, 1, 100, PSH | ACK, W, 1000, '.', false },
	{ S, 1, 101, 0, FIN | ACK, W, 5000, '.', false },
	{ C, 101, 2, 0, FIN | ACK, W, 5000, '.', false },
	{ S, 2, 102, 0, ACK, W, 5000, '.', false },
	{ C, 0, 0, 0, SYN, W, 1000000, '.', true },
	{ S, 0, 1, 0, SYN | ACK, W, 5000, '.', true },
	{ C, 1, 1, 0, ACK, W, 5000, '.', true },
	{ C, 1, 1, 100, PSH | ACK, W, 1000, '.', true },
	{ C, 1, 1, 100, PSH | ACK, W, 200000, 'R', true },
};

#define SCENARIO(name, c, s, c2, s2) { #name, c, s, c2, s2, name, G_N_ELEMENTS(name) }

static const Scenario scenarios[] = {
	SCENARIO(clean, 1000, 50000, 0, 0),
	SCENARIO(syn_resent, 1000, 50000, 0, 0),
	SCENARIO(rto, 1000, 50000, 0, 0),
	SCENARIO(spurious, 1000, 50000, 0, 0),
	SCENARIO(fast, 1000, 50000, 0, 0),
	SCENARIO(out_of_order, 1000, 50000, 0, 0),
	SCENARIO(keep_alive, 1000, 50000, 0, 0),
	SCENARIO(zero_window, 1000, 50000, 0, 0),
	SCENARIO(fin_resent, 1000, 50000, 0, 0),
	SCENARIO(wrap, 0xffffff00u, 0xfffffff0u, 0, 0),
	SCENARIO(reuse, 1000, 50000, 777777, 888888),
};

/* Scenario i starts at this time (seconds), far from the others. */
static int64_t scenario_start_ns(size_t i)
{
	return (int64_t)(1700000000 + 1000 * i) * 1000000000;
}

static TcpSegment segment_of(const Scenario *sc, const Step *st, int64_t ts_ns)
{
	uint32_t c_isn = st->second ? sc->client_isn2 : sc->client_isn;
	uint32_t s_isn = st->second ? sc->server_isn2 : sc->server_isn;
	uint32_t own = st->from == C ? c_isn : s_isn, other = st->from == C ? s_isn : c_isn;
	return (TcpSegment){
		.seq = own + st->seq,
		.ack = (st->flags & ACK) ? other + st->ack : 0,
		.len = st->len,
		.flags = st->flags,
		.window = st->window,
		.ts_ns = ts_ns,
	};
}

static char verdict_char(TcpVerdict v)
{
	switch (v) {
	case TCP_RETRANSMISSION: return 'R';
	case TCP_FAST_RETRANSMISSION: return 'F';
	case TCP_SPURIOUS_RETRANSMISSION: return 'S';
	case TCP_NOT_RETRANSMITTED: break;
	}
	return '.';
}

static void test_scenario(gconstpointer data)
{
	const Scenario *sc = data;
	TcpConversation conv;
	tcp_conversation_init(&conv);
	int64_t ts = scenario_start_ns((size_t)(sc - scenarios));
	for (size_t i = 0; i < sc->n_steps; i++) {
		const Step *st = &sc->steps[i];
		ts += (int64_t)st->after_us * 1000;
		TcpSegment seg = segment_of(sc, st, ts);
		if (tcp_conversation_is_reused(&conv, st->from, &seg))
			tcp_conversation_init(&conv);
		uint32_t relative;
		char got = verdict_char(tcp_conversation_segment(&conv, st->from, &seg, true,
		                                                 &relative));
		if (got != st->want)
			g_test_message("%s step %zu: %c, tshark %c", sc->name, i + 1, got, st->want);
		g_assert_cmpint(got, ==, st->want);
		/* tshark's relative tcp.seq: from the SYN when it was seen. */
		g_assert_cmpuint(relative, ==, st->seq);
	}
}

/* Without its length (a short segment) a frame is never a retransmission
 * and leaves the sequence state alone. */
static void test_unmeasurable_segment_changes_nothing(void)
{
	TcpConversation conv, before;
	tcp_conversation_init(&conv);
	const Scenario *sc = &scenarios[2]; /* rto */
	int64_t ts = 0;
	for (size_t i = 0; i < 4; i++) {
		ts += 1000000;
		TcpSegment seg = segment_of(sc, &sc->steps[i], ts);
		uint32_t relative;
		tcp_conversation_segment(&conv, sc->steps[i].from, &seg, true, &relative);
	}
	before = conv;
	TcpSegment again = segment_of(sc, &sc->steps[3], ts + 300000000);
	uint32_t relative;
	g_assert_cmpint(tcp_conversation_segment(&conv, C, &again, false, &relative), ==,
	                TCP_NOT_RETRANSMITTED);
	g_assert_cmpmem(&conv.flow, sizeof conv.flow, &before.flow, sizeof before.flow);
	g_assert_cmpint(tcp_conversation_segment(&conv, C, &again, true, &relative), ==,
	                TCP_RETRANSMISSION);
}

/* ---- the same scenarios, asked of tshark -------------------------------- */

static void put_be16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v; }
static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

/* Ethernet, IPv4 and TCP around seg; client 10.0.0.1:(40000 + n), server
 * 10.0.0.2:80. Checksums are left zero: tshark does not check them. */
static void write_frame(pcap_dumper_t *d, size_t n, uint8_t from, const TcpSegment *seg)
{
	uint8_t f[14 + 20 + 20 + 1500];
	size_t len = 14 + 20 + 20 + seg->len;
	memset(f, 0, len);
	static const uint8_t mac_c[6] = { 2, 0, 0, 0, 0, 1 }, mac_s[6] = { 2, 0, 0, 0, 0, 2 };
	memcpy(f, from == C ? mac_s : mac_c, 6);
	memcpy(f + 6, from == C ? mac_c : mac_s, 6);
	put_be16(f + 12, 0x0800);
	uint8_t *ip = f + 14;
	ip[0] = 0x45;
	put_be16(ip + 2, (uint16_t)(20 + 20 + seg->len));
	ip[8] = 64, ip[9] = 6;
	uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 10, 0, 0, 2 };
	memcpy(ip + 12, from == C ? a : b, 4);
	memcpy(ip + 16, from == C ? b : a, 4);
	uint8_t *tcp = ip + 20;
	put_be16(tcp, from == C ? (uint16_t)(40000 + n) : 80);
	put_be16(tcp + 2, from == C ? 80 : (uint16_t)(40000 + n));
	put_be32(tcp + 4, seg->seq);
	put_be32(tcp + 8, seg->ack);
	tcp[12] = 0x50;
	tcp[13] = (uint8_t)seg->flags;
	put_be16(tcp + 14, seg->window);
	struct pcap_pkthdr h = {
		.ts = { .tv_sec = seg->ts_ns / 1000000000, .tv_usec = seg->ts_ns % 1000000000 / 1000 },
		.caplen = (bpf_u_int32)len, .len = (bpf_u_int32)len,
	};
	pcap_dump((u_char *)d, &h, f);
}

/* "4.0.17" from `tshark --version`, or NULL. */
static char *tshark_version(const char *tshark)
{
	const char *argv[] = { tshark, "--version", NULL };
	g_autofree char *out = NULL;
	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
	                  NULL, NULL, NULL))
		return NULL;
	const char *at = strstr(out, "TShark (Wireshark) ");
	if (at == NULL)
		return NULL;
	at += strlen("TShark (Wireshark) ");
	return g_strndup(at, strspn(at, "0123456789."));
}

static void test_tshark_agrees(void)
{
	g_autofree char *tshark = g_find_program_in_path("tshark");
	g_autofree char *version = tshark != NULL ? tshark_version(tshark) : NULL;
	if (version == NULL || !g_str_has_prefix(version, "4.0.")) {
		g_test_skip("needs tshark 4.0 (the heuristics the verdicts were read from)");
		return;
	}
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("test-tcp-analysis-XXXXXX", &error);
	g_assert_no_error(error);
	g_autofree char *path = g_build_filename(dir, "scenarios.pcap", NULL);
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d = pcap_dump_open(dead, path);
	g_assert_nonnull(d);
	GString *want = g_string_new(NULL);
	for (size_t n = 0; n < G_N_ELEMENTS(scenarios); n++) {
		const Scenario *sc = &scenarios[n];
		int64_t ts = scenario_start_ns(n);
		for (size_t i = 0; i < sc->n_steps; i++) {
			ts += (int64_t)sc->steps[i].after_us * 1000;
			TcpSegment seg = segment_of(sc, &sc->steps[i], ts);
			write_frame(d, n, sc->steps[i].from, &seg);
			g_string_append_c(want, sc->steps[i].want);
		}
	}
	pcap_dump_close(d);
	pcap_close(dead);

	/* Default preferences, whatever the user running the test has set. */
	g_auto(GStrv) env = g_environ_setenv(g_get_environ(), "WIRESHARK_CONFIG_DIR", dir, TRUE);
	const char *argv[] = {
		tshark, "-n", "-r", path, "-T", "fields", "-E", "separator=,",
		"-e", "tcp.analysis.retransmission", "-e", "tcp.analysis.fast_retransmission",
		"-e", "tcp.analysis.spurious_retransmission", NULL,
	};
	g_autofree char *out = NULL;
	int status;
	if (!g_spawn_sync(NULL, (char **)argv, env, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
	                  NULL, &status, &error))
		g_error("cannot run %s: %s", tshark, error->message);
	g_assert_true(g_spawn_check_wait_status(status, NULL));
	g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, want->len + 1); /* and the last "" */
	size_t frame = 0;
	for (size_t n = 0; n < G_N_ELEMENTS(scenarios); n++) {
		for (size_t i = 0; i < scenarios[n].n_steps; i++, frame++) {
			g_auto(GStrv) f = g_strsplit(lines[frame], ",", -1);
			g_assert_cmpuint(g_strv_length(f), ==, 3);
			char says = strcmp(f[2], "1") == 0 ? 'S' : strcmp(f[1], "1") == 0 ? 'F'
			          : strcmp(f[0], "1") == 0 ? 'R' : '.';
			if (says != want->str[frame])
				g_test_message("%s step %zu (frame %zu): recorded %c, tshark %s says %c",
				               scenarios[n].name, i + 1, frame + 1, want->str[frame],
				               version, says);
			g_assert_cmpint(says, ==, want->str[frame]);
		}
	}
	g_string_free(want, TRUE);
	g_remove(path);
	g_rmdir(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(scenarios); i++) {
		g_autofree char *name = g_strconcat("/tcp-analysis/scenario/", scenarios[i].name, NULL);
		g_test_add_data_func(name, &scenarios[i], test_scenario);
	}
	g_test_add_func("/tcp-analysis/unmeasurable-segment-changes-nothing",
	                test_unmeasurable_segment_changes_nothing);
	g_test_add_func("/tcp-analysis/tshark-agrees", test_tshark_agrees);
	return g_test_run();
}
