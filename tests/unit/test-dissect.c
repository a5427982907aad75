/* test-dissect.c — experts/protocol-distribution/dissect.c against tshark.
 *
 * Reads the shared captures with libpcap, builds the same hierarchy the
 * expert builds, and compares it with tshark's io,phs (tests/data/oracle)
 * wherever our definition and tshark's are the same. Then pins the walk's
 * safety on hand-cut frames: cuts of real and built frames named as tshark
 * names them (test-dissect-cuts.c asks tshark live about every cut), mutated
 * frames, and ICMP errors. Run it under -fsanitize=address: the frames are copied to
 * buffers of exactly cap_len bytes so any read past the end is caught.
 */
#include "dissect.h"
#include "oracle.h"
#include "real-frames.h"

#include <glib.h>
#include <pcap/pcap.h>
#include <string.h>

/* Nodes compared with tshark. Each name here means the same in both:
 * decided from headers alone, or (the applications) by UDP port alone in
 * tshark too. Not compared, and why:
 *  - anything under tcp: tshark reassembles, so a PDU counts on the segment
 *    that completes it, and retransmitted segments are not handed to the
 *    application (vlan-collisions.pcap: http only on the untagged copy);
 *    http/tls/ftp-data are also found by content and conversation there.
 *  - "data" except directly under ip/ipv6: elsewhere it is what tshark's
 *    heuristics left over, while our "other" is "no port in our table".
 *  - protocols above the application (smb, browser, imf, data-text-lines,
 *    tcp.segments): we stop at the port's protocol.
 *  - _ws.short and _ws.malformed: tshark's marks on a frame whose dissection
 *    ran past the captured bytes or made no sense; we have no such nodes.
 *  - what tshark names inside tunnels the parser does not walk (ERSPAN,
 *    MPLS, ...), our "other".
 * "data" under ip/ipv6 is compared: both mean a fragment that is not the
 * last one of its datagram. */
static const char *const compared_layers[] = {
	"eth", "sll", "raw", "vlan", "ieee8021ad", "llc", "stp", "arp",
	"ip", "ipv6", "tcp", "udp", "icmp", "icmpv6", "igmp",
	"gre", "ppp", "gtp", "vxlan", NULL,
};
static const char *const udp_port_apps[] = {
	"dns", "mdns", "llmnr", "nbns", "nbdgm", "ntp", "dhcp", "dhcpv6", "db-lsp-disc", NULL,
};

static gboolean node_is_compared(const char *path)
{
	if (oracle_path_within(path, compared_layers))
		return TRUE;
	g_autofree char *parent = g_strdup(path);
	char *slash = strrchr(parent, '/');
	if (slash == NULL)
		return FALSE;
	*slash = '\0';
	const char *leaf = slash + 1;
	if (!oracle_path_within(parent, compared_layers))
		return FALSE;
	const char *parent_leaf = oracle_path_leaf(parent);
	if (g_strv_contains(udp_port_apps, leaf))
		return strcmp(parent_leaf, "udp") == 0;
	if (strcmp(leaf, "data") == 0)
		return strcmp(parent_leaf, "ip") == 0 || strcmp(parent_leaf, "ipv6") == 0;
	return FALSE;
}

typedef struct {
	guint64 frames;
	guint64 bytes;
} Count;

static char *path_to_string(const DissectPath *path, unsigned depth)
{
	GString *s = g_string_new(NULL);
	for (unsigned i = 0; i < depth; i++) {
		if (i > 0)
			g_string_append_c(s, '/');
		g_string_append(s, dissect_proto_name(path->proto[i]));
	}
	return g_string_free(s, FALSE);
}

/* The dissector sees the frame in a buffer of exactly cap_len bytes. */
static unsigned dissect_exact(DissectFragments *fragments, uint32_t link_type,
                              const uint8_t *data, size_t len, DissectPath *path)
{
	g_autofree uint8_t *copy = len > 0 ? g_memdup2(data, len) : NULL;
	unsigned depth = dissect_frame(fragments, link_type, copy, len, path);
	g_assert_cmpuint(depth, <=, DISSECT_MAX_DEPTH);
	g_assert_cmpuint(depth, ==, path->depth);
	for (unsigned i = 0; i < depth; i++)
		g_assert_cmpuint(path->proto[i], <, DISSECT_PROTO_COUNT);
	return depth;
}

