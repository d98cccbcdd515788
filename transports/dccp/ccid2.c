/*
 * CCID 2 (RFC 4341) and the Ack Vector (RFC 4340 11.4).  See ccid2.h.
 *
 * Both rings are indexed by sequence number modulo their size, a power
 * of two: 2^48 is a multiple of it, so the index stays continuous where
 * the sequence numbers wrap.  Whatever a peer's vector or acknowledgement
 * number says is clipped to the history first, so that nothing it sends
 * can index outside it.
 */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "ccid2.h"

static_assert((DCCP_ACKVEC_MAX & (DCCP_ACKVEC_MAX - 1)) == 0,
	      "the Ack Vector ring must be a power of two");
static_assert((CCID2_HIST_MAX & (CCID2_HIST_MAX - 1)) == 0,
	      "the CCID 2 history must be a power of two");

#define AV_IDX(seq)	((size_t)((seq) & (DCCP_ACKVEC_MAX - 1)))
#define TX_IDX(seq)	((size_t)((seq) & (CCID2_HIST_MAX - 1)))

/*
 * ---- Ack Vector, receiver side ----
 */

void dccp_ackvec_init(struct dccp_ackvec *av)
{
	memset(av, 0, sizeof(*av));
	memset(av->state, DCCP_ACKVEC_NOT_RECEIVED, sizeof(av->state));
	av->empty = true;
}

static bool received(uint8_t st)
{
	return st == DCCP_ACKVEC_RECEIVED || st == DCCP_ACKVEC_ECN_MARKED;
}

int dccp_ackvec_record(struct dccp_ackvec *av, uint64_t seq,
		       enum dccp_ackvec_state st)
{
	uint64_t gap, i;
	int64_t d;
	uint8_t *cell;

	seq &= DCCP_SEQ_MASK;
	if (st != DCCP_ACKVEC_ECN_MARKED)
		st = DCCP_ACKVEC_RECEIVED;
	if (av->empty) {
		av->empty = false;
		av->head = av->tail = seq;
		av->state[AV_IDX(seq)] = (uint8_t)st;
		return 0;
	}
	d = dccp_seq_delta(seq, av->head);
	if (d > 0) {
		/* what lies between the old head and seq did not arrive */
		gap = (uint64_t)d - 1;
		if (gap >= DCCP_ACKVEC_MAX)
			memset(av->state, DCCP_ACKVEC_NOT_RECEIVED,
			       sizeof(av->state));
		else
			for (i = 1; i <= gap; i++)
				av->state[AV_IDX(dccp_seq_add(av->head, i))] =
				    DCCP_ACKVEC_NOT_RECEIVED;
		av->head = seq;
		av->state[AV_IDX(seq)] = (uint8_t)st;
		if (dccp_seq_sub(av->head, av->tail) >= DCCP_ACKVEC_MAX)
			av->tail = dccp_seq_sub(av->head, DCCP_ACKVEC_MAX - 1);
		return 0;
	}
	if (-d >= DCCP_ACKVEC_MAX)
		return 0;
	/* in the ring: the cell is this seq's (see the header) */
	cell = &av->state[AV_IDX(seq)];
	if (received(*cell))
		return 1;
	*cell = (uint8_t)st;
	return 0;
}

/*
 * The cells describing head downward, into cells (NULL: only count), at
 * most DCCP_ACKVEC_CELLS_MAX; *lo is set to the oldest seq described.
 */
static size_t ackvec_cells(const struct dccp_ackvec *av, uint8_t *cells,
			   uint64_t *lo)
{
	uint64_t seq = av->head;
	uint64_t left = dccp_seq_sub(av->head, av->tail) + 1;
	size_t n = 0;
	unsigned int run;
	uint8_t st;

	while (left > 0 && n < DCCP_ACKVEC_CELLS_MAX) {
		st = av->state[AV_IDX(seq)];
		run = 1;
		while (run < DCCP_ACKVEC_RUN_MAX && run < left &&
		       av->state[AV_IDX(dccp_seq_sub(seq, run))] == st)
			run++;
		if (cells != NULL)
			cells[n] = dccp_ackvec_cell(st, run - 1);
		n++;
		left -= run;
		seq = dccp_seq_sub(seq, run);
	}
	*lo = dccp_seq_add(seq, 1);
	return n;
}

