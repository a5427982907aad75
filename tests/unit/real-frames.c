/* real-frames.c — the bundled captures' frames, as they are and mutated
 * (see real-frames.h). */
#include "real-frames.h"

#include "oracle.h"

pcap_t *real_frames_open(const char *file)
{
	g_autofree char *path = g_build_filename(oracle_data_dir(), file, NULL);
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, errbuf);
	if (p == NULL)
		g_error("cannot open %s: %s", path, errbuf);
	return p;
}

GBytes *real_frames_load(const char *file, guint number, uint32_t *link_type)
{
	pcap_t *p = real_frames_open(file);
	struct pcap_pkthdr *h;
	const u_char *data;
	GBytes *frame = NULL;
	for (guint n = 1; frame == NULL && pcap_next_ex(p, &h, &data) == 1; n++)
		if (n == number)
			frame = g_bytes_new(data, h->caplen);
	*link_type = (uint32_t)pcap_datalink(p);
	pcap_close(p);
	g_assert_nonnull(frame);
	return frame;
}

void real_frames_mutate(guint32 seed, RealFramesMutantFunc f, gpointer ctx)
{
	static const char *const files[] = {
		"wikipedia.pcap", "dns-edns-ecs.pcap", "vlan-collisions.pcap",
		"tls_irc-starttls.pcap", "ftp_ipv6.pcap", "smtp.pcap", "linux_dlt_sll2.pcap",
		"tunnels_gre-pptp.pcap", "tunnels_gtp_gtp6_gtp_0x32.pcap", "tunnels_vxlan.pcap",
	};
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		pcap_t *p = real_frames_open(files[i]);
		uint32_t link_type = (uint32_t)pcap_datalink(p);
		struct pcap_pkthdr *h;
		const u_char *data;
		while (pcap_next_ex(p, &h, &data) == 1) {
			for (guint round = 0; round < 16; round++) {
				g_autofree uint8_t *copy = g_memdup2(data, h->caplen);
				/* Headers are where the lengths are. */
				guint span = MIN(h->caplen, 96u);
				for (int m = g_rand_int_range(rand, 1, 5); span > 0 && m > 0; m--)
					copy[g_rand_int_range(rand, 0, (gint32)span)] =
						(uint8_t)g_rand_int_range(rand, 0, 256);
				size_t cut = (size_t)g_rand_int_range(rand, 0, (gint32)h->caplen + 1);
				f(ctx, rand, link_type, round, copy, cut);
			}
		}
		pcap_close(p);
	}
}
