/*
 * radius: RADIUS over DTLS (RFC 7360).
 *
 * Protected: 2083/udp, where the shared secret is "radius/dtls".
 * Cleartext: 1812/udp authentication (and Status-Server), 1813/udp
 * accounting, 3799/udp dynamic authorization (CoA, Disconnect; RFC 5176),
 * with the operator's `secret`.
 *
 * Every packet is checked before anything else, and re-signed between the
 * two secrets, as radsecproxy does: authenticators, Message-Authenticator,
 * and the attributes hidden with the secret.
 *
 * Server side (DTLS listening, cleartext forwarding): requests go to the
 * backend's port for their code, each DTLS peer through a socket of its
 * own; every Access-Request gets a Message-Authenticator, and every
 * Access-Accept/Reject/Challenge must carry a valid one (BlastRADIUS,
 * CVE-2024-3596).  Status-Server can be answered here (status-server =
 * local).
 *
 * Client side (cleartext listening on the auth, accounting and CoA ports,
 * DTLS forwarding): all local clients share one DTLS session; the gateway
 * allocates the Identifiers on it and maps each reply back to its client,
 * a retransmission keeping its Identifier; Status-Server watches an idle
 * session (RFC 7360 section 3).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/adapter.h"
#include "dtlsgw/config.h"
#include "dtlsgw/dgram.h"
#include "dtlsgw/log.h"
#include "dtlsgw/radius.h"
#include "dtlsgw/session.h"
#include "dtlsgw/worker.h"

/* A request not answered within this long frees its Identifier. */
#define PENDING_TTL_MS		30000
/*
 * An answered request keeps its Identifier this long, so that a copy the
 * client sent before the answer reached it goes out as the same request
 * (the server answers it from its duplicate cache).
 */
#define ANSWERED_KEEP_MS	5000
/* Watchdogs unanswered before the session is given up. */
#define WATCHDOG_MISSES		3

enum radius_drop {
	DROP_INVALID = 0,	/* radius_validate refused it: see below */
	DROP_SHORT,
	DROP_BAD_LENGTH,
	DROP_TOO_LONG,
	DROP_UNKNOWN_CODE,
	DROP_BAD_ATTRIBUTE,
	DROP_BAD_AUTHENTICATOR,
	DROP_BAD_MESSAGE_AUTHENTICATOR,
	DROP_NO_MESSAGE_AUTHENTICATOR,
	DROP_BAD_HIDDEN,
	DROP_NO_SPACE,
	DROP_UNEXPECTED_REPLY,
	DROP_UNKNOWN_REPLY,	/* a reply to no request we sent */
	DROP_REQUEST_FROM_SERVER, /* requests down a DTLS session: not supported */
	DROP_NO_PORT,		/* its port is configured 0 */
	DROP_NO_IDENTIFIER,	/* 256 requests outstanding on the session */
	DROP_MAX,
};

static const char *const drop_names[DROP_MAX] = {
	[DROP_INVALID] = "invalid",
	[DROP_SHORT] = "short",
	[DROP_BAD_LENGTH] = "bad_length",
	[DROP_TOO_LONG] = "too_long",
	[DROP_UNKNOWN_CODE] = "unknown_code",
	[DROP_BAD_ATTRIBUTE] = "bad_attribute",
	[DROP_BAD_AUTHENTICATOR] = "bad_authenticator",
	[DROP_BAD_MESSAGE_AUTHENTICATOR] = "bad_message_authenticator",
	[DROP_NO_MESSAGE_AUTHENTICATOR] = "no_message_authenticator",
	[DROP_BAD_HIDDEN] = "bad_hidden_attribute",
	[DROP_NO_SPACE] = "no_space",
	[DROP_UNEXPECTED_REPLY] = "unexpected_reply",
	[DROP_UNKNOWN_REPLY] = "unknown_reply",
	[DROP_REQUEST_FROM_SERVER] = "request_from_server",
	[DROP_NO_PORT] = "no_port",
	[DROP_NO_IDENTIFIER] = "no_identifier",
};

/* The per-route settings, read-only once the route is set up. */
struct radius_route {
	bool		 server_side;	/* DTLS listening, cleartext forwarding */
	bool		 client_side;	/* cleartext listening, DTLS forwarding */
	uint8_t		*secret;	/* the cleartext side's */
	size_t		 secret_len;
	uint16_t	 auth_port, acct_port, coa_port;
	bool		 status_local;
	unsigned int	 watchdog_s;
};