int dccp_ackvec_encode(const struct dccp_ackvec *av, uint8_t *buf,
		       size_t cap, uint64_t *ackno)
{
	uint8_t cells[DCCP_ACKVEC_CELLS_MAX];
	uint64_t lo;
	size_t n;

	*ackno = 0;
	if (av->empty)
		return 0;
	*ackno = av->head;
	n = ackvec_cells(av, cells, &lo);
	return dccp_opt_put_ackvec(buf, cap, 0, cells, n);
}

void dccp_ackvec_sent(struct dccp_ackvec *av, uint64_t seq)
{
	uint64_t lo;

	if (av->empty)
		return;
	ackvec_cells(av, NULL, &lo);
	if (av->nsent == DCCP_ACKVEC_SENT_MAX) {
		memmove(&av->sent[0], &av->sent[1],
			(DCCP_ACKVEC_SENT_MAX - 1) * sizeof(av->sent[0]));
		av->nsent--;
	}
	av->sent[av->nsent].seq = seq & DCCP_SEQ_MASK;
	av->sent[av->nsent].head = av->head;
	av->sent[av->nsent].tail = lo;
	av->nsent++;
}

void dccp_ackvec_on_ack(struct dccp_ackvec *av, uint64_t ackno)
{
	uint64_t tail;
	size_t i;

	ackno &= DCCP_SEQ_MASK;
	for (i = av->nsent; i > 0; i--)
		if (av->sent[i - 1].seq == ackno)
			break;
	if (i == 0)
		return;
	/*
	 * The peer has the vector that described everything up to its
	 * head: 11.4.2 lets us forget it.  Our head stays described, so
	 * that the next acknowledgement still has a cell for its number.
	 */
	tail = dccp_seq_add(av->sent[i - 1].head, 1);
	if (dccp_seq_after(tail, av->head))
		tail = av->head;
	if (dccp_seq_after(tail, av->tail))
		av->tail = tail;
	/* the vectors sent before it described no more than it did */
	memmove(&av->sent[0], &av->sent[i],
		(av->nsent - i) * sizeof(av->sent[0]));
	av->nsent -= i;
}

enum dccp_error dccp_ackvec_walk(const uint8_t *cells, size_t ncells,
				 uint64_t ackno, dccp_ackvec_fn fn, void *arg)
{
	uint64_t hi = ackno & DCCP_SEQ_MASK, lo;
	unsigned int st;
	size_t i;

	for (i = 0; i < ncells; i++) {
		st = dccp_ackvec_state(cells[i]);
		if (st == 2)
			return DCCP_ERR_ACKVEC_STATE;
		lo = dccp_seq_sub(hi, dccp_ackvec_run(cells[i]));
		fn(arg, lo, hi, (enum dccp_ackvec_state)st);
		hi = dccp_seq_sub(lo, 1);
	}
	return DCCP_OK;
}

/*
 * ---- CCID 2, sender side ----
 */

static bool in_pipe(const struct ccid2_seq *e)
{
	return e->data && !e->acked && !e->lost;
}

/* The last packet sent (valid once tx->sent_any). */
static uint64_t hist_hi(const struct ccid2_tx *tx)
{
	return dccp_seq_sub(dccp_seq_add(tx->hist_lo, tx->nhist), 1);
}

static uint32_t half_up(uint32_t n)
{
	return n / 2 + n % 2;
}

/* 6.1.2: Ack Ratio in [1, ceil(cwnd / 2)]; see ccid2_tx_ack_lost(). */
static void ack_ratio_fit(struct ccid2_tx *tx)
{
	uint32_t max = half_up(tx->cwnd);

	if (tx->ack_ratio > max)
		tx->ack_ratio = max;
	if (tx->ack_ratio < 1)
		tx->ack_ratio = 1;
}

