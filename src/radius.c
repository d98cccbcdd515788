/*
 * The RADIUS codec: framing checks (RFC 2865 section 3), the
 * authenticators (RFC 2865, 2866, 3579, 5176, 5997), attribute hiding
 * (RFC 2865 5.2, RFC 2868 3.5, RFC 2548 2.4.2) and the re-signing of
 * requests and replies between two shared secrets.
 */
#include <string.h>

#include "dtlsgw/bytes.h"
#include "dtlsgw/crypto.h"
#include "dtlsgw/radius.h"

static const uint8_t zero_auth[RADIUS_AUTH_LEN];

const char *radius_error_name(enum radius_error e)
{
	switch (e) {
	case RADIUS_OK:
		return "ok";
	case RADIUS_ERR_SHORT:
		return "short";
	case RADIUS_ERR_BAD_LENGTH:
		return "bad_length";
	case RADIUS_ERR_TOO_LONG:
		return "too_long";
	case RADIUS_ERR_UNKNOWN_CODE:
		return "unknown_code";
	case RADIUS_ERR_BAD_ATTRIBUTE:
		return "bad_attribute";
	case RADIUS_ERR_BAD_AUTHENTICATOR:
		return "bad_authenticator";
	case RADIUS_ERR_BAD_MESSAGE_AUTHENTICATOR:
		return "bad_message_authenticator";
	case RADIUS_ERR_NO_MESSAGE_AUTHENTICATOR:
		return "no_message_authenticator";
	case RADIUS_ERR_BAD_HIDDEN:
		return "bad_hidden";
	case RADIUS_ERR_NO_SPACE:
		return "no_space";
	case RADIUS_ERR_UNEXPECTED_REPLY:
		return "unexpected_reply";
	case RADIUS_ERR_NOT_REQUEST:
		return "not_request";
	case RADIUS_ERR_CRYPTO:
		return "crypto";
	}
	return "?";
}

const char *radius_code_name(uint8_t code)
{
	switch (code) {
	case RADIUS_ACCESS_REQUEST:
		return "Access-Request";
	case RADIUS_ACCESS_ACCEPT:
		return "Access-Accept";
	case RADIUS_ACCESS_REJECT:
		return "Access-Reject";
	case RADIUS_ACCOUNTING_REQUEST:
		return "Accounting-Request";
	case RADIUS_ACCOUNTING_RESPONSE:
		return "Accounting-Response";
	case RADIUS_ACCESS_CHALLENGE:
		return "Access-Challenge";
	case RADIUS_STATUS_SERVER:
		return "Status-Server";
	case RADIUS_STATUS_CLIENT:
		return "Status-Client";
	case RADIUS_DISCONNECT_REQUEST:
		return "Disconnect-Request";
	case RADIUS_DISCONNECT_ACK:
		return "Disconnect-ACK";
	case RADIUS_DISCONNECT_NAK:
		return "Disconnect-NAK";
	case RADIUS_COA_REQUEST:
		return "CoA-Request";
	case RADIUS_COA_ACK:
		return "CoA-ACK";
	case RADIUS_COA_NAK:
		return "CoA-NAK";
	case RADIUS_PROTOCOL_ERROR:
		return "Protocol-Error";
	}
	return "unknown";
}

bool radius_code_known(uint8_t code)
{
	return strcmp(radius_code_name(code), "unknown") != 0;
}

bool radius_is_request(uint8_t code)
{
	switch (code) {
	case RADIUS_ACCESS_REQUEST:
	case RADIUS_ACCOUNTING_REQUEST:
	case RADIUS_STATUS_SERVER:
	case RADIUS_DISCONNECT_REQUEST:
	case RADIUS_COA_REQUEST:
		return true;
	}
	return false;
}

bool radius_is_reply(uint8_t code)
{
	switch (code) {
	case RADIUS_ACCESS_ACCEPT:
	case RADIUS_ACCESS_REJECT:
	case RADIUS_ACCOUNTING_RESPONSE:
	case RADIUS_ACCESS_CHALLENGE:
	case RADIUS_DISCONNECT_ACK:
	case RADIUS_DISCONNECT_NAK:
	case RADIUS_COA_ACK:
	case RADIUS_COA_NAK:
	case RADIUS_PROTOCOL_ERROR:
		return true;
	}
	return false;
}

