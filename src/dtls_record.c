/*
 * The DTLS record layer ahead of the TLS library: whole-record checks and
 * the ClientHello fields of the stateless cookie (RFC 6347 4.1, 4.2.1).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dtlsgw/bytes.h"
#include "dtlsgw/dtls_record.h"

static void read_header(const uint8_t *p, struct dtls_record *r)
{
	r->type = p[0];
	r->version[0] = p[1];
	r->version[1] = p[2];
	r->epoch = be_get16(p + 3);
	r->seq = be_get48(p + 5);
	r->length = be_get16(p + 11);
	r->payload = p + DTLS_RECORD_HEADER_LEN;
}

static bool valid_type(uint8_t t)
{
	return t >= DTLS_CT_CHANGE_CIPHER_SPEC && t <= DTLS_CT_HEARTBEAT;
}

/* DTLS 1.0 is {254, 255}, DTLS 1.2 {254, 253}; DTLS 1.3 records say 1.2. */
static bool valid_version(const uint8_t v[2])
{
	return v[0] == 254 && (v[1] == 255 || v[1] == 253);
}

bool dtls_record_next(const uint8_t *dg, size_t len, size_t *off,
		      struct dtls_record *r)
{
	if (*off > len || len - *off < DTLS_RECORD_HEADER_LEN)
		return false;
	read_header(dg + *off, r);
	if (r->length > len - *off - DTLS_RECORD_HEADER_LEN)
		return false;
	*off += DTLS_RECORD_HEADER_LEN + r->length;
	return true;
}

enum dtls_scan_result dtls_record_scan(const uint8_t *dg, size_t len,
				       struct dtls_record *first,
				       size_t *count)
{
	size_t off = 0, n = 0;

	if (count != NULL)
		*count = 0;
	if (len == 0)
		return DTLS_SCAN_EMPTY;
	while (off < len) {
		struct dtls_record r;

		if (len - off < DTLS_RECORD_HEADER_LEN)
			return n == 0 && !valid_type(dg[off]) ?
				       DTLS_SCAN_NOT_DTLS : DTLS_SCAN_TRUNCATED;
		read_header(dg + off, &r);
		if (!valid_type(r.type) || !valid_version(r.version))
			return DTLS_SCAN_NOT_DTLS;
		if (r.length > DTLS_RECORD_MAX_PAYLOAD)
			return DTLS_SCAN_TOO_LONG;
		if (r.length > len - off - DTLS_RECORD_HEADER_LEN)
			return DTLS_SCAN_TRUNCATED;
		if (n == 0 && first != NULL)
			*first = r;
		off += DTLS_RECORD_HEADER_LEN + r.length;
		n++;
	}
	if (count != NULL)
		*count = n;
	return DTLS_SCAN_OK;
}

const char *dtls_scan_result_name(enum dtls_scan_result r)
{
	switch (r) {
	case DTLS_SCAN_OK:
		return "ok";
	case DTLS_SCAN_EMPTY:
		return "empty";
	case DTLS_SCAN_NOT_DTLS:
		return "not_dtls";
	case DTLS_SCAN_TRUNCATED:
		return "truncated";
	case DTLS_SCAN_TOO_LONG:
		return "too_long";
	}
	return "?";
}

/* A vector with a 1- or 2-byte length prefix at p[*off], inside end. */
static bool read_vector(const uint8_t *p, size_t end, size_t *off,
			size_t prefix, const uint8_t **v, size_t *vlen)
{
	size_t n;

	if (end - *off < prefix)
		return false;
	n = prefix == 1 ? p[*off] : be_get16(p + *off);
	*off += prefix;
	if (end - *off < n)
		return false;
	*v = p + *off;
	*vlen = n;
	*off += n;
	return true;
}

enum dtls_hello_parse dtls_parse_client_hello(const uint8_t *dg, size_t len,
					      struct dtls_client_hello *ch)
{
	struct dtls_record r;
	const uint8_t *hs, *body;
	uint32_t msg_len, frag_off, frag_len;
	size_t off = 0, end;

