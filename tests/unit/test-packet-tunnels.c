/* test-packet-tunnels.c — the tunnels the shared frame parser walks
 * (experts/common/packet.h): IP in IP, GRE (and PPTP's PPP), GTP-U, VXLAN;
 * and RARP.
 *
 * Pins down:
 *  - real frames of the bundled tunnel captures: layers as tshark's
 *    frame.protocols lists them, and every header's addresses and ports as
 *    `tshark -T fields` shows them (each inner header counted like an outer
 *    one);
 *  - hand-built frames for what those lack: GTP-U's optional fields and
 *    extension headers and its messages that carry no packet, GRE's
 *    optional fields, Ethernet in GRE, routing and unknown types, PPP's
 *    compressed fields, which UDP port decides, a tunnel inside a fragment
 *    (named, not counted), a UDP length shorter than its IP payload.
 * Cut tunnel headers are test-packet-cuts.c's (every cut of these captures).
 */
#include "packet-frames.h"

#include <glib.h>
#include <string.h>

/* ---- real frames, against tshark ------------------------------------------ */

/* tunnels_gtp_gtp6_gtp_0x32.pcap frame 1: a SYN inside GTP-U; frame 3 the
 * server's answer, whose GTP header (flags 0x32) has a sequence number. */
static void test_gtp_u_carries_tcp(void)
{
	Packet p;
	parse_frame(&p, "tunnels_gtp_gtp6_gtp_0x32.pcap", 1);
	assert_layers(&p, "eth/ip/udp/gtp/ip/tcp");
	g_assert_cmpuint(p.n_ip, ==, 2);
	assert_ip(&p.ip[0], "79.188.154.91", "243.149.173.198");
	assert_ip(&p.ip[1], "10.222.10.10", "173.194.69.188");
	g_assert_cmpuint(p.layer[2].src_port, ==, 2152);
	g_assert_cmpuint(p.layer[3].offset, ==, 42);
	g_assert_cmpuint(p.layer[4].offset, ==, 50); /* 8 bytes of GTP */
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_TCP);
	g_assert_cmpuint(p.tcp.src_port, ==, 44960);
	g_assert_cmpuint(p.tcp.dst_port, ==, 5228);
	g_assert_cmpuint(p.tcp.seq, ==, 1143352225u);
	g_assert_cmpuint(p.tcp.header_len, ==, 40);
	g_assert_false(p.tcp.header_cut);
	g_assert_cmpuint(p.cut, ==, PACKET_PROTO_NONE);

	parse_frame(&p, "tunnels_gtp_gtp6_gtp_0x32.pcap", 3);
	assert_layers(&p, "eth/ip/udp/gtp/ip/tcp");
	g_assert_cmpuint(p.layer[4].offset, ==, 54); /* 12 bytes of GTP */
	g_assert_cmpuint(p.tcp.src_port, ==, 5228);
	g_assert_cmpuint(p.tcp.seq, ==, 1023695901u);
}

/* tunnels_gtp_gtp7_ipv6.pcap frame 1: LLMNR over IPv6 inside GTP-U. */
static void test_gtp_u_carries_ipv6(void)
{
	Packet p;
	parse_frame(&p, "tunnels_gtp_gtp7_ipv6.pcap", 1);
	assert_layers(&p, "eth/ip/udp/gtp/ipv6/udp");
	assert_ip(&p.ip[1], "fe80::224c:4fff:fe43:414c", "ff02::1:3");
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_UDP);
	g_assert_cmpuint(p.udp.src_port, ==, 1234);
	g_assert_cmpuint(p.udp.dst_port, ==, 5355);
}

/* tunnels_gre-sample.pcap frame 1: ICMP inside plain GRE. */
static void test_gre_carries_ipv4(void)
{
	Packet p;
	parse_frame(&p, "tunnels_gre-sample.pcap", 1);
	assert_layers(&p, "eth/ip/gre/ip/icmp");
	assert_ip(&p.ip[0], "172.27.1.66", "66.59.109.137");
	assert_ip(&p.ip[1], "66.59.111.190", "172.28.2.3");
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_OTHER);
	g_assert_cmpuint(p.ip[1].proto, ==, 1);
}

