/* test-packet.c — experts/common/packet.c, the frame parser experts share:
 * real frames, field by field, and frames built by hand.
 *
 * Pins down:
 *  - real frames from the shared captures: every field equals what tshark
 *    shows for that frame (values taken from `tshark -T fields`);
 *  - hand-built frames for what the captures lack: VLAN stacks, IPv6
 *    extension headers and fragments, ICMP errors, odd lengths, every link
 *    type.
 * Truncation is test-packet-cuts.c's, tunnels test-packet-tunnels.c's.
 */
#include "packet-frames.h"

#include <glib.h>
#include <pcap/pcap.h>
#include <string.h>

#include "real-frames.h"

/* ---- real frames, field by field, against tshark ------------------------ */

/* wikipedia.pcap frame 6: the first HTTP request. */
static void test_ethernet_ipv4_tcp_fields_match_tshark(void)
{
	Packet p;
	parse_frame(&p, "wikipedia.pcap", 6);
	g_assert_cmpint(p.link, ==, PACKET_LINK_ETHERNET);
	g_assert_cmpuint(p.n_eth, ==, 1);
	assert_mac(p.eth[0].src, "00:24:7e:e0:1d:b5");
	assert_mac(p.eth[0].dst, "00:13:7f:be:8c:ff");
	g_assert_cmpuint(p.n_vlans, ==, 0);
	g_assert_cmphex(p.ethertype, ==, 0x0800);
	g_assert_cmpuint(p.network_offset, ==, 14);
	g_assert_cmpuint(p.n_ip, ==, 1);
	const PacketIp *ip = &p.ip[0];
	assert_ip(ip, "141.142.220.118", "208.80.152.2");
	g_assert_cmpuint(ip->version, ==, 4);
	g_assert_cmpuint(ip->header_len, ==, 20);
	g_assert_cmpuint(ip->length, ==, 515);
	g_assert_cmpuint(ip->payload_len, ==, 495);
	g_assert_cmphex(ip->id, ==, 0x34d9);
	g_assert_cmpuint(ip->ttl, ==, 64);
	g_assert_cmpuint(ip->proto, ==, 6);
	g_assert_false(ip->fragment);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_TCP);
	g_assert_cmpuint(p.tcp.src_port, ==, 35634);
	g_assert_cmpuint(p.tcp.dst_port, ==, 80);
	g_assert_cmpuint(p.tcp.seq, ==, 1375720274u);
	g_assert_cmpuint(p.tcp.ack, ==, 3103668877u);
	g_assert_cmphex(p.tcp.flags, ==, PACKET_TCP_PSH | PACKET_TCP_ACK);
	g_assert_cmpuint(p.tcp.window, ==, 54);
	g_assert_cmpuint(p.tcp.offset, ==, 34);
	g_assert_cmpuint(p.tcp.header_len, ==, 32);
	g_assert_cmpuint(p.tcp.payload_offset, ==, 66);
	g_assert_cmpuint(p.tcp.payload_len, ==, 463);
	g_assert_cmpuint(p.tcp.payload_captured, ==, 463);
	g_assert_false(p.tcp.short_segment);
	assert_layers(&p, "eth/ip/tcp");
	g_assert_cmpuint(p.layer[1].offset, ==, 14);
	g_assert_cmpuint(p.layer[2].offset, ==, 34);
	g_assert_cmpuint(p.layer[2].src_port, ==, 35634);
	g_assert_cmpuint(p.layer[2].dst_port, ==, 80);
	g_assert_cmpuint(p.layer[2].payload_len, ==, 463);
	g_assert_false(p.next_unknown);
}

/* vlan-collisions.pcap: frame 2 is the SYN of frame 1 tagged 42, frame 6
 * the same double-tagged 10 then 20. */