	memset(ch, 0, sizeof(*ch));
	if (dtls_record_scan(dg, len, &r, NULL) != DTLS_SCAN_OK)
		return DTLS_HELLO_MALFORMED;
	if (r.type != DTLS_CT_HANDSHAKE || r.epoch != 0 ||
	    r.length < DTLS_HANDSHAKE_HEADER_LEN)
		return DTLS_HELLO_NOT_HELLO;
	hs = r.payload;
	if (hs[0] != DTLS_HT_CLIENT_HELLO)
		return DTLS_HELLO_NOT_HELLO;
	msg_len = be_get24(hs + 1);
	frag_off = be_get24(hs + 6);
	frag_len = be_get24(hs + 9);
	if (frag_len > (uint32_t)(r.length - DTLS_HANDSHAKE_HEADER_LEN) ||
	    frag_off + frag_len > msg_len)
		return DTLS_HELLO_MALFORMED;
	if (frag_off != 0)
		return DTLS_HELLO_FRAGMENTED;

	body = hs + DTLS_HANDSHAKE_HEADER_LEN;
	/* what this fragment holds; the cookie fields must all be in it */
	end = frag_len;
	/* client_version (2), random (32) */
	if (end < 2 + 32)
		return frag_len < msg_len ? DTLS_HELLO_FRAGMENTED
					  : DTLS_HELLO_MALFORMED;
	ch->version = body;
	ch->random = body + 2;
	off = 34;
	if (!read_vector(body, end, &off, 1, &ch->session_id,
			 &ch->session_id_len) ||
	    !read_vector(body, end, &off, 1, &ch->cookie, &ch->cookie_len) ||
	    !read_vector(body, end, &off, 2, &ch->cipher_suites,
			 &ch->cipher_suites_len) ||
	    !read_vector(body, end, &off, 1, &ch->compression,
			 &ch->compression_len))
		return frag_len < msg_len ? DTLS_HELLO_FRAGMENTED
					  : DTLS_HELLO_MALFORMED;
	if (ch->session_id_len > 32 || ch->cipher_suites_len < 2 ||
	    ch->cipher_suites_len % 2 != 0 || ch->compression_len < 1)
		return DTLS_HELLO_MALFORMED;
	/* in a whole ClientHello, extensions must fill the rest exactly */
	if (frag_len == msg_len && off < end) {
		const uint8_t *ext;
		size_t ext_len;

		if (!read_vector(body, end, &off, 2, &ext, &ext_len) ||
		    off != end)
			return DTLS_HELLO_MALFORMED;
	}
	ch->record_seq = r.seq;
	ch->message_seq = be_get16(hs + 4);
	ch->message_len = msg_len;
	ch->fragment = frag_len < msg_len;
	ch->datagram_len = len;
	return DTLS_HELLO_OK;
}

size_t dtls_build_hello_verify(uint8_t *out, size_t cap,
			       const struct dtls_client_hello *ch,
			       const uint8_t *cookie, size_t cookie_len)
{
	size_t body_len = 2 + 1 + cookie_len;
	size_t total = DTLS_RECORD_HEADER_LEN + DTLS_HANDSHAKE_HEADER_LEN +
		       body_len;
	uint8_t *p = out;

	if (cookie_len > DTLS_COOKIE_MAX || cap < total)
		return 0;
	/* record header */
	p[0] = DTLS_CT_HANDSHAKE;
	p[1] = 254;
	p[2] = 255;
	be_put16(p + 3, 0);
	be_put48(p + 5, ch->record_seq);
	be_put16(p + 11, (uint16_t)(DTLS_HANDSHAKE_HEADER_LEN + body_len));
	p += DTLS_RECORD_HEADER_LEN;
	/* handshake header: our first message, message_seq 0, unfragmented */
	p[0] = DTLS_HT_HELLO_VERIFY_REQUEST;
	be_put24(p + 1, (uint32_t)body_len);
	be_put16(p + 4, 0);
	be_put24(p + 6, 0);
	be_put24(p + 9, (uint32_t)body_len);
	p += DTLS_HANDSHAKE_HEADER_LEN;
	/* server_version: DTLS 1.0 whatever is negotiated (RFC 6347 4.2.1) */
	p[0] = 254;
	p[1] = 255;
	p[2] = (uint8_t)cookie_len;
	memcpy(p + 3, cookie, cookie_len);
	return total;
}

