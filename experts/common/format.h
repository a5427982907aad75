/* format.h — numbers and addresses as text, without stdio.
 *
 * Experts run where stdio may not allocate (the strict profile denies brk and
 * mmap), so event details are written by hand. Addresses are spelt as tshark
 * spells them, so that an expert's output can be compared with tshark's
 * tables character for character: MACs as lower-case colon-separated hex,
 * IPv4 dotted quad, IPv6 as inet_ntop() writes it (RFC 5952 compression of
 * the longest run of two or more zero groups, the first of equal runs;
 * "::ffff:a.b.c.d" and "::a.b.c.d" for mapped and compatible addresses).
 *
 * Pure code: no libexpert calls, no allocation.
 */
#ifndef EXPERTS_COMMON_FORMAT_H
#define EXPERTS_COMMON_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define FORMAT_U64_MAX 21  /* 18446744073709551615 and a NUL */
#define FORMAT_MAC_MAX 18  /* 00:11:22:33:44:55 */
#define FORMAT_IPV4_MAX 16 /* 255.255.255.255 */
#define FORMAT_IPV6_MAX 46 /* ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255 */
#define FORMAT_ADDRESS_MAX FORMAT_IPV6_MAX

/* Writes v in decimal into buf and returns where the digits start (not
 * necessarily buf). */
const char *format_u64(uint64_t v, char buf[FORMAT_U64_MAX]);

/* Appends s to buf (capacity cap, NUL-terminated, current length *len),
 * truncating to fit; buf stays NUL-terminated. */
void format_append(char *buf, size_t cap, size_t *len, const char *s);

/* Each writes a NUL-terminated address into buf and returns buf. */
char *format_mac(const uint8_t mac[6], char buf[FORMAT_MAC_MAX]);
char *format_ipv4(const uint8_t addr[4], char buf[FORMAT_IPV4_MAX]);
char *format_ipv6(const uint8_t addr[16], char buf[FORMAT_IPV6_MAX]);

/* IPv4 for version 4, IPv6 otherwise. */
char *format_ip(unsigned version, const uint8_t *addr, char buf[FORMAT_ADDRESS_MAX]);

#endif /* EXPERTS_COMMON_FORMAT_H */
