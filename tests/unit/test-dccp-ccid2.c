/*
 * The Ack Vector (RFC 4340 11.4) and CCID 2 (RFC 4341) of
 * transports/dccp/ccid2.c: vectors recorded, encoded and walked back,
 * run lengths and the 253-cell limit, ack-of-ack pruning, sequence
 * numbers across 2^48; the sender's window, pipe, loss detection,
 * halving once per window, RTT and RTO, Ack Ratio, and what a hostile
 * acknowledgement cannot do.  Every expected value is worked out by hand
 * in the comment next to it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../transports/dccp/ccid2.h"

#define TOP		DCCP_SEQ_MASK	/* 2^48 - 1 */

/* One cell of n packets: received, ECN marked, not received. */
#define R(n)	dccp_ackvec_cell(DCCP_ACKVEC_RECEIVED, (n) - 1)
#define E(n)	dccp_ackvec_cell(DCCP_ACKVEC_ECN_MARKED, (n) - 1)
#define NR(n)	dccp_ackvec_cell(DCCP_ACKVEC_NOT_RECEIVED, (n) - 1)

#define CELLS(...)	(const uint8_t[]){__VA_ARGS__}
#define NCELLS(...)	sizeof((const uint8_t[]){__VA_ARGS__})
/* An acknowledgement with an Ack Vector of the cells given. */
#define ACK(tx, ackno, now, ...) \
	ccid2_tx_on_ack((tx), (ackno), CELLS(__VA_ARGS__), \
			NCELLS(__VA_ARGS__), (now))

/* ---- Ack Vector ---- */

struct runs {
	size_t	 n;
	struct {
		uint64_t lo, hi;
		enum dccp_ackvec_state st;
	}	 r[300];
};

static void collect(void *arg, uint64_t lo, uint64_t hi,
		    enum dccp_ackvec_state st)
{
	struct runs *rs = arg;

	assert_true(rs->n < 300);
	rs->r[rs->n].lo = lo;
	rs->r[rs->n].hi = hi;
	rs->r[rs->n].st = st;
	rs->n++;
}

static void run_eq(const struct runs *rs, size_t i, uint64_t lo, uint64_t hi,
		   enum dccp_ackvec_state st)
{
	assert_true(i < rs->n);
	assert_int_equal(rs->r[i].lo, lo);
	assert_int_equal(rs->r[i].hi, hi);
	assert_int_equal(rs->r[i].st, st);
}

static uint8_t optbuf[260];

/*
 * Encode av, check the option's framing, walk its cells back into rs.
 * Returns the number of cells.
 */
static size_t roundtrip(const struct dccp_ackvec *av, uint64_t *ackno,
			struct runs *rs)
{
	int n;

	memset(optbuf, 0xaa, sizeof(optbuf));
	n = dccp_ackvec_encode(av, optbuf, sizeof(optbuf), ackno);
	assert_true(n > 2);
	assert_int_equal(optbuf[0], DCCP_OPT_ACK_VECTOR_0);
	assert_int_equal(optbuf[1], n);
	memset(rs, 0, sizeof(*rs));
	assert_int_equal(dccp_ackvec_walk(optbuf + 2, (size_t)n - 2, *ackno,
					  collect, rs), DCCP_OK);
	return (size_t)n - 2;
}

static void record_range(struct dccp_ackvec *av, uint64_t lo, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		assert_int_equal(dccp_ackvec_record(av,
		    dccp_seq_add(lo, i), DCCP_ACKVEC_RECEIVED), 0);
}

static void test_ackvec_empty(void **state)
{
	struct dccp_ackvec av;
	uint64_t ackno = 7;

	(void)state;
	dccp_ackvec_init(&av);
	assert_int_equal(dccp_ackvec_encode(&av, optbuf, sizeof(optbuf),
					    &ackno), 0);
	assert_int_equal(ackno, 0);
	/* nothing to remember either */
	dccp_ackvec_sent(&av, 1);
	assert_int_equal(av.nsent, 0);
	dccp_ackvec_record(&av, 5, DCCP_ACKVEC_RECEIVED);
	/* type, length and one cell do not fit in 2 */
	assert_int_equal(dccp_ackvec_encode(&av, optbuf, 2, &ackno), -ENOSPC);
	assert_int_equal(dccp_ackvec_encode(&av, optbuf, 3, &ackno), 3);
}

static void test_ackvec_in_order(void **state)
{
	struct dccp_ackvec av;
	struct runs rs;
	uint64_t ackno;

	(void)state;
	dccp_ackvec_init(&av);
	record_range(&av, 100, 10);
	assert_int_equal(roundtrip(&av, &ackno, &rs), 1);
	assert_int_equal(ackno, 109);
	assert_int_equal(optbuf[2], 0x09);	/* received, run 9: 10 */
	assert_int_equal(rs.n, 1);
	run_eq(&rs, 0, 100, 109, DCCP_ACKVEC_RECEIVED);
}

