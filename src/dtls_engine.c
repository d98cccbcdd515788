/*
 * The DTLS engine's dispatcher: the public functions of dtlsgw/dtls.h
 * forward to the backend of the context or session they are given, through
 * its struct dtls_engine_ops (src/dtls_int.h), the way curl's lib/vtls/vtls.c
 * forwards to struct Curl_ssl.  What every backend shares lives here: the
 * registry of backends this build has, the key log file, the common part
 * of contexts and sessions, and the certificate verdict with pinning.
 *
 * No TLS library is included here: the cookies are in src/dtls_cookie.c,
 * the ephemeral certificate in src/dtls_cert.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dtls_int.h"
#include "dtlsgw/errors.h"
#include "dtlsgw/log.h"
#include "dtlsgw/tunnel.h"

/* Every backend this build has, in enum engine_kind order. */
static const struct dtls_engine_ops *const engines[] = {
	[ENGINE_WOLFSSL] = &dtls_engine_wolfssl,
#if HAVE_OPENSSL
	[ENGINE_OPENSSL] = &dtls_engine_openssl,
#endif
};

#define NENGINES (sizeof(engines) / sizeof(engines[0]))

static int keylog_fd = -1;

/*
 * What dtls_session_save() hands out: the backend's own handle and the
 * backend that can free it.
 */
struct dtls_saved {
	const struct dtls_engine_ops	*ops;
	void				*handle;
};

static const struct dtls_engine_ops *engine_ops(enum engine_kind engine)
{
	if ((size_t)engine >= NENGINES)
		return NULL;
	return engines[engine];
}

bool dtls_engine_available(enum engine_kind engine)
{
	return engine_ops(engine) != NULL;
}

const char *dtls_engine_name(enum engine_kind engine)
{
	switch (engine) {
	case ENGINE_WOLFSSL:
		return "wolfssl";
	case ENGINE_OPENSSL:
		return "openssl";
	}
	return "?";
}

int dtls_global_init(const char *keylog_path)
{
	size_t i;
	int ret;

	for (i = 0; i < NENGINES; i++) {
		if (engines[i] == NULL)
			continue;
		ret = engines[i]->global_init();
		if (ret != 0)
			goto fail;
	}
	if (keylog_path != NULL && keylog_path[0] != '\0') {
		keylog_fd = open(keylog_path,
				 O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
				 0600);
		if (keylog_fd == -1) {
			ret = -errno;
			goto fail;
		}
		log_warnx("key log %s: session secrets are being written, "
			  "for debugging only", keylog_path);
	}
	return 0;
fail:
	while (i-- > 0)
		if (engines[i] != NULL)
			engines[i]->global_cleanup();
	return ret;
}

void dtls_thread_cleanup(void)
{
	for (size_t i = 0; i < NENGINES; i++)
		if (engines[i] != NULL)
			engines[i]->thread_cleanup();
}

void dtls_global_cleanup(void)
{
	if (keylog_fd != -1)
		close(keylog_fd);
	keylog_fd = -1;
	dtls_ephemeral_free();
	dtls_thread_cleanup();
	for (size_t i = 0; i < NENGINES; i++)
		if (engines[i] != NULL)
			engines[i]->global_cleanup();
}

bool dtls_keylog_enabled(void)
{
	return keylog_fd != -1;
}

void dtls_keylog_write(const char *line, size_t len)
{
	char buf[512];

	if (keylog_fd == -1 || len + 1 > sizeof(buf))
		return;
	/* one write of a whole line: O_APPEND keeps lines from threads whole */
	memcpy(buf, line, len);
	buf[len] = '\n';
	if (write(keylog_fd, buf, len + 1) != (ssize_t)(len + 1))
		log_debug("%s: key log write failed", __func__);
	memset(buf, 0, sizeof(buf));
}

const char *dtls_fingerprint_str(const uint8_t fp[32], char *buf, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o;

	if (len < 7 + 32 * 3)
		return "";
	memcpy(buf, "sha256:", 7);
	o = 7;
	for (int i = 0; i < 32; i++) {
		if (i > 0)
			buf[o++] = ':';
		buf[o++] = hex[fp[i] >> 4];
		buf[o++] = hex[fp[i] & 15];
	}
	buf[o] = '\0';
	return buf;
}