/* Every node of the hierarchy: path -> Count. */
static GHashTable *hierarchy_of(const char *file)
{
	GHashTable *nodes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	pcap_t *p = real_frames_open(file);
	DissectFragments fragments;
	dissect_fragments_init(&fragments);
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		DissectPath path;
		unsigned depth = dissect_exact(&fragments, (uint32_t)pcap_datalink(p), data,
		                               h->caplen, &path);
		for (unsigned d = 1; d <= depth; d++) {
			char *key = path_to_string(&path, d);
			Count *c = g_hash_table_lookup(nodes, key);
			if (c == NULL) {
				c = g_new0(Count, 1);
				g_hash_table_insert(nodes, key, c);
			} else {
				g_free(key);
			}
			c->frames++;
			c->bytes += h->len;
		}
	}
	g_assert_cmpint(rc, ==, PCAP_ERROR_BREAK);
	pcap_close(p);
	return nodes;
}

static void test_hierarchy_matches_tshark(gconstpointer data)
{
	const OracleCapture *capture = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) phs = oracle_load_phs(oracle_data_dir(), capture->file, &error);
	g_assert_no_error(error);
	g_autoptr(GHashTable) ours = hierarchy_of(capture->file);

	/* Both directions: a node tshark has and we lack fails, and so does a
	 * compared node only we have. */
	g_autoptr(GHashTable) paths = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < phs->len; i++) {
		const OraclePhsNode *n = g_ptr_array_index(phs, i);
		g_hash_table_add(paths, n->path);
	}
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, ours);
	while (g_hash_table_iter_next(&it, &key, NULL))
		g_hash_table_add(paths, key);

	guint compared = 0;
	g_hash_table_iter_init(&it, paths);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		const char *path = key;
		if (!node_is_compared(path))
			continue;
		const OraclePhsNode *want = oracle_phs_find(phs, path);
		const Count *got = g_hash_table_lookup(ours, path);
		guint64 want_frames = want != NULL ? want->frames : 0;
		guint64 want_bytes = want != NULL ? want->bytes : 0;
		guint64 got_frames = got != NULL ? got->frames : 0;
		guint64 got_bytes = got != NULL ? got->bytes : 0;
		if (want_frames != got_frames || want_bytes != got_bytes)
			g_test_message("%s %s: tshark %" G_GUINT64_FORMAT " frames %" G_GUINT64_FORMAT
			               " bytes, ours %" G_GUINT64_FORMAT " frames %" G_GUINT64_FORMAT
			               " bytes", capture->file, path, want_frames, want_bytes,
			               got_frames, got_bytes);
		g_assert_cmpuint(got_frames, ==, want_frames);
		g_assert_cmpuint(got_bytes, ==, want_bytes);
		compared++;
	}
	g_test_message("%s: %u nodes compared with tshark", capture->file, compared);
	/* Every capture has at least its link layer and one network layer. */
	g_assert_cmpuint(compared, >=, 2);
	const OraclePhsNode *root = g_ptr_array_index(phs, 0);
	g_assert_cmpuint(root->frames, ==, capture->frames);
}

static void assert_path(const DissectPath *path, const char *want)
{
	g_autofree char *got = path_to_string(path, path->depth);
	g_assert_cmpstr(got, ==, want);
}

/* wikipedia.pcap frame 6: the first HTTP request, eth/ip/tcp/http, cut at
 * every byte. A header the cut falls in is named as tshark 4.0's hierarchy
 * names it (tshark -z io,phs on each cut): Ethernet only whole, IPv4 from
 * its first byte, TCP from its fourth; nothing after it. */
static void test_cut_tcp_frame_named_as_tshark(void)
{
	uint32_t link_type;
	g_autoptr(GBytes) frame = real_frames_load("wikipedia.pcap", 6, &link_type);
	gsize len;
	const uint8_t *data = g_bytes_get_data(frame, &len);
	DissectPath full;
	dissect_exact(NULL, link_type, data, len, &full);
	assert_path(&full, "eth/ip/tcp/http");

	size_t ip_end = 14 + (size_t)(data[14] & 0x0f) * 4;
	size_t tcp_end = ip_end + (size_t)(data[ip_end + 12] >> 4) * 4;
	for (size_t cut = 0; cut <= len; cut++) {
		DissectPath path;
		unsigned depth = dissect_exact(NULL, link_type, data, cut, &path);
		/* The application comes from ports and IP lengths, so it is there
		 * as soon as the TCP header is: a snaplen cut keeps it (tshark's
		 * needs some of the payload). */
		unsigned want = cut < 14 ? 0 : cut < 15 ? 1 : cut < ip_end + 4 ? 2
		              : cut < tcp_end ? 3 : 4;
		g_assert_cmpuint(depth, ==, want);
		g_assert_cmpmem(path.proto, depth, full.proto, depth);
	}
}

