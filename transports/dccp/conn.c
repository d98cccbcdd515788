/*
 * A DCCP connection (RFC 4340): the state machine and the event
 * processing of section 8.5, validity windows (7.5), feature negotiation
 * (6), and CCID 2 (ccid2.h) for both half-connections.  See conn.h.
 *
 * The RFC leaves these numbers to the implementation; ours:
 *
 *   Request      first retransmission after 1 s (8.1.1), doubling;
 *                given up 48 s after the first Request (5 retransmits,
 *                at 1, 3, 7, 15 and 31 s): a gateway's peer that has not
 *                answered by then is not coming.  Closed, no Reset.
 *   RESPOND      the server sends a Response only for a Request (8.1.3),
 *                never on a timer, and leaves RESPOND after 48 s too.
 *   PARTOPEN     the client resends an Ack after 200 ms (8.1.5),
 *                doubling, until any packet arrives; 48 s at most.
 *   Close,       resent from CCID 2's RTO (1 s before an RTT sample),
 *   CloseReq     doubling, until the Reset or Close; 48 s at most.
 *   give up      in PARTOPEN, CLOSEREQ and CLOSING: Reset Aborted.
 *   TIMEWAIT     params.timewait_us, 0: 2 MSL = 4 minutes (8.3).
 *   Sync         at most one per 200 ms for out-of-window packets
 *                (7.5.4 asks for a rate limit, not a number).
 *   delayed ack  40 ms after data that did not complete the peer's
 *                Ack Ratio, or after a Change we owe a Confirm for.
 *
 * Acknowledgements.  Every packet that passes 7.5 is recorded in the Ack
 * Vector; an Ack goes when the peer's Ack Ratio in data packets arrived
 * or the delayed-ack timer fires.  A pure Ack never causes an Ack: our
 * data packets go as DataAck when something arrived since our last ack,
 * which acknowledges the peer's Acks as RFC 4341 6.1.4 needs.  A gap
 * between two pure Acks of the peer counts as lost acks for CCID 2's Ack
 * Ratio (4341 6.1.1); we cannot see ECN marks.  One
 * exception: a server that has just reached OPEN answers every packet
 * with an Ack until the client acknowledges one of its post-handshake
 * packets, so a client is not left in PARTOPEN by a server with nothing
 * to send.
 *
 * Data packets reserve DATA_OPT_ROOM bytes of options: dccp_conn_mps()
 * is mtu - 24 - 64.  What a DataAck carries (Confirms, Changes, a
 * Timestamp Echo, the Ack Vector) must fit there; when it does not, a
 * pure Ack carries it all just before a Data packet.  So the vector
 * rides on data only while it is short (under about 40 cells), and is
 * never cut.  In PARTOPEN, where data must go as DataAck with the Init
 * Cookie, a send that does not fit says -EAGAIN until OPEN.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/bytes.h"
#include "conn.h"

#define MS			UINT64_C(1000)
#define REQUEST_RTO_US		(1000 * MS)
#define PARTOPEN_RTO_US		(200 * MS)
#define GIVEUP_US		(48000 * MS)
#define DELACK_US		(40 * MS)
#define SYNC_GAP_US		(200 * MS)
#define TIMEWAIT_US		(240000 * MS)	/* 2 MSL */

#define DATA_HDR_LEN		(DCCP_GENERIC_LEN + DCCP_ACK_LEN)
#define DATA_OPT_ROOM		64
#define MTU_MIN			256
#define MTU_MAX			65535

/* Feature numbers (6.4) and their defaults. */
enum {
	F_CCID = 1,
	F_SHORT_SEQNOS = 2,
	F_SEQ_WINDOW = 3,
	F_ECN_INCAPABLE = 4,
	F_ACK_RATIO = 5,
	F_SEND_ACKVEC = 6,
	F_SEND_NDP = 7,
	F_MIN_CSCOV = 8,
	F_CHECK_DATA_CSUM = 9,
	F_COUNT = 10,
};
#define SEQ_WINDOW_DEFAULT	100
#define SEQ_WINDOW_MIN		32
#define SEQ_WINDOW_MAX		((UINT64_C(1) << 46) - 1)
#define ACK_RATIO_DEFAULT	2

/* Where a feature lives: index of the arrays below. */
enum { AT_US = 0, AT_PEER = 1 };

/*
 * What we accept, in our order of preference, for each server-priority
 * feature at each end (6.3.1); NN features have a range instead.
 */
static const uint8_t pref_ccid2[] = {2};
static const uint8_t pref_any_bool[] = {0, 1};
static const uint8_t pref_on[] = {1, 0};
static const uint8_t pref_off[] = {0};
static const uint8_t pref_cscov[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
				     12, 13, 14, 15};

struct feat_def {
	bool		 nn;
	uint64_t	 dflt;
	/* SP: preference lists, [AT_US] and [AT_PEER] */
	const uint8_t	*pref[2];
	uint8_t		 npref[2];
	/* NN: valid values */
	uint64_t	 min, max;
};

#define PREF(a)		(a), sizeof(a)
static const struct feat_def feats[F_COUNT] = {
	[F_CCID] = {.dflt = 2, .pref = {pref_ccid2, pref_ccid2},
		    .npref = {1, 1}},
	/* we always send X=1, which either value allows */
	[F_SHORT_SEQNOS] = {.pref = {pref_any_bool, pref_any_bool},
			    .npref = {2, 2}},
	[F_SEQ_WINDOW] = {.nn = true, .dflt = SEQ_WINDOW_DEFAULT,
			  .min = SEQ_WINDOW_MIN, .max = SEQ_WINDOW_MAX},
	[F_ECN_INCAPABLE] = {.pref = {pref_any_bool, pref_any_bool},
			     .npref = {2, 2}},
	[F_ACK_RATIO] = {.nn = true, .dflt = ACK_RATIO_DEFAULT, .min = 1,
			 .max = 0xffff},
	[F_SEND_ACKVEC] = {.pref = {pref_on, pref_on}, .npref = {2, 2}},
	/* we send no NDP Count and check no Data Checksum */
	[F_SEND_NDP] = {.pref = {pref_off, pref_any_bool}, .npref = {1, 2}},
	/* we send CsCov 0, full coverage, which any minimum allows */
	[F_MIN_CSCOV] = {.pref = {pref_cscov, pref_cscov},
			 .npref = {16, 16}},
	[F_CHECK_DATA_CSUM] = {.pref = {pref_off, pref_any_bool},
			       .npref = {1, 2}},
};

/* A Change we sent, resent on every packet that may carry it. */
struct change {
	bool		 pending;
	uint8_t		 len;
	uint8_t		 val[6];
};

