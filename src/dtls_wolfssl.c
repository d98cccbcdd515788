/*
 * The DTLS engine's wolfSSL backend, the default.  Records in and out
 * through custom I/O callbacks (curl's lib/vtls/wolfssl.c keeps the same
 * shape), retransmission driven by the caller's timer.  The cookie of the
 * ClientHello was checked before this session existed (src/dtls_cookie.c);
 * wolfSSL checks it again with the same secret and the same computation.
 *
 * Debian's wolfSSL 5.5.4 is built without WOLFSSL_DTLS_MTU: it reads and
 * writes DTLS datagrams of at most 1400 bytes.  The receive callback hands a
 * larger datagram over in pieces, which wolfSSL stitches into whole records;
 * on the sending side the largest plaintext is what wolfSSL_GetMaxOutputSize
 * allows.  A wolfSSL with WOLFSSL_DTLS_MTU gets DTLS_MTU_DEFAULT.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include "dtls_int.h"
#include "dtlsgw/errors.h"
#include "dtlsgw/log.h"

/* ChaCha20-Poly1305 first: this wolfSSL has no AES-NI (2.3x faster). */
static const char default_ciphers[] =
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384";
/* This wolfSSL has no plain PSK-AES-GCM: ECDHE-PSK and DHE-PSK instead. */
static const char default_psk_ciphers[] =
	"ECDHE-PSK-CHACHA20-POLY1305:PSK-CHACHA20-POLY1305:"
	"ECDHE-PSK-AES128-GCM-SHA256:DHE-PSK-AES128-GCM-SHA256:"
	"DHE-PSK-AES256-GCM-SHA384:ECDHE-PSK-AES128-CBC-SHA256";

/*
 * Key exchange groups, in order: X25519 first (this wolfSSL's fastest, and
 * no AES-NI to make the rest cheap), then P-256; P-384 and P-521 for peers
 * (and certificates) that need them.
 */
static const word16 default_groups[] = {
	WOLFSSL_ECC_X25519,
	WOLFSSL_ECC_SECP256R1,
	WOLFSSL_ECC_SECP384R1,
	WOLFSSL_ECC_SECP521R1,
};

struct wolf_ctx {
	struct dtls_ctx		 base;
	WOLFSSL_CTX		*ctx;
};

struct wolf_session {
	struct dtls_session	 base;
	WOLFSSL			*ssl;
};

/* Downcasts, after checking that the object is ours. */
static struct wolf_ctx *wolf_ctx(struct dtls_ctx *c)
{
	if (c->ops != &dtls_engine_wolfssl)
		fatalx("%s: not a wolfSSL context", __func__);
	return (struct wolf_ctx *)(void *)c;
}

static struct wolf_session *wolf_session(struct dtls_session *s)
{
	if (s->ops != &dtls_engine_wolfssl)
		fatalx("%s: not a wolfSSL session", __func__);
	return (struct wolf_session *)(void *)s;
}

static const struct wolf_session *
wolf_session_const(const struct dtls_session *s)
{
	if (s->ops != &dtls_engine_wolfssl)
		fatalx("%s: not a wolfSSL session", __func__);
	return (const struct wolf_session *)(const void *)s;
}

static int wolf_global_init(void)
{
	return wolfSSL_Init() == WOLFSSL_SUCCESS ? 0 : -DTLSGW_ERR_TLS;
}

static void wolf_global_cleanup(void)
{
	wolfSSL_Cleanup();
}

static void wolf_thread_cleanup(void)
{
#ifdef FP_ECC
	wc_ecc_fp_free();
#endif
}

/* Contexts -------------------------------------------------------------- */

static int io_recv(WOLFSSL *ssl, char *buf, int sz, void *arg)
{
	struct dtls_session *s = arg;
	size_t left = s->in_len - s->in_off;
	size_t n;

	(void)ssl;
	if (left == 0 || sz <= 0)
		return WOLFSSL_CBIO_ERR_WANT_READ;
	n = left < (size_t)sz ? left : (size_t)sz;
	/* the one copy of the receive path: into wolfSSL's record buffer */
	memcpy(buf, s->in + s->in_off, n);
	s->in_off += n;
	return (int)n;
}