static const uint8_t udp_dns_query[] = {
	0x04, 0xd2, 0x00, 0x35, 0x00, 0x14, 0x00, 0x00, /* 1234 -> 53, length 20 */
	0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* eth / 802.1Q / IPv6 with hop-by-hop and destination options / UDP 53,
 * cut at every byte: tshark names a VLAN tag from its second byte, IPv6 as
 * soon as the tag announces it, UDP from its fourth byte. An IPv6 header
 * whose extension headers are cut is still ipv6 (but counts in no table). */
static void test_cut_ipv6_extension_headers_named_as_tshark(void)
{
	uint8_t f[14 + 4 + 40 + 8 + 16 + sizeof udp_dns_query];
	memset(f, 0, sizeof f);
	f[12] = 0x81, f[13] = 0x00;                   /* vlan */
	f[16] = 0x86, f[17] = 0xdd;                   /* then ipv6 */
	uint8_t *ip6 = f + 18;
	ip6[0] = 0x60;
	ip6[5] = 8 + 16 + sizeof udp_dns_query;       /* payload length */
	ip6[6] = 0;                                   /* hop-by-hop */
	ip6[40] = 60, ip6[41] = 0;                    /* 8 bytes, then dst opts */
	ip6[48] = 17, ip6[49] = 1;                    /* 16 bytes, then udp */
	memcpy(ip6 + 64, udp_dns_query, sizeof udp_dns_query);

	for (size_t cut = 0; cut <= sizeof f; cut++) {
		DissectPath path;
		unsigned depth = dissect_exact(NULL, 1, f, cut, &path);
		const char *want = cut < 14 ? "" : cut < 16 ? "eth" : cut < 18 ? "eth/vlan"
		                 : cut < 86 ? "eth/vlan/ipv6" : cut < 90 ? "eth/vlan/ipv6/udp"
		                 : "eth/vlan/ipv6/udp/dns";
		g_assert_cmpuint(depth, <=, 5);
		assert_path(&path, want);
	}
}

/* smtp.pcap frames 26 and 28-30 are ICMP "fragmentation needed" quoting
 * the SMTP flow; tshark's phs counts them as icmp only. */
static void test_icmp_error_quoted_headers_not_counted(void)
{
	static const guint numbers[] = { 26, 28, 29, 30 };
	for (size_t i = 0; i < G_N_ELEMENTS(numbers); i++) {
		uint32_t link_type;
		g_autoptr(GBytes) frame = real_frames_load("smtp.pcap", numbers[i], &link_type);
		gsize len;
		const uint8_t *data = g_bytes_get_data(frame, &len);
		DissectPath path;
		dissect_exact(NULL, link_type, data, len, &path);
		assert_path(&path, "eth/ip/icmp");
	}
}

/* dns-edns-ecs.pcap frames 53/54: a DNSSEC answer in two IPv4 fragments. */
static void test_ipv4_fragments_named_on_last_fragment(void)
{
	uint32_t link_type;
	g_autoptr(GBytes) first = real_frames_load("dns-edns-ecs.pcap", 53, &link_type);
	g_autoptr(GBytes) last = real_frames_load("dns-edns-ecs.pcap", 54, &link_type);
	gsize first_len, last_len;
	const uint8_t *first_data = g_bytes_get_data(first, &first_len);
	const uint8_t *last_data = g_bytes_get_data(last, &last_len);
	DissectFragments fragments;
	DissectPath path;

	dissect_fragments_init(&fragments);
	dissect_exact(&fragments, link_type, first_data, first_len, &path);
	assert_path(&path, "eth/ip/data");
	dissect_exact(&fragments, link_type, last_data, last_len, &path);
	assert_path(&path, "eth/ip/udp/dns");
	/* The entry is used up: a copy of the last fragment is not named. */
	dissect_exact(&fragments, link_type, last_data, last_len, &path);
	assert_path(&path, "eth/ip/data");

	dissect_exact(NULL, link_type, last_data, last_len, &path);
	assert_path(&path, "eth/ip/data");
}

/* An IPv6 datagram in two fragments; the first has a destination options
 * header after its fragment header (part of the fragmentable part). */
static void test_ipv6_fragments_named_on_last_fragment(void)
{
	uint8_t first[14 + 40 + 8 + 8 + 8], last[14 + 40 + 8 + 16];
	memset(first, 0, sizeof first);
	memset(last, 0, sizeof last);
	first[12] = last[12] = 0x86, first[13] = last[13] = 0xdd;
	uint8_t *ip6 = first + 14;
	ip6[0] = 0x60, ip6[5] = 24, ip6[6] = 44;      /* fragment header follows */
	ip6[40] = 60, ip6[43] = 1, ip6[47] = 7;       /* offset 0, more; id 7; dst opts */
	ip6[48] = 17, ip6[49] = 0;                    /* 8 bytes of options, then udp */
	memcpy(ip6 + 56, udp_dns_query, 8);           /* the UDP header (port 53) */
	ip6 = last + 14;
	ip6[0] = 0x60, ip6[5] = 24, ip6[6] = 44;
	ip6[40] = 60, ip6[42] = 0, ip6[43] = 2 << 3, ip6[47] = 7; /* offset 16, last */
	DissectFragments fragments;
	DissectPath path;

	dissect_fragments_init(&fragments);
	dissect_exact(&fragments, 1, first, sizeof first, &path);
	assert_path(&path, "eth/ipv6/data");
	dissect_exact(&fragments, 1, last, sizeof last, &path);
	assert_path(&path, "eth/ipv6/udp/dns");

	/* A first fragment the capture cut short (here before its UDP header)
	 * is not held for reassembly: tshark names what is there, and the
	 * last fragment is data. */
	dissect_fragments_init(&fragments);
	dissect_exact(&fragments, 1, first, sizeof first - 8, &path);
	assert_path(&path, "eth/ipv6");
	dissect_exact(&fragments, 1, first, sizeof first - 4, &path);
	assert_path(&path, "eth/ipv6/udp");
	dissect_exact(&fragments, 1, last, sizeof last, &path);
	assert_path(&path, "eth/ipv6/data");
}

/* The IPv4 header for a UDP or TCP test frame, protocol and total length. */
static size_t put_ip4(uint8_t *p, uint8_t proto, size_t payload)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	p[2] = (uint8_t)((20 + payload) >> 8), p[3] = (uint8_t)(20 + payload);
	p[8] = 64, p[9] = proto;
	return 20;
}