union sockaddr_any {
	struct sockaddr		sa;
	struct sockaddr_in	in;
	struct sockaddr_in6	in6;
};

/* A request sent on, waiting for its reply. */
struct pending {
	bool			in_use;
	bool			watchdog;	/* our own Status-Server */
	uint8_t			code;
	uint8_t			orig_id;
	uint8_t			orig_auth[RADIUS_AUTH_LEN];
	uint8_t			sent_auth[RADIUS_AUTH_LEN];
	uint64_t		sent_ms;
	uint64_t		answered_ms;	/* client side: 0 while waiting */
	/* client side: who asked, and which of our sockets it wrote to */
	union sockaddr_any	peer;
	socklen_t		peerlen;
	union sockaddr_any	local;
	socklen_t		locallen;
};

/* Server side: the backend's Identifier spaces, one per port. */
enum { CLASS_AUTH = 0, CLASS_ACCT, CLASS_COA, CLASS_N };

struct radius_session {
	struct session		*s;
	struct radius_route	*rr;
	/* server side: by class and Identifier, each allocated when used */
	struct pending		*by_class[CLASS_N];
	/* client side: by the Identifier we allocated on the DTLS session */
	struct pending		*by_id;
	unsigned int		 next_id;
	/* the watchdog */
	struct worker_timer	*timer;
	uint64_t		 last_heard_ms;
	unsigned int		 missed;
	struct log_ratelimit	 rl;		/* warnings about refused replies */
};

static const uint8_t dtls_secret[] = RADIUS_DTLS_SECRET;
#define DTLS_SECRET_LEN (sizeof(dtls_secret) - 1)

static enum radius_drop drop_of(enum radius_error e)
{
	switch (e) {
	case RADIUS_ERR_SHORT:
		return DROP_SHORT;
	case RADIUS_ERR_BAD_LENGTH:
		return DROP_BAD_LENGTH;
	case RADIUS_ERR_TOO_LONG:
		return DROP_TOO_LONG;
	case RADIUS_ERR_UNKNOWN_CODE:
		return DROP_UNKNOWN_CODE;
	case RADIUS_ERR_BAD_ATTRIBUTE:
		return DROP_BAD_ATTRIBUTE;
	case RADIUS_ERR_BAD_AUTHENTICATOR:
		return DROP_BAD_AUTHENTICATOR;
	case RADIUS_ERR_BAD_MESSAGE_AUTHENTICATOR:
		return DROP_BAD_MESSAGE_AUTHENTICATOR;
	case RADIUS_ERR_NO_MESSAGE_AUTHENTICATOR:
		return DROP_NO_MESSAGE_AUTHENTICATOR;
	case RADIUS_ERR_BAD_HIDDEN:
		return DROP_BAD_HIDDEN;
	case RADIUS_ERR_NO_SPACE:
		return DROP_NO_SPACE;
	case RADIUS_ERR_UNEXPECTED_REPLY:
		return DROP_UNEXPECTED_REPLY;
	default:
		return DROP_INVALID;
	}
}

static enum adapter_verdict drop(struct session *s, enum radius_drop why)
{
	session_adapter_drop(s, why);
	return ADAPTER_DROP;
}

/* Check d and trim the padding after the RADIUS Length. */
static bool check(struct session *s, struct dgram *d)
{
	size_t plen;
	enum radius_error e = radius_validate(d->data, d->len, &plen);

	if (e != RADIUS_OK) {
		if (log_enabled(LOG_LEVEL_DEBUG)) {
			char n[160];

			log_debug("%s: %s: RADIUS packet dropped: %s", __func__,
				  session_name(s, n, sizeof(n)),
				  radius_error_name(e));
		}
		session_adapter_drop(s, drop_of(e));
		return false;
	}
	d->len = plen;
	return true;
}

/* A refused reply: a warning, at most 10 at once then one a second. */
static void warn_refused(struct radius_session *rs, const char *what,
			 enum radius_error e)
{
	char n[160];

	if (!log_ratelimit_ok(&rs->rl, worker_now_ms(session_worker(rs->s)),
			      10, 1000))
		return;
	log_warnx("%s: %s refused: %s", session_name(rs->s, n, sizeof(n)),
		  what, radius_error_name(e));
}

