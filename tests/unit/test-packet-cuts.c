/* test-packet-cuts.c — the shared frame parser's truncation rule
 * (experts/common/packet.h), on every frame of every bundled capture cut at
 * every byte length, in a heap buffer of exactly that length (so ASan
 * catches any read past cap_len): a layer is there exactly when its whole
 * header is, the walk ends at the first header that is not and names it,
 * TCP is a segment from its 16th byte, and the fields of what is there are
 * those of the whole frame, lengths included (they come from the IP length
 * fields, not from cap_len). Then mutated frames, which must never make it
 * read out of bounds.
 */
#include "oracle.h"
#include "packet-frames.h"
#include "real-frames.h"

#include <glib.h>
#include <pcap/pcap.h>
#include <string.h>

static void assert_ip_equal(const PacketIp *cut, const PacketIp *full)
{
	g_assert_cmpuint(cut->version, ==, full->version);
	g_assert_cmpuint(cut->offset, ==, full->offset);
	g_assert_cmpmem(cut->src, cut->addr_len, full->src, full->addr_len);
	g_assert_cmpmem(cut->dst, cut->addr_len, full->dst, full->addr_len);
	g_assert_cmpuint(cut->length, ==, full->length);
	g_assert_cmpuint(cut->ttl, ==, full->ttl);
	g_assert_cmpuint(cut->header_len, ==, full->header_len);
	g_assert_cmpuint(cut->proto, ==, full->proto);
	g_assert_cmpuint(cut->id, ==, full->id);
	g_assert_cmpuint(cut->frag_offset, ==, full->frag_offset);
	g_assert_cmpint(cut->more_fragments, ==, full->more_fragments);
	g_assert_cmpint(cut->fragment, ==, full->fragment);
	g_assert_cmpuint(cut->fragment_proto, ==, full->fragment_proto);
	if (!full->length_guessed) /* else a length from cap_len */
		g_assert_cmpuint(cut->payload_len, ==, full->payload_len);
}

static gboolean any_length_guessed(const Packet *p)
{
	for (unsigned i = 0; i < p->n_ip; i++)
		if (p->ip[i].length_guessed)
			return TRUE;
	return FALSE;
}

/* cut is the frame parsed from its first n bytes, full from all of them:
 * the truncation rule (packet.h), checked on every header of every frame. */