/* tunnels_gre-pptp.pcap frame 2: DNS in IPv4 in PPP in PPTP's GRE (with
 * key and sequence number) in IPv4 in IPv6, behind a VLAN tag. */
static void test_pptp_carries_ppp(void)
{
	Packet p;
	parse_frame(&p, "tunnels_gre-pptp.pcap", 2);
	assert_layers(&p, "eth/vlan/ipv6/ip/gre/ppp/ip/udp");
	g_assert_cmpuint(p.n_vlans, ==, 1);
	g_assert_cmpuint(p.vlan[0].id, ==, 100);
	g_assert_cmpuint(p.n_ip, ==, 3);
	assert_ip(&p.ip[0], "2607:fcd0:100:2300::b108:2a6b", "2402:f000:1:8e01::5555");
	assert_ip(&p.ip[1], "192.52.166.154", "16.0.0.200");
	assert_ip(&p.ip[2], "8.8.8.8", "172.16.44.3");
	g_assert_cmpuint(p.udp.src_port, ==, 53);
	g_assert_cmpuint(p.udp.dst_port, ==, 40768);
	g_assert_cmphex(p.ethertype, ==, 0x86dd); /* the outermost, not PPP's */
}

/* tunnels_vxlan.pcap frame 1: an ARP broadcast inside VXLAN (VNI 123);
 * tunnels_vxlan-encapsulated-http.pcap frame 4: HTTP. */
static void test_vxlan_carries_ethernet(void)
{
	Packet p;
	parse_frame(&p, "tunnels_vxlan.pcap", 1);
	assert_layers(&p, "eth/ip/udp/vxlan/eth/arp");
	g_assert_cmpuint(p.n_eth, ==, 2);
	assert_mac(p.eth[0].src, "08:00:27:ae:4d:62");
	assert_mac(p.eth[0].dst, "08:00:27:f2:1d:8c");
	assert_mac(p.eth[1].src, "ba:09:2b:6e:f8:be");
	assert_mac(p.eth[1].dst, "ff:ff:ff:ff:ff:ff");
	g_assert_cmpuint(p.eth[1].offset, ==, 50);
	g_assert_cmpuint(p.n_ip, ==, 1);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_UDP); /* the outer header's */

	parse_frame(&p, "tunnels_vxlan-encapsulated-http.pcap", 4);
	assert_layers(&p, "eth/ip/udp/vxlan/eth/ip/tcp");
	assert_ip(&p.ip[1], "172.16.11.201", "54.86.237.188");
	g_assert_cmpuint(p.tcp.src_port, ==, 40354);
	g_assert_cmpuint(p.tcp.seq, ==, 1521476009u);
	g_assert_cmpuint(p.tcp.header_len, ==, 32);
}

/* tunnels_6in4.pcap and tunnels_4in6.pcap: one header each way. */
static void test_ip_in_ip_both_ways(void)
{
	Packet p;
	parse_frame(&p, "tunnels_6in4.pcap", 1);
	assert_layers(&p, "eth/ip/ipv6/udp");
	assert_ip(&p.ip[0], "1.2.3.4", "5.6.7.8");
	assert_ip(&p.ip[1], "dead::beef", "cafe::babe");
	g_assert_cmpuint(p.udp.src_port, ==, 30000);
	parse_frame(&p, "tunnels_4in6.pcap", 1);
	assert_layers(&p, "eth/ipv6/ip/tcp");
	assert_ip(&p.ip[0], "2002:4637:d5d3::4637:d5d3", "2001:4860:0:2001::68");
	assert_ip(&p.ip[1], "70.55.213.211", "192.88.99.1");
	g_assert_cmpuint(p.tcp.src_port, ==, 31337);
}