/* A Confirm we owe the peer for one of its Changes. */
struct confirm {
	uint8_t		 type;		/* Confirm L or R */
	uint8_t		 feat;
	uint8_t		 len;		/* of val; 0: empty Confirm */
	uint8_t		 val[1 + sizeof(pref_cscov)];
};
#define CONFIRM_MAX	16

/* Events waiting to reach cb->event, delivered when an entry returns. */
#define EV_BIT(e)	(1u << (e))

struct dccp_conn {
	struct dccp_conn_params	 p;
	struct dccp_conn_cb	 cb;
	void			*arg;
	enum dccp_state		 state;

	/* sequence numbers (7.1) and validity windows (7.5.1) */
	uint64_t		 iss, isr, gss, gsr, gar, osr;
	uint64_t		 swl, swh, awl, awh;

	/* features (6): values and negotiation */
	uint64_t		 feat[F_COUNT][2];
	struct change		 chg[F_COUNT][2];
	struct confirm		 conf[CONFIRM_MAX];
	size_t			 nconf;

	/* the Init Cookie of the Response, echoed in PARTOPEN (8.1.4) */
	uint8_t			 cookie[253];
	size_t			 cookie_len;

	/* a Timestamp to echo on the next ack (13.3) */
	bool			 ts_pending;
	uint32_t		 ts_val;
	uint64_t		 ts_at;

	/* acknowledgements */
	bool			 ack_sent;
	uint64_t		 last_ack;	/* ackno of our last ack */
	unsigned int		 rx_unacked;	/* data packets since then */
	bool			 peer_open;	/* client known to be OPEN */
	bool			 rx_was_ack;	/* the peer's last packet: pure Ack */
	uint64_t		 open_seq;	/* our first packet in OPEN */

	/* timers: absolute times, 0 when not armed */
	uint64_t		 rtx_at, rtx_ivl, giveup_at;
	uint64_t		 dack_at;
	uint64_t		 tw_at;
	uint64_t		 sync_at;	/* last Sync, rate limit */
	bool			 synced;

	bool			 blocked;	/* send() said -EAGAIN */
	bool			 closed_told;
	bool			 dead_pending, dead;
	unsigned int		 ev;
	uint8_t			 ev_code;

	struct dccp_conn_stats	 stats;
	struct dccp_ackvec	 av;
	struct ccid2_tx		 tx;

	size_t			 mtu;
	uint8_t			 pkt[];		/* mtu bytes: what we send */
};

/* Options being written for one packet. */
struct obuf {
	uint8_t			 b[DCCP_MAX_HEADER_LEN];
	size_t			 len, cap;
};

static void send_ack(struct dccp_conn *c, uint64_t now);

const char *dccp_state_name(enum dccp_state s)
{
	switch (s) {
	case DCCP_S_CLOSED:
		return "CLOSED";
	case DCCP_S_LISTEN:
		return "LISTEN";
	case DCCP_S_REQUEST:
		return "REQUEST";
	case DCCP_S_RESPOND:
		return "RESPOND";
	case DCCP_S_PARTOPEN:
		return "PARTOPEN";
	case DCCP_S_OPEN:
		return "OPEN";
	case DCCP_S_CLOSEREQ:
		return "CLOSEREQ";
	case DCCP_S_CLOSING:
		return "CLOSING";
	case DCCP_S_TIMEWAIT:
		return "TIMEWAIT";
	}
	return "?";
}

/* lo <= x <= hi, circularly (7.1) */
static bool between(uint64_t x, uint64_t lo, uint64_t hi)
{
	return dccp_seq_sub(x, lo) <= dccp_seq_sub(hi, lo);
}

/* States in which data may flow and acks are due. */
static bool data_state(enum dccp_state s)
{
	return s == DCCP_S_PARTOPEN || s == DCCP_S_OPEN ||
	       s == DCCP_S_CLOSEREQ || s == DCCP_S_CLOSING;
}

/*
 * 7.5.1: SWL = max(GSR + 1 - floor(W/4), ISR), SWH = GSR + floor(3W/4)
 * with W the peer's Sequence Window; AWL = max(GSS + 1 - W', ISS), AWH =
 * GSS with W' ours.  The max() only applies near the start, while the
 * window still reaches back past ISR or ISS: later the circular compare
 * would be meaningless.
 */
static void update_swl(struct dccp_conn *c)
{
	uint64_t w = c->feat[F_SEQ_WINDOW][AT_PEER];

	c->swl = dccp_seq_sub(dccp_seq_add(c->gsr, 1), w / 4);
	c->swh = dccp_seq_add(c->gsr, 3 * w / 4);
	if (dccp_seq_sub(c->gsr, c->isr) < w / 4)
		c->swl = c->isr;
}

static void update_awl(struct dccp_conn *c)
{
	uint64_t w = c->feat[F_SEQ_WINDOW][AT_US];

	c->awh = c->gss;
	c->awl = dccp_seq_sub(dccp_seq_add(c->gss, 1), w);
	if (dccp_seq_sub(c->gss, c->iss) < w)
		c->awl = c->iss;
}

static void update_gsr(struct dccp_conn *c, uint64_t seq)
{
	if (dccp_seq_after(seq, c->gsr))
		c->gsr = seq;
	update_swl(c);
}

static void tell(struct dccp_conn *c, enum dccp_event ev)
{
	c->ev |= EV_BIT(ev);
}

static void tell_closed(struct dccp_conn *c, uint8_t code)
{
	if (c->closed_told)
		return;
	c->closed_told = true;
	c->ev_code = code;
	tell(c, DCCP_EV_CLOSED);
}

/*
 * Hand the events of this call to the backend, after our state is
 * consistent: the backend may call dccp_conn_send() from them.
 */
static void flush_events(struct dccp_conn *c)
{
	static const enum dccp_event order[] = {
		DCCP_EV_OPEN, DCCP_EV_WRITABLE, DCCP_EV_CLOSED,
	};
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		enum dccp_event e = order[i];

		if (!(c->ev & EV_BIT(e)))
			continue;
		c->ev &= ~EV_BIT(e);
		c->cb.event(c->arg, e, e == DCCP_EV_CLOSED ? c->ev_code : 0);
	}
}

static void stop_timers(struct dccp_conn *c)
{
	c->rtx_at = c->giveup_at = c->dack_at = c->tw_at = 0;
}

/* CLOSED; DCCP_EV_DEAD follows from the next dccp_conn_on_timeout(). */
static void enter_closed(struct dccp_conn *c, uint8_t code)
{
	c->state = DCCP_S_CLOSED;
	stop_timers(c);
	tell_closed(c, code);
	if (!c->dead)
		c->dead_pending = true;
}

