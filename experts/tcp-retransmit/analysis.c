/* analysis.c — tshark's TCP sequence analysis (see analysis.h).
 *
 * The order of the checks, and which of them end the forward checks early,
 * follow tcp_analyze_sequence_number() in Wireshark 4.0: a rule that seems
 * redundant here usually decides a corner case there (a keep-alive is not a
 * retransmission; a zero-window probe does not move nextseq; a duplicate ACK
 * run is what makes the next resend "fast").
 */
#include "analysis.h"

#include <string.h>

enum {
	TH_FIN = 0x01,
	TH_SYN = 0x02,
	TH_RST = 0x04,
	TH_ACK = 0x10,
};

/* What a segment was found to be; a direction remembers its last one. */
enum {
	A_KEEP_ALIVE = 1u << 0,
	A_ZERO_WINDOW_PROBE = 1u << 1,
	A_DUPLICATE_ACK = 1u << 2,
	A_OUT_OF_ORDER = 1u << 3,
	A_RETRANSMISSION = 1u << 4,
	A_FAST_RETRANSMISSION = 1u << 5,
	A_SPURIOUS_RETRANSMISSION = 1u << 6,
};

/* Sequence-space comparisons, modulo 2^32. */
static bool gt_seq(uint32_t a, uint32_t b) { return (int32_t)(b - a) < 0; }
static bool lt_seq(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static bool le_seq(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }

/* tshark subtracts times as unsigned 64-bit nanoseconds: a time earlier than
 * the reference is a huge delay, never a short one. */
static uint64_t since(int64_t now, int64_t then)
{
	return (uint64_t)now - (uint64_t)then;
}

#define FAST_RETRANSMISSION_WINDOW_NS 20000000u /* 20 ms after the last dup ACK */
#define OUT_OF_ORDER_DEFAULT_NS 3000000u        /* 3 ms while the RTT is unknown */

void tcp_conversation_init(TcpConversation *c)
{
	memset(c, 0, sizeof *c);
	c->flow[0].window = UINT32_MAX;
	c->flow[1].window = UINT32_MAX;
}

bool tcp_conversation_is_reused(const TcpConversation *c, unsigned sender,
                                const TcpSegment *seg)
{
	const TcpFlow *fwd = &c->flow[sender & 1];
	return (seg->flags & (TH_SYN | TH_ACK)) == TH_SYN && fwd->base_seq_set &&
	       seg->seq != fwd->base_seq;
}

/* The forward checks: what this segment is, as far as its own direction and
 * the other's last ACK and window tell. */
static unsigned classify_forward(TcpFlow *fwd, const TcpFlow *rev, const TcpSegment *s)
{
	unsigned a = 0;
	bool control = (s->flags & (TH_SYN | TH_FIN | TH_RST)) != 0;

	/* Zero-window probe: one byte, exactly at nextseq, into a closed window. */
	if (s->len == 1 && s->seq == fwd->nextseq && rev->window == 0)
		return A_ZERO_WINDOW_PROBE;

	/* Keep-alive: 0 or 1 byte starting one byte before nextseq. */
	if (s->len <= 1 && s->seq == fwd->nextseq - 1 && !control)
		a |= A_KEEP_ALIVE;

	bool same_ack = s->len == 0 && s->seq == fwd->nextseq && s->ack == fwd->lastack && !control;
	/* The ACK of a keep-alive or of a window probe repeats the last ACK
	 * without being a duplicate ACK. */
	if (same_ack && s->window != 0 && s->window == fwd->window &&
	    (rev->last_flags & A_KEEP_ALIVE))
		return a;
	if (same_ack && s->window == 0 && s->window == fwd->window &&
	    (rev->last_flags & A_ZERO_WINDOW_PROBE))
		return a;

	if (same_ack && s->window != 0 && s->window == fwd->window) {
		if (fwd->dupacknum < INT32_MAX)
			fwd->dupacknum = fwd->dupacknum == -1 ? 1 : fwd->dupacknum + 1;
		a |= A_DUPLICATE_ACK;
	}
	return a;
}

/* Data, SYN or FIN that does not advance the sequence: which kind of
 * resend, or out of order. */
static unsigned classify_resend(const TcpConversation *c, const TcpFlow *fwd, const TcpFlow *rev,
                                const TcpSegment *s, unsigned a)
{
	bool seq_not_advanced = fwd->nextseq != 0 && lt_seq(s->seq, fwd->nextseq);
	if (a & A_KEEP_ALIVE)
		return a;
	/* More than one byte starting one before nextseq: new data after a
	 * window probe, not a resend (only "spurious" may still apply). */
	if (s->len > 1 && fwd->nextseq - 1 == s->seq)
		seq_not_advanced = false;

	if (s->len > 0 && rev->lastack != 0 && le_seq(s->seq + s->len, rev->lastack))
		return a | A_SPURIOUS_RETRANSMISSION;

	/* Fast retransmission takes precedence over out-of-order (tshark's
	 * default, tcp.fastrt_supersedes_ooo). */
	if (seq_not_advanced && rev->dupacknum >= 2 && rev->lastack == s->seq &&
	    since(s->ts_ns, rev->lastack_ts) < FAST_RETRANSMISSION_WINDOW_NS)
		return a | A_FAST_RETRANSMISSION;

	uint64_t ooo_threshold = c->first_rtt_ns == 0 ? OUT_OF_ORDER_DEFAULT_NS
	                                              : (uint64_t)c->first_rtt_ns;
	uint32_t end = s->seq + s->len + ((s->flags & (TH_SYN | TH_FIN)) ? 1 : 0);
	if (seq_not_advanced && since(s->ts_ns, fwd->nextseq_ts) < ooo_threshold &&
	    fwd->nextseq != end)
		return a | A_OUT_OF_ORDER;

	if (seq_not_advanced)
		return a | A_RETRANSMISSION;
	return a;
}

static unsigned analyse(TcpConversation *c, TcpFlow *fwd, TcpFlow *rev, const TcpSegment *s)
{
	if (!fwd->base_seq_set) {
		/* Relative numbers start at 1 after a SYN we did not see. */
		fwd->base_seq = (s->flags & TH_SYN) ? s->seq : s->seq - 1;
		fwd->base_seq_set = true;
	}
	if (!rev->base_seq_set && (s->flags & TH_ACK)) {
		rev->base_seq = s->ack - 1;
		rev->base_seq_set = true;
	}

	unsigned a = classify_forward(fwd, rev, s);

	/* A new ACK number ends a run of duplicate ACKs. */
	if (s->ack != fwd->lastack)
		fwd->dupacknum = 0;

	/* An ACK of data never seen: stop the other side's duplicate-ACK run
	 * from making its next resend "fast" (unless already counted). */
	if (rev->maxseqtobeacked != 0 && gt_seq(s->ack, rev->maxseqtobeacked) &&
	    (s->flags & TH_ACK)) {
		if (rev->maxseqtobeacked > rev->nextseq) /* plain compare, as tshark */
			rev->maxseqtobeacked = rev->nextseq;
		else
			rev->dupacknum = -1;
	}

	if (s->len > 0 || (s->flags & (TH_SYN | TH_FIN)))
		a = classify_resend(c, fwd, rev, s, a);

	uint32_t nextseq = s->seq + s->len;
	if (s->len > 0 || (s->flags & (TH_SYN | TH_FIN))) {
		if (s->flags & (TH_SYN | TH_FIN))
			nextseq += 1; /* each occupies one sequence number */
	}
	/* A window probe's byte does not really advance the sequence. */
	if ((gt_seq(nextseq, fwd->nextseq) || fwd->nextseq == 0) && !(a & A_ZERO_WINDOW_PROBE)) {
		fwd->nextseq = nextseq;
		fwd->nextseq_ts = s->ts_ns;
	}
	if ((s->seq == fwd->maxseqtobeacked || fwd->maxseqtobeacked == 0) &&
	    !(a & A_ZERO_WINDOW_PROBE))
		fwd->maxseqtobeacked = fwd->nextseq;

	fwd->window = s->window;
	fwd->lastack = s->ack;
	fwd->lastack_ts = s->ts_ns;
	fwd->last_flags = (uint16_t)a;
	return a;
}

TcpVerdict tcp_conversation_segment(TcpConversation *c, unsigned sender, const TcpSegment *seg,
                                    bool measurable, uint32_t *relative_seq)
{
	TcpFlow *fwd = &c->flow[sender & 1], *rev = &c->flow[!(sender & 1)];
	unsigned syn_ack = seg->flags & (TH_SYN | TH_ACK);

	/* The same SYN again: resend it from where the handshake was (a RST
	 * sent with the SYN's sequence number may have moved nextseq), so that
	 * it reads as a retransmission. Another SYN was handled by the caller
	 * (tcp_conversation_is_reused). */
	if (syn_ack == TH_SYN && fwd->base_seq_set && seg->seq == fwd->base_seq)
		fwd->nextseq = fwd->maxseqtobeacked;
	/* A SYN/ACK with another sequence number re-bases its direction. */
	if (syn_ack == (TH_SYN | TH_ACK) && fwd->base_seq_set && seg->seq != fwd->base_seq)
		fwd->base_seq = seg->seq;

	unsigned a = measurable ? analyse(c, fwd, rev, seg) : 0;
	*relative_seq = seg->seq - fwd->base_seq;

	/* The connection's first RTT, which bounds "out of order": from the
	 * latest SYN to the first segment with ACK and without SYN. */
	if (syn_ack == TH_SYN)
		c->last_syn_ts = seg->ts_ns;
	else if (syn_ack == TH_ACK && c->last_syn_ts != 0 && c->first_rtt_ns == 0)
		c->first_rtt_ns = (int64_t)since(seg->ts_ns, c->last_syn_ts);

	if (a & A_SPURIOUS_RETRANSMISSION)
		return TCP_SPURIOUS_RETRANSMISSION;
	if (a & A_FAST_RETRANSMISSION)
		return TCP_FAST_RETRANSMISSION;
	if (a & A_RETRANSMISSION)
		return TCP_RETRANSMISSION;
	return TCP_NOT_RETRANSMITTED;
}
