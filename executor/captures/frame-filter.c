/* frame-filter.c — see frame-filter.h. */
#include "captures/frame-filter.h"

#include <gio/gio.h>
#include <pcap/pcap.h>

/* pcap_open_dead takes a DLT_ value and captures record LINKTYPE_ values;
 * they differ only for a few link types, of which raw IP is the common one. */
static int linktype_to_dlt(guint32 link_type)
{
	return link_type == 101 ? DLT_RAW : (int)link_type;
}

GBytes *frame_filter_compile(const char *expression, guint32 link_type, GError **error)
{
	pcap_t *dead = pcap_open_dead(linktype_to_dlt(link_type), 262144);
	if (!dead) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "libpcap cannot compile filters");
		return NULL;
	}
	struct bpf_program program;
	if (pcap_compile(dead, &program, expression, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
		            "filter \"%s\": %s", expression, pcap_geterr(dead));
		pcap_close(dead);
		return NULL;
	}
	GBytes *bytes = g_bytes_new(program.bf_insns, program.bf_len * sizeof(struct bpf_insn));
	pcap_freecode(&program);
	pcap_close(dead);
	return bytes;
}
