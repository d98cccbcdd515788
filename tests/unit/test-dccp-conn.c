/*
 * The DCCP connection (transports/dccp/conn.c): a client and a server
 * driven against each other through a scripted network (drop, duplicate,
 * delay, reorder) under a fake clock, and a real connection against
 * packets written by hand where a test needs exact numbers.  Every packet
 * a connection emits is decoded and its options checked on the way.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../transports/dccp/conn.h"

#define T0		UINT64_C(1000000)	/* the clock starts at 1 s */
#define MS		UINT64_C(1000)
#define DELAY		(10 * MS)		/* one way */
#define CPORT		40000
#define SPORT		5061
#define CISS		UINT64_C(1000)
#define SISS		UINT64_C(5000000)
#define TIMEWAIT	(10000 * MS)
#define MAXQ		256
#define MAXLOG		1024
#define MAXEV		16
#define MAXRX		64

struct wire {
	uint8_t		 b[1500];
	size_t		 len;
	int		 from;
	uint64_t	 at;
	struct dccp_hdr	 h;	/* decoded; h.opts points into b */
};

struct net;

struct end {
	struct net		*net;
	int			 id;
	struct dccp_conn	*c;
	enum dccp_event		 ev[MAXEV];
	uint8_t			 code[MAXEV];
	size_t			 nev;
	char			 rx[MAXRX][64];
	size_t			 nrx;
};

struct net {
	uint64_t	 now;
	struct end	 e[2];		/* 0: client, 1: server */
	struct wire	 q[MAXQ];
	size_t		 nq;
	struct wire	 log[MAXLOG];
	size_t		 nlog;
	/* faults on what end i sends next, by packet type or ANY */
	int		 drop[2][DCCP_TYPE_COUNT + 1];
	int		 dup[2][DCCP_TYPE_COUNT + 1];
	int		 hold[2][DCCP_TYPE_COUNT + 1];	/* + HOLD */
};
#define ANY		DCCP_TYPE_COUNT
#define HOLD		(5 * MS)

/* Take one from the fault counter for type t or ANY. */
static bool fault(int f[DCCP_TYPE_COUNT + 1], int t)
{
	if (f[t] > 0) {
		f[t]--;
		return true;
	}
	if (f[ANY] > 0) {
		f[ANY]--;
		return true;
	}
	return false;
}

static struct net *net;

static void wire_decode(struct wire *w)
{
	assert_int_equal(dccp_decode(w->b, w->len, &w->h), DCCP_OK);
	w->h.opts = w->b + (w->h.opts - w->b);
}

static void output(void *arg, uint8_t *pkt, size_t len)
{
	struct end *e = arg;
	struct net *n = e->net;
	struct wire *w;
	int t, copies = 1;

	/* well-formed on the wire: header and options */
	assert_true(len <= sizeof(w->b));
	assert_true(n->nlog < MAXLOG);
	w = &n->log[n->nlog++];
	memcpy(w->b, pkt, len);
	w->len = len;
	w->from = e->id;
	w->at = n->now;
	wire_decode(w);
	assert_int_equal(dccp_opts_check(w->h.opts, w->h.optlen), DCCP_OK);
	assert_int_equal(pkt[6], 0);
	assert_int_equal(pkt[7], 0);
	assert_true(w->h.x);
	assert_int_equal(w->h.sport, e->id == 0 ? CPORT : SPORT);
	t = w->h.type;
	if (getenv("DCCP_TEST_TRACE") != NULL)
		fprintf(stderr, "%8llu %c type %d seq %llu ack %llu len %zu\n",
			(unsigned long long)(n->now - T0) / 1000,
			e->id ? 'S' : 'C', t, (unsigned long long)w->h.seq,
			(unsigned long long)w->h.ack, len);
	if (n->e[1 - e->id].c == NULL)
		return;
	if (fault(n->drop[e->id], t))
		return;
	if (fault(n->dup[e->id], t))
		copies = 2;
	while (copies-- > 0) {
		assert_true(n->nq < MAXQ);
		n->q[n->nq] = *w;
		n->q[n->nq].at = n->now + DELAY;
		if (copies == 0 && fault(n->hold[e->id], t))
			n->q[n->nq].at += HOLD;
		n->nq++;
	}
}

static void event(void *arg, enum dccp_event ev, uint8_t code)
{
	struct end *e = arg;

	assert_true(e->nev < MAXEV);
	e->ev[e->nev] = ev;
	e->code[e->nev] = code;
	e->nev++;
}

static const struct dccp_conn_cb cb = {.output = output, .event = event};

static struct dccp_conn_params params(bool server)
{
	struct dccp_conn_params p = {
		.server = server,
		.sport = server ? SPORT : CPORT,
		.dport = server ? CPORT : SPORT,
		.service = dccp_service_code("DTLS"),
		.mtu = 1400,
		.iss = server ? SISS : CISS,
		.timewait_us = TIMEWAIT,
	};

	return p;
}

