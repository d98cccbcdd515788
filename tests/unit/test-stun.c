/*
 * The STUN codec against the test vectors of RFC 5769 (a request with
 * short-term credentials, IPv4 and IPv6 responses, a request with
 * long-term credentials): their FINGERPRINT checked by the parser, their
 * MESSAGE-INTEGRITY recomputed here with wolfCrypt's HMAC-SHA1 over the
 * range the parser found, their XOR-MAPPED-ADDRESS decoded and written
 * again byte for byte.  Then ChannelData framing, the answers the gateway
 * writes, and every way to be malformed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmocka.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/hmac.h>

#include "dtlsgw/crypto.h"
#include "dtlsgw/stun.h"
#include "hex.h"

/* RFC 5769 2.1: Binding request, short-term password below. */
static const char rfc5769_request[] =
	"00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 "
	"fa 87 df ae 80 22 00 10 53 54 55 4e 20 74 65 73 "
	"74 20 63 6c 69 65 6e 74 00 24 00 04 6e 00 01 ff "
	"80 29 00 08 93 2f f9 b1 51 26 3b 36 00 06 00 09 "
	"65 76 74 6a 3a 68 36 76 59 20 20 20 00 08 00 14 "
	"9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 "
	"c1 b5 71 a2 80 28 00 04 e5 7a 3b cf";
#define RFC5769_PASSWORD	"VOkJxbRl1RmTxUk/WvJxBt"

/* RFC 5769 2.2: its IPv4 response, mapped address 192.0.2.1:32853. */
static const char rfc5769_response_v4[] =
	"01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 "
	"fa 87 df ae 80 22 00 0b 74 65 73 74 20 76 65 63 "
	"74 6f 72 20 00 20 00 08 00 01 a1 47 e1 12 a6 43 "
	"00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 "
	"2a f9 ba 53 f0 6b e7 d7 80 28 00 04 c0 7d 4c 96";

/* RFC 5769 2.3: IPv6, 2001:db8:1234:5678:11:2233:4455:6677 port 32853. */
static const char rfc5769_response_v6[] =
	"01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 "
	"fa 87 df ae 80 22 00 0b 74 65 73 74 20 76 65 63 "
	"74 6f 72 20 00 20 00 14 00 02 a1 47 01 13 a9 fa "
	"a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9 00 08 00 14 "
	"a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 "
	"bf e3 ed 41 80 28 00 04 c8 fb 0b 4c";

/*
 * RFC 5769 2.4: a request with long-term credentials, no FINGERPRINT;
 * username U+30DE U+30C8 U+30EA U+30C3 U+30AF U+30B9, realm example.org,
 * password "TheMatrIX" once SASLprep has been at it.
 */
static const char rfc5769_request_lt[] =
	"00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 "
	"29 da 41 2e 00 06 00 12 e3 83 9e e3 83 88 e3 83 "
	"aa e3 83 83 e3 82 af e3 82 b9 00 00 00 15 00 1c "
	"66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 "
	"6f 4c 39 46 53 54 76 79 36 34 73 41 00 14 00 0b "
	"65 78 61 6d 70 6c 65 2e 6f 72 67 00 00 08 00 14 "
	"f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 "
	"8c a8 96 66";

static const uint8_t rfc5769_tid[STUN_TID_LEN] = {
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
	0xfa, 0x87, 0xdf, 0xae,
};

/*
 * MESSAGE-INTEGRITY as RFC 8489 14.5 computes it: HMAC-SHA1 over the
 * message up to the attribute, with the length field counting up to its
 * end.  Verified against the bytes found at m->integrity.
 */
static void check_integrity(const uint8_t *p, const struct stun_msg *m,
			    const uint8_t *key, size_t klen)
{
	uint8_t buf[512], mac[WC_SHA_DIGEST_SIZE];
	size_t end = m->integrity + 4 + 20;
	Hmac h;

	assert_true(m->integrity != 0 && m->integrity < sizeof(buf));
	memcpy(buf, p, m->integrity);
	buf[2] = (uint8_t)((end - STUN_HEADER_LEN) >> 8);
	buf[3] = (uint8_t)(end - STUN_HEADER_LEN);
	assert_int_equal(wc_HmacInit(&h, NULL, INVALID_DEVID), 0);
	assert_int_equal(wc_HmacSetKey(&h, WC_SHA, key, (word32)klen), 0);
	assert_int_equal(wc_HmacUpdate(&h, buf, (word32)m->integrity), 0);
	assert_int_equal(wc_HmacFinal(&h, mac), 0);
	wc_HmacFree(&h);
	assert_memory_equal(mac, p + m->integrity + 4, sizeof(mac));
}

