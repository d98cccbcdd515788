/*
 * sip: SIP (RFC 3261) over DTLS, 5061/udp and 5061/sctp, in front of a
 * cleartext SIP element on 5060/udp or 5060/sctp.  The gateway is a
 * transport, not a proxy: it adds no Via and rewrites nothing.
 *
 * Every datagram, and on SCTP every user message (RFC 4168), must be one
 * whole SIP message whichever way it goes (src/sip.c): a start line,
 * headers ending with the empty line, a body as long as Content-Length
 * says.  Bytes past Content-Length are cut off and a body shorter than it
 * is a drop (RFC 3261 section 18.3); CRLF and STUN keep-alives (RFC 5626)
 * pass.  A message that is not whole is dropped and counted by reason.
 *
 * Each DTLS peer has a forwarding socket of its own, so the element sees
 * one source address and port per client and must answer there: rport
 * (RFC 3581), e.g. kamailio's force_rport(), as a NAT would require.
 */
#include "dtlsgw/adapter.h"
#include "dtlsgw/dgram.h"
#include "dtlsgw/log.h"
#include "dtlsgw/session.h"
#include "dtlsgw/sip.h"
#include "drop.h"

static enum adapter_verdict check(struct session *s, struct dgram *d,
				  const char *way)
{
	struct sip_msg m;
	enum sip_error e;

	if (sip_is_keepalive(d->data, d->len))
		return ADAPTER_PASS;
	e = sip_parse(d->data, d->len, &m);
	if (e != SIP_OK)
		return adapter_drop(s, d, (unsigned int)e, sip_error_names,
				    way);
	/* RFC 3261 18.3: what follows the body is discarded */
	d->len = m.len;
	return ADAPTER_PASS;
}

static enum adapter_verdict from_dtls(struct adapter *a, struct session *s,
				      void *state, struct dgram *d)
{
	(void)a;
	(void)state;
	return check(s, d, "out of DTLS");
}

static enum adapter_verdict to_dtls(struct adapter *a, struct session *s,
				    void *state, struct dgram *d)
{
	(void)a;
	(void)state;
	return check(s, d, "into DTLS");
}

const struct adapter_ops adapter_sip = {
	.name = "sip",
	/* the drop reasons: sip_error's, by its number */
	.drop_names = sip_error_names,
	.ndrops = SIP_ERR_MAX,
	/* RFC 4168 assigns SIP no payload protocol identifier: 0 */
	.from_dtls = from_dtls,
	.to_dtls = to_dtls,
};
