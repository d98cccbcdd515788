/*
 * MD5 and HMAC-MD5 on wolfCrypt against the test vectors of their RFCs
 * (RFC 1321 appendix A.5, RFC 2202 section 2), and the random bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dtlsgw/crypto.h"

static void unhex(const char *s, uint8_t *out)
{
	for (size_t i = 0; s[2 * i] != '\0'; i++) {
		unsigned int v;

		assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void test_md5(void **state)
{
	/* RFC 1321 appendix A.5 */
	static const struct {
		const char	*in;
		const char	*md5;
	} v[] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "a", "0cc175b9c0f1b6a831c399e269772661" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "abcdefghijklmnopqrstuvwxyz",
		  "c3fcd3d76192e4007dfb496cca67e13b" },
		{ "12345678901234567890123456789012345678901234567890123456789"
		  "012345678901234567890",
		  "57edf4a22be3c955ac49da2e2107b67a" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t want[16], got[16];
		struct crypto_md5 m;
		size_t n = strlen(v[i].in);

		unhex(v[i].md5, want);
		crypto_md5(v[i].in, n, got);
		assert_memory_equal(got, want, 16);
		/* one byte at a time */
		crypto_md5_init(&m);
		for (size_t k = 0; k < n; k++)
			crypto_md5_update(&m, v[i].in + k, 1);
		crypto_md5_update(&m, NULL, 0);
		crypto_md5_final(&m, got);
		assert_memory_equal(got, want, 16);
	}
}

static void test_hmac_md5(void **state)
{
	/* RFC 2202 section 2, test cases 1, 2, 3, 6 */
	uint8_t key[80], data[80], want[16], got[16];
	struct crypto_buf parts[3];

	(void)state;
	memset(key, 0x0b, 16);
	unhex("9294727a3638bb1c13f48ef8158bfc9d", want);
	assert_int_equal(crypto_hmac_md5(key, 16, "Hi There", 8, got), 0);
	assert_memory_equal(got, want, 16);

	unhex("750c783e6ab0b503eaa86e310a5db738", want);
	assert_int_equal(crypto_hmac_md5("Jefe", 4,
					 "what do ya want for nothing?", 28,
					 got),
			 0);
	assert_memory_equal(got, want, 16);
	/* the same in pieces, one of them empty */
	parts[0] = (struct crypto_buf){ "what do ya ", 11 };
	parts[1] = (struct crypto_buf){ NULL, 0 };
	parts[2] = (struct crypto_buf){ "want for nothing?", 17 };
	assert_int_equal(crypto_hmac_md5_v("Jefe", 4, parts, 3, got), 0);
	assert_memory_equal(got, want, 16);

	memset(key, 0xaa, 16);
	memset(data, 0xdd, 50);
	unhex("56be34521d144c88dbb8c733f0e8b3f6", want);
	assert_int_equal(crypto_hmac_md5(key, 16, data, 50, got), 0);
	assert_memory_equal(got, want, 16);

	/* a key longer than the block */
	memset(key, 0xaa, 80);
	unhex("6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd", want);
	assert_int_equal(crypto_hmac_md5(key, 80,
					 "Test Using Larger Than Block-Size "
					 "Key - Hash Key First",
					 54, got),
			 0);
	assert_memory_equal(got, want, 16);

	/* an empty key works too */
	assert_int_equal(crypto_hmac_md5(NULL, 0, "x", 1, got), 0);
}

static void test_random(void **state)
{
	uint8_t a[32], b[32], zero[32] = { 0 };

	(void)state;
	assert_int_equal(crypto_random(a, sizeof(a)), 0);
	assert_int_equal(crypto_random(b, sizeof(b)), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_memory_not_equal(a, zero, sizeof(a));
	assert_int_equal(crypto_random(a, 0), 0);
}

static void test_equal(void **state)
{
	(void)state;
	assert_true(crypto_equal("abc", "abc", 3));
	assert_false(crypto_equal("abc", "abd", 3));
	assert_true(crypto_equal("abc", "abd", 2));
	assert_true(crypto_equal("", "", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_md5),
		cmocka_unit_test(test_hmac_md5),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
