/*
 * The DTLS engine's OpenSSL backend (OpenSSL 3.0, libssl): --engine openssl.
 * DTLS 1.2 only (3.0 has no DTLS 1.3), feature for feature with the wolfSSL
 * backend.
 *
 * Records come from dtls_session_input() and leave through struct dtls_io
 * by a BIO_METHOD of our own: one BIO_read hands over the whole datagram,
 * each BIO_write is one datagram out.  No socket, so no path-MTU discovery
 * (SSL_OP_NO_QUERY_MTU): handshake flights are cut to DTLS_MTU_DEFAULT, and
 * once established the session takes the transport's datagram size, so a
 * record carries up to 16384 bytes (dtls_session_max_plaintext()).
 *
 * The cookie was checked by the gateway before this session existed
 * (src/dtls_cookie.c); OpenSSL does not check it again and never sends a
 * HelloVerifyRequest itself (see accept_hello()).
 *
 * Retransmission runs from the caller's timer.  OpenSSL keeps its own
 * deadline on the wall clock and, besides DTLSv1_handle_timeout(), checks
 * it on every read: our DTLS_set_timer_cb() callback sets the durations
 * (1, 2, 4, 8, 16 s, as the wolfSSL backend) and holds back what OpenSSL
 * retransmits by itself inside a read, for dtls_session_on_timeout() to
 * send.  Nothing leaves on OpenSSL's initiative but answers to input.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "dtls_int.h"
#include "dtlsgw/errors.h"
#include "dtlsgw/log.h"

/* This machine's OpenSSL has AES-NI: AES-128-GCM first, then ChaCha20. */
static const char default_ciphers[] =
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384";
/*
 * OpenSSL has no ECDHE-PSK with AES-GCM: the forward-secret ChaCha20 suite
 * first, then plain PSK with AES-GCM, then the DHE-PSK suites the wolfSSL
 * backend offers too.
 */
static const char default_psk_ciphers[] =
	"ECDHE-PSK-CHACHA20-POLY1305:PSK-AES128-GCM-SHA256:"
	"PSK-CHACHA20-POLY1305:DHE-PSK-AES128-GCM-SHA256:"
	"DHE-PSK-AES256-GCM-SHA384:ECDHE-PSK-AES128-CBC-SHA256";
/* X25519 first; P-384 and P-521 for peers (and certificates) that need them */
static const char default_groups[] = "X25519:P-256:P-384:P-521";
/* for an OpenSSL without X25519 (a FIPS provider) */
static const char fallback_groups[] = "P-256:P-384:P-521";

static const unsigned char session_id_context[] = "dtlsgw";

/* A flight OpenSSL retransmitted on its own, kept for our timer. */
#define HELD_MAX	16

struct held_dgram {
	uint8_t		*buf;
	size_t		 len;
};

struct ossl_ctx {
	struct dtls_ctx		 base;
	SSL_CTX			*ctx;
};

struct ossl_session {
	struct dtls_session	 base;
	SSL			*ssl;
	unsigned int		 rto_us;	/* duration of the running timer */
	unsigned int		 held_expired_us; /* the one that expired */
	bool			 listening;	/* server: no ClientHello yet */
	bool			 firing;	/* inside on_timeout */
	bool			 hold;		/* keep what is written */
	int			 alert_rx;	/* (level << 8) | code, or -1 */
	int			 alert_tx;
	struct held_dgram	 held[HELD_MAX];
	size_t			 nheld;
};

static BIO_METHOD *bio_method;

/* Downcasts, after checking that the object is ours. */
static struct ossl_ctx *ossl_ctx(struct dtls_ctx *c)
{
	if (c->ops != &dtls_engine_openssl)
		fatalx("%s: not an OpenSSL context", __func__);
	return (struct ossl_ctx *)(void *)c;
}

static struct ossl_session *ossl_session(struct dtls_session *s)
{
	if (s->ops != &dtls_engine_openssl)
		fatalx("%s: not an OpenSSL session", __func__);
	return (struct ossl_session *)(void *)s;
}

static const struct ossl_session *
ossl_session_const(const struct dtls_session *s)
{
	if (s->ops != &dtls_engine_openssl)
		fatalx("%s: not an OpenSSL session", __func__);
	return (const struct ossl_session *)(const void *)s;
}

/* The I/O: a BIO on the session's datagrams ---------------------------- */

static void held_clear(struct ossl_session *s)
{
	for (size_t i = 0; i < s->nheld; i++)
		free(s->held[i].buf);
	s->nheld = 0;
}

