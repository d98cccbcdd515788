/*
 * The record layer ahead of wolfSSL: whole-record scanning, ClientHello
 * parsing and the HelloVerifyRequest we build.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dtlsgw/dtls_record.h"

/* A DTLS 1.2 ClientHello in one record, cookie of cookie_len bytes. */
static size_t make_hello(uint8_t *out, size_t cookie_len, uint16_t msg_seq,
			 uint64_t rec_seq)
{
	uint8_t body[512];
	size_t b = 0, n = 0;

	body[b++] = 254;
	body[b++] = 253;			/* client_version DTLS 1.2 */
	for (int i = 0; i < 32; i++)
		body[b++] = (uint8_t)i;		/* random */
	body[b++] = 0;				/* session_id */
	body[b++] = (uint8_t)cookie_len;
	for (size_t i = 0; i < cookie_len; i++)
		body[b++] = 0xc0;
	body[b++] = 0;
	body[b++] = 4;				/* two cipher suites */
	body[b++] = 0xcc;
	body[b++] = 0xa9;
	body[b++] = 0xc0;
	body[b++] = 0x2b;
	body[b++] = 1;
	body[b++] = 0;				/* null compression */
	body[b++] = 0;
	body[b++] = 4;				/* extensions: 4 bytes */
	body[b++] = 0x00;
	body[b++] = 0x17;			/* extended_master_secret */
	body[b++] = 0;
	body[b++] = 0;

	out[n++] = 22;
	out[n++] = 254;
	out[n++] = 255;
	out[n++] = 0;
	out[n++] = 0;				/* epoch 0 */
	for (int i = 5; i >= 0; i--)
		out[n++] = (uint8_t)(rec_seq >> (8 * i));
	out[n++] = (uint8_t)((b + 12) >> 8);
	out[n++] = (uint8_t)(b + 12);
	out[n++] = 1;				/* client_hello */
	out[n++] = 0;
	out[n++] = (uint8_t)(b >> 8);
	out[n++] = (uint8_t)b;
	out[n++] = (uint8_t)(msg_seq >> 8);
	out[n++] = (uint8_t)msg_seq;
	out[n++] = 0;
	out[n++] = 0;
	out[n++] = 0;				/* fragment_offset */
	out[n++] = 0;
	out[n++] = (uint8_t)(b >> 8);
	out[n++] = (uint8_t)b;			/* fragment_length */
	memcpy(out + n, body, b);
	return n + b;
}

static void test_scan_whole_records(void **state)
{
	uint8_t dg[1024];
	size_t len = make_hello(dg, 0, 0, 0), count;
	struct dtls_record r;

	(void)state;
	assert_int_equal(dtls_record_scan(dg, len, &r, &count), DTLS_SCAN_OK);
	assert_int_equal(count, 1);
	assert_int_equal(r.type, 22);
	/* two records in one datagram */
	memcpy(dg + len, dg, len);
	assert_int_equal(dtls_record_scan(dg, 2 * len, NULL, &count),
			 DTLS_SCAN_OK);
	assert_int_equal(count, 2);
}

/* Walking a datagram record by record; what is not whole is not read. */
static void test_record_next(void **state)
{
	static const uint8_t dg[] = {
		/* application data, epoch 1, seq 7, 2 bytes */
		23, 254, 253, 0, 1, 0, 0, 0, 0, 0, 7, 0, 2, 0xaa, 0xbb,
		/* alert, epoch 1, seq 8, 0 bytes */
		21, 254, 253, 0, 1, 0, 0, 0, 0, 0, 8, 0, 0,
		/* a header that says 0x100 bytes, with 1 */
		23, 254, 253, 0, 1, 0, 0, 0, 0, 0, 9, 1, 0, 0xcc,
	};
	struct dtls_record r;
	size_t off = 0;

	(void)state;
	assert_true(dtls_record_next(dg, sizeof(dg), &off, &r));
	assert_int_equal(r.type, 23);
	assert_int_equal(r.epoch, 1);
	assert_int_equal(r.seq, 7);
	assert_int_equal(r.length, 2);
	assert_ptr_equal(r.payload, dg + 13);
	assert_int_equal(off, 15);
	assert_true(dtls_record_next(dg, sizeof(dg), &off, &r));
	assert_int_equal(r.seq, 8);
	assert_int_equal(off, 28);
	/* runs past the datagram: refused, off stays */
	assert_false(dtls_record_next(dg, sizeof(dg), &off, &r));
	assert_int_equal(off, 28);
	/* a header cut short, and an offset past the end */
	assert_false(dtls_record_next(dg, 20, &off, &r));
	off = sizeof(dg) + 5;
	assert_false(dtls_record_next(dg, sizeof(dg), &off, &r));
}