static void test_ackvec_gaps(void **state)
{
	struct dccp_ackvec av;
	struct runs rs;
	uint64_t ackno;

	(void)state;
	dccp_ackvec_init(&av);
	dccp_ackvec_record(&av, 100, DCCP_ACKVEC_RECEIVED);
	dccp_ackvec_record(&av, 101, DCCP_ACKVEC_RECEIVED);
	dccp_ackvec_record(&av, 105, DCCP_ACKVEC_RECEIVED);
	dccp_ackvec_record(&av, 107, DCCP_ACKVEC_RECEIVED);
	assert_int_equal(roundtrip(&av, &ackno, &rs), 5);
	assert_int_equal(ackno, 107);
	/* 107 R, 106 N, 105 R, 102-104 N, 100-101 R */
	assert_memory_equal(optbuf + 2, CELLS(0x00, 0xc0, 0x00, 0xc2, 0x01),
			    5);
	run_eq(&rs, 0, 107, 107, DCCP_ACKVEC_RECEIVED);
	run_eq(&rs, 1, 106, 106, DCCP_ACKVEC_NOT_RECEIVED);
	run_eq(&rs, 2, 105, 105, DCCP_ACKVEC_RECEIVED);
	run_eq(&rs, 3, 102, 104, DCCP_ACKVEC_NOT_RECEIVED);
	run_eq(&rs, 4, 100, 101, DCCP_ACKVEC_RECEIVED);

	/* a late arrival fills its gap */
	assert_int_equal(dccp_ackvec_record(&av, 103, DCCP_ACKVEC_RECEIVED),
			 0);
	assert_int_equal(roundtrip(&av, &ackno, &rs), 7);
	run_eq(&rs, 3, 104, 104, DCCP_ACKVEC_NOT_RECEIVED);
	run_eq(&rs, 4, 103, 103, DCCP_ACKVEC_RECEIVED);
	run_eq(&rs, 5, 102, 102, DCCP_ACKVEC_NOT_RECEIVED);
}

static void test_ackvec_duplicates_ecn(void **state)
{
	struct dccp_ackvec av;
	struct runs rs;
	uint64_t ackno;

	(void)state;
	dccp_ackvec_init(&av);
	assert_int_equal(dccp_ackvec_record(&av, 50, DCCP_ACKVEC_RECEIVED), 0);
	assert_int_equal(dccp_ackvec_record(&av, 50, DCCP_ACKVEC_RECEIVED), 1);
	assert_int_equal(dccp_ackvec_record(&av, 52, DCCP_ACKVEC_ECN_MARKED),
			 0);
	/* a duplicate keeps the mark the first copy had */
	assert_int_equal(dccp_ackvec_record(&av, 52, DCCP_ACKVEC_RECEIVED), 1);
	assert_int_equal(dccp_ackvec_record(&av, 51, DCCP_ACKVEC_RECEIVED), 0);
	assert_int_equal(dccp_ackvec_record(&av, 51, DCCP_ACKVEC_ECN_MARKED),
			 1);
	assert_int_equal(roundtrip(&av, &ackno, &rs), 2);
	assert_int_equal(ackno, 52);
	assert_memory_equal(optbuf + 2, CELLS(E(1), R(2)), 2);
	run_eq(&rs, 0, 52, 52, DCCP_ACKVEC_ECN_MARKED);
	run_eq(&rs, 1, 50, 51, DCCP_ACKVEC_RECEIVED);
}

static void test_ackvec_run_cap(void **state)
{
	struct dccp_ackvec av;
	struct runs rs;
	uint64_t ackno;

	(void)state;
	dccp_ackvec_init(&av);
	record_range(&av, 1000, 150);
	/* 150 = 64 + 64 + 22: run fields 63, 63, 21 */
	assert_int_equal(roundtrip(&av, &ackno, &rs), 3);
	assert_memory_equal(optbuf + 2, CELLS(0x3f, 0x3f, 0x15), 3);
	run_eq(&rs, 0, 1086, 1149, DCCP_ACKVEC_RECEIVED);
	run_eq(&rs, 1, 1022, 1085, DCCP_ACKVEC_RECEIVED);
	run_eq(&rs, 2, 1000, 1021, DCCP_ACKVEC_RECEIVED);

	/* exactly 64 is one cell */
	dccp_ackvec_init(&av);
	record_range(&av, 0, 64);
	assert_int_equal(roundtrip(&av, &ackno, &rs), 1);
	assert_int_equal(optbuf[2], 0x3f);
	run_eq(&rs, 0, 0, 63, DCCP_ACKVEC_RECEIVED);
}

static void test_ackvec_cell_limit(void **state)
{
	struct dccp_ackvec av;
	struct runs rs;
	uint64_t ackno, i;

	(void)state;
	dccp_ackvec_init(&av);
	/* every other packet: 601 packets, a cell each */
	for (i = 0; i <= 600; i += 2)
		dccp_ackvec_record(&av, 10000 + i, DCCP_ACKVEC_RECEIVED);
	assert_int_equal(roundtrip(&av, &ackno, &rs), 253);
	assert_int_equal(optbuf[1], 255);
	assert_int_equal(ackno, 10600);
	assert_int_equal(rs.n, 253);
	run_eq(&rs, 0, 10600, 10600, DCCP_ACKVEC_RECEIVED);
	run_eq(&rs, 1, 10599, 10599, DCCP_ACKVEC_NOT_RECEIVED);
	/* the oldest 348 are left out: 10600 - 252 = 10348 */
	run_eq(&rs, 252, 10348, 10348, DCCP_ACKVEC_RECEIVED);
	/* and what went out is remembered as just that */
	dccp_ackvec_sent(&av, 77);
	assert_int_equal(av.nsent, 1);
	assert_int_equal(av.sent[0].seq, 77);
	assert_int_equal(av.sent[0].head, 10600);
	assert_int_equal(av.sent[0].tail, 10348);
}