static int bio_write(BIO *b, const char *buf, int len)
{
	struct ossl_session *s = BIO_get_data(b);

	BIO_clear_retry_flags(b);
	if (len <= 0)
		return 0;
	if (s->hold) {
		/* OpenSSL's own retransmission: for our timer to send */
		uint8_t *copy = s->nheld < HELD_MAX ? malloc((size_t)len)
						    : NULL;

		if (copy != NULL) {
			memcpy(copy, buf, (size_t)len);
			s->held[s->nheld].buf = copy;
			s->held[s->nheld].len = (size_t)len;
			s->nheld++;
		}
		return len;
	}
	/*
	 * A datagram the transport could not take is a datagram lost on the
	 * way: DTLS retransmits handshake flights, and application data over
	 * UDP may be lost.  The transport has counted it.
	 */
	s->base.io.send(s->base.io.arg, (const uint8_t *)buf, (size_t)len);
	return len;
}

static int bio_read(BIO *b, char *buf, int cap)
{
	struct ossl_session *s = BIO_get_data(b);
	size_t left = s->base.in_len - s->base.in_off;
	size_t n;

	BIO_clear_retry_flags(b);
	/* a retransmission that OpenSSL started is written before it reads */
	s->hold = false;
	if (left == 0 || cap <= 0) {
		BIO_set_retry_read(b);
		return -1;
	}
	/*
	 * One read, one datagram, as from a UDP socket: OpenSSL's buffer
	 * holds the largest record there is, and what a datagram has beyond
	 * it is not DTLS we can use.  The one copy of the receive path.
	 */
	n = left < (size_t)cap ? left : (size_t)cap;
	memcpy(buf, s->base.in + s->base.in_off, n);
	s->base.in_off = s->base.in_len;
	return (int)n;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	(void)b;
	(void)num;
	(void)ptr;
	switch (cmd) {
	case BIO_CTRL_FLUSH:
		return 1;
	case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
		/* our MTU counts the datagram, not the IP packet */
		return 0;
	case BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT:
		/* our timer, not the socket's receive timeout */
		return 1;
	case BIO_CTRL_PENDING:
	case BIO_CTRL_WPENDING:
	case BIO_CTRL_DGRAM_QUERY_MTU:
	case BIO_CTRL_DGRAM_MTU_EXCEEDED:
	default:
		return 0;
	}
}

static int bio_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

static int bio_destroy(BIO *b)
{
	BIO_set_data(b, NULL);
	return 1;
}

static int ossl_global_init(void)
{
	int type;

	if (OPENSSL_init_ssl(0, NULL) != 1)
		return -DTLSGW_ERR_TLS;
	type = BIO_get_new_index();
	if (type == -1)
		return -DTLSGW_ERR_TLS;
	bio_method = BIO_meth_new(type | BIO_TYPE_SOURCE_SINK, "dtlsgw");
	if (bio_method == NULL ||
	    !BIO_meth_set_write(bio_method, bio_write) ||
	    !BIO_meth_set_read(bio_method, bio_read) ||
	    !BIO_meth_set_ctrl(bio_method, bio_ctrl) ||
	    !BIO_meth_set_create(bio_method, bio_create) ||
	    !BIO_meth_set_destroy(bio_method, bio_destroy)) {
		BIO_meth_free(bio_method);
		bio_method = NULL;
		return -DTLSGW_ERR_TLS;
	}
	return 0;
}

static void ossl_global_cleanup(void)
{
	BIO_meth_free(bio_method);
	bio_method = NULL;
}

static void ossl_thread_cleanup(void)
{
	OPENSSL_thread_stop();
}

/* Callbacks ------------------------------------------------------------- */

static struct ossl_session *session_of_ssl(const SSL *ssl)
{
	return SSL_get_app_data(ssl);
}

/*
 * OpenSSL's retransmission timer (DTLS_set_timer_cb): us is 0 when a new
 * flight starts its timer, otherwise the duration that just expired, and
 * OpenSSL is about to retransmit.  Returns the next duration.
 */
static unsigned int timer_cb(SSL *ssl, unsigned int us)
{
	struct ossl_session *s = session_of_ssl(ssl);
	unsigned int next;

	if (s == NULL)
		return DTLS_HANDSHAKE_TIMEOUT_INIT_MS * 1000u;
	if (s->base.ctx->reliable) {
		/* nothing is lost: never, as near as OpenSSL can say it */
		return UINT_MAX;
	}
	if (us == 0) {
		/* a new flight: what was held belongs to the old one */
		held_clear(s);
		s->hold = false;
		s->rto_us = DTLS_HANDSHAKE_TIMEOUT_INIT_MS * 1000u;
		return s->rto_us;
	}
	if (!s->firing && !s->base.established) {
		/* inside a read: keep the flight for our timer */
		s->hold = true;
		s->held_expired_us = us;
	}
	next = us * 2 < DTLS_HANDSHAKE_TIMEOUT_MAX_MS * 1000u
		       ? us * 2
		       : DTLS_HANDSHAKE_TIMEOUT_MAX_MS * 1000u;
	s->rto_us = next;
	return next;
}