static int setup(void **state)
{
	int i;

	(void)state;
	net = calloc(1, sizeof(*net));
	assert_non_null(net);
	net->now = T0;
	for (i = 0; i < 2; i++) {
		net->e[i].net = net;
		net->e[i].id = i;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	dccp_conn_free(net->e[0].c);
	dccp_conn_free(net->e[1].c);
	free(net);
	return 0;
}

static void start(const struct dccp_conn_params *cp,
		  const struct dccp_conn_params *sp)
{
	if (cp != NULL) {
		net->e[0].c = dccp_conn_new(cp, &cb, &net->e[0]);
		assert_non_null(net->e[0].c);
	}
	if (sp != NULL) {
		net->e[1].c = dccp_conn_new(sp, &cb, &net->e[1]);
		assert_non_null(net->e[1].c);
	}
}

static void start_pair(void)
{
	struct dccp_conn_params cp = params(false), sp = params(true);

	start(&cp, &sp);
}

static void deliver(struct wire *w)
{
	struct end *e = &net->e[1 - w->from];
	int r;

	wire_decode(w);
	r = dccp_conn_input(e->c, &w->h, w->b, w->len, net->now);
	assert_true(r >= 0);
	if (r == 1) {
		size_t n = w->len - w->h.doff;

		assert_true(e->nrx < MAXRX && n < 64);
		memcpy(e->rx[e->nrx], w->b + w->h.doff, n);
		e->rx[e->nrx][n] = '\0';
		e->nrx++;
	}
}

/* Move packets and fire timers until nothing is due before t. */
static void run_until(uint64_t t)
{
	int guard;

	for (guard = 0; guard < 100000; guard++) {
		uint64_t next = UINT64_MAX;
		size_t i, best = MAXQ;
		int k;

		for (i = 0; i < net->nq; i++)
			if (net->q[i].at < next) {
				next = net->q[i].at;
				best = i;
			}
		for (k = 0; k < 2; k++) {
			int64_t d;

			if (net->e[k].c == NULL)
				continue;
			d = dccp_conn_next_timeout(net->e[k].c, net->now);
			if (d >= 0 && net->now + (uint64_t)d < next) {
				next = net->now + (uint64_t)d;
				best = MAXQ;
			}
		}
		if (next > t)
			break;
		net->now = next;
		if (best < MAXQ) {
			struct wire w = net->q[best];

			memmove(net->q + best, net->q + best + 1,
				(net->nq - best - 1) * sizeof(net->q[0]));
			net->nq--;
			deliver(&w);
			continue;
		}
		for (k = 0; k < 2; k++)
			if (net->e[k].c != NULL &&
			    dccp_conn_next_timeout(net->e[k].c, net->now) == 0)
				dccp_conn_on_timeout(net->e[k].c, net->now);
	}
	assert_true(guard < 100000);
	if (net->now < t)
		net->now = t;
}

static void run_for(uint64_t us)
{
	run_until(net->now + us);
}

static void expect_states(enum dccp_state client, enum dccp_state server)
{
	assert_int_equal(dccp_conn_state(net->e[0].c), client);
	assert_int_equal(dccp_conn_state(net->e[1].c), server);
}

static void handshake(void)
{
	dccp_conn_connect(net->e[0].c, net->now);
	run_for(200 * MS);
	expect_states(DCCP_S_OPEN, DCCP_S_OPEN);
}

/* The i-th logged packet of type t from end `from` (-1: either). */
static struct wire *nth(int from, int t, int i)
{
	size_t k;

	for (k = 0; k < net->nlog; k++) {
		struct wire *w = &net->log[k];

		if ((from < 0 || w->from == from) && w->h.type == t &&
		    i-- == 0)
			return w;
	}
	return NULL;
}

static int count(int from, int t)
{
	int n = 0;

	while (nth(from, t, n) != NULL)
		n++;
	return n;
}

static struct wire *last(int from)
{
	size_t k = net->nlog;

	while (k-- > 0)
		if (net->log[k].from == from)
			return &net->log[k];
	return NULL;
}

/*
 * Find option type (and for feature options, feature f) in w: its value
 * and length, or false.
 */
static bool find_opt(const struct wire *w, uint8_t type, int f,
		     struct dccp_opt *out)
{
	struct dccp_opt_iter it;

	dccp_opt_iter_init(&it, w->h.opts, w->h.optlen);
	while (dccp_opt_next(&it, out))
		if (out->type == type &&
		    (f < 0 || (out->len > 0 && out->val[0] == f)))
			return true;
	return false;
}

static bool has_feature_opts(const struct wire *w)
{
	struct dccp_opt o;
	int t;

	for (t = DCCP_OPT_CHANGE_L; t <= DCCP_OPT_CONFIRM_R; t++)
		if (find_opt(w, (uint8_t)t, -1, &o))
			return true;
	return false;
}

static void expect_opt(const struct wire *w, uint8_t type, int f,
		       const uint8_t *val, size_t len)
{
	struct dccp_opt o;

	assert_true(find_opt(w, type, f, &o));
	assert_int_equal(o.len, len);
	assert_memory_equal(o.val, val, len);
}

static void expect_events(const struct end *e, size_t n, ...)
{
	va_list ap;
	size_t i;

	assert_int_equal(e->nev, n);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		int ev = va_arg(ap, int);
		int code = va_arg(ap, int);

		assert_int_equal(e->ev[i], ev);
		assert_int_equal(e->code[i], code);
	}
	va_end(ap);
}

static int send_str(int from, const char *s)
{
	return dccp_conn_send(net->e[from].c, (const uint8_t *)s, strlen(s),
			      net->now);
}

/*
 * A packet written by hand, from the side of end `from` to the other,
 * given straight to the other end's connection.
 */
static int inject(int from, struct dccp_hdr *h, const uint8_t *opts,
		  size_t optlen, const char *payload)
{
	struct wire w = {.from = from};
	int n;

	h->sport = from == 0 ? CPORT : SPORT;
	h->dport = from == 0 ? SPORT : CPORT;
	n = dccp_encode(h, opts, optlen, w.b, sizeof(w.b));
	assert_true(n > 0);
	w.len = (size_t)n;
	if (payload != NULL) {
		memcpy(w.b + n, payload, strlen(payload));
		w.len += strlen(payload);
	}
	wire_decode(&w);
	return dccp_conn_input(net->e[1 - from].c, &w.h, w.b, w.len, net->now);
}

static const uint8_t v2[] = {2};
static const uint8_t w100[] = {0, 0, 0, 0, 0, 100};

/*
 * Request, Response, Ack, and the server's Ack that takes the client out
 * of PARTOPEN; the features each side asked for, confirmed once.
 */
static void test_handshake(void **state)
{
	const uint8_t c2[] = {1, 2}, c1[] = {6, 1, 0};
	struct wire *w;
	size_t k, n;

	(void)state;
	start_pair();
	expect_states(DCCP_S_CLOSED, DCCP_S_LISTEN);
	dccp_conn_connect(net->e[0].c, net->now);
	assert_int_equal(dccp_conn_state(net->e[0].c), DCCP_S_REQUEST);
	run_for(DELAY);
	assert_int_equal(dccp_conn_state(net->e[1].c), DCCP_S_RESPOND);
	run_for(DELAY);
	assert_int_equal(dccp_conn_state(net->e[0].c), DCCP_S_PARTOPEN);
	expect_events(&net->e[0], 1, DCCP_EV_OPEN, 0);
	run_for(DELAY);
	assert_int_equal(dccp_conn_state(net->e[1].c), DCCP_S_OPEN);
	expect_events(&net->e[1], 1, DCCP_EV_OPEN, 0);
	run_for(DELAY);
	assert_int_equal(dccp_conn_state(net->e[0].c), DCCP_S_OPEN);
	run_for(1000 * MS);
	assert_int_equal(net->nlog, 4);

	w = &net->log[0];
	assert_int_equal(w->h.type, DCCP_REQUEST);
	assert_int_equal(w->h.seq, CISS);
	assert_int_equal(w->h.service, dccp_service_code("DTLS"));
	expect_opt(w, DCCP_OPT_CHANGE_L, 1, c2, 2);
	expect_opt(w, DCCP_OPT_CHANGE_R, 1, c2, 2);
	expect_opt(w, DCCP_OPT_CHANGE_L, 6, c1, 3);
	expect_opt(w, DCCP_OPT_CHANGE_R, 6, c1, 3);

	w = &net->log[1];
	assert_int_equal(w->h.type, DCCP_RESPONSE);
	assert_int_equal(w->h.seq, SISS);
	assert_int_equal(w->h.ack, CISS);
	assert_int_equal(w->h.service, dccp_service_code("DTLS"));
	{
		const uint8_t cc[] = {1, 2, 2}, sav[] = {6, 1, 1, 0};
		const uint8_t sw[] = {3, 0, 0, 0, 0, 0, 100};
		struct dccp_opt o;

		expect_opt(w, DCCP_OPT_CONFIRM_L, 1, cc, 3);
		expect_opt(w, DCCP_OPT_CONFIRM_R, 1, cc, 3);
		expect_opt(w, DCCP_OPT_CONFIRM_L, 6, sav, 4);
		expect_opt(w, DCCP_OPT_CONFIRM_R, 6, sav, 4);
		expect_opt(w, DCCP_OPT_CONFIRM_R, 3, sw, 7);
		/* the server's own window; its CCID Changes were settled */
		expect_opt(w, DCCP_OPT_CHANGE_L, 3, sw, 7);
		assert_false(find_opt(w, DCCP_OPT_CHANGE_L, 1, &o));
		assert_false(find_opt(w, DCCP_OPT_CHANGE_R, 6, &o));
		assert_true(find_opt(w, DCCP_OPT_ACK_VECTOR_0, -1, &o));
		assert_int_equal(o.len, 1);
		assert_int_equal(o.val[0], dccp_ackvec_cell(0, 0));
	}

	w = &net->log[2];
	assert_int_equal(w->h.type, DCCP_ACK);
	assert_int_equal(w->from, 0);
	assert_int_equal(w->h.seq, CISS + 1);
	assert_int_equal(w->h.ack, SISS);
	{
		const uint8_t sw[] = {3, 0, 0, 0, 0, 0, 100};

		expect_opt(w, DCCP_OPT_CONFIRM_R, 3, sw, 7);
	}

	w = &net->log[3];
	assert_int_equal(w->h.type, DCCP_ACK);
	assert_int_equal(w->from, 1);
	assert_int_equal(w->h.ack, CISS + 1);
	assert_false(has_feature_opts(w));

	/* data both ways: no feature option goes again */
	n = net->nlog;
	assert_int_equal(send_str(0, "ping"), 0);
	run_for(DELAY);
	assert_int_equal(send_str(1, "pong"), 0);
	run_for(500 * MS);
	for (k = n; k < net->nlog; k++)
		assert_false(has_feature_opts(&net->log[k]));
	assert_int_equal(net->e[1].nrx, 1);
	assert_string_equal(net->e[1].rx[0], "ping");
	assert_int_equal(net->e[0].nrx, 1);
	assert_string_equal(net->e[0].rx[0], "pong");
}