static void enter_timewait(struct dccp_conn *c, uint8_t code, uint64_t now)
{
	c->state = DCCP_S_TIMEWAIT;
	stop_timers(c);
	c->tw_at = now + (c->p.timewait_us ? c->p.timewait_us : TIMEWAIT_US);
	tell_closed(c, code);
}

/* Arm the retransmission timer: first after ivl, giving up at giveup. */
static void arm_rtx(struct dccp_conn *c, uint64_t ivl, uint64_t now)
{
	c->rtx_ivl = ivl;
	c->giveup_at = now + GIVEUP_US;
	c->rtx_at = now + ivl;
}

/*
 * ---- Options ----
 */

static int oadd(struct obuf *o, int n)
{
	if (n < 0)
		return n;
	o->len += (size_t)n;
	return 0;
}

/* cap rounded down to 4, so that padding always fits */
static void obuf_init(struct obuf *o, size_t cap)
{
	o->len = 0;
	o->cap = (cap < sizeof(o->b) ? cap : sizeof(o->b)) & ~(size_t)3;
}

static int opad(struct obuf *o)
{
	int n = dccp_opt_pad(o->b, o->len, o->cap);

	if (n < 0)
		return n;
	o->len = (size_t)n;
	return 0;
}

/* Changes still unconfirmed (6.6.1: sent again until Confirmed). */
static int put_changes(const struct dccp_conn *c, struct obuf *o)
{
	int f, loc, r;

	for (f = 1; f < F_COUNT; f++)
		for (loc = AT_US; loc <= AT_PEER; loc++) {
			const struct change *ch = &c->chg[f][loc];

			if (!ch->pending)
				continue;
			r = oadd(o, dccp_opt_put_feature(o->b + o->len,
					o->cap - o->len,
					loc == AT_US ? DCCP_OPT_CHANGE_L
						     : DCCP_OPT_CHANGE_R,
					(uint8_t)f, ch->val, ch->len));
			if (r < 0)
				return r;
		}
	return 0;
}

static int put_confirms(const struct dccp_conn *c, struct obuf *o)
{
	size_t i;
	int r;

	for (i = 0; i < c->nconf; i++) {
		const struct confirm *cf = &c->conf[i];

		r = oadd(o, dccp_opt_put_feature(o->b + o->len,
						 o->cap - o->len, cf->type,
						 cf->feat, cf->val, cf->len));
		if (r < 0)
			return r;
	}
	return 0;
}

static bool changes_pending(const struct dccp_conn *c)
{
	int f;

	for (f = 1; f < F_COUNT; f++)
		if (c->chg[f][AT_US].pending || c->chg[f][AT_PEER].pending)
			return true;
	return false;
}

/*
 * The options of a packet that acknowledges: the Init Cookie in
 * PARTOPEN, Confirms, Changes, a Timestamp Echo and the Ack Vector, then
 * padding.  *ackno is what the packet must acknowledge (the vector's
 * head, else GSR); *vec whether the vector is in.  A vector that does
 * not fit is left out when vec_optional, else -ENOSPC, as for the rest.
 */
static int put_ack_opts(const struct dccp_conn *c, struct obuf *o,
			bool vec_optional, uint64_t now, uint64_t *ackno,
			bool *vec)
{
	int r, n;

	*ackno = c->gsr;
	*vec = false;
	if (c->state == DCCP_S_PARTOPEN && c->cookie_len > 0) {
		r = oadd(o, dccp_opt_put(o->b + o->len, o->cap - o->len,
					 DCCP_OPT_INIT_COOKIE, c->cookie,
					 c->cookie_len));
		if (r < 0)
			return r;
	}
	if ((r = put_confirms(c, o)) < 0 || (r = put_changes(c, o)) < 0)
		return r;
	if (c->ts_pending) {
		/* Elapsed Time in hundredths of milliseconds (13.2) */
		uint64_t el = (now - c->ts_at) / 10;

		r = oadd(o, dccp_opt_put_timestamp_echo(o->b + o->len,
				o->cap - o->len, c->ts_val, true,
				el > UINT32_MAX ? UINT32_MAX : (uint32_t)el));
		if (r < 0)
			return r;
	}
	n = dccp_ackvec_encode(&c->av, o->b + o->len, o->cap - o->len, ackno);
	if (n > 0) {
		o->len += (size_t)n;
		*vec = true;
	} else {
		*ackno = c->gsr;
		if (n < 0 && !vec_optional)
			return n;
	}
	return opad(o);
}

/*
 * ---- Sending ----
 */

/*
 * Write the packet h (seq assigned here) with options o and payload
 * data[0..dlen), record it and hand it to cb->output.
 */
static int xmit(struct dccp_conn *c, struct dccp_hdr *h,
		const struct obuf *o, bool vec, const uint8_t *data,
		size_t dlen, uint64_t now)
{
	int n;

	h->sport = c->p.sport;
	h->dport = c->p.dport;
	h->x = true;
	h->seq = dccp_seq_add(c->gss, 1);
	n = dccp_encode(h, o ? o->b : NULL, o ? o->len : 0, c->pkt, c->mtu);
	if (n < 0)
		return n;
	if (dlen > c->mtu - (size_t)n)
		return -EMSGSIZE;
	if (dlen > 0)
		memcpy(c->pkt + n, data, dlen);
	c->gss = h->seq;
	update_awl(c);
	if (vec)
		dccp_ackvec_sent(&c->av, h->seq);
	if (h->type == DCCP_RESPONSE || h->type == DCCP_ACK ||
	    h->type == DCCP_DATAACK) {
		c->ack_sent = true;
		c->last_ack = h->ack;
		c->rx_unacked = 0;
		c->dack_at = 0;
		/* the client repeats its Confirms until it leaves PARTOPEN */
		if (c->state != DCCP_S_PARTOPEN)
			c->nconf = 0;
		c->ts_pending = false;
	}
	ccid2_tx_sent(&c->tx, h->seq, dlen > 0, now);
	c->stats.tx_packets++;
	if (dlen > 0)
		c->stats.tx_data++;
	c->cb.output(c->arg, c->pkt, (size_t)n + dlen);
	return 0;
}

/* A packet with no options and no data: Close, CloseReq, Sync, ... */
static void send_bare(struct dccp_conn *c, uint8_t type, uint64_t ackno,
		      uint64_t now)
{
	struct dccp_hdr h = {.type = type, .ack = ackno};

	(void)xmit(c, &h, NULL, false, NULL, 0, now);
}

static void send_reset(struct dccp_conn *c, uint8_t code,
		       const uint8_t data[3], uint64_t now)
{
	struct dccp_hdr h = {.type = DCCP_RESET, .ack = c->gsr,
			     .reset_code = code};

	if (data != NULL)
		memcpy(h.reset_data, data, 3);
	if (xmit(c, &h, NULL, false, NULL, 0, now) == 0)
		c->stats.resets_tx++;
}