static int class_of(uint8_t code)
{
	switch (radius_code_class(code)) {
	case RADIUS_CLASS_AUTH:
		return CLASS_AUTH;
	case RADIUS_CLASS_ACCT:
		return CLASS_ACCT;
	case RADIUS_CLASS_COA:
	case RADIUS_CLASS_DISCONNECT:
		return CLASS_COA;
	default:
		return -1;
	}
}

static size_t capacity(const struct dgram *d)
{
	size_t cap = d->len + dgram_tailroom(d);

	return cap > RADIUS_MAX_LEN ? RADIUS_MAX_LEN : cap;
}

/* Server side --------------------------------------------------------- */

/* A request from the DTLS peer, on its way to the backend. */
static enum adapter_verdict server_request(struct radius_session *rs,
					   struct dgram *d)
{
	struct session *s = rs->s;
	const struct radius_route *rr = rs->rr;
	uint8_t code = d->data[0], id = d->data[1];
	uint8_t orig[RADIUS_AUTH_LEN], sent[RADIUS_AUTH_LEN];
	struct pending *p;
	enum radius_error e;
	uint16_t port;
	int cls;

	if (!radius_is_request(code))
		return drop(s, DROP_UNEXPECTED_REPLY);
	if (code == RADIUS_STATUS_SERVER && rr->status_local) {
		struct dgram *reply = dgram_alloc(worker_pool(
			session_worker(s)));
		size_t n;

		if (reply == NULL)
			return ADAPTER_DROP;
		n = radius_answer_status_server(reply->data, RADIUS_MAX_LEN,
						d->data, d->len, dtls_secret,
						DTLS_SECRET_LEN);
		if (n == 0) {
			dgram_free(reply);
			return drop(s, DROP_BAD_MESSAGE_AUTHENTICATOR);
		}
		reply->len = n;
		dgram_free(d);
		session_send_down(s, reply);
		return ADAPTER_CONSUMED;
	}
	cls = class_of(code);
	port = cls == CLASS_AUTH ? rr->auth_port :
	       cls == CLASS_ACCT ? rr->acct_port : rr->coa_port;
	if (cls < 0 || port == 0)
		return drop(s, DROP_NO_PORT);
	if (rs->by_class[cls] == NULL) {
		rs->by_class[cls] = calloc(256, sizeof(struct pending));
		if (rs->by_class[cls] == NULL)
			return ADAPTER_DROP;
	}
	e = radius_resign_request(d->data, &d->len, capacity(d), dtls_secret,
				  DTLS_SECRET_LEN, rr->secret, rr->secret_len,
				  -1, code == RADIUS_ACCESS_REQUEST, orig,
				  sent);
	if (e != RADIUS_OK)
		return drop(s, drop_of(e));
	p = &rs->by_class[cls][id];
	p->in_use = true;
	p->code = code;
	p->orig_id = id;
	memcpy(p->orig_auth, orig, sizeof(orig));
	memcpy(p->sent_auth, sent, sizeof(sent));
	p->sent_ms = worker_now_ms(session_worker(s));
	d->port_hint = port;
	return ADAPTER_PASS;
}

/* A reply from the backend, on its way to the DTLS peer. */
static enum adapter_verdict server_reply(struct radius_session *rs,
					 struct dgram *d)
{
	struct session *s = rs->s;
	const struct radius_route *rr = rs->rr;
	uint8_t code = d->data[0], id = d->data[1];
	struct pending *p;
	enum radius_error e;
	int cls = class_of(code);

	if (radius_is_request(code) || cls < 0)
		return drop(s, DROP_REQUEST_FROM_SERVER);
	p = rs->by_class[cls] != NULL ? &rs->by_class[cls][id] : NULL;
	if (p == NULL || !p->in_use)
		return drop(s, DROP_UNKNOWN_REPLY);
	e = radius_resign_reply(d->data, &d->len, rr->secret, rr->secret_len,
				dtls_secret, DTLS_SECRET_LEN, p->code,
				p->sent_auth, p->orig_auth, -1,
				p->code == RADIUS_ACCESS_REQUEST ||
					p->code == RADIUS_STATUS_SERVER);
	if (e != RADIUS_OK) {
		warn_refused(rs, "a reply from the backend", e);
		return drop(s, drop_of(e));
	}
	/*
	 * The entry stays: a retransmitted request gets the backend's cached
	 * reply again, which must still find its way.
	 */
	return ADAPTER_PASS;
}