/* 8.1.1: Requests again after 1 s, then 2 s, each with a new number. */
static void test_request_lost(void **state)
{
	(void)state;
	start_pair();
	net->drop[0][DCCP_REQUEST] = 2;
	dccp_conn_connect(net->e[0].c, net->now);
	run_for(5000 * MS);
	assert_int_equal(count(0, DCCP_REQUEST), 3);
	assert_int_equal(nth(0, DCCP_REQUEST, 0)->at, T0);
	assert_int_equal(nth(0, DCCP_REQUEST, 1)->at, T0 + 1000 * MS);
	assert_int_equal(nth(0, DCCP_REQUEST, 2)->at, T0 + 3000 * MS);
	assert_int_equal(nth(0, DCCP_REQUEST, 2)->h.seq, CISS + 2);
	assert_int_equal(nth(1, DCCP_RESPONSE, 0)->h.ack, CISS + 2);
	assert_int_equal(dccp_conn_stats(net->e[0].c)->retransmits, 2);
	expect_states(DCCP_S_OPEN, DCCP_S_OPEN);
}

/* No answer at all: Requests at 0, 1, 3, 7, 15, 31 s; CLOSED at 48 s. */
static void test_request_give_up(void **state)
{
	static const uint64_t at[] = {0, 1, 3, 7, 15, 31};
	size_t i;

	(void)state;
	start_pair();
	net->drop[0][DCCP_REQUEST] = 100;
	dccp_conn_connect(net->e[0].c, net->now);
	run_for(47999 * MS);
	assert_int_equal(dccp_conn_state(net->e[0].c), DCCP_S_REQUEST);
	run_for(1 * MS);
	assert_int_equal(dccp_conn_state(net->e[0].c), DCCP_S_CLOSED);
	assert_int_equal(count(0, DCCP_REQUEST), 6);
	for (i = 0; i < 6; i++)
		assert_int_equal(nth(0, DCCP_REQUEST, (int)i)->at,
				 T0 + at[i] * 1000 * MS);
	/* gave up quietly: no Reset to a peer that never answered */
	assert_int_equal(count(0, DCCP_RESET), 0);
	expect_events(&net->e[0], 2, DCCP_EV_CLOSED, DCCP_RESET_ABORTED,
		      DCCP_EV_DEAD, 0);
	assert_int_equal(dccp_conn_next_timeout(net->e[0].c, net->now), -1);
	/* the server never heard of it */
	assert_int_equal(dccp_conn_state(net->e[1].c), DCCP_S_LISTEN);
}

/* 8.1.3: the server sends a Response again only for a Request. */
static void test_response_lost(void **state)
{
	(void)state;
	start_pair();
	net->drop[1][DCCP_RESPONSE] = 1;
	dccp_conn_connect(net->e[0].c, net->now);
	run_for(900 * MS);
	assert_int_equal(count(1, DCCP_RESPONSE), 1);
	assert_int_equal(dccp_conn_state(net->e[1].c), DCCP_S_RESPOND);
	run_for(1000 * MS);
	assert_int_equal(count(0, DCCP_REQUEST), 2);
	assert_int_equal(count(1, DCCP_RESPONSE), 2);
	assert_int_equal(nth(1, DCCP_RESPONSE, 1)->at,
			 T0 + 1000 * MS + DELAY);
	assert_int_equal(nth(1, DCCP_RESPONSE, 1)->h.seq, SISS + 1);
	assert_int_equal(nth(1, DCCP_RESPONSE, 1)->h.ack, CISS + 1);
	assert_int_equal(dccp_conn_stats(net->e[1].c)->retransmits, 0);
	expect_states(DCCP_S_OPEN, DCCP_S_OPEN);
}

/* 8.1.5: the client's Ack lost, sent again from PARTOPEN after 200 ms. */
static void test_partopen_ack_lost(void **state)
{
	struct wire *w;

	(void)state;
	start_pair();
	net->drop[0][DCCP_ACK] = 1;
	dccp_conn_connect(net->e[0].c, net->now);
	run_for(2 * DELAY + 100 * MS);
	expect_states(DCCP_S_PARTOPEN, DCCP_S_RESPOND);
	run_for(500 * MS);
	expect_states(DCCP_S_OPEN, DCCP_S_OPEN);
	w = nth(0, DCCP_ACK, 1);
	assert_non_null(w);
	assert_int_equal(w->at, T0 + 2 * DELAY + 200 * MS);
	assert_int_equal(w->h.seq, CISS + 2);
	/* the Confirms go again on every packet of PARTOPEN */
	{
		const uint8_t sw[] = {3, 0, 0, 0, 0, 0, 100};

		expect_opt(w, DCCP_OPT_CONFIRM_R, 3, sw, 7);
	}
	assert_int_equal(count(0, DCCP_ACK), 2);
	assert_int_equal(dccp_conn_stats(net->e[0].c)->retransmits, 1);
}

