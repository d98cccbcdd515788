/*
 * The record layer of an established DTLS 1.2 session, once the TLS
 * library has been let go (src/dtls_engine.c decides when).  Only the AEAD
 * suites: ChaCha20-Poly1305 (RFC 7905) and AES-GCM (RFC 5288), whose
 * records are
 *
 *	type(1) version(2) epoch(2) seq(6) length(2)
 *	[explicit nonce(8), AES-GCM only] ciphertext tag(16)
 *
 * with the additional data epoch|seq|type|version|plaintext length (RFC
 * 5246 6.2.3.3, RFC 6347 4.1.2.1).  The keys come from the master secret
 * and the randoms through the TLS 1.2 PRF (RFC 5246 5, 6.3), the replay
 * window is RFC 6347 4.1.2.6's, and the ciphers are OpenSSL's libcrypto,
 * whatever library ran the handshake: its ChaCha20-Poly1305 and AES-GCM
 * use the CPU's vector and AES instructions (Debian's wolfSSL uses neither
 * for these), and an established session then costs a few hundred bytes
 * instead of the library's tens of kilobytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "dtls_int.h"
#include "dtlsgw/errors.h"

#define TAG_LEN		16
#define GCM_EXPLICIT	8
#define SEQ_MAX		((UINT64_C(1) << 48) - 1)

/* A record's plaintext and its protection, at most (RFC 6347 4.1). */
#define PLAIN_MAX	16384
#define SEAL_MAX	(DTLS_RECORD_HEADER_LEN + GCM_EXPLICIT + PLAIN_MAX + \
			 TAG_LEN)

struct dtls_fast {
	enum dtls_aead	 aead;
	bool		 client;
	bool		 resumed;
	uint16_t	 epoch;
	uint64_t	 wseq;		/* the next record's */
	uint64_t	 rtop;		/* the highest accepted */
	uint64_t	 rmask;		/* bit i: rtop - i was accepted */
	bool		 rany;
	size_t		 max_plaintext;
	uint8_t		 wiv[12];
	uint8_t		 riv[12];
	EVP_CIPHER_CTX	*wctx;		/* keyed; the nonce is set per record */
	EVP_CIPHER_CTX	*rctx;
	char		 desc[64];
};

static _Thread_local uint8_t seal_buf[SEAL_MAX];

enum dtls_aead dtls_aead_of_suite(uint16_t suite)
{
	switch (suite) {
	case 0xCCA8: case 0xCCA9: case 0xCCAA: case 0xCCAB: case 0xCCAC:
	case 0xCCAD: case 0xCCAE:
		return DTLS_AEAD_CHACHA20_POLY1305;
	case 0x009C: case 0x009E: case 0x00A0: case 0x00A2: case 0x00A4:
	case 0x00A6: case 0x00A8: case 0x00AA: case 0x00AC: case 0xC02B:
	case 0xC02D: case 0xC02F: case 0xC031: case 0xD001:
		return DTLS_AEAD_AES_128_GCM;
	case 0x009D: case 0x009F: case 0x00A1: case 0x00A3: case 0x00A5:
	case 0x00A7: case 0x00A9: case 0x00AB: case 0x00AD: case 0xC02C:
	case 0xC02E: case 0xC030: case 0xC032: case 0xD002:
		return DTLS_AEAD_AES_256_GCM;
	}
	return DTLS_AEAD_NONE;
}

int dtls_tls12_prf(bool sha384, const uint8_t *secret, size_t secretlen,
		   const char *label, const uint8_t *seed, size_t seedlen,
		   uint8_t *out, size_t outlen)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, OSSL_KDF_NAME_TLS1_PRF, NULL);
	EVP_KDF_CTX *kctx = kdf != NULL ? EVP_KDF_CTX_new(kdf) : NULL;
	OSSL_PARAM params[5], *p = params;
	int ret = -DTLSGW_ERR_TLS;

	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						sha384 ? "SHA384" : "SHA256",
						0);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET,
						 (void *)secret, secretlen);
	/* the seeds are concatenated: the label first */
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED,
						 (void *)label, strlen(label));
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED,
						 (void *)seed, seedlen);
	*p = OSSL_PARAM_construct_end();
	if (kctx != NULL && EVP_KDF_derive(kctx, out, outlen, params) == 1)
		ret = 0;
	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
	return ret;
}