static int io_send(WOLFSSL *ssl, char *buf, int sz, void *arg)
{
	struct dtls_session *s = arg;

	(void)ssl;
	/*
	 * A datagram the transport could not take is a datagram lost on the
	 * way: DTLS retransmits handshake flights, and application data over
	 * UDP may be lost.  The transport has counted it.
	 */
	s->io.send(s->io.arg, (const uint8_t *)buf, (size_t)sz);
	return sz;
}

static struct dtls_ctx *ctx_of_ssl(WOLFSSL *ssl)
{
	struct dtls_session *s = wolfSSL_get_ex_data(ssl, 0);

	return s != NULL ? s->ctx : NULL;
}

static int verify_cb(int preverify, WOLFSSL_X509_STORE_CTX *store)
{
	WOLFSSL *ssl = wolfSSL_X509_STORE_CTX_get_ex_data(
		store, wolfSSL_get_ex_data_X509_STORE_CTX_idx());
	struct dtls_session *s = ssl != NULL ? wolfSSL_get_ex_data(ssl, 0)
					     : NULL;
	int depth = wolfSSL_X509_STORE_CTX_get_error_depth(store);
	WOLFSSL_X509 *x;
	const unsigned char *der = NULL;
	int derlen = 0;

	if (s == NULL)
		return preverify;
	if (dtls_verify_wants_der(s, depth)) {
		x = wolfSSL_X509_STORE_CTX_get_current_cert(store);
		der = x != NULL ? wolfSSL_X509_get_der(x, &derlen) : NULL;
	}
	return dtls_verify_decide(
		s, depth, preverify != 0, der, derlen > 0 ? (size_t)derlen : 0,
		wolfSSL_X509_verify_cert_error_string(
			wolfSSL_X509_STORE_CTX_get_error(store)));
}

static unsigned int psk_client_cb(WOLFSSL *ssl, const char *hint,
				  char *identity, unsigned int id_max,
				  unsigned char *key, unsigned int key_max)
{
	struct dtls_ctx *ctx = ctx_of_ssl(ssl);

	(void)hint;
	if (ctx == NULL || ctx->psk_len == 0 || ctx->psk_len > key_max ||
	    strlen(ctx->psk_identity) >= id_max)
		return 0;
	strcpy(identity, ctx->psk_identity);
	memcpy(key, ctx->psk, ctx->psk_len);
	return (unsigned int)ctx->psk_len;
}

static unsigned int psk_server_cb(WOLFSSL *ssl, const char *identity,
				  unsigned char *key, unsigned int key_max)
{
	struct dtls_ctx *ctx = ctx_of_ssl(ssl);

	if (ctx == NULL || ctx->psk_len == 0 || ctx->psk_len > key_max ||
	    identity == NULL || strcmp(identity, ctx->psk_identity) != 0)
		return 0;
	memcpy(key, ctx->psk, ctx->psk_len);
	return (unsigned int)ctx->psk_len;
}

static void ctx_error(char *err, size_t errlen, const char *what,
		      const char *file)
{
	unsigned long e = wolfSSL_ERR_get_error();
	char buf[WOLFSSL_MAX_ERROR_SZ];

	if (e != 0)
		wolfSSL_ERR_error_string_n(e, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "rejected by the TLS library");
	snprintf(err, errlen, "%s %s: %s", what, file != NULL ? file : "",
		 buf);
}

/*
 * wolfSSL_CTX_check_private_key() takes an ECC key's private scalar with
 * the certificate's public point and, unless wolfSSL was built with
 * WOLFSSL_VALIDATE_ECC_IMPORT (Debian's 5.5.4 is not), never checks that
 * they belong together: any EC key passes, and every handshake fails
 * later.  So for an EC key the public point is computed from the scalar
 * and compared with the certificate's (first in the file).  0: they
 * match, or the key is not EC (wolfSSL's check stands); -1: they do not.
 */