bool dtls_ct_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t d = 0;

	for (size_t i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

/* Contexts -------------------------------------------------------------- */

static enum verify_mode effective_verify(const struct tls_config *tls)
{
	if (tls->verify != VERIFY_DEFAULT)
		return tls->verify;
	return (tls->ca != NULL || tls->nfingerprints > 0) ? VERIFY_REQUIRE
							   : VERIFY_NONE;
}

enum dtls_peer_check dtls_ctx_peer_check(const struct dtls_ctx *c)
{
	enum dtls_peer_check check;

	if (c->psk_only || c->verify == VERIFY_NONE)
		check = DTLS_CHECK_NONE;
	else if (c->verify == VERIFY_REQUIRE && c->role == DTLS_ROLE_SERVER)
		check = DTLS_CHECK_REQUIRED;
	else
		check = DTLS_CHECK_IF_SENT;
	if (c->role == DTLS_ROLE_CLIENT && check == DTLS_CHECK_NONE &&
	    !c->psk_only)
		log_warnx("route %s: the server's certificate is not verified "
			  "(no ca, no peer-fingerprint)", c->route);
	return check;
}

/* src/tunnel.c sizes tunnels after the datagrams the engines write */
_Static_assert(DTLS_MTU_DEFAULT == TUNNEL_DTLS_DATAGRAM,
	       "TUNNEL_DTLS_DATAGRAM is DTLS_MTU_DEFAULT");

int dtls_ctx_base_init(struct dtls_ctx *c, const struct dtls_engine_ops *ops,
		       const struct dtls_ctx_params *p)
{
	const struct tls_config *tls = p->tls;

	c->ops = ops;
	pthread_mutex_init(&c->lib_lock, NULL);
	c->role = p->role;
	c->reliable = p->reliable;
	c->mtu = p->mtu > 0 ? p->mtu : DTLS_MTU_DEFAULT;
	c->verify = effective_verify(tls);
	c->has_ca = tls->ca != NULL;
	c->psk_only = tls->psk_len > 0 && tls->cert == NULL;
	c->keep_peer_chain = p->keep_peer_chain;
	c->npins = tls->nfingerprints;
	memcpy(c->pins, tls->fingerprints, sizeof(c->pins));
	c->route = strdup(p->route != NULL ? p->route : "-");
	if (c->route == NULL)
		return -ENOMEM;
	if (p->server_name != NULL) {
		c->server_name = strdup(p->server_name);
		if (c->server_name == NULL)
			return -ENOMEM;
	}
	if (tls->psk_len > 0) {
		c->psk_identity = strdup(tls->psk_identity != NULL ?
						 tls->psk_identity : "");
		if (c->psk_identity == NULL)
			return -ENOMEM;
		memcpy(c->psk, tls->psk, tls->psk_len);
		c->psk_len = tls->psk_len;
	}
	return 0;
}

void dtls_ctx_base_finish(struct dtls_ctx *c)
{
	free(c->psk_identity);
	free(c->server_name);
	free(c->route);
	pthread_mutex_destroy(&c->lib_lock);
	c->psk_identity = c->server_name = c->route = NULL;
	memset(c->psk, 0, sizeof(c->psk));
	c->psk_len = 0;
}

int dtls_ctx_create(const struct dtls_ctx_params *p, struct dtls_ctx **out,
		    char *err, size_t errlen)
{
	const struct dtls_engine_ops *ops = engine_ops(p->engine);

	*out = NULL;
	if (ops == NULL) {
		snprintf(err, errlen, "engine %s is not built into this dtlsgw",
			 dtls_engine_name(p->engine));
		return -DTLSGW_ERR_CONFIG;
	}
	return ops->ctx_create(p, out, err, errlen);
}

void dtls_ctx_destroy(struct dtls_ctx *ctx)
{
	if (ctx != NULL)
		ctx->ops->ctx_destroy(ctx);
}

int dtls_ctx_rebuild(const struct dtls_ctx *ctx, const struct tls_config *tls,
		     struct dtls_ctx **out, char *err, size_t errlen)
{
	struct dtls_ctx_params p = {
		.role = ctx->role,
		.tls = tls,
		.route = ctx->route,
		.server_name = ctx->server_name,
		.reliable = ctx->reliable,
		.engine = ctx->ops->kind,
		.mtu = ctx->mtu,
		.keep_peer_chain = ctx->keep_peer_chain,
	};

	return dtls_ctx_create(&p, out, err, errlen);
}

void dtls_ctx_adopt(struct dtls_ctx *ctx, struct dtls_ctx *fresh)
{
	pthread_mutex_lock(&ctx->lib_lock);
	ctx->ops->ctx_swap(ctx, fresh);
	memcpy(ctx->own_fp, fresh->own_fp, sizeof(ctx->own_fp));
	ctx->has_own_fp = fresh->has_own_fp;
	pthread_mutex_unlock(&ctx->lib_lock);
	dtls_ctx_destroy(fresh);
}

bool dtls_ctx_fingerprint(const struct dtls_ctx *ctx, uint8_t out[32])
{
	if (!ctx->has_own_fp)
		return false;
	memcpy(out, ctx->own_fp, 32);
	return true;
}

/* Certificates ---------------------------------------------------------- */

static void refuse(struct dtls_session *s, const char *fmt, ...)
	LOG_PRINTF(2, 3);

static void refuse(struct dtls_session *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->verify_reason, sizeof(s->verify_reason), fmt, ap);
	va_end(ap);
	s->verify_failed = true;
}