/* Reset, then CLOSED: for errors found in a packet or by the user. */
static void reset_close(struct dccp_conn *c, uint8_t code,
			const uint8_t data[3], uint64_t now)
{
	send_reset(c, code, data, now);
	enter_closed(c, code);
}

/* 7.5.4: a Sync for an out-of-window or unexpected packet, rate-limited. */
static void send_sync(struct dccp_conn *c, uint64_t ackno, uint64_t now)
{
	if (c->synced && now - c->sync_at < SYNC_GAP_US)
		return;
	c->synced = true;
	c->sync_at = now;
	c->stats.tx_sync++;
	send_bare(c, DCCP_SYNC, ackno, now);
}

static void send_request(struct dccp_conn *c, uint64_t now)
{
	struct dccp_hdr h = {.type = DCCP_REQUEST, .service = c->p.service};
	struct obuf o;

	obuf_init(&o, c->mtu - DCCP_GENERIC_LEN - 4);
	/* our Changes always fit: a few dozen bytes */
	if (put_changes(c, &o) < 0 || opad(&o) < 0)
		o.len = 0;
	(void)xmit(c, &h, &o, false, NULL, 0, now);
}

static void send_response(struct dccp_conn *c, uint64_t now)
{
	struct dccp_hdr h = {.type = DCCP_RESPONSE, .service = c->p.service};
	struct obuf o;
	bool vec;

	obuf_init(&o, c->mtu - DCCP_GENERIC_LEN - DCCP_ACK_LEN - 4);
	if (put_ack_opts(c, &o, true, now, &h.ack, &vec) < 0) {
		/* not even without the vector: send the bare Response */
		o.len = 0;
		vec = false;
		h.ack = c->gsr;
	}
	(void)xmit(c, &h, &o, vec, NULL, 0, now);
}

static void send_ack(struct dccp_conn *c, uint64_t now)
{
	struct dccp_hdr h = {.type = DCCP_ACK};
	struct obuf o;
	bool vec;

	obuf_init(&o, c->mtu - DATA_HDR_LEN);
	if (put_ack_opts(c, &o, true, now, &h.ack, &vec) < 0) {
		o.len = 0;
		vec = false;
		h.ack = c->gsr;
	}
	(void)xmit(c, &h, &o, vec, NULL, 0, now);
}

/*
 * ---- Feature negotiation (6) ----
 */

static void set_change(struct dccp_conn *c, int f, int loc,
		       const uint8_t *val, size_t len)
{
	struct change *ch = &c->chg[f][loc];

	ch->pending = true;
	ch->len = (uint8_t)len;
	if (len > 0)
		memcpy(ch->val, val, len);
}

static void set_change_nn(struct dccp_conn *c, int f, uint64_t v)
{
	uint8_t b[6];
	size_t n = f == F_SEQ_WINDOW ? 6 : 2;

	be_put(b, v, n);
	set_change(c, f, AT_US, b, n);
}

/* Ask for the Ack Ratio CCID 2 wants for our data, when it changed. */
static void check_ack_ratio(struct dccp_conn *c)
{
	struct change *ch = &c->chg[F_ACK_RATIO][AT_US];
	uint64_t want = c->tx.ack_ratio;

	if (want < 1 || want > 0xffff)
		return;
	if (want == c->feat[F_ACK_RATIO][AT_US]) {
		ch->pending = false;
		return;
	}
	if (ch->pending && be_get(ch->val, ch->len) == want)
		return;
	set_change_nn(c, F_ACK_RATIO, want);
}

static void owe_confirm(struct dccp_conn *c, uint8_t type, uint8_t f,
			const uint8_t *val, size_t len)
{
	struct confirm *cf = NULL;
	size_t i;

	for (i = 0; i < c->nconf; i++)
		if (c->conf[i].type == type && c->conf[i].feat == f)
			cf = &c->conf[i];
	if (cf == NULL) {
		/* the peer sends its Changes again: a later packet has room */
		if (c->nconf == CONFIRM_MAX)
			return;
		cf = &c->conf[c->nconf++];
	}
	cf->type = type;
	cf->feat = f;
	cf->len = (uint8_t)len;
	if (len > 0)
		memcpy(cf->val, val, len);
}

static bool in_list(uint8_t v, const uint8_t *l, size_t n)
{
	return memchr(l, v, n) != NULL;
}

/*
 * Server-priority reconciliation (6.3.1): the first value of the
 * server's list that the client's also holds.  -1 when none.
 */
static int reconcile(bool server, const uint8_t *ours, size_t nours,
		     const uint8_t *theirs, size_t ntheirs)
{
	const uint8_t *first = server ? ours : theirs;
	const uint8_t *other = server ? theirs : ours;
	size_t nfirst = server ? nours : ntheirs;
	size_t nother = server ? ntheirs : nours;
	size_t i;

	for (i = 0; i < nfirst; i++)
		if (in_list(first[i], other, nother))
			return first[i];
	return -1;
}

/*
 * A Change from the peer: Change L is about its feature, Change R about
 * ours.  Returns 0, or the Reset Code to send.  A Change we cannot take
 * (unknown feature, Change R of an NN feature, a value out of range, no
 * common SP value) gets an empty Confirm (6.6.7), or Mandatory Error
 * when Mandatory preceded it (6.6.9).
 */
static int on_change(struct dccp_conn *c, const struct dccp_opt *o)
{
	int loc = o->type == DCCP_OPT_CHANGE_R ? AT_US : AT_PEER;
	uint8_t ctype = loc == AT_US ? DCCP_OPT_CONFIRM_L : DCCP_OPT_CONFIRM_R;
	uint8_t f = o->val[0];
	const uint8_t *v = o->val + 1;
	size_t n = o->len - 1;
	const struct feat_def *d = f < F_COUNT && f > 0 ? &feats[f] : NULL;
	uint8_t cv[sizeof(((struct confirm *)0)->val)];
	int pick;

	if (d == NULL || n == 0 || (d->nn && (loc == AT_US || n > 6)))
		goto refuse;
	if (d->nn) {
		uint64_t x = be_get(v, n);

		if (x < d->min || x > d->max)
			goto refuse;
		c->feat[f][AT_PEER] = x;
		if (f == F_SEQ_WINDOW)
			update_swl(c);
		owe_confirm(c, ctype, f, v, n);
		return 0;
	}
	pick = reconcile(c->p.server, d->pref[loc], d->npref[loc], v, n);
	if (pick < 0)
		goto refuse;
	c->feat[f][loc] = (uint64_t)pick;
	cv[0] = (uint8_t)pick;
	memcpy(cv + 1, d->pref[loc], d->npref[loc]);
	owe_confirm(c, ctype, f, cv, 1 + (size_t)d->npref[loc]);
	/* both lists went into this result: ours needs no Confirm now */
	c->chg[f][loc].pending = false;
	return 0;
refuse:
	if (o->mandatory)
		return DCCP_RESET_MANDATORY_ERROR;
	owe_confirm(c, ctype, f, NULL, 0);
	return 0;
}

