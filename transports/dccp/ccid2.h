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
 * sequence number received; older ones fall off (and are reported as not
 * received only if still inside a vector sent before).  An encoded option
 * holds at most 253 cells of up to 64 packets each.
 */
#define DCCP_ACKVEC_MAX		4096	/* packets of history kept */
#define DCCP_ACKVEC_SENT_MAX	64	/* vectors remembered for ack-of-ack */

struct dccp_ackvec {
	/* bit/state per sequence number, a ring over [tail, head] */
	uint8_t		 state[DCCP_ACKVEC_MAX];	/* enum dccp_ackvec_state */
	uint64_t	 head;		/* greatest seq recorded */
	uint64_t	 tail;		/* oldest seq still described */
	bool		 empty;
	/* the vectors we sent: in our packet `seq`, covering down to `tail` */
	struct {
		uint64_t seq, head, tail;
	}		 sent[DCCP_ACKVEC_SENT_MAX];
	size_t		 nsent;
};

void dccp_ackvec_init(struct dccp_ackvec *av);

/*
 * Record that packet seq arrived (state DCCP_ACKVEC_RECEIVED, or
 * ECN_MARKED).  A seq more than DCCP_ACKVEC_MAX below head is ignored;
 * one above head moves head, the packets between marked not received.
 * Returns 1 when seq was already recorded as received (a duplicate), 0
 * otherwise.
 */
int dccp_ackvec_record(struct dccp_ackvec *av, uint64_t seq,
		       enum dccp_ackvec_state st);

/*
 * Write an Ack Vector option (type 38, nonce 0) describing head down to
 * tail, at most 253 cells (the oldest part is left out when it does not
 * fit), into buf[0..cap).  *ackno is set to head: the packet carrying
 * the option must acknowledge exactly that number.  Returns the option's
 * length, 0 when nothing has been recorded, or -ENOSPC.
 */
int dccp_ackvec_encode(const struct dccp_ackvec *av, uint8_t *buf,
		       size_t cap, uint64_t *ackno);

/* The option just encoded went out in our packet seq. */
void dccp_ackvec_sent(struct dccp_ackvec *av, uint64_t seq);

/*
 * The peer acknowledged our packet ackno (the Acknowledgement Number of
 * any packet it sent, 11.4.2): when that packet carried a vector, the
 * history it described is known to have arrived and is dropped.
 */
void dccp_ackvec_on_ack(struct dccp_ackvec *av, uint64_t ackno);

/*
 * Walk an Ack Vector option's cells (as received: o->val, o->len) against
 * its packet's acknowledgement number ackno, calling fn for each run of
 * sequence numbers [lo, hi] in state st, from ackno downward.  Returns
 * DCCP_OK or DCCP_ERR_ACKVEC_STATE (a cell in the reserved state 2:
 * the walk stops there).
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
	/* RTT estimate (RFC 2988 over packet send times) */
	uint64_t	 srtt, rttvar, rto;	/* microseconds; srtt 0: none yet */
	uint64_t	 rto_at;		/* deadline, 0: not armed */
	/* sent packets, ring by seq over [hist_lo, hist_hi] */
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

/* Whether one more data packet may go now (pipe < cwnd). */
bool ccid2_tx_can_send(struct ccid2_tx *tx);

/*
 * Our packet seq went out at now; data says it carried application data
 * (only those count in the pipe, 4341 5).  Every packet is recorded, so
 * a later Ack Vector can be read against it.  Sequence numbers must grow.
 */
void ccid2_tx_sent(struct ccid2_tx *tx, uint64_t seq, bool data,
		   uint64_t now);

/*
 * An acknowledgement arrived: its Acknowledgement Number ackno and the
 * cells of its Ack Vector (NULL, 0 for none: then only ackno counts as
 * received).  Marks packets acked and lost, grows or halves the window,
 * updates the RTT from the newest packet acked.  Returns the number of
 * data packets that left the pipe (acked or lost), so the caller knows
 * whether it may send again; or -EINVAL for a vector with a reserved cell.
 */
int ccid2_tx_on_ack(struct ccid2_tx *tx, uint64_t ackno,
		    const uint8_t *cells, size_t ncells, uint64_t now);

/* Microseconds until ccid2_tx_on_timeout() should run, -1 for never. */
int64_t ccid2_tx_next_timeout(const struct ccid2_tx *tx, uint64_t now);

/*
 * The RTO fired (the caller checked the time): ssthresh to half the
 * window, window to 1, pipe emptied (everything outstanding counted as
 * lost), RTO doubled up to CCID2_RTO_MAX_US.
 */
void ccid2_tx_on_timeout(struct ccid2_tx *tx, uint64_t now);

#endif
