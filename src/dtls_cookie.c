/*
 * Stateless cookies (RFC 6347 4.2.1), the same for every backend: the
 * gateway checks the cookie of a ClientHello before any per-peer state
 * exists, as OpenSSL's DTLSv1_listen does, and answers a missing or wrong
 * one with a HelloVerifyRequest it builds itself.
 *
 * The cookie is the one wolfSSL 5.5.4 computes (CreateDtlsCookie() in its
 * src/dtls.c), so that a wolfSSL session created afterwards with the same
 * secret accepts the ClientHello; the OpenSSL backend takes the gateway's
 * word for it.  HMAC-SHA256 comes from wolfCrypt.
 */
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/hmac.h>
#include <wolfssl/wolfcrypt/random.h>

#include "dtls_int.h"
#include "dtlsgw/errors.h"

socklen_t dtls_normalize_peer(const struct sockaddr *sa, socklen_t len,
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
	socklen_t sslen = dtls_normalize_peer(peer, peerlen, &ss);
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
	if (dtls_normalize_peer(peer, peerlen, &ss) == 0) {
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
			if (dtls_ct_equal(cookie, ch.cookie, sizeof(cookie)))
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
