/*
 * The DTLS engine on wolfSSL: the only file in the tree that includes
 * wolfSSL.  Records in and out through custom I/O callbacks (curl's
 * lib/vtls/wolfssl.c keeps the same shape), stateless cookies checked before
 * any WOLFSSL object exists (as OpenSSL's DTLSv1_listen), retransmission
 * driven by the caller's timer.
 *
 * Debian's wolfSSL 5.5.4 is built without WOLFSSL_DTLS_MTU: it reads and
 * writes DTLS datagrams of at most 1400 bytes.  The receive callback hands a
 * larger datagram over in pieces, which wolfSSL stitches into whole records;
 * on the sending side the largest plaintext is what wolfSSL_GetMaxOutputSize
 * allows.  A wolfSSL with WOLFSSL_DTLS_MTU gets the transport's size.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/hmac.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/sha256.h>

#include "dtlsgw/dtls.h"
#include "dtlsgw/errors.h"
#include "dtlsgw/log.h"

/*
 * The datagram size to ask of a wolfSSL that lets us set it (built with
 * WOLFSSL_DTLS_MTU): an Ethernet MTU less the IPv6 and UDP headers, which
 * fits IPv4 too.  Debian's 5.5.4 has no setter and uses 1400.
 */
#define DTLS_MTU			1452

/* How long a handshake keeps retransmitting: 1+2+4+8+16 s, then it fails. */
#define HANDSHAKE_TIMEOUT_INIT_S	1
#define HANDSHAKE_TIMEOUT_MAX_S		16

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

struct dtls_ctx {
	WOLFSSL_CTX		*ctx;
	enum dtls_role		 role;
	enum verify_mode	 verify;	/* in effect, never DEFAULT */
	bool			 has_ca;
	bool			 reliable;
	uint8_t			 pins[CONFIG_MAX_FINGERPRINTS][32];
	size_t			 npins;
	char			*psk_identity;
	uint8_t			 psk[CONFIG_MAX_PSK];
	size_t			 psk_len;
	char			*server_name;
	char			*route;
	uint8_t			 own_fp[32];
	bool			 has_own_fp;
};

struct dtls_session {
	WOLFSSL			*ssl;
	struct dtls_ctx		*ctx;
	struct dtls_io		 io;
	const uint8_t		*in;		/* the datagram being read */
	size_t			 in_len;
	size_t			 in_off;
	bool			 established;
	bool			 shutdown_sent;
	bool			 verify_failed;
	char			 verify_reason[96];
	char			 err[192];
};

static int keylog_fd = -1;

/* One ephemeral certificate per process, made at the first need. */
static struct {
	bool	 made;
	uint8_t	*cert_der;
	int	 cert_len;
	uint8_t	*key_der;
	int	 key_len;
	uint8_t	 fp[32];
} ephemeral;

int dtls_global_init(const char *keylog_path)
{
	if (wolfSSL_Init() != WOLFSSL_SUCCESS)
		return -DTLSGW_ERR_TLS;
	if (keylog_path != NULL && keylog_path[0] != '\0') {
		keylog_fd = open(keylog_path,
				 O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
				 0600);
		if (keylog_fd == -1)
			return -errno;
		log_warnx("key log %s: session secrets are being written, "
			  "for debugging only", keylog_path);
	}
	return 0;
}

void dtls_thread_cleanup(void)
{
#ifdef FP_ECC
	wc_ecc_fp_free();
#endif
}

void dtls_global_cleanup(void)
{
	if (keylog_fd != -1)
		close(keylog_fd);
	keylog_fd = -1;
	free(ephemeral.cert_der);
	free(ephemeral.key_der);
	memset(&ephemeral, 0, sizeof(ephemeral));
	dtls_thread_cleanup();
	wolfSSL_Cleanup();
}