static void test_vlan_tags_match_tshark(void)
{
	Packet p;
	parse_frame(&p, "vlan-collisions.pcap", 2);
	g_assert_cmpuint(p.n_vlans, ==, 1);
	g_assert_cmphex(p.vlan[0].tpid, ==, 0x8100);
	g_assert_cmpuint(p.vlan[0].id, ==, 42);
	g_assert_cmpuint(p.vlan[0].offset, ==, 14);
	g_assert_cmpuint(p.network_offset, ==, 18);
	g_assert_cmpuint(p.n_ip, ==, 1);
	assert_ip(&p.ip[0], "141.142.228.5", "192.150.187.43");
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_TCP);
	g_assert_cmpuint(p.tcp.seq, ==, 4263588410u);
	g_assert_cmphex(p.tcp.flags, ==, PACKET_TCP_SYN);
	g_assert_cmpuint(p.tcp.window, ==, 65535);
	g_assert_cmpuint(p.tcp.header_len, ==, 44);
	g_assert_cmpuint(p.tcp.payload_len, ==, 0);

	parse_frame(&p, "vlan-collisions.pcap", 6);
	g_assert_cmpuint(p.n_vlans, ==, 2);
	g_assert_cmpuint(p.vlan[0].id, ==, 10);
	g_assert_cmpuint(p.vlan[1].id, ==, 20);
	g_assert_cmpuint(p.network_offset, ==, 22);
	g_assert_cmpuint(p.tcp.seq, ==, 4263588410u);
	assert_layers(&p, "eth/vlan/vlan/ip/tcp");

	/* frame 33: 1448 bytes of payload behind two tags */
	parse_frame(&p, "vlan-collisions.pcap", 33);
	g_assert_cmpuint(p.n_vlans, ==, 2);
	g_assert_cmpuint(p.ip[0].length, ==, 1500);
	g_assert_cmphex(p.ip[0].id, ==, 0x8ca2);
	g_assert_cmpuint(p.tcp.seq, ==, 2779763687u);
	g_assert_cmpuint(p.tcp.ack, ==, 4263588547u);
	g_assert_cmpuint(p.tcp.payload_len, ==, 1448);
}

/* tls_irc-starttls.pcap frame 1: Linux cooked capture v1. */
static void test_linux_sll_fields_match_tshark(void)
{
	Packet p;
	parse_frame(&p, "tls_irc-starttls.pcap", 1);
	g_assert_cmpint(p.link, ==, PACKET_LINK_SLL);
	g_assert_cmpuint(p.sll_pkttype, ==, 4); /* sent by us */
	g_assert_cmpuint(p.sll_hatype, ==, 1);
	g_assert_cmpuint(p.sll_addr_len, ==, 6);
	assert_mac(p.sll_addr, "34:e6:d7:12:1e:b1");
	g_assert_cmpuint(p.network_offset, ==, 16);
	assert_ip(&p.ip[0], "203.143.168.47", "185.18.76.170");
	g_assert_cmpuint(p.tcp.src_port, ==, 55123);
	g_assert_cmpuint(p.tcp.dst_port, ==, 6667);
	g_assert_cmpuint(p.tcp.seq, ==, 1130049455u);
	g_assert_cmpuint(p.tcp.window, ==, 29200);
	g_assert_cmpuint(p.tcp.header_len, ==, 40);
}

/* ftp_ipv6.pcap frame 2: the server's SYN/ACK over IPv6. */
static void test_ipv6_tcp_fields_match_tshark(void)
{
	Packet p;
	parse_frame(&p, "ftp_ipv6.pcap", 2);
	g_assert_cmphex(p.ethertype, ==, 0x86dd);
	g_assert_cmpuint(p.n_ip, ==, 1);
	const PacketIp *ip = &p.ip[0];
	g_assert_cmpuint(ip->version, ==, 6);
	assert_ip(ip, "2001:470:4867:99::21", "2001:470:1f11:81f:c999:d94:aa7c:2e3e");
	g_assert_cmpuint(ip->length, ==, 44);
	g_assert_cmpuint(ip->payload_len, ==, 44);
	g_assert_cmpuint(ip->header_len, ==, 40);
	g_assert_cmpuint(ip->proto, ==, 6);
	g_assert_cmpuint(ip->ttl, ==, 56);
	g_assert_cmpuint(p.tcp.src_port, ==, 21);
	g_assert_cmpuint(p.tcp.dst_port, ==, 49185);
	g_assert_cmpuint(p.tcp.seq, ==, 108197924u);
	g_assert_cmpuint(p.tcp.ack, ==, 646610528u);
	g_assert_cmphex(p.tcp.flags, ==, PACKET_TCP_SYN | PACKET_TCP_ACK);
	g_assert_cmpuint(p.tcp.window, ==, 4096);
	g_assert_cmpuint(p.tcp.header_len, ==, 44);
	g_assert_cmpuint(p.tcp.payload_len, ==, 0);
}