static void info_cb(const SSL *ssl, int where, int ret)
{
	struct ossl_session *s;

	if (!(where & SSL_CB_ALERT))
		return;
	s = session_of_ssl(ssl);
	if (s == NULL)
		return;
	if (where & SSL_CB_READ)
		s->alert_rx = ret;
	else
		s->alert_tx = ret;
}

static void keylog_cb(const SSL *ssl, const char *line)
{
	(void)ssl;
	/* "CLIENT_RANDOM <hex> <hex>" for DTLS 1.2, as the wolfSSL backend */
	dtls_keylog_write(line, strlen(line));
}

static int verify_cb(int preverify, X509_STORE_CTX *store)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(
		store, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct ossl_session *s = ssl != NULL ? session_of_ssl(ssl) : NULL;
	int depth = X509_STORE_CTX_get_error_depth(store);
	unsigned char *der = NULL;
	int derlen = 0;
	bool ok;

	if (s == NULL)
		return preverify;
	if (dtls_verify_wants_der(&s->base, depth)) {
		X509 *x = X509_STORE_CTX_get_current_cert(store);

		derlen = x != NULL ? i2d_X509(x, &der) : 0;
	}
	ok = dtls_verify_decide(
		&s->base, depth, preverify != 0, der,
		derlen > 0 ? (size_t)derlen : 0,
		X509_verify_cert_error_string(X509_STORE_CTX_get_error(store)));
	OPENSSL_free(der);
	if (ok && !preverify)
		X509_STORE_CTX_set_error(store, X509_V_OK);
	return ok;
}

static unsigned int psk_client_cb(SSL *ssl, const char *hint, char *identity,
				  unsigned int id_max, unsigned char *key,
				  unsigned int key_max)
{
	struct ossl_session *s = session_of_ssl(ssl);
	const struct dtls_ctx *ctx = s != NULL ? s->base.ctx : NULL;

	(void)hint;
	if (ctx == NULL || ctx->psk_len == 0 || ctx->psk_len > key_max ||
	    strlen(ctx->psk_identity) >= id_max)
		return 0;
	strcpy(identity, ctx->psk_identity);
	memcpy(key, ctx->psk, ctx->psk_len);
	return (unsigned int)ctx->psk_len;
}

static unsigned int psk_server_cb(SSL *ssl, const char *identity,
				  unsigned char *key, unsigned int key_max)
{
	struct ossl_session *s = session_of_ssl(ssl);
	const struct dtls_ctx *ctx = s != NULL ? s->base.ctx : NULL;

	if (ctx == NULL || ctx->psk_len == 0 || ctx->psk_len > key_max ||
	    identity == NULL || strcmp(identity, ctx->psk_identity) != 0)
		return 0;
	memcpy(key, ctx->psk, ctx->psk_len);
	return (unsigned int)ctx->psk_len;
}

/*
 * The cookie callbacks DTLSv1_listen() wants.  The gateway verified the
 * cookie before the session existed (dtls_hello_check), so it is taken as
 * good; and the session never issues one.
 */
static int cookie_trust_cb(SSL *ssl, const unsigned char *cookie,
			   unsigned int len)
{
	(void)ssl;
	(void)cookie;
	return len > 0;
}

static int cookie_refuse_cb(SSL *ssl, unsigned char *cookie,
			    unsigned int *len)
{
	(void)ssl;
	(void)cookie;
	*len = 0;
	return 0;
}

/* Contexts -------------------------------------------------------------- */

static void ctx_error(char *err, size_t errlen, const char *what,
		      const char *file)
{
	unsigned long e = ERR_peek_last_error();
	const char *why = e != 0 ? ERR_reason_error_string(e) : NULL;

	snprintf(err, errlen, "%s %s: %s", what, file != NULL ? file : "",
		 why != NULL ? why : "rejected by the TLS library");
	ERR_clear_error();
}

static void ossl_ctx_destroy(struct dtls_ctx *base)
{
	struct ossl_ctx *c = ossl_ctx(base);

	SSL_CTX_free(c->ctx);
	dtls_ctx_base_finish(&c->base);
	free(c);
}