void ccid2_tx_init(struct ccid2_tx *tx, size_t mps, uint64_t now)
{
	size_t w = mps > 0 ? 4380 / mps : 4;

	(void)now;
	memset(tx, 0, sizeof(*tx));
	/* RFC 4341 5, as RFC 3390: min(4, max(2, 4380 / mps)) */
	if (w < 2)
		w = 2;
	if (w > 4)
		w = 4;
	tx->cwnd = (uint32_t)w;
	tx->ssthresh = UINT32_MAX;
	tx->rto = CCID2_RTO_INIT_US;
	tx->ack_ratio = 2;
	ack_ratio_fit(tx);
	tx->stats.max_cwnd = tx->cwnd;
}

bool ccid2_tx_can_send(struct ccid2_tx *tx)
{
	if (tx->pipe < tx->cwnd)
		return true;
	tx->stats.blocked++;
	return false;
}

/* The oldest packet leaves the history; in the pipe, it counts as lost. */
static void hist_drop(struct ccid2_tx *tx)
{
	struct ccid2_seq *e = &tx->hist[TX_IDX(tx->hist_lo)];

	if (in_pipe(e)) {
		e->lost = true;
		tx->pipe--;
		tx->stats.lost++;
	}
	tx->hist_lo = dccp_seq_add(tx->hist_lo, 1);
	tx->nhist--;
}

/* Forget the packets below the oldest one still in the pipe. */
static void hist_prune(struct ccid2_tx *tx)
{
	while (tx->nhist > 0 && !in_pipe(&tx->hist[TX_IDX(tx->hist_lo)]))
		hist_drop(tx);
}

/* Append seq, the next number after the history. */
static struct ccid2_seq *hist_push(struct ccid2_tx *tx, uint64_t seq,
				   uint64_t now)
{
	struct ccid2_seq *e;

	if (tx->nhist == CCID2_HIST_MAX)
		hist_drop(tx);
	e = &tx->hist[TX_IDX(seq)];
	memset(e, 0, sizeof(*e));
	e->seq = seq;
	e->sent_at = now;
	tx->nhist++;
	return e;
}

void ccid2_tx_sent(struct ccid2_tx *tx, uint64_t seq, bool data,
		   uint64_t now)
{
	struct ccid2_seq *e;
	uint64_t next;
	int64_t gap;

	seq &= DCCP_SEQ_MASK;
	if (!tx->sent_any) {
		tx->sent_any = true;
		tx->hist_lo = seq;
		tx->nhist = 0;
		tx->high_ack = dccp_seq_sub(seq, 1);
	}
	next = dccp_seq_add(tx->hist_lo, tx->nhist);
	gap = dccp_seq_delta(seq, next);
	if (gap < 0)
		return;
	if (gap >= CCID2_HIST_MAX) {
		while (tx->nhist > 0)
			hist_drop(tx);
		tx->hist_lo = seq;
	} else {
		/* numbers the caller did not tell us of: no data */
		for (; gap > 0; gap--) {
			hist_push(tx, next, now);
			next = dccp_seq_add(next, 1);
		}
	}
	e = hist_push(tx, seq, now);
	e->data = data;
	if (!data)
		return;
	tx->pipe++;
	/* RFC 2988 5.1 */
	if (tx->rto_at == 0)
		tx->rto_at = now + tx->rto;
}

/* RFC 2988 2.2 and 2.3, for a sample of r microseconds. */
static void rtt_sample(struct ccid2_tx *tx, uint64_t r)
{
	uint64_t err;

	/* srtt 0 means no sample yet */
	if (r == 0)
		r = 1;
	if (tx->srtt == 0) {
		tx->srtt = r;
		tx->rttvar = r / 2;
	} else {
		err = tx->srtt > r ? tx->srtt - r : r - tx->srtt;
		tx->rttvar = (3 * tx->rttvar + err) / 4;
		tx->srtt = (7 * tx->srtt + r) / 8;
	}
	/* the clock's granularity (G) is 1 us: far below the floor */
	tx->rto = tx->srtt + 4 * tx->rttvar;
	if (tx->rto < CCID2_RTO_MIN_US)
		tx->rto = CCID2_RTO_MIN_US;
	if (tx->rto > CCID2_RTO_MAX_US)
		tx->rto = CCID2_RTO_MAX_US;
}

static void cwnd_set(struct ccid2_tx *tx, uint32_t cwnd)
{
	tx->cwnd = cwnd;
	if (tx->cwnd > tx->stats.max_cwnd)
		tx->stats.max_cwnd = tx->cwnd;
	ack_ratio_fit(tx);
}