static void assert_cut_consistent(const Packet *cut, const Packet *full, size_t n)
{
	/* The layers of a cut frame are the first layers of the whole one, and
	 * the walk ends at the first header not all there: the next layer of
	 * the whole frame (or, inside IPv6's extension headers or GRE's and
	 * SNAP's own, the header they belong to). */
	g_assert_cmpuint(cut->n_layers, <=, full->n_layers);
	for (unsigned i = 0; i < cut->n_layers; i++) {
		g_assert_cmpuint(cut->layer[i].proto, ==, full->layer[i].proto);
		g_assert_cmpuint(cut->layer[i].offset, ==, full->layer[i].offset);
		g_assert_cmpuint(cut->layer[i].src_port, ==, full->layer[i].src_port);
		g_assert_cmpuint(cut->layer[i].dst_port, ==, full->layer[i].dst_port);
	}
	if (cut->n_layers < full->n_layers && !any_length_guessed(full)) {
		const PacketLayer *next = &full->layer[cut->n_layers];
		g_assert_cmpuint(cut->cut, !=, PACKET_PROTO_NONE);
		g_assert_cmpuint(cut->cut_offset, <=, n);
		g_assert_cmpuint(cut->cut_captured, ==, n - cut->cut_offset);
		if (cut->cut_offset == next->offset) {
			g_assert_cmpuint(cut->cut, ==, next->proto);
		} else {
			/* The rest of the last layer's header or message is cut:
			 * SNAP's OUI and type in LLC, a GTP T-PDU's first byte. */
			g_assert_cmpuint(cut->n_layers, >, 0);
			g_assert_cmpuint(cut->cut, ==, cut->layer[cut->n_layers - 1].proto);
			g_assert_cmpuint(cut->cut_offset, ==, cut->layer[cut->n_layers - 1].offset);
		}
	}
	if (full->cut == PACKET_PROTO_NONE && cut->n_layers == full->n_layers)
		g_assert_cmpuint(cut->cut, ==, PACKET_PROTO_NONE);
	g_assert_cmpint(cut->next_unknown && cut->n_layers == full->n_layers, ==,
	                full->next_unknown && cut->n_layers == full->n_layers);

	/* link */
	if (cut->n_layers > 0 || (cut->link != PACKET_LINK_NONE && cut->link != PACKET_LINK_RAW))
		g_assert_cmpint(cut->link, ==, full->link);
	if (cut->link == PACKET_LINK_SLL || cut->link == PACKET_LINK_SLL2) {
		g_assert_cmpuint(cut->sll_pkttype, ==, full->sll_pkttype);
		g_assert_cmpmem(cut->sll_addr, 8, full->sll_addr, 8);
	}

	/* Ethernet headers (the link's and tunnels') and VLAN tags: those the
	 * walk reached whole, with the same fields. */
	g_assert_cmpuint(cut->n_eth, <=, full->n_eth);
	for (unsigned i = 0; i < full->n_eth; i++) {
		if (i < cut->n_eth) {
			g_assert_cmpuint(cut->eth[i].offset, ==, full->eth[i].offset);
			g_assert_cmpmem(cut->eth[i].src, 6, full->eth[i].src, 6);
			g_assert_cmpmem(cut->eth[i].dst, 6, full->eth[i].dst, 6);
		} else {
			g_assert_true(cut->cut != PACKET_PROTO_NONE);
		}
	}
	g_assert_cmpuint(cut->n_vlans, <=, full->n_vlans);
	for (unsigned i = 0; i < cut->n_vlans; i++) {
		g_assert_cmphex(cut->vlan[i].tpid, ==, full->vlan[i].tpid);
		g_assert_cmpuint(cut->vlan[i].id, ==, full->vlan[i].id);
		g_assert_cmpuint(cut->vlan[i].offset, ==, full->vlan[i].offset);
	}

	/* IP headers: each needs all of its header, IPv4 options and IPv6
	 * extension headers included, and every header before it. */
	unsigned ips = 0;
	for (unsigned i = 0; i < full->n_ip; i++) {
		if (n < full->ip[i].offset + full->ip[i].header_len)
			break;
		ips = i + 1;
	}
	if (!any_length_guessed(full))
		g_assert_cmpuint(cut->n_ip, ==, ips);
	g_assert_cmpuint(cut->n_ip, <=, ips);
	for (unsigned i = 0; i < cut->n_ip; i++)
		assert_ip_equal(&cut->ip[i], &full->ip[i]);
	if (cut->n_ip > 0 && cut->ethertype != 0)
		g_assert_cmphex(cut->ethertype, ==, full->ethertype);

	/* transport: TCP once its first 16 bytes are there, cut short until
	 * the whole header is; UDP once its 8 bytes are. */
	gboolean inner = full->n_ip > 0 && cut->n_ip == full->n_ip;
	if (full->transport == PACKET_TRANSPORT_TCP) {
		if (inner && n >= full->tcp.offset + 16) {
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
			g_assert_cmpint(a->header_cut, ==, b->header_cut || n < b->offset + b->header_len);
			if (a->header_cut)
				g_assert_cmpuint(cut->cut, ==, PACKET_PROTO_TCP);
			if (!full->ip[full->n_ip - 1].length_guessed) {
				g_assert_cmpint(a->short_segment, ==, b->short_segment);
				/* the point: tcp.len survives a snaplen cut */
				g_assert_cmpuint(a->payload_len, ==, b->payload_len);
				size_t there = n > a->payload_offset ? n - a->payload_offset : 0;
				g_assert_cmpuint(a->payload_captured, ==, MIN(there, b->payload_captured));
			}
		} else {
			g_assert_cmpint(cut->transport, !=, PACKET_TRANSPORT_TCP);
		}
	} else if (full->transport == PACKET_TRANSPORT_UDP) {
		if (inner && n >= full->udp.offset + 8) {
			g_assert_cmpint(cut->transport, ==, PACKET_TRANSPORT_UDP);
			g_assert_cmpuint(cut->udp.src_port, ==, full->udp.src_port);
			g_assert_cmpuint(cut->udp.dst_port, ==, full->udp.dst_port);
			g_assert_cmpuint(cut->udp.length, ==, full->udp.length);
			if (full->udp.length != 0)
				g_assert_cmpuint(cut->udp.payload_len, ==, full->udp.payload_len);
		} else if (cut->n_ip == full->n_ip) {
			g_assert_cmpint(cut->transport, !=, PACKET_TRANSPORT_UDP);
		}
	} else if (cut->n_ip == full->n_ip) {
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

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_autoptr(GPtrArray) captures = oracle_add_capture_tests(
		"/packet/every-truncation-of-real-frames/", test_every_truncation_of_real_frames);
	if (captures == NULL)
		return 77;
	g_test_add_func("/packet/mutated-frames-never-read-past-cap-len",
	                test_mutated_frames_never_read_past_cap_len);
	return g_test_run();
}