/* Data both ways, each delivered once, in order. */
static void test_data_both_ways(void **state)
{
	static const char *msg[] = {"a1", "a2", "a3"};
	int i;

	(void)state;
	start_pair();
	handshake();
	for (i = 0; i < 3; i++) {
		assert_int_equal(send_str(0, msg[i]), 0);
		assert_int_equal(send_str(1, msg[i]), 0);
	}
	run_for(1000 * MS);
	for (i = 0; i < 3; i++) {
		assert_string_equal(net->e[0].rx[i], msg[i]);
		assert_string_equal(net->e[1].rx[i], msg[i]);
	}
	assert_int_equal(net->e[0].nrx, 3);
	assert_int_equal(net->e[1].nrx, 3);
	assert_int_equal(dccp_conn_stats(net->e[0].c)->tx_data, 3);
	assert_int_equal(dccp_conn_stats(net->e[1].c)->rx_data, 3);
	assert_int_equal(dccp_conn_stats(net->e[1].c)->rx_dup, 0);
	/* everything acknowledged: CCID 2's pipe is empty both ways */
	assert_int_equal(dccp_conn_ccid2(net->e[0].c)->pipe, 0);
	assert_int_equal(dccp_conn_ccid2(net->e[1].c)->pipe, 0);
}

static void test_duplicate_and_reorder(void **state)
{
	(void)state;
	start_pair();
	handshake();
	net->dup[0][ANY] = 1;
	assert_int_equal(send_str(0, "once"), 0);
	run_for(100 * MS);
	assert_int_equal(net->e[1].nrx, 1);
	assert_string_equal(net->e[1].rx[0], "once");
	assert_int_equal(dccp_conn_stats(net->e[1].c)->rx_dup, 1);
	assert_int_equal(dccp_conn_stats(net->e[1].c)->rx_data, 1);

	/* the first of two held back: both arrive, the second first */
	net->hold[0][ANY] = 1;
	assert_int_equal(send_str(0, "first"), 0);
	assert_int_equal(send_str(0, "second"), 0);
	run_for(100 * MS);
	assert_int_equal(net->e[1].nrx, 3);
	assert_string_equal(net->e[1].rx[1], "second");
	assert_string_equal(net->e[1].rx[2], "first");
	assert_int_equal(dccp_conn_stats(net->e[1].c)->rx_dup, 1);
}

/* Send the Request by hand with our usual Changes; the server answers. */
static void raw_request(uint64_t seq, const uint8_t *extra, size_t nextra)
{
	uint8_t o[64];
	size_t n = 0;
	struct dccp_hdr h = {.type = DCCP_REQUEST, .x = true, .seq = seq,
			     .service = dccp_service_code("DTLS")};
	int r;

	n += (size_t)dccp_opt_put_feature(o + n, sizeof(o) - n,
					  DCCP_OPT_CHANGE_L, 1, v2, 1);
	n += (size_t)dccp_opt_put_feature(o + n, sizeof(o) - n,
					  DCCP_OPT_CHANGE_R, 1, v2, 1);
	if (nextra > 0)
		memcpy(o + n, extra, nextra);
	n += nextra;
	r = dccp_opt_pad(o, n, sizeof(o));
	assert_true(r > 0);
	(void)inject(0, &h, o, (size_t)r, NULL);
}

/* A raw client through the handshake with the server: OPEN. */
static void raw_open(uint64_t cseq)
{
	struct dccp_hdr h = {.type = DCCP_ACK, .x = true};
	uint8_t o[12];
	int n;

	raw_request(cseq, NULL, 0);
	assert_int_equal(last(1)->h.type, DCCP_RESPONSE);
	n = dccp_opt_put_feature(o, sizeof(o), DCCP_OPT_CONFIRM_R, 3, w100,
				 6);
	n = dccp_opt_pad(o, (size_t)n, sizeof(o));
	h.seq = cseq + 1;
	h.ack = last(1)->h.seq;
	assert_int_equal(inject(0, &h, o, (size_t)n, NULL), 0);
	assert_int_equal(dccp_conn_state(net->e[1].c), DCCP_S_OPEN);
	/* the server tells the client it is open */
	assert_int_equal(last(1)->h.type, DCCP_ACK);
	assert_int_equal(last(1)->h.ack, cseq + 1);
}

/* 7.5.3-7.5.4: out of window, Sync; a SyncAck moves the window. */
static void test_sync(void **state)
{
	struct dccp_conn_params sp = params(true);
	struct dccp_hdr h = {.x = true};
	const uint64_t s = 700;
	uint64_t sync_seq;
	struct wire *w;

	(void)state;
	start(NULL, &sp);
	raw_open(s);

	/* W = 100: SWH = GSR + 75 */
	h.type = DCCP_DATAACK;
	h.seq = s + 1 + 76;
	h.ack = last(1)->h.seq;
	assert_int_equal(inject(0, &h, NULL, 0, "far"), 0);
	w = last(1);
	assert_int_equal(w->h.type, DCCP_SYNC);
	assert_int_equal(w->h.ack, s + 77);
	assert_int_equal(dccp_conn_stats(net->e[1].c)->rx_out_of_window, 1);
	assert_int_equal(dccp_conn_stats(net->e[1].c)->tx_sync, 1);
	sync_seq = w->h.seq;
	/* one Sync per 200 ms */
	net->now += 100 * MS;
	h.seq = s + 1000;
	assert_int_equal(inject(0, &h, NULL, 0, "far"), 0);
	assert_int_equal(dccp_conn_stats(net->e[1].c)->tx_sync, 1);
	assert_int_equal(dccp_conn_stats(net->e[1].c)->rx_out_of_window, 2);
	/* in window, still fine */
	h.seq = s + 1 + 75;
	assert_int_equal(inject(0, &h, NULL, 0, "near"), 1);

	/* a SyncAck acknowledging the Sync, far ahead: accepted (step 5) */
	h.type = DCCP_SYNCACK;
	h.seq = s + 1000;
	h.ack = sync_seq;
	assert_int_equal(inject(0, &h, NULL, 0, NULL), 0);
	h.type = DCCP_DATA;
	h.seq = s + 1001;
	assert_int_equal(inject(0, &h, NULL, 0, "after"), 1);
	/* a SyncAck acknowledging nothing we sent is dropped */
	h.type = DCCP_SYNCACK;
	h.seq = s + 1002;
	h.ack = last(1)->h.seq + 10;
	assert_int_equal(inject(0, &h, NULL, 0, NULL), 0);
	assert_int_equal(dccp_conn_stats(net->e[1].c)->rx_invalid, 1);

	/* a Sync is answered by a SyncAck acknowledging it */
	h.type = DCCP_SYNC;
	h.seq = s + 1003;
	h.ack = last(1)->h.seq;
	assert_int_equal(inject(0, &h, NULL, 0, NULL), 0);
	w = last(1);
	assert_int_equal(w->h.type, DCCP_SYNCACK);
	assert_int_equal(w->h.ack, s + 1003);

	/* a Reset out of window: a Sync acknowledging GSR, no teardown */
	net->now += 300 * MS;
	h.type = DCCP_RESET;
	h.seq = s + 5000;
	h.ack = last(1)->h.seq;
	assert_int_equal(inject(0, &h, NULL, 0, NULL), 0);
	w = last(1);
	assert_int_equal(w->h.type, DCCP_SYNC);
	assert_int_equal(w->h.ack, s + 1003);
	assert_int_equal(dccp_conn_state(net->e[1].c), DCCP_S_OPEN);
}