/*
 * A Confirm from the peer for one of our Changes: Confirm L answers our
 * Change R (its feature), Confirm R our Change L.  Confirms for nothing
 * we asked are ignored.  Returns 0 or the Reset Code to send.
 */
static int on_confirm(struct dccp_conn *c, const struct dccp_opt *o)
{
	int loc = o->type == DCCP_OPT_CONFIRM_L ? AT_PEER : AT_US;
	uint8_t f = o->val[0];
	struct change *ch;
	uint64_t x;

	if (f == 0 || f >= F_COUNT || !c->chg[f][loc].pending)
		return 0;
	ch = &c->chg[f][loc];
	if (o->len == 1) {
		/* the peer does not know it: the default stays (6.6.7) */
		ch->pending = false;
		return 0;
	}
	if (feats[f].nn) {
		x = be_get(o->val + 1, o->len - 1 > 6 ? 6 : o->len - 1);
		if (x < feats[f].min || x > feats[f].max)
			return DCCP_RESET_OPTION_ERROR;
		c->feat[f][loc] = x;
		/* a Confirm of an older value leaves the newer one pending */
		if (x == be_get(ch->val, ch->len))
			ch->pending = false;
		if (f == F_SEQ_WINDOW)
			update_awl(c);
		return 0;
	}
	/* 6.6.8: the value must come from our preference list */
	if (!in_list(o->val[1], ch->val, ch->len))
		return DCCP_RESET_OPTION_ERROR;
	c->feat[f][loc] = o->val[1];
	ch->pending = false;
	return 0;
}

/*
 * ---- Receiving ----
 */

/* The Ack Vector cells of a packet, all its Ack Vector options joined. */
struct rxvec {
	uint8_t		 cells[DCCP_MAX_HEADER_LEN];
	size_t		 n;
};

/*
 * Step 8: the options of a valid packet.  Returns 0, or a negative
 * dccp_error after resetting the connection (Option Error for malformed
 * options, 5.8; Mandatory Error for a Mandatory option we cannot honour,
 * 5.8.2; the codes on_change() and on_confirm() give).
 */
static int process_options(struct dccp_conn *c, const struct dccp_hdr *h,
			   struct rxvec *rv, uint64_t now)
{
	struct dccp_opt_iter it;
	struct dccp_opt o;
	uint8_t data[3] = {0};
	size_t start = 0;
	int code = 0;
	enum dccp_error err = DCCP_ERR_OPT_VALUE_LEN;

	rv->n = 0;
	dccp_opt_iter_init(&it, h->opts, h->optlen);
	for (;;) {
		start = it.pos;
		if (!dccp_opt_next(&it, &o))
			break;
		switch (o.type) {
		case DCCP_OPT_PADDING:
		case DCCP_OPT_MANDATORY:
		case DCCP_OPT_NDP_COUNT:
		case DCCP_OPT_DATA_DROPPED:
		case DCCP_OPT_TIMESTAMP_ECHO:
		case DCCP_OPT_ELAPSED_TIME:
		case DCCP_OPT_DATA_CHECKSUM:
			break;
		case DCCP_OPT_SLOW_RECEIVER:
			c->stats.rx_slow_receiver++;
			break;
		case DCCP_OPT_CHANGE_L:
		case DCCP_OPT_CHANGE_R:
			/* feature options on Data are ignored (6) */
			if (h->type != DCCP_DATA)
				code = on_change(c, &o);
			break;
		case DCCP_OPT_CONFIRM_L:
		case DCCP_OPT_CONFIRM_R:
			if (h->type != DCCP_DATA)
				code = on_confirm(c, &o);
			break;
		case DCCP_OPT_INIT_COOKIE:
			if (!c->p.server && h->type == DCCP_RESPONSE) {
				memcpy(c->cookie, o.val, o.len);
				c->cookie_len = o.len;
			}
			break;
		case DCCP_OPT_ACK_VECTOR_0:
		case DCCP_OPT_ACK_VECTOR_1:
			memcpy(rv->cells + rv->n, o.val, o.len);
			rv->n += o.len;
			break;
		case DCCP_OPT_TIMESTAMP:
			if (dccp_opt_u32(&o, &c->ts_val) == 0) {
				c->ts_pending = true;
				c->ts_at = now;
			}
			break;
		default:
			/* unknown: ignored unless Mandatory (5.8.2) */
			if (o.mandatory)
				code = DCCP_RESET_MANDATORY_ERROR;
			break;
		}
		if (code != 0) {
			err = code == DCCP_RESET_MANDATORY_ERROR
				      ? DCCP_ERR_MANDATORY
				      : DCCP_ERR_OPT_VALUE_LEN;
			break;
		}
	}
	if (code == 0 && it.err == DCCP_OK)
		return 0;
	if (code == 0) {
		code = DCCP_RESET_OPTION_ERROR;
		err = it.err;
	}
	/* Data 1-3: the option's type and the first bytes of its value */
	if (start < h->optlen) {
		size_t i;

		data[0] = h->opts[start];
		for (i = 0; i < 2 && start + 2 + i < h->optlen &&
			    h->opts[start] >= 32; i++)
			data[1 + i] = h->opts[start + 2 + i];
	}
	reset_close(c, (uint8_t)code, data, now);
	return -(int)err;
}

static bool window_open(const struct dccp_conn *c)
{
	return c->tx.pipe < c->tx.cwnd;
}

/* The peer's acknowledgement, for CCID 2 and the Ack Vector's pruning. */
static void on_ack(struct dccp_conn *c, uint64_t ackno,
		   const struct rxvec *rv, uint64_t now)
{
	if (ccid2_tx_on_ack(&c->tx, ackno, rv->n ? rv->cells : NULL, rv->n,
			    now) < 0)
		return;
	dccp_ackvec_on_ack(&c->av, ackno);
	if (!c->peer_open && !dccp_seq_before(ackno, c->open_seq))
		c->peer_open = true;
	check_ack_ratio(c);
	if (c->blocked && window_open(c)) {
		c->blocked = false;
		tell(c, DCCP_EV_WRITABLE);
	}
}

/*
 * RFC 4341 6.1.1: acknowledgements of ours lost on the way show as a gap
 * in the peer's sequence numbers.  We take a gap between two pure Acks
 * as lost Acks (a peer that only acknowledges sends nothing else), and
 * let CCID 2 raise the Ack Ratio.
 */