/* linux_dlt_sll2.pcap frame 6: a RARP request (ethertype 0x8035), which
 * tshark calls arp; frame 5 is ARP. */
static void test_rarp_is_arp(void)
{
	Packet p;
	parse_frame(&p, "linux_dlt_sll2.pcap", 6);
	g_assert_cmpint(p.link, ==, PACKET_LINK_SLL2);
	g_assert_cmphex(p.ethertype, ==, 0x8035);
	assert_layers(&p, "sll/arp");
	g_assert_false(p.next_unknown);
	parse_frame(&p, "linux_dlt_sll2.pcap", 5);
	assert_layers(&p, "sll/arp");
}

/* tcp_truncated-header.pcap frame 1: a SYN whose 40-byte TCP header the
 * snaplen (68) cut after 34 bytes. */
static void test_tcp_header_cut_by_the_snaplen(void)
{
	Packet p;
	parse_frame(&p, "tcp_truncated-header.pcap", 1);
	assert_layers(&p, "eth/ip");
	g_assert_cmpuint(p.cut, ==, PACKET_PROTO_TCP);
	g_assert_cmpuint(p.cut_offset, ==, 34);
	g_assert_cmpuint(p.cut_captured, ==, 34);
	/* Still a segment of its connection, as tshark has it. */
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_TCP);
	g_assert_true(p.tcp.header_cut);
	g_assert_cmpuint(p.tcp.src_port, ==, 60827);
	g_assert_cmpuint(p.tcp.dst_port, ==, 25);
	g_assert_cmpuint(p.tcp.seq, ==, 1041724894u);
	g_assert_cmpuint(p.tcp.header_len, ==, 40);
	g_assert_cmphex(p.tcp.flags, ==, PACKET_TCP_SYN | PACKET_TCP_ECE | PACKET_TCP_CWR);
	g_assert_cmpuint(p.tcp.payload_len, ==, 0);
	/* frame 2: 20-byte header, whole */
	parse_frame(&p, "tcp_truncated-header.pcap", 2);
	assert_layers(&p, "eth/ip/tcp");
	g_assert_false(p.tcp.header_cut);
}

/* ---- hand-built frames -------------------------------------------------- */

/* Every IP header of a tunnel is a layer; the transport is the inner one's. */
static void test_ip_in_ip_gives_one_layer_per_header(void)
{
	Frame f = { .len = 0 };
	put_eth(&f, 0x0800);
	put_ip4(&f, 41, 0, 40 + 20 + 20);   /* 6in4 */
	put_ip6(&f, 4, 20 + 20);            /* then IPv4 in IPv6 */
	put_ip4(&f, 6, 0, 20);
	put_tcp(&f, PACKET_TCP_SYN, 0);
	Packet p = parse_built(1, &f);
	g_assert_cmpuint(p.n_ip, ==, 3);
	g_assert_cmpuint(p.ip[0].version, ==, 4);
	g_assert_cmpuint(p.ip[1].version, ==, 6);
	g_assert_cmpuint(p.ip[1].offset, ==, 34);
	g_assert_cmpuint(p.ip[2].version, ==, 4);
	g_assert_cmpuint(p.ip[2].offset, ==, 74);
	g_assert_true(packet_inner_ip(&p) == &p.ip[2]);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_TCP);
	g_assert_cmpuint(p.tcp.offset, ==, 94);

	/* More nested headers than PACKET_IP_MAX: the walk stops there. */
	Frame deep = { .len = 0 };
	put_eth(&deep, 0x0800);
	for (int i = 0; i < PACKET_IP_MAX + 1; i++)
		put_ip4(&deep, 4, 0, (size_t)(PACKET_IP_MAX - i) * 20 + 20);
	put_tcp(&deep, PACKET_TCP_SYN, 0);
	p = parse_built(1, &deep);
	g_assert_cmpuint(p.n_ip, ==, PACKET_IP_MAX);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_OTHER);

	/* The inner header of a fragmented tunnel packet is not walked. */
	f.b[14 + 6] = 0x20; /* MF */
	p = parse_built(1, &f);
	g_assert_cmpuint(p.n_ip, ==, 1);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_OTHER);
}