/* Reset (Aborted) in OPEN: the receiver holds TIMEWAIT, then is done. */
static void test_abort(void **state)
{
	struct wire *w;

	(void)state;
	start_pair();
	handshake();
	dccp_conn_abort(net->e[0].c, DCCP_RESET_ABORTED, net->now);
	assert_int_equal(dccp_conn_state(net->e[0].c), DCCP_S_CLOSED);
	w = last(0);
	assert_int_equal(w->h.type, DCCP_RESET);
	assert_int_equal(w->h.reset_code, DCCP_RESET_ABORTED);
	assert_int_equal(send_str(0, "late"), -ENOTCONN);
	run_for(DELAY);
	assert_int_equal(dccp_conn_state(net->e[1].c), DCCP_S_TIMEWAIT);
	expect_events(&net->e[1], 2, DCCP_EV_OPEN, 0, DCCP_EV_CLOSED,
		      DCCP_RESET_ABORTED);
	expect_events(&net->e[0], 3, DCCP_EV_OPEN, 0, DCCP_EV_CLOSED,
		      DCCP_RESET_ABORTED, DCCP_EV_DEAD, 0);
	assert_int_equal(dccp_conn_stats(net->e[1].c)->resets_rx, 1);
	run_for(TIMEWAIT);
	assert_int_equal(dccp_conn_state(net->e[1].c), DCCP_S_CLOSED);
	expect_events(&net->e[1], 3, DCCP_EV_OPEN, 0, DCCP_EV_CLOSED,
		      DCCP_RESET_ABORTED, DCCP_EV_DEAD, 0);
	assert_int_equal(dccp_conn_next_timeout(net->e[1].c, net->now), -1);
}

/* 8.1.2: a Service Code the server does not serve, Reset code 8. */
static void test_bad_service(void **state)
{
	struct dccp_conn_params cp = params(false), sp = params(true);
	struct wire *w;

	(void)state;
	cp.service = dccp_service_code("XXXX");
	start(&cp, &sp);
	dccp_conn_connect(net->e[0].c, net->now);
	run_for(DELAY + 1);
	w = last(1);
	assert_int_equal(w->h.type, DCCP_RESET);
	assert_int_equal(w->h.reset_code, DCCP_RESET_BAD_SERVICE_CODE);
	assert_int_equal(w->h.ack, CISS);
	assert_int_equal(dccp_conn_state(net->e[1].c), DCCP_S_CLOSED);
	run_for(DELAY);
	assert_int_equal(dccp_conn_state(net->e[0].c), DCCP_S_TIMEWAIT);
	expect_events(&net->e[0], 1, DCCP_EV_CLOSED,
		      DCCP_RESET_BAD_SERVICE_CODE);
	expect_events(&net->e[1], 2, DCCP_EV_CLOSED,
		      DCCP_RESET_BAD_SERVICE_CODE, DCCP_EV_DEAD, 0);
	assert_int_equal(count(1, DCCP_RESPONSE), 0);
}

/* 8.3: the client closes: Close, Reset Closed, TIMEWAIT at the client. */
static void test_close_client(void **state)
{
	(void)state;
	start_pair();
	handshake();
	net->drop[0][DCCP_CLOSE] = 1;
	dccp_conn_close(net->e[0].c, net->now);
	assert_int_equal(dccp_conn_state(net->e[0].c), DCCP_S_CLOSING);
	assert_int_equal(send_str(0, "x"), -ENOTCONN);
	run_for(3000 * MS);
	/* the first Close lost, the second answered */
	assert_int_equal(count(0, DCCP_CLOSE), 2);
	assert_int_equal(count(1, DCCP_RESET), 1);
	assert_int_equal(nth(1, DCCP_RESET, 0)->h.reset_code,
			 DCCP_RESET_CLOSED);
	assert_int_equal(dccp_conn_state(net->e[1].c), DCCP_S_CLOSED);
	expect_events(&net->e[1], 3, DCCP_EV_OPEN, 0, DCCP_EV_CLOSED,
		      DCCP_RESET_CLOSED, DCCP_EV_DEAD, 0);
	assert_int_equal(dccp_conn_state(net->e[0].c), DCCP_S_TIMEWAIT);
	expect_events(&net->e[0], 2, DCCP_EV_OPEN, 0, DCCP_EV_CLOSED,
		      DCCP_RESET_CLOSED);
	/* a packet in TIMEWAIT: Reset No Connection (8.3.1) */
	{
		struct dccp_hdr h = {.type = DCCP_DATAACK, .x = true,
				     .seq = SISS + 50, .ack = CISS + 7};

		assert_int_equal(inject(1, &h, NULL, 0, "x"), 0);
		assert_int_equal(last(0)->h.type, DCCP_RESET);
		assert_int_equal(last(0)->h.reset_code,
				 DCCP_RESET_NO_CONNECTION);
		assert_int_equal(last(0)->h.seq, CISS + 8);
		assert_int_equal(last(0)->h.ack, SISS + 50);
	}
	run_for(TIMEWAIT);
	assert_int_equal(dccp_conn_state(net->e[0].c), DCCP_S_CLOSED);
	expect_events(&net->e[0], 3, DCCP_EV_OPEN, 0, DCCP_EV_CLOSED,
		      DCCP_RESET_CLOSED, DCCP_EV_DEAD, 0);
}

/* Close never answered: resent with backoff, Reset Aborted at 48 s. */
static void test_close_give_up(void **state)
{
	(void)state;
	start_pair();
	handshake();
	net->drop[0][DCCP_CLOSE] = 100;
	net->drop[0][DCCP_RESET] = 1;
	dccp_conn_close(net->e[0].c, net->now);
	run_for(47900 * MS);
	assert_int_equal(dccp_conn_state(net->e[0].c), DCCP_S_CLOSING);
	assert_true(count(0, DCCP_CLOSE) >= 5);
	run_for(200 * MS);
	assert_int_equal(dccp_conn_state(net->e[0].c), DCCP_S_CLOSED);
	assert_int_equal(last(0)->h.type, DCCP_RESET);
	assert_int_equal(last(0)->h.reset_code, DCCP_RESET_ABORTED);
	expect_events(&net->e[0], 3, DCCP_EV_OPEN, 0, DCCP_EV_CLOSED,
		      DCCP_RESET_ABORTED, DCCP_EV_DEAD, 0);
	/* the server never learnt: still OPEN */
	assert_int_equal(dccp_conn_state(net->e[1].c), DCCP_S_OPEN);
}