/* Client side --------------------------------------------------------- */

static bool same_addr(const union sockaddr_any *a, socklen_t alen,
		      const struct sockaddr_storage *b, socklen_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}

/* Can the Identifier of p be given to a new request? */
static bool reusable(const struct pending *p, uint64_t now)
{
	if (!p->in_use)
		return true;
	if (p->answered_ms != 0)
		return now - p->answered_ms >= ANSWERED_KEEP_MS;
	return now - p->sent_ms >= PENDING_TTL_MS;
}

/*
 * An Identifier for a new request: the next free or expired one; under
 * load, when every one was answered lately, the one answered longest ago.
 * NULL when 256 requests really are waiting.
 */
static struct pending *allocate_id(struct radius_session *rs, uint64_t now,
				   uint8_t *id)
{
	struct pending *oldest = NULL;
	unsigned int oldest_n = 0;

	for (unsigned int i = 0; i < 256; i++) {
		unsigned int n = (rs->next_id + i) & 0xff;
		struct pending *p = &rs->by_id[n];

		if (reusable(p, now)) {
			rs->next_id = n + 1;
			*id = (uint8_t)n;
			return p;
		}
		if (p->answered_ms != 0 &&
		    (oldest == NULL || p->answered_ms < oldest->answered_ms)) {
			oldest = p;
			oldest_n = n;
		}
	}
	if (oldest != NULL) {
		rs->next_id = oldest_n + 1;
		*id = (uint8_t)oldest_n;
	}
	return oldest;
}

/* A request from a local client, on its way into the shared session. */
static enum adapter_verdict client_request(struct radius_session *rs,
					   struct dgram *d)
{
	struct session *s = rs->s;
	const struct radius_route *rr = rs->rr;
	uint64_t now = worker_now_ms(session_worker(s));
	uint8_t code = d->data[0], orig_id = d->data[1], id = 0;
	uint8_t orig[RADIUS_AUTH_LEN], sent[RADIUS_AUTH_LEN];
	struct pending *p = NULL;
	enum radius_error e;

	if (!radius_is_request(code))
		return drop(s, DROP_UNEXPECTED_REPLY);
	if (rs->by_id == NULL)
		return ADAPTER_DROP;
	/* a retransmission keeps the Identifier it was given */
	for (unsigned int i = 0; i < 256; i++) {
		struct pending *q = &rs->by_id[i];

		if (q->in_use && !q->watchdog && q->orig_id == orig_id &&
		    q->code == code &&
		    memcmp(q->orig_auth, d->data + 4, RADIUS_AUTH_LEN) == 0 &&
		    same_addr(&q->peer, q->peerlen, &d->peer, d->peerlen) &&
		    same_addr(&q->local, q->locallen, &d->local,
			      d->locallen)) {
			p = q;
			id = (uint8_t)i;
			break;
		}
	}
	if (p == NULL)
		p = allocate_id(rs, now, &id);
	if (p == NULL)
		return drop(s, DROP_NO_IDENTIFIER);
	e = radius_resign_request(d->data, &d->len, capacity(d), rr->secret,
				  rr->secret_len, dtls_secret,
				  DTLS_SECRET_LEN, id,
				  code == RADIUS_ACCESS_REQUEST, orig, sent);
	if (e != RADIUS_OK)
		return drop(s, drop_of(e));
	p->in_use = true;
	p->watchdog = false;
	p->answered_ms = 0;
	p->code = code;
	p->orig_id = orig_id;
	memcpy(p->orig_auth, orig, sizeof(orig));
	memcpy(p->sent_auth, sent, sizeof(sent));
	p->sent_ms = now;
	memcpy(&p->peer, &d->peer, d->peerlen);
	p->peerlen = d->peerlen;
	memcpy(&p->local, &d->local, d->locallen);
	p->locallen = d->locallen;
	return ADAPTER_PASS;
}

/* A reply from the RADIUS/DTLS server, on its way to a local client. */
static enum adapter_verdict client_reply(struct radius_session *rs,
					 struct dgram *d)
{
	struct session *s = rs->s;
	const struct radius_route *rr = rs->rr;
	struct pending *p;
	enum radius_error e;

