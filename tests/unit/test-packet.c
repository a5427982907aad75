/* test-packet.c — experts/common/packet.c, the frame parser experts share.
 *
 * Pins down:
 *  - real frames from the shared captures: every field equals what tshark
 *    shows for that frame (values taken from `tshark -T fields`);
 *  - truncation: every frame of every capture, cut at every byte length, in
 *    a heap buffer of exactly that length (so ASan catches any read past
 *    cap_len): a layer is there exactly when its whole header is, and then
 *    its fields are those of the whole frame, lengths included (they come
 *    from the IP length fields, not from cap_len);
 *  - hand-built frames for what the captures lack: VLAN stacks, IPv6
 *    extension headers and fragments, tunnels, ICMP errors, odd lengths,
 *    every link type;
 *  - mutated frames never make it read out of bounds.
 */
#include "packet.h"
#include "oracle.h"
#include "real-frames.h"

#include <arpa/inet.h>
#include <glib.h>
#include <pcap/pcap.h>
#include <string.h>

/* The parser sees the frame in a buffer of exactly len bytes. */
static void parse_exact(Packet *p, uint32_t link_type, const uint8_t *data, size_t len)
{
	g_autofree uint8_t *copy = len > 0 ? g_memdup2(data, len) : NULL;
	packet_parse(p, link_type, copy, len);
	g_assert_cmpuint(p->n_vlans, <=, PACKET_VLAN_MAX);
	g_assert_cmpuint(p->n_ip, <=, PACKET_IP_MAX);
	g_assert_cmpuint(p->n_layers, <=, PACKET_LAYERS_MAX);
	for (unsigned i = 0; i < p->n_layers; i++) {
		g_assert_cmpuint(p->layer[i].proto, >, PACKET_PROTO_NONE);
		g_assert_cmpuint(p->layer[i].proto, <, PACKET_PROTO_COUNT);
		g_assert_cmpuint(p->layer[i].offset, <=, len);
		if (i > 0)
			g_assert_cmpuint(p->layer[i].offset, >=, p->layer[i - 1].offset);
	}
	for (unsigned i = 0; i < p->n_ip; i++) {
		g_assert_cmpuint(p->ip[i].offset + p->ip[i].header_len, <=, len);
		g_assert_true(p->ip[i].version == 4 || p->ip[i].version == 6);
	}
	if (p->transport == PACKET_TRANSPORT_TCP) {
		g_assert_cmpuint(p->n_ip, >, 0);
		g_assert_cmpuint(p->tcp.offset + 20, <=, len);
		g_assert_cmpuint(p->tcp.header_len, >=, 20);
		g_assert_cmpuint(p->tcp.payload_captured, <=, p->tcp.payload_len);
		if (p->tcp.payload_captured > 0)
			g_assert_cmpuint(p->tcp.payload_offset + p->tcp.payload_captured, <=, len);
	}
	if (p->transport == PACKET_TRANSPORT_UDP) {
		g_assert_cmpuint(p->udp.offset + 8, <=, len);
		g_assert_cmpuint(p->udp.payload_captured, <=, p->udp.payload_len);
		if (p->udp.payload_captured > 0)
			g_assert_cmpuint(p->udp.payload_offset + p->udp.payload_captured, <=, len);
	}
}

static void parse_frame(Packet *p, const char *file, guint number)
{
	uint32_t link_type;
	g_autoptr(GBytes) frame = real_frames_load(file, number, &link_type);
	gsize len;
	const uint8_t *data = g_bytes_get_data(frame, &len);
	parse_exact(p, link_type, data, len);
}

static void assert_mac(const uint8_t mac[6], const char *want)
{
	g_autofree char *got = g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
	                                       mac[2], mac[3], mac[4], mac[5]);
	g_assert_cmpstr(got, ==, want);
}

static void assert_ip(const PacketIp *ip, const char *src, const char *dst)
{
	int family = ip->version == 4 ? AF_INET : AF_INET6;
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	g_assert_nonnull(inet_ntop(family, ip->src, s, sizeof s));
	g_assert_nonnull(inet_ntop(family, ip->dst, d, sizeof d));
	g_assert_cmpstr(s, ==, src);
	g_assert_cmpstr(d, ==, dst);
}

/* The layers as tshark's hierarchy names them, "eth/ip/tcp". */
static char *layers_text(const Packet *p)
{
#define PACKET_PROTO_NAME_ENTRY(id, name) [PACKET_PROTO_##id] = name,
	static const char *const names[PACKET_PROTO_COUNT] = {
		PACKET_PROTOCOLS(PACKET_PROTO_NAME_ENTRY)
	};
#undef PACKET_PROTO_NAME_ENTRY
	GString *s = g_string_new(NULL);
	for (unsigned i = 0; i < p->n_layers; i++)
		g_string_append_printf(s, "%s%s", i > 0 ? "/" : "", names[p->layer[i].proto]);
	return g_string_free(s, FALSE);
}