static int use_ephemeral(struct ossl_ctx *c)
{
	const uint8_t *cert, *key, *p;
	size_t certlen, keylen;
	X509 *x = NULL;
	EVP_PKEY *k = NULL;
	int ret = -DTLSGW_ERR_TLS;

	if (dtls_ephemeral(&cert, &certlen, &key, &keylen, c->base.own_fp) !=
	    0)
		return -DTLSGW_ERR_TLS;
	p = cert;
	x = d2i_X509(NULL, &p, (long)certlen);
	p = key;
	k = d2i_PrivateKey(EVP_PKEY_EC, NULL, &p, (long)keylen);
	if (x != NULL && k != NULL && SSL_CTX_use_certificate(c->ctx, x) == 1 &&
	    SSL_CTX_use_PrivateKey(c->ctx, k) == 1) {
		c->base.has_own_fp = true;
		ret = 0;
	}
	X509_free(x);
	EVP_PKEY_free(k);
	return ret;
}

static void ossl_ctx_swap(struct dtls_ctx *a, struct dtls_ctx *b)
{
	struct ossl_ctx *ca = ossl_ctx(a), *cb = ossl_ctx(b);
	SSL_CTX *t = ca->ctx;

	ca->ctx = cb->ctx;
	cb->ctx = t;
}

/* Every CRL of the PEM file path, checked for the peer's own certificate. */
static int load_crl(SSL_CTX *ctx, const char *path)
{
	X509_STORE *st = SSL_CTX_get_cert_store(ctx);
	X509_LOOKUP *lu = X509_STORE_add_lookup(st, X509_LOOKUP_file());

	if (lu == NULL || X509_load_crl_file(lu, path, X509_FILETYPE_PEM) < 1)
		return -1;
	X509_STORE_set_flags(st, X509_V_FLAG_CRL_CHECK);
	return 0;
}

static int ossl_ctx_create(const struct dtls_ctx_params *p,
			   struct dtls_ctx **out, char *err, size_t errlen)
{
	const struct tls_config *tls = p->tls;
	struct ossl_ctx *c;
	int mode;

