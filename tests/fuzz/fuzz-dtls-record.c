/*
 * libFuzzer target for the DTLS record layer ahead of wolfSSL:
 * dtls_record_scan(), dtls_parse_client_hello(), dtls_build_hello_verify()
 * and the ClientHello reassembly, fed with the input split into datagrams.
 *
 * Input: datagrams, each a 2-octet big-endian length and that many octets
 * (a short last one takes what is left).  The first datagram is parsed as
 * a ClientHello; when it is one, reassembly starts from it and every
 * following datagram is added; a completed ClientHello must parse again,
 * whole this time.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/dtls_record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

/* The next datagram of the input, or NULL at its end. */
static const uint8_t *next_dgram(const uint8_t **data, size_t *size,
				 size_t *len)
{
	const uint8_t *dg;
	size_t n;

	if (*size < 2)
		return NULL;
	n = (size_t)(*data)[0] << 8 | (*data)[1];
	*data += 2;
	*size -= 2;
	if (n > *size)
		n = *size;
	dg = *data;
	*data += n;
	*size -= n;
	*len = n;
	return dg;
}

static void scan(const uint8_t *dg, size_t len)
{
	struct dtls_record r;
	size_t count;

	if (dtls_record_scan(dg, len, &r, &count) == DTLS_SCAN_OK) {
		CHECK(count >= 1);
		CHECK(r.payload >= dg && r.payload + r.length <= dg + len);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dtls_client_hello ch, again;
	struct dtls_hello_reasm r;
	const uint8_t *dg, *rec;
	uint8_t out[512], cookie[DTLS_HVR_COOKIE_LEN];
	size_t len, rlen;
	int done = 0;

	dg = next_dgram(&data, &size, &len);
	if (dg == NULL)
		return 0;
	scan(dg, len);
	if (dtls_parse_client_hello(dg, len, &ch) != DTLS_HELLO_OK)
		return 0;
	CHECK(ch.cookie_len <= DTLS_COOKIE_MAX);
	memset(cookie, 0x5a, sizeof(cookie));
	CHECK(dtls_build_hello_verify(out, sizeof(out), &ch, cookie,
				      sizeof(cookie)) > 0);
	if (dtls_hello_reasm_start(&r, &ch, dg, len) != 0)
		return 0;
	if (r.missing == 0)
		done = 1;
	while (!done && (dg = next_dgram(&data, &size, &len)) != NULL) {
		int rc;

		scan(dg, len);
		rc = dtls_hello_reasm_add(&r, dg, len);
		if (rc < 0)
			break;
		done = rc;
	}
	if (done) {
		rec = dtls_hello_reasm_record(&r, &rlen);
		CHECK(rec != NULL);
		CHECK(dtls_record_scan(rec, rlen, NULL, NULL) ==
		      DTLS_SCAN_OK);
		/* the reassembled body was checked only piecewise */
		if (dtls_parse_client_hello(rec, rlen, &again) ==
		    DTLS_HELLO_OK)
			CHECK(!again.fragment &&
			      again.message_len == ch.message_len);
	}
	dtls_hello_reasm_free(&r);
	return 0;
}