static void sha256(const uint8_t *data, size_t len, uint8_t out[32])
{
	wc_Sha256Hash(data, (word32)len, out);
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

/* An ECDSA P-256 key and a self-signed certificate for a year. */
static int make_ephemeral(void)
{
	WC_RNG rng;
	ecc_key key;
	Cert cert;
	uint8_t *der = NULL, *kder = NULL;
	int ret = -DTLSGW_ERR_TLS, len;
	char fp[128];

	if (ephemeral.made)
		return 0;
	if (wc_InitRng(&rng) != 0)
		return -DTLSGW_ERR_TLS;
	if (wc_ecc_init(&key) != 0)
		goto out_rng;
	if (wc_ecc_make_key_ex(&rng, 32, &key, ECC_SECP256R1) != 0)
		goto out_key;
	der = malloc(4096);
	kder = malloc(512);
	if (der == NULL || kder == NULL)
		goto out_key;
	if (wc_InitCert(&cert) != 0)
		goto out_key;
	snprintf(cert.subject.commonName, CTC_NAME_SIZE, "dtlsgw ephemeral");
	snprintf(cert.subject.org, CTC_NAME_SIZE, "dtlsgw");
	cert.sigType = CTC_SHA256wECDSA;
	cert.daysValid = 365;
	cert.isCA = 0;
	if (wc_MakeCert(&cert, der, 4096, NULL, &key, &rng) < 0)
		goto out_key;
	len = wc_SignCert(cert.bodySz, cert.sigType, der, 4096, NULL, &key,
			  &rng);
	if (len <= 0)
		goto out_key;
	ephemeral.cert_len = len;
	len = wc_EccKeyToDer(&key, kder, 512);
	if (len <= 0)
		goto out_key;
	ephemeral.key_len = len;
	ephemeral.cert_der = der;
	ephemeral.key_der = kder;
	der = kder = NULL;
	sha256(ephemeral.cert_der, (size_t)ephemeral.cert_len, ephemeral.fp);
	ephemeral.made = true;
	log_info("no certificate configured: using an ephemeral ECDSA P-256 "
		 "certificate, fingerprint %s",
		 dtls_fingerprint_str(ephemeral.fp, fp, sizeof(fp)));
	ret = 0;
out_key:
	wc_ecc_free(&key);
out_rng:
	wc_FreeRng(&rng);
	free(der);
	free(kder);
	return ret;
}

/* A copy of sa with everything that is not address and port zeroed. */
static socklen_t normalize_peer(const struct sockaddr *sa, socklen_t len,
				struct sockaddr_storage *out)
{
	memset(out, 0, sizeof(*out));
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const void *)sa;
		struct sockaddr_in *o = (void *)out;

		o->sin_family = AF_INET;
		o->sin_port = in->sin_port;
		o->sin_addr = in->sin_addr;
		return sizeof(*o);
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const void *)sa;
		struct sockaddr_in6 *o = (void *)out;

		o->sin6_family = AF_INET6;
		o->sin6_port = in6->sin6_port;
		o->sin6_addr = in6->sin6_addr;
		o->sin6_scope_id = in6->sin6_scope_id;
		return sizeof(*o);
	}
	return 0;
}

/* Cookies --------------------------------------------------------------- */

int dtls_cookie_master_new(uint8_t master[32])
{
	WC_RNG rng;
	int ret;

	if (wc_InitRng(&rng) != 0)
		return -DTLSGW_ERR_TLS;
	ret = wc_RNG_GenerateBlock(&rng, master, 32) == 0 ? 0
							   : -DTLSGW_ERR_TLS;
	wc_FreeRng(&rng);
	return ret;
}

void dtls_cookie_jar_init(struct dtls_cookie_jar *jar,
			  const uint8_t master[32], unsigned int period_s)
{
	memset(jar, 0, sizeof(*jar));
	memcpy(jar->master, master, 32);
	jar->period_s = period_s > 0 ? period_s : DTLS_COOKIE_PERIOD_S;
}