static const EVP_CIPHER *cipher_of(enum dtls_aead aead)
{
	switch (aead) {
	case DTLS_AEAD_CHACHA20_POLY1305:
		return EVP_chacha20_poly1305();
	case DTLS_AEAD_AES_128_GCM:
		return EVP_aes_128_gcm();
	case DTLS_AEAD_AES_256_GCM:
		return EVP_aes_256_gcm();
	case DTLS_AEAD_NONE:
		break;
	}
	return NULL;
}

static EVP_CIPHER_CTX *keyed(enum dtls_aead aead, const uint8_t *key,
			     int enc)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();

	if (c != NULL &&
	    EVP_CipherInit_ex(c, cipher_of(aead), NULL, key, NULL, enc) == 1)
		return c;
	EVP_CIPHER_CTX_free(c);
	return NULL;
}

int dtls_fast_create(struct dtls_fast **out, const struct dtls_keys *k)
{
	enum dtls_aead aead = dtls_aead_of_suite(k->suite);
	size_t klen = aead == DTLS_AEAD_AES_128_GCM ? 16 : 32;
	size_t ivlen = aead == DTLS_AEAD_CHACHA20_POLY1305 ? 12 : 4;
	uint8_t seed[64], block[2 * 32 + 2 * 12];
	const uint8_t *ck = block, *sk = block + klen;
	const uint8_t *civ = block + 2 * klen, *siv = civ + ivlen;
	struct dtls_fast *f;
	int ret;

	*out = NULL;
	if (aead == DTLS_AEAD_NONE)
		return -ENOTSUP;
	if (k->wseq > SEQ_MAX)
		return -ERANGE;
	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return -ENOMEM;
	/* key_block = PRF(master, "key expansion", server_random + client_random) */
	memcpy(seed, k->server_random, 32);
	memcpy(seed + 32, k->client_random, 32);
	ret = dtls_tls12_prf(aead == DTLS_AEAD_AES_256_GCM, k->master,
			     sizeof(k->master), "key expansion", seed,
			     sizeof(seed), block, 2 * klen + 2 * ivlen);
	if (ret != 0)
		goto fail;
	f->aead = aead;
	f->client = k->client;
	f->resumed = k->resumed;
	f->epoch = k->epoch;
	f->wseq = k->wseq;
	f->max_plaintext = k->max_plaintext < PLAIN_MAX ? k->max_plaintext
							: PLAIN_MAX;
	if (k->rany) {
		/* everything up to the record that proved the keys is seen */
		f->rany = true;
		f->rtop = k->rtop;
		f->rmask = ~UINT64_C(0);
	}
	memcpy(f->wiv, k->client ? civ : siv, ivlen);
	memcpy(f->riv, k->client ? siv : civ, ivlen);
	f->wctx = keyed(aead, k->client ? ck : sk, 1);
	f->rctx = keyed(aead, k->client ? sk : ck, 0);
	if (f->wctx == NULL || f->rctx == NULL) {
		ret = -DTLSGW_ERR_TLS;
		goto fail;
	}
	snprintf(f->desc, sizeof(f->desc), "%s", k->desc);
	OPENSSL_cleanse(block, sizeof(block));
	*out = f;
	return 0;
fail:
	OPENSSL_cleanse(block, sizeof(block));
	dtls_fast_free(f);
	return ret;
}

void dtls_fast_free(struct dtls_fast *f)
{
	if (f == NULL)
		return;
	EVP_CIPHER_CTX_free(f->wctx);
	EVP_CIPHER_CTX_free(f->rctx);
	OPENSSL_cleanse(f, sizeof(*f));
	free(f);
}