	*out = NULL;
	ERR_clear_error();
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return -ENOMEM;
	if (dtls_ctx_base_init(&c->base, &dtls_engine_openssl, p) != 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	c->ctx = SSL_CTX_new(p->role == DTLS_ROLE_SERVER
				     ? DTLS_server_method()
				     : DTLS_client_method());
	if (c->ctx == NULL ||
	    !SSL_CTX_set_min_proto_version(c->ctx, DTLS1_2_VERSION) ||
	    !SSL_CTX_set_max_proto_version(c->ctx, DTLS1_2_VERSION)) {
		snprintf(err, errlen, "cannot create a DTLS context");
		goto fail;
	}
	/*
	 * No cookie exchange of OpenSSL's own (no SSL_OP_COOKIE_EXCHANGE):
	 * the gateway did it.  No MTU from a socket, no renegotiation.
	 */
	SSL_CTX_set_options(c->ctx, SSL_OP_NO_QUERY_MTU |
					    SSL_OP_NO_RENEGOTIATION |
					    SSL_OP_NO_COMPRESSION);
	/*
	 * A server picks by its own order, as wolfSSL does: an operator who
	 * runs this engine for AES-GCM at line rate gets it from any client
	 * that offers it, whatever that client prefers.
	 */
	if (p->role == DTLS_ROLE_SERVER)
		SSL_CTX_set_options(c->ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
	SSL_CTX_set_info_callback(c->ctx, info_cb);
	if (dtls_keylog_enabled())
		SSL_CTX_set_keylog_callback(c->ctx, keylog_cb);

	if (tls->psk_len > 0) {
		if (p->role == DTLS_ROLE_SERVER)
			SSL_CTX_set_psk_server_callback(c->ctx, psk_server_cb);
		else
			SSL_CTX_set_psk_client_callback(c->ctx, psk_client_cb);
	}

	if (tls->cert != NULL) {
		X509 *x;
		unsigned char *der = NULL;
		int derlen;

		if (SSL_CTX_use_certificate_chain_file(c->ctx, tls->cert) !=
		    1) {
			ctx_error(err, errlen, "cert", tls->cert);
			goto fail;
		}
		if (SSL_CTX_use_PrivateKey_file(c->ctx, tls->key,
						SSL_FILETYPE_PEM) != 1) {
			ctx_error(err, errlen, "key", tls->key);
			goto fail;
		}
		if (SSL_CTX_check_private_key(c->ctx) != 1) {
			ERR_clear_error();
			snprintf(err, errlen, "key %s does not match cert %s",
				 tls->key, tls->cert);
			goto fail;
		}
		x = SSL_CTX_get0_certificate(c->ctx);
		derlen = x != NULL ? i2d_X509(x, &der) : 0;
		if (derlen > 0) {
			dtls_sha256(der, (size_t)derlen, c->base.own_fp);
			c->base.has_own_fp = true;
		}
		OPENSSL_free(der);
	} else if (!c->base.psk_only) {
		/*
		 * A server needs a certificate; a client presents one too, so
		 * that a server requiring client certificates can pin it.
		 */
		if (use_ephemeral(c) != 0) {
			ERR_clear_error();
			snprintf(err, errlen,
				 "cannot make an ephemeral certificate");
			goto fail;
		}
	}

	if (tls->ca != NULL && SSL_CTX_load_verify_file(c->ctx, tls->ca) != 1) {
		ctx_error(err, errlen, "ca", tls->ca);
		goto fail;
	}
	if (tls->crl != NULL && load_crl(c->ctx, tls->crl) != 0) {
		ctx_error(err, errlen, "crl", tls->crl);
		goto fail;
	}
	switch (dtls_ctx_peer_check(&c->base)) {
	case DTLS_CHECK_NONE:
		mode = SSL_VERIFY_NONE;
		break;
	case DTLS_CHECK_REQUIRED:
		mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
		break;
	case DTLS_CHECK_IF_SENT:
	default:
		mode = SSL_VERIFY_PEER;
		break;
	}
	SSL_CTX_set_verify(c->ctx, mode,
			   mode == SSL_VERIFY_NONE ? NULL : verify_cb);

	if (SSL_CTX_set_cipher_list(c->ctx,
				    tls->ciphers != NULL ? tls->ciphers
				    : c->base.psk_only	 ? default_psk_ciphers
							 : default_ciphers) !=
	    1) {
		ERR_clear_error();
		snprintf(err, errlen, "ciphers: no usable cipher in '%s'",
			 tls->ciphers != NULL ? tls->ciphers : "(default)");
		goto fail;
	}
	if (SSL_CTX_set1_groups_list(c->ctx, default_groups) != 1 &&
	    SSL_CTX_set1_groups_list(c->ctx, fallback_groups) != 1) {
		ctx_error(err, errlen, "groups", fallback_groups);
		goto fail;
	}
	ERR_clear_error();
	if (p->role == DTLS_ROLE_SERVER) {
		SSL_CTX_set_cookie_verify_cb(c->ctx, cookie_trust_cb);
		SSL_CTX_set_cookie_generate_cb(c->ctx, cookie_refuse_cb);
	}
	if (p->role == DTLS_ROLE_SERVER &&
	    SSL_CTX_set_session_id_context(c->ctx, session_id_context,
					   sizeof(session_id_context) - 1) !=
		    1) {
		ctx_error(err, errlen, "session cache", "");
		goto fail;
	}
	*out = &c->base;
	return 0;
fail:
	ossl_ctx_destroy(&c->base);
	return -DTLSGW_ERR_TLS;
}

/* Sessions -------------------------------------------------------------- */

static void ossl_session_destroy(struct dtls_session *base)
{
	struct ossl_session *s = ossl_session(base);

	/*
	 * A datagram session often ends without close_notify (idle, or the
	 * route went away): not a reason for OpenSSL to drop it from the
	 * cache and mark it not resumable.  A fatal alert still does.
	 */
	if (s->ssl != NULL && base->established)
		SSL_set_shutdown(s->ssl, SSL_SENT_SHUTDOWN);
	SSL_free(s->ssl);	/* and the BIO */
	held_clear(s);
	free(s);
}

static struct dtls_session *ossl_session_create(struct dtls_ctx *base,
						const struct sockaddr *peer,
						socklen_t peerlen,
						const uint8_t *cookie_secret,
						const struct dtls_io *io,
						void *resume)
{
	struct ossl_ctx *ctx = ossl_ctx(base);
	struct ossl_session *s = calloc(1, sizeof(*s));
	BIO *bio;

	(void)peer;
	(void)peerlen;
	(void)cookie_secret;
	if (s == NULL)
		return NULL;
	dtls_session_base_init(&s->base, base, io);
	s->alert_rx = s->alert_tx = -1;
	pthread_mutex_lock(&base->lib_lock);
	s->ssl = SSL_new(ctx->ctx);
	pthread_mutex_unlock(&base->lib_lock);
	bio = s->ssl != NULL ? BIO_new(bio_method) : NULL;
	if (bio == NULL)
		goto fail;
	BIO_set_data(bio, s);
	SSL_set_bio(s->ssl, bio, bio);
	SSL_set_app_data(s->ssl, s);
	DTLS_set_timer_cb(s->ssl, timer_cb);
	/* handshake flights fit any path; established, the transport's size */
	if (SSL_set_mtu(s->ssl, base->mtu < DTLS_MTU_DEFAULT
					? (long)base->mtu
					: DTLS_MTU_DEFAULT) <= 0)
		goto fail;
	if (base->role == DTLS_ROLE_SERVER) {
		SSL_set_accept_state(s->ssl);
		s->listening = true;
		return &s->base;
	}
	SSL_set_connect_state(s->ssl);
	if (base->server_name != NULL && base->verify != VERIFY_NONE &&
	    base->npins == 0 && SSL_set1_host(s->ssl, base->server_name) != 1)
		goto fail;
	/* name the server we want, for servers with several names */
	if (base->server_name != NULL &&
	    SSL_set_tlsext_host_name(s->ssl, base->server_name) != 1)
		goto fail;
	if (resume != NULL && SSL_set_session(s->ssl, resume) != 1)
		goto fail;
	return &s->base;
fail:
	ERR_clear_error();
	ossl_session_destroy(&s->base);
	return NULL;
}

static const char *alert_words(int alert)
{
	return SSL_alert_desc_string_long(alert);
}

static void record_error(struct ossl_session *s, int e)
{
	unsigned long le = ERR_peek_last_error();
	const char *why = le != 0 ? ERR_reason_error_string(le) : NULL;
	char lib[96], alert[64] = "";

	if (why != NULL)
		snprintf(lib, sizeof(lib), "%s", why);
	else if (e == SSL_ERROR_SYSCALL)
		snprintf(lib, sizeof(lib), "I/O error");
	else
		snprintf(lib, sizeof(lib), "SSL error %d", e);
	ERR_clear_error();
	if (s->alert_rx != -1)
		snprintf(alert, sizeof(alert), "; alert received: %s (%d)",
			 alert_words(s->alert_rx), s->alert_rx & 0xff);
	else if (s->alert_tx != -1)
		snprintf(alert, sizeof(alert), "; alert sent: %s (%d)",
			 alert_words(s->alert_tx), s->alert_tx & 0xff);
	if (s->base.verify_failed)
		snprintf(s->base.err, sizeof(s->base.err), "%s%s",
			 s->base.verify_reason, alert);
	else
		snprintf(s->base.err, sizeof(s->base.err), "%s%s", lib, alert);
}

static bool fatal_alert_received(const struct ossl_session *s)
{
	return s->alert_rx != -1 && (s->alert_rx >> 8) == SSL3_AL_FATAL;
}

/*
 * The server's first ClientHello, the one with the cookie the gateway
 * verified.  A fresh OpenSSL server expects message_seq 0 and would keep
 * this one (message_seq 1, after the gateway's HelloVerifyRequest) for
 * later, waiting forever for a 0; DTLSv1_listen() is the one public way to
 * a server that continues at 1, with the record sequence of the
 * ClientHello and the ClientHello in its transcript, as after a
 * HelloVerifyRequest of its own.  Its cookie callbacks take the gateway's
 * word (cookie_trust_cb) and never make a cookie (cookie_refuse_cb).  A
 * ClientHello at message_seq 0, from a client that saw no
 * HelloVerifyRequest, goes to the fresh server as it is.
 * 0 when the handshake can go on, -EAGAIN when the datagram was not a
 * ClientHello it takes (dropped), or an error.
 */
static int accept_hello(struct ossl_session *s)
{
	struct dtls_client_hello ch;
	BIO_ADDR *addr;
	int ret;

	if (dtls_parse_client_hello(s->base.in + s->base.in_off,
				    s->base.in_len - s->base.in_off,
				    &ch) == DTLS_HELLO_OK &&
	    ch.message_seq == 0) {
		/* no HelloVerifyRequest before it: taken as it is */
		s->listening = false;
		return 0;
	}
	addr = BIO_ADDR_new();
	ret = addr != NULL ? DTLSv1_listen(s->ssl, addr) : -1;
	BIO_ADDR_free(addr);
	if (ret == 0) {
		ERR_clear_error();
		return -EAGAIN;
	}
	if (ret < 0) {
		record_error(s, SSL_ERROR_SSL);
		return -DTLSGW_ERR_HANDSHAKE;
	}
	s->listening = false;
	return 0;
}

static int ossl_handshake(struct dtls_session *base)
{
	struct ossl_session *s = ossl_session(base);
	int ret, e;

	ERR_clear_error();
	if (s->listening) {
		ret = accept_hello(s);
		if (ret != 0)
			return ret;
	}
	ret = SSL_do_handshake(s->ssl);
	s->hold = false;
	if (ret == 1) {
		long mtu = base->ctx->mtu < INT_MAX ? (long)base->ctx->mtu
						    : INT_MAX;

		base->established = true;
		held_clear(s);
		/* the flights are done: records as large as the transport's */
		SSL_set_mtu(s->ssl, mtu);
		return 0;
	}
	e = SSL_get_error(s->ssl, ret);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		ERR_clear_error();
		return -EAGAIN;
	}
	record_error(s, e);
	if (base->verify_failed)
		return -DTLSGW_ERR_VERIFY;
	return fatal_alert_received(s) ? -DTLSGW_ERR_FATAL_ALERT
				       : -DTLSGW_ERR_HANDSHAKE;
}

static int ossl_read(struct dtls_session *base, uint8_t *buf, size_t cap,
		     size_t *n)
{
	struct ossl_session *s = ossl_session(base);
	int ret, e;

	ERR_clear_error();
	ret = SSL_read(s->ssl, buf, cap < INT_MAX ? (int)cap : INT_MAX);
	s->hold = false;
	if (ret > 0) {
		*n = (size_t)ret;
		return 0;
	}
	e = SSL_get_error(s->ssl, ret);
	base->in = NULL;
	base->in_len = base->in_off = 0;
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		ERR_clear_error();
		return -EAGAIN;
	}
	if (e == SSL_ERROR_ZERO_RETURN) {
		ERR_clear_error();
		snprintf(base->err, sizeof(base->err), "close_notify");
		return -DTLSGW_ERR_CLOSED;
	}
	record_error(s, e);
	return fatal_alert_received(s) ? -DTLSGW_ERR_FATAL_ALERT
				       : -DTLSGW_ERR_TLS;
}