static void test_crc32(void **state)
{
	(void)state;
	/* the check value of CRC-32 */
	assert_int_equal(stun_crc32((const uint8_t *)"123456789", 9),
			 0xcbf43926u);
	assert_int_equal(stun_crc32(NULL, 0), 0);
}

static void test_type(void **state)
{
	static const struct {
		uint16_t method;
		enum stun_class cls;
		uint16_t type;
	} t[] = {
		{ STUN_BINDING, STUN_REQUEST, 0x0001 },
		{ STUN_BINDING, STUN_INDICATION, 0x0011 },
		{ STUN_BINDING, STUN_SUCCESS, 0x0101 },
		{ STUN_BINDING, STUN_ERROR, 0x0111 },
		{ STUN_ALLOCATE, STUN_REQUEST, 0x0003 },
		{ STUN_ALLOCATE, STUN_ERROR, 0x0113 },
		{ STUN_REFRESH, STUN_SUCCESS, 0x0104 },
		{ STUN_SEND, STUN_INDICATION, 0x0016 },
		{ STUN_DATA, STUN_INDICATION, 0x0017 },
		{ STUN_CREATE_PERMISSION, STUN_REQUEST, 0x0008 },
		{ STUN_CHANNEL_BIND, STUN_SUCCESS, 0x0109 },
		{ 0xfff, STUN_ERROR, 0x3fff },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint8_t p[STUN_HEADER_LEN] = { 0 };
		struct stun_msg m;

		assert_int_equal(stun_type(t[i].method, t[i].cls), t[i].type);
		p[0] = (uint8_t)(t[i].type >> 8);
		p[1] = (uint8_t)t[i].type;
		p[4] = 0x21, p[5] = 0x12, p[6] = 0xa4, p[7] = 0x42;
		assert_int_equal(stun_parse(p, sizeof(p), &m), STUN_OK);
		assert_int_equal(m.method, t[i].method);
		assert_int_equal(m.cls, t[i].cls);
		assert_int_equal(m.type, t[i].type);
	}
}

static void test_rfc5769_request(void **state)
{
	uint8_t p[256];
	size_t len = HEX(rfc5769_request, p), off, vlen;
	struct stun_msg m;

	(void)state;
	assert_int_equal(len, 108);
	assert_int_equal(stun_classify(p, len), STUN_KIND_MESSAGE);
	assert_int_equal(stun_parse(p, len, &m), STUN_OK);
	assert_int_equal(m.method, STUN_BINDING);
	assert_int_equal(m.cls, STUN_REQUEST);
	assert_int_equal(m.nattrs, 6);
	assert_int_equal(m.integrity, 76);
	assert_int_equal(m.fingerprint, 100);
	assert_int_equal(m.nunknown, 0);	/* PRIORITY is known */
	off = stun_find_attr(p, &m, STUN_ATTR_USERNAME, &vlen);
	assert_int_equal(off, 60);
	assert_int_equal(vlen, 9);
	assert_memory_equal(p + off + 4, "evtj:h6vY", 9);
	/* short-term credentials: the key is the password */
	check_integrity(p, &m, (const uint8_t *)RFC5769_PASSWORD,
			strlen(RFC5769_PASSWORD));
}