static void test_ackvec_ack_of_ack(void **state)
{
	struct dccp_ackvec av;
	struct runs rs;
	uint64_t ackno;

	(void)state;
	dccp_ackvec_init(&av);
	record_range(&av, 10, 10);		/* 10-19 */
	roundtrip(&av, &ackno, &rs);
	dccp_ackvec_sent(&av, 500);
	record_range(&av, 20, 5);		/* 20-24 */
	roundtrip(&av, &ackno, &rs);
	dccp_ackvec_sent(&av, 501);
	record_range(&av, 25, 2);		/* 25-26 */
	roundtrip(&av, &ackno, &rs);
	dccp_ackvec_sent(&av, 502);
	assert_int_equal(av.nsent, 3);

	/* our packet 499 carried no vector: nothing changes */
	dccp_ackvec_on_ack(&av, 499);
	assert_int_equal(av.tail, 10);
	assert_int_equal(av.nsent, 3);

	/* 501 described 10-24: the peer has it, 500 goes with it */
	dccp_ackvec_on_ack(&av, 501);
	assert_int_equal(av.tail, 25);
	assert_int_equal(av.nsent, 1);
	assert_int_equal(av.sent[0].seq, 502);
	assert_int_equal(roundtrip(&av, &ackno, &rs), 1);
	assert_int_equal(ackno, 26);
	run_eq(&rs, 0, 25, 26, DCCP_ACKVEC_RECEIVED);

	/* an ack of 500, now forgotten, cannot move tail back */
	dccp_ackvec_on_ack(&av, 500);
	assert_int_equal(av.tail, 25);

	/* all acknowledged: the head stays, as one cell */
	dccp_ackvec_on_ack(&av, 502);
	assert_int_equal(av.tail, 26);
	assert_int_equal(av.nsent, 0);
	assert_int_equal(roundtrip(&av, &ackno, &rs), 1);
	run_eq(&rs, 0, 26, 26, DCCP_ACKVEC_RECEIVED);

	/* a packet below tail is still known, for duplicates */
	assert_int_equal(dccp_ackvec_record(&av, 12, DCCP_ACKVEC_RECEIVED), 1);
	assert_int_equal(dccp_ackvec_record(&av, 9, DCCP_ACKVEC_RECEIVED), 0);
	assert_int_equal(av.tail, 26);
}

static void test_ackvec_sent_overflow(void **state)
{
	struct dccp_ackvec av;
	uint64_t i;

	(void)state;
	dccp_ackvec_init(&av);
	for (i = 0; i < DCCP_ACKVEC_SENT_MAX + 3; i++) {
		dccp_ackvec_record(&av, i, DCCP_ACKVEC_RECEIVED);
		dccp_ackvec_sent(&av, 1000 + i);
	}
	assert_int_equal(av.nsent, DCCP_ACKVEC_SENT_MAX);
	assert_int_equal(av.sent[0].seq, 1003);
	/* the oldest three are gone: their acks do nothing */
	dccp_ackvec_on_ack(&av, 1002);
	assert_int_equal(av.tail, 0);
	dccp_ackvec_on_ack(&av, 1003);
	assert_int_equal(av.tail, 4);
	assert_int_equal(av.nsent, DCCP_ACKVEC_SENT_MAX - 1);
}

static void test_ackvec_wrap(void **state)
{
	struct dccp_ackvec av;
	struct runs rs;
	uint64_t ackno;

	(void)state;
	dccp_ackvec_init(&av);
	/* 2^48 - 5 .. 2^48 - 2, then 0 .. 4: 2^48 - 1 is missing */
	record_range(&av, TOP - 4, 4);
	record_range(&av, 0, 5);
	assert_int_equal(roundtrip(&av, &ackno, &rs), 3);
	assert_int_equal(ackno, 4);
	assert_memory_equal(optbuf + 2, CELLS(R(5), NR(1), R(4)), 3);
	run_eq(&rs, 0, 0, 4, DCCP_ACKVEC_RECEIVED);
	run_eq(&rs, 1, TOP, TOP, DCCP_ACKVEC_NOT_RECEIVED);
	run_eq(&rs, 2, TOP - 4, TOP - 1, DCCP_ACKVEC_RECEIVED);
	assert_int_equal(dccp_ackvec_record(&av, TOP, DCCP_ACKVEC_RECEIVED),
			 0);
	assert_int_equal(dccp_ackvec_record(&av, TOP - 2,
					    DCCP_ACKVEC_RECEIVED), 1);

	/* ack-of-ack across the wrap */
	dccp_ackvec_sent(&av, 9);
	record_range(&av, 5, 1);
	dccp_ackvec_on_ack(&av, 9);
	assert_int_equal(av.tail, 5);

	/* a run that starts just above 0 ends below 2^48 */
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(dccp_ackvec_walk(CELLS(R(10)), 1, 3, collect, &rs),
			 DCCP_OK);
	run_eq(&rs, 0, TOP - 5, 3, DCCP_ACKVEC_RECEIVED);
}