bool dtls_verify_wants_der(const struct dtls_session *s, int depth)
{
	return (depth == 0 && s->ctx->npins > 0) ||
	       (s->ctx->keep_peer_chain && depth >= 0 &&
		depth < DTLS_PEER_CHAIN_MAX);
}

/* Keep the certificate at depth of the chain that verified. */
static void keep_peer_cert(struct dtls_session *s, int depth,
			   const uint8_t *der, size_t derlen)
{
	struct dtls_peer_chain *pc = s->peer;

	if (!s->ctx->keep_peer_chain || der == NULL || derlen == 0 ||
	    depth < 0 || depth >= DTLS_PEER_CHAIN_MAX)
		return;
	if (pc == NULL) {
		pc = calloc(1, sizeof(*pc));
		if (pc == NULL)
			return;
		s->peer = pc;
	}
	dtls_sha256(der, derlen, pc->fp[depth]);
	pc->seen |= 1u << depth;
	if (depth != 0)
		return;
	free(pc->der);
	pc->derlen = 0;
	pc->der = malloc(derlen);
	if (pc->der == NULL)
		return;
	memcpy(pc->der, der, derlen);
	pc->derlen = derlen;
}

const uint8_t *dtls_session_peer_cert(const struct dtls_session *s,
				      size_t *len)
{
	*len = 0;
	if (s == NULL || s->peer == NULL || s->peer->der == NULL)
		return NULL;
	*len = s->peer->derlen;
	return s->peer->der;
}

size_t dtls_session_peer_chain(const struct dtls_session *s,
			       uint8_t (*fps)[32], size_t max)
{
	size_t n = 0;

	if (s == NULL || s->peer == NULL)
		return 0;
	/* the depths from 0 on that were all seen */
	for (unsigned int d = 0; d < DTLS_PEER_CHAIN_MAX && n < max; d++) {
		if (!(s->peer->seen & (1u << d)))
			break;
		memcpy(fps[n++], s->peer->fp[d], 32);
	}
	return n;
}

static bool decide(struct dtls_session *s, int depth, bool preverify,
		   const uint8_t *der, size_t derlen, const char *liberr);

bool dtls_verify_decide(struct dtls_session *s, int depth, bool preverify,
			const uint8_t *der, size_t derlen, const char *liberr)
{
	bool ok = decide(s, depth, preverify, der, derlen, liberr);

	if (ok)
		keep_peer_cert(s, depth, der, derlen);
	return ok;
}

static bool decide(struct dtls_session *s, int depth, bool preverify,
		   const uint8_t *der, size_t derlen, const char *liberr)
{
	const struct dtls_ctx *c = s->ctx;
	uint8_t fp[32];
	char buf[128];

	if (c->npins == 0) {
		if (!preverify)
			refuse(s, "certificate at depth %d: %s", depth, liberr);
		return preverify;
	}
	/* pinned: the leaf must be one of the pins; with a CA, the chain too */
	if (depth > 0) {
		if (!c->has_ca || preverify)
			return true;
		refuse(s, "certificate at depth %d: %s", depth, liberr);
		return false;
	}
	if (der == NULL || derlen == 0) {
		refuse(s, "no peer certificate to match the pins");
		return false;
	}
	dtls_sha256(der, derlen, fp);
	for (size_t i = 0; i < c->npins; i++) {
		if (!dtls_ct_equal(fp, c->pins[i], 32))
			continue;
		if (c->has_ca && !preverify) {
			refuse(s, "pinned certificate does not chain to the "
				  "CA");
			return false;
		}
		return true;
	}
	/* the reason names the first bytes of the refused fingerprint */
	refuse(s, "certificate %.30s... is not pinned",
	       dtls_fingerprint_str(fp, buf, sizeof(buf)));
	return false;
}

