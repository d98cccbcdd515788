/*
 * syslog: syslog over DTLS (RFC 6012), 6514/udp, in front of a syslog
 * receiver on 514/udp (RFC 5426), and a syslog sender's way into it.
 *
 * Into DTLS, each datagram (one message, RFC 5426 section 3.1) becomes one
 * record holding one frame, "MSG-LEN SP SYSLOG-MSG": the octet-counting
 * framing RFC 6012 section 5.3 takes from RFC 5425 section 4.3.  Out of
 * DTLS, a record may hold several frames: each becomes a datagram of its
 * own, the message exactly as it was sent, without the framing.  A record
 * that is not 1*SYSLOG-FRAME (a bad MSG-LEN, a frame that runs past the
 * record's end: this gateway never splits one) is dropped whole and
 * counted by reason.
 *
 * The receiver sees the messages byte for byte as the sender wrote them,
 * from the gateway's address: the origin is in the message's HOSTNAME.
 */
#include <string.h>

#include "dtlsgw/adapter.h"
#include "dtlsgw/dgram.h"
#include "dtlsgw/log.h"
#include "dtlsgw/session.h"
#include "dtlsgw/syslog.h"
#include "dtlsgw/worker.h"
#include "drop.h"

static enum adapter_verdict drop(struct session *s, struct dgram *d,
				 enum syslog_error e, const char *way)
{
	return adapter_drop(s, d, (unsigned int)e, syslog_error_names, way);
}

/* A message heading into DTLS: "MSG-LEN SP" in front of it. */
static enum adapter_verdict to_dtls(struct adapter *a, struct session *s,
				    void *state, struct dgram *d)
{
	uint8_t h[SYSLOG_FRAME_HEADER_MAX];
	size_t hl = syslog_frame_header(d->len, h);

	(void)a;
	(void)state;
	if (d->len == 0)
		return drop(s, d, SYSLOG_ERR_EMPTY, "into DTLS");
	if (hl == 0 || dgram_tailroom(d) + (size_t)(d->data - d->buf) <
			       d->len + hl)
		return drop(s, d, SYSLOG_ERR_TOO_BIG, "into DTLS");
	if ((size_t)(d->data - d->buf) < hl) {
		/* no headroom left (never from our transports): make some */
		memmove(d->data + hl, d->data, d->len);
		d->data += hl;
	}
	d->data -= hl;
	memcpy(d->data, h, hl);
	d->len += hl;
	return ADAPTER_PASS;
}

/*
 * A record out of DTLS: every frame but the last goes on in a copy of its
 * own (which way: up when the DTLS side is the listening one), the last
 * in d, unframed where it lies.
 */
static enum adapter_verdict from_dtls(struct adapter *a, struct session *s,
				      void *state, struct dgram *d)
{
	/* the listening side is the DTLS one: this record goes forward */
	bool up = session_max_down(s) > 0;
	const uint8_t *msg;
	enum syslog_error e;
	size_t count, off = 0, n;

	(void)a;
	(void)state;
	e = syslog_check(d->data, d->len, &count);
	if (e != SYSLOG_OK)
		return drop(s, d, e, "out of DTLS");
	for (size_t i = 0; i + 1 < count; i++) {
		struct dgram *c;

		(void)syslog_frame_next(d->data, d->len, &off, &msg, &n);
		c = dgram_alloc(worker_pool(session_worker(s)));
		if (c == NULL) {
			session_adapter_drop(s, SYSLOG_ERR_TOO_BIG);
			continue;
		}
		/* a datagram each: the only way to split one buffer */
		memcpy(c->data, msg, n);
		c->len = n;
		if (up)
			session_send_up(s, c);
		else
			session_send_down(s, c);
	}
	(void)syslog_frame_next(d->data, d->len, &off, &msg, &n);
	d->data += msg - d->data;
	d->len = n;
	return ADAPTER_PASS;
}

const struct adapter_ops adapter_syslog = {
	.name = "syslog",
	/* the drop reasons: syslog_error's, by its number */
	.drop_names = syslog_error_names,
	.ndrops = SYSLOG_ERR_MAX,
	.from_dtls = from_dtls,
	.to_dtls = to_dtls,
};