	if (rs->by_id == NULL)
		return ADAPTER_DROP;
	p = &rs->by_id[d->data[1]];
	if (radius_is_request(d->data[0]))
		return drop(s, DROP_REQUEST_FROM_SERVER);
	if (!p->in_use)
		return drop(s, DROP_UNKNOWN_REPLY);
	rs->last_heard_ms = worker_now_ms(session_worker(s));
	if (p->watchdog) {
		e = radius_resign_reply(d->data, &d->len, dtls_secret,
					DTLS_SECRET_LEN, dtls_secret,
					DTLS_SECRET_LEN, p->code,
					p->sent_auth, p->sent_auth, -1, false);
		if (e != RADIUS_OK)
			return drop(s, drop_of(e));
		p->in_use = false;
		rs->missed = 0;
		dgram_free(d);
		return ADAPTER_CONSUMED;
	}
	/*
	 * Over DTLS the transport authenticates the server; a
	 * Message-Authenticator is checked when present, not required.
	 */
	e = radius_resign_reply(d->data, &d->len, dtls_secret, DTLS_SECRET_LEN,
				rr->secret, rr->secret_len, p->code,
				p->sent_auth, p->orig_auth, p->orig_id, false);
	if (e != RADIUS_OK) {
		warn_refused(rs, "a reply from the server", e);
		return drop(s, drop_of(e));
	}
	memcpy(&d->peer, &p->peer, p->peerlen);
	d->peerlen = p->peerlen;
	memcpy(&d->local, &p->local, p->locallen);
	d->locallen = p->locallen;
	/* kept a while: see ANSWERED_KEEP_MS */
	p->answered_ms = worker_now_ms(session_worker(s));
	return ADAPTER_PASS;
}

/* The watchdog: Status-Server on a session that has gone quiet. */
static void watchdog_cb(void *arg)
{
	struct radius_session *rs = arg;
	struct session *s = rs->s;
	struct worker *w = session_worker(s);
	uint64_t now = worker_now_ms(w);
	uint64_t every = (uint64_t)rs->rr->watchdog_s * 1000;
	struct pending *p;
	struct dgram *d;
	uint8_t id;
	size_t n;

	if (!session_forward_ready(s) || now - rs->last_heard_ms < every) {
		worker_timer_start(rs->timer, every);
		return;
	}
	for (unsigned int i = 0; i < 256; i++) {
		p = &rs->by_id[i];
		if (p->in_use && p->watchdog && now - p->sent_ms >= every) {
			p->in_use = false;
			rs->missed++;
		}
	}
	if (rs->missed >= WATCHDOG_MISSES) {
		char nm[160];

		log_warnx("%s: no answer to %u Status-Server watchdogs, "
			  "closing the session",
			  session_name(s, nm, sizeof(nm)), rs->missed);
		session_end(s, "watchdog: the server does not answer");
		return;
	}
	p = allocate_id(rs, now, &id);
	d = dgram_alloc(worker_pool(w));
	if (p == NULL || d == NULL) {
		dgram_free(d);
		worker_timer_start(rs->timer, every);
		return;
	}
	n = radius_build_status_server(d->data, RADIUS_MAX_LEN, id,
				       dtls_secret, DTLS_SECRET_LEN,
				       p->sent_auth);
	if (n == 0) {
		dgram_free(d);
		worker_timer_start(rs->timer, every);
		return;
	}
	d->len = n;
	memset(p, 0, sizeof(*p));
	p->in_use = true;
	p->watchdog = true;
	p->code = RADIUS_STATUS_SERVER;
	p->orig_id = id;
	p->sent_ms = now;
	session_send_up(s, d);
	worker_timer_start(rs->timer, every);
}

/* The hooks ------------------------------------------------------------- */

static enum adapter_verdict radius_from_dtls(struct adapter *a,
					     struct session *s, void *state,
					     struct dgram *d)
{
	struct radius_session *rs = state;

	(void)a;
	if (!check(s, d))
		return ADAPTER_DROP;
	if (rs->rr->server_side)
		return server_request(rs, d);
	if (rs->rr->client_side)
		return client_reply(rs, d);
	return ADAPTER_PASS;	/* the same secret on both sides */
}

static enum adapter_verdict radius_to_dtls(struct adapter *a,
					   struct session *s, void *state,
					   struct dgram *d)
{
	struct radius_session *rs = state;