static void put_be(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

static uint64_t get_be(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/*
 * The nonce of the record numbered es (epoch << 48 | seq): ChaCha20's is
 * the IV xor'ed with it (RFC 7905 2), AES-GCM's the 4-byte salt and it as
 * the explicit part (RFC 5288 3).
 */
static void nonce_of(const struct dtls_fast *f, const uint8_t *iv,
		     uint64_t es, uint8_t nonce[12])
{
	if (f->aead == DTLS_AEAD_CHACHA20_POLY1305) {
		memcpy(nonce, iv, 12);
		for (size_t i = 0; i < 8; i++)
			nonce[4 + i] ^= (uint8_t)(es >> (8 * (7 - i)));
	} else {
		memcpy(nonce, iv, 4);
		put_be(nonce + 4, es, 8);
	}
}

/*
 * One AEAD operation: in (len bytes) to out, with the additional data aad
 * (13 bytes) and tag.  Sealing writes tag, opening checks it.  0 or -1.
 */
static int aead(EVP_CIPHER_CTX *c, int enc, const uint8_t nonce[12],
		const uint8_t aad[13], const uint8_t *in, size_t len,
		uint8_t *out, uint8_t tag[TAG_LEN])
{
	int outl, finl;

	if (EVP_CipherInit_ex(c, NULL, NULL, NULL, nonce, enc) != 1 ||
	    EVP_CipherUpdate(c, NULL, &outl, aad, 13) != 1)
		return -1;
	if (!enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, TAG_LEN,
					tag) != 1)
		return -1;
	if (len > 0 && EVP_CipherUpdate(c, out, &outl, in, (int)len) != 1)
		return -1;
	if (EVP_CipherFinal_ex(c, out + len, &finl) != 1)
		return -1;
	if (enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, TAG_LEN,
				       tag) != 1)
		return -1;
	return 0;
}

size_t dtls_fast_overhead(const struct dtls_fast *f)
{
	return DTLS_RECORD_HEADER_LEN + TAG_LEN +
	       (f->aead == DTLS_AEAD_CHACHA20_POLY1305 ? 0 : GCM_EXPLICIT);
}

int dtls_fast_seal(struct dtls_fast *f, uint8_t type, const uint8_t *in,
		   size_t len, uint8_t *out, size_t cap, size_t *outlen)
{
	size_t expl = f->aead == DTLS_AEAD_CHACHA20_POLY1305 ? 0 : GCM_EXPLICIT;
	uint64_t es = (uint64_t)f->epoch << 48 | f->wseq;
	uint8_t nonce[12], aad[13], *body;

	if (len > PLAIN_MAX)
		return -DTLSGW_ERR_TOO_BIG;
	if (cap < dtls_fast_overhead(f) + len)
		return -ENOBUFS;
	if (f->wseq > SEQ_MAX)
		return -ERANGE;	/* 2^48 records: a new handshake is due */
	out[0] = type;
	out[1] = 0xFE;
	out[2] = 0xFD;
	put_be(out + 3, es, 8);
	put_be(out + 11, expl + len + TAG_LEN, 2);
	memcpy(aad, out + 3, 8);
	aad[8] = type;
	aad[9] = 0xFE;
	aad[10] = 0xFD;
	put_be(aad + 11, len, 2);
	nonce_of(f, f->wiv, es, nonce);
	body = out + DTLS_RECORD_HEADER_LEN;
	if (expl > 0) {
		put_be(body, es, 8);
		body += expl;
	}
	if (aead(f->wctx, 1, nonce, aad, in, len, body, body + len) != 0)
		return -DTLSGW_ERR_TLS;
	f->wseq++;
	*outlen = DTLS_RECORD_HEADER_LEN + expl + len + TAG_LEN;
	return 0;
}

int dtls_fast_write(struct dtls_fast *f, uint8_t type, const uint8_t *buf,
		    size_t len, const struct dtls_io *io)
{
	size_t n;
	int ret = dtls_fast_seal(f, type, buf, len, seal_buf,
				 sizeof(seal_buf), &n);

	if (ret != 0)
		return ret;
	/* a datagram the transport could not take is lost on the way */
	io->send(io->arg, seal_buf, n);
	return 0;
}