static void hmac_sha256(const uint8_t *key, size_t keylen,
			const uint8_t *const *parts, const size_t *lens,
			size_t nparts, uint8_t out[32])
{
	Hmac h;

	/* cannot fail with SHA-256 and a key this size on software crypto */
	wc_HmacInit(&h, NULL, INVALID_DEVID);
	wc_HmacSetKey(&h, WC_SHA256, key, (word32)keylen);
	for (size_t i = 0; i < nparts; i++)
		wc_HmacUpdate(&h, parts[i], (word32)lens[i]);
	wc_HmacFinal(&h, out);
	wc_HmacFree(&h);
}

void dtls_cookie_secret(struct dtls_cookie_jar *jar, uint64_t epoch,
			uint8_t out[DTLS_COOKIE_SECRET_LEN])
{
	static const uint8_t label[] = "dtlsgw cookie secret";
	uint8_t e[8];
	const uint8_t *parts[2] = { label, e };
	size_t lens[2] = { sizeof(label) - 1, sizeof(e) };

	for (int i = 0; i < 2; i++) {
		if (jar->cached[i] && jar->epoch[i] == epoch) {
			memcpy(out, jar->secret[i], DTLS_COOKIE_SECRET_LEN);
			return;
		}
	}
	for (int i = 0; i < 8; i++)
		e[i] = (uint8_t)(epoch >> (56 - 8 * i));
	hmac_sha256(jar->master, sizeof(jar->master), parts, lens, 2, out);
	/* keep the two newest epochs */
	if (!jar->cached[0] || epoch > jar->epoch[0]) {
		jar->epoch[1] = jar->epoch[0];
		memcpy(jar->secret[1], jar->secret[0], DTLS_COOKIE_SECRET_LEN);
		jar->cached[1] = jar->cached[0];
		jar->epoch[0] = epoch;
		memcpy(jar->secret[0], out, DTLS_COOKIE_SECRET_LEN);
		jar->cached[0] = true;
	} else {
		jar->epoch[1] = epoch;
		memcpy(jar->secret[1], out, DTLS_COOKIE_SECRET_LEN);
		jar->cached[1] = true;
	}
}

void dtls_cookie_compute(const uint8_t secret[DTLS_COOKIE_SECRET_LEN],
			 const struct sockaddr *peer, socklen_t peerlen,
			 const struct dtls_client_hello *ch,
			 uint8_t out[DTLS_HVR_COOKIE_LEN])
{
	struct sockaddr_storage ss;
	socklen_t sslen = normalize_peer(peer, peerlen, &ss);
	/* the fields and order of wolfSSL's CreateDtlsCookie() (src/dtls.c) */
	const uint8_t *parts[6] = {
		(const uint8_t *)&ss, ch->version, ch->random, ch->session_id,
		ch->cipher_suites, ch->compression,
	};
	size_t lens[6] = {
		sslen, 2, 32, ch->session_id_len, ch->cipher_suites_len,
		ch->compression_len,
	};

	hmac_sha256(secret, DTLS_COOKIE_SECRET_LEN, parts, lens, 6, out);
}

