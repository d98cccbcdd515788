/*
 * CCID 2, TCP-like congestion control (RFC 4341), and the Ack Vector
 * (RFC 4340 section 11.4) it runs on.  Part of the userspace DCCP of the
 * dccp transport: codec.h reads and writes the bytes, conn.h runs the
 * connection and calls into this file for both half-connections:
 *
 *  - struct dccp_ackvec is the HC-Receiver's side: the record of which
 *    packets arrived, written out as Ack Vector options on the
 *    acknowledgements we send, and pruned when the peer acknowledges one
 *    of those acknowledgements (ack-of-ack, 11.4.2 and RFC 4341 6.1.4).
 *  - struct ccid2_tx is the HC-Sender's side: the congestion window in
 *    packets, the pipe, slow start and congestion avoidance, loss from
 *    Ack Vectors (three later packets received, as TCP's dupacks), the
 *    retransmission timeout, and the Ack Ratio it wants (6.1.2).
 *
 * Pure state over caller-given time: no allocation after init, no I/O.
 * Time is in microseconds of a monotonic clock; sequence numbers are the
 * 48-bit numbers of codec.h (compare with dccp_seq_*).
 */
#ifndef DTLSGW_DCCP_CCID2_H
#define DTLSGW_DCCP_CCID2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec.h"

/*
 * ---- Ack Vector, receiver side ----
 *
 * The history covers up to DCCP_ACKVEC_MAX packets back from the greatest
 * sequence number received; older ones fall off and are described no
 * more.  What a vector describes is [tail, head]: tail moves up when the
 * history falls off and when the peer acknowledges a packet of ours that
 * carried a vector (ack-of-ack), but never past head, so that every
 * acknowledgement still carries at least the cell of its own number.  An
 * encoded option holds at most DCCP_ACKVEC_CELLS_MAX cells of up to 64
 * packets each.
 */
#define DCCP_ACKVEC_MAX		4096	/* packets of history kept; 2^k */
#define DCCP_ACKVEC_SENT_MAX	64	/* vectors remembered for ack-of-ack */
#define DCCP_ACKVEC_CELLS_MAX	253	/* cells in one option (255 - 2) */
#define DCCP_ACKVEC_RUN_MAX	64	/* packets in one cell */

struct dccp_ackvec {
	/*
	 * state per sequence number, a ring indexed by seq modulo
	 * DCCP_ACKVEC_MAX: it holds the state of every seq in
	 * (head - DCCP_ACKVEC_MAX, head], the part below tail included
	 */
	uint8_t		 state[DCCP_ACKVEC_MAX];	/* enum dccp_ackvec_state */
	uint64_t	 head;		/* greatest seq recorded */
	uint64_t	 tail;		/* oldest seq still described */
	bool		 empty;		/* nothing recorded yet */
	/*
	 * the vectors we sent, oldest first: in our packet `seq`,
	 * describing `head` down to `tail`
	 */
	struct {
		uint64_t seq, head, tail;
	}		 sent[DCCP_ACKVEC_SENT_MAX];
	size_t		 nsent;
};

void dccp_ackvec_init(struct dccp_ackvec *av);

/*
 * Record that packet seq arrived (state DCCP_ACKVEC_RECEIVED, or
 * ECN_MARKED).  A seq DCCP_ACKVEC_MAX or more below head is ignored;
 * one above head moves head, the packets between marked not received.
 * One below tail but still in the ring is remembered (for duplicates)
 * but not described again: the peer already has a vector that called
 * it not received, and tail does not move back.  Returns 1 when seq was
 * already recorded as received or ECN marked (a duplicate: its state is
 * kept), 0 otherwise.  st other than RECEIVED and ECN_MARKED counts as
 * RECEIVED.
 */
int dccp_ackvec_record(struct dccp_ackvec *av, uint64_t seq,
		       enum dccp_ackvec_state st);

/*
 * Write an Ack Vector option (type 38, nonce 0) describing head down to
 * tail, at most 253 cells (the oldest part is left out when it does not
 * fit), into buf[0..cap).  *ackno is set to head: the packet carrying
 * the option must acknowledge exactly that number.  Returns the option's
 * length (2 + cells, not padded), 0 when nothing has been recorded, or
 * -ENOSPC (buf untouched).
 */