/* dns-edns-ecs.pcap frames 53/54: a DNS answer in two IPv4 fragments. */
static void test_ipv4_fragments_match_tshark(void)
{
	Packet p;
	parse_frame(&p, "dns-edns-ecs.pcap", 53);
	g_assert_cmphex(p.ip[0].id, ==, 0xd0fe);
	g_assert_true(p.ip[0].more_fragments);
	g_assert_cmpuint(p.ip[0].frag_offset, ==, 0);
	g_assert_true(p.ip[0].fragment);
	/* The first fragment holds the UDP header, with the whole length. */
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_UDP);
	g_assert_cmpuint(p.udp.src_port, ==, 53);
	g_assert_cmpuint(p.udp.length, ==, 1710);

	parse_frame(&p, "dns-edns-ecs.pcap", 54);
	g_assert_cmphex(p.ip[0].id, ==, 0xd0fe);
	g_assert_false(p.ip[0].more_fragments);
	g_assert_cmpuint(p.ip[0].frag_offset, ==, 185);
	g_assert_true(p.ip[0].fragment);
	g_assert_cmpuint(p.ip[0].proto, ==, 17);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_NONE);
}

/* smtp.pcap frame 26: ICMP "fragmentation needed" quoting the SMTP flow.
 * The quoted IP and TCP headers belong to another packet: not layers. */
static void test_icmp_error_quote_is_not_a_layer(void)
{
	Packet p;
	parse_frame(&p, "smtp.pcap", 26);
	g_assert_cmpuint(p.n_ip, ==, 1);
	assert_ip(&p.ip[0], "192.168.1.1", "10.10.1.4");
	g_assert_cmpuint(p.ip[0].proto, ==, 1);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_OTHER);
	assert_layers(&p, "eth/ip/icmp");
	g_assert_false(p.next_unknown);
}

/* wikipedia.pcap: an 802.3 frame with LLC (spanning tree) has a link layer
 * and nothing the parser names after it. */
static void test_llc_frame_has_no_network_layer(void)
{
	pcap_t *pc = real_frames_open("wikipedia.pcap");
	struct pcap_pkthdr *h;
	const u_char *data;
	guint llc = 0;
	while (pcap_next_ex(pc, &h, &data) == 1) {
		if (h->caplen < 14 || (data[12] << 8 | data[13]) > 1500)
			continue;
		Packet p;
		parse_exact(&p, 1, data, h->caplen);
		g_assert_cmpint(p.link, ==, PACKET_LINK_ETHERNET);
		g_assert_cmpuint(p.ethertype, ==, 0);
		g_assert_cmpuint(p.n_ip, ==, 0);
		assert_layers(&p, "eth/llc/stp"); /* tshark: stp frames:4 */
		llc++;
	}
	pcap_close(pc);
	g_assert_cmpuint(llc, ==, 4); /* tshark: llc frames:4 */
}

/* ---- hand-built frames -------------------------------------------------- */

