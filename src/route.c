/*
 * Routes and the data path: datagrams from the listening side find their
 * session (or, for DTLS, prove their address with a cookie before one is
 * made), pass through the DTLS engine and the adapter, and leave on the
 * session's forwarding flow; replies come back the same way.
 *
 * Sessions die in two steps: session_kill() releases everything at once and
 * removes the session from the table, and the memory is freed when the
 * event that killed it has been handled (route_reap), so no caller up the
 * stack is left holding a freed pointer.
 */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "dtlsgw/adapter.h"
#include "dtlsgw/dgram.h"
#include "dtlsgw/dtls.h"
#include "dtlsgw/dtls_record.h"
#include "dtlsgw/errors.h"
#include "dtlsgw/log.h"
#include "dtlsgw/profile.h"
#include "dtlsgw/route.h"
#include "dtlsgw/session.h"
#include "dtlsgw/transport.h"
#include "dtlsgw/worker.h"

/*
 * Cleartext datagrams held while the forwarding handshake runs: per peer,
 * and for a session every peer shares (as many as RADIUS Identifiers).
 */
#define PENDING_MAX		64
#define PENDING_MAX_SHARED	256
/*
 * A connection's (TCP, SCTP): its sender does not expect loss, so more
 * waits (a Diameter peer sends its CER and waits, but need not).
 */
#define PENDING_MAX_RELIABLE	1024
/* Backoff of forwarding handshake retries: 1 s doubling to 60 s. */
#define RETRY_FIRST_MS		1000
#define RETRY_MAX_MS		60000
/* How long the fragments of a ClientHello may take to arrive. */
#define HELLO_REASM_MS		5000
/* Listening sockets of one route: its URI's, and an adapter's extra ports. */
#define ROUTE_MAX_LISTENERS	4
/* Warnings a peer can trigger: a burst of 10, then one per second. */
#define WARN_BURST		10
#define WARN_INTERVAL_MS	1000

struct route {
	struct route_def	*def;
	struct worker		*w;
	struct transport	*listeners[ROUTE_MAX_LISTENERS];
	size_t			 nlisteners;
	struct session_table	 table;
	struct session		*shared;	/* ADAPTER_F_SHARED_UPSTREAM: the one session */
	struct dtls_cookie_jar	 jar;
	struct route_stats	 stats;
	struct session		*graveyard;	/* killed, freed by route_reap */
	struct log_ratelimit	 rl;
	struct log_ratelimit	 drop_rl;	/* debug lines of drops */
	bool			 listen_dtls;
	bool			 fwd_dtls;
	bool			 fwd_echo;
	bool			 fwd_ports;	/* unconnected flow, several ports */
	bool			 shared_mode;
	bool			 peer_host;	/* ADAPTER_F_PEER_HOST */
	bool			 fwd_flows;	/* ADAPTER_F_FLOW_PORTS */
};

static const char *const drop_names[ROUTE_DROP_MAX] = {
	[ROUTE_DROP_EMPTY] = "empty",
	[ROUTE_DROP_NOT_DTLS] = "not_dtls",
	[ROUTE_DROP_TRUNCATED] = "truncated_record",
	[ROUTE_DROP_TOO_LONG] = "record_too_long",
	[ROUTE_DROP_NO_SESSION] = "no_session",
	[ROUTE_DROP_MALFORMED_HELLO] = "malformed_hello",
	[ROUTE_DROP_FRAGMENTED_HELLO] = "fragmented_hello",
	[ROUTE_DROP_SMALL_HELLO] = "small_hello",
	[ROUTE_DROP_MAX_SESSIONS] = "max_sessions",
	[ROUTE_DROP_SOURCE_LIMIT] = "source_limit",
	[ROUTE_DROP_QUEUE_FULL] = "queue_full",
	[ROUTE_DROP_TOO_BIG] = "too_big",
	[ROUTE_DROP_NOBUFS] = "no_buffers",
	[ROUTE_DROP_ADAPTER] = "adapter",
	[ROUTE_DROP_FORWARD_DOWN] = "forward_down",
};

const char *route_drop_name(enum route_drop why)
{
	return (unsigned int)why < ROUTE_DROP_MAX ? drop_names[why] : "?";
}

const uint32_t route_hs_bucket_ms[ROUTE_HS_BUCKETS] = {
	1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000,
};

static uint64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* A handshake of s is done: into the route's latency histogram. */
static void hs_latency_add(struct route_stats *st, struct session *s)
{
	uint64_t us;
	int k;

	if (s->hs_start_us == 0)
		return;
	us = mono_us() - s->hs_start_us;
	s->hs_start_us = 0;
	for (k = 0; k < ROUTE_HS_BUCKETS; k++)
		if (us <= (uint64_t)route_hs_bucket_ms[k] * 1000)
			break;
	st->hs_latency[k]++;
	st->hs_latency_us += us;
}

/* Per-session trace, formatted only when debug is on. */
#define SESS_DEBUG(s, ...)                                                    \
	do {                                                                  \
		if (log_enabled(LOG_LEVEL_DEBUG))                             \
			sess_debug((s), __func__, __VA_ARGS__);               \
	} while (0)

static void sess_debug(const struct session *s, const char *fn,
		       const char *fmt, ...) LOG_PRINTF(3, 4);

static const char *route_name(const struct route *r)
{
	return r->def->cfg->name;
}

static const char *peer_str(const struct session *s, char *buf)
{
	return addr_str((const struct sockaddr *)&s->peer, buf);
}

/* The listening socket bound to the port of local (the first by default). */
static struct transport *pick_listener(const struct route *r,
				       const struct sockaddr_storage *local,
				       socklen_t locallen)
{
	if (r->nlisteners > 1 && locallen > 0) {
		uint16_t port = sockaddr_port(local);

		for (size_t i = 0; i < r->nlisteners; i++) {
			struct sockaddr_storage ss;
			socklen_t len;

			if (transport_local_addr(r->listeners[i], &ss, &len) ==
				    0 &&
			    sockaddr_port(&ss) == port)
				return r->listeners[i];
		}
	}
	return r->listeners[0];
}

static void sess_debug(const struct session *s, const char *fn,
		       const char *fmt, ...)
{
	char a[ADDR_STRLEN], msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_debug("%s: route %s: %s: %s", fn, route_name(s->route),
		  peer_str(s, a), msg);
}

/* Definitions ------------------------------------------------------------ */

static bool is_ip_literal(const char *host)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST }, *res = NULL;
	bool yes = getaddrinfo(host, NULL, &hints, &res) == 0;

	if (res != NULL)
		freeaddrinfo(res);
	return yes;
}