/* The server closes: CloseReq, Close, Reset; TIMEWAIT at the client. */
static void test_close_server(void **state)
{
	(void)state;
	start_pair();
	handshake();
	dccp_conn_close(net->e[1].c, net->now);
	assert_int_equal(dccp_conn_state(net->e[1].c), DCCP_S_CLOSEREQ);
	run_for(DELAY);
	assert_int_equal(dccp_conn_state(net->e[0].c), DCCP_S_CLOSING);
	run_for(DELAY);
	assert_int_equal(dccp_conn_state(net->e[1].c), DCCP_S_CLOSED);
	run_for(DELAY);
	assert_int_equal(dccp_conn_state(net->e[0].c), DCCP_S_TIMEWAIT);
	assert_int_equal(count(1, DCCP_CLOSEREQ), 1);
	assert_int_equal(count(0, DCCP_CLOSE), 1);
	assert_int_equal(count(1, DCCP_RESET), 1);
	expect_events(&net->e[1], 3, DCCP_EV_OPEN, 0, DCCP_EV_CLOSED,
		      DCCP_RESET_CLOSED, DCCP_EV_DEAD, 0);
	run_for(TIMEWAIT);
	expect_events(&net->e[0], 3, DCCP_EV_OPEN, 0, DCCP_EV_CLOSED,
		      DCCP_RESET_CLOSED, DCCP_EV_DEAD, 0);
}

/* 6.6.7, 6.6.9: an unknown feature; Mandatory makes it a Reset. */
static void test_unknown_feature(void **state)
{
	struct dccp_conn_params sp = params(true);
	const uint8_t one[] = {1};
	uint8_t o[8];
	struct wire *w;
	int n;

	(void)state;
	start(NULL, &sp);
	n = dccp_opt_put_feature(o, sizeof(o), DCCP_OPT_CHANGE_L, 100, one, 1);
	raw_request(300, o, (size_t)n);
	w = last(1);
	assert_int_equal(w->h.type, DCCP_RESPONSE);
	{
		const uint8_t empty[] = {100};

		expect_opt(w, DCCP_OPT_CONFIRM_R, 100, empty, 1);
	}

	/* the same Mandatory, in a fresh connection */
	dccp_conn_free(net->e[1].c);
	memset(&net->e[1].nev, 0, sizeof(net->e[1].nev));
	start(NULL, &sp);
	o[0] = DCCP_OPT_MANDATORY;
	n = dccp_opt_put_feature(o + 1, sizeof(o) - 1, DCCP_OPT_CHANGE_L,
				 100, one, 1);
	{
		struct dccp_hdr h = {.type = DCCP_REQUEST, .x = true,
				     .seq = 300,
				     .service = dccp_service_code("DTLS")};
		int r = dccp_opt_pad(o, (size_t)n + 1, sizeof(o));

		assert_int_equal(inject(0, &h, o, (size_t)r, NULL),
				 -DCCP_ERR_MANDATORY);
	}
	w = last(1);
	assert_int_equal(w->h.type, DCCP_RESET);
	assert_int_equal(w->h.reset_code, DCCP_RESET_MANDATORY_ERROR);
	assert_int_equal(w->h.reset_data[0], DCCP_OPT_CHANGE_L);
	assert_int_equal(w->h.reset_data[1], 100);
	assert_int_equal(w->h.reset_data[2], 1);
	assert_int_equal(w->h.ack, 300);
	assert_int_equal(dccp_conn_state(net->e[1].c), DCCP_S_CLOSED);
	expect_events(&net->e[1], 1, DCCP_EV_CLOSED,
		      DCCP_RESET_MANDATORY_ERROR);
}

/* A malformed option in a valid packet: Reset Option Error (5.8). */
static void test_bad_option(void **state)
{
	struct dccp_conn_params sp = params(true);
	struct dccp_hdr h = {.type = DCCP_DATAACK, .x = true};
	/* Timestamp with 3 bytes of value */
	const uint8_t o[] = {DCCP_OPT_TIMESTAMP, 5, 1, 2, 3, 0, 0, 0};

	(void)state;
	start(NULL, &sp);
	raw_open(10);
	h.seq = 12;
	h.ack = last(1)->h.seq;
	assert_int_equal(inject(0, &h, o, sizeof(o), "x"),
			 -DCCP_ERR_OPT_VALUE_LEN);
	assert_int_equal(last(1)->h.type, DCCP_RESET);
	assert_int_equal(last(1)->h.reset_code, DCCP_RESET_OPTION_ERROR);
	assert_int_equal(last(1)->h.reset_data[0], DCCP_OPT_TIMESTAMP);
	assert_int_equal(dccp_conn_state(net->e[1].c), DCCP_S_CLOSED);
}

/* CCID 2's window full: -EAGAIN, then DCCP_EV_WRITABLE after the acks. */
static void test_window_full(void **state)
{
	int i, r = 0;

	(void)state;
	start_pair();
	handshake();
	for (i = 0; i < 64; i++) {
		r = send_str(0, "fill");
		if (r != 0)
			break;
	}
	assert_int_equal(r, -EAGAIN);
	assert_true(i >= 2);
	assert_int_equal(dccp_conn_ccid2(net->e[0].c)->pipe,
			 dccp_conn_ccid2(net->e[0].c)->cwnd);
	assert_int_equal(send_str(0, "more"), -EAGAIN);
	expect_events(&net->e[0], 1, DCCP_EV_OPEN, 0);
	run_for(100 * MS);
	expect_events(&net->e[0], 2, DCCP_EV_OPEN, 0, DCCP_EV_WRITABLE, 0);
	assert_int_equal(send_str(0, "more"), 0);
	assert_int_equal(net->e[1].nrx, (size_t)i);
	/* too big is refused before the window is looked at */
	{
		uint8_t big[1400] = {0};
		size_t mps = dccp_conn_mps(net->e[0].c);

		assert_int_equal(mps, 1400 - 24 - 64);
		assert_int_equal(dccp_conn_send(net->e[0].c, big, mps + 1,
						net->now), -EMSGSIZE);
		assert_int_equal(dccp_conn_stats(net->e[0].c)->tx_too_big, 1);
	}
}

/* A full-size packet fits the MTU with what a DataAck carries. */
static void test_mps_fits(void **state)
{
	static uint8_t big[1400];
	struct wire *w;
	size_t mps;

	(void)state;
	start_pair();
	handshake();
	mps = dccp_conn_mps(net->e[0].c);
	memset(big, 'x', sizeof(big));
	/* something to acknowledge: a DataAck with its vector */
	assert_int_equal(send_str(1, "s"), 0);
	run_for(DELAY);
	assert_int_equal(dccp_conn_send(net->e[0].c, big, mps, net->now), 0);
	w = last(0);
	assert_int_equal(w->h.type, DCCP_DATAACK);
	assert_true(w->len <= 1400);
	assert_int_equal(w->len - w->h.doff, mps);
}