static void test_vlan_stack_keeps_every_tag(void)
{
	Frame f = { .len = 0 };
	put_eth(&f, 0x88a8);
	put16(&f, 0xa000 | 100);           /* pcp 5, id 100 */
	put16(&f, 0x8100);
	put16(&f, 0x1000 | 200);           /* dei, id 200 */
	put16(&f, 0x9100);
	put16(&f, 4095);
	put16(&f, 0x0800);
	put_ip4(&f, 6, 0, 20);
	put_tcp(&f, PACKET_TCP_SYN, 0);
	Packet p = parse_built(1, &f);
	g_assert_cmpuint(p.n_vlans, ==, 3);
	g_assert_cmphex(p.vlan[0].tpid, ==, 0x88a8);
	g_assert_cmpuint(p.vlan[0].id, ==, 100);
	g_assert_cmpuint(p.vlan[0].pcp, ==, 5);
	g_assert_false(p.vlan[0].dei);
	g_assert_cmphex(p.vlan[1].tpid, ==, 0x8100);
	g_assert_cmpuint(p.vlan[1].id, ==, 200);
	g_assert_true(p.vlan[1].dei);
	g_assert_cmpuint(p.vlan[2].id, ==, 4095);
	g_assert_cmphex(p.ethertype, ==, 0x0800);
	g_assert_cmpuint(p.network_offset, ==, 26);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_TCP);

	/* One tag more than PACKET_VLAN_MAX: the walk stops at the tags. */
	Frame deep = { .len = 0 };
	put_eth(&deep, 0x8100);
	for (int i = 0; i < PACKET_VLAN_MAX; i++) {
		put16(&deep, (uint16_t)(i + 1));
		put16(&deep, 0x8100);
	}
	put16(&deep, 99);
	put16(&deep, 0x0800);
	put_ip4(&deep, 6, 0, 20);
	put_tcp(&deep, PACKET_TCP_SYN, 0);
	p = parse_built(1, &deep);
	g_assert_cmpuint(p.n_vlans, ==, PACKET_VLAN_MAX);
	g_assert_cmpuint(p.n_ip, ==, 0);
}

/* hop-by-hop (8), routing (24), fragment (first of several), destination
 * options (16), then TCP: proto and payload come from the end of the chain. */
static void test_ipv6_extension_chain_walked_to_transport(void)
{
	Frame f = { .len = 0 };
	put_eth(&f, 0x86dd);
	size_t chain = 8 + 24 + 8 + 16;
	put_ip6(&f, 0, chain + 20 + 5);
	uint8_t hbh[8] = { 43, 0 };
	put(&f, hbh, sizeof hbh);
	uint8_t rt[24] = { 44, 2 };
	put(&f, rt, sizeof rt);
	uint8_t frag[8] = { 60, 0, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef }; /* offset 0, M */
	put(&f, frag, sizeof frag);
	uint8_t dst[16] = { 6, 1 };
	put(&f, dst, sizeof dst);
	put_tcp(&f, PACKET_TCP_ACK | PACKET_TCP_PSH, 0);
	put(&f, "hello", 5);
	Packet p = parse_built(1, &f);
	g_assert_cmpuint(p.n_ip, ==, 1);
	const PacketIp *ip = &p.ip[0];
	g_assert_cmpuint(ip->header_len, ==, 40 + chain);
	g_assert_cmpuint(ip->proto, ==, 6);
	g_assert_cmpuint(ip->payload_len, ==, 25);
	g_assert_true(ip->has_fragment_header);
	g_assert_cmphex(ip->id, ==, 0xdeadbeef);
	g_assert_true(ip->more_fragments);
	g_assert_cmpuint(ip->frag_offset, ==, 0);
	g_assert_true(ip->fragment);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_TCP);
	g_assert_cmpuint(p.tcp.offset, ==, 14 + 40 + chain);
	g_assert_cmpuint(p.tcp.payload_len, ==, 5);
	g_assert_cmpmem(f.b + p.tcp.payload_offset, p.tcp.payload_captured, "hello", 5);
}