static void lost_acks(struct dccp_conn *c, uint8_t t, uint64_t seq)
{
	bool ack_only = t == DCCP_ACK;

	if (!dccp_seq_after(seq, c->gsr))
		return;
	if (ack_only && c->rx_was_ack &&
	    dccp_seq_after(seq, dccp_seq_add(c->gsr, 1)))
		ccid2_tx_ack_lost(&c->tx);
	c->rx_was_ack = ack_only;
}

/* Step 2 and 3: the Reset for a packet there is no connection for. */
static void reset_no_conn(struct dccp_conn *c, const struct dccp_hdr *h)
{
	uint8_t buf[DCCP_GENERIC_LEN + DCCP_ACK_LEN + 4];
	int n;

	n = dccp_reset_for(h, DCCP_RESET_NO_CONNECTION, buf, sizeof(buf));
	if (n <= 0)
		return;
	c->stats.tx_packets++;
	c->stats.resets_tx++;
	c->cb.output(c->arg, buf, (size_t)n);
}

/* Step 3: a Request in LISTEN makes the connection (RESPOND). */
static void accept_request(struct dccp_conn *c, uint64_t seq, uint64_t now)
{
	ccid2_tx_init(&c->tx, dccp_conn_mps(c), now);
	c->state = DCCP_S_RESPOND;
	c->gss = dccp_seq_sub(c->iss, 1);
	c->gar = c->iss;
	update_awl(c);
	c->isr = c->gsr = seq;
	update_swl(c);
	/* no retransmission: a Response only answers a Request (8.1.3) */
	c->rtx_ivl = GIVEUP_US;
	c->rtx_at = c->giveup_at = now + GIVEUP_US;
}

static bool ccid_ok(const struct dccp_conn *c)
{
	return c->feat[F_CCID][AT_US] == 2 && c->feat[F_CCID][AT_PEER] == 2;
}

static void enter_open(struct dccp_conn *c, uint64_t seq)
{
	c->osr = seq;
	c->state = DCCP_S_OPEN;
	c->rtx_at = c->giveup_at = 0;
	if (c->blocked && window_open(c)) {
		c->blocked = false;
		tell(c, DCCP_EV_WRITABLE);
	}
}

/* Schedule or send the acknowledgement a valid packet calls for. */
static void ack_policy(struct dccp_conn *c, bool data, bool dup,
		       uint64_t now)
{
	if (!data_state(c->state))
		return;
	if (data)
		c->rx_unacked++;
	if (c->rx_unacked >= c->feat[F_ACK_RATIO][AT_PEER] ||
	    (c->p.server && c->state == DCCP_S_OPEN && !c->peer_open)) {
		send_ack(c, now);
		return;
	}
	/* Confirms kept for PARTOPEN go on its Acks, not on a timer */
	if ((c->rx_unacked > 0 || dup ||
	     (c->nconf > 0 && c->state != DCCP_S_PARTOPEN)) && c->dack_at == 0)
		c->dack_at = now + DELACK_US;
}

int dccp_conn_input(struct dccp_conn *c, const struct dccp_hdr *h,
		    const uint8_t *pkt, size_t len, uint64_t now)
{
	uint64_t seq = h->seq, ack = h->ack, lswl, lawl;
	bool has_ack = dccp_type_has_ack(h->type);
	bool checked = false, data, deliver, dup;
	struct rxvec rv;
	uint8_t t = h->type;
	int r;

	(void)pkt;
	c->stats.rx_packets++;
	if (t == DCCP_SYNC || t == DCCP_SYNCACK)
		c->stats.rx_sync++;

	/* Step 2: no connection, or TIMEWAIT */
	if (c->state == DCCP_S_CLOSED || c->state == DCCP_S_TIMEWAIT) {
		reset_no_conn(c, h);
		return 0;
	}
	if (!h->x) {
		/* 7.6: short numbers only on Data, Ack, DataAck, once open */
		if (c->state == DCCP_S_LISTEN || c->state == DCCP_S_REQUEST)
			goto invalid;
		seq = dccp_seq_extend(c->gsr, (uint32_t)seq);
		if (has_ack)
			ack = dccp_seq_extend(c->gss, (uint32_t)ack);
	}

	/* Step 3: LISTEN */
	if (c->state == DCCP_S_LISTEN) {
		if (t != DCCP_REQUEST) {
			reset_no_conn(c, h);
			enter_closed(c, DCCP_RESET_NO_CONNECTION);
			goto out;
		}
		accept_request(c, seq, now);
		checked = true;
	}

	/* Step 4: REQUEST takes only a Response or Reset for a Request */
	if (c->state == DCCP_S_REQUEST) {
		if ((t != DCCP_RESPONSE && t != DCCP_RESET) ||
		    !between(ack, c->awl, c->awh))
			goto invalid;
		c->isr = c->gsr = seq;
		c->gar = ack;
		update_swl(c);
		checked = true;
	}

	/* Step 5: a Sync may move the window forward */
	if (!checked && (t == DCCP_SYNC || t == DCCP_SYNCACK)) {
		if (!between(ack, c->awl, c->awh) ||
		    dccp_seq_before(seq, c->swl))
			goto invalid;
		update_gsr(c, seq);
	}

	/* Step 6: sequence and acknowledgement validity (7.5.3) */
	if (!checked) {
		lswl = c->swl;
		lawl = c->awl;
		if (t == DCCP_CLOSEREQ || t == DCCP_CLOSE || t == DCCP_RESET) {
			lswl = dccp_seq_add(c->gsr, 1);
			lawl = c->gar;
		}
		if (!between(seq, lswl, c->swh) ||
		    (has_ack && !between(ack, lawl, c->awh))) {
			c->stats.rx_out_of_window++;
			send_sync(c, t == DCCP_RESET ? c->gsr : seq, now);
			goto out;
		}
		lost_acks(c, t, seq);
		update_gsr(c, seq);
		if (t != DCCP_SYNC && has_ack && dccp_seq_after(ack, c->gar))
			c->gar = ack;
	}

	/* Step 7: unexpected packet types */
	if ((c->p.server && (t == DCCP_RESPONSE || t == DCCP_CLOSEREQ)) ||
	    (!c->p.server && t == DCCP_REQUEST) ||
	    (c->state >= DCCP_S_OPEN &&
	     (t == DCCP_REQUEST || t == DCCP_RESPONSE) &&
	     !dccp_seq_before(seq, c->osr)) ||
	    (c->state == DCCP_S_RESPOND && t == DCCP_DATA)) {
		c->stats.rx_invalid++;
		send_sync(c, seq, now);
		goto out;
	}

	/* Step 9 first for a Reset: never answer one with a Reset */
	if (t == DCCP_RESET) {
		c->stats.resets_rx++;
		enter_timewait(c, h->reset_code, now);
		goto out;
	}

	/* Step 8: options, and mark the packet acknowledgeable */
	r = process_options(c, h, &rv, now);
	if (r < 0) {
		flush_events(c);
		return r;
	}
	dup = dccp_ackvec_record(&c->av, seq, DCCP_ACKVEC_RECEIVED) == 1;
	if (t == DCCP_RESPONSE || t == DCCP_ACK || t == DCCP_DATAACK)
		on_ack(c, ack, &rv, now);

	/* Step 10: a valid Response in REQUEST */
	if (c->state == DCCP_S_REQUEST) {
		if (h->service != c->p.service) {
			reset_close(c, DCCP_RESET_BAD_SERVICE_CODE, NULL, now);
			goto out;
		}
		if (!ccid_ok(c)) {
			reset_close(c, DCCP_RESET_OPTION_ERROR, NULL, now);
			goto out;
		}
		c->state = DCCP_S_PARTOPEN;
		arm_rtx(c, PARTOPEN_RTO_US, now);
		c->peer_open = true;
		tell(c, DCCP_EV_OPEN);
	}

	/* Step 11: RESPOND */
	if (c->state == DCCP_S_RESPOND) {
		if (t == DCCP_REQUEST) {
			if (h->service != c->p.service) {
				reset_close(c, DCCP_RESET_BAD_SERVICE_CODE,
					    NULL, now);
				goto out;
			}
			send_response(c, now);
			goto out;
		}
		if (!ccid_ok(c)) {
			reset_close(c, DCCP_RESET_OPTION_ERROR, NULL, now);
			goto out;
		}
		enter_open(c, seq);
		c->open_seq = dccp_seq_add(c->gss, 1);
		c->peer_open = false;
		tell(c, DCCP_EV_OPEN);
	}

	/* Step 12: PARTOPEN */
	if (c->state == DCCP_S_PARTOPEN) {
		if (t == DCCP_RESPONSE) {
			send_ack(c, now);
		} else if (t != DCCP_SYNC) {
			enter_open(c, seq);
			/* the server has had one of our packets: Confirms too */
			c->nconf = 0;
		}
	}

	/* Step 13: CloseReq, at a client (a server's was Synced in 7) */
	if (t == DCCP_CLOSEREQ) {
		c->state = DCCP_S_CLOSING;
		send_bare(c, DCCP_CLOSE, c->gsr, now);
		arm_rtx(c, c->tx.rto ? c->tx.rto : REQUEST_RTO_US, now);
	}

	/* Step 14: Close */
	if (t == DCCP_CLOSE) {
		reset_close(c, DCCP_RESET_CLOSED, NULL, now);
		goto out;
	}

	/* Step 15: Sync */
	if (t == DCCP_SYNC)
		send_bare(c, DCCP_SYNCACK, seq, now);

	/* Step 16: data, once; Request and Response data are not ours */
	data = (t == DCCP_DATA || t == DCCP_DATAACK) && len > h->doff;
	deliver = data && !dup && data_state(c->state);
	if (data && dup)
		c->stats.rx_dup++;
	if (deliver)
		c->stats.rx_data++;
	ack_policy(c, deliver, data && dup, now);
	flush_events(c);
	return deliver ? 1 : 0;
invalid:
	c->stats.rx_invalid++;
out:
	flush_events(c);
	return 0;
}