static void check_response(const char *hexs, const char *addr, int family)
{
	uint8_t p[256], q[256], sa_bytes[16];
	size_t len = hex(hexs, p, sizeof(p)), off, vlen, qlen;
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct stun_msg m;
	struct stun_writer w;

	assert_int_equal(stun_parse(p, len, &m), STUN_OK);
	assert_int_equal(m.method, STUN_BINDING);
	assert_int_equal(m.cls, STUN_SUCCESS);
	assert_true(m.fingerprint != 0);
	check_integrity(p, &m, (const uint8_t *)RFC5769_PASSWORD,
			strlen(RFC5769_PASSWORD));
	off = stun_find_attr(p, &m, STUN_ATTR_XOR_MAPPED_ADDRESS, &vlen);
	assert_true(off != 0);
	assert_int_equal(stun_xor_address_decode(p, p + off + 4, vlen, &ss,
						 &sslen),
			 STUN_OK);
	assert_int_equal(ss.ss_family, family);
	assert_int_equal(inet_pton(family, addr, sa_bytes), 1);
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;

		assert_int_equal(sslen, sizeof(*in));
		assert_int_equal(ntohs(in->sin_port), 32853);
		assert_memory_equal(&in->sin_addr, sa_bytes, 4);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

		assert_int_equal(sslen, sizeof(*in6));
		assert_int_equal(ntohs(in6->sin6_port), 32853);
		assert_memory_equal(&in6->sin6_addr, sa_bytes, 16);
	}
	/* written again: the same attribute, byte for byte */
	stun_writer_start(&w, q, sizeof(q), stun_type(STUN_BINDING,
						      STUN_SUCCESS),
			  rfc5769_tid);
	stun_writer_xor_address(&w, STUN_ATTR_XOR_MAPPED_ADDRESS,
				(const struct sockaddr *)&ss);
	qlen = stun_writer_finish(&w, false);
	assert_int_equal(qlen, STUN_HEADER_LEN + 4 + vlen);
	assert_memory_equal(q + STUN_HEADER_LEN, p + off, 4 + vlen);
	assert_memory_equal(q + 4, p + 4, 16);
}

static void test_rfc5769_response_v4(void **state)
{
	(void)state;
	check_response(rfc5769_response_v4, "192.0.2.1", AF_INET);
}

static void test_rfc5769_response_v6(void **state)
{
	(void)state;
	check_response(rfc5769_response_v6,
		       "2001:db8:1234:5678:11:2233:4455:6677", AF_INET6);
}

static void test_rfc5769_long_term(void **state)
{
	static const char user[] = "\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa"
				   "\xe3\x83\x83\xe3\x82\xaf\xe3\x82\xb9";
	uint8_t p[256], key[CRYPTO_MD5_LEN];
	char k[128];
	size_t len = HEX(rfc5769_request_lt, p), off, vlen;
	struct stun_msg m;
	int n;

	(void)state;
	assert_int_equal(stun_parse(p, len, &m), STUN_OK);
	assert_int_equal(m.fingerprint, 0);
	assert_int_equal(m.integrity, 92);
	off = stun_find_attr(p, &m, STUN_ATTR_REALM, &vlen);
	assert_int_equal(vlen, 11);
	assert_memory_equal(p + off + 4, "example.org", 11);
	off = stun_find_attr(p, &m, STUN_ATTR_NONCE, &vlen);
	assert_int_equal(vlen, 28);
	/* long-term credentials: MD5(username ":" realm ":" password) */
	n = snprintf(k, sizeof(k), "%s:example.org:TheMatrIX", user);
	crypto_md5(k, (size_t)n, key);
	check_integrity(p, &m, key, sizeof(key));
}

/* A Binding request of 20 bytes with transaction ID rfc5769_tid. */
static size_t binding_request(uint8_t *p, size_t cap)
{
	struct stun_writer w;

	stun_writer_start(&w, p, cap, stun_type(STUN_BINDING, STUN_REQUEST),
			  rfc5769_tid);
	return stun_writer_finish(&w, false);
}