static void test_ipv6_later_fragment_has_no_transport(void)
{
	Frame f = { .len = 0 };
	put_eth(&f, 0x86dd);
	put_ip6(&f, 44, 8 + 16);
	uint8_t frag[8] = { 6, 0, 0x00, 0xb8, 0, 0, 0, 7 }; /* offset 23 (x8), last */
	put(&f, frag, sizeof frag);
	put_zeros(&f, 16);
	Packet p = parse_built(1, &f);
	g_assert_cmpuint(p.ip[0].frag_offset, ==, 23);
	g_assert_false(p.ip[0].more_fragments);
	g_assert_true(p.ip[0].fragment);
	g_assert_cmpuint(p.ip[0].proto, ==, 6);
	g_assert_cmpuint(p.ip[0].payload_len, ==, 16);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_NONE);

	/* An atomic fragment (offset 0, no more) is a whole datagram. */
	Frame a = { .len = 0 };
	put_eth(&a, 0x86dd);
	put_ip6(&a, 44, 8 + 8);
	uint8_t atomic[8] = { 17, 0, 0, 0, 0, 0, 0, 9 };
	put(&a, atomic, sizeof atomic);
	put_udp(&a, 8);
	p = parse_built(1, &a);
	g_assert_true(p.ip[0].has_fragment_header);
	g_assert_false(p.ip[0].fragment);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_UDP);
}

/* tcp.len is the IP payload minus the TCP header: a snaplen cut leaves it,
 * Ethernet padding does not add to it, and an IP payload shorter than the
 * TCP header is a short segment. */
static void test_tcp_length_from_ip_lengths_not_cap_len(void)
{
	Frame f = { .len = 0 };
	put_eth(&f, 0x0800);
	put_ip4(&f, 6, 0, 20 + 1000);
	put_tcp(&f, PACKET_TCP_ACK, 0);
	Packet p = parse_built(1, &f); /* cut right after the TCP header */
	g_assert_cmpuint(p.tcp.payload_len, ==, 1000);
	g_assert_cmpuint(p.tcp.payload_captured, ==, 0);
	g_assert_cmpuint(p.ip[0].payload_len, ==, 1020);

	Frame pad = { .len = 0 };
	put_eth(&pad, 0x0800);
	put_ip4(&pad, 6, 0, 20);
	put_tcp(&pad, PACKET_TCP_ACK, 0);
	put_zeros(&pad, 6); /* to the 60-byte minimum */
	p = parse_built(1, &pad);
	g_assert_cmpuint(p.tcp.payload_len, ==, 0);
	g_assert_cmpuint(p.tcp.payload_captured, ==, 0);

	/* An IP payload shorter than the TCP header: the Ethernet padding
	 * after it is not part of the segment. With its first 16 bytes it is
	 * a segment of its connection, cut and short (no length: tshark does
	 * not analyse it); with fewer it is no segment at all. */
	Frame shrt = { .len = 0 };
	put_eth(&shrt, 0x0800);
	put_ip4(&shrt, 6, 0, 16);
	put_tcp(&shrt, PACKET_TCP_ACK, 0);
	p = parse_built(1, &shrt);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_TCP);
	g_assert_true(p.tcp.short_segment);
	g_assert_true(p.tcp.header_cut);
	g_assert_cmpuint(p.tcp.payload_len, ==, 0);
	g_assert_cmpuint(p.cut, ==, PACKET_PROTO_TCP);
	g_assert_cmpuint(p.cut_captured, ==, 16);
	assert_layers(&p, "eth/ip");
	shrt.b[14 + 3] = 20 + 10;
	p = parse_built(1, &shrt);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_NONE);
	g_assert_cmpuint(p.cut, ==, PACKET_PROTO_TCP);
	g_assert_cmpuint(p.cut_captured, ==, 10);

	/* A data offset below 5 is no TCP header at all. */
	Frame bogus = { .len = 0 };
	put_eth(&bogus, 0x0800);
	put_ip4(&bogus, 6, 0, 20);
	put_tcp(&bogus, PACKET_TCP_ACK, 0);
	bogus.b[14 + 20 + 12] = 0x40;
	p = parse_built(1, &bogus);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_NONE);
}