static void assert_layers(const Packet *p, const char *want)
{
	g_autofree char *got = layers_text(p);
	g_assert_cmpstr(got, ==, want);
}

/* ---- real frames, field by field, against tshark ------------------------ */

/* wikipedia.pcap frame 6: the first HTTP request. */
static void test_ethernet_ipv4_tcp_fields_match_tshark(void)
{
	Packet p;
	parse_frame(&p, "wikipedia.pcap", 6);
	g_assert_cmpint(p.link, ==, PACKET_LINK_ETHERNET);
	assert_mac(p.eth_src, "00:24:7e:e0:1d:b5");
	assert_mac(p.eth_dst, "00:13:7f:be:8c:ff");
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

/* ---- truncation --------------------------------------------------------- */

/* Where each layer's header ends in the whole frame: a cut at or past it
 * must keep the layer, a cut before it must not have it. */
static size_t link_end(const Packet *p)
{
	switch (p->link) {
	case PACKET_LINK_ETHERNET: return 14;
	case PACKET_LINK_SLL: return 16;
	case PACKET_LINK_SLL2: return 20;
	case PACKET_LINK_LOOPBACK: return 4;
	case PACKET_LINK_RAW: return 1;
	case PACKET_LINK_NONE: break;
	}
	return 0;
}

static void assert_ip_equal(const PacketIp *cut, const PacketIp *full, gboolean whole)
{
	g_assert_cmpuint(cut->version, ==, full->version);
	g_assert_cmpuint(cut->offset, ==, full->offset);
	g_assert_cmpmem(cut->src, cut->addr_len, full->src, full->addr_len);
	g_assert_cmpmem(cut->dst, cut->addr_len, full->dst, full->addr_len);
	g_assert_cmpuint(cut->length, ==, full->length);
	g_assert_cmpuint(cut->ttl, ==, full->ttl);
	if (!whole || full->length_guessed)
		return; /* IPv6 extension headers still missing; or a length from cap_len */
	g_assert_cmpuint(cut->header_len, ==, full->header_len);
	g_assert_cmpuint(cut->proto, ==, full->proto);
	g_assert_cmpuint(cut->payload_len, ==, full->payload_len);
	g_assert_cmpuint(cut->id, ==, full->id);
	g_assert_cmpuint(cut->frag_offset, ==, full->frag_offset);
	g_assert_cmpint(cut->more_fragments, ==, full->more_fragments);
	g_assert_cmpint(cut->fragment, ==, full->fragment);
}

/* cut is the frame parsed from its first n bytes, full from all of them. */
static void assert_cut_consistent(const Packet *cut, const Packet *full, size_t n)
{
	/* The layers of a cut frame are the first layers of the whole one:
	 * a cut can only end the walk sooner. */
	g_assert_cmpuint(cut->n_layers, <=, full->n_layers);
	for (unsigned i = 0; i < cut->n_layers; i++) {
		g_assert_cmpuint(cut->layer[i].proto, ==, full->layer[i].proto);
		g_assert_cmpuint(cut->layer[i].offset, ==, full->layer[i].offset);
	}

	/* link */
	if (n >= link_end(full) && full->link != PACKET_LINK_NONE)
		g_assert_cmpint(cut->link, ==, full->link);
	else
		g_assert_cmpint(cut->link, ==, PACKET_LINK_NONE);
	if (cut->link == PACKET_LINK_ETHERNET) {
		g_assert_cmpmem(cut->eth_src, 6, full->eth_src, 6);
		g_assert_cmpmem(cut->eth_dst, 6, full->eth_dst, 6);
	}
	if (cut->link == PACKET_LINK_SLL || cut->link == PACKET_LINK_SLL2) {
		g_assert_cmpuint(cut->sll_pkttype, ==, full->sll_pkttype);
		g_assert_cmpmem(cut->sll_addr, 8, full->sll_addr, 8);
	}

	/* VLAN tags */
	unsigned vlans = 0;
	for (unsigned i = 0; i < full->n_vlans; i++)
		if (n >= full->vlan[i].offset + 4)
			vlans = i + 1;
	g_assert_cmpuint(cut->n_vlans, ==, vlans);
	for (unsigned i = 0; i < vlans; i++) {
		g_assert_cmphex(cut->vlan[i].tpid, ==, full->vlan[i].tpid);
		g_assert_cmpuint(cut->vlan[i].id, ==, full->vlan[i].id);
		g_assert_cmpuint(cut->vlan[i].offset, ==, full->vlan[i].offset);
	}

	/* IP headers: IPv4 needs its whole header (options too), IPv6 its
	 * fixed 40 bytes; each extension header is walked once it is whole. */
	unsigned ips = 0;
	for (unsigned i = 0; i < full->n_ip; i++) {
		const PacketIp *ip = &full->ip[i];
		size_t need = ip->offset + (ip->version == 4 ? ip->header_len : 40);
		if (n >= need)
			ips = i + 1;
		else
			break;
		/* An inner header is only reached through a whole outer one. */
		if (n < ip->offset + ip->header_len)
			break;
	}
	g_assert_cmpuint(cut->n_ip, ==, ips);
	for (unsigned i = 0; i < ips; i++)
		assert_ip_equal(&cut->ip[i], &full->ip[i],
		                n >= full->ip[i].offset + full->ip[i].header_len);
	if (ips > 0 && cut->ethertype != 0)
		g_assert_cmphex(cut->ethertype, ==, full->ethertype);

	/* transport */
	gboolean inner_whole = full->n_ip > 0 && ips == full->n_ip &&
	                       n >= full->ip[full->n_ip - 1].offset +
	                            full->ip[full->n_ip - 1].header_len;
	if (full->transport == PACKET_TRANSPORT_TCP) {
		if (inner_whole && n >= full->tcp.offset + 20) {
			g_assert_cmpint(cut->transport, ==, PACKET_TRANSPORT_TCP);
			const PacketTcp *a = &cut->tcp, *b = &full->tcp;
			g_assert_cmpuint(a->src_port, ==, b->src_port);
			g_assert_cmpuint(a->dst_port, ==, b->dst_port);
			g_assert_cmpuint(a->seq, ==, b->seq);
			g_assert_cmpuint(a->ack, ==, b->ack);
			g_assert_cmphex(a->flags, ==, b->flags);
			g_assert_cmpuint(a->window, ==, b->window);
			g_assert_cmpuint(a->header_len, ==, b->header_len);
			g_assert_cmpuint(a->payload_offset, ==, b->payload_offset);
			if (!full->ip[full->n_ip - 1].length_guessed) {
				g_assert_cmpint(a->short_segment, ==, b->short_segment);
				/* the point: tcp.len survives a snaplen cut */
				g_assert_cmpuint(a->payload_len, ==, b->payload_len);
				size_t there = n > a->payload_offset ? n - a->payload_offset : 0;
				g_assert_cmpuint(a->payload_captured, ==, MIN(there, b->payload_len));
			}
		} else {
			g_assert_cmpint(cut->transport, !=, PACKET_TRANSPORT_TCP);
		}
	} else if (full->transport == PACKET_TRANSPORT_UDP) {
		if (inner_whole && n >= full->udp.offset + 8) {
			g_assert_cmpint(cut->transport, ==, PACKET_TRANSPORT_UDP);
			g_assert_cmpuint(cut->udp.src_port, ==, full->udp.src_port);
			g_assert_cmpuint(cut->udp.dst_port, ==, full->udp.dst_port);
			g_assert_cmpuint(cut->udp.length, ==, full->udp.length);
			if (full->udp.length != 0)
				g_assert_cmpuint(cut->udp.payload_len, ==, full->udp.payload_len);
		} else {
			g_assert_cmpint(cut->transport, !=, PACKET_TRANSPORT_UDP);
		}
	} else {
		g_assert_cmpint(cut->transport, !=, PACKET_TRANSPORT_TCP);
		g_assert_cmpint(cut->transport, !=, PACKET_TRANSPORT_UDP);
	}
}

static void test_every_truncation_of_real_frames(gconstpointer data)
{
	const OracleCapture *capture = data;
	pcap_t *pc = real_frames_open(capture->file);
	uint32_t link_type = (uint32_t)pcap_datalink(pc);
	struct pcap_pkthdr *h;
	const u_char *frame;
	guint64 frames = 0, cuts = 0;
	while (pcap_next_ex(pc, &h, &frame) == 1) {
		Packet full;
		parse_exact(&full, link_type, frame, h->caplen);
		g_assert_cmpint(full.link, !=, PACKET_LINK_NONE);
		for (size_t n = 0; n <= h->caplen; n++) {
			Packet cut;
			parse_exact(&cut, link_type, frame, n);
			assert_cut_consistent(&cut, &full, n);
			cuts++;
		}
		frames++;
	}
	pcap_close(pc);
	g_assert_cmpuint(frames, ==, capture->frames);
	g_test_message("%s: %" G_GUINT64_FORMAT " frames, %" G_GUINT64_FORMAT " cuts",
	               capture->file, frames, cuts);
}

static void parse_mutant(gpointer ctx, GRand *rand, uint32_t link_type, guint round,
                         const uint8_t *data, size_t len)
{
	(void)ctx;
	/* Under another link type too: nothing may trust the bytes. */
	static const uint32_t link_types[] = { 0, 1, 12, 101, 108, 113, 228, 229, 276 };
	uint32_t lt = round % 4 == 3
		? link_types[g_rand_int_range(rand, 0, (gint32)G_N_ELEMENTS(link_types))]
		: link_type;
	Packet p;
	parse_exact(&p, lt, data, len);
}

/* Real frames with a few bytes changed and a random cut: a crash or an ASan
 * report is the failure. The seed is fixed so a failure repeats. */
static void test_mutated_frames_never_read_past_cap_len(void)
{
	real_frames_mutate(20240611, parse_mutant, NULL);
}

/* ---- hand-built frames -------------------------------------------------- */

typedef struct {
	uint8_t b[256];
	size_t len;
} Frame;

static void put(Frame *f, const void *bytes, size_t n)
{
	g_assert_cmpuint(f->len + n, <=, sizeof f->b);
	memcpy(f->b + f->len, bytes, n);
	f->len += n;
}

static void put16(Frame *f, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	put(f, b, 2);
}

static void put_zeros(Frame *f, size_t n)
{
	g_assert_cmpuint(f->len + n, <=, sizeof f->b);
	memset(f->b + f->len, 0, n);
	f->len += n;
}

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };

static void put_eth(Frame *f, uint16_t type)
{
	put(f, mac_b, 6);
	put(f, mac_a, 6);
	put16(f, type);
}

/* IPv4 header, 20 bytes (or 20 + options), total = header + payload. */
static void put_ip4(Frame *f, uint8_t proto, size_t options, size_t payload)
{
	size_t header = 20 + options;
	uint8_t h[60] = { 0 };
	h[0] = (uint8_t)(0x40 | header / 4);
	h[2] = (uint8_t)((header + payload) >> 8), h[3] = (uint8_t)(header + payload);
	h[4] = 0x12, h[5] = 0x34;
	h[6] = 0x40; /* DF */
	h[8] = 64, h[9] = proto;
	h[12] = 10, h[15] = 1;
	h[16] = 10, h[19] = 2;
	put(f, h, header);
}

static void put_ip6(Frame *f, uint8_t next, size_t payload)
{
	uint8_t h[40] = { 0 };
	h[0] = 0x60;
	h[4] = (uint8_t)(payload >> 8), h[5] = (uint8_t)payload;
	h[6] = next, h[7] = 255;
	h[8] = 0x20, h[9] = 0x01, h[10] = 0x0d, h[11] = 0xb8, h[23] = 1;
	h[24] = 0x20, h[25] = 0x01, h[26] = 0x0d, h[27] = 0xb8, h[39] = 2;
	put(f, h, 40);
}