static void test_reset_for(void **state)
{
	struct dccp_hdr h = {.sport = 1111, .dport = 2222, .x = true};
	struct dccp_hdr r;
	uint8_t buf[64];
	int n;

	(void)state;
	h.type = DCCP_REQUEST;
	h.seq = 77;
	n = dccp_reset_for(&h, DCCP_RESET_NO_CONNECTION, buf, sizeof(buf));
	assert_int_equal(n, 28);
	assert_int_equal(dccp_decode(buf, (size_t)n, &r), DCCP_OK);
	assert_int_equal(r.type, DCCP_RESET);
	assert_int_equal(r.sport, 2222);
	assert_int_equal(r.dport, 1111);
	assert_int_equal(r.seq, 0);
	assert_int_equal(r.ack, 77);
	assert_int_equal(r.reset_code, DCCP_RESET_NO_CONNECTION);
	assert_int_equal(buf[6], 0);
	assert_int_equal(buf[7], 0);

	h.type = DCCP_DATAACK;
	h.seq = 5;
	h.ack = 9;
	n = dccp_reset_for(&h, DCCP_RESET_NO_CONNECTION, buf, sizeof(buf));
	assert_int_equal(dccp_decode(buf, (size_t)n, &r), DCCP_OK);
	assert_int_equal(r.seq, 10);
	assert_int_equal(r.ack, 5);

	/* ackno + 1 wraps at 2^48 */
	h.ack = DCCP_SEQ_MASK;
	n = dccp_reset_for(&h, DCCP_RESET_NO_CONNECTION, buf, sizeof(buf));
	assert_int_equal(dccp_decode(buf, (size_t)n, &r), DCCP_OK);
	assert_int_equal(r.seq, 0);

	h.type = DCCP_RESET;
	assert_int_equal(dccp_reset_for(&h, 3, buf, sizeof(buf)), 0);
	h.type = DCCP_DATA;
	assert_int_equal(dccp_reset_for(&h, 3, buf, 20), -ENOSPC);
}

/*
 * An Ack Vector longer than a data packet's room for options goes in a
 * pure Ack of its own, just before the data, which goes as Data.
 */
static void test_long_vector_alone(void **state)
{
	struct dccp_conn_params sp = params(true);
	struct dccp_hdr h = {.type = DCCP_DATAACK, .x = true};
	static uint8_t big[1400];
	struct dccp_opt o;
	struct wire *ack, *data;
	size_t n, mps;
	int i;

	(void)state;
	start(NULL, &sp);
	raw_open(100);
	/* the client is known to be OPEN: no more Ack for every packet */
	h.seq = 102;
	h.ack = last(1)->h.seq;
	assert_int_equal(inject(0, &h, NULL, 0, "x"), 1);
	/* every other packet lost: two cells per packet; the last unacked */
	h.type = DCCP_DATA;
	for (i = 0; i < 41; i++) {
		h.seq = 104 + 2 * (uint64_t)i;
		assert_int_equal(inject(0, &h, NULL, 0, "x"), 1);
	}
	/* a small payload leaves room for it all */
	assert_int_equal(send_str(1, "small"), 0);
	assert_int_equal(last(1)->h.type, DCCP_DATAACK);
	assert_true(find_opt(last(1), DCCP_OPT_ACK_VECTOR_0, -1, &o));
	assert_true(o.len > 64);
	h.seq = 104 + 2 * 41;
	assert_int_equal(inject(0, &h, NULL, 0, "x"), 1);
	/* a full one does not: the vector goes in an Ack before it */
	mps = dccp_conn_mps(net->e[1].c);
	n = net->nlog;
	assert_int_equal(dccp_conn_send(net->e[1].c, big, mps, net->now), 0);
	assert_int_equal(net->nlog, n + 2);
	ack = &net->log[n];
	data = &net->log[n + 1];
	assert_int_equal(ack->h.type, DCCP_ACK);
	assert_int_equal(ack->h.ack, 104 + 2 * 41);
	assert_true(find_opt(ack, DCCP_OPT_ACK_VECTOR_0, -1, &o));
	assert_true(o.len > 64);
	assert_int_equal(data->h.type, DCCP_DATA);
	assert_int_equal(data->h.optlen, 0);
	assert_int_equal(data->h.seq, ack->h.seq + 1);
	assert_int_equal(data->len - data->h.doff, mps);
}

/* Both ISS just under 2^48: the numbers wrap during the connection. */
static void test_seq_wrap(void **state)
{
	struct dccp_conn_params cp = params(false), sp = params(true);
	char s[16];
	int i;

	(void)state;
	cp.iss = DCCP_SEQ_MASK - 2;
	sp.iss = DCCP_SEQ_MASK;
	start(&cp, &sp);
	handshake();
	assert_int_equal(nth(1, DCCP_RESPONSE, 0)->h.seq, DCCP_SEQ_MASK);
	assert_int_equal(nth(1, DCCP_ACK, 0)->h.seq, 0);
	for (i = 0; i < 20; i++) {
		snprintf(s, sizeof(s), "m%d", i);
		assert_int_equal(send_str(0, s), 0);
		assert_int_equal(send_str(1, s), 0);
		run_for(100 * MS);
	}
	assert_int_equal(net->e[0].nrx, 20);
	assert_int_equal(net->e[1].nrx, 20);
	assert_string_equal(net->e[1].rx[19], "m19");
	assert_int_equal(dccp_conn_stats(net->e[0].c)->rx_out_of_window, 0);
	assert_int_equal(dccp_conn_stats(net->e[1].c)->rx_out_of_window, 0);
	dccp_conn_close(net->e[0].c, net->now);
	run_for(100 * MS);
	expect_states(DCCP_S_TIMEWAIT, DCCP_S_CLOSED);
}

/* 8.1.4: the client echoes the Response's Init Cookie in PARTOPEN. */
static void test_init_cookie(void **state)
{
	struct dccp_conn_params cp = params(false);
	const uint8_t cookie[] = "cookie!";
	struct dccp_hdr h = {.type = DCCP_RESPONSE, .x = true,
			     .seq = 9000,
			     .service = dccp_service_code("DTLS")};
	const uint8_t cc[] = {2, 2};
	uint8_t o[64];
	size_t n = 0;
	struct dccp_opt opt;
	struct wire *w;

	(void)state;
	start(&cp, NULL);
	dccp_conn_connect(net->e[0].c, net->now);
	h.ack = last(0)->h.seq;
	n += (size_t)dccp_opt_put(o + n, sizeof(o) - n, DCCP_OPT_INIT_COOKIE,
				  cookie, 7);
	n += (size_t)dccp_opt_put_feature(o + n, sizeof(o) - n,
					  DCCP_OPT_CONFIRM_R, 1, cc, 2);
	n += (size_t)dccp_opt_put_feature(o + n, sizeof(o) - n,
					  DCCP_OPT_CONFIRM_L, 1, cc, 2);
	n = (size_t)dccp_opt_pad(o, n, sizeof(o));
	assert_int_equal(inject(1, &h, o, n, NULL), 0);
	assert_int_equal(dccp_conn_state(net->e[0].c), DCCP_S_PARTOPEN);
	w = last(0);
	assert_int_equal(w->h.type, DCCP_ACK);
	assert_int_equal(w->h.ack, 9000);
	expect_opt(w, DCCP_OPT_INIT_COOKIE, -1, cookie, 7);
	/* data in PARTOPEN is a DataAck, with the cookie too */
	assert_int_equal(send_str(0, "early"), 0);
	w = last(0);
	assert_int_equal(w->h.type, DCCP_DATAACK);
	expect_opt(w, DCCP_OPT_INIT_COOKIE, -1, cookie, 7);
	/* again after 200 ms */
	net->now += 200 * MS;
	dccp_conn_on_timeout(net->e[0].c, net->now);
	w = last(0);
	assert_int_equal(w->h.type, DCCP_ACK);
	expect_opt(w, DCCP_OPT_INIT_COOKIE, -1, cookie, 7);

	/* any packet from the server: OPEN, no more cookie */
	h.type = DCCP_ACK;
	h.seq = 9001;
	h.ack = w->h.seq;
	assert_int_equal(inject(1, &h, NULL, 0, NULL), 0);
	assert_int_equal(dccp_conn_state(net->e[0].c), DCCP_S_OPEN);
	assert_int_equal(send_str(0, "later"), 0);
	assert_false(find_opt(last(0), DCCP_OPT_INIT_COOKIE, -1, &opt));
}