static void test_ackvec_old_and_far(void **state)
{
	struct dccp_ackvec av;
	struct runs rs;
	uint64_t ackno;

	(void)state;
	dccp_ackvec_init(&av);
	dccp_ackvec_record(&av, 10000, DCCP_ACKVEC_RECEIVED);
	/* out of the ring: ignored, never a duplicate */
	assert_int_equal(dccp_ackvec_record(&av, 10000 - DCCP_ACKVEC_MAX,
					    DCCP_ACKVEC_RECEIVED), 0);
	assert_int_equal(dccp_ackvec_record(&av, 10000 - DCCP_ACKVEC_MAX,
					    DCCP_ACKVEC_RECEIVED), 0);
	/* in the ring, below tail: kept, not described */
	assert_int_equal(dccp_ackvec_record(&av, 10000 - DCCP_ACKVEC_MAX + 1,
					    DCCP_ACKVEC_RECEIVED), 0);
	assert_int_equal(dccp_ackvec_record(&av, 10000 - DCCP_ACKVEC_MAX + 1,
					    DCCP_ACKVEC_RECEIVED), 1);
	assert_int_equal(roundtrip(&av, &ackno, &rs), 1);
	assert_int_equal(ackno, 10000);

	/*
	 * A jump far ahead: the ring starts over, 4095 not received
	 * behind the new head, 63 cells of 64 and one of 63.
	 */
	dccp_ackvec_record(&av, 110000, DCCP_ACKVEC_RECEIVED);
	assert_int_equal(av.tail, 110000 - DCCP_ACKVEC_MAX + 1);
	assert_int_equal(roundtrip(&av, &ackno, &rs), 65);
	run_eq(&rs, 0, 110000, 110000, DCCP_ACKVEC_RECEIVED);
	run_eq(&rs, 1, 110000 - 64, 109999, DCCP_ACKVEC_NOT_RECEIVED);
	run_eq(&rs, 64, av.tail, av.tail + 62, DCCP_ACKVEC_NOT_RECEIVED);
	assert_int_equal(optbuf[2 + 64], NR(63));
	/* what it jumped over is not a duplicate */
	assert_int_equal(dccp_ackvec_record(&av, 109000,
					    DCCP_ACKVEC_RECEIVED), 0);
}

static void test_ackvec_walk_reserved(void **state)
{
	struct runs rs;

	(void)state;
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(dccp_ackvec_walk(CELLS(R(2), 0x80, R(1)), 3, 100,
					  collect, &rs),
			 DCCP_ERR_ACKVEC_STATE);
	/* the cell before it was seen, none after */
	assert_int_equal(rs.n, 1);
	run_eq(&rs, 0, 99, 100, DCCP_ACKVEC_RECEIVED);
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(dccp_ackvec_walk(NULL, 0, 100, collect, &rs),
			 DCCP_OK);
	assert_int_equal(rs.n, 0);
}

/* ---- CCID 2 ---- */

static struct ccid2_tx tx;

/* Data packets lo .. lo + n - 1 sent at now. */
static void send_data(uint64_t lo, uint64_t n, uint64_t now)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		ccid2_tx_sent(&tx, dccp_seq_add(lo, i), true, now);
}

static void test_ccid2_initial_window(void **state)
{
	(void)state;
	/* min(4, max(2, 4380 / mps)) */
	ccid2_tx_init(&tx, 1460, 0);
	assert_int_equal(tx.cwnd, 3);
	assert_int_equal(tx.ssthresh, UINT32_MAX);
	assert_int_equal(tx.pipe, 0);
	assert_int_equal(tx.rto, CCID2_RTO_INIT_US);
	assert_int_equal(tx.ack_ratio, 2);		/* ceil(3 / 2) */
	ccid2_tx_init(&tx, 500, 0);
	assert_int_equal(tx.cwnd, 4);
	assert_int_equal(tx.ack_ratio, 2);
	ccid2_tx_init(&tx, 4000, 0);
	assert_int_equal(tx.cwnd, 2);
	assert_int_equal(tx.ack_ratio, 1);		/* ceil(2 / 2) */
	assert_int_equal(tx.stats.max_cwnd, 2);
	assert_int_equal(ccid2_tx_next_timeout(&tx, 0), -1);
}

static void test_ccid2_slow_start(void **state)
{
	(void)state;
	ccid2_tx_init(&tx, 1460, 0);
	send_data(1, 3, 0);
	assert_int_equal(tx.pipe, 3);
	/* only ackno counts without a vector */
	assert_int_equal(ccid2_tx_on_ack(&tx, 1, NULL, 0, 1000), 1);
	assert_int_equal(tx.cwnd, 4);
	assert_int_equal(tx.pipe, 2);
	assert_int_equal(ACK(&tx, 3, 2000, R(3)), 2);
	assert_int_equal(tx.cwnd, 6);
	assert_int_equal(tx.pipe, 0);
	assert_int_equal(tx.stats.acked, 3);
	assert_int_equal(tx.stats.max_cwnd, 6);
	assert_int_equal(tx.high_ack, 3);
	/* the same ack again grows nothing */
	assert_int_equal(ACK(&tx, 3, 3000, R(3)), 0);
	assert_int_equal(tx.cwnd, 6);
	assert_int_equal(tx.ack_ratio, 2);
}

