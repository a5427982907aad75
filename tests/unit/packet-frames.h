/* packet-frames.h — frames for the shared parser's tests (test-packet*.c):
 * real ones from the bundled captures, and ones built by hand for what the
 * captures lack; each parsed in a buffer of exactly its length, so that
 * ASan catches any read past cap_len, and checked against the invariants
 * every Packet keeps.
 */
#ifndef PACKET_FRAMES_H
#define PACKET_FRAMES_H

#include "packet.h"

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

/* Parses len bytes in a copy of exactly that size; checks the bounds and
 * invariants of the result. */
void parse_exact(Packet *p, uint32_t link_type, const uint8_t *data, size_t len);

/* Frame number (1-based) of a bundled capture, parsed. */
void parse_frame(Packet *p, const char *file, guint number);

void assert_mac(const uint8_t mac[6], const char *want);
void assert_ip(const PacketIp *ip, const char *src, const char *dst);

/* The layers as tshark's hierarchy names them, "eth/ip/tcp". */
char *layers_text(const Packet *p);
void assert_layers(const Packet *p, const char *want);

/* A frame being built, header by header. */
typedef struct {
	uint8_t b[256];
	size_t len;
} Frame;

void put(Frame *f, const void *bytes, size_t n);
void put16(Frame *f, uint16_t v);
void put_zeros(Frame *f, size_t n);

extern const uint8_t mac_a[6], mac_b[6];

/* Ethernet from mac_a to mac_b. */
void put_eth(Frame *f, uint16_t type);
/* IPv4 10.0.0.1 -> 10.0.0.2, 20 bytes (or 20 + options), DF, ID 0x1234;
 * its total length counts payload more bytes. */
void put_ip4(Frame *f, uint8_t proto, size_t options, size_t payload);
/* IPv6 2001:db8::1 -> 2001:db8::2, hop limit 255. */
void put_ip6(Frame *f, uint8_t next, size_t payload);
/* TCP 1234 -> 80, seq 1000, ack 2000, the given flags, window 512; 20
 * bytes + options (zeros). */
void put_tcp(Frame *f, uint16_t flags, size_t options);
/* UDP 12345 -> 53 with this length field. */
void put_udp(Frame *f, uint16_t length);

/* f, parsed by parse_exact. */
Packet parse_built(uint32_t link_type, const Frame *f);

#endif /* PACKET_FRAMES_H */