/* The gateway's answer: XOR-MAPPED-ADDRESS, SOFTWARE, FINGERPRINT. */
static void test_writer_answer(void **state)
{
	uint8_t p[128];
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6,
				    .sin6_port = htons(32853) };
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct stun_writer w;
	struct stun_msg m;
	size_t len, off, vlen;
	uint8_t want[12];

	(void)state;
	/* an IPv4-mapped IPv6 peer (a dual-stack socket) answers as IPv4 */
	assert_int_equal(inet_pton(AF_INET6, "::ffff:192.0.2.1",
				   &in6.sin6_addr), 1);
	stun_writer_start(&w, p, sizeof(p),
			  stun_type(STUN_BINDING, STUN_SUCCESS), rfc5769_tid);
	stun_writer_xor_address(&w, STUN_ATTR_XOR_MAPPED_ADDRESS,
				(const struct sockaddr *)&in6);
	stun_writer_attr(&w, STUN_ATTR_SOFTWARE, "test vector", 11);
	len = stun_writer_finish(&w, true);
	assert_int_equal(len, 20 + 12 + 16 + 8);
	assert_int_equal(stun_parse(p, len, &m), STUN_OK);
	assert_int_equal(m.fingerprint, len - 8);
	off = stun_find_attr(p, &m, STUN_ATTR_XOR_MAPPED_ADDRESS, &vlen);
	assert_int_equal(off, 20);
	/* the bytes of RFC 5769 2.2 */
	HEX("00 20 00 08 00 01 a1 47 e1 12 a6 43", want);
	assert_memory_equal(p + off, want, sizeof(want));
	assert_int_equal(stun_xor_address_decode(p, p + off + 4, vlen, &ss,
						 &sslen),
			 STUN_OK);
	assert_int_equal(ss.ss_family, AF_INET);
	/* SOFTWARE padded with zeros */
	off = stun_find_attr(p, &m, STUN_ATTR_SOFTWARE, &vlen);
	assert_int_equal(vlen, 11);
	assert_int_equal(p[off + 4 + 11], 0);
}

static void test_writer_error(void **state)
{
	static const uint8_t list[] = { 0x00, 0x03 };
	uint8_t p[128], small[40];
	struct stun_writer w;
	struct stun_msg m;
	size_t len, off, vlen;

	(void)state;
	stun_writer_start(&w, p, sizeof(p),
			  stun_type(STUN_BINDING, STUN_ERROR), rfc5769_tid);
	stun_writer_error_code(&w, 420, "Unknown Attribute");
	stun_writer_attr(&w, STUN_ATTR_UNKNOWN_ATTRIBUTES, list, sizeof(list));
	len = stun_writer_finish(&w, true);
	assert_true(len > 0);
	assert_int_equal(stun_parse(p, len, &m), STUN_OK);
	assert_int_equal(m.cls, STUN_ERROR);
	off = stun_find_attr(p, &m, STUN_ATTR_ERROR_CODE, &vlen);
	assert_int_equal(vlen, 4 + 17);
	assert_int_equal(p[off + 6], 4);
	assert_int_equal(p[off + 7], 20);
	off = stun_find_attr(p, &m, STUN_ATTR_UNKNOWN_ATTRIBUTES, &vlen);
	assert_int_equal(vlen, 2);
	/* what does not fit gives 0, never a partial message */
	stun_writer_start(&w, small, sizeof(small),
			  stun_type(STUN_BINDING, STUN_ERROR), rfc5769_tid);
	stun_writer_error_code(&w, 420, "Unknown Attribute");
	assert_int_equal(stun_writer_finish(&w, true), 0);
	stun_writer_start(&w, small, 10, 1, rfc5769_tid);
	assert_int_equal(stun_writer_finish(&w, false), 0);
	stun_writer_start(&w, p, sizeof(p), 1, rfc5769_tid);
	stun_writer_error_code(&w, 200, "no");
	assert_int_equal(stun_writer_finish(&w, false), 0);
}

static void test_unknown_attributes(void **state)
{
	uint8_t p[128];
	struct stun_writer w;
	struct stun_msg m;
	size_t len;

	(void)state;
	stun_writer_start(&w, p, sizeof(p),
			  stun_type(STUN_BINDING, STUN_REQUEST), rfc5769_tid);
	/* CHANGE-REQUEST (RFC 5780): comprehension-required, not ours */
	stun_writer_attr(&w, 0x0003, "\0\0\0\x06", 4);
	/* comprehension-optional and unknown: ignored */
	stun_writer_attr(&w, 0xc057, "ab", 2);
	stun_writer_attr(&w, STUN_ATTR_PRIORITY, "\x6e\0\1\xff", 4);
	len = stun_writer_finish(&w, true);
	assert_int_equal(stun_parse(p, len, &m), STUN_OK);
	assert_int_equal(m.nunknown, 1);
	assert_int_equal(m.unknown[0], 0x0003);
	assert_false(stun_attr_known(0x0003));
	assert_true(stun_attr_known(STUN_ATTR_XOR_PEER_ADDRESS));
}