static int ecc_key_matches_cert(const char *keyfile, const char *certfile)
{
	uint8_t pem[16384], der[4096], a[160], b[160], *spki = NULL;
	word32 idx = 0, alen = sizeof(a), blen = sizeof(b);
	ecc_key priv, pub;
	WOLFSSL_X509 *x = NULL;
	WOLFSSL_EVP_PKEY *pkey = NULL;
	WC_RNG rng;
	bool have_rng = false;
	FILE *f;
	size_t n;
	int len, ret = 0;	/* not EC, or not readable here: wolfSSL's say */

	f = fopen(keyfile, "rb");
	if (f == NULL)
		return 0;
	n = fread(pem, 1, sizeof(pem), f);
	fclose(f);
	len = wc_KeyPemToDer(pem, (int)n, der, sizeof(der), NULL);
	if (wc_ecc_init(&priv) != 0) {
		explicit_bzero(pem, sizeof(pem));
		explicit_bzero(der, sizeof(der));
		return 0;
	}
	if (wc_ecc_init(&pub) != 0)
		goto out_priv;
	/* SEC 1 or PKCS #8; anything else is not EC */
	if (len <= 0 ||
	    wc_EccPrivateKeyDecode(der, &idx, &priv, (word32)len) != 0)
		goto out;
	ret = -1;
	have_rng = wc_InitRng(&rng) == 0;
	if (!have_rng || wc_ecc_make_pub_ex(&priv, NULL, &rng) != 0 ||
	    wc_ecc_export_x963(&priv, a, &alen) != 0)
		goto out;
	x = wolfSSL_X509_load_certificate_file(certfile, WOLFSSL_FILETYPE_PEM);
	pkey = x != NULL ? wolfSSL_X509_get_pubkey(x) : NULL;
	len = pkey != NULL ? wolfSSL_i2d_PUBKEY(pkey, &spki) : -1;
	idx = 0;
	if (len <= 0 ||
	    wc_EccPublicKeyDecode(spki, &idx, &pub, (word32)len) != 0 ||
	    wc_ecc_export_x963(&pub, b, &blen) != 0)
		goto out;	/* an EC key, a certificate that is not */
	if (priv.dp != NULL && pub.dp != NULL && priv.dp->id == pub.dp->id &&
	    alen == blen && memcmp(a, b, alen) == 0)
		ret = 0;
out:
	if (have_rng)
		wc_FreeRng(&rng);
	if (spki != NULL)
		wolfSSL_OPENSSL_free(spki);
	wolfSSL_EVP_PKEY_free(pkey);
	wolfSSL_X509_free(x);
	wc_ecc_free(&pub);
out_priv:
	wc_ecc_free(&priv);	/* zeroes the scalar */
	explicit_bzero(pem, sizeof(pem));
	explicit_bzero(der, sizeof(der));
	return ret;
}

static void wolf_ctx_destroy(struct dtls_ctx *base)
{
	struct wolf_ctx *c = wolf_ctx(base);

	if (c->ctx != NULL)
		wolfSSL_CTX_free(c->ctx);
	dtls_ctx_base_finish(&c->base);
	free(c);
}

static void wolf_ctx_swap(struct dtls_ctx *a, struct dtls_ctx *b)
{
	struct wolf_ctx *ca = wolf_ctx(a), *cb = wolf_ctx(b);
	WOLFSSL_CTX *t = ca->ctx;

	ca->ctx = cb->ctx;
	cb->ctx = t;
}