enum radius_class radius_code_class(uint8_t code)
{
	switch (code) {
	case RADIUS_ACCESS_REQUEST:
	case RADIUS_ACCESS_ACCEPT:
	case RADIUS_ACCESS_REJECT:
	case RADIUS_ACCESS_CHALLENGE:
	case RADIUS_STATUS_SERVER:
		return RADIUS_CLASS_AUTH;
	case RADIUS_ACCOUNTING_REQUEST:
	case RADIUS_ACCOUNTING_RESPONSE:
		return RADIUS_CLASS_ACCT;
	case RADIUS_COA_REQUEST:
	case RADIUS_COA_ACK:
	case RADIUS_COA_NAK:
		return RADIUS_CLASS_COA;
	case RADIUS_DISCONNECT_REQUEST:
	case RADIUS_DISCONNECT_ACK:
	case RADIUS_DISCONNECT_NAK:
		return RADIUS_CLASS_DISCONNECT;
	}
	return RADIUS_CLASS_NONE;
}

bool radius_reply_matches(uint8_t request_code, uint8_t reply_code)
{
	if (reply_code == RADIUS_PROTOCOL_ERROR)
		return radius_is_request(request_code);
	switch (request_code) {
	case RADIUS_ACCESS_REQUEST:
		return reply_code == RADIUS_ACCESS_ACCEPT ||
		       reply_code == RADIUS_ACCESS_REJECT ||
		       reply_code == RADIUS_ACCESS_CHALLENGE;
	case RADIUS_STATUS_SERVER:
		return reply_code == RADIUS_ACCESS_ACCEPT ||
		       reply_code == RADIUS_ACCOUNTING_RESPONSE;
	case RADIUS_ACCOUNTING_REQUEST:
		return reply_code == RADIUS_ACCOUNTING_RESPONSE;
	case RADIUS_COA_REQUEST:
		return reply_code == RADIUS_COA_ACK ||
		       reply_code == RADIUS_COA_NAK;
	case RADIUS_DISCONNECT_REQUEST:
		return reply_code == RADIUS_DISCONNECT_ACK ||
		       reply_code == RADIUS_DISCONNECT_NAK;
	}
	return false;
}

/* Accounting-, CoA- and Disconnect-Request: the MD5-over-the-packet kind. */
static bool signed_request(uint8_t code)
{
	return code == RADIUS_ACCOUNTING_REQUEST ||
	       code == RADIUS_COA_REQUEST || code == RADIUS_DISCONNECT_REQUEST;
}

/* Whether the Response Authenticator of code must come with a MA. */
static bool access_reply(uint8_t code)
{
	return code == RADIUS_ACCESS_ACCEPT || code == RADIUS_ACCESS_REJECT ||
	       code == RADIUS_ACCESS_CHALLENGE;
}

/* A salt, then 16k octets, k >= 1. */
static bool salted_size_ok(size_t vlen, size_t before)
{
	return vlen >= before + 16 && (vlen - before) % 16 == 0;
}

/* The value of a Vendor-Specific attribute (RFC 2865 5.26). */
static enum radius_error check_vsa(const uint8_t *v, size_t vlen)
{
	size_t off;

	if (vlen < 6)
		return RADIUS_ERR_BAD_ATTRIBUTE;
	if (be_get32(v) != RADIUS_VENDOR_MICROSOFT)
		return RADIUS_OK;
	/* RFC 2548 section 2: type, length (>= 2), value */
	for (off = 4; off < vlen; off += v[off + 1]) {
		if (vlen - off < 2 || v[off + 1] < 2 || v[off + 1] > vlen - off)
			return RADIUS_ERR_BAD_ATTRIBUTE;
		if ((v[off] == RADIUS_MS_MPPE_SEND_KEY ||
		     v[off] == RADIUS_MS_MPPE_RECV_KEY) &&
		    !salted_size_ok(v[off + 1] - 2u, 2))
			return RADIUS_ERR_BAD_HIDDEN;
	}
	return RADIUS_OK;
}

enum radius_error radius_validate(const uint8_t *p, size_t len, size_t *plen)
{
	size_t l, off;
	unsigned int n_ma = 0;