/* eth / IPv4 / UDP sport -> dport, length for payload bytes. */
static void put_udp_tunnel(Frame *f, uint16_t sport, uint16_t dport, size_t payload)
{
	put_eth(f, 0x0800);
	put_ip4(f, 17, 0, 8 + payload);
	put16(f, sport);
	put16(f, dport);
	put16(f, (uint16_t)(8 + payload));
	put16(f, 0);
}

/* The inner packet, IPv4 and UDP, 8 + 20 bytes. */
static void put_inner(Frame *f)
{
	put_ip4(f, 17, 0, 8);
	put_udp(f, 8);
}

static void test_gtp_optional_fields_and_extensions(void)
{
	/* E set: the 4 optional bytes, then one extension header (PDU
	 * session container, 4 bytes, next type 0), then the packet. */
	Frame f = { .len = 0 };
	put_udp_tunnel(&f, 2152, 2152, 12 + 4 + 28);
	uint8_t gtp[12] = { 0x34, 0xff, 0, 4 + 28, 0, 0, 0, 1, 0, 0, 0, 0x85 };
	put(&f, gtp, sizeof gtp);
	uint8_t ext[4] = { 1, 0x10, 0x09, 0 };
	put(&f, ext, sizeof ext);
	put_inner(&f);
	Packet p = parse_built(1, &f);
	assert_layers(&p, "eth/ip/udp/gtp/ip/udp");
	g_assert_cmpuint(p.layer[4].offset, ==, 42 + 16);
	g_assert_cmpuint(p.n_ip, ==, 2);

	/* An extension header of length 0 hides the packet. */
	f.b[42 + 12] = 0;
	p = parse_built(1, &f);
	assert_layers(&p, "eth/ip/udp/gtp");
	g_assert_cmpuint(p.n_ip, ==, 1);
}

/* Echo requests, GTP' and other versions, and a T-PDU that is not IP carry
 * no packet: GTP is the last layer, and nothing is unknown after it. */
static void test_gtp_messages_without_a_packet(void)
{
	static const struct {
		uint8_t flags, type, first;
	} cases[] = {
		{ 0x30, 0x01, 0x45 }, /* echo request */
		{ 0x20, 0xff, 0x45 }, /* GTP' */
		{ 0x50, 0xff, 0x45 }, /* version 2 */
		{ 0x30, 0xff, 0x30 }, /* a T-PDU, not IP */
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		Frame f = { .len = 0 };
		put_udp_tunnel(&f, 2152, 2152, 8 + 28);
		uint8_t gtp[8] = { cases[i].flags, cases[i].type, 0, 28, 0, 0, 0, 1 };
		put(&f, gtp, sizeof gtp);
		put_inner(&f);
		f.b[50] = cases[i].first;
		Packet p = parse_built(1, &f);
		assert_layers(&p, "eth/ip/udp/gtp");
		g_assert_false(p.next_unknown);
		g_assert_cmpuint(p.n_ip, ==, 1);
		g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_UDP);
	}
}