static void test_ipv4_options_and_odd_lengths(void)
{
	Frame f = { .len = 0 };
	put_eth(&f, 0x0800);
	put_ip4(&f, 17, 4, 8 + 3);
	put_udp(&f, 8 + 3);
	put(&f, "abc", 3);
	Packet p = parse_built(1, &f);
	g_assert_cmpuint(p.ip[0].header_len, ==, 24);
	g_assert_true(p.ip[0].dont_fragment);
	g_assert_cmpuint(p.udp.offset, ==, 38);
	g_assert_cmpuint(p.udp.payload_len, ==, 3);
	g_assert_cmpuint(p.udp.payload_captured, ==, 3);

	/* Total length 0: TSO; the length is what was captured. */
	f.b[14 + 2] = 0, f.b[14 + 3] = 0;
	p = parse_built(1, &f);
	g_assert_true(p.ip[0].length_guessed);
	g_assert_cmpuint(p.ip[0].payload_len, ==, 11);

	/* Total length shorter than the header: not an IP layer (tshark
	 * neither counts it). */
	f.b[14 + 3] = 16;
	p = parse_built(1, &f);
	g_assert_cmpuint(p.n_ip, ==, 0);
	g_assert_cmphex(p.ethertype, ==, 0x0800);

	/* A version that is not 4 under ethertype 0x0800. */
	f.b[14] = 0x65;
	p = parse_built(1, &f);
	g_assert_cmpuint(p.n_ip, ==, 0);
}

/* IPv6 jumbogram-style zero lengths: UDP length from the capture. */
static void test_udp_zero_length_takes_ip_payload(void)
{
	Frame f = { .len = 0 };
	put_eth(&f, 0x86dd);
	put_ip6(&f, 17, 0);
	put_udp(&f, 0);
	put(&f, "data", 4);
	Packet p = parse_built(1, &f);
	g_assert_true(p.ip[0].length_guessed);
	g_assert_cmpuint(p.ip[0].payload_len, ==, 12);
	g_assert_cmpuint(p.udp.payload_len, ==, 4);
}

static void test_llc_snap_carries_an_ethertype(void)
{
	Frame f = { .len = 0 };
	put_eth(&f, 8 + 20 + 8);
	uint8_t snap[8] = { 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00 };
	put(&f, snap, sizeof snap);
	put_ip4(&f, 17, 0, 8);
	put_udp(&f, 8);
	Packet p = parse_built(1, &f);
	g_assert_cmphex(p.ethertype, ==, 0x0800);
	g_assert_cmpuint(p.network_offset, ==, 22);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_UDP);
}