static void test_lower_known_port_names_application(void)
{
	uint8_t f[14 + 20 + sizeof udp_dns_query];
	memset(f, 0, 14);
	f[12] = 0x08;
	size_t off = 14 + put_ip4(f + 14, 17, sizeof udp_dns_query);
	memcpy(f + off, udp_dns_query, sizeof udp_dns_query);
	DissectPath path;

	f[off] = 0x14, f[off + 1] = 0xe9;             /* 5353 -> 53: dns, the lower */
	dissect_exact(NULL, 1, f, sizeof f, &path);
	assert_path(&path, "eth/ip/udp/dns");
	f[off + 2] = 0x14, f[off + 3] = 0xe9;         /* 5353 -> 5353: mdns */
	dissect_exact(NULL, 1, f, sizeof f, &path);
	assert_path(&path, "eth/ip/udp/mdns");
	f[off] = 0x9c, f[off + 2] = 0x9c;             /* 40169 -> 40169: unknown */
	dissect_exact(NULL, 1, f, sizeof f, &path);
	assert_path(&path, "eth/ip/udp/other");
	f[off + 4] = 0, f[off + 5] = 8;               /* no payload: no application */
	dissect_exact(NULL, 1, f, sizeof f, &path);
	assert_path(&path, "eth/ip/udp");
}