	if (plen != NULL)
		*plen = 0;
	if (len < RADIUS_HEADER_LEN)
		return RADIUS_ERR_SHORT;
	l = be_get16(p + 2);
	if (l < RADIUS_HEADER_LEN)
		return RADIUS_ERR_BAD_LENGTH;
	if (l > RADIUS_MAX_LEN)
		return RADIUS_ERR_TOO_LONG;
	if (l > len)
		return RADIUS_ERR_SHORT;
	if (!radius_code_known(p[0]))
		return RADIUS_ERR_UNKNOWN_CODE;
	for (off = RADIUS_HEADER_LEN; off < l; off += p[off + 1]) {
		size_t vlen;
		enum radius_error e;

		if (l - off < 2 || p[off + 1] < 2 || p[off + 1] > l - off)
			return RADIUS_ERR_BAD_ATTRIBUTE;
		vlen = p[off + 1] - 2u;
		switch (p[off]) {
		case RADIUS_ATTR_MESSAGE_AUTHENTICATOR:
			if (vlen != RADIUS_AUTH_LEN || ++n_ma > 1)
				return RADIUS_ERR_BAD_ATTRIBUTE;
			break;
		case RADIUS_ATTR_USER_PASSWORD:
			if (vlen < 16 || vlen > 128 || vlen % 16 != 0)
				return RADIUS_ERR_BAD_HIDDEN;
			break;
		case RADIUS_ATTR_TUNNEL_PASSWORD:
			/* tag, salt */
			if (!salted_size_ok(vlen, 3))
				return RADIUS_ERR_BAD_HIDDEN;
			break;
		case RADIUS_ATTR_VENDOR_SPECIFIC:
			e = check_vsa(p + off + 2, vlen);
			if (e != RADIUS_OK)
				return e;
			break;
		}
	}
	if (plen != NULL)
		*plen = l;
	return RADIUS_OK;
}

size_t radius_find_attr(const uint8_t *p, size_t len, uint8_t type)
{
	size_t off = RADIUS_HEADER_LEN;

	while (off + 2 <= len && p[off + 1] >= 2) {
		if (p[off] == type)
			return off;
		off += p[off + 1];
	}
	return 0;
}

void radius_request_authenticator(const uint8_t *p, size_t len,
				  const void *secret, size_t slen,
				  uint8_t out[RADIUS_AUTH_LEN])
{
	radius_response_authenticator(p, len, zero_auth, secret, slen, out);
}

void radius_response_authenticator(const uint8_t *p, size_t len,
				   const uint8_t req_auth[RADIUS_AUTH_LEN],
				   const void *secret, size_t slen,
				   uint8_t out[RADIUS_AUTH_LEN])
{
	struct crypto_md5 m;

	crypto_md5_init(&m);
	crypto_md5_update(&m, p, 4);
	crypto_md5_update(&m, req_auth, RADIUS_AUTH_LEN);
	crypto_md5_update(&m, p + RADIUS_HEADER_LEN, len - RADIUS_HEADER_LEN);
	crypto_md5_update(&m, secret, slen);
	crypto_md5_final(&m, out);
}

enum radius_error
radius_message_authenticator(const uint8_t *p, size_t len, size_t ma_off,
			     const uint8_t auth[RADIUS_AUTH_LEN],
			     const void *secret, size_t slen,
			     uint8_t out[RADIUS_AUTH_LEN])
{
	const size_t end = ma_off + RADIUS_MA_ATTR_LEN;
	const struct crypto_buf v[] = {
		{ p, 4 },
		{ auth, RADIUS_AUTH_LEN },
		{ p + RADIUS_HEADER_LEN, ma_off + 2 - RADIUS_HEADER_LEN },
		{ zero_auth, RADIUS_AUTH_LEN },
		{ p + end, len - end },
	};

	if (crypto_hmac_md5_v(secret, slen, v, sizeof(v) / sizeof(v[0]),
			      out) != 0)
		return RADIUS_ERR_CRYPTO;
	return RADIUS_OK;
}

const uint8_t *radius_ma_auth(const uint8_t *p,
			      const uint8_t req_auth[RADIUS_AUTH_LEN])
{
	if (p[0] == RADIUS_ACCESS_REQUEST || p[0] == RADIUS_STATUS_SERVER)
		return p + 4;
	if (signed_request(p[0]) || req_auth == NULL)
		return zero_auth;
	return req_auth;
}

/*
 * The MD5 chain shared by the three hiding schemes: block i is XORed with
 * MD5(S + RA [+ salt]) for i = 1, MD5(S + c(i-1)) after, c being the
 * hidden (cipher) text.
 */