static void test_scan_rejects(void **state)
{
	uint8_t dg[1024];
	size_t len = make_hello(dg, 0, 0, 0);
	static const uint8_t garbage[] = "GET / HTTP/1.0\r\n\r\n";

	(void)state;
	assert_int_equal(dtls_record_scan(dg, 0, NULL, NULL), DTLS_SCAN_EMPTY);
	assert_int_equal(dtls_record_scan(garbage, sizeof(garbage), NULL, NULL),
			 DTLS_SCAN_NOT_DTLS);
	/* cut short: the length field runs past the datagram */
	assert_int_equal(dtls_record_scan(dg, len - 1, NULL, NULL),
			 DTLS_SCAN_TRUNCATED);
	/* a header alone, cut */
	assert_int_equal(dtls_record_scan(dg, 7, NULL, NULL),
			 DTLS_SCAN_TRUNCATED);
	/* trailing bytes after a whole record */
	dg[len] = 22;
	assert_int_equal(dtls_record_scan(dg, len + 1, NULL, NULL),
			 DTLS_SCAN_TRUNCATED);
	/* wrong version */
	dg[1] = 3;
	dg[2] = 3;
	assert_int_equal(dtls_record_scan(dg, len, NULL, NULL),
			 DTLS_SCAN_NOT_DTLS);
	dg[1] = 254;
	dg[2] = 255;
	/* unknown content type */
	dg[0] = 99;
	assert_int_equal(dtls_record_scan(dg, len, NULL, NULL),
			 DTLS_SCAN_NOT_DTLS);
	dg[0] = 22;
	/* a record longer than any DTLS record may be */
	dg[11] = 0xff;
	dg[12] = 0xff;
	assert_int_equal(dtls_record_scan(dg, len, NULL, NULL),
			 DTLS_SCAN_TOO_LONG);
}

static void test_parse_hello(void **state)
{
	uint8_t dg[1024];
	size_t len = make_hello(dg, 20, 1, 7);
	struct dtls_client_hello ch;

	(void)state;
	assert_int_equal(dtls_parse_client_hello(dg, len, &ch), DTLS_HELLO_OK);
	assert_int_equal(ch.cookie_len, 20);
	assert_int_equal(ch.cookie[0], 0xc0);
	assert_int_equal(ch.cipher_suites_len, 4);
	assert_int_equal(ch.compression_len, 1);
	assert_int_equal(ch.session_id_len, 0);
	assert_int_equal(ch.message_seq, 1);
	assert_int_equal(ch.record_seq, 7);
	assert_int_equal(ch.random[31], 31);
}