/* Sessions -------------------------------------------------------------- */

/*
 * What a backend writes, on its way to the caller: the newest protected
 * record's number is where the record layer goes on from.
 */
static int tracked_send(void *arg, const uint8_t *buf, size_t len)
{
	struct dtls_session *s = arg;
	struct dtls_record r;
	size_t off = 0;

	while (dtls_record_next(buf, len, &off, &r)) {
		if (r.epoch > 0 &&
		    (!s->tx_seen || r.epoch > s->tx_epoch ||
		     (r.epoch == s->tx_epoch && r.seq > s->tx_seq))) {
			s->tx_seen = true;
			s->tx_epoch = r.epoch;
			s->tx_seq = r.seq;
		}
	}
	return s->user_io.send(s->user_io.arg, buf, len);
}

void dtls_session_base_init(struct dtls_session *s, struct dtls_ctx *ctx,
			    const struct dtls_io *io)
{
	s->ops = ctx->ops;
	s->ctx = ctx;
	s->user_io = *io;
	s->io.send = tracked_send;
	s->io.arg = s;
}

struct dtls_session *dtls_session_create(struct dtls_ctx *ctx,
					 const struct sockaddr *peer,
					 socklen_t peerlen,
					 const uint8_t *cookie_secret,
					 const struct dtls_io *io,
					 const void *resume)
{
	const struct dtls_saved *saved = resume;
	void *handle = NULL;

	/* a session saved by another backend cannot resume here */
	if (saved != NULL && saved->ops == ctx->ops)
		handle = saved->handle;
	return ctx->ops->session_create(ctx, peer, peerlen, cookie_secret, io,
					handle);
}

static void drop_keys(struct dtls_session *s)
{
	if (s->keys != NULL) {
		explicit_bzero(s->keys, sizeof(*s->keys));
		free(s->keys);
		s->keys = NULL;
	}
}

/*
 * As the handshake completes: the secrets and the rest of what the record
 * layer will need, while the library still has them.
 */
static void capture_keys(struct dtls_session *s)
{
	if (s->ops->export_keys == NULL) {
		s->no_fast = true;
		return;
	}
	s->keys = calloc(1, sizeof(*s->keys));
	if (s->keys == NULL || s->ops->export_keys(s, s->keys) != 0) {
		drop_keys(s);
		s->no_fast = true;
	}
}

void dtls_session_destroy(struct dtls_session *s)
{
	if (s == NULL)
		return;
#if HAVE_OPENSSL
	dtls_fast_free(s->fast);
	s->fast = NULL;
#endif
	drop_keys(s);
	if (s->peer != NULL) {
		free(s->peer->der);
		free(s->peer);
		s->peer = NULL;
	}
	s->ops->session_destroy(s);
}

/*
 * Let the library go and carry the records ourselves (src/dtls_fast.c),
 * going on from the newest record written; rany: the records up to rtop
 * count as received.  Where the suite or the build does not allow it, the
 * library stays for good.
 */
static void go_fast(struct dtls_session *s, bool rany, uint64_t rtop)
{
#if HAVE_OPENSSL
	struct dtls_keys *k = s->keys;
	struct dtls_fast *f;

	if (k == NULL || !s->tx_seen)
		goto no;
	k->epoch = s->tx_epoch;
	k->wseq = s->tx_seq + 1;
	/*
	 * On a reliable transport a record is a message of its own, as large
	 * as the transport carries (RFC 6083: up to 2^14 bytes of plaintext),
	 * whatever datagram size the library kept to for its flights.
	 */
	if (s->ctx->reliable && s->ctx->mtu > 64)
		k->max_plaintext = s->ctx->mtu - 64;
	k->rany = rany;
	k->rtop = rtop;
	if (dtls_fast_create(&f, k) != 0)
		goto no;
	log_debug("%s: route %s: suite %04x, epoch %u, next record %llu, "
		  "received up to %s%llu: the record layer is ours",
		  __func__, s->ctx->route, k->suite, k->epoch,
		  (unsigned long long)k->wseq, rany ? "" : "(none) ",
		  (unsigned long long)rtop);
	drop_keys(s);
	s->ops->release(s);
	s->fast = f;
	return;
no:
	if (k != NULL)
		log_debug("%s: route %s: suite %04x stays with the library",
			  __func__, s->ctx->route, k->suite);
	drop_keys(s);
#else
	(void)rany;
	(void)rtop;
#endif
	s->no_fast = true;
}