static int resolve(const struct endpoint *ep, bool passive,
		   struct sockaddr_storage *ss, socklen_t *len,
		   char *msg, size_t msglen)
{
	struct addrinfo hints = {
		.ai_socktype = SOCK_DGRAM,
		.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0),
	};
	struct addrinfo *res = NULL;
	char port[8];
	int ret;

	snprintf(port, sizeof(port), "%u", ep->port);
	ret = getaddrinfo(ep->host[0] != '\0' ? ep->host : NULL, port, &hints,
			  &res);
	if (ret != 0 || res == NULL) {
		snprintf(msg, msglen, "cannot resolve '%s': %s", ep->host,
			 gai_strerror(ret));
		return -EINVAL;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static void def_error(struct config_error *err, const struct route_config *cfg,
		      const char *key, const char *msg)
{
	snprintf(err->where, sizeof(err->where), "%s", cfg->where);
	snprintf(err->key, sizeof(err->key), "%s", key);
	snprintf(err->msg, sizeof(err->msg), "route %s: %s", cfg->name, msg);
}

int route_def_prepare(const struct route_config *cfg,
		      const uint8_t cookie_master[32], struct route_def **out,
		      struct config_error *err)
{
	struct route_def *def;
	char msg[400];
	const char *key = "listen";
	int ret = -DTLSGW_ERR_CONFIG;

	*out = NULL;
	def = calloc(1, sizeof(*def));
	if (def == NULL)
		return -ENOMEM;
	def->cfg = cfg;
	pthread_mutex_init(&def->resume_lock, NULL);
	memcpy(def->cookie_master, cookie_master, 32);
	def->lops = transport_lookup(cfg->listen.scheme);
	if (def->lops == NULL) {
		def_error(err, cfg, "listen", "scheme not supported");
		goto fail;
	}
	if (cfg->listen.scheme != SCHEME_TUN &&
	    resolve(&cfg->listen, true, &def->listen_addr, &def->listen_len,
		    msg, sizeof(msg)) != 0) {
		def_error(err, cfg, "listen", msg);
		goto fail;
	}
	if (cfg->forward.scheme != SCHEME_ECHO) {
		key = "forward";
		def->fops = transport_lookup(cfg->forward.scheme);
		if (def->fops == NULL) {
			def_error(err, cfg, key, "scheme not supported");
			goto fail;
		}
		if (cfg->forward.scheme != SCHEME_TUN &&
		    resolve(&cfg->forward, false, &def->fwd_addr,
			    &def->fwd_len, msg, sizeof(msg)) != 0) {
			def_error(err, cfg, key, msg);
			goto fail;
		}
	}
	if (def->lops->check != NULL &&
	    def->lops->check(&cfg->listen, def->listen_addr.ss_family, msg,
			     sizeof(msg)) != 0) {
		def_error(err, cfg, "listen", msg);
		goto fail;
	}
	if (def->fops != NULL && def->fops->check != NULL &&
	    def->fops->check(&cfg->forward, def->fwd_addr.ss_family, msg,
			     sizeof(msg)) != 0) {
		def_error(err, cfg, "forward", msg);
		goto fail;
	}
	if (scheme_is_dtls(cfg->listen.scheme)) {
		const struct adapter_ops *ao = cfg->profile != NULL ?
						       cfg->profile->adapter :
						       NULL;
		struct dtls_ctx_params p = {
			.role = DTLS_ROLE_SERVER,
			.tls = &cfg->tls,
			.route = cfg->name,
			.engine = cfg->engine,
			.mtu = def->lops->max_msg,
			.reliable = (def->lops->caps &
				     TRANSPORT_CAP_RELIABLE) != 0,
			.keep_peer_chain = ao != NULL &&
					   (ao->flags & ADAPTER_F_PEER_CERT),
		};

		if (dtls_ctx_create(&p, &def->lctx, msg, sizeof(msg)) != 0) {
			def_error(err, cfg, "cert", msg);
			goto fail;
		}
	}
	if (scheme_is_dtls(cfg->forward.scheme)) {
		struct dtls_ctx_params p = {
			.role = DTLS_ROLE_CLIENT,
			.tls = &cfg->tls,
			.route = cfg->name,
			.engine = cfg->engine,
			.mtu = def->fops->max_msg,
			.reliable = (def->fops->caps &
				     TRANSPORT_CAP_RELIABLE) != 0,
			.server_name = is_ip_literal(cfg->forward.host) ?
					       NULL : cfg->forward.host,
		};

		if (dtls_ctx_create(&p, &def->fctx, msg, sizeof(msg)) != 0) {
			def_error(err, cfg, "cert", msg);
			goto fail;
		}
	}
	def->adapter.ops = cfg->profile != NULL ? cfg->profile->adapter : NULL;
	if ((def->lops->caps & TRANSPORT_CAP_STREAM) &&
	    (def->adapter.ops == NULL || def->adapter.ops->framing == NULL)) {
		def_error(err, cfg, "listen", "a stream (tcp) needs a message "
			  "profile to frame it: proto diameter");
		goto fail;
	}
	if (def->fops != NULL && (def->fops->caps & TRANSPORT_CAP_STREAM) &&
	    (def->adapter.ops == NULL || def->adapter.ops->framing == NULL)) {
		def_error(err, cfg, "forward", "a stream (tcp) needs a message "
			  "profile to frame it: proto diameter");
		goto fail;
	}
	def->single_worker = (def->adapter.ops != NULL &&
			      (def->adapter.ops->flags &
			       ADAPTER_F_SHARED_UPSTREAM) &&
			      !scheme_is_dtls(cfg->listen.scheme) &&
			      scheme_is_dtls(cfg->forward.scheme)) ||
			     (def->adapter.ops != NULL &&
			      (def->adapter.ops->flags & ADAPTER_F_PEER_HOST) &&
			      cfg->listen.scheme == SCHEME_UDP) ||
			     (def->lops->caps & TRANSPORT_CAP_ONE_THREAD) ||
			     (def->fops != NULL &&
			      (def->fops->caps & TRANSPORT_CAP_ONE_THREAD));
	if (def->adapter.ops != NULL && def->adapter.ops->init != NULL &&
	    def->adapter.ops->init(&def->adapter, cfg) != 0) {
		def->adapter.ops = NULL;
		def_error(err, cfg, "proto", "the profile's adapter refused "
					     "this route");
		goto fail;
	}
	*out = def;
	return 0;
fail:
	route_def_free(def);
	return ret;
}

void route_def_free(struct route_def *def)
{
	if (def == NULL)
		return;
	if (def->adapter.ops != NULL && def->adapter.ops->finish != NULL)
		def->adapter.ops->finish(&def->adapter);
	dtls_session_saved_free(def->resume);
	pthread_mutex_destroy(&def->resume_lock);
	dtls_ctx_destroy(def->lctx);
	dtls_ctx_destroy(def->fctx);
	memset(def->cookie_master, 0, sizeof(def->cookie_master));
	free(def);
}

const struct route_def *route_get_def(const struct route *r)
{
	return r->def;
}

/* Sessions --------------------------------------------------------------- */

static bool warn_ok(struct route *r)
{
	return log_ratelimit_ok(&r->rl, worker_now_ms(r->w), WARN_BURST,
				WARN_INTERVAL_MS);
}

/*
 * Count a drop, and say so at debug level (rate limited apart from the
 * warnings, so a flood of drops does not silence them), naming the peer.
 */
#define count_drop(r, why, peer) count_drop_at((r), (why), (peer), __func__)

static void count_drop_at(struct route *r, enum route_drop why,
			  const struct sockaddr_storage *peer, const char *fn)
{
	char a[ADDR_STRLEN];

	r->stats.drops[why]++;
	if (!log_enabled(LOG_LEVEL_DEBUG) ||
	    !log_ratelimit_ok(&r->drop_rl, worker_now_ms(r->w), WARN_BURST,
			      WARN_INTERVAL_MS))
		return;
	log_debug("%s: route %s: %s: dropped (%s)", fn, r->def->cfg->name,
		  peer != NULL && peer->ss_family != AF_UNSPEC ?
			  addr_str((const struct sockaddr *)peer, a) :
			  "unknown peer",
		  route_drop_name(why));
}

/* Count, log and free d, dropped for why. */
#define drop(r, why, d) drop_at((r), (why), (d), __func__)

static void drop_at(struct route *r, enum route_drop why, struct dgram *d,
		    const char *fn)
{
	count_drop_at(r, why, d->peerlen > 0 ? &d->peer : NULL, fn);
	dgram_free(d);
}

static void route_reap(struct route *r)
{
	struct session *s;

	while ((s = r->graveyard) != NULL) {
		r->graveyard = (struct session *)s->node.next;
		free(s->adapter_state);
		free(s);
	}
}

/* What a transport counted, into a route's counters. */
static void add_transport_stats(struct route_stats *sum,
				const struct transport_stats *ts)
{
	sum->tx_dropped += ts->tx_dropped;
	sum->rx_truncated += ts->rx_truncated;
	sum->drops[ROUTE_DROP_NOBUFS] += ts->rx_nobufs;
	sum->gro_runs += ts->rx_runs;
	sum->gso_runs += ts->tx_runs;
}

/* A forwarding transport's too, with the errors its peer caused. */
static void add_forward_stats(struct route_stats *sum,
			      const struct transport_stats *ts)
{
	add_transport_stats(sum, ts);
	sum->forward_errors += ts->rx_errors + ts->tx_errors;
}

static void session_kill(struct session *s)
{
	struct route *r = s->route;
	const struct adapter *a = &r->def->adapter;

	if (s->closing)
		return;
	s->closing = true;
	if (r->shared == s)
		r->shared = NULL;
	if (a->ops != NULL && a->ops->closed != NULL)
		a->ops->closed((struct adapter *)a, s, s->adapter_state);
	session_table_remove(&r->table, s);
	worker_timer_free(s->ltimer);
	worker_timer_free(s->ftimer);
	worker_timer_free(s->idle);
	worker_timer_free(s->retry);
	s->ltimer = s->ftimer = s->idle = s->retry = NULL;
	if (s->fwd != NULL) {
		/* what the peer sent just before it closed still goes */
		transport_flush(s->fwd);
		add_forward_stats(&r->stats, &s->fwd->stats);
		transport_close(s->fwd);
		s->fwd = NULL;
	}
	if (s->reply != NULL) {
		transport_flush(s->reply);
		add_forward_stats(&r->stats, &s->reply->stats);
		transport_close(s->reply);
		s->reply = NULL;
	}
	dtls_session_destroy(s->ldtls);
	dtls_session_destroy(s->fdtls);
	s->ldtls = s->fdtls = NULL;
	if (s->reasm != NULL) {
		dtls_hello_reasm_free(s->reasm);
		free(s->reasm);
		s->reasm = NULL;
	}
	r->stats.tx_dropped += s->pending.len;
	dgram_queue_clear(&s->pending);
	/* the hash node is free now: it links the graveyard */
	s->node.next = (struct hnode *)r->graveyard;
	r->graveyard = s;
}

/* Send close_notify where a DTLS side is up, log, and kill. */
/*
 * A listener whose peers have connections (TCP, SCTP): the session's goes
 * with it, cleanly, after what is queued (close_notify included).
 */
static size_t pending_max(const struct route *r)
{
	if (r->shared_mode)
		return PENDING_MAX_SHARED;
	if (r->def->lops->caps & TRANSPORT_CAP_RELIABLE)
		return PENDING_MAX_RELIABLE;
	return PENDING_MAX;
}

static void end_peer(struct session *s)
{
	struct route *r = s->route;
	struct transport *t;

	if (s->peer_ended || s->peerlen == 0 || r->shared == s)
		return;
	t = pick_listener(r, &s->local, s->locallen);
	if (t == NULL || t->ops->end_peer == NULL)
		return;
	transport_flush(t);
	t->ops->end_peer(t, &s->peer);
	s->peer_ended = true;
}

/*
 * ", cipher X" for the listening side's DTLS and ", forward cipher Y" for
 * the forwarding side's, where they are up; "" for cleartext.
 */
static const char *session_ciphers(const struct session *s, char *buf,
				   size_t len)
{
	char d[128];
	size_t o = 0;

	buf[0] = '\0';
	if (s->ldtls != NULL && dtls_session_established(s->ldtls))
		o = (size_t)snprintf(buf, len, ", cipher %s",
				     dtls_session_describe(s->ldtls, d,
							   sizeof(d)));
	if (o < len && s->fdtls != NULL &&
	    dtls_session_established(s->fdtls))
		snprintf(buf + o, len - o, ", forward cipher %s",
			 dtls_session_describe(s->fdtls, d, sizeof(d)));
	return buf;
}

/* The session is there to carry data: say so, once. */
static void log_opened(const struct session *s, const char *what)
{
	char a[ADDR_STRLEN], ciphers[300];

	log_info("route %s: %s: session opened (%s)%s", route_name(s->route),
		 peer_str(s, a), what,
		 session_ciphers(s, ciphers, sizeof(ciphers)));
}

static void session_close(struct session *s, const char *why)
{
	char a[ADDR_STRLEN], ciphers[300];

	if (s->closing)
		return;
	if (s->ldtls != NULL && dtls_session_established(s->ldtls))
		dtls_session_shutdown(s->ldtls);
	if (s->fdtls != NULL && dtls_session_established(s->fdtls)) {
		dtls_session_shutdown(s->fdtls);
		if (s->fwd != NULL)
			transport_flush(s->fwd);
	}
	end_peer(s);
	log_info("route %s: %s: session closed (%s) after %llu s, "
		 "%llu datagrams up, %llu down, %llu bytes up, %llu down%s",
		 route_name(s->route), peer_str(s, a), why,
		 (unsigned long long)((worker_now_ms(s->route->w) -
				       s->created_ms) / 1000),
		 (unsigned long long)s->up_dgrams,
		 (unsigned long long)s->down_dgrams,
		 (unsigned long long)s->up_bytes,
		 (unsigned long long)s->down_bytes,
		 session_ciphers(s, ciphers, sizeof(ciphers)));
	session_kill(s);
}

void session_adapter_drop(struct session *s, unsigned int reason)
{
	if (reason < ADAPTER_MAX_DROPS)
		s->route->stats.adapter_drops[reason]++;
}

void session_end(struct session *s, const char *why)
{
	session_close(s, why);
}

struct worker *session_worker(const struct session *s)
{
	return s->route->w;
}

bool session_forward_ready(const struct session *s)
{
	const struct route *r = s->route;

	if (r->fwd_echo)
		return true;
	if (r->fwd_dtls)
		return s->fdtls != NULL && dtls_session_established(s->fdtls);
	return s->fwd != NULL;
}

const uint8_t *session_peer_cert(const struct session *s, size_t *len)
{
	return dtls_session_peer_cert(s->ldtls, len);
}

size_t session_peer_chain(const struct session *s, uint8_t (*fps)[32],
			  size_t max)
{
	return dtls_session_peer_chain(s->ldtls, fps, max);
}

size_t session_max_down(const struct session *s)
{
	return s->ldtls != NULL ? dtls_session_max_plaintext(s->ldtls) : 0;
}

const char *session_name(const struct session *s, char *buf, size_t len)
{
	char a[ADDR_STRLEN];

	snprintf(buf, len, "route %s: %s", route_name(s->route),
		 peer_str(s, a));
	return buf;
}

static void touch(struct session *s)
{
	s->last_active_ms = worker_now_ms(s->route->w);
}

/* Address d to the session's listening-side peer, from where it wrote to. */
static void address_to_peer(struct dgram *d, const struct session *s)
{
	memcpy(&d->peer, &s->peer, s->peerlen);
	d->peerlen = s->peerlen;
	memcpy(&d->local, &s->local, s->locallen);
	d->locallen = s->locallen;
	d->ifindex = s->ifindex;
}

/*
 * Ciphertext from an engine, onto t: one datagram as it came, or on a
 * message transport one message per record, as RFC 6083 section 4.4
 * wants for SCTP and RFC 5238 section 3 for DCCP.  to_peer: addressed to
 * the session's listening-side peer.
 */
static int queue_ciphertext(struct session *s, struct transport *t,
			    bool to_peer, const uint8_t *buf, size_t len)
{
	struct route *r = s->route;
	bool per_record = (t->ops->caps & TRANSPORT_CAP_RECORDS) != 0;

	while (len > 0) {
		struct dtls_record rec;
		size_t n = 0;
		struct dgram *d;

		/* a whole record each; what is not one goes as it is */
		if (!per_record || !dtls_record_next(buf, len, &n, &rec))
			n = len;
		d = dgram_alloc(worker_pool(r->w));
		if (d == NULL || n > DGRAM_CAP) {
			count_drop(r, ROUTE_DROP_NOBUFS, &s->peer);
			dgram_free(d);
			return -ENOBUFS;
		}
		/* the engine reuses its buffer when we return: a copy */
		memcpy(d->data, buf, n);
		d->len = n;
		if (r->def->adapter.ops != NULL)
			d->ppid = r->def->adapter.ops->sctp_ppid_dtls;
		if (to_peer)
			address_to_peer(d, s);
		transport_queue(t, d);
		buf += n;
		len -= n;
	}
	return 0;
}

static int io_send_listen(void *arg, const uint8_t *buf, size_t len)
{
	struct session *s = arg;

	return queue_ciphertext(s, pick_listener(s->route, &s->local,
						 s->locallen),
				true, buf, len);
}

static int io_send_fwd(void *arg, const uint8_t *buf, size_t len)
{
	struct session *s = arg;

	if (s->fwd == NULL)
		return -ENOTCONN;
	return queue_ciphertext(s, s->fwd, false, buf, len);
}

static void arm_dtls_timer(struct session *s, struct dtls_session *ds,
			   struct worker_timer *t)
{
	int64_t ms = dtls_session_timeout_ms(ds);

	if (ms >= 0)
		worker_timer_start(t, (uint64_t)ms);
	else
		worker_timer_stop(t);
}

static void session_down(struct session *s, struct dgram *d);
static void session_up(struct session *s, struct dgram *d);
static int session_fwd_open(struct session *s);
static void fwd_retry_later(struct session *s);

/* Write plaintext into a DTLS side; d is consumed. */
static void dtls_send(struct session *s, struct dtls_session *ds,
		      struct dgram *d)
{
	struct route *r = s->route;
	int ret = dtls_session_write(ds, d->data, d->len);

	if (ret == -DTLSGW_ERR_TOO_BIG) {
		SESS_DEBUG(s, "%zu bytes exceed the %zu a record carries",
			   d->len, dtls_session_max_plaintext(ds));
		drop(r, ROUTE_DROP_TOO_BIG, d);
		return;
	}
	if (ret < 0)
		SESS_DEBUG(s, "write failed: %s", dtls_session_error(ds));
	dgram_free(d);
}

/*
 * Run the profile's adapter on d, which is heading into DTLS or coming out
 * of it.  True when d goes on; false when the adapter took it or it was
 * dropped (and counted).
 */
static bool adapt(struct session *s, struct dgram *d, bool into_dtls)
{
	struct route *r = s->route;
	struct adapter *a = &r->def->adapter;
	enum adapter_verdict v = ADAPTER_PASS;

	if (a->ops == NULL)
		return true;
	if (into_dtls && a->ops->to_dtls != NULL)
		v = a->ops->to_dtls(a, s, s->adapter_state, d);
	else if (!into_dtls && a->ops->from_dtls != NULL)
		v = a->ops->from_dtls(a, s, s->adapter_state, d);
	if (v == ADAPTER_DROP)
		drop(r, ROUTE_DROP_ADAPTER, d);
	return v == ADAPTER_PASS;
}

void session_send_down(struct session *s, struct dgram *d)
{
	struct route *r = s->route;

	s->down_dgrams++;
	s->down_bytes += d->len;
	r->stats.down_dgrams++;
	r->stats.down_bytes += d->len;
	if (s->ldtls != NULL) {
		dtls_send(s, s->ldtls, d);
		return;
	}
	if (d->peerlen == 0) {
		memcpy(&d->peer, &s->peer, s->peerlen);
		d->peerlen = s->peerlen;
	}
	if (d->locallen == 0) {
		memcpy(&d->local, &s->local, s->locallen);
		d->locallen = s->locallen;
		d->ifindex = s->ifindex;
	}
	if (d->ppid == 0 && r->def->adapter.ops != NULL)
		d->ppid = r->def->adapter.ops->sctp_ppid;
	if (s->reply != NULL)
		transport_queue(s->reply, d);
	else
		transport_queue(pick_listener(r, &d->local, d->locallen), d);
}

/* Plaintext on its way to the listening side's peer. */
static void session_down(struct session *s, struct dgram *d)
{
	struct route *r = s->route;

	/* what addresses d carries is the forward side's: the adapter may
	 * choose the peer and the socket to answer from */
	d->peerlen = 0;
	d->locallen = 0;
	d->ifindex = 0;
	if (!adapt(s, d, r->listen_dtls))
		return;
	session_send_down(s, d);
}

void session_send_up(struct session *s, struct dgram *d)
{
	struct route *r = s->route;

	s->up_dgrams++;
	s->up_bytes += d->len;
	r->stats.up_dgrams++;
	r->stats.up_bytes += d->len;
	if (r->fwd_echo) {
		d->peerlen = 0;
		d->locallen = 0;
		session_send_down(s, d);
		return;
	}
	if (r->fwd_dtls) {
		if (s->fdtls == NULL || !dtls_session_established(s->fdtls)) {
			if (s->pending.len >= pending_max(r)) {
				drop(r, ROUTE_DROP_QUEUE_FULL, d);
				return;
			}
			dgram_queue_push(&s->pending, d);
			return;
		}
		dtls_send(s, s->fdtls, d);
		return;
	}
	if (s->fwd == NULL) {
		drop(r, ROUTE_DROP_FORWARD_DOWN, d);
		return;
	}
	d->peerlen = 0;
	d->locallen = 0;
	if (r->fwd_ports) {
		/* the forward host, on the port the adapter chose */
		memcpy(&d->peer, &r->def->fwd_addr, r->def->fwd_len);
		d->peerlen = r->def->fwd_len;
		if (d->port_hint != 0)
			sockaddr_set_port(&d->peer, d->port_hint);
	}
	if (d->ppid == 0 && r->def->adapter.ops != NULL)
		d->ppid = r->def->adapter.ops->sctp_ppid;
	transport_queue(s->fwd, d);
}

/* Plaintext from the listening side's peer, on its way forward. */
static void session_up(struct session *s, struct dgram *d)
{
	struct route *r = s->route;

	touch(s);
	d->port_hint = 0;
	if (!adapt(s, d, !r->listen_dtls))
		return;
	session_send_up(s, d);
}

/*
 * Read every record of the datagram just handed to ds and pass the
 * plaintext on with deliver.  Stops when the session dies.
 */
static void drain_plaintext(struct session *s, struct dtls_session *ds,
			    void (*deliver)(struct session *, struct dgram *))
{
	struct route *r = s->route;

	while (!s->closing) {
		struct dgram *out = dgram_alloc(worker_pool(r->w));
		size_t n;
		int ret;

		if (out == NULL) {
			count_drop(r, ROUTE_DROP_NOBUFS, &s->peer);
			return;
		}
		ret = dtls_session_read(ds, out->data, DGRAM_CAP, &n);
		if (ret == -EAGAIN) {
			dgram_free(out);
			return;
		}
		if (ret < 0) {
			dgram_free(out);
			if (ret == -DTLSGW_ERR_CLOSED) {
				session_close(s, ds == s->ldtls ?
						 "close_notify from the peer" :
						 "close_notify from the "
						 "forward side");
			} else {
				char a[ADDR_STRLEN];

				if (warn_ok(r))
					log_warnx("route %s: %s: %s",
						  route_name(r),
						  peer_str(s, a),
						  dtls_session_error(ds));
				session_close(s, "DTLS error");
			}
			return;
		}
		out->len = n;
		deliver(s, out);
	}
}

static void log_handshake(struct session *s, struct dtls_session *ds,
			  const char *side)
{
	char a[ADDR_STRLEN], desc[128];

	log_info("route %s: %s: %s handshake done (%s%s)",
		 route_name(s->route), peer_str(s, a), side,
		 dtls_session_describe(ds, desc, sizeof(desc)),
		 dtls_session_resumed(ds) ? ", resumed" : "");
}

static void handshake_failed(struct session *s, struct dtls_session *ds,
			     const char *side)
{
	struct route *r = s->route;
	char a[ADDR_STRLEN], fa[ADDR_STRLEN];

	r->stats.handshakes_failed++;
	if (warn_ok(r)) {
		if (ds == s->fdtls)
			log_warnx("route %s: %s: %s handshake with %s failed: "
				  "%s",
				  route_name(r), peer_str(s, a), side,
				  addr_str((const struct sockaddr *)&r->def
						   ->fwd_addr,
					   fa),
				  dtls_session_error(ds));
		else
			log_warnx("route %s: %s: %s handshake failed: %s",
				  route_name(r), peer_str(s, a), side,
				  dtls_session_error(ds));
	}
}

/*
 * DTLS over SCTP (RFC 6083 section 4.7): the association's SCTP-AUTH key
 * comes from the DTLS exporter as the handshake completes, and becomes the
 * active one once our Finished is sent.  False, with
 * the session closed, when it cannot be installed.  Nothing to do on
 * other transports.
 */
#define SCTP_AUTH_LABEL		"EXPORTER_DTLS_OVER_SCTP"
#define SCTP_AUTH_KEY_LEN	64

static bool install_auth_key(struct session *s, struct dtls_session *ds,
			     struct transport *t, bool listen_side)
{
	uint8_t key[SCTP_AUTH_KEY_LEN];
	char a[ADDR_STRLEN];
	int ret;

	if (t == NULL || t->ops->set_auth_key == NULL)
		return true;
	/* our Finished goes under the old key: out before the switch */
	transport_flush(t);
	ret = dtls_session_export(ds, SCTP_AUTH_LABEL, key, sizeof(key));
	if (ret == 0)
		ret = t->ops->set_auth_key(t, listen_side ? &s->peer : NULL,
					   key, sizeof(key));
	explicit_bzero(key, sizeof(key));
	if (ret == 0) {
		SESS_DEBUG(s, "SCTP-AUTH key from the DTLS exporter installed");
		return true;
	}
	log_warnx("route %s: %s: cannot key SCTP-AUTH from the DTLS "
		  "exporter (%s): closing",
		  route_name(s->route), peer_str(s, a), dtlsgw_strerror(ret));
	session_close(s, "no SCTP-AUTH key");
	return false;
}

static void listen_established(struct session *s)
{
	struct route *r = s->route;

	if (!install_auth_key(s, s->ldtls, pick_listener(r, &s->local,
							  s->locallen),
			      true))
		return;
	r->stats.handshakes_ok++;
	if (dtls_session_resumed(s->ldtls))
		r->stats.handshakes_resumed++;
	hs_latency_add(&r->stats, s);
	session_table_handshake_end(&r->table, s);
	/* the retransmission timer now waits to trim the handshake's leftovers */
	worker_timer_start(s->ltimer, DTLS_TRIM_AFTER_MS);
	log_handshake(s, s->ldtls, "DTLS");
	log_opened(s, "DTLS");
	if (!r->fwd_echo && s->fwd == NULL && session_fwd_open(s) != 0 &&
	    !r->fwd_dtls)
		session_close(s, "cannot open the forward flow");
}

/* Hand ciphertext to the listening side's engine and pass on the plaintext. */
static void listen_feed(struct session *s, const uint8_t *buf, size_t len)
{
	bool was = dtls_session_established(s->ldtls);
	int ret = dtls_session_input(s->ldtls, buf, len);

	touch(s);
	if (!was) {
		if (ret == -EAGAIN) {
			arm_dtls_timer(s, s->ldtls, s->ltimer);
			return;
		}
		if (ret < 0) {
			handshake_failed(s, s->ldtls, "DTLS");
			session_kill(s);
			return;
		}
		listen_established(s);
	}
	drain_plaintext(s, s->ldtls, session_up);
}

static void listen_input(struct session *s, struct dgram *d)
{
	struct route *r = s->route;
	const uint8_t *rec;
	size_t len;
	int ret;

	if (s->reasm == NULL) {
		listen_feed(s, d->data, d->len);
		/* d held the ciphertext the engine was reading from */
		dgram_free(d);
		return;
	}
	ret = dtls_hello_reasm_add(s->reasm, d->data, d->len);
	dgram_free(d);
	if (ret < 0) {
		count_drop(r, ROUTE_DROP_MALFORMED_HELLO, &s->peer);
		session_kill(s);
		return;
	}
	if (ret == 0)
		return;
	SESS_DEBUG(s, "ClientHello reassembled from its fragments");
	worker_timer_stop(s->ltimer);
	rec = dtls_hello_reasm_record(s->reasm, &len);
	listen_feed(s, rec, len);
	if (s->reasm != NULL) {
		dtls_hello_reasm_free(s->reasm);
		free(s->reasm);
		s->reasm = NULL;
	}
}

static void fwd_established(struct session *s)
{
	struct route *r = s->route;
	struct dgram *d;

	if (!install_auth_key(s, s->fdtls, s->fwd, false))
		return;
	r->stats.handshakes_ok++;
	hs_latency_add(&r->stats, s);
	if (dtls_session_resumed(s->fdtls))
		r->stats.handshakes_resumed++;
	else {
		void *saved = dtls_session_save(s->fdtls);

		pthread_mutex_lock(&r->def->resume_lock);
		dtls_session_saved_free(r->def->resume);
		r->def->resume = saved;
		pthread_mutex_unlock(&r->def->resume_lock);
	}
	s->retries = 0;
	session_table_handshake_end(&r->table, s);
	worker_timer_start(s->ftimer, DTLS_TRIM_AFTER_MS);
	log_handshake(s, s->fdtls, "forward DTLS");
	while (!s->closing && (d = dgram_queue_pop(&s->pending)) != NULL)
		dtls_send(s, s->fdtls, d);
}

/* The forward handshake failed: drop the flow, try again later. */
static void fwd_retry_later(struct session *s)
{
	struct route *r = s->route;
	uint64_t ms = RETRY_FIRST_MS;
	char a[ADDR_STRLEN];

	session_table_handshake_end(&r->table, s);
	worker_timer_stop(s->ftimer);
	dtls_session_destroy(s->fdtls);
	s->fdtls = NULL;
	/*
	 * The handshake may have offered a session the server no longer
	 * knows (it restarted): the retry goes without one.  wolfSSL 5.5.4
	 * does not fall back to a full handshake after a HelloVerifyRequest
	 * when its resumption is refused ("Out of order message").
	 */
	pthread_mutex_lock(&r->def->resume_lock);
	dtls_session_saved_free(r->def->resume);
	r->def->resume = NULL;
	pthread_mutex_unlock(&r->def->resume_lock);
	if (s->fwd != NULL) {
		r->stats.forward_errors += s->fwd->stats.rx_errors;
		transport_close(s->fwd);
		s->fwd = NULL;
	}
	for (unsigned int i = 0; i < s->retries && ms < RETRY_MAX_MS; i++)
		ms *= 2;
	if (ms > RETRY_MAX_MS)
		ms = RETRY_MAX_MS;
	s->retries++;
	if (warn_ok(r))
		log_warnx("route %s: %s: retrying the forward handshake in "
			  "%llu s",
			  route_name(r), peer_str(s, a),
			  (unsigned long long)(ms / 1000));
	worker_timer_start(s->retry, ms);
}

static void fwd_rx(struct transport *t, struct dgram *d, void *arg)
{
	struct session *s = arg;
	struct route *r = s->route;

	(void)t;
	if (s->fdtls == NULL) {
		session_down(s, d);
		route_reap(r);
		return;
	}
	if (dtls_record_scan(d->data, d->len, NULL, NULL) != DTLS_SCAN_OK) {
		drop(r, ROUTE_DROP_NOT_DTLS, d);
		return;
	}
	if (!dtls_session_established(s->fdtls)) {
		int ret = dtls_session_input(s->fdtls, d->data, d->len);

		if (ret == -EAGAIN) {
			arm_dtls_timer(s, s->fdtls, s->ftimer);
			dgram_free(d);
			return;
		}
		if (ret < 0) {
			handshake_failed(s, s->fdtls, "forward DTLS");
			dgram_free(d);
			fwd_retry_later(s);
			return;
		}
		fwd_established(s);
	} else {
		dtls_session_input(s->fdtls, d->data, d->len);
	}
	drain_plaintext(s, s->fdtls, session_down);
	dgram_free(d);
	route_reap(r);
}

/*
 * An error on the forwarding flow: an ICMP port unreachable during the
 * forward handshake means nobody listens there; give up this attempt now
 * rather than retransmit into the void, and retry with backoff.
 */
static void fwd_error(struct transport *t, int err, void *arg)
{
	struct session *s = arg;
	struct route *r = s->route;
	char a[ADDR_STRLEN], fa[ADDR_STRLEN];

	(void)t;
	if (err == -ECONNRESET) {
		/* a connection (TCP) or association (SCTP) ended: the next
		 * message from the peer opens another */
		if (warn_ok(r))
			log_warnx("route %s: %s: the forward connection with "
				  "%s ended",
				  route_name(r), peer_str(s, a),
				  addr_str((const struct sockaddr *)&r->def
						   ->fwd_addr,
					   fa));
		session_close(s, "forward connection ended");
		return;
	}
	if (s->fdtls == NULL || dtls_session_established(s->fdtls) ||
	    err != -ECONNREFUSED)
		return;
	r->stats.handshakes_failed++;
	if (warn_ok(r))
		log_warnx("route %s: %s: forward DTLS handshake with %s failed: "
			  "connection refused (ICMP port unreachable)",
			  route_name(r), peer_str(s, a),
			  addr_str((const struct sockaddr *)&r->def->fwd_addr,
				   fa));
	fwd_retry_later(s);
}

static int session_fwd_open(struct session *s)
{
	struct route *r = s->route;
	const struct route_def *def = r->def;
	struct transport_params p = {
		.role = TRANSPORT_CONNECT,
		.addr = (const struct sockaddr *)&def->fwd_addr,
		.addrlen = def->fwd_len,
		.ep = &def->cfg->forward,
		.peer_ep = &def->cfg->listen,
		.pool = worker_pool(r->w),
		.unconnected = r->fwd_ports || r->fwd_flows,
		.framing = def->adapter.ops != NULL ? def->adapter.ops->framing
						    : NULL,
	};
	struct sockaddr_storage local = { .ss_family = def->fwd_addr.ss_family };
	char a[ADDR_STRLEN], fa[ADDR_STRLEN];
	int ret;

	if (r->fwd_flows) {
		/* the wildcard address, on the port the forward host sends to */
		sockaddr_set_port(&local, def->adapter.flow_port);
		p.local = (const struct sockaddr *)&local;
		p.locallen = def->fwd_len;
		p.flows = def->adapter.fwd_flows;
	}
	ret = transport_open(def->fops, r->w, &p, fwd_rx, s, &s->fwd);
	if (ret == 0)
		s->fwd->on_error = fwd_error;
	if (ret != 0) {
		if (warn_ok(r))
			log_warnx("route %s: %s: cannot open a flow to %s: %s",
				  route_name(r), peer_str(s, a),
				  addr_str(p.addr, fa), dtlsgw_strerror(ret));
		if (r->fwd_dtls)
			worker_timer_start(s->retry, RETRY_MAX_MS);
		return ret;
	}
	if (!r->fwd_dtls)
		return 0;
	{
		struct dtls_io io = { .send = io_send_fwd, .arg = s };

		s->hs_start_us = mono_us();
		pthread_mutex_lock(&r->def->resume_lock);
		s->fdtls = dtls_session_create(def->fctx, p.addr, p.addrlen,
					       NULL, &io, r->def->resume);
		pthread_mutex_unlock(&r->def->resume_lock);
	}
	if (s->fdtls == NULL) {
		transport_close(s->fwd);
		s->fwd = NULL;
		worker_timer_start(s->retry, RETRY_MAX_MS);
		return -ENOMEM;
	}
	/*
	 * Not counted against the peer's source address: the cap guards the
	 * handshakes strangers start with us, and local clients (many behind
	 * one address) are bounded by max-sessions.
	 */
	ret = dtls_session_handshake(s->fdtls);
	if (ret == -EAGAIN) {
		arm_dtls_timer(s, s->fdtls, s->ftimer);
		return 0;
	}
	if (ret < 0) {
		handshake_failed(s, s->fdtls, "forward DTLS");
		fwd_retry_later(s);
		return ret;
	}
	fwd_established(s);
	return 0;
}

/*
 * A DTLS side's timer: an established session trims what its handshake
 * kept; else the last flight goes again.  False when the handshake gave up.
 */
static bool dtls_timer_fired(struct session *s, struct dtls_session *ds,
			     struct worker_timer *t)
{
	if (dtls_session_established(ds)) {
		dtls_session_trim(ds);
		worker_heap_freed(s->route->w);
		return true;
	}
	if (dtls_session_on_timeout(ds) != 0)
		return false;
	arm_dtls_timer(s, ds, t);
	return true;
}

static void ltimer_cb(void *arg)
{
	struct session *s = arg;
	struct route *r = s->route;

	if (s->reasm != NULL) {
		SESS_DEBUG(s, "the ClientHello's fragments did not all come");
		count_drop(r, ROUTE_DROP_FRAGMENTED_HELLO, &s->peer);
		session_kill(s);
	} else if (!dtls_timer_fired(s, s->ldtls, s->ltimer)) {
		handshake_failed(s, s->ldtls, "DTLS");
		session_kill(s);
	}
	route_reap(r);
}

static void ftimer_cb(void *arg)
{
	struct session *s = arg;
	struct route *r = s->route;

	if (s->fdtls == NULL)
		return;
	if (!dtls_timer_fired(s, s->fdtls, s->ftimer)) {
		handshake_failed(s, s->fdtls, "forward DTLS");
		fwd_retry_later(s);
	}
	route_reap(r);
}

static void retry_cb(void *arg)
{
	struct session *s = arg;
	struct route *r = s->route;

	if (s->fwd == NULL)
		session_fwd_open(s);
	route_reap(r);
}

static void idle_cb(void *arg)
{
	struct session *s = arg;
	struct route *r = s->route;
	uint64_t idle_ms = (uint64_t)r->def->cfg->idle_timeout * 1000;
	uint64_t now = worker_now_ms(r->w);

	if (now - s->last_active_ms >= idle_ms)
		session_close(s, "idle timeout");
	else
		worker_timer_start(s->idle,
				   idle_ms - (now - s->last_active_ms));
	route_reap(r);
}

/* A session for the peer and local address of d. */
static struct session *session_new(struct route *r, const struct dgram *d)
{
	struct session *s = calloc(1, sizeof(*s));
	const struct adapter_ops *aops = r->def->adapter.ops;

	if (s == NULL)
		return NULL;
	s->route = r;
	if (r->shared_mode) {
		/* the one session of the route, named by where it goes */
		memcpy(&s->peer, &r->def->fwd_addr, r->def->fwd_len);
		s->peerlen = r->def->fwd_len;
	} else {
		memcpy(&s->peer, &d->peer, d->peerlen);
		s->peerlen = d->peerlen;
		memcpy(&s->local, &d->local, d->locallen);
		s->locallen = d->locallen;
		s->ifindex = d->ifindex;
	}
	s->created_ms = s->last_active_ms = worker_now_ms(r->w);
	s->hs_start_us = r->listen_dtls ? mono_us() : 0;
	s->ltimer = worker_timer_new(r->w, ltimer_cb, s);
	s->ftimer = worker_timer_new(r->w, ftimer_cb, s);
	s->idle = worker_timer_new(r->w, idle_cb, s);
	s->retry = worker_timer_new(r->w, retry_cb, s);
	if (aops != NULL && aops->state_size > 0)
		s->adapter_state = calloc(1, aops->state_size);
	if (s->ltimer == NULL || s->ftimer == NULL || s->idle == NULL ||
	    s->retry == NULL ||
	    (aops != NULL && aops->state_size > 0 && s->adapter_state == NULL)) {
		worker_timer_free(s->ltimer);
		worker_timer_free(s->ftimer);
		worker_timer_free(s->idle);
		worker_timer_free(s->retry);
		free(s->adapter_state);
		free(s);
		return NULL;
	}
	session_table_insert(&r->table, s);
	r->stats.sessions_total++;
	if (r->shared_mode)
		r->shared = s;
	worker_timer_start(s->idle, (uint64_t)r->def->cfg->idle_timeout * 1000);
	if (aops != NULL && aops->opened != NULL)
		aops->opened(&r->def->adapter, s, s->adapter_state);
	return s;
}

static bool admit(struct route *r, struct dgram *d)
{
	char a[ADDR_STRLEN];

	switch (session_table_admit(&r->table,
				    (const struct sockaddr *)&d->peer)) {
	case SESSION_ADMIT_OK:
		return true;
	case SESSION_ADMIT_FULL:
		if (warn_ok(r))
			log_warnx("route %s: %s: refused, max-sessions (%u) "
				  "reached",
				  route_name(r),
				  addr_str((const struct sockaddr *)&d->peer,
					   a),
				  r->def->cfg->max_sessions);
		drop(r, ROUTE_DROP_MAX_SESSIONS, d);
		return false;
	case SESSION_ADMIT_SOURCE_LIMIT:
	default:
		/* logged at debug with the address, as every drop */
		drop(r, ROUTE_DROP_SOURCE_LIMIT, d);
		return false;
	}
}

static enum route_drop scan_drop(enum dtls_scan_result sr)
{
	switch (sr) {
	case DTLS_SCAN_EMPTY:
		return ROUTE_DROP_EMPTY;
	case DTLS_SCAN_TRUNCATED:
		return ROUTE_DROP_TRUNCATED;
	case DTLS_SCAN_TOO_LONG:
		return ROUTE_DROP_TOO_LONG;
	case DTLS_SCAN_NOT_DTLS:
	default:
		return ROUTE_DROP_NOT_DTLS;
	}
}

static enum route_drop hello_drop(const char *why)
{
	if (why != NULL && strcmp(why, "fragmented_hello") == 0)
		return ROUTE_DROP_FRAGMENTED_HELLO;
	if (why != NULL && strcmp(why, "small_hello") == 0)
		return ROUTE_DROP_SMALL_HELLO;
	if (why != NULL && strcmp(why, "no_session") == 0)
		return ROUTE_DROP_NO_SESSION;
	return ROUTE_DROP_MALFORMED_HELLO;
}

/* Does d begin with a handshake record of epoch 0 holding a ClientHello? */
static bool starts_with_hello(const struct dgram *d)
{
	return d->len > DTLS_RECORD_HEADER_LEN &&
	       d->data[0] == DTLS_CT_HANDSHAKE && d->data[3] == 0 &&
	       d->data[4] == 0 &&
	       d->data[DTLS_RECORD_HEADER_LEN] == DTLS_HT_CLIENT_HELLO;
}

/* A datagram on a DTLS listening socket. */
static void listener_rx_dtls(struct route *r, struct transport *t,
			     struct dgram *d)
{
	enum dtls_scan_result sr = dtls_record_scan(d->data, d->len, NULL, NULL);
	uint8_t secret[DTLS_COOKIE_SECRET_LEN];
	struct dtls_client_hello ch;
	struct dgram *reply;
	struct session *s;
	const char *why;
	size_t outlen;

	if (sr != DTLS_SCAN_OK) {
		drop(r, scan_drop(sr), d);
		return;
	}
	s = session_table_find(&r->table, (const struct sockaddr *)&d->peer);
	if (s != NULL && !(dtls_session_established(s->ldtls) &&
			   starts_with_hello(d))) {
		listen_input(s, d);
		return;
	}
	/*
	 * A stranger, or a ClientHello in epoch 0 on an established session:
	 * a peer that restarted on the same address (RFC 6347 4.2.8).  The
	 * old session goes only once the new ClientHello has proved the
	 * address with a cookie.
	 */
	reply = dgram_alloc(worker_pool(r->w));
	if (reply == NULL) {
		drop(r, ROUTE_DROP_NOBUFS, d);
		return;
	}
	switch (dtls_hello_check(&r->jar, worker_now_ms(r->w) / 1000,
				 (const struct sockaddr *)&d->peer, d->peerlen,
				 d->data, d->len, reply->data, DGRAM_CAP,
				 &outlen, secret, &why)) {
	case DTLS_HELLO_VERIFY:
		reply->len = outlen;
		memcpy(&reply->peer, &d->peer, d->peerlen);
		reply->peerlen = d->peerlen;
		memcpy(&reply->local, &d->local, d->locallen);
		reply->locallen = d->locallen;
		reply->ifindex = d->ifindex;
		r->stats.hello_verify_sent++;
		transport_queue(t, reply);
		dgram_free(d);
		return;
	case DTLS_HELLO_DROP:
		dgram_free(reply);
		drop(r, hello_drop(why), d);
		return;
	case DTLS_HELLO_ACCEPT:
	default:
		dgram_free(reply);
		break;
	}
	if (s != NULL) {
		session_close(s, "the peer began a new handshake");
		route_reap(r);
	}
	if (!admit(r, d))
		goto out;
	s = session_new(r, d);
	if (s == NULL) {
		drop(r, ROUTE_DROP_NOBUFS, d);
		goto out;
	}
	{
		struct dtls_io io = { .send = io_send_listen, .arg = s };

		s->ldtls = dtls_session_create(r->def->lctx,
					       (const struct sockaddr *)&s->peer,
					       s->peerlen, secret, &io, NULL);
	}
	if (s->ldtls == NULL || session_table_handshake_begin(&r->table, s)) {
		session_kill(s);
		drop(r, ROUTE_DROP_NOBUFS, d);
		goto out;
	}
	SESS_DEBUG(s, "cookie verified, handshake starts");
	if (dtls_parse_client_hello(d->data, d->len, &ch) == DTLS_HELLO_OK &&
	    ch.fragment) {
		/* keep the fragments until the ClientHello is whole */
		s->reasm = calloc(1, sizeof(*s->reasm));
		if (s->reasm == NULL ||
		    dtls_hello_reasm_start(s->reasm, &ch, d->data, d->len) != 0) {
			free(s->reasm);
			s->reasm = NULL;
			session_kill(s);
			drop(r, ROUTE_DROP_MALFORMED_HELLO, d);
			goto out;
		}
		worker_timer_start(s->ltimer, HELLO_REASM_MS);
		dgram_free(d);
		goto out;
	}
	listen_input(s, d);
out:
	memset(secret, 0, sizeof(secret));
}

static void listener_rx(struct transport *t, struct dgram *d, void *arg);

/*
 * ADAPTER_F_PEER_HOST: the flow what goes back to the peer leaves by,
 * from listen_flows source ports at the address the peer wrote to.
 * Without it (one flow, or no socket) replies leave by the listener.
 */
static void reply_open(struct session *s)
{
	struct route *r = s->route;
	struct sockaddr_storage local;
	struct transport_params p = {
		.role = TRANSPORT_CONNECT,
		.addr = (const struct sockaddr *)&s->peer,
		.addrlen = s->peerlen,
		.pool = worker_pool(r->w),
		.unconnected = true,
		.flows = r->def->adapter.listen_flows,
	};
	char a[ADDR_STRLEN];
	int ret;

	if (p.flows <= 1)
		return;
	if (s->locallen > 0) {
		memcpy(&local, &s->local, s->locallen);
		sockaddr_set_port(&local, 0);
		p.local = (const struct sockaddr *)&local;
		p.locallen = s->locallen;
	}
	ret = transport_open(&transport_udp, r->w, &p, listener_rx, r,
			     &s->reply);
	if (ret != 0 && warn_ok(r))
		log_warnx("route %s: %s: cannot open the flows to the peer, "
			  "replies leave by the listening socket: %s",
			  route_name(r), peer_str(s, a), dtlsgw_strerror(ret));
}

/* A datagram on a cleartext listening socket. */
static void listener_rx_clear(struct route *r, struct dgram *d)
{
	struct session *s;

	if (r->peer_host)	/* the host, whatever port it sent from */
		sockaddr_set_port(&d->peer, r->def->adapter.reply_port);
	if (r->shared_mode)
		s = r->shared;
	else
		s = session_table_find(&r->table,
				       (const struct sockaddr *)&d->peer);
	if (s == NULL) {
		if (!r->shared_mode && !admit(r, d))
			return;
		s = session_new(r, d);
		if (s == NULL) {
			drop(r, ROUTE_DROP_NOBUFS, d);
			return;
		}
		SESS_DEBUG(s, "new session");
		if (r->peer_host)
			reply_open(s);
		log_opened(s, r->shared_mode ? "shared" : "cleartext");
		if (!r->fwd_echo && session_fwd_open(s) != 0 && !r->fwd_dtls) {
			drop(r, ROUTE_DROP_FORWARD_DOWN, d);
			session_kill(s);
			return;
		}
		if (s->closing) {
			dgram_free(d);
			return;
		}
	}
	session_up(s, d);
}

static void listener_rx(struct transport *t, struct dgram *d, void *arg)
{
	struct route *r = arg;

	if (d->peerlen == 0) {
		drop(r, ROUTE_DROP_EMPTY, d);
		return;
	}
	if (d->flags & DGRAM_F_END) {
		/* the peer's connection or association is over: so is its
		 * session, and with it the forward flow */
		struct session *s = session_table_find(
			&r->table, (const struct sockaddr *)&d->peer);

		dgram_free(d);
		if (s != NULL && !s->closing) {
			s->peer_ended = true;
			session_close(s, "the peer's connection ended");
		}
		route_reap(r);
		return;
	}
	if (r->listen_dtls)
		listener_rx_dtls(r, t, d);
	else
		listener_rx_clear(r, d);
	route_reap(r);
}

/* Routes ----------------------------------------------------------------- */

int route_start(struct worker *w, struct route_def *def, bool reuseport,
		unsigned int nworkers, struct route **out)
{
	const struct route_config *cfg = def->cfg;
	struct transport_params p = {
		.role = TRANSPORT_LISTEN,
		.addr = (const struct sockaddr *)&def->listen_addr,
		.addrlen = def->listen_len,
		.ep = &cfg->listen,
		.peer_ep = &cfg->forward,
		.framing = def->adapter.ops != NULL ? def->adapter.ops->framing
						    : NULL,
		.pool = worker_pool(w),
		.reuseport = reuseport,
		/* the first worker binds first: it checks nobody else has it */
		.exclusive = worker_id(w) == 0,
	};
	const struct adapter_ops *aops = def->adapter.ops;
	uint16_t ports[ROUTE_MAX_LISTENERS];
	size_t nports = 0;
	struct route *r;
	char a[ADDR_STRLEN];
	int ret;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return -ENOMEM;
	r->def = def;
	r->w = w;
	r->listen_dtls = scheme_is_dtls(cfg->listen.scheme);
	r->fwd_dtls = scheme_is_dtls(cfg->forward.scheme);
	r->fwd_echo = cfg->forward.scheme == SCHEME_ECHO;
	r->fwd_ports = aops != NULL && (aops->flags & ADAPTER_F_FORWARD_PORTS) &&
		       !r->fwd_dtls && !r->fwd_echo;
	r->peer_host = aops != NULL && (aops->flags & ADAPTER_F_PEER_HOST) &&
		       cfg->listen.scheme == SCHEME_UDP;
	r->fwd_flows = aops != NULL && (aops->flags & ADAPTER_F_FLOW_PORTS) &&
		       cfg->forward.scheme == SCHEME_UDP;
	r->shared_mode = aops != NULL &&
			 (aops->flags & ADAPTER_F_SHARED_UPSTREAM) &&
			 !r->listen_dtls && r->fwd_dtls;
	/* the URI's port, then the adapter's on a cleartext listening side */
	ports[nports++] = cfg->listen.port;
	if (!r->listen_dtls && aops != NULL && aops->listen_ports != NULL)
		nports += aops->listen_ports(&def->adapter, cfg, ports + 1,
					     ROUTE_MAX_LISTENERS - 1);
	dtls_cookie_jar_init(&r->jar, def->cookie_master, DTLS_COOKIE_PERIOD_S);
	if (nworkers == 0)
		nworkers = 1;
	/*
	 * Both limits are shared out among the workers: the kernel spreads
	 * one source's ports over every worker's socket (SO_REUSEPORT), so a
	 * per-worker cap of its own would let a source have nworkers times
	 * as many handshakes in progress.
	 */
	ret = session_table_init(&r->table,
				 (cfg->max_sessions + nworkers - 1) / nworkers,
				 (cfg->max_handshakes_per_source + nworkers -
				  1) / nworkers);
	if (ret != 0) {
		free(r);
		return ret;
	}
	for (size_t i = 0; i < nports; i++) {
		struct sockaddr_storage ss = { .ss_family = AF_UNSPEC };

		memcpy(&ss, &def->listen_addr, def->listen_len);
		if (ss.ss_family == AF_INET)
			((struct sockaddr_in *)&ss)->sin_port = htons(ports[i]);
		else
			((struct sockaddr_in6 *)&ss)->sin6_port =
				htons(ports[i]);
		p.addr = (const struct sockaddr *)&ss;
		ret = transport_open(def->lops, w, &p, listener_rx, r,
				     &r->listeners[r->nlisteners]);
		if (ret != 0) {
			log_errx("route %s: cannot listen on %s: %s",
				 cfg->name, addr_str(p.addr, a),
				 dtlsgw_strerror(ret));
			route_stop(r, false);
			return ret;
		}
		r->nlisteners++;
	}
	*out = r;
	return 0;
}

void route_stop(struct route *r, bool graceful)
{
	struct session *s, *next;
	size_t i;

	if (r == NULL)
		return;
	for (s = session_table_first(&r->table, &i); s != NULL; s = next) {
		next = session_table_next(&r->table, s, &i);
		if (graceful)
			session_close(s, "shutting down");
		else
			session_kill(s);
	}
	route_reap(r);
	for (i = 0; i < r->nlisteners; i++) {
		/* the close_notify records wait in the listener's queue */
		transport_flush(r->listeners[i]);
		transport_close(r->listeners[i]);
	}
	session_table_finish(&r->table);
	free(r);
}

void route_stats_add(struct route_stats *sum, const struct route *r)
{
	const uint64_t *from = (const uint64_t *)&r->stats;
	uint64_t *to = (uint64_t *)sum;
	struct session *s;
	size_t i;

	_Static_assert(sizeof(struct route_stats) % sizeof(uint64_t) == 0,
		       "route_stats is made of uint64_t");
	for (i = 0; i < sizeof(struct route_stats) / sizeof(uint64_t); i++)
		to[i] += from[i];
	sum->sessions_active += session_table_count(&r->table);
	for (i = 0; i < r->nlisteners; i++)
		add_transport_stats(sum, &r->listeners[i]->stats);
	for (s = session_table_first(&r->table, &i); s != NULL;
	     s = session_table_next(&r->table, s, &i)) {
		if (s->fwd != NULL)
			add_forward_stats(sum, &s->fwd->stats);
		if (s->reply != NULL)
			add_forward_stats(sum, &s->reply->stats);
		if ((s->ldtls != NULL && dtls_session_own_records(s->ldtls)) ||
		    (s->fdtls != NULL && dtls_session_own_records(s->fdtls)))
			sum->sessions_own_records++;
	}
}

void route_log_stats(const struct route_def *def,
		     const struct route_stats *st,
		     const uint64_t *per_worker, unsigned int nworkers)
{
	char drops[1024] = "", workers[256] = "";
	size_t o = 0, wo = 0;

	for (unsigned int i = 0; per_worker != NULL && i < nworkers; i++) {
		int n = snprintf(workers + wo, sizeof(workers) - wo, "%s%llu",
				 i > 0 ? "," : "",
				 (unsigned long long)per_worker[i]);

		if (n < 0 || (size_t)n >= sizeof(workers) - wo)
			break;
		wo += (size_t)n;
	}
	if (def->adapter.ops != NULL) {
		const struct adapter_ops *ops = def->adapter.ops;

		for (unsigned int i = 0; i < ops->ndrops &&
					 i < ADAPTER_MAX_DROPS; i++) {
			int n;

			if (st->adapter_drops[i] == 0)
				continue;
			n = snprintf(drops + o, sizeof(drops) - o,
				     " %s_%s=%llu", ops->name,
				     ops->drop_names[i],
				     (unsigned long long)st->adapter_drops[i]);
			if (n < 0 || (size_t)n >= sizeof(drops) - o)
				break;
			o += (size_t)n;
		}
	}
	for (int i = 0; i < ROUTE_DROP_MAX; i++) {
		int n;

		if (st->drops[i] == 0)
			continue;
		n = snprintf(drops + o, sizeof(drops) - o, " %s=%llu",
			     route_drop_name((enum route_drop)i),
			     (unsigned long long)st->drops[i]);
		if (n < 0 || (size_t)n >= sizeof(drops) - o)
			break;
		o += (size_t)n;
	}
	log_info("stats route=%s sessions=%llu sessions_per_worker=%s "
		 "own_records=%llu sessions_total=%llu "
		 "handshakes_ok=%llu handshakes_failed=%llu "
		 "handshakes_resumed=%llu hello_verify_sent=%llu "
		 "up_dgrams=%llu up_bytes=%llu down_dgrams=%llu "
		 "down_bytes=%llu forward_errors=%llu tx_dropped=%llu "
		 "rx_truncated=%llu gro_runs=%llu gso_runs=%llu drops:%s",
		 def->cfg->name, (unsigned long long)st->sessions_active,
		 wo > 0 ? workers : "-",
		 (unsigned long long)st->sessions_own_records,
		 (unsigned long long)st->sessions_total,
		 (unsigned long long)st->handshakes_ok,
		 (unsigned long long)st->handshakes_failed,
		 (unsigned long long)st->handshakes_resumed,
		 (unsigned long long)st->hello_verify_sent,
		 (unsigned long long)st->up_dgrams,
		 (unsigned long long)st->up_bytes,
		 (unsigned long long)st->down_dgrams,
		 (unsigned long long)st->down_bytes,
		 (unsigned long long)st->forward_errors,
		 (unsigned long long)st->tx_dropped,
		 (unsigned long long)st->rx_truncated,
		 (unsigned long long)st->gro_runs,
		 (unsigned long long)st->gso_runs, o > 0 ? drops : " none");
}
