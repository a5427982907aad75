/* pcap-records.h — the records of a pcap file read straight from its
 * descriptor, frame bytes handed to the loader without passing through
 * libpcap's buffer: the same frames libpcap 1.10 gives (its sf-pcap.c
 * pcap_next_packet, reproduced rule by rule), at a fraction of the cost.
 *
 * libpcap still opens the file and checks its header; what it found there
 * is a PcapFile. Files whose records libpcap rewrites after reading them
 * (pseudo-headers of another byte order, some USB lengths), whose frames
 * may exceed MAXIMUM_SNAPLEN, or whose record headers are not the standard
 * 16 bytes, are left to libpcap: pcap_records_refusal says why. */
#ifndef EXPERT_EXEC_PCAP_RECORDS_H
#define EXPERT_EXEC_PCAP_RECORDS_H

#include "captures/capture-loader.h"

#include <glib.h>
#include <pcap/pcap.h>

/* What libpcap's open learned from the file's header. */
typedef struct {
	guint32 magic;         /* the file's first four bytes, in this host's order */
	int dlt;               /* pcap_datalink */
	guint32 link_type;     /* LINKTYPE_* of every frame */
	guint32 snapshot;      /* pcap_snapshot: the header's snaplen, adjusted */
	gboolean swapped;      /* pcap_is_swapped */
	int version_major, version_minor;
} PcapFile;

void pcap_file_from_open(PcapFile *f, pcap_t *p, guint32 magic, guint32 link_type);

/* NULL if pcap_records_read reads this file as libpcap would; else why
 * not, for capture.c to read it with libpcap. */
const char *pcap_records_refusal(const PcapFile *f);

/* Every record from file offset 24 on, appended to l. Returns FALSE only
 * for the loader's own failures (limits, memory, the memfd); a bad record
 * or a read error ends the reading with *partial_reason set ("stopped after
 * frame N: ..."), as libpcap's error would. */
gboolean pcap_records_read(CaptureLoader *l, int fd, const PcapFile *f, char **partial_reason,
                           GError **error);

/* Up to len bytes at off, fewer only at the end of the file; -1 and errno
 * on an error. capture.c reads pcapng blocks with it too. */
gssize pcap_records_pread(int fd, guint8 *buf, gsize len, guint64 off);

/* libpcap's packet header (nanosecond precision asked) as a record. Both
 * readers of pcap files use it, so their timestamps agree to the bit. */
CaptureRecord pcap_record_of_pkthdr(const struct pcap_pkthdr *hdr, guint32 link_type);

#endif /* EXPERT_EXEC_PCAP_RECORDS_H */
