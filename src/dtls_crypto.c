/*
 * MD5, HMAC-MD5 and random bytes on wolfCrypt, for the RADIUS codec
 * (src/radius.c), which must not see wolfSSL itself.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/hmac.h>
#include <wolfssl/wolfcrypt/md5.h>
#include <wolfssl/wolfcrypt/random.h>

#include "dtlsgw/crypto.h"

_Static_assert(sizeof(wc_Md5) <= CRYPTO_MD5_STATE_SIZE,
	       "struct crypto_md5 is too small for wolfCrypt's wc_Md5");
_Static_assert(_Alignof(wc_Md5) <= 16,
	       "struct crypto_md5 is not aligned enough for wc_Md5");
_Static_assert(WC_MD5_DIGEST_SIZE == CRYPTO_MD5_LEN, "MD5 is 16 bytes");

static wc_Md5 *md5_state(struct crypto_md5 *m)
{
	return (wc_Md5 *)(void *)m->state;
}

/*
 * wolfCrypt's MD5 fails only on NULL arguments or lengths above 4 GiB,
 * which no caller passes: the results are not checked.
 */
void crypto_md5_init(struct crypto_md5 *m)
{
	(void)wc_InitMd5(md5_state(m));
}

void crypto_md5_update(struct crypto_md5 *m, const void *p, size_t len)
{
	const byte *b = p;

	while (len > 0) {
		word32 n = len > UINT_MAX ? UINT_MAX : (word32)len;

		(void)wc_Md5Update(md5_state(m), b, n);
		b += n;
		len -= n;
	}
}

void crypto_md5_final(struct crypto_md5 *m, uint8_t out[CRYPTO_MD5_LEN])
{
	(void)wc_Md5Final(md5_state(m), out);
	wc_Md5Free(md5_state(m));
}

void crypto_md5(const void *p, size_t len, uint8_t out[CRYPTO_MD5_LEN])
{
	struct crypto_md5 m;

	crypto_md5_init(&m);
	crypto_md5_update(&m, p, len);
	crypto_md5_final(&m, out);
}

int crypto_hmac_md5_v(const void *key, size_t klen,
		      const struct crypto_buf *v, size_t n,
		      uint8_t out[CRYPTO_MD5_LEN])
{
	static const byte empty[1];
	Hmac h;
	int rc = -EIO;

	if (klen > UINT_MAX || wc_HmacInit(&h, NULL, INVALID_DEVID) != 0) {
		memset(out, 0, CRYPTO_MD5_LEN);
		return -EIO;
	}
	if (wc_HmacSetKey(&h, WC_MD5, key != NULL ? key : empty,
			  (word32)klen) != 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (v[i].len > UINT_MAX ||
		    wc_HmacUpdate(&h, v[i].len > 0 ? v[i].p : empty,
				  (word32)v[i].len) != 0)
			goto out;
	}
	if (wc_HmacFinal(&h, out) != 0)
		goto out;
	rc = 0;
out:
	wc_HmacFree(&h);
	if (rc != 0)
		memset(out, 0, CRYPTO_MD5_LEN);
	return rc;
}

int crypto_hmac_md5(const void *key, size_t klen, const void *p, size_t len,
		    uint8_t out[CRYPTO_MD5_LEN])
{
	struct crypto_buf v = { p, len };

	return crypto_hmac_md5_v(key, klen, &v, 1, out);
}

int crypto_random(void *buf, size_t len)
{
	WC_RNG rng;
	byte *b = buf;
	int rc = 0;

	if (wc_InitRng(&rng) != 0)
		return -EIO;
	while (len > 0) {
		word32 n = len > RNG_MAX_BLOCK_LEN ? RNG_MAX_BLOCK_LEN
						   : (word32)len;

		if (wc_RNG_GenerateBlock(&rng, b, n) != 0) {
			rc = -EIO;
			break;
		}
		b += n;
		len -= n;
	}
	wc_FreeRng(&rng);
	return rc;
}

bool crypto_equal(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t d = 0;

	for (size_t i = 0; i < len; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}
