/*
 * The hashes RADIUS needs (MD5, RFC 1321; HMAC-MD5, RFC 2104) and random
 * bytes, on wolfCrypt.  No wolfSSL type appears here: the MD5 state is an
 * opaque buffer that src/dtls_crypto.c checks, at compile time, is big
 * enough for wolfCrypt's own.
 */
#ifndef DTLSGW_CRYPTO_H
#define DTLSGW_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRYPTO_MD5_LEN		16

/* Room for wolfCrypt's wc_Md5 (112 bytes in 5.5.4) and then some. */
#define CRYPTO_MD5_STATE_SIZE	192

/* An MD5 computation under way.  Plain memory: no finish needed. */
struct crypto_md5 {
	_Alignas(16) unsigned char	 state[CRYPTO_MD5_STATE_SIZE];
};

/* One piece of a message made of several (for the *_v functions). */
struct crypto_buf {
	const void	*p;
	size_t		 len;
};

/* Start an MD5 computation in m. */
void crypto_md5_init(struct crypto_md5 *m);

/* Add len bytes at p (p may be NULL when len is 0). */
void crypto_md5_update(struct crypto_md5 *m, const void *p, size_t len);

/* Write the digest to out; m must be initialized again before reuse. */
void crypto_md5_final(struct crypto_md5 *m, uint8_t out[CRYPTO_MD5_LEN]);

/* The MD5 digest of p[0..len) in out. */
void crypto_md5(const void *p, size_t len, uint8_t out[CRYPTO_MD5_LEN]);

/*
 * HMAC-MD5 keyed with key[0..klen) over the concatenation of the n pieces
 * of v, in out.  0, or -EIO if wolfCrypt refuses (out is then zeroed).
 */
int crypto_hmac_md5_v(const void *key, size_t klen,
		      const struct crypto_buf *v, size_t n,
		      uint8_t out[CRYPTO_MD5_LEN]);

/* HMAC-MD5 of one buffer: crypto_hmac_md5_v() with one piece. */
int crypto_hmac_md5(const void *key, size_t klen, const void *p, size_t len,
		    uint8_t out[CRYPTO_MD5_LEN]);

/*
 * Fill buf with len bytes from wolfCrypt's DRBG (seeded by the kernel).
 * 0, or -EIO.  Each call seeds a new generator: fine for the occasional
 * authenticator or salt, not for bulk use.
 */
int crypto_random(void *buf, size_t len);

/* Whether a and b hold the same len bytes, in time independent of them. */
bool crypto_equal(const void *a, const void *b, size_t len);

#endif
