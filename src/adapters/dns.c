/*
 * dns: DNS over DTLS (RFC 8094), 853/udp, in front of a DNS server on
 * 53/udp, and a stub's way into it.
 *
 * Every message, whichever way it goes, must walk as DNS (src/dns.c: the
 * header, at least one question, records to the exact end, names and
 * their compression pointers, one root-named OPT in the additional
 * section) and go the right way: queries towards the server, responses
 * back.  What does not is dropped and counted by reason.
 *
 * RFC 8094 section 5 has both ends pad with EDNS(0) Padding (RFC 7830),
 * with the block lengths RFC 8467 section 4.1 recommends: a query going
 * into DTLS with an OPT RR is padded to a multiple of 128 bytes, a
 * response to a multiple of 468 (the server answers with an OPT RR when
 * the query had one, RFC 6891 section 7).  A response must fit one DTLS
 * record within the path MTU, unfragmented (RFC 8094 section 6): what
 * does not is replaced by its truncated form, the header with TC set and
 * the question (and the OPT RR), so the client retries over TCP or TLS
 * (RFC 7858) rather than waiting for an answer that was dropped.  Each
 * such answer counts as "truncated".
 *
 * The path MTU is taken as the 1400-byte datagrams the DTLS engine keeps
 * its handshake to, less the largest record expansion: 1336 bytes of DNS
 * message, or less when the session's records carry less.
 */
#include "dtlsgw/adapter.h"
#include "dtlsgw/dgram.h"
#include "dtlsgw/dns.h"
#include "dtlsgw/log.h"
#include "dtlsgw/session.h"
#include "drop.h"

#define DNS_DTLS_MAX	(1400 - 64)

static enum adapter_verdict drop(struct session *s, struct dgram *d,
				 enum dns_error e, const char *what)
{
	return adapter_drop(s, d, (unsigned int)e, dns_error_names, what);
}

/*
 * d parsed into m, and going the way it should: a response when want_qr.
 * The listening side is DTLS (the gateway is a server side) when the
 * session has records to carry down.
 */
static enum adapter_verdict check(struct session *s, struct dgram *d,
				  struct dns_msg *m, bool want_qr)
{
	enum dns_error e = dns_parse(d->data, d->len, m);
	const char *what = want_qr ? "response" : "query";

	if (e != DNS_OK)
		return drop(s, d, e, what);
	if (((m->flags & DNS_FLAG_QR) != 0) != want_qr)
		return drop(s, d, DNS_ERR_DIRECTION, what);
	return ADAPTER_PASS;
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* A response into DTLS: padded, or truncated when it does not fit. */
static enum adapter_verdict response_in(struct session *s, struct dgram *d,
					struct dns_msg *m)
{
	size_t max = min_size(session_max_down(s), DNS_DTLS_MAX);
	size_t cap = (size_t)(d->buf + sizeof(d->buf) - d->data);
	enum dns_error e = DNS_OK;

	if (m->opt_off != 0)
		e = dns_pad(d->data, &d->len, cap, m, DNS_PAD_RESPONSE, max);
	else if (d->len > max)
		e = DNS_ERR_TOO_BIG;
	if (e == DNS_OK)
		return ADAPTER_PASS;
	session_adapter_drop(s, DNS_ERR_TRUNCATED);
	dns_truncate(d->data, &d->len, m);
	if (m->opt_off != 0)
		e = dns_pad(d->data, &d->len, cap, m, DNS_PAD_RESPONSE, max);
	else
		e = d->len > max ? DNS_ERR_TOO_BIG : DNS_OK;
	return e == DNS_OK ? ADAPTER_PASS : drop(s, d, e, "response");
}

static enum adapter_verdict to_dtls(struct adapter *a, struct session *s,
				    void *state, struct dgram *d)
{
	bool server_side = session_max_down(s) > 0;
	struct dns_msg m;

	(void)a;
	(void)state;
	if (check(s, d, &m, server_side) != ADAPTER_PASS)
		return ADAPTER_DROP;
	if (server_side)
		return response_in(s, d, &m);
	/* a query: padded when it can be; one too big goes as it is */
	if (m.opt_off != 0)
		(void)dns_pad(d->data, &d->len,
			      (size_t)(d->buf + sizeof(d->buf) - d->data), &m,
			      DNS_PAD_QUERY, DNS_DTLS_MAX);
	return ADAPTER_PASS;
}

static enum adapter_verdict from_dtls(struct adapter *a, struct session *s,
				      void *state, struct dgram *d)
{
	struct dns_msg m;

	(void)a;
	(void)state;
	/* out of DTLS on a server side: queries; on a client side: answers */
	return check(s, d, &m, session_max_down(s) == 0);
}

const struct adapter_ops adapter_dns = {
	.name = "dns",
	/* the drop reasons: dns_error's, by its number */
	.drop_names = dns_error_names,
	.ndrops = DNS_ERR_MAX,
	.from_dtls = from_dtls,
	.to_dtls = to_dtls,
};
