/* frame-filter.h — compiling libpcap filter expressions ("tcp port 80")
 * for the children, who run them with libexpert/bpf.c. */
#ifndef EXPERT_EXEC_FRAME_FILTER_H
#define EXPERT_EXEC_FRAME_FILTER_H

#include <glib.h>

/* The program as struct bpf_insn bytes, for a capture of link_type
 * (LINKTYPE_*); NULL with libpcap's message on a bad expression. */
GBytes *frame_filter_compile(const char *expression, guint32 link_type, GError **error);

#endif /* EXPERT_EXEC_FRAME_FILTER_H */