static void test_bare_tcp_segment_has_no_application(void)
{
	uint8_t f[14 + 20 + 20];
	memset(f, 0, sizeof f);
	f[12] = 0x08;
	put_ip4(f + 14, 6, 20);
	f[34 + 1] = 80, f[34 + 3] = 0x99, f[34 + 12] = 0x50; /* 80 -> 153, no data */
	DissectPath path;
	dissect_exact(NULL, 1, f, sizeof f, &path);
	assert_path(&path, "eth/ip/tcp");
	put_ip4(f + 14, 6, 21);                       /* one byte of payload, not captured */
	dissect_exact(NULL, 1, f, sizeof f, &path);
	assert_path(&path, "eth/ip/tcp/http");
}

/* tshark shows a "raw" layer for LINKTYPE_RAW and none for LINKTYPE_IPV4/6;
 * sll2 is "sll" like v1. */
static void test_link_types(void)
{
	uint8_t ip[20 + sizeof udp_dns_query];
	put_ip4(ip, 17, sizeof udp_dns_query);
	memcpy(ip + 20, udp_dns_query, sizeof udp_dns_query);
	DissectPath path;

	dissect_exact(NULL, 101, ip, sizeof ip, &path);
	assert_path(&path, "raw/ip/udp/dns");
	dissect_exact(NULL, 12, ip, sizeof ip, &path);
	assert_path(&path, "raw/ip/udp/dns");
	dissect_exact(NULL, 228, ip, sizeof ip, &path);
	assert_path(&path, "ip/udp/dns");
	dissect_exact(NULL, 229, ip, sizeof ip, &path);
	assert_path(&path, "");                       /* not IPv6: nothing complete */
	dissect_exact(NULL, 9999, ip, sizeof ip, &path);
	assert_path(&path, "other");

	uint8_t sll2[20 + sizeof ip];
	memset(sll2, 0, 20);
	sll2[0] = 0x08, sll2[9] = 1;                  /* IPv4 on ARPHRD_ETHER */
	memcpy(sll2 + 20, ip, sizeof ip);
	dissect_exact(NULL, 276, sll2, sizeof sll2, &path);
	assert_path(&path, "sll/ip/udp/dns");
	sll2[8] = 0x03, sll2[9] = 0x38;               /* ARPHRD_NETLINK */
	dissect_exact(NULL, 276, sll2, sizeof sll2, &path);
	assert_path(&path, "sll/other");
}

static void dissect_mutant(gpointer fragments, GRand *rand, uint32_t link_type, guint round,
                           const uint8_t *data, size_t len)
{
	(void)rand;
	(void)round;
	DissectPath path;
	dissect_exact(fragments, link_type, data, len, &path);
}

/* Real frames with a few bytes changed and a random cut: a crash or an ASan
 * report is the failure. The seed is fixed so a failure repeats. */
static void test_mutated_frames_never_read_past_cap_len(void)
{
	DissectFragments fragments;
	dissect_fragments_init(&fragments);
	real_frames_mutate(20240601, dissect_mutant, &fragments);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_autoptr(GPtrArray) captures = oracle_add_capture_tests(
		"/dissect/hierarchy-matches-tshark/", test_hierarchy_matches_tshark);
	if (captures == NULL)
		return 77;
	g_test_add_func("/dissect/cut-tcp-frame-named-as-tshark", test_cut_tcp_frame_named_as_tshark);
	g_test_add_func("/dissect/cut-ipv6-extension-headers-named-as-tshark",
	                test_cut_ipv6_extension_headers_named_as_tshark);
	g_test_add_func("/dissect/icmp-error-quoted-headers-not-counted",
	                test_icmp_error_quoted_headers_not_counted);
	g_test_add_func("/dissect/ipv4-fragments-named-on-last-fragment",
	                test_ipv4_fragments_named_on_last_fragment);
	g_test_add_func("/dissect/ipv6-fragments-named-on-last-fragment",
	                test_ipv6_fragments_named_on_last_fragment);
	g_test_add_func("/dissect/lower-known-port-names-application",
	                test_lower_known_port_names_application);
	g_test_add_func("/dissect/bare-tcp-segment-has-no-application",
	                test_bare_tcp_segment_has_no_application);
	g_test_add_func("/dissect/link-types", test_link_types);
	g_test_add_func("/dissect/mutated-frames-never-read-past-cap-len",
	                test_mutated_frames_never_read_past_cap_len);
	return g_test_run();
}