static void hide_chain(uint8_t *buf, size_t len, const void *secret,
		       size_t slen, const uint8_t auth[RADIUS_AUTH_LEN],
		       const uint8_t *salt, bool unhide)
{
	uint8_t b[CRYPTO_MD5_LEN], c[CRYPTO_MD5_LEN];

	for (size_t off = 0; off < len; off += 16) {
		size_t n = len - off < 16 ? len - off : 16;
		struct crypto_md5 m;

		crypto_md5_init(&m);
		crypto_md5_update(&m, secret, slen);
		if (off == 0) {
			crypto_md5_update(&m, auth, RADIUS_AUTH_LEN);
			if (salt != NULL)
				crypto_md5_update(&m, salt, 2);
		} else {
			crypto_md5_update(&m, c, sizeof(c));
		}
		crypto_md5_final(&m, b);
		if (unhide)
			memcpy(c, buf + off, n);
		for (size_t i = 0; i < n; i++)
			buf[off + i] ^= b[i];
		if (!unhide)
			memcpy(c, buf + off, n);
	}
}

void radius_hide(uint8_t *buf, size_t len, const void *secret, size_t slen,
		 const uint8_t auth[RADIUS_AUTH_LEN], const uint8_t *salt)
{
	hide_chain(buf, len, secret, slen, auth, salt, false);
}

void radius_unhide(uint8_t *buf, size_t len, const void *secret, size_t slen,
		   const uint8_t auth[RADIUS_AUTH_LEN], const uint8_t *salt)
{
	hide_chain(buf, len, secret, slen, auth, salt, true);
}

/* Moving hidden attributes from one secret and authenticator to another. */
struct rehide {
	const void	*from;
	size_t		 from_len;
	const uint8_t	*from_auth;
	const void	*to;
	size_t		 to_len;
	const uint8_t	*to_auth;
};

static void rehide_one(uint8_t *buf, size_t len, const uint8_t *salt,
		       const struct rehide *r)
{
	radius_unhide(buf, len, r->from, r->from_len, r->from_auth, salt);
	radius_hide(buf, len, r->to, r->to_len, r->to_auth, salt);
}

/* Every hidden attribute of the validated packet p of Length len. */
static void rehide_all(uint8_t *p, size_t len, bool user_password,
		       const struct rehide *r)
{
	for (size_t off = RADIUS_HEADER_LEN; off < len; off += p[off + 1]) {
		uint8_t *v = p + off + 2;
		size_t vlen = p[off + 1] - 2u;

		switch (p[off]) {
		case RADIUS_ATTR_USER_PASSWORD:
			if (user_password)
				rehide_one(v, vlen, NULL, r);
			break;
		case RADIUS_ATTR_TUNNEL_PASSWORD:
			/* tag, salt, string */
			rehide_one(v + 3, vlen - 3, v + 1, r);
			break;
		case RADIUS_ATTR_VENDOR_SPECIFIC:
			if (be_get32(v) != RADIUS_VENDOR_MICROSOFT)
				break;
			for (size_t s = 4; s < vlen; s += v[s + 1]) {
				if (v[s] == RADIUS_MS_MPPE_SEND_KEY ||
				    v[s] == RADIUS_MS_MPPE_RECV_KEY)
					/* salt, string */
					rehide_one(v + s + 4, v[s + 1] - 4u,
						   v + s + 2, r);
			}
			break;
		}
	}
}

/* Whether the Message-Authenticator at ma_off verifies with secret. */
static enum radius_error check_ma(const uint8_t *p, size_t len, size_t ma_off,
				  const uint8_t *auth, const void *secret,
				  size_t slen)
{
	uint8_t mac[RADIUS_AUTH_LEN];
	enum radius_error e;

	e = radius_message_authenticator(p, len, ma_off, auth, secret, slen,
					 mac);
	if (e != RADIUS_OK)
		return e;
	if (!crypto_equal(mac, p + ma_off + 2, RADIUS_AUTH_LEN))
		return RADIUS_ERR_BAD_MESSAGE_AUTHENTICATOR;
	return RADIUS_OK;
}