static void test_ccid2_congestion_avoidance(void **state)
{
	(void)state;
	ccid2_tx_init(&tx, 500, 0);
	tx.ssthresh = 4;
	send_data(1, 4, 0);
	/* 4 acked at cwnd 4: +1 */
	assert_int_equal(ACK(&tx, 4, 100, R(4)), 4);
	assert_int_equal(tx.cwnd, 5);
	assert_int_equal(tx.cwnd_acc, 0);
	send_data(5, 5, 200);
	assert_int_equal(ACK(&tx, 8, 300, R(8)), 4);
	assert_int_equal(tx.cwnd, 5);
	assert_int_equal(tx.cwnd_acc, 4);
	assert_int_equal(ACK(&tx, 9, 400, R(9)), 1);
	assert_int_equal(tx.cwnd, 6);
	assert_int_equal(tx.cwnd_acc, 0);
}

static void test_ccid2_loss_halves(void **state)
{
	(void)state;
	ccid2_tx_init(&tx, 500, 0);
	send_data(1, 4, 0);
	/* 2 later packets acked: not yet lost; slow start 4 -> 6 */
	assert_int_equal(ACK(&tx, 3, 100, R(2), NR(1)), 2);
	assert_int_equal(tx.pipe, 2);
	assert_int_equal(tx.stats.lost, 0);
	assert_int_equal(tx.hist[1].later, 2);
	assert_int_equal(tx.cwnd, 6);
	/* the third: 1 is lost, 6 halves to 3, and 4 does not grow it */
	assert_int_equal(ACK(&tx, 4, 200, R(3), NR(1)), 2);
	assert_int_equal(tx.stats.lost, 1);
	assert_int_equal(tx.stats.halvings, 1);
	assert_int_equal(tx.cwnd, 3);
	assert_int_equal(tx.ssthresh, 3);
	assert_int_equal(tx.pipe, 0);
	assert_true(tx.have_recover);
	assert_int_equal(tx.recover, 4);
	assert_int_equal(tx.ack_ratio, 2);
	/* halving from 3: ssthresh at least 2, cwnd 1 */
	send_data(5, 4, 300);
	assert_int_equal(ACK(&tx, 8, 400, R(3), NR(1)), 4);
	assert_int_equal(tx.cwnd, 1);
	assert_int_equal(tx.ssthresh, 2);
	assert_int_equal(tx.ack_ratio, 1);
	/* late acks of the lost packets (1 and 5) change nothing */
	assert_int_equal(ACK(&tx, 8, 500, R(8)), 0);
	assert_int_equal(tx.pipe, 0);
	assert_int_equal(tx.stats.acked, 6);
	assert_int_equal(tx.stats.lost, 2);
	assert_int_equal(tx.cwnd, 1);
}

static void test_ccid2_one_halving_per_window(void **state)
{
	(void)state;
	ccid2_tx_init(&tx, 500, 0);
	tx.cwnd = 8;
	send_data(1, 8, 0);
	/* 2 lost (3, 4, 5 acked after it) */
	assert_int_equal(ACK(&tx, 5, 100, R(3), NR(1), R(1)), 5);
	assert_int_equal(tx.cwnd, 4);
	assert_int_equal(tx.ssthresh, 4);
	assert_int_equal(tx.recover, 8);
	send_data(9, 1, 150);
	/* 6 lost too, but it was sent before the halving: none again */
	assert_int_equal(ACK(&tx, 9, 200, R(3), NR(1), R(3), NR(1), R(1)), 4);
	assert_int_equal(tx.stats.lost, 2);
	assert_int_equal(tx.stats.halvings, 1);
	/* 7 and 8 went before the halving; 9 after: CA, 1 of 4 */
	assert_int_equal(tx.cwnd, 4);
	assert_int_equal(tx.cwnd_acc, 1);
	assert_int_equal(tx.pipe, 0);

	/* a loss among packets sent after recover halves again */
	send_data(10, 4, 300);
	assert_int_equal(ACK(&tx, 13, 400, R(3), NR(1)), 4);
	assert_int_equal(tx.stats.halvings, 2);
	assert_int_equal(tx.cwnd, 2);
	assert_int_equal(tx.ssthresh, 2);
	assert_int_equal(tx.recover, 13);
}

static void test_ccid2_ecn_mark(void **state)
{
	(void)state;
	ccid2_tx_init(&tx, 500, 0);
	send_data(1, 4, 0);
	assert_int_equal(ACK(&tx, 4, 100, E(1), R(3)), 4);
	assert_int_equal(tx.pipe, 0);
	assert_int_equal(tx.stats.acked, 4);
	assert_int_equal(tx.stats.lost, 0);
	assert_int_equal(tx.stats.halvings, 1);
	assert_int_equal(tx.cwnd, 2);
	assert_int_equal(tx.ssthresh, 2);
}