/* Parse p after one change; expect e. */
static void expect(const uint8_t *p, size_t len, enum stun_error e)
{
	struct stun_msg m;

	assert_int_equal(stun_parse(p, len, &m), e);
}

static void test_hostile_lengths(void **state)
{
	uint8_t p[256], q[256];
	size_t len = HEX(rfc5769_request, p);

	(void)state;
	/* every truncation of a valid message is refused */
	for (size_t n = 0; n < len; n++) {
		struct stun_msg m;

		assert_int_not_equal(stun_parse(p, n, &m), STUN_OK);
	}
	expect(p, 19, STUN_ERR_SHORT);
	/* a length field one word longer or shorter than the datagram */
	memcpy(q, p, len);
	q[3] += 4;
	expect(q, len, STUN_ERR_BAD_LENGTH);
	q[3] -= 8;
	expect(q, len, STUN_ERR_BAD_LENGTH);
	/* not a multiple of four */
	memcpy(q, p, len);
	q[3] += 1;
	expect(q, len + 1, STUN_ERR_BAD_LENGTH);
	/* the largest length field, on a short datagram */
	q[2] = 0xff, q[3] = 0xfc;
	expect(q, len, STUN_ERR_BAD_LENGTH);
	/* trailing bytes after the message */
	memcpy(q, p, len);
	memset(q + len, 0, 4);
	expect(q, len + 4, STUN_ERR_BAD_LENGTH);
	/* an attribute that runs past the end: SOFTWARE 0x10 -> 0xfff0 */
	memcpy(q, p, len);
	q[22] = 0xff, q[23] = 0xf0;
	expect(q, len, STUN_ERR_ATTR_OVERRUN);
	/* 0xffff, whose padding would wrap a 16-bit sum */
	q[22] = 0xff, q[23] = 0xff;
	expect(q, len, STUN_ERR_ATTR_OVERRUN);
	/* USERNAME 9 -> 13: the walk lands inside MESSAGE-INTEGRITY's
	 * value, whose bytes read as a length far past the end */
	memcpy(q, p, len);
	q[63] = 13;
	expect(q, len, STUN_ERR_ATTR_OVERRUN);
	/* a header and three bytes: no room for an attribute header */
	memcpy(q, p, 20);
	q[2] = 0, q[3] = 4;
	memset(q + 20, 0, 4);
	q[23] = 1;
	expect(q, 24, STUN_ERR_ATTR_OVERRUN);
}

static void test_hostile_attributes(void **state)
{
	uint8_t p[256], q[256];
	size_t len = HEX(rfc5769_request, p);

	(void)state;
	/* a changed byte anywhere under FINGERPRINT */
	memcpy(q, p, len);
	q[30] ^= 1;
	expect(q, len, STUN_ERR_BAD_FINGERPRINT);
	memcpy(q, p, len);
	q[len - 1] ^= 0x80;
	expect(q, len, STUN_ERR_BAD_FINGERPRINT);
	/* MESSAGE-INTEGRITY of 16 bytes */
	memcpy(q, p, len);
	q[79] = 16;
	expect(q, len, STUN_ERR_BAD_ATTR);
	/* FINGERPRINT of 8 bytes */
	memcpy(q, p, len);
	q[103] = 8;
	expect(q, len, STUN_ERR_ATTR_OVERRUN);
	/* the magic cookie wrong: not STUN (RFC 3489 is not spoken) */
	memcpy(q, p, len);
	q[4] = 0x22;
	expect(q, len, STUN_ERR_NOT_STUN);
	assert_int_equal(stun_classify(q, len), STUN_KIND_OTHER);
	/* the two top bits: 10 is RTP, 11 ... neither */
	memcpy(q, p, len);
	q[0] |= 0x80;
	expect(q, len, STUN_ERR_NOT_STUN);
	/* a DTLS handshake record: 00 bits, no cookie */
	len = HEX("16 fe fd 00 00 00 00 00 00 00 00 00 8a 01 00 00 "
		  "7e 00 00 00 00 00 00 00 7e fe fd", q);
	expect(q, len, STUN_ERR_NOT_STUN);
}