int dccp_ackvec_encode(const struct dccp_ackvec *av, uint8_t *buf,
		       size_t cap, uint64_t *ackno);

/*
 * The option just encoded (nothing recorded in between) went out in our
 * packet seq.  The oldest of DCCP_ACKVEC_SENT_MAX remembered is dropped.
 */
void dccp_ackvec_sent(struct dccp_ackvec *av, uint64_t seq);

/*
 * The peer acknowledged our packet ackno (the Acknowledgement Number of
 * any packet it sent, 11.4.2): when that packet carried a vector, the
 * history it described is known to have arrived and is dropped (tail
 * goes past that vector's head, but not past our head), together with
 * the record of that vector and of the ones sent before it.  An ackno
 * that carried no vector changes nothing.
 */
void dccp_ackvec_on_ack(struct dccp_ackvec *av, uint64_t ackno);

/*
 * Walk an Ack Vector option's cells (as received: o->val, o->len) against
 * its packet's acknowledgement number ackno, calling fn for each cell's
 * run of sequence numbers [lo, hi] (1 to 64 of them, lo = hi - run, mod
 * 2^48) in state st, from ackno downward.  Returns DCCP_OK or
 * DCCP_ERR_ACKVEC_STATE (a cell in the reserved state 2: the walk stops
 * there, fn having seen the cells before it).
 */
typedef void (*dccp_ackvec_fn)(void *arg, uint64_t lo, uint64_t hi,
			       enum dccp_ackvec_state st);
enum dccp_error dccp_ackvec_walk(const uint8_t *cells, size_t ncells,
				 uint64_t ackno, dccp_ackvec_fn fn, void *arg);

/*
 * ---- CCID 2, sender side ----
 */
#define CCID2_HIST_MAX		1024	/* packets in flight remembered */
#define CCID2_NUMDUPACK		3	/* later packets that prove a loss */
#define CCID2_RTO_MIN_US	200000	/* Linux's floor; RFC 2988 says 1 s */
#define CCID2_RTO_MAX_US	60000000
#define CCID2_RTO_INIT_US	1000000
/*
 * The window stops growing here, so that the packets in flight, with the
 * acknowledgements we send in between, stay inside the history.
 */
#define CCID2_CWND_MAX		(CCID2_HIST_MAX / 2)

struct ccid2_stats {
	uint64_t	 acked;		/* data packets acknowledged */
	uint64_t	 lost;		/* data packets declared lost */
	uint64_t	 halvings;	/* window reductions on loss (once per RTT) */
	uint64_t	 timeouts;	/* RTO expirations (window to 1) */
	uint64_t	 blocked;	/* ccid2_tx_can_send() said no */
	uint32_t	 max_cwnd;
};

struct ccid2_tx {
	uint32_t	 cwnd;		/* packets */
	uint32_t	 ssthresh;	/* packets */
	uint32_t	 pipe;		/* data packets sent, not acked, not lost */
	uint32_t	 cwnd_acc;	/* congestion avoidance: acks toward +1 */
	uint32_t	 ack_ratio;	/* the Ack Ratio it wants (6.1.2) */
	uint64_t	 high_ack;	/* greatest seq seen acked */
	uint64_t	 recover;	/* no new halving for losses at or below */
	bool		 have_recover;
	bool		 sent_any;	/* hist_lo is meaningful */
	/* Ack Ratio (6.1.2): data acked since it last changed or acks were
	 * lost, and no new doubling for lost acks until high_ack passes
	 * ar_recover */
	uint64_t	 ar_acked;
	uint64_t	 ar_recover;
	bool		 have_ar_recover;
	/* RTT estimate (RFC 2988 over packet send times) */
	uint64_t	 srtt, rttvar, rto;	/* microseconds; srtt 0: none yet */
	uint64_t	 rto_at;		/* deadline, 0: not armed */
	/*
	 * sent packets, a ring indexed by seq modulo CCID2_HIST_MAX over
	 * [hist_lo, hist_lo + nhist): after each ack, hist_lo is the oldest
	 * packet still in the pipe (older ones are forgotten); hist_lo +
	 * nhist is the next seq
	 */
	struct ccid2_seq {
		uint64_t seq;
		uint64_t sent_at;
		bool	 data;		/* counted in pipe */
		bool	 acked;
		bool	 lost;
		uint8_t	 later;		/* later packets acked (up to NUMDUPACK) */
	}		 hist[CCID2_HIST_MAX];
	uint64_t	 hist_lo;
	size_t		 nhist;
	struct ccid2_stats stats;
};