/* TCP header: 20 bytes + options, ports 1234 -> 80, seq 1000, ack 2000,
 * the given flags, window 512. */
static void put_tcp(Frame *f, uint16_t flags, size_t options)
{
	uint8_t h[60] = { 0 };
	h[0] = 0x04, h[1] = 0xd2, h[3] = 80;
	h[6] = 0x03, h[7] = 0xe8;
	h[10] = 0x07, h[11] = 0xd0;
	h[12] = (uint8_t)((20 + options) / 4 << 4 | (flags >> 8));
	h[13] = (uint8_t)flags;
	h[14] = 0x02;
	put(f, h, 20 + options);
}

static void put_udp(Frame *f, uint16_t length)
{
	uint8_t h[8] = { 0x30, 0x39, 0x00, 0x35, (uint8_t)(length >> 8), (uint8_t)length, 0, 0 };
	put(f, h, 8);
}

static Packet parse_built(uint32_t link_type, const Frame *f)
{
	Packet p;
	parse_exact(&p, link_type, f->b, f->len);
	return p;
}

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

	Frame shrt = { .len = 0 };
	put_eth(&shrt, 0x0800);
	put_ip4(&shrt, 6, 0, 10);
	put_tcp(&shrt, PACKET_TCP_ACK, 0);
	p = parse_built(1, &shrt);
	g_assert_cmpint(p.transport, ==, PACKET_TRANSPORT_TCP);
	g_assert_true(p.tcp.short_segment);
	g_assert_cmpuint(p.tcp.payload_len, ==, 0);

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
	g_autoptr(GPtrArray) captures = oracle_add_capture_tests(
		"/packet/every-truncation-of-real-frames/", test_every_truncation_of_real_frames);
	if (captures == NULL)
		return 77;
	g_test_add_func("/packet/mutated-frames-never-read-past-cap-len",
	                test_mutated_frames_never_read_past_cap_len);
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
	g_test_add_func("/packet/ip-in-ip-gives-one-layer-per-header",
	                test_ip_in_ip_gives_one_layer_per_header);
	g_test_add_func("/packet/llc-snap-carries-an-ethertype", test_llc_snap_carries_an_ethertype);
	g_test_add_func("/packet/every-link-type", test_every_link_type);
	return g_test_run();
}