static int wolf_ctx_create(const struct dtls_ctx_params *p,
			   struct dtls_ctx **out, char *err, size_t errlen)
{
	const struct tls_config *tls = p->tls;
	WOLFSSL_METHOD *method;
	struct wolf_ctx *c;
	int mode;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return -ENOMEM;
	if (dtls_ctx_base_init(&c->base, &dtls_engine_wolfssl, p) != 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
#ifdef WOLFSSL_DTLS13
	method = p->role == DTLS_ROLE_SERVER ? wolfDTLS_server_method()
					     : wolfDTLS_client_method();
#else
	method = p->role == DTLS_ROLE_SERVER ? wolfDTLSv1_2_server_method()
					     : wolfDTLSv1_2_client_method();
#endif
	c->ctx = method != NULL ? wolfSSL_CTX_new(method) : NULL;
	if (c->ctx == NULL) {
		snprintf(err, errlen, "cannot create a DTLS context");
		goto fail;
	}
	wolfSSL_CTX_SetIORecv(c->ctx, io_recv);
	wolfSSL_CTX_SetIOSend(c->ctx, io_send);

	if (tls->psk_len > 0) {
		if (p->role == DTLS_ROLE_SERVER)
			wolfSSL_CTX_set_psk_server_callback(c->ctx,
							    psk_server_cb);
		else
			wolfSSL_CTX_set_psk_client_callback(c->ctx,
							    psk_client_cb);
	}

	if (tls->cert != NULL) {
		if (wolfSSL_CTX_use_certificate_chain_file(c->ctx, tls->cert) !=
		    WOLFSSL_SUCCESS) {
			ctx_error(err, errlen, "cert", tls->cert);
			goto fail;
		}
		if (wolfSSL_CTX_use_PrivateKey_file(c->ctx, tls->key,
						    WOLFSSL_FILETYPE_PEM) !=
		    WOLFSSL_SUCCESS) {
			ctx_error(err, errlen, "key", tls->key);
			goto fail;
		}
		if (wolfSSL_CTX_check_private_key(c->ctx) != WOLFSSL_SUCCESS ||
		    ecc_key_matches_cert(tls->key, tls->cert) != 0) {
			snprintf(err, errlen, "key %s does not match cert %s",
				 tls->key, tls->cert);
			goto fail;
		}
	} else if (!c->base.psk_only) {
		const uint8_t *cert, *key;
		size_t certlen, keylen;

		/*
		 * A server needs a certificate; a client presents one too, so
		 * that a server requiring client certificates can pin it.
		 */
		if (dtls_ephemeral(&cert, &certlen, &key, &keylen,
				   c->base.own_fp) != 0 ||
		    wolfSSL_CTX_use_certificate_buffer(
			    c->ctx, cert, (long)certlen,
			    WOLFSSL_FILETYPE_ASN1) != WOLFSSL_SUCCESS ||
		    wolfSSL_CTX_use_PrivateKey_buffer(
			    c->ctx, key, (long)keylen,
			    WOLFSSL_FILETYPE_ASN1) != WOLFSSL_SUCCESS) {
			snprintf(err, errlen,
				 "cannot make an ephemeral certificate");
			goto fail;
		}
		c->base.has_own_fp = true;
	}
	if (tls->cert != NULL) {
		WOLFSSL *tmp = wolfSSL_new(c->ctx);
		WOLFSSL_X509 *x = tmp != NULL ? wolfSSL_get_certificate(tmp)
					      : NULL;
		const unsigned char *der;
		int derlen = 0;

		der = x != NULL ? wolfSSL_X509_get_der(x, &derlen) : NULL;
		if (der != NULL && derlen > 0) {
			dtls_sha256(der, (size_t)derlen, c->base.own_fp);
			c->base.has_own_fp = true;
		}
		wolfSSL_free(tmp);
	}

	if (tls->ca != NULL &&
	    wolfSSL_CTX_load_verify_locations(c->ctx, tls->ca, NULL) !=
		    WOLFSSL_SUCCESS) {
		ctx_error(err, errlen, "ca", tls->ca);
		goto fail;
	}
	/* the peer's own certificate, as OpenSSL's X509_V_FLAG_CRL_CHECK */
	if (tls->crl != NULL &&
	    (wolfSSL_CTX_EnableCRL(c->ctx, WOLFSSL_CRL_CHECK) !=
		     WOLFSSL_SUCCESS ||
	     wolfSSL_CTX_LoadCRLFile(c->ctx, tls->crl, WOLFSSL_FILETYPE_PEM) !=
		     WOLFSSL_SUCCESS)) {
		ctx_error(err, errlen, "crl", tls->crl);
		goto fail;
	}
	switch (dtls_ctx_peer_check(&c->base)) {
	case DTLS_CHECK_NONE:
		mode = WOLFSSL_VERIFY_NONE;
		break;
	case DTLS_CHECK_REQUIRED:
		mode = WOLFSSL_VERIFY_PEER |
		       WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT;
		break;
	case DTLS_CHECK_IF_SENT:
	default:
		mode = WOLFSSL_VERIFY_PEER;
		break;
	}
	wolfSSL_CTX_set_verify(c->ctx, mode,
			       mode == WOLFSSL_VERIFY_NONE ? NULL : verify_cb);

	if (wolfSSL_CTX_set_cipher_list(c->ctx,
					tls->ciphers != NULL ? tls->ciphers
					: c->base.psk_only  ? default_psk_ciphers
							    : default_ciphers) !=
	    WOLFSSL_SUCCESS) {
		snprintf(err, errlen, "ciphers: no usable cipher in '%s'",
			 tls->ciphers != NULL ? tls->ciphers : "(default)");
		goto fail;
	}
	for (size_t i = 0;
	     i < sizeof(default_groups) / sizeof(default_groups[0]); i++) {
		/*
		 * This wolfSSL's client cannot read an X25519 key in an
		 * ECDHE-PSK ServerKeyExchange ("Bad ECC Peer Key"): with a
		 * PSK, it does not offer X25519.
		 */
		if (default_groups[i] == WOLFSSL_ECC_X25519 &&
		    p->role == DTLS_ROLE_CLIENT && tls->psk_len > 0)
			continue;
		if (wolfSSL_CTX_UseSupportedCurve(c->ctx, default_groups[i]) !=
		    WOLFSSL_SUCCESS) {
			snprintf(err, errlen, "cannot set the key exchange "
					      "groups");
			goto fail;
		}
	}
	if (p->role == DTLS_ROLE_CLIENT)
		wolfSSL_CTX_UseSessionTicket(c->ctx);
	*out = &c->base;
	return 0;
fail:
	wolf_ctx_destroy(&c->base);
	return -DTLSGW_ERR_TLS;
}

/* Sessions -------------------------------------------------------------- */

static void wolf_session_destroy(struct dtls_session *base)
{
	struct wolf_session *s = wolf_session(base);

	if (s->ssl != NULL)
		wolfSSL_free(s->ssl);
	free(s);
}

static struct dtls_session *wolf_session_create(struct dtls_ctx *base,
						const struct sockaddr *peer,
						socklen_t peerlen,
						const uint8_t *cookie_secret,
						const struct dtls_io *io,
						void *resume)
{
	struct wolf_ctx *ctx = wolf_ctx(base);
	struct wolf_session *s = calloc(1, sizeof(*s));
	struct sockaddr_storage ss;
	socklen_t sslen;

	if (s == NULL)
		return NULL;
	dtls_session_base_init(&s->base, base, io);
	pthread_mutex_lock(&base->lib_lock);
	s->ssl = wolfSSL_new(ctx->ctx);
	pthread_mutex_unlock(&base->lib_lock);
	if (s->ssl == NULL)
		goto fail;
	wolfSSL_set_ex_data(s->ssl, 0, &s->base);
	wolfSSL_SetIOReadCtx(s->ssl, &s->base);
	wolfSSL_SetIOWriteCtx(s->ssl, &s->base);
	wolfSSL_dtls_set_using_nonblock(s->ssl, 1);
	/* the secrets stay readable until export_keys (wolfSSL_get_keys) */
	wolfSSL_KeepArrays(s->ssl);
	wolfSSL_dtls_set_timeout_init(s->ssl,
				      DTLS_HANDSHAKE_TIMEOUT_INIT_MS / 1000);
	wolfSSL_dtls_set_timeout_max(s->ssl,
				     DTLS_HANDSHAKE_TIMEOUT_MAX_MS / 1000);
#ifdef WOLFSSL_DTLS_MTU
	wolfSSL_dtls_set_mtu(s->ssl, DTLS_MTU_DEFAULT);
#endif
	sslen = dtls_normalize_peer(peer, peerlen, &ss);
	if (sslen == 0 ||
	    wolfSSL_dtls_set_peer(s->ssl, &ss, sslen) != WOLFSSL_SUCCESS)
		goto fail;
	if (base->role == DTLS_ROLE_SERVER && cookie_secret != NULL &&
	    wolfSSL_DTLS_SetCookieSecret(s->ssl, cookie_secret,
					 DTLS_COOKIE_SECRET_LEN) != 0)
		goto fail;
	if (base->role == DTLS_ROLE_CLIENT) {
		if (base->server_name != NULL &&
		    base->verify != VERIFY_NONE && base->npins == 0 &&
		    wolfSSL_check_domain_name(s->ssl, base->server_name) !=
			    WOLFSSL_SUCCESS)
			goto fail;
		/* name the server we want, for servers with several names */
		if (base->server_name != NULL &&
		    wolfSSL_UseSNI(s->ssl, WOLFSSL_SNI_HOST_NAME,
				   base->server_name,
				   (unsigned short)strlen(base->server_name)) !=
			    WOLFSSL_SUCCESS)
			goto fail;
		if (resume != NULL)
			wolfSSL_set_session(s->ssl, resume);
	}
	return &s->base;
fail:
	wolf_session_destroy(&s->base);
	return NULL;
}

/* The CLIENT_RANDOM line: this wolfSSL has no key-log callback. */
static void keylog_write(struct wolf_session *s)
{
	static const char hex[] = "0123456789abcdef";
	char line[16 + 64 + 1 + 96 + 2];
	unsigned char *mk, *sr, *cr;
	unsigned int mklen, srlen, crlen;
	size_t o = 0;

	if (!dtls_keylog_enabled())
		return;
	/* the handshake's own copies (kept: wolfSSL_KeepArrays) */
	if (wolfSSL_get_keys(s->ssl, &mk, &mklen, &sr, &srlen, &cr, &crlen) !=
		    WOLFSSL_SUCCESS ||
	    mklen != 48 || crlen != 32)
		return;
	memcpy(line, "CLIENT_RANDOM ", 14);
	o = 14;
	for (size_t i = 0; i < crlen; i++) {
		line[o++] = hex[cr[i] >> 4];
		line[o++] = hex[cr[i] & 15];
	}
	line[o++] = ' ';
	for (size_t i = 0; i < mklen; i++) {
		line[o++] = hex[mk[i] >> 4];
		line[o++] = hex[mk[i] & 15];
	}
	dtls_keylog_write(line, o);
	memset(line, 0, sizeof(line));
}

static void record_error(struct wolf_session *s, int ret)
{
	int e = wolfSSL_get_error(s->ssl, ret);
	char lib[WOLFSSL_MAX_ERROR_SZ];
	WOLFSSL_ALERT_HISTORY h;
	char alert[96] = "";

	wolfSSL_ERR_error_string_n((unsigned long)e, lib, sizeof(lib));
	if (wolfSSL_get_alert_history(s->ssl, &h) == WOLFSSL_SUCCESS) {
		if (h.last_rx.code > 0 || h.last_rx.level > 0)
			snprintf(alert, sizeof(alert),
				 "; alert received: %s (%d)",
				 wolfSSL_alert_desc_string_long(h.last_rx.code),
				 h.last_rx.code);
		else if (h.last_tx.code > 0 || h.last_tx.level > 0)
			snprintf(alert, sizeof(alert), "; alert sent: %s (%d)",
				 wolfSSL_alert_desc_string_long(h.last_tx.code),
				 h.last_tx.code);
	}
	if (s->base.verify_failed)
		snprintf(s->base.err, sizeof(s->base.err), "%s%s",
			 s->base.verify_reason, alert);
	else
		snprintf(s->base.err, sizeof(s->base.err), "%s (%d)%s", lib, e,
			 alert);
}

/*
 * After WANT_READ: is there more of the datagram for wolfSSL to take?  It
 * reads at most 1400 bytes at a time here, so a larger datagram takes
 * several calls; no progress means it is done with this one.
 */
static bool more_input(const struct dtls_session *s, size_t before)
{
	return s->in_off < s->in_len && s->in_off != before;
}

static bool fatal_alert_received(struct wolf_session *s)
{
	WOLFSSL_ALERT_HISTORY h;

	return wolfSSL_get_alert_history(s->ssl, &h) == WOLFSSL_SUCCESS &&
	       h.last_rx.level == alert_fatal;
}

static int wolf_handshake(struct dtls_session *base)
{
	struct wolf_session *s = wolf_session(base);
	int ret;

	for (;;) {
		size_t before = base->in_off;
		int e;

		ret = wolfSSL_negotiate(s->ssl);
		if (ret == WOLFSSL_SUCCESS) {
			base->established = true;
			keylog_write(s);
			return 0;
		}
		e = wolfSSL_get_error(s->ssl, ret);
		if (e == WOLFSSL_ERROR_WANT_READ ||
		    e == WOLFSSL_ERROR_WANT_WRITE) {
			if (more_input(base, before))
				continue;
			return -EAGAIN;
		}
		record_error(s, ret);
		if (base->verify_failed)
			return -DTLSGW_ERR_VERIFY;
		return fatal_alert_received(s) ? -DTLSGW_ERR_FATAL_ALERT
					       : -DTLSGW_ERR_HANDSHAKE;
	}
}

static int wolf_read(struct dtls_session *base, uint8_t *buf, size_t cap,
		     size_t *n)
{
	struct wolf_session *s = wolf_session(base);

	for (;;) {
		size_t before = base->in_off;
		int ret = wolfSSL_read(s->ssl, buf, (int)cap);
		int e;

		if (ret > 0) {
			*n = (size_t)ret;
			return 0;
		}
		e = wolfSSL_get_error(s->ssl, ret);
		if (e == WOLFSSL_ERROR_WANT_READ ||
		    e == WOLFSSL_ERROR_WANT_WRITE) {
			if (more_input(base, before))
				continue;
			base->in = NULL;
			base->in_len = base->in_off = 0;
			return -EAGAIN;
		}
		base->in = NULL;
		base->in_len = base->in_off = 0;
		if (e == WOLFSSL_ERROR_ZERO_RETURN) {
			snprintf(base->err, sizeof(base->err), "close_notify");
			return -DTLSGW_ERR_CLOSED;
		}
		record_error(s, ret);
		return fatal_alert_received(s) ? -DTLSGW_ERR_FATAL_ALERT
					       : -DTLSGW_ERR_TLS;
	}
}

static size_t wolf_max_plaintext(const struct dtls_session *base)
{
	int n = wolfSSL_GetMaxOutputSize(wolf_session_const(base)->ssl);

	return n > 0 ? (size_t)n : 0;
}

static int wolf_write(struct dtls_session *base, const uint8_t *buf,
		      size_t len)
{
	struct wolf_session *s = wolf_session(base);
	int ret = wolfSSL_write(s->ssl, buf, (int)len);

	if (ret == (int)len)
		return 0;
	record_error(s, ret);
	return -DTLSGW_ERR_TLS;
}

static int wolf_shutdown(struct dtls_session *base)
{
	struct wolf_session *s = wolf_session(base);
	int ret = wolfSSL_shutdown(s->ssl);

	if (ret == WOLFSSL_SUCCESS || ret == WOLFSSL_SHUTDOWN_NOT_DONE)
		return 0;
	if (wolfSSL_get_error(s->ssl, ret) == WOLFSSL_ERROR_WANT_READ)
		return 0;
	record_error(s, ret);
	return -DTLSGW_ERR_TLS;
}

static int64_t wolf_timeout_ms(const struct dtls_session *base)
{
	int t = wolfSSL_dtls_get_current_timeout(
		wolf_session_const(base)->ssl);

	return t > 0 ? (int64_t)t * 1000 : 1000;
}

static int wolf_on_timeout(struct dtls_session *base)
{
	struct wolf_session *s = wolf_session(base);

	if (wolfSSL_dtls_got_timeout(s->ssl) == WOLFSSL_SUCCESS)
		return 0;
	snprintf(base->err, sizeof(base->err),
		 "no answer from the peer (handshake timed out)");
	return -DTLSGW_ERR_HANDSHAKE;
}

/*
 * wolfSSL keeps a DTLS handshake's resources until the peer's first
 * application data (dtlsHsRetain): a session that stays idle would keep
 * them, about 50 KiB, for ever.
 */
static void wolf_trim(struct dtls_session *base)
{
	wolfSSL_FreeHandshakeResources(wolf_session(base)->ssl);
}

static bool wolf_resumed(const struct dtls_session *base)
{
	return wolfSSL_session_reused(wolf_session_const(base)->ssl) == 1;
}

static const char *wolf_describe(const struct dtls_session *base, char *buf,
				 size_t len)
{
	WOLFSSL *ssl = wolf_session_const(base)->ssl;
	const char *group = wolfSSL_get_curve_name(ssl);

	snprintf(buf, len, "%s %s%s%s", wolfSSL_get_version(ssl),
		 wolfSSL_get_cipher_name(ssl), group != NULL ? " " : "",
		 group != NULL ? group : "");
	return buf;
}

static void *wolf_save(struct dtls_session *base)
{
	return wolfSSL_get1_session(wolf_session(base)->ssl);
}

static void wolf_saved_free(void *handle)
{
	wolfSSL_SESSION_free(handle);
}

static int wolf_export_keys(struct dtls_session *base, struct dtls_keys *k)
{
	struct wolf_session *s = wolf_session(base);
	const char *version = wolfSSL_get_version(s->ssl);
	unsigned char *ms, *sr, *cr;
	unsigned int mslen, srlen, crlen;
	int ret = -ENOTSUP;

	k->suite = (uint16_t)wolfSSL_get_current_cipher_suite(s->ssl);
	/* the handshake's own copies, which a resumption fills too */
	if (version != NULL && strcmp(version, "DTLSv1.2") == 0 &&
	    wolfSSL_get_keys(s->ssl, &ms, &mslen, &sr, &srlen, &cr, &crlen) ==
		    WOLFSSL_SUCCESS &&
	    mslen == sizeof(k->master) && srlen == sizeof(k->server_random) &&
	    crlen == sizeof(k->client_random)) {
		memcpy(k->master, ms, mslen);
		memcpy(k->server_random, sr, srlen);
		memcpy(k->client_random, cr, crlen);
		ret = 0;
	}
	wolfSSL_FreeArrays(s->ssl);
	if (ret != 0)
		return ret;
	k->client = base->ctx->role == DTLS_ROLE_CLIENT;
	k->resumed = wolf_resumed(base);
	k->max_plaintext = wolf_max_plaintext(base);
	wolf_describe(base, k->desc, sizeof(k->desc));
	return 0;
}

static void wolf_release(struct dtls_session *base)
{
	struct wolf_session *s = wolf_session(base);

	wolfSSL_free(s->ssl);
	s->ssl = NULL;
}

const struct dtls_engine_ops dtls_engine_wolfssl = {
	.name = "wolfssl",
	.kind = ENGINE_WOLFSSL,
	.global_init = wolf_global_init,
	.global_cleanup = wolf_global_cleanup,
	.thread_cleanup = wolf_thread_cleanup,
	.ctx_create = wolf_ctx_create,
	.ctx_destroy = wolf_ctx_destroy,
	.ctx_swap = wolf_ctx_swap,
	.session_create = wolf_session_create,
	.session_destroy = wolf_session_destroy,
	.handshake = wolf_handshake,
	.read = wolf_read,
	.write = wolf_write,
	.shutdown = wolf_shutdown,
	.timeout_ms = wolf_timeout_ms,
	.on_timeout = wolf_on_timeout,
	.resumed = wolf_resumed,
	.trim = wolf_trim,
	.max_plaintext = wolf_max_plaintext,
	.describe = wolf_describe,
	.save = wolf_save,
	.saved_free = wolf_saved_free,
	.export_keys = wolf_export_keys,
	.release = wolf_release,
};