static void test_gre_optional_fields_and_payloads(void)
{
	/* checksum, key and sequence: 16 bytes of GRE */
	Frame f = { .len = 0 };
	put_eth(&f, 0x0800);
	put_ip4(&f, 47, 0, 16 + 28);
	uint8_t gre[16] = { 0xb0, 0, 0x08, 0x00 };
	put(&f, gre, sizeof gre);
	put_inner(&f);
	Packet p = parse_built(1, &f);
	assert_layers(&p, "eth/ip/gre/ip/udp");
	g_assert_cmpuint(p.layer[3].offset, ==, 34 + 16);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_UDP);

	/* Ethernet in GRE (transparent bridging): its MACs count. */
	Frame teb = { .len = 0 };
	put_eth(&teb, 0x0800);
	put_ip4(&teb, 47, 0, 4 + 14 + 28);
	uint8_t gre_teb[4] = { 0, 0, 0x65, 0x58 };
	put(&teb, gre_teb, sizeof gre_teb);
	put_eth(&teb, 0x0800);
	put_inner(&teb);
	p = parse_built(1, &teb);
	assert_layers(&p, "eth/ip/gre/eth/ip/udp");
	g_assert_cmpuint(p.n_eth, ==, 2);
	g_assert_cmpuint(p.eth[1].offset, ==, 38);

	/* Source routes and unknown payloads: GRE, then something unnamed. */
	f.b[34] = 0x40, f.b[35] = 0; /* routing only: checksum and offset present */
	p = parse_built(1, &f);
	assert_layers(&p, "eth/ip/gre");
	g_assert_true(p.next_unknown);
	f.b[34] = 0, f.b[36] = 0x88, f.b[37] = 0xbe; /* ERSPAN */
	p = parse_built(1, &f);
	assert_layers(&p, "eth/ip/gre");
	g_assert_true(p.next_unknown);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_OTHER);
}

/* PPP in PPTP's GRE: address and control may be left out, and the protocol
 * compressed to one byte. */
static void test_ppp_compressed_fields(void)
{
	Frame f = { .len = 0 };
	put_eth(&f, 0x0800);
	put_ip4(&f, 47, 0, 8 + 1 + 28);
	uint8_t gre[8] = { 0x20, 0x01, 0x88, 0x0b, 0, 29, 0, 7 }; /* version 1, key */
	put(&f, gre, sizeof gre);
	uint8_t protocol = 0x21; /* IPv4, one byte */
	put(&f, &protocol, 1);
	put_inner(&f);
	Packet p = parse_built(1, &f);
	assert_layers(&p, "eth/ip/gre/ppp/ip/udp");
	g_assert_cmpuint(p.layer[4].offset, ==, 34 + 8 + 1);

	f.b[42] = 0xc1; /* LCP's 0xc021 would be two bytes; an odd one is one */
	p = parse_built(1, &f);
	assert_layers(&p, "eth/ip/gre/ppp");
	g_assert_true(p.next_unknown);
}

/* The lower port decides first, as in tshark; either may be the tunnel's. */
static void test_udp_tunnel_ports(void)
{
	Frame f = { .len = 0 };
	put_udp_tunnel(&f, 4789, 40000, 8 + 14 + 28);
	uint8_t vxlan[8] = { 0x08, 0, 0, 0, 0, 0, 7, 0 };
	put(&f, vxlan, sizeof vxlan);
	put_eth(&f, 0x0800);
	put_inner(&f);
	Packet p = parse_built(1, &f);
	assert_layers(&p, "eth/ip/udp/vxlan/eth/ip/udp");

	f.b[34] = 0x08, f.b[35] = 0x68; /* source port 2152 < 4789: GTP first */
	f.b[36] = 0x12, f.b[37] = 0xb5;
	p = parse_built(1, &f);
	assert_layers(&p, "eth/ip/udp/gtp");

	/* An empty datagram carries no tunnel. */
	Frame empty = { .len = 0 };
	put_udp_tunnel(&empty, 40000, 4789, 0);
	p = parse_built(1, &empty);
	assert_layers(&p, "eth/ip/udp");
	g_assert_cmpuint(p.cut, ==, PACKET_PROTO_NONE);
}

/* The UDP length, shorter than the IP payload, bounds what the tunnel
 * carries: an inner header past it is cut. */