/*
 * ---- The API ----
 */

struct dccp_conn *dccp_conn_new(const struct dccp_conn_params *p,
				const struct dccp_conn_cb *cb, void *arg)
{
	struct dccp_conn *c;
	size_t mtu = p->mtu;
	uint64_t w = p->seq_window ? p->seq_window : SEQ_WINDOW_DEFAULT;
	int f;

	if (mtu < MTU_MIN)
		mtu = MTU_MIN;
	if (mtu > MTU_MAX)
		mtu = MTU_MAX;
	c = calloc(1, sizeof(*c) + mtu);
	if (c == NULL)
		return NULL;
	c->p = *p;
	c->cb = *cb;
	c->arg = arg;
	c->mtu = mtu;
	c->state = p->server ? DCCP_S_LISTEN : DCCP_S_CLOSED;
	c->iss = p->iss & DCCP_SEQ_MASK;
	c->gss = dccp_seq_sub(c->iss, 1);
	c->gar = c->iss;
	for (f = 1; f < F_COUNT; f++)
		c->feat[f][AT_US] = c->feat[f][AT_PEER] = feats[f].dflt;
	if (w < SEQ_WINDOW_MIN)
		w = SEQ_WINDOW_MIN;
	/* what we ask for on the Request or Response (6.4, header) */
	set_change(c, F_CCID, AT_US, pref_ccid2, sizeof(pref_ccid2));
	set_change(c, F_CCID, AT_PEER, pref_ccid2, sizeof(pref_ccid2));
	set_change(c, F_SEND_ACKVEC, AT_US, pref_on, sizeof(pref_on));
	set_change(c, F_SEND_ACKVEC, AT_PEER, pref_on, sizeof(pref_on));
	/* the default (100) holds until the peer confirms ours */
	set_change_nn(c, F_SEQ_WINDOW, w > SEQ_WINDOW_MAX ? SEQ_WINDOW_MAX : w);
	update_awl(c);
	dccp_ackvec_init(&c->av);
	ccid2_tx_init(&c->tx, dccp_conn_mps(c), 0);
	return c;
}

void dccp_conn_free(struct dccp_conn *c)
{
	free(c);
}

void dccp_conn_connect(struct dccp_conn *c, uint64_t now)
{
	if (c->p.server || c->state != DCCP_S_CLOSED || c->dead ||
	    c->closed_told)
		return;
	ccid2_tx_init(&c->tx, dccp_conn_mps(c), now);
	c->state = DCCP_S_REQUEST;
	send_request(c, now);
	arm_rtx(c, REQUEST_RTO_US, now);
}

size_t dccp_conn_mps(const struct dccp_conn *c)
{
	return c->mtu - DATA_HDR_LEN - DATA_OPT_ROOM;
}

