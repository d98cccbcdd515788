/*
 * libFuzzer target for the DCCP connection (transports/dccp/conn.c, with
 * CCID 2 and the codec under it).  A client and a server connection talk
 * through two queues in memory, and the input is a script of what the
 * network and the applications do to them: deliver, drop or duplicate a
 * queued packet, inject bytes of the input as a packet, mutate the last
 * packet a side received and deliver it again, send data, close, let time
 * pass.  Whatever happens, every packet a connection writes must decode
 * with the codec and carry well-formed options, and nothing may crash or
 * leak.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../transports/dccp/conn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)
#define PKT_MAX		2048
#define QLEN		32
#define MTU		1400

struct side {
	struct dccp_conn *c;
	bool		 dead;
	/* what the network holds for this side */
	uint8_t		 q[QLEN][PKT_MAX];
	size_t		 qlen[QLEN];
	size_t		 head, n;
	uint8_t		 last[PKT_MAX];
	size_t		 lastlen;
};

static struct side sides[2];
static uint64_t now;

static void output(void *arg, uint8_t *pkt, size_t len)
{
	struct side *to = &sides[1 - (int)(intptr_t)arg];
	struct dccp_hdr h;
	size_t tail;

	/* ours must always be well formed */
	CHECK(dccp_decode(pkt, len, &h) == DCCP_OK);
	CHECK(dccp_opts_check(h.opts, h.optlen) == DCCP_OK);
	CHECK(len <= PKT_MAX);
	if (to->n == QLEN)
		return;		/* the network drops it */
	tail = (to->head + to->n) % QLEN;
	memcpy(to->q[tail], pkt, len);
	to->qlen[tail] = len;
	to->n++;
}

static void event(void *arg, enum dccp_event ev, uint8_t code)
{
	(void)code;
	if (ev == DCCP_EV_DEAD)
		sides[(int)(intptr_t)arg].dead = true;
}

static const struct dccp_conn_cb cb = { .output = output, .event = event };

static void input(struct side *s, const uint8_t *pkt, size_t len)
{
	struct dccp_hdr h;

	if (s->dead || len > PKT_MAX || dccp_decode(pkt, len, &h) != DCCP_OK)
		return;
	memcpy(s->last, pkt, len);
	s->lastlen = len;
	(void)dccp_conn_input(s->c, &h, s->last, len, now);
}

static void timers(void)
{
	for (int i = 0; i < 2; i++) {
		/* bounded: a timer due now may arm another due now */
		for (int k = 0; k < 8 && !sides[i].dead; k++) {
			int64_t us = dccp_conn_next_timeout(sides[i].c, now);

			if (us < 0 || us > 0)
				break;
			dccp_conn_on_timeout(sides[i].c, now);
		}
	}
}

static void deliver(struct side *s, bool keep)
{
	uint8_t pkt[PKT_MAX];
	size_t len;

	if (s->n == 0)
		return;
	len = s->qlen[s->head];
	memcpy(pkt, s->q[s->head], len);
	if (!keep) {
		s->head = (s->head + 1) % QLEN;
		s->n--;
	}
	input(s, pkt, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dccp_conn_params p = {
		.sport = 5000, .dport = 6000, .service = 42, .mtu = MTU,
		.iss = 1000, .timewait_us = 1000000,
	};
	size_t i = 0;

	memset(sides, 0, sizeof(sides));
	now = 1000000;
	if (size > 0)	/* near the 48-bit wrap, or not */
		p.iss = data[0] & 1 ? DCCP_SEQ_MASK - 20 : 1000;
	sides[0].c = dccp_conn_new(&p, &cb, (void *)(intptr_t)0);
	p.server = true;
	p.sport = 6000;
	p.dport = 5000;
	p.iss = 77777;
	sides[1].c = dccp_conn_new(&p, &cb, (void *)(intptr_t)1);
	CHECK(sides[0].c != NULL && sides[1].c != NULL);
	dccp_conn_connect(sides[0].c, now);
	/* the handshake first, so that the script reaches OPEN */
	for (int k = 0; k < 8; k++) {
		deliver(&sides[1], false);
		deliver(&sides[0], false);
	}
	while (i < size) {
		uint8_t op = data[i++];
		struct side *s = &sides[(op >> 3) & 1];
		size_t n = i < size ? data[i] : 0;
		uint8_t buf[PKT_MAX];

		switch (op & 7) {
		case 0:		/* the network delivers */
			deliver(s, false);
			break;
		case 1:		/* a stranger's packet: bytes of the input */
			i++;
			n = n * 8 < size - i ? n * 8 : size - i;
			input(s, data + i, n);
			i += n;
			break;
		case 2:		/* the last packet again, changed */
			i++;
			memcpy(buf, s->last, s->lastlen);
			for (size_t k = 0; k < n % 8 && i + 1 < size; k++, i += 2)
				if (s->lastlen > 0)
					buf[data[i] % s->lastlen] ^= data[i + 1];
			input(s, buf, s->lastlen);
			break;
		case 3:		/* the application sends */
			i++;
			memset(buf, 0xab, sizeof(buf));
			if (!s->dead)
				(void)dccp_conn_send(s->c, buf, n * 6, now);
			break;
		case 4:		/* time passes */
			i++;
			now += (uint64_t)n * 4000;
			timers();
			break;
		case 5:		/* the application closes */
			if (!s->dead && (op & 0x10))
				dccp_conn_close(s->c, now);
			else if (!s->dead && (op & 0x20))
				dccp_conn_abort(s->c, DCCP_RESET_ABORTED, now);
			break;
		case 6:		/* lost on the way */
			if (s->n > 0) {
				s->head = (s->head + 1) % QLEN;
				s->n--;
			}
			break;
		case 7:		/* duplicated on the way */
			deliver(s, true);
			break;
		}
		timers();
		if (!s->dead)
			CHECK(dccp_conn_mps(s->c) <= MTU);
	}
	dccp_conn_free(sides[0].c);
	dccp_conn_free(sides[1].c);
	return 0;
}