	(void)a;
	if (!check(s, d))
		return ADAPTER_DROP;
	if (rs->rr->server_side)
		return server_reply(rs, d);
	if (rs->rr->client_side)
		return client_request(rs, d);
	return ADAPTER_PASS;
}

static void radius_opened(struct adapter *a, struct session *s, void *state)
{
	struct radius_session *rs = state;

	rs->s = s;
	rs->rr = a->priv;
	rs->last_heard_ms = worker_now_ms(session_worker(s));
	if (!rs->rr->client_side)
		return;
	rs->by_id = calloc(256, sizeof(*rs->by_id));
	if (rs->rr->watchdog_s > 0) {
		rs->timer = worker_timer_new(session_worker(s), watchdog_cb,
					     rs);
		if (rs->timer != NULL)
			worker_timer_start(rs->timer,
					   (uint64_t)rs->rr->watchdog_s * 1000);
	}
}

static void radius_closed(struct adapter *a, struct session *s, void *state)
{
	struct radius_session *rs = state;

	(void)a;
	(void)s;
	worker_timer_free(rs->timer);
	rs->timer = NULL;
	for (int i = 0; i < CLASS_N; i++) {
		free(rs->by_class[i]);
		rs->by_class[i] = NULL;
	}
	free(rs->by_id);
	rs->by_id = NULL;
}

static int radius_init(struct adapter *a, const struct route_config *cfg)
{
	struct radius_route *rr;
	bool ldtls = scheme_is_dtls(cfg->listen.scheme);
	bool fdtls = scheme_is_dtls(cfg->forward.scheme);

	if (ldtls != fdtls && cfg->secret == NULL) {
		log_errx("route %s: radius needs the cleartext side's secret "
			 "(secret = ...)", cfg->name);
		return -EINVAL;
	}
	rr = calloc(1, sizeof(*rr));
	if (rr == NULL)
		return -ENOMEM;
	rr->server_side = ldtls && !fdtls;
	rr->client_side = !ldtls && fdtls;
	if (cfg->secret != NULL) {
		rr->secret_len = strlen(cfg->secret);
		rr->secret = malloc(rr->secret_len + 1);
		if (rr->secret == NULL) {
			free(rr);
			return -ENOMEM;
		}
		memcpy(rr->secret, cfg->secret, rr->secret_len + 1);
	}
	rr->auth_port = rr->server_side ? cfg->forward.port : cfg->listen.port;
	rr->acct_port = (uint16_t)cfg->acct_port;
	rr->coa_port = (uint16_t)cfg->coa_port;
	rr->status_local = cfg->status_local;
	rr->watchdog_s = cfg->watchdog;
	a->priv = rr;
	return 0;
}

static void radius_finish(struct adapter *a)
{
	struct radius_route *rr = a->priv;

	if (rr == NULL)
		return;
	if (rr->secret != NULL) {
		explicit_bzero(rr->secret, rr->secret_len);
		free(rr->secret);
	}
	free(rr);
	a->priv = NULL;
}

/* On the client side, the accounting and CoA ports next to the URI's. */
static size_t radius_listen_ports(const struct adapter *a,
				  const struct route_config *cfg,
				  uint16_t *ports, size_t max)
{
	const struct radius_route *rr = a->priv;
	size_t n = 0;

	(void)cfg;
	if (!rr->client_side)
		return 0;
	if (rr->acct_port != 0 && rr->acct_port != rr->auth_port && n < max)
		ports[n++] = rr->acct_port;
	if (rr->coa_port != 0 && rr->coa_port != rr->auth_port &&
	    rr->coa_port != rr->acct_port && n < max)
		ports[n++] = rr->coa_port;
	return n;
}

const struct adapter_ops adapter_radius = {
	.name = "radius",
	.flags = ADAPTER_F_SHARED_UPSTREAM | ADAPTER_F_FORWARD_PORTS,
	.drop_names = drop_names,
	.ndrops = DROP_MAX,
	.state_size = sizeof(struct radius_session),
	.init = radius_init,
	.finish = radius_finish,
	.from_dtls = radius_from_dtls,
	.to_dtls = radius_to_dtls,
	.opened = radius_opened,
	.closed = radius_closed,
	.listen_ports = radius_listen_ports,
};