static void test_hostile_order(void **state)
{
	uint8_t p[128];
	struct stun_writer w;
	uint8_t mi[20] = { 0 }, sha[32] = { 0 };
	struct sockaddr_in in = { .sin_family = AF_INET };
	size_t len;

	(void)state;
	/* an attribute after MESSAGE-INTEGRITY */
	stun_writer_start(&w, p, sizeof(p), 1, rfc5769_tid);
	stun_writer_attr(&w, STUN_ATTR_MESSAGE_INTEGRITY, mi, sizeof(mi));
	stun_writer_attr(&w, STUN_ATTR_SOFTWARE, "x", 1);
	len = stun_writer_finish(&w, false);
	expect(p, len, STUN_ERR_AFTER_INTEGRITY);
	/* MESSAGE-INTEGRITY-SHA256 after MESSAGE-INTEGRITY is fine, but not
	 * MESSAGE-INTEGRITY after it */
	stun_writer_start(&w, p, sizeof(p), 1, rfc5769_tid);
	stun_writer_attr(&w, STUN_ATTR_MESSAGE_INTEGRITY, mi, sizeof(mi));
	stun_writer_attr(&w, STUN_ATTR_MESSAGE_INTEGRITY_SHA256, sha, 32);
	len = stun_writer_finish(&w, true);
	expect(p, len, STUN_OK);
	stun_writer_start(&w, p, sizeof(p), 1, rfc5769_tid);
	stun_writer_attr(&w, STUN_ATTR_MESSAGE_INTEGRITY_SHA256, sha, 32);
	stun_writer_attr(&w, STUN_ATTR_MESSAGE_INTEGRITY, mi, sizeof(mi));
	len = stun_writer_finish(&w, false);
	expect(p, len, STUN_ERR_AFTER_INTEGRITY);
	/* MESSAGE-INTEGRITY-SHA256 of 12 or 18 bytes */
	stun_writer_start(&w, p, sizeof(p), 1, rfc5769_tid);
	stun_writer_attr(&w, STUN_ATTR_MESSAGE_INTEGRITY_SHA256, sha, 12);
	expect(p, stun_writer_finish(&w, false), STUN_ERR_BAD_ATTR);
	stun_writer_start(&w, p, sizeof(p), 1, rfc5769_tid);
	stun_writer_attr(&w, STUN_ATTR_MESSAGE_INTEGRITY_SHA256, sha, 18);
	expect(p, stun_writer_finish(&w, false), STUN_ERR_BAD_ATTR);
	/* FINGERPRINT, then something */
	stun_writer_start(&w, p, sizeof(p), 1, rfc5769_tid);
	len = stun_writer_finish(&w, true);
	stun_writer_start(&w, p, sizeof(p), 1, rfc5769_tid);
	w.len = len;
	stun_writer_attr(&w, STUN_ATTR_SOFTWARE, "x", 1);
	len = stun_writer_finish(&w, false);
	expect(p, len, STUN_ERR_FINGERPRINT_NOT_LAST);
	/* XOR-MAPPED-ADDRESS: IPv6 family in 8 bytes, family 3 */
	stun_writer_start(&w, p, sizeof(p), 0x0101, rfc5769_tid);
	stun_writer_xor_address(&w, STUN_ATTR_XOR_MAPPED_ADDRESS,
				(const struct sockaddr *)&in);
	len = stun_writer_finish(&w, false);
	expect(p, len, STUN_OK);
	p[25] = 2;
	expect(p, len, STUN_ERR_BAD_ATTR);
	p[25] = 3;
	expect(p, len, STUN_ERR_BAD_ATTR);
}

static void test_xor_decode_bad(void **state)
{
	uint8_t hdr[STUN_HEADER_LEN] = { 0 };
	uint8_t v[20] = { 0, 1 };
	struct sockaddr_storage ss;
	socklen_t sslen;

	(void)state;
	assert_int_equal(stun_xor_address_decode(hdr, v, 3, &ss, &sslen),
			 STUN_ERR_BAD_ATTR);
	assert_int_equal(stun_xor_address_decode(hdr, v, 20, &ss, &sslen),
			 STUN_ERR_BAD_ATTR);
	v[1] = 2;
	assert_int_equal(stun_xor_address_decode(hdr, v, 8, &ss, &sslen),
			 STUN_ERR_BAD_ATTR);
	assert_int_equal(sslen, 0);
	v[1] = 0;
	assert_int_equal(stun_xor_address_decode(hdr, v, 8, &ss, &sslen),
			 STUN_ERR_BAD_ATTR);
}