static void test_ccid2_rto(void **state)
{
	(void)state;
	ccid2_tx_init(&tx, 500, 0);
	tx.cwnd = 16;
	/* not armed: a stray call does nothing */
	ccid2_tx_on_timeout(&tx, 0);
	assert_int_equal(tx.stats.timeouts, 0);
	send_data(1, 10, 0);
	assert_int_equal(ccid2_tx_next_timeout(&tx, 0), 1000000);
	assert_int_equal(ccid2_tx_next_timeout(&tx, 400000), 600000);
	assert_int_equal(ccid2_tx_next_timeout(&tx, 1200000), 0);
	ccid2_tx_on_timeout(&tx, 1000000);
	assert_int_equal(tx.cwnd, 1);
	assert_int_equal(tx.ssthresh, 8);
	assert_int_equal(tx.pipe, 0);
	assert_int_equal(tx.stats.lost, 10);
	assert_int_equal(tx.stats.timeouts, 1);
	assert_int_equal(tx.stats.halvings, 0);
	assert_int_equal(tx.rto, 2000000);
	assert_int_equal(tx.ack_ratio, 1);
	assert_int_equal(ccid2_tx_next_timeout(&tx, 1000000), -1);
	assert_true(ccid2_tx_can_send(&tx));

	/* the next packet arms the doubled timer; it doubles again */
	send_data(11, 1, 1000000);
	assert_false(ccid2_tx_can_send(&tx));
	assert_int_equal(ccid2_tx_next_timeout(&tx, 1000000), 2000000);
	ccid2_tx_on_timeout(&tx, 3000000);
	assert_int_equal(tx.rto, 4000000);
	assert_int_equal(tx.ssthresh, 2);
	assert_int_equal(tx.stats.lost, 11);

	/* up to the ceiling */
	tx.rto = 40000000;
	send_data(12, 1, 4000000);
	ccid2_tx_on_timeout(&tx, 44000000);
	assert_int_equal(tx.rto, CCID2_RTO_MAX_US);
}

static void test_ccid2_rtt(void **state)
{
	(void)state;
	ccid2_tx_init(&tx, 500, 0);
	send_data(1, 1, 0);
	ccid2_tx_on_ack(&tx, 1, NULL, 0, 100000);
	/* first sample R: srtt R, rttvar R/2, rto srtt + 4 rttvar */
	assert_int_equal(tx.srtt, 100000);
	assert_int_equal(tx.rttvar, 50000);
	assert_int_equal(tx.rto, 300000);
	assert_int_equal(ccid2_tx_next_timeout(&tx, 100000), -1);

	/* R = 200000: rttvar (3 * 50000 + 100000) / 4, srtt (7 * 100000 +
	 * 200000) / 8 */
	send_data(2, 1, 100000);
	ccid2_tx_on_ack(&tx, 2, NULL, 0, 300000);
	assert_int_equal(tx.rttvar, 62500);
	assert_int_equal(tx.srtt, 112500);
	assert_int_equal(tx.rto, 362500);

	/* an old packet acked again gives no sample */
	ccid2_tx_on_ack(&tx, 2, NULL, 0, 900000);
	assert_int_equal(tx.srtt, 112500);

	/* the newest packet acked is the one measured: 4 sent at 350000 */
	send_data(3, 1, 300000);
	send_data(4, 1, 350000);
	assert_int_equal(ccid2_tx_next_timeout(&tx, 300000), 362500);
	ACK(&tx, 4, 462500, R(2));
	/* R = 112500: err 0, rttvar 3 * 62500 / 4 */
	assert_int_equal(tx.srtt, 112500);
	assert_int_equal(tx.rttvar, 46875);
	assert_int_equal(tx.rto, 300000);

	/* a packet without data is not timed */
	ccid2_tx_sent(&tx, 5, false, 500000);
	ccid2_tx_on_ack(&tx, 5, NULL, 0, 2500000);
	assert_int_equal(tx.srtt, 112500);

	/* the floor */
	ccid2_tx_init(&tx, 500, 0);
	send_data(1, 2, 0);
	ccid2_tx_on_ack(&tx, 1, NULL, 0, 10000);
	assert_int_equal(tx.srtt, 10000);
	assert_int_equal(tx.rto, CCID2_RTO_MIN_US);
	/* pipe not empty: restarted from the ack (RFC 2988 5.3) */
	assert_int_equal(ccid2_tx_next_timeout(&tx, 10000), CCID2_RTO_MIN_US);
}

static void test_ccid2_pipe(void **state)
{
	(void)state;
	ccid2_tx_init(&tx, 500, 0);
	ccid2_tx_sent(&tx, 1, true, 0);
	ccid2_tx_sent(&tx, 2, false, 0);
	ccid2_tx_sent(&tx, 3, true, 0);
	/* a pure ack never enters the pipe, nor leaves it */
	assert_int_equal(tx.pipe, 2);
	assert_int_equal(ccid2_tx_on_ack(&tx, 2, NULL, 0, 10), 0);
	assert_int_equal(tx.pipe, 2);
	assert_int_equal(tx.stats.acked, 0);
	/* later packets without data still prove 1 lost */
	ccid2_tx_sent(&tx, 4, false, 0);
	ccid2_tx_sent(&tx, 5, false, 0);
	assert_int_equal(ACK(&tx, 5, 20, R(2), NR(1), R(1), NR(1)), 1);
	assert_int_equal(tx.pipe, 1);
	assert_int_equal(tx.stats.lost, 1);
	/* 3 was not lost: only two packets after it were acked */
	assert_int_equal(ccid2_tx_on_ack(&tx, 3, NULL, 0, 30), 1);
	assert_int_equal(tx.pipe, 0);
	/* the history forgets all that left the pipe */
	assert_int_equal(tx.nhist, 0);
	assert_int_equal(tx.hist_lo, 6);

	/* numbers skipped count as packets without data */
	ccid2_tx_sent(&tx, 10, true, 40);
	assert_int_equal(tx.hist_lo, 6);
	assert_int_equal(tx.nhist, 5);
	assert_int_equal(tx.pipe, 1);
	/* and a number that does not grow is ignored */
	ccid2_tx_sent(&tx, 8, true, 40);
	assert_int_equal(tx.pipe, 1);
	assert_int_equal(tx.nhist, 5);
}