static size_t ossl_max_plaintext(const struct dtls_session *base)
{
	size_t n = DTLS_get_data_mtu(ossl_session_const(base)->ssl);

	return n < SSL3_RT_MAX_PLAIN_LENGTH ? n : SSL3_RT_MAX_PLAIN_LENGTH;
}

static int ossl_write(struct dtls_session *base, const uint8_t *buf,
		      size_t len)
{
	struct ossl_session *s = ossl_session(base);
	int ret;

	if (len == 0)
		return 0;	/* OpenSSL sends no empty record */
	ERR_clear_error();
	ret = SSL_write(s->ssl, buf, (int)len);
	if (ret == (int)len)
		return 0;
	record_error(s, SSL_get_error(s->ssl, ret));
	return -DTLSGW_ERR_TLS;
}

static int ossl_shutdown(struct dtls_session *base)
{
	struct ossl_session *s = ossl_session(base);
	int ret, e;

	ERR_clear_error();
	ret = SSL_shutdown(s->ssl);
	if (ret >= 0)
		return 0;
	e = SSL_get_error(s->ssl, ret);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		ERR_clear_error();
		return 0;
	}
	record_error(s, e);
	return -DTLSGW_ERR_TLS;
}

static int64_t ossl_timeout_ms(const struct dtls_session *base)
{
	const struct ossl_session *s = ossl_session_const(base);
	struct timeval tv;

	if (s->nheld > 0)
		return 0;	/* a retransmission is waiting: now */
	if (DTLSv1_get_timeout(s->ssl, &tv) != 1)
		return -1;
	return (int64_t)tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
}