static void test_channel_data(void **state)
{
	static const struct {
		const char *hex;
		enum stun_error e;
		uint16_t channel;
		size_t datalen;
	} t[] = {
		{ "40 00 00 00", STUN_OK, 0x4000, 0 },
		{ "4f ff 00 01 aa", STUN_OK, 0x4fff, 1 },
		/* with its padding, as pjnath and -D send it */
		{ "40 01 00 01 aa 00 00 00", STUN_OK, 0x4001, 1 },
		{ "40 01 00 04 aa bb cc dd", STUN_OK, 0x4001, 4 },
		/* more than the padding */
		{ "40 01 00 04 aa bb cc dd 00", STUN_ERR_BAD_LENGTH, 0, 0 },
		{ "40 01 00 01 aa 00 00 00 00", STUN_ERR_BAD_LENGTH, 0, 0 },
		/* less than the length */
		{ "40 01 00 05 aa bb cc dd", STUN_ERR_BAD_LENGTH, 0, 0 },
		{ "40 01 ff ff", STUN_ERR_BAD_LENGTH, 0, 0 },
		{ "40 01 00", STUN_ERR_SHORT, 0, 0 },
		/* RFC 5766's range, beyond RFC 8656's: coturn binds these */
		{ "50 00 00 00", STUN_OK, 0x5000, 0 },
		{ "7f ff 00 02 aa bb", STUN_OK, 0x7fff, 2 },
		{ "80 00 00 00", STUN_ERR_NOT_STUN, 0, 0 },
		{ "00 01 00 00", STUN_ERR_NOT_STUN, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint8_t p[16];
		size_t len = HEX(t[i].hex, p), n = 99;
		uint16_t ch = 0;

		assert_int_equal(stun_channel_data_check(p, len, &ch, &n),
				 t[i].e);
		if (t[i].e != STUN_OK)
			continue;
		assert_int_equal(stun_classify(p, len),
				 STUN_KIND_CHANNEL_DATA);
		assert_int_equal(ch, t[i].channel);
		assert_int_equal(n, t[i].datalen);
	}
	assert_int_equal(stun_classify(NULL, 0), STUN_KIND_OTHER);
}

static void test_error_names(void **state)
{
	(void)state;
	for (int e = 0; e < STUN_ERR_MAX; e++)
		assert_non_null(stun_error_names[e]);
	assert_string_equal(stun_error_name(STUN_ERR_BAD_FINGERPRINT),
			    "bad_fingerprint");
	assert_string_equal(stun_error_name(STUN_ERR_MAX), "unknown");
}

static void test_binding_request(void **state)
{
	uint8_t p[32];
	struct stun_msg m;
	size_t len = binding_request(p, sizeof(p));

	(void)state;
	assert_int_equal(len, STUN_HEADER_LEN);
	assert_int_equal(stun_parse(p, len, &m), STUN_OK);
	assert_int_equal(m.nattrs, 0);
	assert_memory_equal(p + 8, rfc5769_tid, STUN_TID_LEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32),
		cmocka_unit_test(test_type),
		cmocka_unit_test(test_rfc5769_request),
		cmocka_unit_test(test_rfc5769_response_v4),
		cmocka_unit_test(test_rfc5769_response_v6),
		cmocka_unit_test(test_rfc5769_long_term),
		cmocka_unit_test(test_binding_request),
		cmocka_unit_test(test_writer_answer),
		cmocka_unit_test(test_writer_error),
		cmocka_unit_test(test_unknown_attributes),
		cmocka_unit_test(test_hostile_lengths),
		cmocka_unit_test(test_hostile_attributes),
		cmocka_unit_test(test_hostile_order),
		cmocka_unit_test(test_xor_decode_bad),
		cmocka_unit_test(test_channel_data),
		cmocka_unit_test(test_error_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