static void test_ccid2_can_send(void **state)
{
	(void)state;
	ccid2_tx_init(&tx, 4000, 0);
	assert_true(ccid2_tx_can_send(&tx));
	send_data(1, 2, 0);
	assert_false(ccid2_tx_can_send(&tx));
	assert_int_equal(tx.stats.blocked, 1);
	ccid2_tx_sent(&tx, 3, false, 0);
	assert_false(ccid2_tx_can_send(&tx));
	assert_int_equal(tx.stats.blocked, 2);
	assert_int_equal(ccid2_tx_on_ack(&tx, 1, NULL, 0, 10), 1);
	assert_true(ccid2_tx_can_send(&tx));
	assert_int_equal(tx.stats.blocked, 2);
}

static void test_ccid2_ack_ratio(void **state)
{
	(void)state;
	/* doubling on lost acks, within ceil(cwnd / 2) */
	ccid2_tx_init(&tx, 500, 0);
	ccid2_tx_ack_lost(&tx);
	assert_int_equal(tx.ack_ratio, 2);		/* 4 > ceil(4 / 2) */
	ccid2_tx_init(&tx, 500, 0);
	tx.cwnd = 10;
	send_data(1, 10, 0);
	ccid2_tx_ack_lost(&tx);
	assert_int_equal(tx.ack_ratio, 4);
	/* once per window: not again until an ack passes 10 */
	ccid2_tx_ack_lost(&tx);
	assert_int_equal(tx.ack_ratio, 4);
	ACK(&tx, 10, 100, R(10));
	assert_int_equal(tx.cwnd, 20);
	ccid2_tx_ack_lost(&tx);
	assert_int_equal(tx.ack_ratio, 4);
	send_data(11, 1, 200);
	ccid2_tx_on_ack(&tx, 11, NULL, 0, 300);
	assert_int_equal(tx.cwnd, 21);
	ccid2_tx_ack_lost(&tx);
	assert_int_equal(tx.ack_ratio, 8);
	/* a smaller window pulls it down: ceil(9 / 2) */
	tx.cwnd = 9;
	send_data(12, 4, 400);
	ccid2_tx_on_timeout(&tx, 2000000);
	assert_int_equal(tx.ack_ratio, 1);

	/*
	 * One less after cwnd^2 / (R^2 - R) data packets acked without a
	 * lost ack: 16 / 2 = 8 at cwnd 4, R 2.  Packets up to recover do
	 * not grow the window, so it stays 4 here.
	 */
	ccid2_tx_init(&tx, 500, 0);
	tx.have_recover = true;
	tx.recover = 100;
	send_data(1, 8, 0);
	ACK(&tx, 7, 100, R(7));
	assert_int_equal(tx.ack_ratio, 2);
	assert_int_equal(tx.ar_acked, 7);
	ccid2_tx_ack_lost(&tx);			/* starts the count over */
	assert_int_equal(tx.ar_acked, 0);
	assert_int_equal(tx.ack_ratio, 2);
	send_data(9, 8, 200);
	ACK(&tx, 14, 300, R(14));		/* 8-14 */
	assert_int_equal(tx.ar_acked, 7);
	assert_int_equal(tx.ack_ratio, 2);
	ACK(&tx, 15, 400, R(15));
	assert_int_equal(tx.cwnd, 4);
	assert_int_equal(tx.ack_ratio, 1);
	assert_int_equal(tx.ar_acked, 0);
}

static void test_ccid2_cwnd_max(void **state)
{
	(void)state;
	ccid2_tx_init(&tx, 500, 0);
	tx.cwnd = CCID2_CWND_MAX - 1;
	send_data(1, 5, 0);
	ACK(&tx, 5, 100, R(5));
	assert_int_equal(tx.cwnd, CCID2_CWND_MAX);
	assert_int_equal(tx.stats.max_cwnd, CCID2_CWND_MAX);
}

