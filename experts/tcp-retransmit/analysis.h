/* analysis.h — tshark's TCP sequence analysis, for retransmissions.
 *
 * Pure code: no libexpert calls, no allocation. One TcpConversation holds
 * what Wireshark 4.0's packet-tcp.c keeps per conversation and direction
 * (next expected sequence number, last ACK and window, duplicate-ACK count,
 * ...), and tcp_conversation_segment() runs the checks of its
 * tcp_analyze_sequence_number() on one segment, in the same order, with the
 * same quirks (0 means "not seen yet" for sequence numbers, unsigned time
 * differences, a keep-alive is one byte before the next expected sequence
 * number), so that the frames it calls retransmissions are the frames tshark
 * flags tcp.analysis.retransmission, fast_retransmission or
 * spurious_retransmission:
 *
 *  - spurious: it carries data and all of it was already acknowledged by the
 *    other side;
 *  - fast: it does not advance the sequence, the other side sent two or more
 *    duplicate ACKs asking for exactly this sequence number, the last less
 *    than 20 ms ago;
 *  - otherwise, if it does not advance the sequence, either out of order
 *    (not counted: it arrived within the connection's first RTT, or 3 ms if
 *    unknown, of the highest segment so far and does not end where that one
 *    did) or a retransmission.
 *
 * Segments that are not data, SYN or FIN are never retransmissions;
 * keep-alives and zero-window probes are not either.
 *
 * Not modelled, because it never decides a retransmission: window-full,
 * window-update, lost-segment and bytes-in-flight reporting, MPTCP, and the
 * cap of 10000 unacknowledged segments per direction after which tshark
 * stops counting a FIN's sequence number (a FIN after 10000 segments with no
 * ACK seen; we always count it).
 */
#ifndef TCP_RETRANSMIT_ANALYSIS_H
#define TCP_RETRANSMIT_ANALYSIS_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
	TCP_NOT_RETRANSMITTED = 0,
	TCP_RETRANSMISSION,
	TCP_FAST_RETRANSMISSION,
	TCP_SPURIOUS_RETRANSMISSION,
} TcpVerdict;

/* One segment as the analysis needs it. */
typedef struct {
	uint32_t seq;
	uint32_t ack;
	uint32_t len;     /* tcp.len: payload bytes by the IP lengths */
	uint16_t flags;   /* PACKET_TCP_* (FIN 0x01, SYN 0x02, RST 0x04, ACK 0x10) */
	uint16_t window;  /* as written, unscaled (what tshark compares) */
	int64_t ts_ns;    /* capture time, ns since the epoch */
} TcpSegment;

/* One direction of a conversation. */
typedef struct {
	bool base_seq_set;
	uint32_t base_seq;        /* for relative sequence numbers */
	uint32_t nextseq;         /* highest seq + len seen; 0: none yet */
	int64_t nextseq_ts;       /* when nextseq last moved */
	uint32_t maxseqtobeacked; /* highest contiguous nextseq */
	uint32_t lastack;         /* ack of the last segment; 0: none yet */
	int64_t lastack_ts;
	uint32_t window;          /* of the last segment; UINT32_MAX before any */
	int32_t dupacknum;        /* duplicate ACKs in a row; -1 after an ACK of unseen data */
	uint16_t last_flags;      /* what the last segment was (keep-alive, window probe) */
} TcpFlow;

typedef struct {
	TcpFlow flow[2];          /* by sender: the caller's 0 and 1 */
	int64_t last_syn_ts;      /* the latest SYN (not SYN/ACK); 0: none */
	int64_t first_rtt_ns;     /* SYN to first ACK; 0: not known yet */
} TcpConversation;

void tcp_conversation_init(TcpConversation *c);

/* Whether seg, from sender, starts a new conversation on the same ports:
 * a SYN (not SYN/ACK) whose initial sequence number differs from the one
 * this direction started with. The caller then starts a fresh
 * TcpConversation (tshark: "TCP Port numbers reused"). */
bool tcp_conversation_is_reused(const TcpConversation *c, unsigned sender,
                                const TcpSegment *seg);

/* Accounts for one segment from sender (0 or 1). measurable: tshark knew
 * its length (it is not a short segment); if false, only the connection's
 * timing and SYN bookkeeping change and the answer is
 * TCP_NOT_RETRANSMITTED. *relative_seq receives seq relative to the
 * direction's initial sequence number, as tshark prints tcp.seq. */
TcpVerdict tcp_conversation_segment(TcpConversation *c, unsigned sender, const TcpSegment *seg,
                                    bool measurable, uint32_t *relative_seq);

#endif /* TCP_RETRANSMIT_ANALYSIS_H */