/*
 * Initial window from RFC 4341 5: min(4, max(2, 4380 / mps)) packets for
 * an mps in bytes; ssthresh effectively infinite.
 */
void ccid2_tx_init(struct ccid2_tx *tx, size_t mps, uint64_t now);

/* Whether one more data packet may go now (pipe < cwnd); counts a no. */
bool ccid2_tx_can_send(struct ccid2_tx *tx);

/*
 * Our packet seq went out at now; data says it carried application data
 * (only those count in the pipe, 4341 5).  Every packet is recorded, so
 * a later Ack Vector can be read against it.  Sequence numbers must grow:
 * a seq at or below the last one is ignored, one that skips numbers
 * records them as packets without data.  A packet still in the pipe
 * when CCID2_HIST_MAX newer ones have gone counts as lost (no halving).
 */
void ccid2_tx_sent(struct ccid2_tx *tx, uint64_t seq, bool data,
		   uint64_t now);

/*
 * An acknowledgement arrived: its Acknowledgement Number ackno and the
 * cells of its Ack Vector (NULL, 0 for none: then only ackno counts as
 * received).  Marks packets acked and lost, grows or halves the window,
 * updates the RTT from the newest data packet acked.  Returns the number
 * of data packets that left the pipe (acked or lost), so the caller knows
 * whether it may send again; or -EINVAL for a vector with a reserved cell
 * (nothing changed then).  An ackno after the last packet we sent is
 * ignored (0), and so is whatever a vector says outside the history.
 *
 * Window growth counts data packets acked: slow start +1 each, congestion
 * avoidance +1 per cwnd of them, never beyond CCID2_CWND_MAX.  ECN marked
 * packets left the pipe but count as a congestion signal, as losses do.
 * A loss or mark halves the window (ssthresh = max(cwnd / 2, 2), cwnd =
 * max(cwnd / 2, 1)) unless it is at or below recover, the last packet
 * sent at the previous halving; packets acked up to recover do not grow
 * the window (NewReno's recovery).
 */
int ccid2_tx_on_ack(struct ccid2_tx *tx, uint64_t ackno,
		    const uint8_t *cells, size_t ncells, uint64_t now);

/* Microseconds until ccid2_tx_on_timeout() should run, -1 for never. */
int64_t ccid2_tx_next_timeout(const struct ccid2_tx *tx, uint64_t now);

/*
 * The RTO fired (the caller checked the time): ssthresh to half the
 * window, window to 1, pipe emptied (everything outstanding counted as
 * lost), RTO doubled up to CCID2_RTO_MAX_US.  The timer stays off until
 * the next data packet goes.  Nothing happens when it was not armed.
 */
void ccid2_tx_on_timeout(struct ccid2_tx *tx, uint64_t now);

/*
 * The caller found acknowledgements from the peer lost or ECN marked
 * (6.1.1: a gap in the sequence numbers of the peer's packets that
 * carried no data, or a mark on one of them).  Doubles the Ack Ratio, at
 * most once per window of data (6.1.2), within its bounds.
 *
 * The Ack Ratio, tx->ack_ratio, starts at 2 (RFC 4340's default) and
 * always stays in [1, ceil(cwnd / 2)].  6.1.2 also allows 2 whatever the
 * window; not used, since with a window of 1 that leaves the receiver
 * waiting for a second packet that cannot come (Linux ignores it too).
 * It drops by 1 after cwnd / (R^2 - R) windows of data without a lost
 * acknowledgement, that is cwnd^2 / (R^2 - R) data packets acked.
 */
void ccid2_tx_ack_lost(struct ccid2_tx *tx);

#endif
