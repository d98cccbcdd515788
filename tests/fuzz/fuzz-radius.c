/*
 * libFuzzer target for the RADIUS codec: radius_validate(), both re-signing
 * functions and radius_answer_status_server() on arbitrary bytes.
 *
 * Random bytes seldom carry a valid signature, so each input is also
 * signed first (with the codec's own low-level functions) when it frames
 * well, to reach the re-hiding and re-signing code; a packet re-signed
 * from A to B must then re-sign from B to A and come back unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/radius.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define A	"radius/dtls"
#define B	"testing123"
#define S(x)	x, sizeof(x) - 1

static const uint8_t req_auth[RADIUS_AUTH_LEN] = {
	0x0f, 0x40, 0x3f, 0x94, 0x73, 0x97, 0x80, 0x57,
	0xbd, 0x83, 0xd5, 0xcb, 0x98, 0xf4, 0x22, 0x7a,
};
static const uint8_t other_auth[RADIUS_AUTH_LEN] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
};

#define CHECK(x) do { if (!(x)) abort(); } while (0)

/* Sign the validated packet p with A as its sender would. */
static void sign(uint8_t *p, size_t len, bool reply)
{
	size_t ma = radius_find_attr(p, len, RADIUS_ATTR_MESSAGE_AUTHENTICATOR);
	bool acct = p[0] == RADIUS_ACCOUNTING_REQUEST ||
		    p[0] == RADIUS_COA_REQUEST ||
		    p[0] == RADIUS_DISCONNECT_REQUEST;

	if (acct && !reply)
		memset(p + 4, 0, RADIUS_AUTH_LEN);
	if (ma != 0)
		CHECK(radius_message_authenticator(p, len, ma,
						   radius_ma_auth(p, req_auth),
						   S(A), p + ma + 2) ==
		      RADIUS_OK);
	if (reply)
		radius_response_authenticator(p, len, req_auth, S(A), p + 4);
	else if (acct)
		radius_request_authenticator(p, len, S(A), p + 4);
}

static void requests(const uint8_t *data, size_t size, bool presign)
{
	static uint8_t p[RADIUS_MAX_LEN + 64], q[RADIUS_MAX_LEN + 64];
	uint8_t o1[16], s1[16], o2[16], s2[16];
	size_t len = size, plen, qlen;
	bool add_ma = size > 0 && (data[size - 1] & 1);

	memcpy(p, data, size);
	if (presign) {
		if (radius_validate(p, size, &plen) != RADIUS_OK)
			return;
		sign(p, plen, false);
		if (p[0] == RADIUS_STATUS_SERVER &&
		    radius_find_attr(p, plen, 80) != 0)
			CHECK(radius_answer_status_server(q, sizeof(q), p,
							  size, S(A)) ==
			      RADIUS_STATUS_SERVER_LEN);
	}
	if (radius_resign_request(p, &len, sizeof(p), S(A), S(B), -1, add_ma,
				  o1, s1) != RADIUS_OK)
		return;
	CHECK(radius_validate(p, len, &plen) == RADIUS_OK && plen == len);
	memcpy(q, p, len);
	qlen = len;
	/* back to A: verifies, and B -> A -> B is the identity */
	CHECK(radius_resign_request(p, &len, sizeof(p), S(B), S(A), -1, false,
				    o2, s2) == RADIUS_OK);
	CHECK(memcmp(o2, s1, 16) == 0 && memcmp(s2, o1, 16) == 0);
	CHECK(radius_resign_request(p, &len, sizeof(p), S(A), S(B), -1, false,
				    o2, s2) == RADIUS_OK);
	CHECK(len == qlen && memcmp(p, q, len) == 0);
}

static void replies(const uint8_t *data, size_t size, bool presign)
{
	static uint8_t p[RADIUS_MAX_LEN + 64], q[RADIUS_MAX_LEN + 64];
	size_t len = size, plen, qlen;
	uint8_t req_code = size > 0 ? data[size - 1] : 1;
	bool require_ma = size > 1 && (data[size - 2] & 1);

	memcpy(p, data, size);
	if (presign) {
		if (radius_validate(p, size, &plen) != RADIUS_OK)
			return;
		sign(p, plen, true);
	}
	if (radius_resign_reply(p, &len, S(A), S(B), req_code, req_auth,
				other_auth, 42, require_ma) != RADIUS_OK)
		return;
	CHECK(p[1] == 42);
	memcpy(q, p, len);
	qlen = len;
	CHECK(radius_resign_reply(p, &len, S(B), S(A), req_code, other_auth,
				  req_auth, 42, require_ma) == RADIUS_OK);
	CHECK(radius_resign_reply(p, &len, S(A), S(B), req_code, req_auth,
				  other_auth, -1, require_ma) == RADIUS_OK);
	CHECK(len == qlen && memcmp(p, q, len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t out[64];
	size_t plen;

	if (size > RADIUS_MAX_LEN + 32)
		return 0;
	if (radius_validate(data, size, &plen) == RADIUS_OK)
		CHECK(plen >= RADIUS_HEADER_LEN && plen <= size);
	requests(data, size, false);
	requests(data, size, true);
	replies(data, size, false);
	replies(data, size, true);
	(void)radius_answer_status_server(out, sizeof(out), data, size, S(A));
	return 0;
}