int dtls_hello_reasm_start(struct dtls_hello_reasm *r,
			   const struct dtls_client_hello *ch,
			   const uint8_t *dg, size_t len)
{
	size_t hdr = DTLS_RECORD_HEADER_LEN + DTLS_HANDSHAKE_HEADER_LEN;
	uint8_t *p;

	memset(r, 0, sizeof(*r));
	if (ch->message_len > DTLS_HELLO_MAX_LEN)
		return -EINVAL;
	r->msg = malloc(hdr + ch->message_len);
	r->have = calloc(ch->message_len / 8 + 1, 1);
	if (r->msg == NULL || r->have == NULL) {
		dtls_hello_reasm_free(r);
		return -ENOMEM;
	}
	r->len = ch->message_len;
	r->missing = ch->message_len;
	r->message_seq = ch->message_seq;
	r->record_seq = ch->record_seq;
	r->version[0] = dg[1];
	r->version[1] = dg[2];
	/* the headers of the one record wolfSSL will see */
	p = r->msg;
	p[0] = DTLS_CT_HANDSHAKE;
	be_put16(p + 3, 0);
	be_put16(p + 11, (uint16_t)(DTLS_HANDSHAKE_HEADER_LEN + r->len));
	p += DTLS_RECORD_HEADER_LEN;
	p[0] = DTLS_HT_CLIENT_HELLO;
	be_put24(p + 1, r->len);
	be_put16(p + 4, r->message_seq);
	be_put24(p + 6, 0);
	be_put24(p + 9, r->len);
	if (dtls_hello_reasm_add(r, dg, len) < 0) {
		dtls_hello_reasm_free(r);
		return -EINVAL;
	}
	return 0;
}

static bool have_bit(const struct dtls_hello_reasm *r, uint32_t i)
{
	return (r->have[i / 8] >> (i % 8)) & 1;
}

int dtls_hello_reasm_add(struct dtls_hello_reasm *r, const uint8_t *dg,
			 size_t len)
{
	uint8_t *body = r->msg + DTLS_RECORD_HEADER_LEN +
			DTLS_HANDSHAKE_HEADER_LEN;
	size_t off = 0;

	if (dtls_record_scan(dg, len, NULL, NULL) != DTLS_SCAN_OK)
		return -EINVAL;
	while (off < len) {
		struct dtls_record rec;
		uint32_t msg_len, frag_off, frag_len;
		const uint8_t *hs;

		read_header(dg + off, &rec);
		off += DTLS_RECORD_HEADER_LEN + rec.length;
		if (rec.type != DTLS_CT_HANDSHAKE || rec.epoch != 0 ||
		    rec.length < DTLS_HANDSHAKE_HEADER_LEN)
			continue;
		hs = rec.payload;
		if (hs[0] != DTLS_HT_CLIENT_HELLO ||
		    be_get16(hs + 4) != r->message_seq)
			continue;
		msg_len = be_get24(hs + 1);
		frag_off = be_get24(hs + 6);
		frag_len = be_get24(hs + 9);
		if (msg_len != r->len || frag_off + frag_len > msg_len ||
		    frag_len > (uint32_t)(rec.length -
					  DTLS_HANDSHAKE_HEADER_LEN))
			return -EINVAL;
		for (uint32_t i = 0; i < frag_len; i++) {
			uint32_t at = frag_off + i;
			uint8_t b = hs[DTLS_HANDSHAKE_HEADER_LEN + i];

			if (have_bit(r, at)) {
				if (body[at] != b)
					return -EINVAL;
				continue;
			}
			body[at] = b;
			r->have[at / 8] |= (uint8_t)(1u << (at % 8));
			r->missing--;
		}
		if (rec.seq > r->record_seq)
			r->record_seq = rec.seq;
	}
	return r->missing == 0 ? 1 : 0;
}

const uint8_t *dtls_hello_reasm_record(struct dtls_hello_reasm *r,
				       size_t *len)
{
	if (r->msg == NULL || r->missing != 0) {
		*len = 0;
		return NULL;
	}
	/* the record carries the latest sequence number, after which the
	 * client's next records come */
	r->msg[1] = r->version[0];
	r->msg[2] = r->version[1];
	be_put48(r->msg + 5, r->record_seq);
	*len = DTLS_RECORD_HEADER_LEN + DTLS_HANDSHAKE_HEADER_LEN + r->len;
	return r->msg;
}

void dtls_hello_reasm_free(struct dtls_hello_reasm *r)
{
	free(r->msg);
	free(r->have);
	memset(r, 0, sizeof(*r));
}