static void test_parse_hello_rejects(void **state)
{
	uint8_t dg[1024], bad[1024];
	size_t len = make_hello(dg, 0, 0, 0);
	struct dtls_client_hello ch;

	(void)state;
	/* a later fragment: fragment_offset > 0 */
	memcpy(bad, dg, len);
	bad[13 + 8] = 1;
	bad[13 + 11] = (uint8_t)(bad[13 + 11] - 1);
	assert_int_equal(dtls_parse_client_hello(bad, len - 1, &ch),
			 DTLS_HELLO_MALFORMED);
	/* a first fragment too short to hold the cookie fields */
	{
		uint8_t frag[64];

		memcpy(frag, dg, 13 + 12 + 20);
		frag[11] = 0;
		frag[12] = 12 + 20;
		frag[13 + 9] = 0;
		frag[13 + 10] = 0;
		frag[13 + 11] = 20;
		assert_int_equal(dtls_parse_client_hello(frag, 13 + 12 + 20,
							 &ch),
				 DTLS_HELLO_FRAGMENTED);
	}
	/* not a ClientHello */
	memcpy(bad, dg, len);
	bad[13] = 2;
	assert_int_equal(dtls_parse_client_hello(bad, len, &ch),
			 DTLS_HELLO_NOT_HELLO);
	/* application data */
	memcpy(bad, dg, len);
	bad[0] = 23;
	assert_int_equal(dtls_parse_client_hello(bad, len, &ch),
			 DTLS_HELLO_NOT_HELLO);
	/* epoch 1 */
	memcpy(bad, dg, len);
	bad[4] = 1;
	assert_int_equal(dtls_parse_client_hello(bad, len, &ch),
			 DTLS_HELLO_NOT_HELLO);
	/* a session id longer than 32 */
	memcpy(bad, dg, len);
	bad[13 + 12 + 34] = 200;
	assert_int_equal(dtls_parse_client_hello(bad, len, &ch),
			 DTLS_HELLO_MALFORMED);
	/* an odd cipher suite length */
	memcpy(bad, dg, len);
	bad[13 + 12 + 37] = 3;
	assert_int_equal(dtls_parse_client_hello(bad, len, &ch),
			 DTLS_HELLO_MALFORMED);
	/* not even a record */
	assert_int_equal(dtls_parse_client_hello(dg, 5, &ch),
			 DTLS_HELLO_MALFORMED);
	/* every truncation of the body, with the lengths patched to match */
	for (size_t cut = 1; cut < len - 25; cut++) {
		size_t body = len - 25 - cut;

		memcpy(bad, dg, len);
		bad[11] = (uint8_t)((body + 12) >> 8);
		bad[12] = (uint8_t)(body + 12);
		bad[14] = 0;
		bad[15] = (uint8_t)(body >> 8);
		bad[16] = (uint8_t)body;
		bad[22] = (uint8_t)(body >> 8);
		bad[23] = (uint8_t)body;
		assert_int_not_equal(
			dtls_parse_client_hello(bad, len - cut, &ch),
			DTLS_HELLO_OK);
	}
}

static void test_hello_verify(void **state)
{
	uint8_t dg[1024], out[128], cookie[32];
	size_t len = make_hello(dg, 0, 0, 0x123456);
	struct dtls_client_hello ch;
	size_t n;

	(void)state;
	memset(cookie, 0xab, sizeof(cookie));
	assert_int_equal(dtls_parse_client_hello(dg, len, &ch), DTLS_HELLO_OK);
	n = dtls_build_hello_verify(out, sizeof(out), &ch, cookie, 32);
	assert_int_equal(n, 13 + 12 + 3 + 32);
	assert_true(n <= len);
	assert_int_equal(dtls_record_scan(out, n, NULL, NULL), DTLS_SCAN_OK);
	assert_int_equal(out[0], 22);
	/* the ClientHello's record sequence number (RFC 6347 4.2.1) */
	assert_int_equal(out[8], 0x12);
	assert_int_equal(out[9], 0x34);
	assert_int_equal(out[10], 0x56);
	assert_int_equal(out[13], 3);		/* hello_verify_request */
	assert_int_equal(out[13 + 12 + 2], 32);
	assert_memory_equal(out + 13 + 12 + 3, cookie, 32);
	/* too small a buffer */
	assert_int_equal(dtls_build_hello_verify(out, 40, &ch, cookie, 32), 0);
}