static int gave_up(struct ossl_session *s)
{
	held_clear(s);
	snprintf(s->base.err, sizeof(s->base.err),
		 "no answer from the peer (handshake timed out)");
	return -DTLSGW_ERR_HANDSHAKE;
}

static int ossl_on_timeout(struct dtls_session *base)
{
	struct ossl_session *s = ossl_session(base);
	struct timeval tv;
	int ret;

	if (s->nheld > 0) {
		/* what OpenSSL retransmitted inside a read goes now */
		if (s->held_expired_us >= DTLS_HANDSHAKE_TIMEOUT_MAX_MS * 1000u)
			return gave_up(s);
		for (size_t i = 0; i < s->nheld; i++)
			base->io.send(base->io.arg, s->held[i].buf,
				      s->held[i].len);
		held_clear(s);
		return 0;
	}
	if (DTLSv1_get_timeout(s->ssl, &tv) != 1)
		return 0;	/* no flight waits for an answer */
	if (tv.tv_sec > 0 || tv.tv_usec > 0)
		return 0;	/* early: before OpenSSL's deadline */
	if (s->rto_us >= DTLS_HANDSHAKE_TIMEOUT_MAX_MS * 1000u)
		return gave_up(s);
	ERR_clear_error();
	s->firing = true;
	ret = DTLSv1_handle_timeout(s->ssl);
	s->firing = false;
	s->hold = false;
	if (ret >= 0)
		return 0;
	record_error(s, SSL_get_error(s->ssl, ret));
	return -DTLSGW_ERR_HANDSHAKE;
}