enum radius_error radius_resign_request(uint8_t *pkt, size_t *len, size_t cap,
					const void *from, size_t from_len,
					const void *to, size_t to_len,
					int new_id, bool add_ma,
					uint8_t orig_auth[RADIUS_AUTH_LEN],
					uint8_t sent_auth[RADIUS_AUTH_LEN])
{
	uint8_t mac[RADIUS_AUTH_LEN];
	const uint8_t *auth;
	struct rehide r;
	size_t plen, ma_off;
	enum radius_error e;
	uint8_t code;

	memset(orig_auth, 0, RADIUS_AUTH_LEN);
	memset(sent_auth, 0, RADIUS_AUTH_LEN);
	e = radius_validate(pkt, *len, &plen);
	if (e != RADIUS_OK)
		return e;
	*len = plen;
	code = pkt[0];
	if (!radius_is_request(code))
		return RADIUS_ERR_NOT_REQUEST;
	memcpy(orig_auth, pkt + 4, RADIUS_AUTH_LEN);
	/* what the MA and the hidden attributes use, before and after */
	auth = signed_request(code) ? zero_auth : orig_auth;

	/* verify with from */
	ma_off = radius_find_attr(pkt, plen, RADIUS_ATTR_MESSAGE_AUTHENTICATOR);
	if (ma_off == 0 &&
	    (code == RADIUS_STATUS_SERVER ||
	     radius_find_attr(pkt, plen, RADIUS_ATTR_EAP_MESSAGE) != 0))
		return RADIUS_ERR_NO_MESSAGE_AUTHENTICATOR;
	if (signed_request(code)) {
		radius_request_authenticator(pkt, plen, from, from_len, mac);
		if (!crypto_equal(mac, orig_auth, RADIUS_AUTH_LEN))
			return RADIUS_ERR_BAD_AUTHENTICATOR;
	}
	if (ma_off != 0) {
		e = check_ma(pkt, plen, ma_off, auth, from, from_len);
		if (e != RADIUS_OK)
			return e;
	}

	/* re-hide; Access-Request and Status-Server: their own RA */
	r = (struct rehide){ from, from_len, auth, to, to_len, auth };
	rehide_all(pkt, plen, !signed_request(code), &r);

	if (new_id >= 0)
		pkt[1] = (uint8_t)new_id;
	if (add_ma && ma_off == 0 && code == RADIUS_ACCESS_REQUEST) {
		if (plen + RADIUS_MA_ATTR_LEN > cap ||
		    plen + RADIUS_MA_ATTR_LEN > RADIUS_MAX_LEN)
			return RADIUS_ERR_NO_SPACE;
		ma_off = RADIUS_HEADER_LEN;
		memmove(pkt + ma_off + RADIUS_MA_ATTR_LEN, pkt + ma_off,
			plen - ma_off);
		pkt[ma_off] = RADIUS_ATTR_MESSAGE_AUTHENTICATOR;
		pkt[ma_off + 1] = RADIUS_MA_ATTR_LEN;
		memset(pkt + ma_off + 2, 0, RADIUS_AUTH_LEN);
		plen += RADIUS_MA_ATTR_LEN;
		be_put16(pkt + 2, plen);
		*len = plen;
	}

	/* sign with to: the MA first, as the RA covers it */
	if (ma_off != 0) {
		e = radius_message_authenticator(pkt, plen, ma_off, auth, to,
						 to_len, mac);
		if (e != RADIUS_OK)
			return e;
		memcpy(pkt + ma_off + 2, mac, RADIUS_AUTH_LEN);
	}
	if (signed_request(code)) {
		radius_request_authenticator(pkt, plen, to, to_len, mac);
		memcpy(pkt + 4, mac, RADIUS_AUTH_LEN);
	}
	memcpy(sent_auth, pkt + 4, RADIUS_AUTH_LEN);
	return RADIUS_OK;
}