/* 13.3: a Timestamp is echoed with the time it waited. */
static void test_timestamp_echo(void **state)
{
	struct dccp_conn_params sp = params(true);
	struct dccp_hdr h = {.type = DCCP_DATAACK, .x = true};
	uint8_t o[8];
	struct wire *w;
	uint32_t ts, el;
	bool has_el;
	struct dccp_opt opt;

	(void)state;
	start(NULL, &sp);
	raw_open(20);
	dccp_opt_put_timestamp(o, sizeof(o), 0x12345678);
	h.seq = 22;
	h.ack = last(1)->h.seq;
	assert_int_equal(inject(0, &h, o, 8, "t"), 1);
	/* one data packet: the delayed ack, 40 ms later */
	assert_int_equal(dccp_conn_next_timeout(net->e[1].c, net->now),
			 40 * MS);
	net->now += 40 * MS;
	dccp_conn_on_timeout(net->e[1].c, net->now);
	w = last(1);
	assert_int_equal(w->h.type, DCCP_ACK);
	assert_int_equal(w->h.ack, 22);
	assert_true(find_opt(w, DCCP_OPT_TIMESTAMP_ECHO, -1, &opt));
	assert_int_equal(dccp_opt_timestamp_echo(&opt, &ts, &has_el, &el), 0);
	assert_int_equal(ts, 0x12345678);
	assert_true(has_el);
	assert_int_equal(el, 4000);	/* hundredths of ms */
	/* a Slow Receiver is counted, NDP Count ignored */
	o[0] = DCCP_OPT_SLOW_RECEIVER;
	dccp_opt_put_ndp_count(o + 1, 7, 5);
	h.seq = 23;
	assert_int_equal(inject(0, &h, o, 4, "u"), 1);
	assert_int_equal(dccp_conn_stats(net->e[1].c)->rx_slow_receiver, 1);
}

/* Ack Ratio 2: two data packets are acked at once, one after 40 ms. */
static void test_ack_ratio(void **state)
{
	size_t acks;

	(void)state;
	start_pair();
	handshake();
	acks = (size_t)count(1, DCCP_ACK);
	assert_int_equal(send_str(0, "1"), 0);
	assert_int_equal(send_str(0, "2"), 0);
	run_for(DELAY);
	assert_int_equal(count(1, DCCP_ACK), (int)acks + 1);
	assert_int_equal(last(1)->at, net->now);
	assert_int_equal(send_str(0, "3"), 0);
	run_for(DELAY + 39 * MS);
	assert_int_equal(count(1, DCCP_ACK), (int)acks + 1);
	run_for(1 * MS);
	assert_int_equal(count(1, DCCP_ACK), (int)acks + 2);
	/* the client does not acknowledge those pure Acks */
	run_for(1000 * MS);
	assert_int_equal(count(0, DCCP_ACK), 1);
}

/* CCID 2 asks for another Ack Ratio: Change L 5 until Confirmed. */
static void test_ack_ratio_change(void **state)
{
	struct ccid2_tx *tx;
	struct wire *w;

	(void)state;
	start_pair();
	handshake();
	tx = (struct ccid2_tx *)dccp_conn_ccid2(net->e[0].c);
	tx->ack_ratio = 3;
	assert_int_equal(send_str(0, "r"), 0);
	w = last(0);
	assert_int_equal(w->h.type, DCCP_DATAACK);
	expect_opt(w, DCCP_OPT_CHANGE_L, 5, (const uint8_t[]){5, 0, 3}, 3);
	run_for(DELAY + 40 * MS);
	w = last(1);
	assert_int_equal(w->h.type, DCCP_ACK);
	expect_opt(w, DCCP_OPT_CONFIRM_R, 5, (const uint8_t[]){5, 0, 3}, 3);
}

/* 7.6: a short (24-bit) sequence number on Data is extended. */
static void test_short_seqno(void **state)
{
	struct dccp_conn_params sp = params(true);
	struct dccp_hdr h = {.type = DCCP_DATA, .x = false};

	(void)state;
	start(NULL, &sp);
	raw_open(0xfffffe);
	/* GSR 0xffffff: 0x000001 is 2^24 + 1 */
	h.seq = 1;
	assert_int_equal(inject(0, &h, NULL, 0, "short"), 1);
	/* and a duplicate of it is not delivered again */
	assert_int_equal(inject(0, &h, NULL, 0, "short"), 0);
	assert_int_equal(dccp_conn_stats(net->e[1].c)->rx_dup, 1);
}

/* Step 7: a Request at the client, a Response at the server: Sync. */
static void test_unexpected_type(void **state)
{
	struct dccp_conn_params sp = params(true);
	struct dccp_hdr h = {.type = DCCP_RESPONSE, .x = true,
			     .service = dccp_service_code("DTLS")};

	(void)state;
	start(NULL, &sp);
	raw_open(40);
	h.seq = 42;
	h.ack = last(1)->h.seq;
	assert_int_equal(inject(0, &h, NULL, 0, NULL), 0);
	assert_int_equal(last(1)->h.type, DCCP_SYNC);
	assert_int_equal(last(1)->h.ack, 42);
	assert_int_equal(dccp_conn_state(net->e[1].c), DCCP_S_OPEN);
	/* LISTEN takes only a Request */
	dccp_conn_free(net->e[1].c);
	net->e[1].nev = 0;
	start(NULL, &sp);
	h.type = DCCP_ACK;
	assert_int_equal(inject(0, &h, NULL, 0, NULL), 0);
	assert_int_equal(last(1)->h.type, DCCP_RESET);
	assert_int_equal(last(1)->h.reset_code, DCCP_RESET_NO_CONNECTION);
	assert_int_equal(last(1)->h.seq, h.ack + 1);
	assert_int_equal(dccp_conn_state(net->e[1].c), DCCP_S_CLOSED);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_handshake),
		T(test_request_lost),
		T(test_request_give_up),
		T(test_response_lost),
		T(test_partopen_ack_lost),
		T(test_data_both_ways),
		T(test_duplicate_and_reorder),
		T(test_sync),
		T(test_abort),
		T(test_bad_service),
		T(test_close_client),
		T(test_close_give_up),
		T(test_close_server),
		T(test_unknown_feature),
		T(test_bad_option),
		T(test_window_full),
		T(test_mps_fits),
		T(test_long_vector_alone),
		T(test_reset_for),
		T(test_seq_wrap),
		T(test_init_cookie),
		T(test_timestamp_echo),
		T(test_ack_ratio),
		T(test_ack_ratio_change),
		T(test_short_seqno),
		T(test_unexpected_type),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