int dtls_session_handshake(struct dtls_session *s)
{
	int ret;

	if (s->established)
		return 0;
	ret = s->ops->handshake(s);
	if (ret == 0)
		capture_keys(s);
	return ret;
}

/* Note whether dg is one protected record, and its newest record number. */
static void scan_input(struct dtls_session *s, const uint8_t *dg, size_t len)
{
	struct dtls_record r;
	size_t off = 0, count = 0;

	s->in_max_seq = 0;
	while (dtls_record_next(dg, len, &off, &r)) {
		if (count++ == 0) {
			s->in_type = r.type;
			s->in_epoch = r.epoch;
			s->in_seq = r.seq;
		}
		if (r.epoch > 0 && r.seq > s->in_max_seq)
			s->in_max_seq = r.seq;
	}
	s->in_single = count == 1 && off == len;
}

int dtls_session_input(struct dtls_session *s, const uint8_t *dg, size_t len)
{
	s->in = dg;
	s->in_len = len;
	s->in_off = 0;
	if (s->fast != NULL)
		return 0;
	if (s->established && !s->no_fast)
		scan_input(s, dg, len);
	if (!s->established)
		return dtls_session_handshake(s);
	return 0;
}

#if HAVE_OPENSSL
static const char *alert_name(uint8_t desc)
{
	switch (desc) {
	case 0:
		return "close notify";
	case 10:
		return "unexpected message";
	case 20:
		return "bad record mac";
	case 40:
		return "handshake failure";
	case 80:
		return "internal error";
	case 90:
		return "user canceled";
	}
	return "alert";
}

/*
 * The next record of the datagram with data, ours to open.  Records that
 * fail (another epoch, a replay, a bad tag) are dropped one by one, as
 * RFC 6347 4.1.2.7 says; a handshake record (the peer's last flight again,
 * or a renegotiation) is ignored.
 */
static int fast_read(struct dtls_session *s, uint8_t *buf, size_t cap,
		     size_t *n)
{
	uint8_t type;

	while (s->in != NULL && dtls_fast_next(s->fast, s->in, s->in_len,
					       &s->in_off, buf, cap, n,
					       &type)) {
		if (type == DTLS_CT_APPLICATION_DATA && *n > 0)
			return 0;
		/* a warning other than close_notify: nothing to do */
		if (type != DTLS_CT_ALERT || *n < 2 ||
		    (buf[1] != 0 && buf[0] != 2))
			continue;
		s->in = NULL;
		s->in_len = s->in_off = 0;
		if (buf[1] == 0) {
			snprintf(s->err, sizeof(s->err), "close_notify");
			return -DTLSGW_ERR_CLOSED;
		}
		snprintf(s->err, sizeof(s->err), "alert received: %s (%u)",
			 alert_name(buf[1]), buf[1]);
		return -DTLSGW_ERR_FATAL_ALERT;
	}
	*n = 0;
	s->in = NULL;
	s->in_len = s->in_off = 0;
	return -EAGAIN;
}
#endif

/*
 * On a reliable transport no flight is ever sent again: the record layer
 * is ours as soon as the caller has what it wanted of the handshake (its
 * first read or write; dtls_session_export() before that).
 */
static void reliable_fast(struct dtls_session *s)
{
	if (s->established && s->fast == NULL && !s->no_fast &&
	    s->ctx->reliable)
		go_fast(s, false, 0);
}

int dtls_session_export(struct dtls_session *s, const char *label,
			uint8_t *out, size_t len)
{
#if HAVE_OPENSSL
	uint8_t seed[64];
	int ret;

	/* RFC 5705 without a context: PRF(master, label, cr + sr) */
	if (s->keys == NULL)
		return -ENOTSUP;
	memcpy(seed, s->keys->client_random, 32);
	memcpy(seed + 32, s->keys->server_random, 32);
	ret = dtls_tls12_prf(dtls_aead_of_suite(s->keys->suite) ==
				     DTLS_AEAD_AES_256_GCM,
			     s->keys->master, sizeof(s->keys->master), label,
			     seed, sizeof(seed), out, len);
	explicit_bzero(seed, sizeof(seed));
	return ret;
#else
	(void)s;
	(void)label;
	(void)out;
	(void)len;
	return -ENOTSUP;
#endif
}