static void test_ccid2_hostile_acks(void **state)
{
	(void)state;
	ccid2_tx_init(&tx, 500, 0);
	/* nothing sent: nothing to ack */
	assert_int_equal(ccid2_tx_on_ack(&tx, 0, NULL, 0, 0), 0);
	assert_int_equal(ACK(&tx, 1, 0, R(64)), 0);
	send_data(100, 3, 0);
	/* a seq never sent: the whole ack is ignored */
	assert_int_equal(ccid2_tx_on_ack(&tx, 103, NULL, 0, 10), 0);
	assert_int_equal(ACK(&tx, 1000, 10, R(64), R(64), R(64)), 0);
	assert_int_equal(tx.pipe, 3);
	assert_int_equal(tx.high_ack, 99);
	assert_int_equal(tx.srtt, 0);
	/* a reserved cell: refused, nothing changed */
	assert_int_equal(ACK(&tx, 102, 10, R(1), 0x80, R(1)), -EINVAL);
	assert_int_equal(tx.pipe, 3);
	/* a vector far longer than the history: only 100-102 count */
	assert_int_equal(ACK(&tx, 102, 10, R(64), R(64), NR(64), R(64)), 3);
	assert_int_equal(tx.pipe, 0);
	assert_int_equal(tx.stats.acked, 3);
	assert_int_equal(tx.cwnd, 7);
	/* an ackno half the sequence space away */
	send_data(103, 1, 20);
	assert_int_equal(ACK(&tx, 103 + (UINT64_C(1) << 47), 30, R(64)), 0);
	assert_int_equal(ACK(&tx, dccp_seq_sub(103, UINT64_C(1) << 46), 30,
			     R(64)), 0);
	assert_int_equal(tx.pipe, 1);

	/* 253 cells of 64 all received: bounded work, only 103 counts */
	{
		uint8_t cells[253];

		memset(cells, R(64), sizeof(cells));
		assert_int_equal(ccid2_tx_on_ack(&tx, 103, cells, 253, 40), 1);
		assert_int_equal(tx.pipe, 0);
	}
}

static void test_ccid2_history_overflow(void **state)
{
	uint64_t i;

	(void)state;
	ccid2_tx_init(&tx, 500, 0);
	send_data(1, 1, 0);
	for (i = 2; i <= CCID2_HIST_MAX; i++)
		ccid2_tx_sent(&tx, i, false, 0);
	assert_int_equal(tx.nhist, CCID2_HIST_MAX);
	assert_int_equal(tx.pipe, 1);
	/* one more pushes 1 out: lost, without a halving */
	ccid2_tx_sent(&tx, CCID2_HIST_MAX + 1, false, 0);
	assert_int_equal(tx.pipe, 0);
	assert_int_equal(tx.stats.lost, 1);
	assert_int_equal(tx.stats.halvings, 0);
	assert_int_equal(tx.hist_lo, 2);
	/* a jump past the whole history starts it over */
	send_data(5000, 1, 0);
	ccid2_tx_sent(&tx, 5000 + 3 * CCID2_HIST_MAX, true, 0);
	assert_int_equal(tx.stats.lost, 2);
	assert_int_equal(tx.nhist, 1);
	assert_int_equal(tx.pipe, 1);
}

static void test_ccid2_wrap(void **state)
{
	(void)state;
	ccid2_tx_init(&tx, 500, 0);
	tx.cwnd = 8;
	/* 2^48 - 3 .. 1 */
	send_data(TOP - 2, 5, 0);
	assert_int_equal(tx.hist_lo, TOP - 2);
	/* 2^48 - 2 lost: 2^48 - 1, 0 and 1 acked after it */
	assert_int_equal(ACK(&tx, 1, 100, R(3), NR(1), R(1)), 5);
	assert_int_equal(tx.stats.acked, 4);
	assert_int_equal(tx.stats.lost, 1);
	assert_int_equal(tx.stats.halvings, 1);
	assert_int_equal(tx.cwnd, 4);
	assert_int_equal(tx.recover, 1);
	assert_int_equal(tx.high_ack, 1);
	assert_int_equal(tx.pipe, 0);
	assert_int_equal(tx.hist_lo, 2);
	/* after the wrap, 2 > recover */
	send_data(2, 4, 200);
	assert_int_equal(ACK(&tx, 5, 300, R(3), NR(1)), 4);
	assert_int_equal(tx.stats.halvings, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ackvec_empty),
		cmocka_unit_test(test_ackvec_in_order),
		cmocka_unit_test(test_ackvec_gaps),
		cmocka_unit_test(test_ackvec_duplicates_ecn),
		cmocka_unit_test(test_ackvec_run_cap),
		cmocka_unit_test(test_ackvec_cell_limit),
		cmocka_unit_test(test_ackvec_ack_of_ack),
		cmocka_unit_test(test_ackvec_sent_overflow),
		cmocka_unit_test(test_ackvec_wrap),
		cmocka_unit_test(test_ackvec_old_and_far),
		cmocka_unit_test(test_ackvec_walk_reserved),
		cmocka_unit_test(test_ccid2_initial_window),
		cmocka_unit_test(test_ccid2_slow_start),
		cmocka_unit_test(test_ccid2_congestion_avoidance),
		cmocka_unit_test(test_ccid2_loss_halves),
		cmocka_unit_test(test_ccid2_one_halving_per_window),
		cmocka_unit_test(test_ccid2_ecn_mark),
		cmocka_unit_test(test_ccid2_rto),
		cmocka_unit_test(test_ccid2_rtt),
		cmocka_unit_test(test_ccid2_pipe),
		cmocka_unit_test(test_ccid2_can_send),
		cmocka_unit_test(test_ccid2_ack_ratio),
		cmocka_unit_test(test_ccid2_cwnd_max),
		cmocka_unit_test(test_ccid2_hostile_acks),
		cmocka_unit_test(test_ccid2_history_overflow),
		cmocka_unit_test(test_ccid2_wrap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