/* n data packets acked that may grow the window. */
static void cwnd_grow(struct ccid2_tx *tx, uint32_t n)
{
	uint64_t r = tx->ack_ratio;

	for (; n > 0 && tx->cwnd < CCID2_CWND_MAX; n--) {
		if (tx->cwnd < tx->ssthresh) {
			cwnd_set(tx, tx->cwnd + 1);
		} else if (++tx->cwnd_acc >= tx->cwnd) {
			tx->cwnd_acc = 0;
			cwnd_set(tx, tx->cwnd + 1);
		}
	}
	/*
	 * 6.1.2: one less after cwnd / (R^2 - R) windows of data without a
	 * lost acknowledgement, cwnd^2 / (R^2 - R) packets.
	 */
	if (r > 1 &&
	    tx->ar_acked * (r * r - r) >= (uint64_t)tx->cwnd * tx->cwnd) {
		tx->ack_ratio--;
		tx->ar_acked = 0;
	}
}

/* A loss or an ECN mark on packet seq: whether the window was halved. */
static bool congestion(struct ccid2_tx *tx, uint64_t seq)
{
	if (tx->have_recover && !dccp_seq_after(seq, tx->recover))
		return false;
	tx->ssthresh = tx->cwnd / 2 > 2 ? tx->cwnd / 2 : 2;
	cwnd_set(tx, tx->cwnd / 2 > 1 ? tx->cwnd / 2 : 1);
	tx->cwnd_acc = 0;
	tx->recover = hist_hi(tx);
	tx->have_recover = true;
	tx->stats.halvings++;
	return true;
}

struct ack_walk {
	struct ccid2_tx	*tx;
	uint32_t	 left;		/* data packets out of the pipe */
	uint32_t	 acked;		/* of them, acked */
	uint32_t	 grow;		/* of those, unmarked, past recover */
	bool		 newest;	/* newest_seq is set */
	uint64_t	 newest_seq;	/* newest data packet newly acked */
	bool		 marked;
	uint64_t	 marked_seq;	/* newest ECN marked data packet */
};

static void ack_run(void *arg, uint64_t lo, uint64_t hi,
		    enum dccp_ackvec_state st)
{
	struct ack_walk *w = arg;
	struct ccid2_tx *tx = w->tx;
	struct ccid2_seq *e;
	int64_t a, b, i;

	if (st == DCCP_ACKVEC_NOT_RECEIVED || tx->nhist == 0)
		return;
	/* a run is at most 64 long, so a > b only far outside */
	a = dccp_seq_delta(lo, tx->hist_lo);
	b = dccp_seq_delta(hi, tx->hist_lo);
	if (b < 0 || a >= (int64_t)tx->nhist || a > b)
		return;
	if (a < 0)
		a = 0;
	if (b >= (int64_t)tx->nhist)
		b = (int64_t)tx->nhist - 1;
	for (i = b; i >= a; i--) {
		e = &tx->hist[TX_IDX(dccp_seq_add(tx->hist_lo, (uint64_t)i))];
		if (e->acked || e->lost)
			continue;
		e->acked = true;
		/*
		 * Only data packets time the path: the peer owes packets
		 * without data no prompt acknowledgement.
		 */
		if (!e->data)
			continue;
		if (!w->newest || dccp_seq_after(e->seq, w->newest_seq)) {
			w->newest = true;
			w->newest_seq = e->seq;
		}
		tx->pipe--;
		tx->stats.acked++;
		w->left++;
		w->acked++;
		if (st == DCCP_ACKVEC_ECN_MARKED) {
			if (!w->marked ||
			    dccp_seq_after(e->seq, w->marked_seq))
				w->marked_seq = e->seq;
			w->marked = true;
		} else if (!tx->have_recover ||
			   dccp_seq_after(e->seq, tx->recover)) {
			w->grow++;
		}
	}
}

/*
 * 4341 5: a packet is lost when NUMDUPACK packets sent after it were
 * acked and it was not.  Returns whether one was; *seq the newest.
 */