/* Cut a whole ClientHello record into fragments of at most `size` bytes. */
static size_t fragment(const uint8_t *whole, size_t whole_len, size_t size,
		       uint8_t frags[][256], size_t *lens)
{
	size_t body = whole_len - 25, n = 0;

	for (size_t off = 0; off < body; off += size, n++) {
		size_t fl = body - off < size ? body - off : size;
		uint8_t *f = frags[n];

		memcpy(f, whole, 25);
		f[10] = (uint8_t)(n + 1);			/* record seq */
		f[11] = (uint8_t)((12 + fl) >> 8);
		f[12] = (uint8_t)(12 + fl);
		f[13 + 6] = (uint8_t)(off >> 16);
		f[13 + 7] = (uint8_t)(off >> 8);
		f[13 + 8] = (uint8_t)off;
		f[13 + 9] = (uint8_t)(fl >> 16);
		f[13 + 10] = (uint8_t)(fl >> 8);
		f[13 + 11] = (uint8_t)fl;
		memcpy(f + 25, whole + 25 + off, fl);
		lens[n] = 25 + fl;
	}
	return n;
}

static void test_reassembly(void **state)
{
	uint8_t whole[1024], frags[16][256];
	size_t lens[16], wlen = make_hello(whole, 32, 1, 0), n, rlen;
	struct dtls_client_hello ch;
	struct dtls_hello_reasm r;
	const uint8_t *rec;

	(void)state;
	n = fragment(whole, wlen, 77, frags, lens);
	assert_true(n >= 2);
	/* the first fragment holds the cookie fields */
	assert_int_equal(dtls_parse_client_hello(frags[0], lens[0], &ch),
			 DTLS_HELLO_OK);
	assert_true(ch.fragment);
	assert_int_equal(ch.cookie_len, 32);
	assert_int_equal(ch.message_len, wlen - 25);
	assert_int_equal(dtls_hello_reasm_start(&r, &ch, frags[0], lens[0]),
			 0);
	/* later fragments, the last one first and one twice */
	assert_int_equal(dtls_hello_reasm_add(&r, frags[n - 1], lens[n - 1]),
			 n == 2 ? 1 : 0);
	for (size_t i = 1; i + 1 < n; i++) {
		assert_int_equal(dtls_hello_reasm_add(&r, frags[i], lens[i]),
				 i + 2 == n ? 1 : 0);
		assert_int_equal(dtls_hello_reasm_add(&r, frags[i], lens[i]),
				 i + 2 == n ? 1 : 0);
	}
	rec = dtls_hello_reasm_record(&r, &rlen);
	assert_non_null(rec);
	assert_int_equal(rlen, wlen);
	/* the same bytes as the whole message, bar the record sequence */
	assert_memory_equal(rec + 13, whole + 13, wlen - 13);
	assert_int_equal(rec[10], n);
	assert_int_equal(dtls_parse_client_hello(rec, rlen, &ch),
			 DTLS_HELLO_OK);
	assert_false(ch.fragment);
	dtls_hello_reasm_free(&r);
	dtls_hello_reasm_free(&r);

	/* a fragment that contradicts what is held is refused */
	assert_int_equal(dtls_hello_reasm_start(&r, &ch, frags[0], lens[0]),
			 0);
	frags[0][30] ^= 0xff;
	assert_int_equal(dtls_hello_reasm_add(&r, frags[0], lens[0]), -EINVAL);
	dtls_hello_reasm_free(&r);
	/* so is one that runs past the message */
	frags[0][30] ^= 0xff;
	assert_int_equal(dtls_hello_reasm_start(&r, &ch, frags[0], lens[0]),
			 0);
	frags[1][13 + 3] = 1;	/* a different total length */
	assert_int_equal(dtls_hello_reasm_add(&r, frags[1], lens[1]), -EINVAL);
	dtls_hello_reasm_free(&r);
	/* and a message longer than we ever hold */
	ch.message_len = DTLS_HELLO_MAX_LEN + 1;
	assert_int_equal(dtls_hello_reasm_start(&r, &ch, frags[0], lens[0]),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_whole_records),
		cmocka_unit_test(test_record_next),
		cmocka_unit_test(test_scan_rejects),
		cmocka_unit_test(test_parse_hello),
		cmocka_unit_test(test_parse_hello_rejects),
		cmocka_unit_test(test_hello_verify),
		cmocka_unit_test(test_reassembly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
