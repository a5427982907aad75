/* format.c — numbers and addresses as text (see format.h). */
#include "format.h"

#include <stdbool.h>
#include <string.h>

static const char hex_digits[] = "0123456789abcdef";

const char *format_u64(uint64_t v, char buf[FORMAT_U64_MAX])
{
	char *p = buf + FORMAT_U64_MAX - 1;
	*p = '\0';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return p;
}

void format_append(char *buf, size_t cap, size_t *len, const char *s)
{
	if (cap == 0 || *len >= cap)
		return;
	size_t n = strlen(s);
	if (n > cap - 1 - *len)
		n = cap - 1 - *len;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

char *format_mac(const uint8_t mac[6], char buf[FORMAT_MAC_MAX])
{
	char *p = buf;
	for (int i = 0; i < 6; i++) {
		if (i > 0)
			*p++ = ':';
		*p++ = hex_digits[mac[i] >> 4];
		*p++ = hex_digits[mac[i] & 0x0f];
	}
	*p = '\0';
	return buf;
}

/* Writes one decimal octet at p; returns the end. */
static char *put_octet(char *p, uint8_t v)
{
	if (v >= 100)
		*p++ = (char)('0' + v / 100);
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

static char *put_ipv4(char *p, const uint8_t addr[4])
{
	for (int i = 0; i < 4; i++) {
		if (i > 0)
			*p++ = '.';
		p = put_octet(p, addr[i]);
	}
	*p = '\0';
	return p;
}

char *format_ipv4(const uint8_t addr[4], char buf[FORMAT_IPV4_MAX])
{
	put_ipv4(buf, addr);
	return buf;
}

/* One group in hex without leading zeros. */
static char *put_group(char *p, uint16_t w)
{
	bool started = false;
	for (int shift = 12; shift >= 0; shift -= 4) {
		unsigned d = (w >> shift) & 0x0f;
		if (d != 0 || started || shift == 0) {
			*p++ = hex_digits[d];
			started = true;
		}
	}
	return p;
}

/* The algorithm of BSD's and glibc's inet_ntop6, which tshark's address
 * strings follow. */
char *format_ipv6(const uint8_t addr[16], char buf[FORMAT_IPV6_MAX])
{
	uint16_t words[8];
	for (int i = 0; i < 8; i++)
		words[i] = (uint16_t)(addr[2 * i] << 8 | addr[2 * i + 1]);

	/* The longest run of zero groups; the first wins a tie. */
	int best_base = -1, best_len = 0, cur_base = -1, cur_len = 0;
	for (int i = 0; i < 8; i++) {
		if (words[i] == 0) {
			if (cur_base < 0)
				cur_base = i, cur_len = 0;
			cur_len++;
			if (cur_len > best_len)
				best_base = cur_base, best_len = cur_len;
		} else {
			cur_base = -1;
		}
	}
	if (best_len < 2)
		best_base = -1; /* a single zero group is written out */

	char *p = buf;
	for (int i = 0; i < 8; i++) {
		if (best_base >= 0 && i >= best_base && i < best_base + best_len) {
			if (i == best_base)
				*p++ = ':';
			continue;
		}
		if (i > 0)
			*p++ = ':';
		/* An IPv4-compatible (::a.b.c.d) or -mapped (::ffff:a.b.c.d) address. */
		if (i == 6 && best_base == 0 &&
		    (best_len == 6 || (best_len == 5 && words[5] == 0xffff))) {
			p = put_ipv4(p, addr + 12);
			return buf;
		}
		p = put_group(p, words[i]);
	}
	if (best_base >= 0 && best_base + best_len == 8)
		*p++ = ':';
	*p = '\0';
	return buf;
}

char *format_ip(unsigned version, const uint8_t *addr, char buf[FORMAT_ADDRESS_MAX])
{
	return version == 4 ? format_ipv4(addr, buf) : format_ipv6(addr, buf);
}