int dtls_session_read(struct dtls_session *s, uint8_t *buf, size_t cap,
		      size_t *n)
{
	int ret;

	*n = 0;
	reliable_fast(s);
#if HAVE_OPENSSL
	if (s->fast != NULL)
		return fast_read(s, buf, cap, n);
#endif
	ret = s->ops->read(s, buf, cap, n);
	if (ret != 0 || !s->established || s->no_fast)
		return ret;
	/*
	 * The peer's data came through the library: the peer has the keys
	 * and our last flight, so neither side needs the handshake again.
	 * A datagram that was one record of data proves that record number
	 * genuine: the record layer becomes ours from there.
	 */
	if (s->in_single && s->in_type == DTLS_CT_APPLICATION_DATA &&
	    s->tx_seen && s->in_epoch == s->tx_epoch) {
		go_fast(s, true, s->in_seq);
		s->in_off = s->in_len;
	} else if (!s->rx_seen || s->in_max_seq > s->rx_seq) {
		s->rx_seen = true;
		s->rx_seq = s->in_max_seq;
	}
	return 0;
}

int dtls_session_write(struct dtls_session *s, const uint8_t *buf, size_t len)
{
	if (!s->established)
		return -EAGAIN;
	reliable_fast(s);
	if (len > dtls_session_max_plaintext(s))
		return -DTLSGW_ERR_TOO_BIG;
#if HAVE_OPENSSL
	if (s->fast != NULL)
		return len == 0 ? 0 : dtls_fast_write(s->fast,
						       DTLS_CT_APPLICATION_DATA,
						       buf, len, &s->user_io);
#endif
	return s->ops->write(s, buf, len);
}

int dtls_session_shutdown(struct dtls_session *s)
{
	if (s->shutdown_sent || !s->established)
		return 0;
	s->shutdown_sent = true;
#if HAVE_OPENSSL
	if (s->fast != NULL) {
		static const uint8_t close_notify[2] = { 1, 0 };

		return dtls_fast_write(s->fast, DTLS_CT_ALERT, close_notify,
				       sizeof(close_notify), &s->user_io);
	}
#endif
	return s->ops->shutdown(s);
}

int64_t dtls_session_timeout_ms(const struct dtls_session *s)
{
	if (s->established || s->ctx->reliable)
		return -1;
	return s->ops->timeout_ms(s);
}

int dtls_session_on_timeout(struct dtls_session *s)
{
	if (s->established)
		return 0;
	return s->ops->on_timeout(s);
}

bool dtls_session_established(const struct dtls_session *s)
{
	return s->established;
}

void dtls_session_trim(struct dtls_session *s)
{
	if (!s->established || s->fast != NULL)
		return;
	/* an idle session too: the library's state is the most of it */
	if (!s->no_fast)
		go_fast(s, s->rx_seen, s->rx_seq);
	if (s->fast == NULL && s->ops->trim != NULL)
		s->ops->trim(s);
}

bool dtls_session_own_records(const struct dtls_session *s)
{
	return s->fast != NULL;
}

bool dtls_session_resumed(const struct dtls_session *s)
{
#if HAVE_OPENSSL
	if (s->fast != NULL)
		return dtls_fast_resumed(s->fast);
#endif
	return s->established && s->ops->resumed(s);
}

size_t dtls_session_max_plaintext(const struct dtls_session *s)
{
#if HAVE_OPENSSL
	if (s->fast != NULL)
		return dtls_fast_max_plaintext(s->fast);
#endif
	return s->ops->max_plaintext(s);
}

const char *dtls_session_describe(const struct dtls_session *s, char *buf,
				  size_t len)
{
#if HAVE_OPENSSL
	if (s->fast != NULL) {
		snprintf(buf, len, "%s", dtls_fast_describe(s->fast));
		return buf;
	}
#endif
	return s->ops->describe(s, buf, len);
}

const char *dtls_session_error(const struct dtls_session *s)
{
	return s->err[0] != '\0' ? s->err : "no error";
}

bool dtls_session_verify_failed(const struct dtls_session *s)
{
	return s->verify_failed;
}

void *dtls_session_save(struct dtls_session *s)
{
	struct dtls_saved *saved;
	void *handle;

	if (!s->established || s->fast != NULL)
		return NULL;
	handle = s->ops->save(s);
	if (handle == NULL)
		return NULL;
	saved = malloc(sizeof(*saved));
	if (saved == NULL) {
		s->ops->saved_free(handle);
		return NULL;
	}
	saved->ops = s->ops;
	saved->handle = handle;
	return saved;
}

void dtls_session_saved_free(void *p)
{
	struct dtls_saved *saved = p;

	if (saved == NULL)
		return;
	saved->ops->saved_free(saved->handle);
	free(saved);
}
