/* packet-frames.c — frames for the shared parser's tests (see
 * packet-frames.h). */
#include "packet-frames.h"

#include "real-frames.h"

#include <arpa/inet.h>
#include <string.h>

/* The parser sees the frame in a buffer of exactly len bytes. */
void parse_exact(Packet *p, uint32_t link_type, const uint8_t *data, size_t len)
{
	g_autofree uint8_t *copy = len > 0 ? g_memdup2(data, len) : NULL;
	packet_parse(p, link_type, copy, len);
	g_assert_cmpuint(p->n_vlans, <=, PACKET_VLAN_MAX);
	g_assert_cmpuint(p->n_ip, <=, PACKET_IP_MAX);
	g_assert_cmpuint(p->n_layers, <=, PACKET_LAYERS_MAX);
	g_assert_cmpuint(p->n_eth, <=, PACKET_ETH_MAX);
	g_assert_cmpuint(p->n_vlans, <=, PACKET_VLAN_MAX);
	if (p->cut != PACKET_PROTO_NONE) {
		g_assert_cmpuint(p->cut, <, PACKET_PROTO_COUNT);
		g_assert_cmpuint(p->cut_offset, <=, len);
		g_assert_cmpuint(p->cut_offset + p->cut_captured, <=, len);
	}
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
		g_assert_cmpuint(p->tcp.offset + 16, <=, len);
		if (!p->tcp.header_cut)
			g_assert_cmpuint(p->tcp.offset + p->tcp.header_len, <=, len);
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

void parse_frame(Packet *p, const char *file, guint number)
{
	uint32_t link_type;
	g_autoptr(GBytes) frame = real_frames_load(file, number, &link_type);
	gsize len;
	const uint8_t *data = g_bytes_get_data(frame, &len);
	parse_exact(p, link_type, data, len);
}

void assert_mac(const uint8_t mac[6], const char *want)
{
	g_autofree char *got = g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
	                                       mac[2], mac[3], mac[4], mac[5]);
	g_assert_cmpstr(got, ==, want);
}

void assert_ip(const PacketIp *ip, const char *src, const char *dst)
{
	int family = ip->version == 4 ? AF_INET : AF_INET6;
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	g_assert_nonnull(inet_ntop(family, ip->src, s, sizeof s));
	g_assert_nonnull(inet_ntop(family, ip->dst, d, sizeof d));
	g_assert_cmpstr(s, ==, src);
	g_assert_cmpstr(d, ==, dst);
}

/* The layers as tshark's hierarchy names them, "eth/ip/tcp". */
char *layers_text(const Packet *p)
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

void assert_layers(const Packet *p, const char *want)
{
	g_autofree char *got = layers_text(p);
	g_assert_cmpstr(got, ==, want);
}

void put(Frame *f, const void *bytes, size_t n)
{
	g_assert_cmpuint(f->len + n, <=, sizeof f->b);
	memcpy(f->b + f->len, bytes, n);
	f->len += n;
}

void put16(Frame *f, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	put(f, b, 2);
}

void put_zeros(Frame *f, size_t n)
{
	g_assert_cmpuint(f->len + n, <=, sizeof f->b);
	memset(f->b + f->len, 0, n);
	f->len += n;
}

const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };

void put_eth(Frame *f, uint16_t type)
{
	put(f, mac_b, 6);
	put(f, mac_a, 6);
	put16(f, type);
}

/* IPv4 header, 20 bytes (or 20 + options), total = header + payload. */
void put_ip4(Frame *f, uint8_t proto, size_t options, size_t payload)
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

void put_ip6(Frame *f, uint8_t next, size_t payload)
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
void put_tcp(Frame *f, uint16_t flags, size_t options)
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

void put_udp(Frame *f, uint16_t length)
{
	uint8_t h[8] = { 0x30, 0x39, 0x00, 0x35, (uint8_t)(length >> 8), (uint8_t)length, 0, 0 };
	put(f, h, 8);
}

Packet parse_built(uint32_t link_type, const Frame *f)
{
	Packet p;
	parse_exact(&p, link_type, f->b, f->len);
	return p;
}