static bool find_losses(struct ccid2_tx *tx, struct ack_walk *w,
			uint64_t *seq)
{
	struct ccid2_seq *e;
	unsigned int later = 0;
	bool any = false;
	size_t i;

	for (i = tx->nhist; i > 0; i--) {
		e = &tx->hist[TX_IDX(dccp_seq_add(tx->hist_lo, i - 1))];
		if (e->acked) {
			if (later < CCID2_NUMDUPACK)
				later++;
			continue;
		}
		e->later = (uint8_t)later;
		if (!in_pipe(e) || later < CCID2_NUMDUPACK)
			continue;
		e->lost = true;
		tx->pipe--;
		tx->stats.lost++;
		w->left++;
		if (!any)
			*seq = e->seq;
		any = true;
	}
	return any;
}

int ccid2_tx_on_ack(struct ccid2_tx *tx, uint64_t ackno,
		    const uint8_t *cells, size_t ncells, uint64_t now)
{
	struct ack_walk w = { .tx = tx };
	struct ccid2_seq *e;
	uint64_t seq = 0;
	bool lost;
	size_t i;

	for (i = 0; i < ncells; i++)
		if (dccp_ackvec_state(cells[i]) == 2)
			return -EINVAL;
	ackno &= DCCP_SEQ_MASK;
	/* an acknowledgement of a packet we never sent */
	if (!tx->sent_any || dccp_seq_after(ackno, hist_hi(tx)))
		return 0;
	if (dccp_seq_after(ackno, tx->high_ack))
		tx->high_ack = ackno;

	if (ncells == 0)
		ack_run(&w, ackno, ackno, DCCP_ACKVEC_RECEIVED);
	else
		(void)dccp_ackvec_walk(cells, ncells, ackno, ack_run, &w);

	if (w.newest) {
		e = &tx->hist[TX_IDX(w.newest_seq)];
		rtt_sample(tx, now > e->sent_at ? now - e->sent_at : 0);
	}
	lost = find_losses(tx, &w, &seq);
	if (w.marked && (!lost || dccp_seq_after(w.marked_seq, seq)))
		seq = w.marked_seq;
	/* what this ack acked was sent before a halving it caused */
	if ((lost || w.marked) && congestion(tx, seq))
		w.grow = 0;
	tx->ar_acked += w.acked;
	cwnd_grow(tx, w.grow);
	hist_prune(tx);

	/* RFC 2988 5.2 and 5.3 */
	if (tx->pipe == 0)
		tx->rto_at = 0;
	else if (w.left > 0)
		tx->rto_at = now + tx->rto;
	return (int)w.left;
}

int64_t ccid2_tx_next_timeout(const struct ccid2_tx *tx, uint64_t now)
{
	if (tx->rto_at == 0)
		return -1;
	if (now >= tx->rto_at)
		return 0;
	return (int64_t)(tx->rto_at - now);
}

void ccid2_tx_on_timeout(struct ccid2_tx *tx, uint64_t now)
{
	struct ccid2_seq *e;
	size_t i;

	(void)now;
	if (tx->rto_at == 0)
		return;
	tx->rto_at = 0;
	tx->stats.timeouts++;
	/* RFC 2988 5.5 */
	tx->rto *= 2;
	if (tx->rto > CCID2_RTO_MAX_US)
		tx->rto = CCID2_RTO_MAX_US;
	for (i = 0; i < tx->nhist; i++) {
		e = &tx->hist[TX_IDX(dccp_seq_add(tx->hist_lo, i))];
		if (in_pipe(e)) {
			e->lost = true;
			tx->stats.lost++;
		}
	}
	tx->pipe = 0;
	tx->ssthresh = tx->cwnd / 2 > 2 ? tx->cwnd / 2 : 2;
	cwnd_set(tx, 1);
	tx->cwnd_acc = 0;
	tx->recover = hist_hi(tx);
	tx->have_recover = true;
	hist_prune(tx);
}

void ccid2_tx_ack_lost(struct ccid2_tx *tx)
{
	tx->ar_acked = 0;
	if (tx->have_ar_recover &&
	    !dccp_seq_after(tx->high_ack, tx->ar_recover))
		return;
	tx->ack_ratio *= 2;
	ack_ratio_fit(tx);
	if (tx->sent_any) {
		tx->ar_recover = hist_hi(tx);
		tx->have_ar_recover = true;
	}
}