static void test_udp_length_bounds_the_tunnel(void)
{
	Frame f = { .len = 0 };
	put_udp_tunnel(&f, 40000, 4789, 8 + 14 + 28);
	uint8_t vxlan[8] = { 0x08 };
	put(&f, vxlan, sizeof vxlan);
	put_eth(&f, 0x0800);
	put_inner(&f);
	f.b[34 + 5] = 8 + 8 + 10; /* the datagram ends inside the inner Ethernet */
	Packet p = parse_built(1, &f);
	assert_layers(&p, "eth/ip/udp/vxlan");
	g_assert_cmpuint(p.cut, ==, PACKET_PROTO_ETH);
	g_assert_cmpuint(p.cut_captured, ==, 10);
	g_assert_cmpuint(p.n_eth, ==, 1);
}

/* A tunnel in a first fragment is named, but its headers are not counted:
 * they belong to the datagram tshark reassembles on its last fragment. */
static void test_tunnel_in_a_fragment_is_named_not_counted(void)
{
	Frame f = { .len = 0 };
	put_udp_tunnel(&f, 2152, 2152, 8 + 28 + 100);
	uint8_t gtp[8] = { 0x30, 0xff, 0, 28 + 100, 0, 0, 0, 1 };
	put(&f, gtp, sizeof gtp);
	put_ip4(&f, 6, 0, 20 + 100);
	put_tcp(&f, PACKET_TCP_ACK, 0);
	f.b[14 + 6] = 0x20; /* MF: the rest comes in another fragment */
	f.b[14 + 2] = 0, f.b[14 + 3] = (uint8_t)(f.len - 14);
	Packet p = parse_built(1, &f);
	assert_layers(&p, "eth/ip/udp/gtp/ip/tcp");
	g_assert_cmpuint(p.n_ip, ==, 1);
	g_assert_true(p.ip[0].fragment);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_UDP); /* the fragment's own */
	g_assert_cmpuint(p.udp.dst_port, ==, 2152);
	/* The inner TCP is there for naming what it carries. */
	g_assert_cmpuint(p.layer[5].dst_port, ==, 80);
	g_assert_cmpuint(p.layer[5].payload_len, ==, 100);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/packet-tunnels/gtp-u-carries-tcp", test_gtp_u_carries_tcp);
	g_test_add_func("/packet-tunnels/gtp-u-carries-ipv6", test_gtp_u_carries_ipv6);
	g_test_add_func("/packet-tunnels/gre-carries-ipv4", test_gre_carries_ipv4);
	g_test_add_func("/packet-tunnels/pptp-carries-ppp", test_pptp_carries_ppp);
	g_test_add_func("/packet-tunnels/vxlan-carries-ethernet", test_vxlan_carries_ethernet);
	g_test_add_func("/packet-tunnels/ip-in-ip-both-ways", test_ip_in_ip_both_ways);
	g_test_add_func("/packet-tunnels/rarp-is-arp", test_rarp_is_arp);
	g_test_add_func("/packet-tunnels/tcp-header-cut-by-the-snaplen",
	                test_tcp_header_cut_by_the_snaplen);
	g_test_add_func("/packet-tunnels/ip-in-ip-gives-one-layer-per-header",
	                test_ip_in_ip_gives_one_layer_per_header);
	g_test_add_func("/packet-tunnels/gtp-optional-fields-and-extensions",
	                test_gtp_optional_fields_and_extensions);
	g_test_add_func("/packet-tunnels/gtp-messages-without-a-packet",
	                test_gtp_messages_without_a_packet);
	g_test_add_func("/packet-tunnels/gre-optional-fields-and-payloads",
	                test_gre_optional_fields_and_payloads);
	g_test_add_func("/packet-tunnels/ppp-compressed-fields", test_ppp_compressed_fields);
	g_test_add_func("/packet-tunnels/udp-tunnel-ports", test_udp_tunnel_ports);
	g_test_add_func("/packet-tunnels/udp-length-bounds-the-tunnel",
	                test_udp_length_bounds_the_tunnel);
	g_test_add_func("/packet-tunnels/tunnel-in-a-fragment-is-named-not-counted",
	                test_tunnel_in_a_fragment_is_named_not_counted);
	return g_test_run();
}
