/* test-format.c — experts/common/format.c: numbers and addresses as text.
 *
 * Addresses must read exactly as tshark writes them, since the experts'
 * figures are compared with tshark's tables by address. tshark's IPv6 text
 * is inet_ntop()'s, so libc's inet_ntop is the oracle here, on hand-picked
 * corner cases and on random addresses rich in zero groups.
 */
#include "format.h"

#include <arpa/inet.h>
#include <glib.h>
#include <string.h>

static void test_u64_in_decimal(void)
{
	char buf[FORMAT_U64_MAX];
	g_assert_cmpstr(format_u64(0, buf), ==, "0");
	g_assert_cmpstr(format_u64(7, buf), ==, "7");
	g_assert_cmpstr(format_u64(1000000, buf), ==, "1000000");
	g_assert_cmpstr(format_u64(UINT64_MAX, buf), ==, "18446744073709551615");
}

static void test_append_truncates_and_terminates(void)
{
	char buf[8];
	size_t len = 0;
	buf[0] = '\0';
	format_append(buf, sizeof buf, &len, "abc");
	format_append(buf, sizeof buf, &len, "defgh");
	g_assert_cmpstr(buf, ==, "abcdefg");
	g_assert_cmpuint(len, ==, 7);
	format_append(buf, sizeof buf, &len, "x");
	g_assert_cmpstr(buf, ==, "abcdefg");
}

static void test_mac_and_ipv4(void)
{
	char mac[FORMAT_MAC_MAX], ip[FORMAT_IPV4_MAX];
	static const uint8_t m[6] = { 0x00, 0x24, 0x7e, 0xe0, 0x1d, 0xb5 };
	g_assert_cmpstr(format_mac(m, mac), ==, "00:24:7e:e0:1d:b5");
	static const uint8_t b[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	g_assert_cmpstr(format_mac(b, mac), ==, "ff:ff:ff:ff:ff:ff");
	static const uint8_t a[4] = { 141, 142, 220, 118 };
	g_assert_cmpstr(format_ipv4(a, ip), ==, "141.142.220.118");
	static const uint8_t z[4] = { 0, 10, 100, 255 };
	char any[FORMAT_ADDRESS_MAX];
	g_assert_cmpstr(format_ip(4, z, any), ==, "0.10.100.255");
}

static void assert_ipv6_as_libc(const uint8_t addr[16])
{
	char want[INET6_ADDRSTRLEN], got[FORMAT_IPV6_MAX];
	g_assert_nonnull(inet_ntop(AF_INET6, addr, want, sizeof want));
	format_ipv6(addr, got);
	g_assert_cmpstr(got, ==, want);
	g_assert_cmpstr(format_ip(6, addr, got), ==, want);
}

static void test_ipv6_as_inet_ntop(void)
{
	static const char *const cases[] = {
		"::", "::1", "1::", "fe80::217:f2ff:fed7:cf65", "ff02::1:3",
		"2001:db8:0:0:1:0:0:1",     /* equal runs: the first is compressed */
		"2001:db8:0:1:1:1:1:1",     /* a single zero group is not */
		"2001:0:0:1:0:0:0:1",       /* the longer run wins */
		"::ffff:1.2.3.4", "::1.2.3.4", "::ffff:0:1.2.3.4", "0:0:0:0:0:1:0:0",
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		"2001:470:1f11:81f:c999:d94:aa7c:2e3e",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		uint8_t addr[16];
		g_assert_cmpint(inet_pton(AF_INET6, cases[i], addr), ==, 1);
		assert_ipv6_as_libc(addr);
	}
	/* Random addresses, most groups zero, so every run shape occurs. */
	g_autoptr(GRand) rand = g_rand_new_with_seed(5952);
	for (int n = 0; n < 20000; n++) {
		uint8_t addr[16];
		for (int w = 0; w < 8; w++) {
			uint16_t v = 0;
			switch (g_rand_int_range(rand, 0, 4)) {
			case 0: v = (uint16_t)g_rand_int_range(rand, 1, 0x10000); break;
			case 1: v = 0xffff; break;
			default: break;
			}
			addr[2 * w] = (uint8_t)(v >> 8);
			addr[2 * w + 1] = (uint8_t)v;
		}
		assert_ipv6_as_libc(addr);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/format/u64-in-decimal", test_u64_in_decimal);
	g_test_add_func("/format/append-truncates-and-terminates",
	                test_append_truncates_and_terminates);
	g_test_add_func("/format/mac-and-ipv4", test_mac_and_ipv4);
	g_test_add_func("/format/ipv6-as-inet-ntop", test_ipv6_as_inet_ntop);
	return g_test_run();
}