int dccp_conn_send(struct dccp_conn *c, const uint8_t *data, size_t len,
		   uint64_t now)
{
	struct dccp_hdr h = {.type = DCCP_DATA};
	struct obuf o;
	bool vec = false;
	int r;

	if (c->state != DCCP_S_OPEN && c->state != DCCP_S_PARTOPEN)
		return -ENOTCONN;
	if (len > dccp_conn_mps(c)) {
		c->stats.tx_too_big++;
		return -EMSGSIZE;
	}
	if (!ccid2_tx_can_send(&c->tx)) {
		c->blocked = true;
		return -EAGAIN;
	}
	check_ack_ratio(c);
	obuf_init(&o, c->mtu - DATA_HDR_LEN - len);
	if (c->state == DCCP_S_PARTOPEN || !c->ack_sent ||
	    dccp_seq_after(c->gsr, c->last_ack) || c->nconf > 0 ||
	    changes_pending(c) || c->ts_pending) {
		r = put_ack_opts(c, &o, false, now, &h.ack, &vec);
		if (r == 0) {
			h.type = DCCP_DATAACK;
		} else if (c->state == DCCP_S_PARTOPEN) {
			/* the Init Cookie must ride along: wait for OPEN */
			c->blocked = true;
			return -EAGAIN;
		} else {
			/* the ack goes alone, the data bare after it */
			send_ack(c, now);
			o.len = 0;
			vec = false;
		}
	} else {
		o.len = 0;
	}
	return xmit(c, &h, &o, vec, data, len, now);
}

void dccp_conn_close(struct dccp_conn *c, uint64_t now)
{
	switch (c->state) {
	case DCCP_S_OPEN:
	case DCCP_S_PARTOPEN:
		/* the client keeps TIMEWAIT: a server asks it to close */
		c->state = c->p.server ? DCCP_S_CLOSEREQ : DCCP_S_CLOSING;
		send_bare(c, c->p.server ? DCCP_CLOSEREQ : DCCP_CLOSE, c->gsr,
			  now);
		c->dack_at = 0;
		arm_rtx(c, c->tx.rto ? c->tx.rto : REQUEST_RTO_US, now);
		break;
	case DCCP_S_REQUEST:
	case DCCP_S_RESPOND:
		reset_close(c, DCCP_RESET_CLOSED, NULL, now);
		break;
	case DCCP_S_LISTEN:
	case DCCP_S_CLOSED:
		enter_closed(c, DCCP_RESET_CLOSED);
		break;
	case DCCP_S_CLOSEREQ:
	case DCCP_S_CLOSING:
	case DCCP_S_TIMEWAIT:
		break;
	}
	flush_events(c);
}

void dccp_conn_abort(struct dccp_conn *c, uint8_t code, uint64_t now)
{
	if (c->state != DCCP_S_CLOSED && c->state != DCCP_S_LISTEN &&
	    c->state != DCCP_S_TIMEWAIT)
		send_reset(c, code, NULL, now);
	enter_closed(c, code);
	flush_events(c);
}

static int64_t until(uint64_t at, uint64_t now, int64_t best)
{
	int64_t d;

	if (at == 0)
		return best;
	d = at > now ? (int64_t)(at - now) : 0;
	return best < 0 || d < best ? d : best;
}

/* States in which our CCID 2 has packets to time out. */
static bool tx_state(enum dccp_state s)
{
	return s != DCCP_S_CLOSED && s != DCCP_S_LISTEN &&
	       s != DCCP_S_TIMEWAIT;
}

int64_t dccp_conn_next_timeout(const struct dccp_conn *c, uint64_t now)
{
	int64_t best = -1, t;

	if (c->dead_pending)
		return 0;
	best = until(c->rtx_at, now, best);
	best = until(c->dack_at, now, best);
	best = until(c->tw_at, now, best);
	if (tx_state(c->state)) {
		t = ccid2_tx_next_timeout(&c->tx, now);
		if (t >= 0 && (best < 0 || t < best))
			best = t;
	}
	return best;
}

/* The retransmission timer fired: resend, or give up. */
static void on_rtx(struct dccp_conn *c, uint64_t now)
{
	if (now >= c->giveup_at) {
		if (c->state == DCCP_S_REQUEST)
			enter_closed(c, DCCP_RESET_ABORTED);
		else
			reset_close(c, DCCP_RESET_ABORTED, NULL, now);
		return;
	}
	switch (c->state) {
	case DCCP_S_REQUEST:
		send_request(c, now);
		break;
	case DCCP_S_PARTOPEN:
		send_ack(c, now);
		break;
	case DCCP_S_CLOSEREQ:
		send_bare(c, DCCP_CLOSEREQ, c->gsr, now);
		break;
	case DCCP_S_CLOSING:
		send_bare(c, DCCP_CLOSE, c->gsr, now);
		break;
	default:
		break;
	}
	c->stats.retransmits++;
	c->rtx_ivl *= 2;
	c->rtx_at = now + c->rtx_ivl;
	if (c->rtx_at > c->giveup_at)
		c->rtx_at = c->giveup_at;
}

void dccp_conn_on_timeout(struct dccp_conn *c, uint64_t now)
{
	if (c->tw_at != 0 && now >= c->tw_at)
		enter_closed(c, DCCP_RESET_CLOSED);
	if (c->rtx_at != 0 && now >= c->rtx_at)
		on_rtx(c, now);
	if (c->dack_at != 0 && now >= c->dack_at) {
		c->dack_at = 0;
		if (data_state(c->state))
			send_ack(c, now);
	}
	if (tx_state(c->state) && ccid2_tx_next_timeout(&c->tx, now) == 0) {
		ccid2_tx_on_timeout(&c->tx, now);
		if (c->blocked && window_open(c) &&
		    (c->state == DCCP_S_OPEN || c->state == DCCP_S_PARTOPEN)) {
			c->blocked = false;
			tell(c, DCCP_EV_WRITABLE);
		}
	}
	flush_events(c);
	if (c->dead_pending) {
		/* the last thing we do: the backend may free c now */
		c->dead_pending = false;
		c->dead = true;
		c->cb.event(c->arg, DCCP_EV_DEAD, 0);
	}
}

enum dccp_state dccp_conn_state(const struct dccp_conn *c)
{
	return c->state;
}

const struct dccp_conn_stats *dccp_conn_stats(const struct dccp_conn *c)
{
	return &c->stats;
}

const struct ccid2_tx *dccp_conn_ccid2(const struct dccp_conn *c)
{
	return &c->tx;
}

int dccp_reset_for(const struct dccp_hdr *h, uint8_t code, uint8_t *buf,
		   size_t cap)
{
	struct dccp_hdr r = {
		.sport = h->dport,
		.dport = h->sport,
		.type = DCCP_RESET,
		.x = true,
		.reset_code = code,
	};

	/* never a Reset for a Reset (8.3.1) */
	if (h->type == DCCP_RESET)
		return 0;
	/* 8.3.1: seq P.ackno + 1 (0 without one), ack P.seqno */
	if (dccp_type_has_ack(h->type))
		r.seq = dccp_seq_add(h->ack, 1);
	r.ack = h->seq & DCCP_SEQ_MASK;
	return dccp_encode(&r, NULL, 0, buf, cap);
}