static bool replay_fresh(const struct dtls_fast *f, uint64_t seq)
{
	if (!f->rany || seq > f->rtop)
		return true;
	if (f->rtop - seq >= 64)
		return false;
	return !((f->rmask >> (f->rtop - seq)) & 1);
}

static void replay_mark(struct dtls_fast *f, uint64_t seq)
{
	if (!f->rany) {
		f->rany = true;
		f->rtop = seq;
		f->rmask = 1;
	} else if (seq > f->rtop) {
		uint64_t d = seq - f->rtop;

		f->rmask = d >= 64 ? 1 : (f->rmask << d) | 1;
		f->rtop = seq;
	} else {
		f->rmask |= UINT64_C(1) << (f->rtop - seq);
	}
}

enum dtls_fast_verdict dtls_fast_open(struct dtls_fast *f,
				      const uint8_t *rec, size_t len,
				      uint8_t *out, size_t cap, size_t *n,
				      uint8_t *type)
{
	size_t expl = f->aead == DTLS_AEAD_CHACHA20_POLY1305 ? 0 : GCM_EXPLICIT;
	uint8_t nonce[12], aad[13], tag[TAG_LEN];
	uint64_t es, seq;
	size_t clen;

	if (len < DTLS_RECORD_HEADER_LEN ||
	    get_be(rec + 11, 2) != len - DTLS_RECORD_HEADER_LEN)
		return DTLS_FAST_MALFORMED;
	if (rec[1] != 0xFE || rec[2] != 0xFD)
		return DTLS_FAST_MALFORMED;
	es = get_be(rec + 3, 8);
	seq = es & SEQ_MAX;
	if ((es >> 48) != f->epoch)
		return DTLS_FAST_OTHER_EPOCH;
	if (len < DTLS_RECORD_HEADER_LEN + expl + TAG_LEN)
		return DTLS_FAST_MALFORMED;
	clen = len - DTLS_RECORD_HEADER_LEN - expl - TAG_LEN;
	if (clen > PLAIN_MAX || clen > cap)
		return DTLS_FAST_MALFORMED;
	if (!replay_fresh(f, seq))
		return DTLS_FAST_REPLAY;
	memcpy(aad, rec + 3, 8);
	aad[8] = rec[0];
	aad[9] = 0xFE;
	aad[10] = 0xFD;
	put_be(aad + 11, clen, 2);
	if (expl > 0) {
		/* the salt and the explicit part the sender chose */
		memcpy(nonce, f->riv, 4);
		memcpy(nonce + 4, rec + DTLS_RECORD_HEADER_LEN, 8);
	} else {
		nonce_of(f, f->riv, es, nonce);
	}
	memcpy(tag, rec + len - TAG_LEN, TAG_LEN);
	if (aead(f->rctx, 0, nonce, aad, rec + DTLS_RECORD_HEADER_LEN + expl,
		 clen, out, tag) != 0)
		return DTLS_FAST_BAD_TAG;
	replay_mark(f, seq);
	*n = clen;
	*type = rec[0];
	return DTLS_FAST_OK;
}

bool dtls_fast_next(struct dtls_fast *f, const uint8_t *in, size_t len,
		    size_t *off, uint8_t *out, size_t cap, size_t *n,
		    uint8_t *type)
{
	struct dtls_record r;
	size_t start = *off;

	/* a record that runs past the datagram ends the walk */
	while (dtls_record_next(in, len, off, &r)) {
		if (dtls_fast_open(f, in + start, *off - start, out, cap, n,
				   type) == DTLS_FAST_OK)
			return true;
		start = *off;
	}
	*off = len;
	return false;
}

size_t dtls_fast_max_plaintext(const struct dtls_fast *f)
{
	return f->max_plaintext;
}

bool dtls_fast_resumed(const struct dtls_fast *f)
{
	return f->resumed;
}

const char *dtls_fast_describe(const struct dtls_fast *f)
{
	return f->desc;
}