static bool ossl_resumed(const struct dtls_session *base)
{
	return SSL_session_reused(ossl_session_const(base)->ssl) == 1;
}

static const char *ossl_describe(const struct dtls_session *base, char *buf,
				 size_t len)
{
	SSL *ssl = ossl_session_const(base)->ssl;
	int group = SSL_get_negotiated_group(ssl);
	const char *gname = group != 0 ? SSL_group_to_name(ssl, group) : NULL;

	snprintf(buf, len, "%s %s%s%s", SSL_get_version(ssl),
		 SSL_get_cipher_name(ssl), gname != NULL ? " " : "",
		 gname != NULL ? gname : "");
	return buf;
}

static void *ossl_save(struct dtls_session *base)
{
	SSL_SESSION *sess = SSL_get1_session(ossl_session(base)->ssl);

	if (sess != NULL && !SSL_SESSION_is_resumable(sess)) {
		SSL_SESSION_free(sess);
		return NULL;
	}
	return sess;
}

static void ossl_saved_free(void *handle)
{
	SSL_SESSION_free(handle);
}

static int ossl_export_keys(struct dtls_session *base, struct dtls_keys *k)
{
	struct ossl_session *s = ossl_session(base);
	SSL_SESSION *sess = SSL_get_session(s->ssl);
	const SSL_CIPHER *cipher = SSL_get_current_cipher(s->ssl);

	if (sess == NULL || cipher == NULL ||
	    SSL_version(s->ssl) != DTLS1_2_VERSION)
		return -ENOTSUP;
	k->suite = SSL_CIPHER_get_protocol_id(cipher);
	if (SSL_SESSION_get_master_key(sess, k->master, sizeof(k->master)) !=
		    sizeof(k->master) ||
	    SSL_get_client_random(s->ssl, k->client_random,
				  sizeof(k->client_random)) !=
		    sizeof(k->client_random) ||
	    SSL_get_server_random(s->ssl, k->server_random,
				  sizeof(k->server_random)) !=
		    sizeof(k->server_random))
		return -ENOTSUP;
	k->client = base->ctx->role == DTLS_ROLE_CLIENT;
	k->resumed = ossl_resumed(base);
	k->max_plaintext = ossl_max_plaintext(base);
	ossl_describe(base, k->desc, sizeof(k->desc));
	return 0;
}

static void ossl_release(struct dtls_session *base)
{
	struct ossl_session *s = ossl_session(base);

	/* still resumable from the cache: see ossl_session_destroy() */
	SSL_set_shutdown(s->ssl, SSL_SENT_SHUTDOWN);
	SSL_free(s->ssl);
	s->ssl = NULL;
	held_clear(s);
}

const struct dtls_engine_ops dtls_engine_openssl = {
	.name = "openssl",
	.kind = ENGINE_OPENSSL,
	.global_init = ossl_global_init,
	.global_cleanup = ossl_global_cleanup,
	.thread_cleanup = ossl_thread_cleanup,
	.ctx_create = ossl_ctx_create,
	.ctx_destroy = ossl_ctx_destroy,
	.ctx_swap = ossl_ctx_swap,
	.session_create = ossl_session_create,
	.session_destroy = ossl_session_destroy,
	.handshake = ossl_handshake,
	.read = ossl_read,
	.write = ossl_write,
	.shutdown = ossl_shutdown,
	.timeout_ms = ossl_timeout_ms,
	.on_timeout = ossl_on_timeout,
	.resumed = ossl_resumed,
	/*
	 * No trim: OpenSSL frees its handshake state as the handshake ends,
	 * and SSL_free_buffers() on an established DTLS session makes 3.0's
	 * next write crash.
	 */
	.max_plaintext = ossl_max_plaintext,
	.describe = ossl_describe,
	.save = ossl_save,
	.saved_free = ossl_saved_free,
	.export_keys = ossl_export_keys,
	.release = ossl_release,
};
