/* test-bpf.c — the child's BPF interpreter (libexpert/bpf-vm.c) against
 * libpcap's own: for many filter expressions, over every frame of every
 * bundled capture, both must give the same verdict. Plus the validator's
 * refusals. */
#include "bpf-vm.h"
#include "oracle.h"

#include <glib.h>
#include <pcap/pcap.h>

static const char *const expressions[] = {
	"tcp", "udp", "icmp", "icmp6", "arp", "ip", "ip6", "vlan", "vlan and tcp",
	"tcp port 80", "udp port 53", "port 53 or port 5353", "tcp[tcpflags] & tcp-syn != 0",
	"ip[6:2] & 0x1fff != 0", "ip[6] & 0x20 != 0", "greater 1000", "less 64",
	"host 192.168.1.1", "net 10.0.0.0/8", "ether broadcast", "ether multicast",
	"ip6 and udp", "tcp and (port 22 or port 443)", "not tcp", "len > 100 and len < 300",
	"ip proto 47", "portrange 1-1023", "tcp[13] == 0x12", "ip[0] & 0xf > 5",
	"ip6 multicast", "udp[8:2] == 0x1234",
};

static void compare_on_capture(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *pcap = pcap_open_offline(path, errbuf);
	g_assert_nonnull(pcap);
	for (gsize e = 0; e < G_N_ELEMENTS(expressions); e++) {
		struct bpf_program program;
		if (pcap_compile(pcap, &program, expressions[e], 1, PCAP_NETMASK_UNKNOWN) < 0)
			continue; /* not valid for this link type (e.g. ether on SLL) */
		g_assert_true(bpf_vm_validate((const BpfInsn *)program.bf_insns, program.bf_len));
		pcap_t *again = pcap_open_offline(path, errbuf);
		struct pcap_pkthdr *h;
		const u_char *data;
		guint matched = 0, frames = 0;
		while (pcap_next_ex(again, &h, &data) == 1) {
			guint theirs = pcap_offline_filter(&program, h, data) != 0;
			guint ours = bpf_vm_run((const BpfInsn *)program.bf_insns, data, h->caplen, h->len) != 0;
			if (theirs != ours)
				g_error("%s, frame %u, \"%s\": libpcap %u, ours %u", path, frames + 1,
				        expressions[e], theirs, ours);
			matched += ours;
			frames++;
		}
		g_test_message("%s: \"%s\" matches %u of %u", path, expressions[e], matched, frames);
		pcap_close(again);
		pcap_freecode(&program);
	}
	pcap_close(pcap);
}

static void test_same_verdicts_as_libpcap(void)
{
	const char *dir = g_getenv("EXPERT_TEST_DATA");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) rows = oracle_load_summary(dir, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(rows->len, >, 0);
	for (guint i = 0; i < rows->len; i++) {
		const OracleCapture *row = g_ptr_array_index(rows, i);
		g_autofree char *path = g_build_filename(dir, row->file, NULL);
		compare_on_capture(path);
	}
}

static void test_truncated_frames_rejected_not_overread(void)
{
	/* ld [100] on a 20-byte frame: libpcap rejects; so must we, reading
	 * nothing past the end (ASan builds check that). */
	BpfInsn prog[] = {
		{ 0x20, 0, 0, 100 },      /* ld [100] */
		{ 0x06, 0, 0, 65535 },    /* ret #65535 */
	};
	g_assert_true(bpf_vm_validate(prog, 2));
	g_autofree guint8 *frame = g_malloc0(20);
	g_assert_cmpuint(bpf_vm_run(prog, frame, 20, 1500), ==, 0);
	BpfInsn ind[] = {
		{ 0x01, 0, 0, 0xFFFFFFF0 }, /* ldx #0xfffffff0 */
		{ 0x50, 0, 0, 0x20 },       /* ldb [x + 0x20]: wraps past 2^32 */
		{ 0x06, 0, 0, 1 },
	};
	g_assert_true(bpf_vm_validate(ind, 3));
	g_assert_cmpuint(bpf_vm_run(ind, frame, 20, 20), ==, 0);
}

static void test_validator_refuses_unsafe_programs(void)
{
	BpfInsn no_ret[] = { { 0x00, 0, 0, 1 } };                        /* ld #1 */
	BpfInsn jump_out[] = { { 0x05, 0, 0, 5 }, { 0x06, 0, 0, 0 } };   /* ja +5 */
	BpfInsn cond_out[] = { { 0x15, 3, 0, 0 }, { 0x06, 0, 0, 0 } };   /* jeq #0, +3 */
	BpfInsn mem_out[] = { { 0x02, 0, 0, 16 }, { 0x06, 0, 0, 0 } };   /* st M[16] */
	BpfInsn div_zero[] = { { 0x34, 0, 0, 0 }, { 0x06, 0, 0, 0 } };   /* div #0 */
	BpfInsn bad_op[] = { { 0xff, 0, 0, 0 }, { 0x06, 0, 0, 0 } };
	g_assert_false(bpf_vm_validate(no_ret, 1));
	g_assert_false(bpf_vm_validate(jump_out, 2));
	g_assert_false(bpf_vm_validate(cond_out, 2));
	g_assert_false(bpf_vm_validate(mem_out, 2));
	g_assert_false(bpf_vm_validate(div_zero, 2));
	g_assert_false(bpf_vm_validate(bad_op, 2));
	g_assert_false(bpf_vm_validate(NULL, 0));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/bpf/same-verdicts-as-libpcap", test_same_verdicts_as_libpcap);
	g_test_add_func("/bpf/truncated-frames-rejected-not-overread", test_truncated_frames_rejected_not_overread);
	g_test_add_func("/bpf/validator-refuses-unsafe-programs", test_validator_refuses_unsafe_programs);
	return g_test_run();
}