static void test_every_link_type(void)
{
	Frame ip = { .len = 0 };
	put_ip4(&ip, 17, 0, 8);
	put_udp(&ip, 8);
	Packet p;

	static const uint32_t raw_types[] = { 101, 12, 228 };
	for (size_t i = 0; i < G_N_ELEMENTS(raw_types); i++) {
		p = parse_built(raw_types[i], &ip);
		g_assert_cmpint(p.link, ==, PACKET_LINK_RAW);
		g_assert_cmpuint(p.network_offset, ==, 0);
		g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_UDP);
	}
	p = parse_built(229, &ip); /* LINKTYPE_IPV6 carrying IPv4: refused */
	g_assert_cmpuint(p.n_ip, ==, 0);
	p = parse_built(9999, &ip);
	g_assert_cmpint(p.link, ==, PACKET_LINK_NONE);
	g_assert_cmpuint(p.n_ip, ==, 0);
	g_assert_cmpuint(p.n_layers, ==, 0);
	g_assert_true(p.next_unknown); /* something is there, unnamed */
	/* tshark names a "raw" layer for LINKTYPE_RAW and none for _IPV4. */
	p = parse_built(101, &ip);
	assert_layers(&p, "raw/ip/udp");
	p = parse_built(228, &ip);
	assert_layers(&p, "ip/udp");

	Frame sll2 = { .len = 0 };
	put16(&sll2, 0x0800);
	put_zeros(&sll2, 6);
	put16(&sll2, 1);                    /* ARPHRD_ETHER */
	uint8_t pkt_halen[2] = { 4, 6 };    /* outgoing, 6-byte address */
	put(&sll2, pkt_halen, 2);
	put(&sll2, mac_a, 6);
	put_zeros(&sll2, 2);
	put(&sll2, ip.b, ip.len);
	p = parse_built(276, &sll2);
	g_assert_cmpint(p.link, ==, PACKET_LINK_SLL2);
	g_assert_cmpuint(p.sll_pkttype, ==, 4);
	g_assert_cmpuint(p.sll_hatype, ==, 1);
	g_assert_cmpuint(p.sll_addr_len, ==, 6);
	g_assert_cmpmem(p.sll_addr, 6, mac_a, 6);
	g_assert_cmpuint(p.network_offset, ==, 20);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_UDP);
	assert_layers(&p, "sll/ip/udp");
	g_assert_false(p.next_unknown);
	sll2.b[8] = 0x03, sll2.b[9] = 0x38; /* ARPHRD_NETLINK: not an ethertype */
	p = parse_built(276, &sll2);
	g_assert_cmpint(p.link, ==, PACKET_LINK_SLL2);
	g_assert_cmpuint(p.n_ip, ==, 0);
	assert_layers(&p, "sll");
	g_assert_true(p.next_unknown);

	Frame null_le = { .len = 0 };
	uint8_t af_inet_le[4] = { 2, 0, 0, 0 };
	put(&null_le, af_inet_le, 4);
	put(&null_le, ip.b, ip.len);
	p = parse_built(0, &null_le);
	g_assert_cmpint(p.link, ==, PACKET_LINK_LOOPBACK);
	g_assert_cmpuint(p.network_offset, ==, 4);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_UDP);

	Frame loop6 = { .len = 0 };
	uint8_t af_inet6_be[4] = { 0, 0, 0, 30 }; /* macOS AF_INET6 */
	put(&loop6, af_inet6_be, 4);
	put_ip6(&loop6, 17, 8);
	put_udp(&loop6, 8);
	p = parse_built(108, &loop6);
	g_assert_cmpint(p.link, ==, PACKET_LINK_LOOPBACK);
	g_assert_cmphex(p.ethertype, ==, 0x86dd);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_UDP);

	/* Nothing at all. */
	packet_parse(&p, 1, NULL, 0);
	g_assert_cmpint(p.link, ==, PACKET_LINK_NONE);
	packet_parse(&p, 101, NULL, 0);
	g_assert_cmpint(p.link, ==, PACKET_LINK_NONE);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/packet/ethernet-ipv4-tcp-fields-match-tshark",
	                test_ethernet_ipv4_tcp_fields_match_tshark);
	g_test_add_func("/packet/vlan-tags-match-tshark", test_vlan_tags_match_tshark);
	g_test_add_func("/packet/linux-sll-fields-match-tshark", test_linux_sll_fields_match_tshark);
	g_test_add_func("/packet/ipv6-tcp-fields-match-tshark", test_ipv6_tcp_fields_match_tshark);
	g_test_add_func("/packet/ipv4-fragments-match-tshark", test_ipv4_fragments_match_tshark);
	g_test_add_func("/packet/icmp-error-quote-is-not-a-layer",
	                test_icmp_error_quote_is_not_a_layer);
	g_test_add_func("/packet/llc-frame-has-no-network-layer",
	                test_llc_frame_has_no_network_layer);
	g_test_add_func("/packet/vlan-stack-keeps-every-tag", test_vlan_stack_keeps_every_tag);
	g_test_add_func("/packet/ipv6-extension-chain-walked-to-transport",
	                test_ipv6_extension_chain_walked_to_transport);
	g_test_add_func("/packet/ipv6-later-fragment-has-no-transport",
	                test_ipv6_later_fragment_has_no_transport);
	g_test_add_func("/packet/tcp-length-from-ip-lengths-not-cap-len",
	                test_tcp_length_from_ip_lengths_not_cap_len);
	g_test_add_func("/packet/ipv4-options-and-odd-lengths", test_ipv4_options_and_odd_lengths);
	g_test_add_func("/packet/udp-zero-length-takes-ip-payload",
	                test_udp_zero_length_takes_ip_payload);
	g_test_add_func("/packet/llc-snap-carries-an-ethertype", test_llc_snap_carries_an_ethertype);
	g_test_add_func("/packet/every-link-type", test_every_link_type);
	return g_test_run();
}