enum radius_error radius_resign_reply(uint8_t *pkt, size_t *len,
				      const void *from, size_t from_len,
				      const void *to, size_t to_len,
				      uint8_t request_code,
				      const uint8_t sent_auth[RADIUS_AUTH_LEN],
				      const uint8_t orig_auth[RADIUS_AUTH_LEN],
				      int new_id, bool require_ma)
{
	uint8_t mac[RADIUS_AUTH_LEN];
	struct rehide r;
	size_t plen, ma_off;
	enum radius_error e;
	uint8_t code;

	e = radius_validate(pkt, *len, &plen);
	if (e != RADIUS_OK)
		return e;
	*len = plen;
	code = pkt[0];
	if (!radius_reply_matches(request_code, code))
		return RADIUS_ERR_UNEXPECTED_REPLY;

	/* verify with from and the Authenticator we sent */
	radius_response_authenticator(pkt, plen, sent_auth, from, from_len,
				      mac);
	if (!crypto_equal(mac, pkt + 4, RADIUS_AUTH_LEN))
		return RADIUS_ERR_BAD_AUTHENTICATOR;
	ma_off = radius_find_attr(pkt, plen, RADIUS_ATTR_MESSAGE_AUTHENTICATOR);
	if (ma_off != 0) {
		e = check_ma(pkt, plen, ma_off, sent_auth, from, from_len);
		if (e != RADIUS_OK)
			return e;
	} else if ((require_ma && access_reply(code)) ||
		   radius_find_attr(pkt, plen, RADIUS_ATTR_EAP_MESSAGE) != 0) {
		return RADIUS_ERR_NO_MESSAGE_AUTHENTICATOR;
	}

	r = (struct rehide){ from, from_len, sent_auth, to, to_len, orig_auth };
	rehide_all(pkt, plen, false, &r);

	if (new_id >= 0)
		pkt[1] = (uint8_t)new_id;
	if (ma_off != 0) {
		e = radius_message_authenticator(pkt, plen, ma_off, orig_auth,
						 to, to_len, mac);
		if (e != RADIUS_OK)
			return e;
		memcpy(pkt + ma_off + 2, mac, RADIUS_AUTH_LEN);
	}
	radius_response_authenticator(pkt, plen, orig_auth, to, to_len, mac);
	memcpy(pkt + 4, mac, RADIUS_AUTH_LEN);
	return RADIUS_OK;
}

size_t radius_build_status_server(uint8_t *out, size_t cap, uint8_t id,
				  const void *secret, size_t slen,
				  uint8_t auth[RADIUS_AUTH_LEN])
{
	const size_t len = RADIUS_STATUS_SERVER_LEN;
	uint8_t mac[RADIUS_AUTH_LEN];

	if (cap < len || crypto_random(auth, RADIUS_AUTH_LEN) != 0)
		return 0;
	out[0] = RADIUS_STATUS_SERVER;
	out[1] = id;
	be_put16(out + 2, len);
	memcpy(out + 4, auth, RADIUS_AUTH_LEN);
	out[20] = RADIUS_ATTR_MESSAGE_AUTHENTICATOR;
	out[21] = RADIUS_MA_ATTR_LEN;
	memset(out + 22, 0, RADIUS_AUTH_LEN);
	if (radius_message_authenticator(out, len, RADIUS_HEADER_LEN, auth,
					 secret, slen, mac) != RADIUS_OK)
		return 0;
	memcpy(out + 22, mac, RADIUS_AUTH_LEN);
	return len;
}

size_t radius_answer_status_server(uint8_t *out, size_t cap,
				   const uint8_t *req, size_t req_len,
				   const void *secret, size_t slen)
{
	const size_t len = RADIUS_HEADER_LEN + RADIUS_MA_ATTR_LEN;
	uint8_t req_auth[RADIUS_AUTH_LEN], mac[RADIUS_AUTH_LEN], id;
	size_t plen, ma_off;

	if (radius_validate(req, req_len, &plen) != RADIUS_OK ||
	    req[0] != RADIUS_STATUS_SERVER)
		return 0;
	ma_off = radius_find_attr(req, plen, RADIUS_ATTR_MESSAGE_AUTHENTICATOR);
	if (ma_off == 0 ||
	    check_ma(req, plen, ma_off, req + 4, secret, slen) != RADIUS_OK ||
	    cap < len)
		return 0;
	/* out may be req */
	memcpy(req_auth, req + 4, RADIUS_AUTH_LEN);
	id = req[1];
	out[0] = RADIUS_ACCESS_ACCEPT;
	out[1] = id;
	be_put16(out + 2, len);
	out[20] = RADIUS_ATTR_MESSAGE_AUTHENTICATOR;
	out[21] = RADIUS_MA_ATTR_LEN;
	memset(out + 22, 0, RADIUS_AUTH_LEN);
	if (radius_message_authenticator(out, len, RADIUS_HEADER_LEN, req_auth,
					 secret, slen, mac) != RADIUS_OK)
		return 0;
	memcpy(out + 22, mac, RADIUS_AUTH_LEN);
	radius_response_authenticator(out, len, req_auth, secret, slen,
				      out + 4);
	return len;
}