static bool ct_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t d = 0;

	for (size_t i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

enum dtls_hello_verdict dtls_hello_check(struct dtls_cookie_jar *jar,
					 uint64_t now_s,
					 const struct sockaddr *peer,
					 socklen_t peerlen,
					 const uint8_t *dg, size_t len,
					 uint8_t *out, size_t cap,
					 size_t *outlen,
					 uint8_t secret[DTLS_COOKIE_SECRET_LEN],
					 const char **why)
{
	struct dtls_client_hello ch;
	uint8_t cookie[DTLS_HVR_COOKIE_LEN];
	uint64_t epoch = now_s / jar->period_s;
	struct sockaddr_storage ss;

	*outlen = 0;
	*why = NULL;
	if (normalize_peer(peer, peerlen, &ss) == 0) {
		*why = "bad_address";
		return DTLS_HELLO_DROP;
	}
	switch (dtls_parse_client_hello(dg, len, &ch)) {
	case DTLS_HELLO_OK:
		break;
	case DTLS_HELLO_NOT_HELLO:
		*why = "no_session";
		return DTLS_HELLO_DROP;
	case DTLS_HELLO_FRAGMENTED:
		*why = "fragmented_hello";
		return DTLS_HELLO_DROP;
	case DTLS_HELLO_MALFORMED:
	default:
		*why = "malformed_hello";
		return DTLS_HELLO_DROP;
	}
	if (ch.cookie_len == DTLS_HVR_COOKIE_LEN) {
		/* the current epoch's secret, then the previous one's */
		for (uint64_t back = 0; back < 2 && back <= epoch; back++) {
			dtls_cookie_secret(jar, epoch - back, secret);
			dtls_cookie_compute(secret, peer, peerlen, &ch, cookie);
			if (ct_equal(cookie, ch.cookie, sizeof(cookie)))
				return DTLS_HELLO_ACCEPT;
		}
		*why = "bad_cookie";	/* answered with a fresh cookie below */
	}
	dtls_cookie_secret(jar, epoch, secret);
	dtls_cookie_compute(secret, peer, peerlen, &ch, cookie);
	memset(secret, 0, DTLS_COOKIE_SECRET_LEN);
	*outlen = dtls_build_hello_verify(out, cap, &ch, cookie,
					  sizeof(cookie));
	if (*outlen == 0 || *outlen > len) {
		/* never answer with more bytes than we were sent */
		*outlen = 0;
		*why = "small_hello";
		return DTLS_HELLO_DROP;
	}
	return DTLS_HELLO_VERIFY;
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
	struct dtls_ctx *ctx = s != NULL ? s->ctx : NULL;
	int depth = wolfSSL_X509_STORE_CTX_get_error_depth(store);
	WOLFSSL_X509 *x;
	const unsigned char *der;
	int derlen = 0;
	uint8_t fp[32];

	if (ctx == NULL)
		return preverify;
	if (ctx->npins == 0) {
		if (!preverify) {
			int e = wolfSSL_X509_STORE_CTX_get_error(store);

			snprintf(s->verify_reason, sizeof(s->verify_reason),
				 "certificate at depth %d: %s", depth,
				 wolfSSL_X509_verify_cert_error_string(e));
			s->verify_failed = true;
		}
		return preverify;
	}
	/* pinned: the leaf must be one of the pins; with a CA, the chain too */
	if (depth > 0)
		return ctx->has_ca ? preverify : 1;
	x = wolfSSL_X509_STORE_CTX_get_current_cert(store);
	der = x != NULL ? wolfSSL_X509_get_der(x, &derlen) : NULL;
	if (der == NULL || derlen <= 0) {
		snprintf(s->verify_reason, sizeof(s->verify_reason),
			 "no peer certificate to match the pins");
		s->verify_failed = true;
		return 0;
	}
	sha256(der, (size_t)derlen, fp);
	for (size_t i = 0; i < ctx->npins; i++) {
		if (ct_equal(fp, ctx->pins[i], 32)) {
			if (ctx->has_ca && !preverify) {
				snprintf(s->verify_reason,
					 sizeof(s->verify_reason),
					 "pinned certificate does not chain "
					 "to the CA");
				s->verify_failed = true;
				return 0;
			}
			return 1;
		}
	}
	{
		char buf[128];

		/* the reason names the first bytes of the refused fingerprint */
		snprintf(s->verify_reason, sizeof(s->verify_reason),
			 "certificate %.30s... is not pinned",
			 dtls_fingerprint_str(fp, buf, sizeof(buf)));
	}
	s->verify_failed = true;
	return 0;
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

static enum verify_mode effective_verify(const struct tls_config *tls)
{
	if (tls->verify != VERIFY_DEFAULT)
		return tls->verify;
	return (tls->ca != NULL || tls->nfingerprints > 0) ? VERIFY_REQUIRE
							   : VERIFY_NONE;
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

int dtls_ctx_create(const struct dtls_ctx_params *p, struct dtls_ctx **out,
		    char *err, size_t errlen)
{
	const struct tls_config *tls = p->tls;
	WOLFSSL_METHOD *method;
	struct dtls_ctx *c;
	bool psk_only;
	int mode;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return -ENOMEM;
	c->role = p->role;
	c->reliable = p->reliable;
	c->verify = effective_verify(tls);
	c->has_ca = tls->ca != NULL;
	c->npins = tls->nfingerprints;
	memcpy(c->pins, tls->fingerprints, sizeof(c->pins));
	c->route = strdup(p->route != NULL ? p->route : "-");
	if (p->server_name != NULL)
		c->server_name = strdup(p->server_name);
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

	psk_only = tls->psk_len > 0 && tls->cert == NULL;
	if (tls->psk_len > 0) {
		c->psk_identity = strdup(tls->psk_identity);
		memcpy(c->psk, tls->psk, tls->psk_len);
		c->psk_len = tls->psk_len;
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
		if (wolfSSL_CTX_check_private_key(c->ctx) != WOLFSSL_SUCCESS) {
			snprintf(err, errlen, "key %s does not match cert %s",
				 tls->key, tls->cert);
			goto fail;
		}
	} else if (!psk_only) {
		/*
		 * A server needs a certificate; a client presents one too, so
		 * that a server requiring client certificates can pin it.
		 */
		if (make_ephemeral() != 0 ||
		    wolfSSL_CTX_use_certificate_buffer(
			    c->ctx, ephemeral.cert_der, ephemeral.cert_len,
			    WOLFSSL_FILETYPE_ASN1) != WOLFSSL_SUCCESS ||
		    wolfSSL_CTX_use_PrivateKey_buffer(
			    c->ctx, ephemeral.key_der, ephemeral.key_len,
			    WOLFSSL_FILETYPE_ASN1) != WOLFSSL_SUCCESS) {
			snprintf(err, errlen,
				 "cannot make an ephemeral certificate");
			goto fail;
		}
		memcpy(c->own_fp, ephemeral.fp, 32);
		c->has_own_fp = true;
	}
	if (tls->cert != NULL) {
		WOLFSSL *tmp = wolfSSL_new(c->ctx);
		WOLFSSL_X509 *x = tmp != NULL ? wolfSSL_get_certificate(tmp)
					      : NULL;
		const unsigned char *der;
		int derlen = 0;

		der = x != NULL ? wolfSSL_X509_get_der(x, &derlen) : NULL;
		if (der != NULL && derlen > 0) {
			sha256(der, (size_t)derlen, c->own_fp);
			c->has_own_fp = true;
		}
		wolfSSL_free(tmp);
	}

	if (tls->ca != NULL &&
	    wolfSSL_CTX_load_verify_locations(c->ctx, tls->ca, NULL) !=
		    WOLFSSL_SUCCESS) {
		ctx_error(err, errlen, "ca", tls->ca);
		goto fail;
	}
	switch (c->verify) {
	case VERIFY_NONE:
		mode = WOLFSSL_VERIFY_NONE;
		break;
	case VERIFY_OPTIONAL:
		mode = WOLFSSL_VERIFY_PEER;
		break;
	case VERIFY_REQUIRE:
	default:
		mode = WOLFSSL_VERIFY_PEER;
		if (p->role == DTLS_ROLE_SERVER)
			mode |= WOLFSSL_VERIFY_FAIL_IF_NO_PEER_CERT;
		break;
	}
	if (psk_only)
		mode = WOLFSSL_VERIFY_NONE;
	wolfSSL_CTX_set_verify(c->ctx, mode,
			       mode == WOLFSSL_VERIFY_NONE ? NULL : verify_cb);
	if (p->role == DTLS_ROLE_CLIENT && mode == WOLFSSL_VERIFY_NONE &&
	    !psk_only)
		log_warnx("route %s: the server's certificate is not verified "
			  "(no ca, no peer-fingerprint)", c->route);

	if (wolfSSL_CTX_set_cipher_list(c->ctx,
					tls->ciphers != NULL ? tls->ciphers
					: psk_only	    ? default_psk_ciphers
							    : default_ciphers) !=
	    WOLFSSL_SUCCESS) {
		snprintf(err, errlen, "ciphers: no usable cipher in '%s'",
			 tls->ciphers != NULL ? tls->ciphers : "(default)");
		goto fail;
	}
	if (p->role == DTLS_ROLE_CLIENT)
		wolfSSL_CTX_UseSessionTicket(c->ctx);
	*out = c;
	return 0;
fail:
	dtls_ctx_destroy(c);
	return -DTLSGW_ERR_TLS;
}

void dtls_ctx_destroy(struct dtls_ctx *ctx)
{
	if (ctx == NULL)
		return;
	if (ctx->ctx != NULL)
		wolfSSL_CTX_free(ctx->ctx);
	free(ctx->psk_identity);
	free(ctx->server_name);
	free(ctx->route);
	memset(ctx->psk, 0, sizeof(ctx->psk));
	free(ctx);
}

bool dtls_ctx_fingerprint(const struct dtls_ctx *ctx, uint8_t out[32])
{
	if (!ctx->has_own_fp)
		return false;
	memcpy(out, ctx->own_fp, 32);
	return true;
}

/* Sessions -------------------------------------------------------------- */

struct dtls_session *dtls_session_create(struct dtls_ctx *ctx,
					 const struct sockaddr *peer,
					 socklen_t peerlen,
					 const uint8_t *cookie_secret,
					 const struct dtls_io *io,
					 const void *resume)
{
	struct dtls_session *s = calloc(1, sizeof(*s));
	struct sockaddr_storage ss;
	socklen_t sslen;

	if (s == NULL)
		return NULL;
	s->ctx = ctx;
	s->io = *io;
	s->ssl = wolfSSL_new(ctx->ctx);
	if (s->ssl == NULL)
		goto fail;
	wolfSSL_set_ex_data(s->ssl, 0, s);
	wolfSSL_SetIOReadCtx(s->ssl, s);
	wolfSSL_SetIOWriteCtx(s->ssl, s);
	wolfSSL_dtls_set_using_nonblock(s->ssl, 1);
	wolfSSL_dtls_set_timeout_init(s->ssl, HANDSHAKE_TIMEOUT_INIT_S);
	wolfSSL_dtls_set_timeout_max(s->ssl, HANDSHAKE_TIMEOUT_MAX_S);
#ifdef WOLFSSL_DTLS_MTU
	wolfSSL_dtls_set_mtu(s->ssl, DTLS_MTU);
#endif
	sslen = normalize_peer(peer, peerlen, &ss);
	if (sslen == 0 ||
	    wolfSSL_dtls_set_peer(s->ssl, &ss, sslen) != WOLFSSL_SUCCESS)
		goto fail;
	if (ctx->role == DTLS_ROLE_SERVER && cookie_secret != NULL &&
	    wolfSSL_DTLS_SetCookieSecret(s->ssl, cookie_secret,
					 DTLS_COOKIE_SECRET_LEN) != 0)
		goto fail;
	if (ctx->role == DTLS_ROLE_CLIENT) {
		if (ctx->server_name != NULL && ctx->verify != VERIFY_NONE &&
		    ctx->npins == 0 &&
		    wolfSSL_check_domain_name(s->ssl, ctx->server_name) !=
			    WOLFSSL_SUCCESS)
			goto fail;
		/* name the server we want, for servers with several names */
		if (ctx->server_name != NULL &&
		    wolfSSL_UseSNI(s->ssl, WOLFSSL_SNI_HOST_NAME,
				   ctx->server_name,
				   (unsigned short)strlen(ctx->server_name)) !=
			    WOLFSSL_SUCCESS)
			goto fail;
		if (resume != NULL)
			wolfSSL_set_session(s->ssl, (WOLFSSL_SESSION *)resume);
	}
	return s;
fail:
	dtls_session_destroy(s);
	return NULL;
}

void dtls_session_destroy(struct dtls_session *s)
{
	if (s == NULL)
		return;
	if (s->ssl != NULL)
		wolfSSL_free(s->ssl);
	free(s);
}

static void keylog_write(struct dtls_session *s)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t cr[32], mk[48];
	char line[16 + 64 + 1 + 96 + 2];
	WOLFSSL_SESSION *sess;
	size_t o = 0;
	int mklen;

	if (keylog_fd == -1)
		return;
	sess = wolfSSL_get_session(s->ssl);
	if (sess == NULL ||
	    wolfSSL_get_client_random(s->ssl, cr, sizeof(cr)) != sizeof(cr))
		return;
	mklen = wolfSSL_SESSION_get_master_key(sess, mk, sizeof(mk));
	if (mklen != (int)sizeof(mk))
		return;
	memcpy(line, "CLIENT_RANDOM ", 14);
	o = 14;
	for (size_t i = 0; i < sizeof(cr); i++) {
		line[o++] = hex[cr[i] >> 4];
		line[o++] = hex[cr[i] & 15];
	}
	line[o++] = ' ';
	for (size_t i = 0; i < sizeof(mk); i++) {
		line[o++] = hex[mk[i] >> 4];
		line[o++] = hex[mk[i] & 15];
	}
	line[o++] = '\n';
	memset(mk, 0, sizeof(mk));
	/* one write of a whole line: O_APPEND keeps lines from threads whole */
	if (write(keylog_fd, line, o) != (ssize_t)o)
		log_debug("%s: key log write failed", __func__);
	memset(line, 0, sizeof(line));
}

static void record_error(struct dtls_session *s, int ret)
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
	if (s->verify_failed)
		snprintf(s->err, sizeof(s->err), "%s%s", s->verify_reason,
			 alert);
	else
		snprintf(s->err, sizeof(s->err), "%s (%d)%s", lib, e, alert);
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

static bool fatal_alert_received(struct dtls_session *s)
{
	WOLFSSL_ALERT_HISTORY h;

	return wolfSSL_get_alert_history(s->ssl, &h) == WOLFSSL_SUCCESS &&
	       h.last_rx.level == alert_fatal;
}

int dtls_session_handshake(struct dtls_session *s)
{
	int ret;

	if (s->established)
		return 0;
	for (;;) {
		size_t before = s->in_off;
		int e;

		ret = wolfSSL_negotiate(s->ssl);
		if (ret == WOLFSSL_SUCCESS) {
			s->established = true;
			keylog_write(s);
			return 0;
		}
		e = wolfSSL_get_error(s->ssl, ret);
		if (e == WOLFSSL_ERROR_WANT_READ ||
		    e == WOLFSSL_ERROR_WANT_WRITE) {
			if (more_input(s, before))
				continue;
			return -EAGAIN;
		}
		record_error(s, ret);
		if (s->verify_failed)
			return -DTLSGW_ERR_VERIFY;
		return fatal_alert_received(s) ? -DTLSGW_ERR_FATAL_ALERT
					       : -DTLSGW_ERR_HANDSHAKE;
	}
}

int dtls_session_input(struct dtls_session *s, const uint8_t *dg, size_t len)
{
	s->in = dg;
	s->in_len = len;
	s->in_off = 0;
	if (!s->established)
		return dtls_session_handshake(s);
	return 0;
}

int dtls_session_read(struct dtls_session *s, uint8_t *buf, size_t cap,
		      size_t *n)
{
	*n = 0;
	for (;;) {
		size_t before = s->in_off;
		int ret = wolfSSL_read(s->ssl, buf, (int)cap);
		int e;

		if (ret > 0) {
			*n = (size_t)ret;
			return 0;
		}
		e = wolfSSL_get_error(s->ssl, ret);
		if (e == WOLFSSL_ERROR_WANT_READ ||
		    e == WOLFSSL_ERROR_WANT_WRITE) {
			if (more_input(s, before))
				continue;
			s->in = NULL;
			s->in_len = s->in_off = 0;
			return -EAGAIN;
		}
		s->in = NULL;
		s->in_len = s->in_off = 0;
		if (e == WOLFSSL_ERROR_ZERO_RETURN) {
			snprintf(s->err, sizeof(s->err), "close_notify");
			return -DTLSGW_ERR_CLOSED;
		}
		record_error(s, ret);
		return fatal_alert_received(s) ? -DTLSGW_ERR_FATAL_ALERT
					       : -DTLSGW_ERR_TLS;
	}
}

size_t dtls_session_max_plaintext(const struct dtls_session *s)
{
	int n = wolfSSL_GetMaxOutputSize(s->ssl);

	return n > 0 ? (size_t)n : 0;
}

int dtls_session_write(struct dtls_session *s, const uint8_t *buf, size_t len)
{
	int ret;

	if (!s->established)
		return -EAGAIN;
	if (len > dtls_session_max_plaintext(s))
		return -DTLSGW_ERR_TOO_BIG;
	ret = wolfSSL_write(s->ssl, buf, (int)len);
	if (ret == (int)len)
		return 0;
	record_error(s, ret);
	return -DTLSGW_ERR_TLS;
}

int dtls_session_shutdown(struct dtls_session *s)
{
	int ret;

	if (s->shutdown_sent || !s->established)
		return 0;
	s->shutdown_sent = true;
	ret = wolfSSL_shutdown(s->ssl);
	if (ret == WOLFSSL_SUCCESS || ret == WOLFSSL_SHUTDOWN_NOT_DONE)
		return 0;
	if (wolfSSL_get_error(s->ssl, ret) == WOLFSSL_ERROR_WANT_READ)
		return 0;
	record_error(s, ret);
	return -DTLSGW_ERR_TLS;
}

int64_t dtls_session_timeout_ms(const struct dtls_session *s)
{
	int t;

	if (s->established || s->ctx->reliable)
		return -1;
	t = wolfSSL_dtls_get_current_timeout(s->ssl);
	return t > 0 ? (int64_t)t * 1000 : 1000;
}

int dtls_session_on_timeout(struct dtls_session *s)
{
	int ret;

	if (s->established)
		return 0;
	ret = wolfSSL_dtls_got_timeout(s->ssl);
	if (ret == WOLFSSL_SUCCESS)
		return 0;
	snprintf(s->err, sizeof(s->err),
		 "no answer from the peer (handshake timed out)");
	return -DTLSGW_ERR_HANDSHAKE;
}

bool dtls_session_established(const struct dtls_session *s)
{
	return s->established;
}

bool dtls_session_resumed(const struct dtls_session *s)
{
	return s->established && wolfSSL_session_reused(s->ssl) == 1;
}

const char *dtls_session_describe(const struct dtls_session *s, char *buf,
				  size_t len)
{
	snprintf(buf, len, "%s %s", wolfSSL_get_version(s->ssl),
		 wolfSSL_get_cipher_name(s->ssl));
	return buf;
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
	if (!s->established)
		return NULL;
	return wolfSSL_get1_session(s->ssl);
}

void dtls_session_saved_free(void *saved)
{
	if (saved != NULL)
		wolfSSL_SESSION_free(saved);
}
